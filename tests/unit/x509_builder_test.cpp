// SPDX-License-Identifier: Apache-2.0
// The certificate and CRL builders: exact encodings of the pieces, then whole certificates
// and CRLs checked by an independent implementation (the openssl command-line tool) and by
// the provider's signature verification.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "base/encoding.h"
#include "base/reader.h"
#include "base/writer.h"
#include "crypto/provider.h"
#include "x509/builder.h"
#include "x509/certificate.h"

namespace tern::x509 {
namespace {

namespace der = base::der;

std::string hex(BytesView b) { return base::hex(b); }

Bytes unhex(std::string_view h) {
  auto b = base::unhex(h);
  EXPECT_TRUE(b.has_value()) << h;
  return b.value_or(Bytes{});
}

// A scratch directory for files handed to the openssl tool; removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tern-builder-XXXXXX").string();
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string write_pem(const std::string& name, const char* label, BytesView der) const {
    std::ofstream(file(name)) << base::to_pem(label, der);
    return file(name);
  }
  bool ok() const { return !path_.empty(); }

 private:
  std::string path_;
};

// Runs a shell command and returns its exit status and combined output.
std::pair<int, std::string> run(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// Splits a signed certificate or CRL into its three parts using only the Reader, so these
// tests do not depend on the certificate parser.
struct Signed {
  BytesView tbs, algorithm, signature;
};
Signed split_signed(BytesView der_bytes) {
  Signed s;
  base::Reader outer(der_bytes), body;
  uint8_t tag;
  BytesView contents, bits;
  EXPECT_TRUE(outer.der(der::kSequence, body));
  EXPECT_TRUE(outer.empty());
  EXPECT_TRUE(body.der_any_element(tag, contents, s.tbs));
  EXPECT_TRUE(body.der_any_element(tag, contents, s.algorithm));
  EXPECT_TRUE(body.der(der::kBitString, bits));
  EXPECT_TRUE(body.empty());
  if (!bits.empty()) s.signature = bits.subspan(1);
  return s;
}

void expect_signed_by(BytesView der_bytes, const crypto::PrivateKey& issuer_key,
                      const crypto::SignatureAlgorithm& alg) {
  Signed s = split_signed(der_bytes);
  EXPECT_EQ(hex(s.algorithm), hex(encode_signature_algorithm(alg)));
  auto result = issuer_key.public_key()->verify(alg, s.tbs, s.signature);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().detail);
}

size_t count_occurrences(BytesView haystack, BytesView needle) {
  size_t count = 0;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i)
    if (std::equal(needle.begin(), needle.end(), haystack.begin() + static_cast<long>(i))) ++count;
  return count;
}

TEST(X509Builder, EncodesOids) {
  EXPECT_EQ(hex(encode_oid("2.5.29.19")), "551d13");
  EXPECT_EQ(hex(encode_oid("1.2.840.113549.1.1.11")), "2a864886f70d01010b");
  EXPECT_EQ(hex(encode_oid("0.9.2342.19200300.100.1.25")), "0992268993f22c640119");
  EXPECT_EQ(hex(encode_oid("2.999.3")), "883703");  // first subidentifier above 127
  EXPECT_TRUE(encode_oid("").empty());
  EXPECT_TRUE(encode_oid("1").empty());
  EXPECT_TRUE(encode_oid("3.1").empty());
  EXPECT_TRUE(encode_oid("1.40").empty());
  EXPECT_TRUE(encode_oid("1..2").empty());
  EXPECT_TRUE(encode_oid("1.2.x").empty());
}

