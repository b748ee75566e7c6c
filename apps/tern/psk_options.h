// SPDX-License-Identifier: Apache-2.0
// --psk-identity and --psk-file (get, connect, serve): a TLS 1.3 external PSK, as
// `openssl s_client -psk_identity ID -psk HEX` and `gnutls-cli --pskusername --pskkey`.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "tern/tls.h"

namespace tern::cli {

struct PskArgs {
  std::string identity;
  std::string file;
  std::string hash = "sha256";
  std::string mode = "dhe";  // dhe, dhe-or-none, none: ExternalPsk::KeyExchange
};

void add_psk_options(CLI::App& cmd, PskArgs& args);

// The PSK the flags name, none without them; Errc::usage when only one of the two is given
// or the file is unfit (the message names it and says what to do). The key is never printed.
Result<std::optional<ExternalPsk>> load_psk_option(const PskArgs& args);

// --client-auth none|optional|required as ServerConfig::ClientAuth.
ServerConfig::ClientAuth client_auth_mode(const std::string& name);

}  // namespace tern::cli
