// SPDX-License-Identifier: Apache-2.0
#include "handshake/signing.h"

#include <string_view>

namespace tern::handshake {

using crypto::Hash;
using crypto::KeyType;
using crypto::SigKind;
using msgs::SignatureScheme;

std::optional<crypto::SignatureAlgorithm> tls13_signature_algorithm(SignatureScheme s) {
  switch (s) {
    case SignatureScheme::ecdsa_secp256r1_sha256:
      return crypto::SignatureAlgorithm{SigKind::ecdsa, Hash::sha256, 0};
    case SignatureScheme::ecdsa_secp384r1_sha384:
      return crypto::SignatureAlgorithm{SigKind::ecdsa, Hash::sha384, 0};
    case SignatureScheme::rsa_pss_rsae_sha256:
    case SignatureScheme::rsa_pss_pss_sha256:
      return crypto::SignatureAlgorithm{SigKind::rsa_pss, Hash::sha256, 32};
    case SignatureScheme::rsa_pss_rsae_sha384:
    case SignatureScheme::rsa_pss_pss_sha384:
      return crypto::SignatureAlgorithm{SigKind::rsa_pss, Hash::sha384, 48};
    case SignatureScheme::rsa_pss_rsae_sha512:
    case SignatureScheme::rsa_pss_pss_sha512:
      return crypto::SignatureAlgorithm{SigKind::rsa_pss, Hash::sha512, 64};
    case SignatureScheme::ed25519:
      return crypto::SignatureAlgorithm{SigKind::ed25519, Hash::sha512, 0};
    default:
      return std::nullopt;
  }
}

bool key_fits(SignatureScheme s, KeyType type) {
  switch (s) {
    case SignatureScheme::ecdsa_secp256r1_sha256:
      return type == KeyType::ec_p256;
    case SignatureScheme::ecdsa_secp384r1_sha384:
      return type == KeyType::ec_p384;
    case SignatureScheme::rsa_pss_rsae_sha256:
    case SignatureScheme::rsa_pss_rsae_sha384:
    case SignatureScheme::rsa_pss_rsae_sha512:
      return type == KeyType::rsa;
    case SignatureScheme::rsa_pss_pss_sha256:
    case SignatureScheme::rsa_pss_pss_sha384:
    case SignatureScheme::rsa_pss_pss_sha512:
      return type == KeyType::rsa_pss;
    case SignatureScheme::ed25519:
      return type == KeyType::ed25519;
    default:
      return false;
  }
}

std::vector<SignatureScheme> default_tls13_signature_schemes() {
  return {SignatureScheme::ecdsa_secp256r1_sha256,
          SignatureScheme::ecdsa_secp384r1_sha384,
          SignatureScheme::ed25519,
          SignatureScheme::rsa_pss_rsae_sha256,
          SignatureScheme::rsa_pss_rsae_sha384,
          SignatureScheme::rsa_pss_rsae_sha512,
          SignatureScheme::rsa_pss_pss_sha256,
          SignatureScheme::rsa_pss_pss_sha384,
          SignatureScheme::rsa_pss_pss_sha512};
}

std::optional<crypto::SignatureAlgorithm> tls12_signature_algorithm(SignatureScheme s) {
  switch (s) {
    case SignatureScheme::rsa_pkcs1_sha256:
      return crypto::SignatureAlgorithm{SigKind::rsa_pkcs1, Hash::sha256, 0};
    case SignatureScheme::rsa_pkcs1_sha384:
      return crypto::SignatureAlgorithm{SigKind::rsa_pkcs1, Hash::sha384, 0};
    case SignatureScheme::rsa_pkcs1_sha512:
      return crypto::SignatureAlgorithm{SigKind::rsa_pkcs1, Hash::sha512, 0};
    case SignatureScheme::ecdsa_secp521r1_sha512:
      return crypto::SignatureAlgorithm{SigKind::ecdsa, Hash::sha512, 0};
    default:
      return tls13_signature_algorithm(s);
  }
}

bool key_fits_tls12(SignatureScheme s, KeyType type) {
  bool ec = type == KeyType::ec_p256 || type == KeyType::ec_p384 || type == KeyType::ec_p521;
  switch (s) {
    case SignatureScheme::ecdsa_secp256r1_sha256:
    case SignatureScheme::ecdsa_secp384r1_sha384:
    case SignatureScheme::ecdsa_secp521r1_sha512:
      return ec;
    case SignatureScheme::rsa_pkcs1_sha256:
    case SignatureScheme::rsa_pkcs1_sha384:
    case SignatureScheme::rsa_pkcs1_sha512:
      return type == KeyType::rsa;
    default:
      return key_fits(s, type);
  }
}

std::vector<SignatureScheme> default_tls12_signature_schemes() {
  // rsa_pss_pss_* too (RFC 8446 §1.3 and §4.2.3 define them for TLS 1.2): the only schemes an
  // RSA-PSS certificate can sign with, and ECDHE_RSA suites serve such certificates.
  return {SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ecdsa_secp384r1_sha384,
          SignatureScheme::ecdsa_secp521r1_sha512, SignatureScheme::ed25519,
          SignatureScheme::rsa_pss_rsae_sha256,    SignatureScheme::rsa_pss_rsae_sha384,
          SignatureScheme::rsa_pss_rsae_sha512,    SignatureScheme::rsa_pss_pss_sha256,
          SignatureScheme::rsa_pss_pss_sha384,     SignatureScheme::rsa_pss_pss_sha512,
          SignatureScheme::rsa_pkcs1_sha256,       SignatureScheme::rsa_pkcs1_sha384,
          SignatureScheme::rsa_pkcs1_sha512};
}

std::optional<SignatureScheme> choose_signature_scheme_tls12(
    const std::vector<SignatureScheme>& ours, const std::vector<SignatureScheme>& offered,
    KeyType key) {
  for (SignatureScheme s : ours) {
    if (!key_fits_tls12(s, key) || !tls12_signature_algorithm(s)) continue;
    for (SignatureScheme o : offered)
      if (o == s) return s;
  }
  return std::nullopt;
}

Bytes certificate_verify_content(bool server, BytesView transcript_hash) {
  constexpr std::string_view kServer = "TLS 1.3, server CertificateVerify";
  constexpr std::string_view kClient = "TLS 1.3, client CertificateVerify";
  std::string_view context = server ? kServer : kClient;
  Bytes out(64, 0x20);
  out.insert(out.end(), context.begin(), context.end());
  out.push_back(0);
  out.insert(out.end(), transcript_hash.begin(), transcript_hash.end());
  return out;
}

std::optional<SignatureScheme> choose_signature_scheme(const std::vector<SignatureScheme>& ours,
                                                       const std::vector<SignatureScheme>& offered,
                                                       KeyType key) {
  for (SignatureScheme s : ours) {
    if (!key_fits(s, key)) continue;
    for (SignatureScheme o : offered)
      if (o == s) return s;
  }
  return std::nullopt;
}

}  // namespace tern::handshake