TEST(X509Builder, EncodesTimesPerRfc5280) {
  // UTCTime from 1950 through 2049, GeneralizedTime outside (RFC 5280 §4.1.2.5).
  EXPECT_EQ(as_chars(encode_time(0)), std::string("\x17\x0d") + "700101000000Z");
  EXPECT_EQ(as_chars(encode_time(-631152000)), std::string("\x17\x0d") + "500101000000Z");
  EXPECT_EQ(as_chars(encode_time(-631152001)), std::string("\x18\x0f") + "19491231235959Z");
  EXPECT_EQ(as_chars(encode_time(2524607999)), std::string("\x17\x0d") + "491231235959Z");
  EXPECT_EQ(as_chars(encode_time(2524608000)), std::string("\x18\x0f") + "20500101000000Z");
  EXPECT_EQ(as_chars(encode_time(0, TimeEncoding::generalized)),
            std::string("\x18\x0f") + "19700101000000Z");
}

TEST(X509Builder, EncodesSignatureAlgorithmIdentifiers) {
  using crypto::Hash;
  using crypto::SigKind;
  EXPECT_EQ(hex(encode_signature_algorithm({SigKind::ecdsa, Hash::sha256, 0})),
            "300a06082a8648ce3d040302");
  EXPECT_EQ(hex(encode_signature_algorithm({SigKind::ecdsa, Hash::sha384, 0})),
            "300a06082a8648ce3d040303");
  EXPECT_EQ(hex(encode_signature_algorithm({SigKind::rsa_pkcs1, Hash::sha256, 0})),
            "300d06092a864886f70d01010b0500");
  EXPECT_EQ(hex(encode_signature_algorithm({SigKind::rsa_pkcs1, Hash::sha512, 0})),
            "300d06092a864886f70d01010d0500");
  EXPECT_EQ(hex(encode_signature_algorithm({SigKind::ed25519, Hash::sha256, 0})), "300506032b6570");
  // As `openssl req -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sha256` writes it.
  EXPECT_EQ(hex(encode_signature_algorithm({SigKind::rsa_pss, Hash::sha256, 32})),
            "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886"
            "f70d010108300d06096086480165030402010500a203020120");
}

TEST(X509Builder, EncodesNamesFromSpecs) {
  auto name = encode_name("CN=Example\\, Inc, O=Org, C=US");
  ASSERT_TRUE(name.ok()) << name.error().detail;
  // SEQUENCE { SET { SEQ { CN, UTF8 } } SET { SEQ { O, UTF8 } } SET { SEQ { C, Printable } } }
  EXPECT_EQ(hex(*name),
            "3032"
            "3115301306035504030c0c4578616d706c652c20496e63"
            "310c300a060355040a0c034f7267"
            "310b3009060355040613025553");
  auto empty = encode_name("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(hex(*empty), "3000");

  auto bad_key = encode_name("XX=1");
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.error().detail.find("unknown attribute \"XX\""), std::string::npos);
  EXPECT_FALSE(encode_name("CN").ok());
  EXPECT_FALSE(encode_name("CN=a,,O=b").ok());
}

TEST(X509Builder, MultiValuedRdnIsASortedSet) {
  auto name = encode_name("O=b+CN=a");
  ASSERT_TRUE(name.ok());
  // One SET; the CN element (OID 2.5.4.3) sorts before O (2.5.4.10).
  EXPECT_EQ(hex(*name),
            "3016"
            "3114"
            "300806035504030c0161"
            "3008060355040a0c0162");
}

TEST(X509Builder, EncodesGeneralNamesAndIpSubtrees) {
  auto ip = parse_ip("127.0.0.1");
  ASSERT_TRUE(ip);
  EXPECT_EQ(hex(*ip), "7f000001");
  auto ip6 = parse_ip("::1");
  ASSERT_TRUE(ip6);
  EXPECT_EQ(hex(*ip6), "00000000000000000000000000000001");
  EXPECT_FALSE(parse_ip("localhost"));

  auto subtree = ip_subtree("10.0.0.0/8");
  ASSERT_TRUE(subtree);
  EXPECT_EQ(hex(subtree->value), "0a000000ff000000");
  auto subtree6 = ip_subtree("fd00::/12");
  ASSERT_TRUE(subtree6);
  EXPECT_EQ(hex(subtree6->value).substr(32), "fff00000000000000000000000000000");
  EXPECT_FALSE(ip_subtree("10.0.0.0/33"));
  EXPECT_FALSE(ip_subtree("10.0.0.0"));

  Bytes names = encode_general_names(
      {GeneralNameSpec::dns("a.example"), GeneralNameSpec::ip(*ip), GeneralNameSpec::email("x@y"),
       GeneralNameSpec::uri("https://u"), GeneralNameSpec::directory(unhex("3000"))});
  EXPECT_EQ(hex(names),
            "3025"
            "8209612e6578616d706c65"
            "87047f000001"
            "8103784079"
            "860968747470733a2f2f75"
            "a4023000");
}

