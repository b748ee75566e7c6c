// SPDX-License-Identifier: Apache-2.0
// `tern ca trust` and `tern ca untrust`: the local CA's root in an NSS database (what
// Chromium and Firefox read on Linux), through NSS's own certutil; and the commands for the
// system store, printed, never run (they need root).
#pragma once

#include <string>

#include "tern/ca.h"

namespace tern::cli {

struct TrustArgs {
  bool nss = false;
  std::string nss_dir;  // empty: $HOME/.pki/nssdb
};

// Exit codes of commands.h: 0 done, 2 certutil missing or failing, or no HOME.
int run_trust(const LocalCa& ca, const TrustArgs& args);
int run_untrust(const LocalCa& ca, const TrustArgs& args);

}  // namespace tern::cli
