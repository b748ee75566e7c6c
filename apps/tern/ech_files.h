// SPDX-License-Identifier: Apache-2.0
// `tern serve --ech-key FILE --ech-config FILE`: the server's ECH key files (as `tern ech
// keygen` and `bssl-tool generate-ech` write them) into ServerConfig::ech_keys.
#pragma once
#include <ostream>
#include <string>
#include <vector>
#include "tern/tls.h"

namespace tern::cli {

// One key per config, paired in order; Errc::usage naming the file and what to do.
// `notes` gets one line per key loaded.
Result<void> load_ech_key_files(const std::vector<std::string>& keys,
                                const std::vector<std::string>& configs, ServerConfig& config,
                                std::ostream& notes);

}  // namespace tern::cli