class X509BuilderWithKeys : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = crypto::default_provider().generate_private_key(crypto::KeyType::ec_p256);
    ASSERT_TRUE(key.ok()) << key.error().detail;
    key_ = std::move(*key);
    ASSERT_TRUE(dir_.ok());
  }
  std::unique_ptr<crypto::PrivateKey> key_;
  TempDir dir_;
};

TEST_F(X509BuilderWithKeys, KeyUsageBitsAreMinimalNamedBitLists) {
  auto extension_value = [&](uint16_t bits) {
    auto cert = CertificateBuilder()
                    .subject("CN=k")
                    .issuer("CN=k")
                    .public_key(*key_->public_key())
                    .key_usage(bits)
                    .sign(*key_);
    EXPECT_TRUE(cert.ok());
    // The extension is the last thing before the signature algorithm: find its value by the
    // keyUsage OID followed by BOOLEAN TRUE and the OCTET STRING header.
    Bytes needle = unhex("0603551d0f0101ff04");
    const Bytes& d = *cert;
    auto it = std::search(d.begin(), d.end(), needle.begin(), needle.end());
    EXPECT_NE(it, d.end());
    size_t at = static_cast<size_t>(it - d.begin()) + needle.size();
    size_t len = d[at];
    return hex(BytesView(d).subspan(at + 1, len));
  };
  EXPECT_EQ(extension_value(kDigitalSignature), "03020780");
  EXPECT_EQ(extension_value(kKeyCertSign | kCrlSign), "03020106");
  EXPECT_EQ(extension_value(kDigitalSignature | kKeyEncipherment), "030205a0");
  EXPECT_EQ(extension_value(kDecipherOnly), "0303070080");
}

TEST_F(X509BuilderWithKeys, SubjectKeyIdIsSha1OfKeyBits) {
  Bytes spki = key_->public_key()->spki();
  auto id = key_identifier(spki);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->size(), 20u);
  // The same value openssl computes for subjectKeyIdentifier=hash from the same key.
  auto pkcs8 = key_->pkcs8();
  ASSERT_TRUE(pkcs8.ok());
  std::string key_file = dir_.file("key.pem");
  std::ofstream(key_file) << base::to_pem("PRIVATE KEY", pkcs8->view());
  auto [status, output] =
      run("openssl req -x509 -new -key " + key_file +
          " -subj /CN=x -days 1 -addext "
          "subjectKeyIdentifier=hash | openssl x509 -noout -ext subjectKeyIdentifier");
  ASSERT_EQ(status, 0) << output;
  EXPECT_NE(output.find(base::hex_colon(*id)), std::string::npos) << base::hex_colon(*id) << "\n"
                                                                  << output;
}

TEST_F(X509BuilderWithKeys, VersionOneHasNoVersionFieldOrExtensions) {
  auto cert = CertificateBuilder()
                  .version(1)
                  .serial(7)
                  .subject("CN=v1")
                  .issuer("CN=v1")
                  .validity(1700000000, 1800000000)
                  .public_key(*key_->public_key())
                  .basic_constraints(true)
                  .sign(*key_);
  ASSERT_TRUE(cert.ok()) << cert.error().detail;
  Signed s = split_signed(*cert);
  base::Reader tbs(s.tbs), body;
  ASSERT_TRUE(tbs.der(der::kSequence, body));
  EXPECT_TRUE(body.peek_der_tag(der::kInteger));  // serial first: no [0] version
  EXPECT_EQ(count_occurrences(*cert, unhex("0603551d13")), 0u);

  std::string file = dir_.write_pem("v1.pem", "CERTIFICATE", *cert);
  auto [status, text] = run("openssl x509 -noout -text -in " + file);
  EXPECT_EQ(status, 0) << text;
  EXPECT_NE(text.find("Version: 1 (0x0)"), std::string::npos) << text;
  EXPECT_NE(text.find("Serial Number: 7 (0x7)"), std::string::npos) << text;
}

