// SPDX-License-Identifier: Apache-2.0
#include "handshake/negotiation.h"

#include <cstdio>
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

std::optional<Tls12SuiteInfo> tls12_suite_info(CipherSuite suite) {
  using crypto::Aead;
  using crypto::Hash;
  switch (suite) {
    case CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256:
      return Tls12SuiteInfo{Aead::aes128_gcm, Hash::sha256, true, true};
    case CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256:
      return Tls12SuiteInfo{Aead::aes128_gcm, Hash::sha256, true, false};
    case CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384:
      return Tls12SuiteInfo{Aead::aes256_gcm, Hash::sha384, true, true};
    case CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384:
      return Tls12SuiteInfo{Aead::aes256_gcm, Hash::sha384, true, false};
    case CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256:
      return Tls12SuiteInfo{Aead::chacha20_poly1305, Hash::sha256, true, true};
    case CipherSuite::tls_ecdhe_rsa_with_chacha20_poly1305_sha256:
      return Tls12SuiteInfo{Aead::chacha20_poly1305, Hash::sha256, true, false};
    case CipherSuite::tls_rsa_with_aes_128_gcm_sha256:
      return Tls12SuiteInfo{Aead::aes128_gcm, Hash::sha256, false, false};
    case CipherSuite::tls_rsa_with_aes_256_gcm_sha384:
      return Tls12SuiteInfo{Aead::aes256_gcm, Hash::sha384, false, false};
    default:
      return std::nullopt;
  }
}

std::vector<CipherSuite> default_tls13_suites() {
  return {CipherSuite::tls_aes_128_gcm_sha256, CipherSuite::tls_aes_256_gcm_sha384,
          CipherSuite::tls_chacha20_poly1305_sha256};
}

std::vector<NamedGroup> default_groups() {
  return {NamedGroup::x25519_mlkem768, NamedGroup::x25519, NamedGroup::secp256r1,
          NamedGroup::secp384r1};
}

bool usable_in_tls12(NamedGroup g) {
  return g == NamedGroup::x25519 || g == NamedGroup::secp256r1 || g == NamedGroup::secp384r1;
}

namespace {

Error unknown_suite(uint16_t code) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%04X", code);
  return Error(Errc::usage, std::string("cipher suite ") + hex +
                                " is not one tern supports (TLS 1.3: 0x1301-0x1303; TLS 1.2: "
                                "ECDHE with AES-GCM or ChaCha20-Poly1305, RSA with AES-GCM)");
}

}  // namespace

Result<std::vector<CipherSuite>> configured_suites(const std::vector<uint16_t>& config) {
  if (config.empty()) return default_tls13_suites();
  std::vector<CipherSuite> out;
  for (uint16_t code : config) {
    auto suite = static_cast<CipherSuite>(code);
    if (tls13_suite_info(suite))
      out.push_back(suite);
    else if (!tls12_suite_info(suite))
      return unknown_suite(code);
  }
  return out;
}

Result<std::vector<CipherSuite>> configured_tls12_suites(const std::vector<uint16_t>& config,
                                                         bool legacy_rsa) {
  std::vector<CipherSuite> out;
  if (config.empty()) {
    out = {CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256,
           CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256,
           CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384,
           CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384,
           CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256,
           CipherSuite::tls_ecdhe_rsa_with_chacha20_poly1305_sha256};
    if (legacy_rsa) {
      out.push_back(CipherSuite::tls_rsa_with_aes_128_gcm_sha256);
      out.push_back(CipherSuite::tls_rsa_with_aes_256_gcm_sha384);
    }
    return out;
  }
  for (uint16_t code : config) {
    auto suite = static_cast<CipherSuite>(code);
    auto info = tls12_suite_info(suite);
    if (!info) {
      if (!tls13_suite_info(suite)) return unknown_suite(code);
      continue;
    }
    if (!info->ecdhe && !legacy_rsa)
      return Error(Errc::usage, msgs::to_string(suite) +
                                    " is RSA key transport (no forward secrecy, deprecated by "
                                    "RFC 10015): enable legacy_rsa_key_exchange to use it");
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
