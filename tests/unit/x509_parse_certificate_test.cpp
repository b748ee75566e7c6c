// SPDX-License-Identifier: Apache-2.0
// Positive parses of real certificates, CRLs and keys made by tests/data/x509/make.sh with
// the openssl CLI: every field the parser fills is checked against what the script asked for.
#include <gtest/gtest.h>

#include "base/encoding.h"
#include "x509/certificate.h"
#include "x509/der.h"
#include "x509_parse_util.h"

namespace tern::x509 {
namespace {

using crypto::Hash;
using crypto::KeyType;
using crypto::SigKind;
using crypto::SignatureAlgorithm;
using testing::read_fixture;

std::shared_ptr<const Certificate> load(const std::string& name) {
  auto certs = parse_certificates(as_bytes(read_fixture(name)));
  EXPECT_TRUE(certs.ok()) << name << ": " << (certs.ok() ? "" : certs.error().detail);
  if (!certs.ok()) return nullptr;
  EXPECT_EQ(certs->size(), 1u);
  return certs->front();
}

std::string str(BytesView b) { return std::string(as_chars(b)); }
Bytes H(const char* hex) { return *base::unhex(hex); }

TEST(X509ParseCertificate, RsaRoot) {
  auto root = load("root-rsa.pem");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->version, 3);
  EXPECT_EQ(Bytes(root->serial.begin(), root->serial.end()), H("01"));
  EXPECT_EQ(root->signature_algorithm, (SignatureAlgorithm{SigKind::rsa_pkcs1, Hash::sha256, 0}));
  EXPECT_EQ(root->subject.to_string(), "CN=Tern Test Root RSA, O=Tern Test, C=US");
  EXPECT_EQ(root->issuer.to_string(), root->subject.to_string());
  EXPECT_EQ(root->subject.common_name(), "Tern Test Root RSA");
  EXPECT_TRUE(root->self_issued());
  EXPECT_EQ(root->not_before, 1704067200);  // 2024-01-01 00:00:00 UTC
  EXPECT_EQ(root->not_after, 2524607999);   // 2049-12-31 23:59:59 UTC
  EXPECT_EQ(root->key_type, KeyType::rsa);
  EXPECT_EQ(root->key_bits, 2048u);
  ASSERT_TRUE(root->public_key) << root->public_key_error;
  EXPECT_TRUE(root->public_key_error.empty());
  ASSERT_TRUE(root->basic_constraints);
  EXPECT_TRUE(root->basic_constraints->ca);
  EXPECT_FALSE(root->basic_constraints->path_len);
  EXPECT_EQ(root->key_usage, std::optional<uint16_t>(kKeyCertSign | kCrlSign));
  EXPECT_FALSE(root->extended_key_usage);
  EXPECT_FALSE(root->has_san_extension);
  EXPECT_FALSE(root->name_constraints);
  EXPECT_EQ(root->subject_key_id.size(), 20u);
  EXPECT_TRUE(root->authority_key_id.empty());
  ASSERT_EQ(root->extensions.size(), 3u);
  EXPECT_TRUE(equal(root->extensions[0].id, oid::kBasicConstraints));
  EXPECT_TRUE(root->extensions[0].critical);
  EXPECT_TRUE(equal(root->extensions[2].id, oid::kSubjectKeyId));
  EXPECT_FALSE(root->extensions[2].critical);
  EXPECT_EQ(root->signature.size(), 256u);
  // tbs and spki point into der.
  EXPECT_EQ(root->tbs.data(), root->der.data() + 4);
  EXPECT_EQ(root->spki[0], 0x30);
  EXPECT_EQ(root->display_name(), "CN=Tern Test Root RSA, O=Tern Test, C=US");
  EXPECT_TRUE(verify_signature(*root, *root->public_key).ok());
}

TEST(X509ParseCertificate, P256LeafWithEveryKindOfSubjectAltName) {
  auto root = load("root-rsa.pem");
  auto leaf = load("leaf-p256.pem");
  ASSERT_TRUE(root && leaf);
  EXPECT_EQ(leaf->version, 3);
  EXPECT_EQ(Bytes(leaf->serial.begin(), leaf->serial.end()), H("1001"));
  EXPECT_EQ(leaf->subject.to_string(), "CN=www.example.org, OU=Web, O=Tern Test, C=US");
  EXPECT_TRUE(names_match(leaf->issuer, root->subject));
  EXPECT_FALSE(leaf->self_issued());
  EXPECT_EQ(leaf->not_before, 1735732800);  // 2025-01-01 12:00:00, UTCTime
  EXPECT_EQ(leaf->not_after, 2524608000);   // 2050-01-01 00:00:00, GeneralizedTime
  EXPECT_EQ(leaf->key_type, KeyType::ec_p256);
  EXPECT_EQ(leaf->key_bits, 256u);
  ASSERT_TRUE(leaf->public_key) << leaf->public_key_error;
  ASSERT_TRUE(leaf->basic_constraints);
  EXPECT_FALSE(leaf->basic_constraints->ca);
  EXPECT_EQ(leaf->key_usage, std::optional<uint16_t>(kDigitalSignature));
  ASSERT_TRUE(leaf->extended_key_usage);
  ASSERT_EQ(leaf->extended_key_usage->size(), 2u);
  EXPECT_TRUE(equal((*leaf->extended_key_usage)[0], oid::kEkuServerAuth));
  EXPECT_TRUE(equal((*leaf->extended_key_usage)[1], oid::kEkuClientAuth));
  EXPECT_TRUE(equal(leaf->authority_key_id, root->subject_key_id));
  EXPECT_EQ(leaf->subject_key_id.size(), 20u);
  ASSERT_EQ(leaf->extensions.size(), 9u);
  EXPECT_TRUE(equal(leaf->extensions[6].id, oid::kCertificatePolicies));
  EXPECT_TRUE(equal(leaf->extensions[7].id, oid::kAuthorityInfoAccess));
  EXPECT_TRUE(equal(leaf->extensions[8].id, oid::kCrlDistributionPoints));

  ASSERT_TRUE(leaf->has_san_extension);
  const auto& san = leaf->subject_alt_names;
  ASSERT_EQ(san.size(), 9u);
  using T = GeneralName::Type;
  EXPECT_EQ(san[0].type, T::dns);
  EXPECT_EQ(str(san[0].value), "www.example.org");
  EXPECT_EQ(san[1].type, T::dns);
  EXPECT_EQ(str(san[1].value), "example.org");
  EXPECT_EQ(san[2].type, T::ip);
  EXPECT_EQ(Bytes(san[2].value.begin(), san[2].value.end()), H("c0000201"));
  EXPECT_EQ(san[3].type, T::ip);
  EXPECT_EQ(Bytes(san[3].value.begin(), san[3].value.end()), H("20010db8000000000000000000000001"));
  EXPECT_EQ(san[4].type, T::email);
  EXPECT_EQ(str(san[4].value), "admin@example.org");
  EXPECT_EQ(san[5].type, T::uri);
  EXPECT_EQ(str(san[5].value), "https://www.example.org/");
  EXPECT_EQ(san[6].type, T::directory);
  ASSERT_TRUE(san[6].directory);
  EXPECT_EQ(san[6].directory->to_string(), "CN=Directory Name, O=Tern Test, C=US");
  EXPECT_TRUE(equal(san[6].value, san[6].directory->der));
  EXPECT_EQ(san[7].type, T::other);
  EXPECT_NE(str(san[7].value).find("user@example.org"), std::string::npos);
  EXPECT_EQ(san[8].type, T::registered_id);
  EXPECT_EQ(oid::to_string(san[8].value), "1.2.3.4");

  EXPECT_EQ(leaf->signature_algorithm, (SignatureAlgorithm{SigKind::rsa_pkcs1, Hash::sha256, 0}));
  ASSERT_TRUE(root->public_key);
  EXPECT_TRUE(verify_signature(*leaf, *root->public_key).ok());
  // The leaf's own key did not sign it.
  auto wrong = verify_signature(*leaf, *leaf->public_key);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().detail.find("www.example.org"), std::string::npos)
      << wrong.error().detail;
}