TEST_F(X509BuilderWithKeys, RawExtensionsAreAppendedEvenWhenDuplicated) {
  Bytes bc_oid = encode_oid("2.5.29.19");
  auto cert = CertificateBuilder()
                  .subject("CN=dup")
                  .issuer("CN=dup")
                  .validity(1700000000, 1800000000)
                  .public_key(*key_->public_key())
                  .basic_constraints(false)
                  .basic_constraints(true)  // replaces the first: still one
                  .extension(bc_oid, true, unhex("3000"))
                  .extension(encode_oid("1.2.3.4"), true, unhex("0500"))
                  .sign(*key_);
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ(count_occurrences(*cert, unhex("0603551d13")), 2u);
  EXPECT_EQ(count_occurrences(*cert, unhex("06032a03040101ff04020500")), 1u);
}

TEST_F(X509BuilderWithKeys, ReportsMissingKeyAndBadNames) {
  auto no_key = CertificateBuilder().subject("CN=x").sign(*key_);
  ASSERT_FALSE(no_key.ok());
  EXPECT_NE(no_key.error().detail.find("no public key"), std::string::npos);
  auto bad_name = CertificateBuilder().subject("Q=x").public_key(*key_->public_key()).sign(*key_);
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.error().detail.find("subject"), std::string::npos);
}

