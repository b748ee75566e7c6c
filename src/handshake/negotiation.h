// SPDX-License-Identifier: Apache-2.0
// Parameter choice for both versions: cipher suites, groups and their defaults (RFC 8446
// §4.1.1, RFC 5246 §7.4.1.2, RFC 8422).
#pragma once

#include <optional>
#include <vector>

#include "crypto/provider.h"
#include "msgs/codes.h"

namespace tern::handshake {

struct SuiteInfo {
  crypto::Aead aead;
  crypto::Hash hash;
};
// The AEAD and hash of a TLS 1.3 suite; nullopt for anything else.
std::optional<SuiteInfo> tls13_suite_info(msgs::CipherSuite suite);

// A TLS 1.2 AEAD suite: its record protection, PRF hash, key exchange and authentication.
struct Tls12SuiteInfo {
  crypto::Aead aead;
  crypto::Hash hash;
  bool ecdhe;       // false: RSA key transport
  bool ecdsa_auth;  // the server's key is ECDSA (or EdDSA); false: RSA
};
std::optional<Tls12SuiteInfo> tls12_suite_info(msgs::CipherSuite suite);

std::vector<msgs::CipherSuite> default_tls13_suites();
std::vector<msgs::NamedGroup> default_groups();
// Whether TLS 1.2 ECDHE can use the group (the ML-KEM hybrids are TLS 1.3 only).
bool usable_in_tls12(msgs::NamedGroup g);

// The TLS 1.3 / TLS 1.2 suites of a config's list (one list holds both versions), or the
// defaults when it is empty. Unknown suites fail with Errc::usage. TLS 1.2 RSA key
// transport suites need `legacy_rsa` (with it, an empty list adds them after the others).
Result<std::vector<msgs::CipherSuite>> configured_suites(const std::vector<uint16_t>& config);
Result<std::vector<msgs::CipherSuite>> configured_tls12_suites(const std::vector<uint16_t>& config,
                                                               bool legacy_rsa);
Result<std::vector<msgs::NamedGroup>> configured_groups(const crypto::Provider& provider,
                                                        const std::vector<uint16_t>& config);

// The first of `preferred` that `offered` contains.
template <typename T>
std::optional<T> first_common(const std::vector<T>& preferred, const std::vector<T>& offered) {
  for (const T& p : preferred)
    for (const T& o : offered)
      if (p == o) return p;
  return std::nullopt;
}

}  // namespace tern::handshake