TEST(X509ParseCertificate, DerFileAndPemGiveTheSameCertificate) {
  std::string der = read_fixture("leaf-p256.der");
  auto from_der = parse_certificates(as_bytes(der));
  ASSERT_TRUE(from_der.ok()) << from_der.error().detail;
  auto from_pem = load("leaf-p256.pem");
  ASSERT_TRUE(from_pem);
  EXPECT_EQ(from_der->front()->der, from_pem->der);
}

TEST(X509ParseCertificate, P384IntermediateWithNameConstraints) {
  auto ca = load("ca-p384.pem");
  ASSERT_TRUE(ca);
  EXPECT_EQ(ca->signature_algorithm, (SignatureAlgorithm{SigKind::rsa_pkcs1, Hash::sha384, 0}));
  EXPECT_EQ(ca->key_type, KeyType::ec_p384);
  EXPECT_EQ(ca->key_bits, 384u);
  EXPECT_EQ(ca->not_before, 1717200000);
  EXPECT_EQ(ca->not_after, 2032732800);
  ASSERT_TRUE(ca->basic_constraints);
  EXPECT_TRUE(ca->basic_constraints->ca);
  EXPECT_EQ(ca->basic_constraints->path_len, std::optional<uint32_t>(0));
  ASSERT_TRUE(ca->name_constraints);
  const auto& permitted = ca->name_constraints->permitted;
  const auto& excluded = ca->name_constraints->excluded;
  using T = GeneralName::Type;
  ASSERT_EQ(permitted.size(), 4u);
  EXPECT_EQ(permitted[0].base.type, T::dns);
  EXPECT_EQ(str(permitted[0].base.value), "example.org");
  EXPECT_EQ(permitted[1].base.type, T::ip);
  EXPECT_EQ(Bytes(permitted[1].base.value.begin(), permitted[1].base.value.end()), H("c0000200"));
  EXPECT_EQ(Bytes(permitted[1].ip_mask.begin(), permitted[1].ip_mask.end()), H("ffffff00"));
  EXPECT_EQ(permitted[2].base.type, T::email);
  EXPECT_EQ(str(permitted[2].base.value), "example.org");
  EXPECT_EQ(permitted[3].base.type, T::directory);
  ASSERT_TRUE(permitted[3].base.directory);
  EXPECT_EQ(permitted[3].base.directory->to_string(), "O=Tern Test, C=US");
  EXPECT_TRUE(permitted[3].ip_mask.empty());
  ASSERT_EQ(excluded.size(), 2u);
  EXPECT_EQ(str(excluded[0].base.value), "bad.example.org");
  EXPECT_EQ(Bytes(excluded[1].base.value.begin(), excluded[1].base.value.end()),
            H("20010db80bad00000000000000000000"));
  EXPECT_EQ(Bytes(excluded[1].ip_mask.begin(), excluded[1].ip_mask.end()),
            H("ffffffffffff00000000000000000000"));
  EXPECT_TRUE(ca->extensions[4].critical);

  auto leaf = load("leaf-p384.pem");
  ASSERT_TRUE(leaf && ca->public_key);
  EXPECT_EQ(leaf->signature_algorithm, (SignatureAlgorithm{SigKind::ecdsa, Hash::sha384, 0}));
  EXPECT_EQ(leaf->key_type, KeyType::ec_p384);
  EXPECT_EQ(leaf->subject.to_string(), "CN=api.example.org");
  EXPECT_TRUE(names_match(leaf->issuer, ca->subject));
  EXPECT_TRUE(verify_signature(*leaf, *ca->public_key).ok());
}