TEST_F(X509BuilderWithKeys, OpensslReadsEveryExtension) {
  auto ip = parse_ip("127.0.0.1");
  auto cert =
      CertificateBuilder()
          .serial(unhex("0102030405"))
          .subject("CN=ext, O=tern")
          .issuer("CN=ext, O=tern")
          .validity(1700000000, 2600000000)  // notAfter in 2052: GeneralizedTime
          .public_key(*key_->public_key())
          .basic_constraints(true, 3)
          .key_usage(kKeyCertSign | kCrlSign | kDigitalSignature)
          .extended_key_usage({build_oid::kEkuServerAuth, build_oid::kEkuClientAuth})
          .subject_alt_names({GeneralNameSpec::dns("localhost"), GeneralNameSpec::ip(*ip),
                              GeneralNameSpec::email("a@example.org"),
                              GeneralNameSpec::uri("https://example.org/")})
          .name_constraints({GeneralNameSpec::dns(".example.org"), *ip_subtree("10.0.0.0/8")},
                            {GeneralNameSpec::dns("bad.example.org")})
          .subject_key_id_from_key()
          .authority_key_id(unhex("0a0b0c"))
          .sign(*key_);
  ASSERT_TRUE(cert.ok()) << cert.error().detail;
  expect_signed_by(*cert, *key_, default_signature_algorithm(crypto::KeyType::ec_p256));

  std::string file = dir_.write_pem("ext.pem", "CERTIFICATE", *cert);
  auto [status, text] = run("openssl x509 -noout -text -in " + file);
  ASSERT_EQ(status, 0) << text;
  for (const char* expected :
       {"Version: 3 (0x2)", "(0x102030405)", "Issuer: CN = ext, O = tern",
        "Not Before: Nov 14 22:13:20 2023 GMT", "Not After : May 22 14:13:20 2052 GMT",
        "CA:TRUE, pathlen:3", "Digital Signature, Certificate Sign, CRL Sign",
        "TLS Web Server Authentication, TLS Web Client Authentication",
        "DNS:localhost, IP Address:127.0.0.1, email:a@example.org, URI:https://example.org/",
        "DNS:.example.org", "IP:10.0.0.0/255.0.0.0", "Excluded:", "DNS:bad.example.org", "0A:0B:0C",
        "ecdsa-with-SHA256"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  // X509v3 Basic Constraints: critical
  EXPECT_NE(text.find("X509v3 Basic Constraints: critical"), std::string::npos);
  EXPECT_NE(text.find("X509v3 Name Constraints: critical"), std::string::npos);
}

struct KeyCase {
  crypto::KeyType type;
  const char* name;
};

class TestPkiByKey : public ::testing::TestWithParam<KeyCase> {};

TEST_P(TestPkiByKey, OpensslVerifiesTheChainAndCrl) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  TestPkiOptions options;
  options.key_type = GetParam().type;
  auto ip = parse_ip("127.0.0.1");
  options.leaf_names = {GeneralNameSpec::dns("localhost"), GeneralNameSpec::ip(*ip)};
  auto pki = make_test_pki(options);
  ASSERT_TRUE(pki.ok()) << pki.error().detail;

  auto alg = default_signature_algorithm(GetParam().type);
  expect_signed_by(pki->root.der, *pki->root.key, alg);
  expect_signed_by(pki->intermediate.der, *pki->root.key, alg);
  expect_signed_by(pki->leaf.der, *pki->intermediate.key, alg);

  std::string root = dir.write_pem("root.pem", "CERTIFICATE", pki->root.der);
  std::string intermediate = dir.write_pem("int.pem", "CERTIFICATE", pki->intermediate.der);
  std::string leaf = dir.write_pem("leaf.pem", "CERTIFICATE", pki->leaf.der);
  std::string verify =
      "openssl verify -attime 1800000000 -x509_strict -purpose sslserver "
      "-verify_hostname localhost -verify_ip 127.0.0.1 -CAfile " +
      root + " -untrusted " + intermediate + " ";
  auto [status, output] = run(verify + leaf);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find(": OK"), std::string::npos) << output;

  // A CRL from the intermediate revoking the leaf makes openssl refuse the chain.
  Signed leaf_parts = split_signed(pki->leaf.der);
  base::Reader tbs(leaf_parts.tbs), body;
  BytesView version, serial;
  ASSERT_TRUE(tbs.der(der::kSequence, body));
  ASSERT_TRUE(body.der(der::context(0, true), version));
  ASSERT_TRUE(body.der(der::kInteger, serial));
  auto crl = CrlBuilder()
                 .issuer(pki->intermediate.name_der)
                 .this_update(1700000000)
                 .next_update(1900000000)
                 .revoke(serial, 1750000000, 1)  // keyCompromise
                 .crl_number(7)
                 .authority_key_id(pki->intermediate.key_id)
                 .sign(*pki->intermediate.key);
  ASSERT_TRUE(crl.ok()) << crl.error().detail;
  expect_signed_by(*crl, *pki->intermediate.key, alg);
  std::string crl_file = dir.write_pem("crl.pem", "X509 CRL", *crl);
  auto [crl_status, crl_text] = run("openssl crl -noout -text -in " + crl_file);
  EXPECT_EQ(crl_status, 0) << crl_text;
  EXPECT_NE(crl_text.find("Key Compromise"), std::string::npos) << crl_text;
  EXPECT_NE(crl_text.find("X509v3 CRL Number"), std::string::npos) << crl_text;

  // An empty CRL from the root for the intermediate, so -crl_check_all has one per level.
  auto root_crl = CrlBuilder()
                      .issuer(pki->root.name_der)
                      .this_update(1700000000)
                      .next_update(1900000000)
                      .crl_number(1)
                      .sign(*pki->root.key);
  ASSERT_TRUE(root_crl.ok());
  std::string root_crl_file = dir.write_pem("root-crl.pem", "X509 CRL", *root_crl);
  auto [revoked_status, revoked_output] = run(verify + "-crl_check_all -CRLfile " + crl_file +
                                              " -CRLfile " + root_crl_file + " " + leaf);
  EXPECT_NE(revoked_status, 0) << revoked_output;
  EXPECT_NE(revoked_output.find("certificate revoked"), std::string::npos) << revoked_output;
}

