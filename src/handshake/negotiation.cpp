#include "handshake/negotiation.h"

#include <string>

namespace tern::handshake {

using msgs::CipherSuite;
using msgs::NamedGroup;

std::optional<SuiteInfo> tls13_suite_info(CipherSuite suite) {
  switch (suite) {
    case CipherSuite::tls_aes_128_gcm_sha256:
      return SuiteInfo{crypto::Aead::aes128_gcm, crypto::Hash::sha256};
    case CipherSuite::tls_aes_256_gcm_sha384:
      return SuiteInfo{crypto::Aead::aes256_gcm, crypto::Hash::sha384};
    case CipherSuite::tls_chacha20_poly1305_sha256:
      return SuiteInfo{crypto::Aead::chacha20_poly1305, crypto::Hash::sha256};
    default:
      return std::nullopt;
  }
}

std::vector<CipherSuite> default_tls13_suites() {
  return {CipherSuite::tls_aes_128_gcm_sha256, CipherSuite::tls_aes_256_gcm_sha384,
          CipherSuite::tls_chacha20_poly1305_sha256};
}

std::vector<NamedGroup> default_groups() {
  return {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1};
}

Result<std::vector<CipherSuite>> configured_suites(const std::vector<uint16_t>& config) {
  if (config.empty()) return default_tls13_suites();
  std::vector<CipherSuite> out;
  for (uint16_t code : config) {
    auto suite = static_cast<CipherSuite>(code);
    if (!tls13_suite_info(suite))
      return Error(Errc::usage,
                   "cipher suite 0x" + std::to_string(code) +
                       " is not a TLS 1.3 suite tern supports (0x1301, 0x1302, 0x1303)");
    out.push_back(suite);
  }
  return out;
}

Result<std::vector<NamedGroup>> configured_groups(const crypto::Provider& provider,
                                                  const std::vector<uint16_t>& config) {
  if (config.empty()) return default_groups();
  std::vector<NamedGroup> out;
  for (uint16_t code : config) {
    if (!provider.supports(static_cast<crypto::Group>(code)))
      return Error(Errc::usage, std::string("group ") +
                                    msgs::to_string(static_cast<NamedGroup>(code)) +
                                    " is not supported by the crypto provider");
    out.push_back(static_cast<NamedGroup>(code));
  }
  return out;
}

}  // namespace tern::handshake