TEST(X509ParseCertificate, RsaPssSignature) {
  auto root = load("root-rsa.pem");
  auto leaf = load("leaf-pss.pem");
  ASSERT_TRUE(root && leaf);
  EXPECT_EQ(leaf->signature_algorithm, (SignatureAlgorithm{SigKind::rsa_pss, Hash::sha256, 32}));
  EXPECT_EQ(Bytes(leaf->serial.begin(), leaf->serial.end()), H("0400"));
  EXPECT_EQ(leaf->key_usage, std::optional<uint16_t>(kDigitalSignature | kKeyEncipherment));
  ASSERT_TRUE(root->public_key);
  EXPECT_TRUE(verify_signature(*leaf, *root->public_key).ok());
}

TEST(X509ParseCertificate, Ed25519SelfSigned) {
  auto cert = load("ed25519.pem");
  ASSERT_TRUE(cert);
  EXPECT_EQ(cert->signature_algorithm.kind, SigKind::ed25519);
  EXPECT_EQ(cert->key_type, KeyType::ed25519);
  EXPECT_EQ(cert->key_usage, std::optional<uint16_t>(kDigitalSignature | kKeyCertSign | kCrlSign));
  EXPECT_EQ(cert->signature.size(), 64u);
  ASSERT_TRUE(cert->public_key) << cert->public_key_error;
  EXPECT_TRUE(verify_signature(*cert, *cert->public_key).ok());
}