INSTANTIATE_TEST_SUITE_P(X509Builder, TestPkiByKey,
                         ::testing::Values(KeyCase{crypto::KeyType::ec_p256, "P256"},
                                           KeyCase{crypto::KeyType::ec_p384, "P384"},
                                           KeyCase{crypto::KeyType::rsa, "RSA"},
                                           KeyCase{crypto::KeyType::rsa_pss, "RSAPSS"},
                                           KeyCase{crypto::KeyType::ed25519, "Ed25519"}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(X509Builder, RsaPssSignedCertificateVerifiesWithOpenssl) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  auto key = crypto::default_provider().generate_private_key(crypto::KeyType::rsa);
  ASSERT_TRUE(key.ok());
  crypto::SignatureAlgorithm pss{crypto::SigKind::rsa_pss, crypto::Hash::sha384, 48};
  auto cert = CertificateBuilder()
                  .subject("CN=pss")
                  .issuer("CN=pss")
                  .validity(1700000000, 1900000000)
                  .public_key(*(*key)->public_key())
                  .basic_constraints(true)
                  .key_usage(kKeyCertSign)
                  .signature_algorithm(pss)
                  .sign(**key);
  ASSERT_TRUE(cert.ok()) << cert.error().detail;
  expect_signed_by(*cert, **key, pss);
  std::string file = dir.write_pem("pss.pem", "CERTIFICATE", *cert);
  auto [status, output] = run("openssl verify -attime 1800000000 -CAfile " + file + " " + file);
  EXPECT_EQ(status, 0) << output;
  auto [text_status, text] = run("openssl x509 -noout -text -in " + file);
  EXPECT_NE(text.find("Salt Length: 0x30"), std::string::npos) << text;
  EXPECT_NE(text.find("Hash Algorithm: sha384"), std::string::npos) << text;
}

}  // namespace
}  // namespace tern::x509

