// SPDX-License-Identifier: Apache-2.0
/// @file
/// Encrypted Client Hello (RFC 9849) keys and configs, for tools and servers: making a key
/// and its ECHConfig (`tern ech keygen`), loading a server's key files (the formats
/// `bssl-tool generate-ech` writes too: a raw 32-byte X25519 private key, a binary
/// ECHConfig), reading a client's ECHConfigList (binary or base64), and describing one.
/// The handshake itself is configured with ClientConfig::ech_config_list and
/// ServerConfig::ech_keys (tern/tls.h).
#pragma once

#include <cstdint>
#include <string>

#include "tern/bytes.h"
#include "tern/export.h"
#include "tern/result.h"
#include "tern/tls.h"

namespace tern {

/// A fresh ECH key with its config.
struct EchKeyPair {
  Bytes private_key;  ///< raw X25519 private key, 32 bytes (secret)
  Bytes config;       ///< the ECHConfig (version 0xfe0d)
  Bytes config_list;  ///< an ECHConfigList holding just `config`: what a DNS HTTPS record carries
  std::string config_list_base64;  ///< `config_list` in base64 (the record's "ech=" value)
};

/// Generates an ECH key: DHKEM(X25519, HKDF-SHA256), offering HKDF-SHA256 with AES-128-GCM
/// and ChaCha20-Poly1305, for `public_name` (the name the outer hello shows; it must be a
/// DNS name, not an IP address). `maximum_name_length` guides the clients' padding (0: they
/// pad to a common size).
TERN_API Result<EchKeyPair> generate_ech_key(const std::string& public_name, uint8_t config_id = 0,
                                             uint8_t maximum_name_length = 0);

/// A server's ECH key from the contents of its two files: `config` is an ECHConfig, or an
/// ECHConfigList holding exactly one; `private_key` the raw 32-byte X25519 key. Fails,
/// saying why, when either is malformed, unsupported or the key is not the config's.
TERN_API Result<ServerConfig::EchKey> load_ech_key(BytesView config, BytesView private_key,
                                                   bool retry = true);

/// An ECHConfigList given as binary or as base64 text (surrounding white space ignored);
/// fails when it does not parse or holds no config tern can use.
TERN_API Result<Bytes> read_ech_config_list(BytesView binary_or_base64);

/// One line per config of an ECHConfigList: its id, public name, KEM and cipher suites.
TERN_API Result<std::string> describe_ech_config_list(BytesView list);

}  // namespace tern