TEST(X509ParseCertificate, Version1WithoutExtensions) {
  auto cert = load("v1.pem");
  ASSERT_TRUE(cert);
  EXPECT_EQ(cert->version, 1);
  EXPECT_TRUE(cert->extensions.empty());
  EXPECT_FALSE(cert->basic_constraints);
  EXPECT_FALSE(cert->key_usage);
  EXPECT_EQ(cert->subject.to_string(), "CN=v1.example.org");
}

TEST(X509ParseCertificate, PemBundleKeepsOrderAndSkipsOtherBlocks) {
  std::string bundle = "comment line\n" + read_fixture("leaf-p384.pem") +
                       read_fixture("leaf-p256.key") + read_fixture("ca-p384.pem") +
                       read_fixture("crl-root.pem") + read_fixture("root-rsa.pem");
  auto certs = parse_certificates(as_bytes(bundle));
  ASSERT_TRUE(certs.ok()) << certs.error().detail;
  ASSERT_EQ(certs->size(), 3u);
  EXPECT_EQ((*certs)[0]->subject.common_name(), "api.example.org");
  EXPECT_EQ((*certs)[1]->subject.common_name(), "Tern Test Intermediate P-384");
  EXPECT_EQ((*certs)[2]->subject.common_name(), "Tern Test Root RSA");

  auto none = parse_certificates(as_bytes(read_fixture("crl-root.pem")));
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().detail.find("X509 CRL"), std::string::npos) << none.error().detail;
}

// The strict parser must not lock out real roots: every certificate of the system bundle
// (Debian's copy of the Mozilla store) parses, with a usable key.
TEST(X509ParseCertificate, SystemTrustBundleParses) {
  std::ifstream in("/etc/ssl/certs/ca-certificates.crt", std::ios::binary);
  if (!in) GTEST_SKIP() << "no system bundle on this machine";
  std::ostringstream text;
  text << in.rdbuf();
  auto certs = parse_certificates(as_bytes(text.str()));
  ASSERT_TRUE(certs.ok()) << certs.error().detail;
  EXPECT_GT(certs->size(), 50u);
  for (const auto& cert : *certs) {
    EXPECT_TRUE(cert->public_key) << cert->display_name() << ": " << cert->public_key_error;
  }
}

TEST(X509ParseCrl, RevokedEntriesReasonsAndExtensions) {
  auto root = load("root-rsa.pem");
  auto crls = parse_crls(as_bytes(read_fixture("crl-root.pem")));
  ASSERT_TRUE(crls.ok()) << crls.error().detail;
  ASSERT_EQ(crls->size(), 1u);
  const Crl& crl = *crls->front();
  EXPECT_EQ(crl.version, 2);
  EXPECT_EQ(crl.signature_algorithm, (SignatureAlgorithm{SigKind::rsa_pkcs1, Hash::sha256, 0}));
  EXPECT_TRUE(names_match(crl.issuer, root->subject));
  EXPECT_EQ(crl.this_update, 1748736000);  // 2025-06-01
  EXPECT_EQ(crl.next_update, std::optional<int64_t>(1751328000));
  ASSERT_EQ(crl.revoked.size(), 2u);
  EXPECT_EQ(Bytes(crl.revoked[0].serial.begin(), crl.revoked[0].serial.end()), H("0400"));
  EXPECT_EQ(crl.revoked[0].revocation_date, 1738405800);  // 2025-02-01 10:30:00
  EXPECT_FALSE(crl.revoked[0].reason);
  EXPECT_EQ(Bytes(crl.revoked[1].serial.begin(), crl.revoked[1].serial.end()), H("1001"));
  EXPECT_EQ(crl.revoked[1].revocation_date, 1736899200);        // 2025-01-15
  EXPECT_EQ(crl.revoked[1].reason, std::optional<uint8_t>(1));  // keyCompromise
  EXPECT_TRUE(crl.revoked[0].extensions.empty());
  ASSERT_EQ(crl.revoked[1].extensions.size(), 1u);
  EXPECT_TRUE(equal(crl.revoked[1].extensions[0].id, oid::kReasonCode));
  EXPECT_EQ(Bytes(crl.crl_number.begin(), crl.crl_number.end()), H("04"));
  EXPECT_TRUE(equal(crl.authority_key_id, root->subject_key_id));
  EXPECT_FALSE(crl.is_delta);
  EXPECT_FALSE(crl.has_issuing_distribution_point);
  EXPECT_EQ(crl.extensions.size(), 2u);
  ASSERT_TRUE(root->public_key);
  EXPECT_TRUE(verify_signature(crl, *root->public_key).ok());
  auto leaf = load("leaf-p256.pem");
  ASSERT_TRUE(leaf && leaf->public_key);
  EXPECT_FALSE(verify_signature(crl, *leaf->public_key).ok());
}