namespace tern::x509 {
namespace {

// What the builder writes, the strict parser reads back field for field.
TEST(X509BuilderRoundTrip, ParserReadsBackEveryField) {
  TestPkiOptions options;
  auto ip = parse_ip("127.0.0.1");
  options.leaf_names = {GeneralNameSpec::dns("localhost"), GeneralNameSpec::ip(*ip),
                        GeneralNameSpec::email("ops@example.org")};
  options.leaf_ekus = {build_oid::kEkuServerAuth, build_oid::kEkuClientAuth};
  auto pki = make_test_pki(options);
  ASSERT_TRUE(pki.ok()) << pki.error().detail;

  auto root = parse_certificate(pki->root.der);
  auto intermediate = parse_certificate(pki->intermediate.der);
  auto leaf = parse_certificate(pki->leaf.der);
  ASSERT_TRUE(root.ok()) << root.error().detail;
  ASSERT_TRUE(intermediate.ok()) << intermediate.error().detail;
  ASSERT_TRUE(leaf.ok()) << leaf.error().detail;

  const Certificate& r = **root;
  EXPECT_EQ(r.version, 3);
  EXPECT_TRUE(r.self_issued());
  EXPECT_EQ(r.subject.common_name().value_or(""), "tern Test Root");
  ASSERT_TRUE(r.basic_constraints);
  EXPECT_TRUE(r.basic_constraints->ca);
  EXPECT_FALSE(r.basic_constraints->path_len);
  EXPECT_EQ(r.key_usage.value_or(0), kKeyCertSign | kCrlSign);
  EXPECT_EQ(hex(r.subject_key_id), hex(pki->root.key_id));

  const Certificate& i = **intermediate;
  EXPECT_TRUE(names_match(i.issuer, r.subject));
  ASSERT_TRUE(i.basic_constraints);
  EXPECT_EQ(i.basic_constraints->path_len.value_or(99), 0u);
  EXPECT_EQ(hex(i.authority_key_id), hex(pki->root.key_id));
  EXPECT_TRUE(verify_signature(i, *r.public_key).ok());

  const Certificate& l = **leaf;
  EXPECT_EQ(l.not_before, options.not_before);
  EXPECT_EQ(l.not_after, options.not_after);
  EXPECT_EQ(l.key_type, crypto::KeyType::ec_p256);
  EXPECT_EQ(l.signature_algorithm, default_signature_algorithm(crypto::KeyType::ec_p256));
  ASSERT_TRUE(l.basic_constraints);
  EXPECT_FALSE(l.basic_constraints->ca);
  EXPECT_EQ(l.key_usage.value_or(0), kDigitalSignature);
  ASSERT_TRUE(l.extended_key_usage);
  ASSERT_EQ(l.extended_key_usage->size(), 2u);
  EXPECT_EQ(hex((*l.extended_key_usage)[1]), hex(build_oid::kEkuClientAuth));
  ASSERT_EQ(l.subject_alt_names.size(), 3u);
  EXPECT_EQ(l.subject_alt_names[0].type, GeneralName::Type::dns);
  EXPECT_EQ(as_chars(l.subject_alt_names[0].value), "localhost");
  EXPECT_EQ(l.subject_alt_names[1].type, GeneralName::Type::ip);
  EXPECT_EQ(hex(l.subject_alt_names[1].value), "7f000001");
  EXPECT_EQ(l.subject_alt_names[2].type, GeneralName::Type::email);
  EXPECT_EQ(hex(l.authority_key_id), hex(pki->intermediate.key_id));
  EXPECT_TRUE(verify_signature(l, *i.public_key).ok());
  EXPECT_FALSE(verify_signature(l, *r.public_key).ok());  // signed by the intermediate only
}

TEST(X509BuilderRoundTrip, NameConstraintsAndDirectoryNamesParse) {
  auto key = crypto::default_provider().generate_private_key(crypto::KeyType::ed25519);
  ASSERT_TRUE(key.ok());
  auto dir_name = encode_name("O=Allowed, C=US");
  ASSERT_TRUE(dir_name.ok());
  auto cert = CertificateBuilder()
                  .subject("CN=Constrained CA")
                  .issuer("CN=Constrained CA")
                  .validity(1700000000, 1900000000)
                  .public_key(*(*key)->public_key())
                  .basic_constraints(true, 1)
                  .key_usage(kKeyCertSign)
                  .name_constraints({GeneralNameSpec::dns("example.org"), *ip_subtree("10.0.0.0/8"),
                                     GeneralNameSpec::directory(*dir_name)},
                                    {GeneralNameSpec::email("bad@example.org")})
                  .sign(**key);
  ASSERT_TRUE(cert.ok()) << cert.error().detail;
  auto parsed = parse_certificate(*cert);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  const Certificate& c = **parsed;
  EXPECT_EQ(c.key_type, crypto::KeyType::ed25519);
  ASSERT_TRUE(c.name_constraints);
  ASSERT_EQ(c.name_constraints->permitted.size(), 3u);
  ASSERT_EQ(c.name_constraints->excluded.size(), 1u);
  EXPECT_EQ(as_chars(c.name_constraints->permitted[0].base.value), "example.org");
  EXPECT_EQ(c.name_constraints->permitted[1].base.type, GeneralName::Type::ip);
  EXPECT_EQ(hex(c.name_constraints->permitted[1].ip_mask), "ff000000");
  ASSERT_TRUE(c.name_constraints->permitted[2].base.directory);
  EXPECT_EQ(c.name_constraints->permitted[2].base.directory->rdns.size(), 2u);
  EXPECT_EQ(c.name_constraints->excluded[0].base.type, GeneralName::Type::email);
}

TEST(X509BuilderRoundTrip, ParserRefusesWhatTheBuilderWasToldToBreak) {
  auto key = crypto::default_provider().generate_private_key(crypto::KeyType::ec_p256);
  ASSERT_TRUE(key.ok());
  auto base = [&] {
    CertificateBuilder b;
    b.subject("CN=x")
        .issuer("CN=x")
        .validity(1700000000, 1900000000)
        .public_key(*(*key)->public_key());
    return b;
  };
  auto duplicate =
      base().basic_constraints(false).extension(encode_oid("2.5.29.19"), false, unhex("3000"));
  auto unknown_critical = base().extension(encode_oid("1.2.3.4.5"), true, unhex("0500"));
  auto unknown_noncritical = base().extension(encode_oid("1.2.3.4.5"), false, unhex("0500"));
  auto generalized_before_2050 = base().validity(1700000000, 1900000000, TimeEncoding::generalized);
  auto mismatched_algorithms = base().tbs_algorithm_override(
      encode_signature_algorithm({crypto::SigKind::ecdsa, crypto::Hash::sha384, 0}));

  struct Case {
    const char* name;
    CertificateBuilder* builder;
    bool accepted;
  };
  for (const Case& c : {Case{"duplicate extension", &duplicate, false},
                        // Parsed, and refused by path validation (x509_verify_web_profile_test).
                        Case{"unknown critical extension", &unknown_critical, true},
                        Case{"unknown non-critical extension", &unknown_noncritical, true},
                        Case{"TBS and outer algorithms differ", &mismatched_algorithms, false}}) {
    auto der_bytes = c.builder->sign(**key);
    ASSERT_TRUE(der_bytes.ok()) << c.name;
    auto parsed = parse_certificate(*der_bytes);
    EXPECT_EQ(parsed.ok(), c.accepted) << c.name;
  }

  // RFC 5280 wants UTCTime through 2049; whether a parser refuses GeneralizedTime there is
  // its policy, but if it accepts, the instant must be the same.
  auto generalized = generalized_before_2050.sign(**key);
  ASSERT_TRUE(generalized.ok());
  EXPECT_NE(count_occurrences(*generalized, as_bytes("20231114221320Z")), 0u);
  if (auto parsed = parse_certificate(*generalized); parsed.ok()) {
    EXPECT_EQ((*parsed)->not_before, 1700000000);
    EXPECT_EQ((*parsed)->not_after, 1900000000);
  }
}

TEST(X509BuilderRoundTrip, CrlParsesWithEntriesAndNumber) {
  auto pki = make_test_pki();
  ASSERT_TRUE(pki.ok());
  auto crl_der = CrlBuilder()
                     .issuer(pki->intermediate.name_der)
                     .this_update(1700000000)
                     .next_update(1700086400)
                     .revoke(unhex("1001"), 1700000100, 1)
                     .revoke(unhex("00ff"), 1700000200)
                     .crl_number(258)
                     .authority_key_id(pki->intermediate.key_id)
                     .sign(*pki->intermediate.key);
  ASSERT_TRUE(crl_der.ok()) << crl_der.error().detail;
  auto crl = parse_crl(*crl_der);
  ASSERT_TRUE(crl.ok()) << crl.error().detail;
  const Crl& c = **crl;
  EXPECT_EQ(c.version, 2);
  EXPECT_EQ(c.this_update, 1700000000);
  EXPECT_EQ(c.next_update.value_or(0), 1700086400);
  ASSERT_EQ(c.revoked.size(), 2u);
  EXPECT_EQ(hex(c.revoked[0].serial), "1001");
  EXPECT_EQ(c.revoked[0].revocation_date, 1700000100);
  EXPECT_EQ(c.revoked[0].reason.value_or(0), 1);
  EXPECT_EQ(hex(c.revoked[1].serial), "00ff");  // sign byte kept: 255 is positive
  EXPECT_FALSE(c.revoked[1].reason);
  EXPECT_EQ(hex(c.crl_number), "0102");
  EXPECT_EQ(hex(c.authority_key_id), hex(pki->intermediate.key_id));
  auto issuer_key = pki->intermediate.key->public_key();
  EXPECT_TRUE(verify_signature(c, *issuer_key).ok());
}

}  // namespace
}  // namespace tern::x509
