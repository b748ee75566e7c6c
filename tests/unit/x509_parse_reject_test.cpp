// SPDX-License-Identifier: Apache-2.0
// Negative tests: real certificates and CRLs from tests/data/x509 with one thing changed
// in their DER, each of which the strict parser must reject with a message saying where.
#include <gtest/gtest.h>

#include "base/encoding.h"
#include "x509/certificate.h"
#include "x509/der.h"
#include "x509_parse_util.h"

namespace tern::x509 {
namespace {

using namespace testing;  // NOLINT: the helpers of x509_parse_util.h

Bytes H(const char* hex) { return *base::unhex(hex); }

// The parse fails as a decode error with bad_certificate, its message containing `needle`.
template <typename T>
void expect_rejected(const Result<T>& r, const std::string& needle, Errc code = Errc::decode) {
  ASSERT_FALSE(r.ok()) << "accepted, expected an error containing: " << needle;
  EXPECT_EQ(r.error().code, code) << r.error().detail;
  EXPECT_EQ(r.error().alert, Alert::bad_certificate) << r.error().detail;
  EXPECT_NE(r.error().detail.find(needle), std::string::npos)
      << "message: " << r.error().detail << "\nexpected to contain: " << needle;
}

// Unsupported signature algorithms parse (a trust anchor's signature is never checked),
// but the certificate records why, and verify_signature() refuses it with that reason.
void expect_unsupported_signature(const Result<std::shared_ptr<const Certificate>>& r,
                                  const std::string& needle) {
  ASSERT_TRUE(r.ok()) << r.error().detail;
  const Certificate& cert = **r;
  EXPECT_NE(cert.signature_algorithm_error.find(needle), std::string::npos)
      << "recorded: '" << cert.signature_algorithm_error << "', expected: " << needle;
  ASSERT_TRUE(cert.public_key);
  auto verified = verify_signature(cert, *cert.public_key);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().code, Errc::unsupported);
  EXPECT_NE(verified.error().detail.find(needle), std::string::npos) << verified.error().detail;
}

class X509ParseReject : public ::testing::Test {
 protected:
  void SetUp() override {
    leaf_der = fixture_der("leaf-p256.pem");
    leaf = decode(leaf_der);
    ASSERT_EQ(encode(leaf), leaf_der) << "the test DER codec must round-trip";
    ASSERT_TRUE(reparse(leaf).ok());
  }
  Bytes leaf_der;
  Node leaf;
};

TEST_F(X509ParseReject, EveryTruncationIsRejected) {
  for (const char* name : {"leaf-p256.pem", "leaf-pss.pem", "ed25519.pem"}) {
    Bytes der = fixture_der(name);
    for (size_t n = 0; n < der.size(); ++n) {
      auto r = parse_certificate(BytesView(der).first(n));
      ASSERT_FALSE(r.ok()) << name << " accepted when cut to " << n << " bytes";
      EXPECT_EQ(r.error().code, Errc::decode);
      EXPECT_FALSE(r.error().detail.empty());
    }
  }
}

TEST_F(X509ParseReject, TrailingData) {
  Bytes extra = leaf_der;
  extra.push_back(0x00);
  expect_rejected(parse_certificate(extra), "trailing data after the certificate");

  Node inside_tbs = leaf;
  tbs_of(inside_tbs).children.push_back(primitive(0x05, {}));
  expect_rejected(reparse(inside_tbs), "tbsCertificate");

  Node inside_cert = leaf;
  inside_cert.children.push_back(primitive(0x05, {}));
  expect_rejected(reparse(inside_cert), "trailing data in certificate");

  Node inside_ext = leaf;
  Node* bc = find_extension(inside_ext, oid::kBasicConstraints);
  ASSERT_TRUE(bc);
  Bytes value = bc->children.back().contents;
  value.push_back(0x05), value.push_back(0x00);
  bc->children.back().contents = value;
  expect_rejected(reparse(inside_ext), "basicConstraints");
}

TEST_F(X509ParseReject, BerLengths) {
  Node long_serial = leaf;
  tbs_field(long_serial, kSerial).long_length = true;  // 02 81 02 10 01
  expect_rejected(reparse(long_serial), "serialNumber has a length that is not minimal");

  Node long_name = leaf;
  tbs_field(long_name, kSubject).long_length = true;
  expect_rejected(reparse(long_name), "subject");

  // Indefinite length on the outer SEQUENCE: 30 80 <contents> 00 00.
  ASSERT_EQ(leaf_der[1], 0x82);  // a 2-byte long-form length follows the tag
  Bytes body(leaf_der.begin() + 4, leaf_der.end());
  Bytes indefinite = {0x30, 0x80};
  indefinite.insert(indefinite.end(), body.begin(), body.end());
  indefinite.push_back(0), indefinite.push_back(0);
  expect_rejected(parse_certificate(indefinite), "indefinite length");
}

TEST_F(X509ParseReject, NonMinimalIntegersAndBadSerials) {
  Node padded = leaf;
  tbs_field(padded, kSerial).contents = H("001001");
  expect_rejected(reparse(padded), "serialNumber is an INTEGER that is not minimally encoded");

  Node negative = leaf;
  tbs_field(negative, kSerial).contents = H("9001");
  expect_rejected(reparse(negative), "serialNumber is negative");

  Node empty = leaf;
  tbs_field(empty, kSerial).contents = {};
  expect_rejected(reparse(empty), "serialNumber is an empty INTEGER");

  Node too_long = leaf;
  tbs_field(too_long, kSerial).contents = Bytes(21, 0x11);
  expect_rejected(reparse(too_long), "at most 20");

  Node twenty = leaf;
  tbs_field(twenty, kSerial).contents = Bytes(20, 0x11);
  EXPECT_TRUE(reparse(twenty).ok());

  Node explicit_v1 = leaf;
  tbs_of(explicit_v1)[0][0].contents = {0x00};
  expect_rejected(reparse(explicit_v1), "version v1 is encoded explicitly");

  Node v4 = leaf;
  tbs_of(v4)[0][0].contents = {0x03};
  expect_rejected(reparse(v4), "version is 3, more than the maximum 2");

  Node padded_version = leaf;
  tbs_of(padded_version)[0][0].contents = {0x00, 0x02};
  expect_rejected(reparse(padded_version), "not minimally encoded");
}

TEST_F(X509ParseReject, ExtensionsNeedVersion3) {
  Node v2 = leaf;
  tbs_of(v2)[0][0].contents = {0x01};
  expect_rejected(reparse(v2), "extensions are present in a v2 certificate");
  Node v1 = leaf;
  tbs_of(v1).children.erase(tbs_of(v1).children.begin());
  expect_rejected(reparse(v1), "extensions are present in a v1 certificate");
}

TEST_F(X509ParseReject, DuplicateExtensionsAndUnknownCriticalOnesListed) {
  Node dup = leaf;
  extensions_of(dup).children.push_back(extensions_of(dup)[0]);
  expect_rejected(reparse(dup), "extension 2.5.29.19 (basicConstraints) appears twice");

  // Unknown and critical: parsed, and listed for path validation to refuse (so that one such
  // certificate does not make a whole bundle unreadable).
  Node unknown = leaf;
  extensions_of(unknown).children.push_back(make_extension(H("2a0304"), true, H("0500")));
  auto listed = reparse(unknown);
  ASSERT_TRUE(listed.ok()) << listed.error().detail;
  ASSERT_EQ((*listed)->unknown_critical_extensions.size(), 1u);
  EXPECT_EQ(oid::to_string((*listed)->unknown_critical_extensions[0]), "1.2.3.4");

  Node poison = leaf;
  extensions_of(poison).children.push_back(make_extension(oid::kCtPoison, true, H("0500")));
  auto precertificate = reparse(poison);
  ASSERT_TRUE(precertificate.ok()) << precertificate.error().detail;
  EXPECT_EQ((*precertificate)->unknown_critical_extensions.size(), 1u);

  // Unknown but not critical: kept in the list and otherwise ignored.
  Node harmless = leaf;
  extensions_of(harmless).children.push_back(make_extension(H("2a0304"), false, H("0500")));
  auto ok = reparse(harmless);
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ((*ok)->extensions.size(), 10u);

  Node empty = leaf;
  extensions_of(empty).children.clear();
  expect_rejected(reparse(empty), "extensions is an empty SEQUENCE");

  // The message names the certificate.
  expect_rejected(reparse(dup), "certificate \"CN=www.example.org, OU=Web, O=Tern Test, C=US\"");
}

TEST_F(X509ParseReject, Booleans) {
  Node bad = leaf;
  Node* bc = find_extension(bad, oid::kBasicConstraints);
  ASSERT_TRUE(bc);
  (*bc)[1].contents = {0x01};  // critical = 0x01: BER true, not DER
  expect_rejected(reparse(bad), "not 0x00 or 0xFF");

  Node explicit_false = leaf;
  bc = find_extension(explicit_false, oid::kBasicConstraints);
  (*bc)[1].contents = {0x00};
  expect_rejected(reparse(explicit_false), "explicit FALSE");

  // basicConstraints cA explicitly FALSE inside the value: not DER, but common in deployed
  // certificates and accepted by every major verifier, so tolerated.
  Node ca_false = leaf;
  bc = find_extension(ca_false, oid::kBasicConstraints);
  bc->children.back().contents =
      H("30030101"
        "00");
  auto tolerated = reparse(ca_false);
  ASSERT_TRUE(tolerated.ok()) << tolerated.error().detail;
  ASSERT_TRUE((*tolerated)->basic_constraints);
  EXPECT_FALSE((*tolerated)->basic_constraints->ca);

  Node two_bytes = leaf;
  bc = find_extension(two_bytes, oid::kBasicConstraints);
  bc->children.back().contents = H("30040102ffff");
  expect_rejected(reparse(two_bytes), "BOOLEAN");
}

TEST_F(X509ParseReject, SignatureAlgorithms) {
  Node mismatch = leaf;
  mismatch[1][0].contents = oid::kSha384WithRsa;
  expect_rejected(reparse(mismatch), "signatureAlgorithm differs");

  // Both fields changed alike: RSA PKCS#1 needs its NULL parameters.
  Node no_null = leaf;
  no_null[1].children.pop_back();
  tbs_field(no_null, kSignature).children.pop_back();
  expect_rejected(reparse(no_null), "lacks the NULL parameters");

  Node ecdsa_null = leaf;
  ecdsa_null[1][0].contents = oid::kEcdsaSha256;
  tbs_field(ecdsa_null, kSignature)[0].contents = oid::kEcdsaSha256;
  expect_rejected(reparse(ecdsa_null), "parameters must be absent");

  Node md5 = leaf;
  md5[1][0].contents = oid::kMd5WithRsa;
  tbs_field(md5, kSignature)[0].contents = oid::kMd5WithRsa;
  expect_unsupported_signature(reparse(md5), "MD5");

  Node unknown = leaf;
  unknown[1][0].contents = H("2a0304");
  tbs_field(unknown, kSignature)[0].contents = H("2a0304");
  expect_unsupported_signature(reparse(unknown), "1.2.3.4 is not a supported signature");

  // SHA-1 parses, so that the validator can say why it refuses it.
  Node sha1 = leaf;
  sha1[1][0].contents = oid::kSha1WithRsa;
  tbs_field(sha1, kSignature)[0].contents = oid::kSha1WithRsa;
  auto parsed = reparse(sha1);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ((*parsed)->signature_algorithm,
            (crypto::SignatureAlgorithm{crypto::SigKind::rsa_pkcs1, crypto::Hash::sha1, 0}));

  Node unused_bits = leaf;
  unused_bits[2].contents[0] = 0x01;
  unused_bits[2].contents.back() &= 0xfe;
  expect_rejected(reparse(unused_bits), "signatureValue has unused bits");
}

TEST_F(X509ParseReject, RsaPssParameters) {
  Node pss = decode(fixture_der("leaf-pss.pem"));
  ASSERT_TRUE(reparse(pss).ok());
  auto both = [](Node& cert, auto&& change) {
    change(cert[1]);
    change(tbs_field(cert, kSignature));
  };
  Node default_hash = pss;
  both(default_hash, [](Node& alg) { alg[1].children.erase(alg[1].children.begin()); });
  expect_unsupported_signature(reparse(default_hash), "default hash SHA-1");

  Node mgf_mismatch = pss;
  both(mgf_mismatch, [](Node& alg) { alg[1][1][0][1][0].contents = oid::kSha384; });
  expect_unsupported_signature(reparse(mgf_mismatch), "MGF1 with");

  Node salt20 = pss;
  both(salt20, [](Node& alg) { alg[1][2][0].contents = {20}; });
  expect_rejected(reparse(salt20), "DEFAULT saltLength 20");

  Node trailer = pss;
  both(trailer,
       [](Node& alg) { alg[1].children.push_back(constructed(0xa3, {primitive(0x02, {0x01})})); });
  expect_rejected(reparse(trailer), "trailerField");
}

TEST_F(X509ParseReject, Times) {
  auto with_not_before = [&](uint8_t tag, const std::string& value) {
    Node cert = leaf;
    tbs_field(cert, kValidity)[0] = text(tag, value);
    return reparse(cert);
  };
  expect_rejected(with_not_before(0x17, "250101120000"), "YYMMDDHHMMSSZ");
  expect_rejected(with_not_before(0x17, "2501011200Z"), "YYMMDDHHMMSSZ");
  expect_rejected(with_not_before(0x17, "250101120000.5Z"), "YYMMDDHHMMSSZ");
  expect_rejected(with_not_before(0x17, "250101120000+0100"), "YYMMDDHHMMSSZ");
  expect_rejected(with_not_before(0x17, "251301120000Z"), "not a valid date");
  expect_rejected(with_not_before(0x17, "250230120000Z"), "not a valid date");
  expect_rejected(with_not_before(0x17, "250101240000Z"), "not a valid date");
  expect_rejected(with_not_before(0x17, "250101235960Z"), "not a valid date");
  expect_rejected(with_not_before(0x17, "25010112000aZ"), "non-digit");
  expect_rejected(with_not_before(0x18, "20250101120000.5Z"), "YYYYMMDDHHMMSSZ");
  expect_rejected(with_not_before(0x18, "250101120000Z"), "YYYYMMDDHHMMSSZ");
  expect_rejected(with_not_before(0x02, "250101120000Z"), "expected UTCTime or GeneralizedTime");

  auto leap = with_not_before(0x17, "000229000000Z");
  ASSERT_TRUE(leap.ok()) << leap.error().detail;
  EXPECT_EQ((*leap)->not_before, 951782400);
  expect_rejected(with_not_before(0x17, "010229000000Z"), "not a valid date");
  auto y1950 = with_not_before(0x17, "500101000000Z");
  ASSERT_TRUE(y1950.ok());
  EXPECT_EQ((*y1950)->not_before, -631152000);
  auto y2049 = with_not_before(0x17, "491231235959Z");
  ASSERT_TRUE(y2049.ok());
  EXPECT_EQ((*y2049)->not_before, 2524607999);
  // GeneralizedTime before 2050 is tolerated (PKITS 4.2.4 expects it to be valid).
  auto generalized = with_not_before(0x18, "20250101120000Z");
  ASSERT_TRUE(generalized.ok());
  EXPECT_EQ((*generalized)->not_before, 1735732800);
  auto far = with_not_before(0x18, "99991231235959Z");
  ASSERT_TRUE(far.ok());
  EXPECT_EQ((*far)->not_before, 253402300799);
}

TEST_F(X509ParseReject, Names) {
  Node empty_rdn = leaf;
  tbs_field(empty_rdn, kSubject)[0].children.clear();
  expect_rejected(reparse(empty_rdn), "subject: RDN 1 is an empty SET");

  Node bad_printable = leaf;
  tbs_field(bad_printable, kSubject)[0][0][1] = text(0x13, "U!");
  expect_rejected(reparse(bad_printable), "not a valid PrintableString");

  Node bad_utf8 = leaf;
  tbs_field(bad_utf8, kSubject)[3][0][1] = primitive(0x0c, {0xc0, 0x80});  // overlong NUL
  expect_rejected(reparse(bad_utf8), "not a valid UTF8String");

  Node cn_integer = leaf;
  tbs_field(cn_integer, kSubject)[3][0][1] = primitive(0x02, {0x01});
  expect_rejected(reparse(cn_integer), "must be a string");

  Node odd_bmp = leaf;
  tbs_field(odd_bmp, kSubject)[3][0][1] = primitive(0x1e, {0x00, 0x41, 0x00});
  expect_rejected(reparse(odd_bmp), "BMPString");

  Node rdn_is_sequence = leaf;
  tbs_field(rdn_is_sequence, kSubject)[0].tag = 0x30;
  expect_rejected(reparse(rdn_is_sequence), "expected 0x31");

  // An empty subject is allowed (SAN-only certificates); the display name uses the SAN.
  Node empty_subject = leaf;
  tbs_field(empty_subject, kSubject).children.clear();
  auto parsed = reparse(empty_subject);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_TRUE((*parsed)->subject.empty());
  EXPECT_EQ((*parsed)->display_name(), "DNS:www.example.org");
}

TEST_F(X509ParseReject, SubjectAltNames) {
  auto with_san = [&](const Bytes& value) {
    Node cert = leaf;
    find_extension(cert, oid::kSubjectAltName)->children.back().contents = value;
    return reparse(cert);
  };
  expect_rejected(with_san(H("3000")), "empty list");
  expect_rejected(with_san(H("3007870501020304ff")), "iPAddress has 5 bytes");
  expect_rejected(with_san(H("30058203e97861")), "dNSName is not a valid IA5String");
  expect_rejected(with_san(H("30058103e97861")), "rfc822Name is not a valid IA5String");
  expect_rejected(with_san(H("30058603e97861")), "uniformResourceIdentifier");
  expect_rejected(with_san(H("3003890161")), "not a GeneralName");
  expect_rejected(with_san(H("300488028001")), "registeredID is not a valid OID");
  expect_rejected(with_san(H("3006a40430000500")), "directoryName");
}

TEST_F(X509ParseReject, KeyUsageAndBasicConstraints) {
  auto with = [&](const Bytes& id, const Bytes& value) {
    Node cert = leaf;
    find_extension(cert, id)->children.back().contents = value;
    return reparse(cert);
  };
  expect_rejected(with(oid::kKeyUsage, H("030100")), "no bit set");
  expect_rejected(with(oid::kKeyUsage, H("03020000")), "no bit set");
  // Trailing zero bits are not DER, but deployed roots have them: tolerated.
  auto padded = with(oid::kKeyUsage, H("0303070600"));
  ASSERT_TRUE(padded.ok()) << padded.error().detail;
  EXPECT_EQ((*padded)->key_usage, std::optional<uint16_t>(kKeyCertSign | kCrlSign));
  auto short_padding = with(oid::kKeyUsage, H("03020680"));
  ASSERT_TRUE(short_padding.ok()) << short_padding.error().detail;
  EXPECT_EQ((*short_padding)->key_usage, std::optional<uint16_t>(kDigitalSignature));
  expect_rejected(with(oid::kKeyUsage, H("03020781")), "unused bits are not zero");
  expect_rejected(with(oid::kKeyUsage, H("030400000001")), "beyond decipherOnly");
  auto decipher = with(oid::kKeyUsage, H("0303070080"));
  ASSERT_TRUE(decipher.ok()) << decipher.error().detail;
  EXPECT_EQ((*decipher)->key_usage, std::optional<uint16_t>(kDecipherOnly));

  expect_rejected(with(oid::kBasicConstraints, H("300402020001")),
                  "pathLenConstraint is an INTEGER that is not");
  auto path_len = with(oid::kBasicConstraints, H("30060101ff020105"));
  ASSERT_TRUE(path_len.ok()) << path_len.error().detail;
  EXPECT_EQ((*path_len)->basic_constraints->path_len, std::optional<uint32_t>(5));
  expect_rejected(with(oid::kBasicConstraints, H("30060101ff0201ff")), "negative");
  expect_rejected(with(oid::kExtKeyUsage, H("3000")), "empty list");
}

TEST_F(X509ParseReject, NameConstraints) {
  Node ca = decode(fixture_der("ca-p384.pem"));
  ASSERT_TRUE(reparse(ca).ok());
  auto with = [&](const Bytes& value) {
    Node cert = ca;
    find_extension(cert, oid::kNameConstraints)->children.back().contents = value;
    return reparse(cert);
  };
  expect_rejected(with(H("3000")), "neither permittedSubtrees nor excludedSubtrees");
  expect_rejected(with(H("3002a000")), "permittedSubtrees is an empty list");
  // minimum [0] 0 encoded explicitly, and a maximum.
  expect_rejected(with(H("300ba009300782016180020100")), "minimum or maximum");
  expect_rejected(with(H("300ba009300782016181020101")), "minimum or maximum");
  expect_rejected(with(H("300ba1093007870501020304ff")), "8 or 32 expected");
  expect_rejected(with(H("300ea10c300a87080a000000ff00ff00")), "not a contiguous prefix");
  auto excluded_only = with(H("300ea10c300a87080a000000ff000000"));
  ASSERT_TRUE(excluded_only.ok()) << excluded_only.error().detail;
  EXPECT_TRUE((*excluded_only)->name_constraints->permitted.empty());
  ASSERT_EQ((*excluded_only)->name_constraints->excluded.size(), 1u);
  EXPECT_EQ((*excluded_only)->name_constraints->excluded[0].ip_mask.size(), 4u);
}

TEST_F(X509ParseReject, HostileCountsAreBounded) {
  Node many_extensions = leaf;
  for (int i = 0; i < 1100; ++i) {
    int arc = i + 128;  // two septets, the first never zero
    Bytes id = {0x2a, 0x03, static_cast<uint8_t>(0x80 | (arc >> 7)),
                static_cast<uint8_t>(arc & 0x7f)};
    extensions_of(many_extensions).children.push_back(make_extension(id, false, H("0500")));
  }
  expect_rejected(reparse(many_extensions), "more than 1024 extensions");

  Node many_names = leaf;
  Node list = constructed(0x30, {});
  for (int i = 0; i < 1025; ++i) list.children.push_back(text(0x82, "a.example"));
  find_extension(many_names, oid::kSubjectAltName)->children.back().contents = encode(list);
  expect_rejected(reparse(many_names), "more than 1024 names");

  // 1024 is still fine.
  list.children.pop_back();
  Node limit = leaf;
  find_extension(limit, oid::kSubjectAltName)->children.back().contents = encode(list);
  auto parsed = reparse(limit);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ((*parsed)->subject_alt_names.size(), 1024u);
}

TEST_F(X509ParseReject, UniqueIdentifiersNeedVersion2) {
  Node v3 = leaf;
  auto& fields = tbs_of(v3).children;
  fields.insert(fields.end() - 1, primitive(0x81, {0x00, 0xab}));
  fields.insert(fields.end() - 1, primitive(0x82, {0x00, 0xcd}));
  EXPECT_TRUE(reparse(v3).ok());

  Node v1 = decode(fixture_der("v1.pem"));
  ASSERT_TRUE(reparse(v1).ok());
  tbs_of(v1).children.push_back(primitive(0x81, {0x00, 0xab}));
  expect_rejected(reparse(v1), "issuerUniqueID is present in a v1 certificate");

  Node bad_bits = leaf;
  auto& bad_fields = tbs_of(bad_bits).children;
  bad_fields.insert(bad_fields.end() - 1, primitive(0x82, {0x08, 0xcd}));
  expect_rejected(reparse(bad_bits), "subjectUniqueID");
}

TEST_F(X509ParseReject, AuthorityKeyIdentifierForms) {
  auto with_aki = [&](const Bytes& value) {
    Node cert = leaf;
    find_extension(cert, oid::kAuthorityKeyId)->children.back().contents = value;
    return reparse(cert);
  };
  // keyIdentifier, authorityCertIssuer (dNSName a) and authorityCertSerialNumber 5.
  auto all =
      with_aki(H("300c"
                 "80020102"
                 "a1038201"
                 "61"
                 "820105"));
  ASSERT_TRUE(all.ok()) << all.error().detail;
  EXPECT_EQ(Bytes((*all)->authority_key_id.begin(), (*all)->authority_key_id.end()), H("0102"));
  auto none = with_aki(H("3000"));
  ASSERT_TRUE(none.ok()) << none.error().detail;
  EXPECT_TRUE((*none)->authority_key_id.empty());
  expect_rejected(with_aki(H("3004"
                             "04020102")),
                  "authorityKeyIdentifier");
  expect_rejected(with_aki(H("3005"
                             "8202"
                             "0001"
                             "00")),
                  "not minimally encoded");
}

TEST_F(X509ParseReject, BundleErrorsNameTheItem) {
  Node dup = leaf;
  extensions_of(dup).children.push_back(extensions_of(dup)[1]);
  std::string bundle = read_fixture("root-rsa.pem") + base::to_pem("CERTIFICATE", encode(dup));
  auto r = parse_certificates(as_bytes(bundle));
  expect_rejected(r, "certificate 2 in bundle: certificate \"CN=www.example.org");
  expect_rejected(r, "extension 2.5.29.15 (keyUsage) appears twice");

  std::string broken_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n";
  expect_rejected(parse_certificates(as_bytes(broken_pem)), "no END line");
  expect_rejected(parse_certificates(BytesView()), "empty");
}

TEST_F(X509ParseReject, PublicKeyProblemsKeepTheCertificate) {
  // An RSA key the provider refuses (a 512-bit modulus) or garbage key bits: the
  // certificate still parses, with the reason recorded for the validator.
  Node garbage = leaf;
  tbs_field(garbage, kSpki)[1].contents = {0x00, 0x04, 0x01, 0x02};
  auto parsed = reparse(garbage);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_FALSE((*parsed)->public_key);
  EXPECT_FALSE((*parsed)->public_key_error.empty());
  EXPECT_EQ((*parsed)->key_type, crypto::KeyType::ec_p256);

  Node rsa512 = leaf;
  Bytes modulus(65, 0xc5);
  modulus[0] = 0x00;
  Node rsa_key = constructed(0x30, {primitive(0x02, modulus), primitive(0x02, {0x01, 0x00, 0x01})});
  Bytes key_bits = {0x00};
  Bytes encoded = encode(rsa_key);
  key_bits.insert(key_bits.end(), encoded.begin(), encoded.end());
  tbs_field(rsa512, kSpki) = constructed(
      0x30, {constructed(0x30, {primitive(0x06, oid::kRsaEncryption), primitive(0x05, {})}),
             primitive(0x03, key_bits)});
  auto small = reparse(rsa512);
  ASSERT_TRUE(small.ok()) << small.error().detail;
  EXPECT_FALSE((*small)->public_key);
  EXPECT_EQ((*small)->key_type, crypto::KeyType::rsa);
  EXPECT_EQ((*small)->key_bits, 512u);
  EXPECT_FALSE((*small)->public_key_error.empty());

  Node not_der = leaf;
  tbs_field(not_der, kSpki)[1].contents[0] = 0x03;  // unused bits in the key BIT STRING
  expect_rejected(reparse(not_der), "subjectPublicKeyInfo");
}

class X509ParseRejectCrl : public ::testing::Test {
 protected:
  void SetUp() override {
    der = fixture_der("crl-root.pem");
    crl = decode(der);
    ASSERT_EQ(encode(crl), der);
    ASSERT_TRUE(parse_crl(der).ok());
  }
  Node& tbs() { return crl[0]; }
  Node& revoked() { return tbs()[5]; }  // version, sig, issuer, this, next, revoked, [0]
  Node& crl_extensions() { return tbs()[6][0]; }
  Bytes der;
  Node crl;
};

TEST_F(X509ParseRejectCrl, EveryTruncationIsRejected) {
  for (size_t n = 0; n < der.size(); ++n)
    ASSERT_FALSE(parse_crl(BytesView(der).first(n)).ok()) << "accepted at " << n << " bytes";
}

TEST_F(X509ParseRejectCrl, Mutations) {
  Node unknown = crl;
  unknown[0][6][0].children.push_back(make_extension(H("2a0304"), true, H("0500")));
  expect_rejected(parse_crl(encode(unknown)), "CRL extension 1.2.3.4 is marked critical");

  Node entry_ext = crl;
  entry_ext[0][5][1][2].children.push_back(make_extension(H("2a0304"), true, H("0500")));
  expect_rejected(parse_crl(encode(entry_ext)), "revoked entry 2: its extension 1.2.3.4");

  Node reason7 = crl;
  reason7[0][5][1][2][0][1].contents = H("0a0107");
  expect_rejected(parse_crl(encode(reason7)), "not a defined CRLReason");

  Node dup = crl;
  dup[0][6][0].children.push_back(dup[0][6][0][0]);
  expect_rejected(parse_crl(encode(dup)), "appears twice");

  Node mismatch = crl;
  mismatch[1][0].contents = oid::kSha512WithRsa;
  expect_rejected(parse_crl(encode(mismatch)), "signatureAlgorithm differs");

  Node v1_with_ext = crl;
  v1_with_ext[0].children.erase(v1_with_ext[0].children.begin());
  expect_rejected(parse_crl(encode(v1_with_ext)), "in a v1 CRL");

  Node bad_date = crl;
  bad_date[0][3] = text(0x17, "250631000000Z");
  expect_rejected(parse_crl(encode(bad_date)), "thisUpdate is not a valid date");

  Node delta = crl;
  delta[0][6][0].children.push_back(make_extension(oid::kDeltaCrlIndicator, true, H("020103")));
  auto parsed = parse_crl(encode(delta));
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_TRUE((*parsed)->is_delta);

  Bytes trailing = der;
  trailing.push_back(0);
  expect_rejected(parse_crl(trailing), "trailing data after the CRL");

  std::string bundle = read_fixture("crl-root.pem") + base::to_pem("X509 CRL", encode(reason7));
  expect_rejected(parse_crls(as_bytes(bundle)), "CRL 2 in bundle");
}

}  // namespace
}  // namespace tern::x509
