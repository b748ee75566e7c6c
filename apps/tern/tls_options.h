// SPDX-License-Identifier: Apache-2.0
// The TLS options every network subcommand shares (get, connect, serve): versions, groups,
// cipher suites and the two legacy switches, and how they fill a config.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "tern/tls.h"

namespace tern::cli {

struct TlsArgs {
  std::string tls_min = "1.2", tls_max = "1.3";
  std::vector<std::string> groups, ciphers;
  bool legacy_rsa_kex = false;
  bool allow_no_ems = false;
  std::vector<std::string> cert_compression;  // empty: the library's default; "none": off
};

// --tls-min, --tls-max, --groups, --ciphers, --legacy-rsa-kex, --allow-no-ems,
// --cert-compression.
void add_tls_options(CLI::App& cmd, TlsArgs& args);

// Fills the config's versions, groups, suites and switches; Errc::usage for unknown names.
Result<void> apply_tls_options(const TlsArgs& args, CommonConfig& config);

// For messages: the versions a config speaks ("TLS 1.2 and 1.3", "TLS 1.3 only"), and all it
// offers: "TLS 1.3 only; groups x25519, ...; cipher suites TLS_AES_128_GCM_SHA256, ..."
// (the library's defaults spelled out when the lists are empty).
std::string describe_versions(const CommonConfig& config);
std::string describe_offer(const CommonConfig& config);

}  // namespace tern::cli
