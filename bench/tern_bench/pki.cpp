// SPDX-License-Identifier: Apache-2.0
// The bench PKI: root -> leaf, made with tern's certificate builder once per key kind.
#include <cstdio>
#include <cstdlib>
#include <map>

#include "base/reader.h"
#include "bench.h"
#include "crypto/provider.h"
#include "x509/builder.h"
#include "x509/certificate.h"

namespace tern_bench {
namespace {

[[noreturn]] void die(const char* what, const tern::Error& error) {
  std::fprintf(stderr, "tern-bench: making the test PKI: %s: %s\n", what, error.detail.c_str());
  std::exit(3);
}

template <typename T>
T take(tern::Result<T> result, const char* what) {
  if (!result) die(what, result.error());
  return std::move(*result);
}

Pki make(KeyKind kind) {
  using namespace tern::x509;
  const auto& provider = tern::crypto::default_provider();
  auto type = kind == KeyKind::rsa_2048 ? tern::crypto::KeyType::rsa : tern::crypto::KeyType::ec_p256;
  constexpr int64_t kNotBefore = 1700000000, kNotAfter = 2000000000;  // 2023-11 .. 2033-05

  auto root_key = take(provider.generate_private_key(type, 2048), "root key");
  auto root_name = take(encode_name("CN=tern-bench Root, O=tern"), "root name");
  auto root_public = root_key->public_key();
  auto root_id = take(key_identifier(root_public->spki()), "root key id");
  Pki pki;
  pki.root_der = take(CertificateBuilder()
                          .issuer(root_name)
                          .subject(root_name)
                          .validity(kNotBefore, kNotAfter)
                          .public_key(*root_public)
                          .basic_constraints(true)
                          .key_usage(kKeyCertSign | kCrlSign)
                          .subject_key_id(root_id)
                          .sign(*root_key),
                      "root certificate");

  auto leaf_key = take(provider.generate_private_key(type, 2048), "leaf key");
  auto leaf_public = leaf_key->public_key();
  uint16_t usage = kDigitalSignature;
  if (kind == KeyKind::rsa_2048) usage |= kKeyEncipherment;
  pki.leaf_der = take(CertificateBuilder()
                          .issuer(root_name)
                          .subject(std::string_view("CN=localhost"))
                          .validity(kNotBefore, kNotAfter)
                          .public_key(*leaf_public)
                          .basic_constraints(false)
                          .key_usage(usage)
                          .extended_key_usage({build_oid::kEkuServerAuth})
                          .subject_alt_names({GeneralNameSpec::dns(kServerName)})
                          .subject_key_id_from_key()
                          .authority_key_id(root_id)
                          .sign(*root_key),
                      "leaf certificate");
  auto pkcs8 = take(leaf_key->pkcs8(), "leaf key PKCS#8");
  pki.leaf_key_pkcs8.assign(pkcs8.view().begin(), pkcs8.view().end());

  // SEQUENCE { tbs, algorithm, BIT STRING signature }
  tern::base::Reader outer(pki.leaf_der), body;
  uint8_t tag = 0;
  tern::BytesView contents, tbs, algorithm, bits;
  if (!outer.der(tern::base::der::kSequence, body) || !body.der_any_element(tag, contents, tbs) ||
      !body.der_any_element(tag, contents, algorithm) ||
      !body.der(tern::base::der::kBitString, bits) || bits.empty())
    die("splitting the leaf", tern::Error(tern::Errc::decode, "bad DER"));
  pki.leaf_tbs.assign(tbs.begin(), tbs.end());
  pki.leaf_signature.assign(bits.begin() + 1, bits.end());
  return pki;
}

}  // namespace

const Pki& pki(KeyKind kind) {
  static std::map<KeyKind, Pki> made;
  auto it = made.find(kind);
  if (it == made.end()) it = made.emplace(kind, make(kind)).first;
  return it->second;
}

}  // namespace tern_bench