TEST(X509ParsePrivateKey, Pkcs8Sec1AndPkcs1) {
  auto pkcs8 = parse_private_key(as_bytes(read_fixture("leaf-p256.key")));
  ASSERT_TRUE(pkcs8.ok()) << pkcs8.error().detail;
  EXPECT_EQ((*pkcs8)->type(), KeyType::ec_p256);
  auto sec1 = parse_private_key(as_bytes(read_fixture("leaf-p256-sec1.key")));
  ASSERT_TRUE(sec1.ok()) << sec1.error().detail;
  EXPECT_EQ((*sec1)->type(), KeyType::ec_p256);
  auto leaf = load("leaf-p256.pem");
  ASSERT_TRUE(leaf);
  EXPECT_EQ((*sec1)->public_key()->spki(), Bytes(leaf->spki.begin(), leaf->spki.end()));
  auto rsa = parse_private_key(as_bytes(read_fixture("root-rsa-pkcs1.key")));
  ASSERT_TRUE(rsa.ok()) << rsa.error().detail;
  EXPECT_EQ((*rsa)->type(), KeyType::rsa);
  EXPECT_EQ((*rsa)->bits(), 2048u);
  // DER straight from the PEM body works too.
  auto der = parse_private_key(testing::fixture_der("leaf-pss.key"));
  ASSERT_TRUE(der.ok()) << der.error().detail;
  EXPECT_EQ((*der)->type(), KeyType::rsa);
}

TEST(X509ParsePrivateKey, EncryptedKeysAreRefusedWithAHint) {
  std::string pem = read_fixture("leaf-p256-encrypted.key");
  auto key = parse_private_key(as_bytes(pem));
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().detail.find("openssl pkcs8 -in key.pem -out plain.pem"), std::string::npos)
      << key.error().detail;
  auto der = parse_private_key(testing::fixture_der("leaf-p256-encrypted.key"));
  ASSERT_FALSE(der.ok());
  EXPECT_NE(der.error().detail.find("encrypted"), std::string::npos) << der.error().detail;
  auto nothing = parse_private_key(as_bytes(read_fixture("root-rsa.pem")));
  ASSERT_FALSE(nothing.ok());
  EXPECT_NE(nothing.error().detail.find("CERTIFICATE"), std::string::npos);
}

TEST(X509ParseOid, DottedDecimalAndNames) {
  EXPECT_EQ(oid::to_string(oid::kBasicConstraints), "2.5.29.19");
  EXPECT_EQ(oid::to_string(oid::kEkuServerAuth), "1.3.6.1.5.5.7.3.1");
  EXPECT_EQ(oid::to_string(oid::kEmailAddress), "1.2.840.113549.1.9.1");
  EXPECT_EQ(oid::to_string(H("0902")), "0.9.2");
  EXPECT_EQ(oid::to_string(H("2802")), "1.0.2");
  EXPECT_EQ(oid::to_string(H("8837")), "2.999");  // 2.999: first septets carry 1079
  // A 128-bit UUID arc under 2.25 (all ones): 2^128 - 1.
  EXPECT_EQ(oid::to_string(H("6983ffffffffffffffffffffffffffffffffff7f")),
            "2.25.340282366920938463463374607431768211455");
  EXPECT_EQ(oid::to_string(H("5580")), "(invalid OID)");
  EXPECT_EQ(oid::describe(oid::kBasicConstraints), "2.5.29.19 (basicConstraints)");
  EXPECT_EQ(oid::describe(H("2a03")), "1.2.3");
  EXPECT_TRUE(is_known_certificate_extension(oid::kCertificatePolicies));
  EXPECT_TRUE(is_known_certificate_extension(oid::kCtPoisonOrScts));
  EXPECT_FALSE(is_known_certificate_extension(oid::kCtPoison));
  EXPECT_FALSE(is_known_certificate_extension(oid::kCrlNumber));
  EXPECT_TRUE(is_known_crl_extension(oid::kCrlNumber));
  EXPECT_TRUE(is_known_crl_entry_extension(oid::kReasonCode));
}

}  // namespace
}  // namespace tern::x509
