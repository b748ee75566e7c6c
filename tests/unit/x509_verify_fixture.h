// SPDX-License-Identifier: Apache-2.0
// Test helpers for path validation: make roots, intermediates, leaves and CRLs with the
// x509 builders, each customisable, and run verify_chain on them.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "crypto/provider.h"
#include "tern/x509.h"
#include "x509/builder.h"
#include "x509/certificate.h"

namespace tern::x509::verify_testing {

constexpr int64_t kDay = 86400;
constexpr int64_t kNow = 1750000000;  // 2025-06-15 15:06:40 UTC

struct Node {
  Bytes der;
  Bytes name;
  Bytes key_id;
  std::shared_ptr<crypto::PrivateKey> key;
};

using Customize = std::function<void(CertificateBuilder&)>;

inline std::shared_ptr<crypto::PrivateKey> new_key(
    crypto::KeyType type = crypto::KeyType::ec_p256) {
  auto key = crypto::default_provider().generate_private_key(type);
  EXPECT_TRUE(key.ok());
  return std::shared_ptr<crypto::PrivateKey>(std::move(*key));
}

inline Bytes name(const std::string& spec) {
  auto encoded = encode_name(std::string_view(spec));
  EXPECT_TRUE(encoded.ok()) << spec;
  return encoded.ok() ? *encoded : Bytes{};
}

// A certificate for `key` named `subject`, issued by `issuer` (itself when null). Without
// `key_ids`, it has neither subjectKeyIdentifier nor authorityKeyIdentifier.
inline Node issue(const std::string& subject, const Node* issuer, bool ca,
                  const Customize& customize = {},
                  std::shared_ptr<crypto::PrivateKey> key = nullptr, bool key_ids = true) {
  Node node;
  node.key = key ? std::move(key) : new_key();
  node.name = name(subject);
  auto public_key = node.key->public_key();
  auto key_id = key_identifier(public_key->spki());
  EXPECT_TRUE(key_id.ok());
  node.key_id = *key_id;
  CertificateBuilder builder;
  builder.issuer(issuer ? issuer->name : node.name)
      .subject(node.name)
      .validity(kNow - 365 * kDay, kNow + 365 * kDay)
      .public_key(*public_key);
  if (ca) {
    builder.basic_constraints(true).key_usage(kKeyCertSign | kCrlSign, false);
  } else {
    builder.key_usage(kDigitalSignature, false)
        .extended_key_usage({build_oid::kEkuServerAuth})
        .subject_alt_names({GeneralNameSpec::dns("example.com")});
  }
  if (key_ids) {
    builder.subject_key_id(node.key_id);
    if (issuer) builder.authority_key_id(issuer->key_id);
  }
  if (customize) customize(builder);
  auto der = builder.sign(issuer ? *issuer->key : *node.key);
  EXPECT_TRUE(der.ok()) << (der.ok() ? "" : der.error().detail);
  if (der.ok()) node.der = *der;
  return node;
}

inline Node root(const std::string& subject = "CN=Test Root", const Customize& customize = {}) {
  return issue(subject, nullptr, true, customize);
}
inline Node ca(const Node& parent, const std::string& subject, const Customize& customize = {}) {
  return issue(subject, &parent, true, customize);
}
inline Node leaf(const Node& parent, const Customize& customize = {},
                 const std::string& subject = "CN=example.com") {
  return issue(subject, &parent, false, customize);
}

inline tern::Certificate cert(const Bytes& der) {
  auto parsed = tern::Certificate::parse_all(der);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().detail);
  EXPECT_EQ(parsed->size(), 1u);
  return parsed->front();
}

inline VerifyOptions options(const std::string& hostname = "example.com",
                             Purpose purpose = Purpose::server) {
  VerifyOptions opts;
  opts.time = kNow;
  opts.hostname = hostname;
  opts.purpose = purpose;
  return opts;
}

inline Bytes crl_of(const Node& issuer, const std::function<void(CrlBuilder&)>& customize = {}) {
  CrlBuilder builder;
  builder.issuer(issuer.name)
      .this_update(kNow - kDay)
      .next_update(kNow + 7 * kDay)
      .crl_number(1)
      .authority_key_id(issuer.key_id);
  if (customize) customize(builder);
  auto der = builder.sign(*issuer.key);
  EXPECT_TRUE(der.ok()) << (der.ok() ? "" : der.error().detail);
  return der.ok() ? *der : Bytes{};
}

inline Result<VerifiedChain> verify(const Node& leaf_node, const std::vector<Node>& chain,
                                    const std::vector<Node>& roots,
                                    const VerifyOptions& opts = options(),
                                    const std::vector<Bytes>& crls = {}) {
  std::vector<tern::Certificate> intermediates;
  for (const auto& node : chain) intermediates.push_back(cert(node.der));
  TrustStore store;
  for (size_t i = 0; i < roots.size(); ++i) {
    store.add(cert(roots[i].der), "root" + std::to_string(i) + ".pem");
  }
  std::vector<tern::Crl> crl_list;
  for (const auto& der : crls) {
    auto parsed = tern::Crl::parse_all(der);
    EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().detail);
    if (parsed.ok()) crl_list.insert(crl_list.end(), parsed->begin(), parsed->end());
  }
  return verify_chain(cert(leaf_node.der), intermediates, store, crl_list, opts);
}

// The rejection's message, or "" (and a test failure) if it was accepted.
inline std::string rejection(const Result<VerifiedChain>& result) {
  EXPECT_FALSE(result.ok()) << "the chain was accepted";
  if (result.ok()) return "";
  EXPECT_EQ(result.error().code, Errc::certificate) << result.error().detail;
  return result.error().detail;
}

}  // namespace tern::x509::verify_testing
