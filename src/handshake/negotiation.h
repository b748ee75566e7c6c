// TLS 1.3 parameter choice: cipher suites, groups and their defaults (RFC 8446 §4.1.1).
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

std::vector<msgs::CipherSuite> default_tls13_suites();
std::vector<msgs::NamedGroup> default_groups();

// A config's numeric list, or the defaults when it is empty. Unknown suites/groups are
// dropped (and reported through `unsupported` if given).
Result<std::vector<msgs::CipherSuite>> configured_suites(const std::vector<uint16_t>& config);
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
