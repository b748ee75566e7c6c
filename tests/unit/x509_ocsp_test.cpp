// SPDX-License-Identifier: Apache-2.0
// OCSP responses (RFC 6960): the parser, and the checks of a stapled response.
#include <gtest/gtest.h>

#include "tern/ocsp.h"
#include "x509/builder.h"
#include "x509/ocsp.h"
#include "x509/ocsp_builder.h"

namespace tern::x509 {
namespace {

constexpr int64_t kNow = 1800000000;
constexpr int64_t kDay = 86400;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

struct OcspFixture : ::testing::Test {
  static void SetUpTestSuite() {
    auto made = make_test_pki();
    ASSERT_TRUE(made.ok()) << made.error().detail;
    pki = new TestPki(std::move(*made));
  }
  static TestPki* pki;

  tern::Certificate cert(const Bytes& der) {
    auto parsed = tern::Certificate::parse_all(der);
    EXPECT_TRUE(parsed.ok());
    return (*parsed)[0];
  }
  tern::Certificate leaf() { return cert(pki->leaf.der); }
  tern::Certificate issuer() { return cert(pki->intermediate.der); }

  // A good response for the leaf, signed by the intermediate (its issuer).
  OcspResponseSpec spec() {
    tern::Certificate i = issuer();
    tern::Certificate l = leaf();
    OcspResponseSpec s;
    s.issuer_name.assign(i.internal().subject.der.begin(), i.internal().subject.der.end());
    s.issuer_spki.assign(i.internal().spki.begin(), i.internal().spki.end());
    BytesView serial = l.internal().serial;
    if (serial.size() > 1 && serial[0] == 0) serial = serial.subspan(1);
    s.serial.assign(serial.begin(), serial.end());
    s.produced_at = s.this_update = kNow - 3600;
    s.next_update = kNow + 7 * kDay;
    return s;
  }
  Bytes sign(const OcspResponseSpec& s, const crypto::PrivateKey* key = nullptr) {
    auto der = build_ocsp_response(s, key ? *key : *pki->intermediate.key);
    EXPECT_TRUE(der.ok()) << der.error().detail;
    return der.ok() ? *der : Bytes{};
  }
  Result<OcspStatus> check(const Bytes& response) {
    return check_ocsp_response(response, leaf(), issuer(), kNow);
  }
  std::string rejection(const Bytes& response) {
    auto result = check(response);
    EXPECT_FALSE(result.ok());
    if (result.ok()) return "";
    EXPECT_EQ(result.error().alert, Alert::bad_certificate_status_response);
    return result.error().detail;
  }

  // A responder certificate issued by the intermediate, with or without OCSPSigning.
  Bytes responder(const crypto::PrivateKey& key, bool ocsp_signing) {
    auto pub = key.public_key();
    CertificateBuilder b;
    b.serial(uint64_t{77})
        .issuer(pki->intermediate.name_der)
        .subject("CN=tern OCSP responder")
        .validity(kNow - kDay, kNow + 30 * kDay)
        .public_key(*pub)
        .basic_constraints(false)
        .key_usage(kDigitalSignature);
    if (ocsp_signing) b.extended_key_usage({encode_oid("1.3.6.1.5.5.7.3.9")});
    auto der = b.sign(*pki->intermediate.key);
    EXPECT_TRUE(der.ok()) << der.error().detail;
    return *der;
  }
};
TestPki* OcspFixture::pki = nullptr;

TEST_F(OcspFixture, GoodResponseFromTheIssuer) {
  auto status = check(sign(spec()));
  ASSERT_TRUE(status.ok()) << status.error().detail;
  EXPECT_EQ(status->status, OcspCertStatus::good);
  EXPECT_EQ(status->this_update, kNow - 3600);
  EXPECT_EQ(status->next_update, kNow + 7 * kDay);
  EXPECT_EQ(status->signer, "the issuer");
  EXPECT_TRUE(contains(describe_ocsp_status(*status), "good (thisUpdate ")) << describe_ocsp_status(*status);
}

TEST_F(OcspFixture, Sha256CertIdIsAccepted) {
  auto s = spec();
  s.hash = crypto::Hash::sha256;
  auto status = check(sign(s));
  ASSERT_TRUE(status.ok()) << status.error().detail;
  EXPECT_EQ(status->status, OcspCertStatus::good);
}

TEST_F(OcspFixture, RevokedIsReportedWithTimeAndReason) {
  auto s = spec();
  s.status = OcspCertStatus::revoked;
  s.revocation_time = 1704067200;
  s.reason = 1;
  auto status = check(sign(s));
  ASSERT_TRUE(status.ok()) << status.error().detail;
  EXPECT_EQ(status->status, OcspCertStatus::revoked);
  EXPECT_EQ(status->revocation_time, 1704067200);
  EXPECT_EQ(status->reason, 1);
  EXPECT_TRUE(contains(describe_ocsp_status(*status), "revoked on 2024-01-01 00:00:00 UTC (reason keyCompromise)"));
}

TEST_F(OcspFixture, WrongSerialIsAnotherCertificate) {
  auto s = spec();
  s.serial = Bytes{0x01, 0x02, 0x03};
  std::string why = rejection(sign(s));
  EXPECT_TRUE(contains(why, "the OCSP response is for another certificate")) << why;
  EXPECT_TRUE(contains(why, "01:02:03")) << why;
}

TEST_F(OcspFixture, WrongIssuerIsAnotherCertificate) {
  // The right serial, but the CertID names the root as issuer (and the root signs it).
  auto s = spec();
  tern::Certificate root = cert(pki->root.der);
  s.issuer_name.assign(root.internal().subject.der.begin(), root.internal().subject.der.end());
  s.issuer_spki.assign(root.internal().spki.begin(), root.internal().spki.end());
  std::string why = rejection(sign(s, pki->root.key.get()));
  EXPECT_TRUE(contains(why, "another certificate")) << why;
  EXPECT_TRUE(contains(why, "of another issuer")) << why;
}

TEST_F(OcspFixture, ExpiredIsRefused) {
  auto s = spec();
  s.this_update = kNow - 10 * kDay;
  s.next_update = kNow - 3 * kDay;
  std::string why = rejection(sign(s));
  EXPECT_TRUE(contains(why, "has expired: its nextUpdate was")) << why;
}

TEST_F(OcspFixture, NotYetValidIsRefused) {
  auto s = spec();
  s.this_update = kNow + kDay;
  s.next_update = kNow + 8 * kDay;
  std::string why = rejection(sign(s));
  EXPECT_TRUE(contains(why, "not yet valid")) << why;
}

TEST_F(OcspFixture, SmallClockSkewIsTolerated) {
  auto s = spec();
  s.this_update = kNow + 60;  // a responder a minute ahead
  EXPECT_TRUE(check(sign(s)).ok());
}

TEST_F(OcspFixture, BadSignatureIsRefused) {
  Bytes der = sign(spec());
  // The signature is the last BIT STRING: flip its last byte.
  der.back() ^= 0x01;
  std::string why = rejection(der);
  EXPECT_TRUE(contains(why, "does not verify") || contains(why, "does not parse")) << why;
}

TEST_F(OcspFixture, SignedByAStrangerIsRefused) {
  // Signed by the root, with ResponderID naming the root's key: not the leaf's issuer.
  auto s = spec();
  tern::Certificate root = cert(pki->root.der);
  s.responder_spki.assign(root.internal().spki.begin(), root.internal().spki.end());
  std::string why = rejection(sign(s, pki->root.key.get()));
  EXPECT_TRUE(contains(why, "neither the certificate's issuer")) << why;
}

TEST_F(OcspFixture, DelegatedResponderWithOcspSigning) {
  auto key = crypto::default_provider().generate_private_key(crypto::KeyType::ec_p256);
  ASSERT_TRUE(key.ok());
  Bytes responder_der = responder(**key, true);
  tern::Certificate r = cert(responder_der);
  auto s = spec();
  s.responder_spki.assign(r.internal().spki.begin(), r.internal().spki.end());
  s.certs = {responder_der};
  auto status = check(sign(s, key->get()));
  ASSERT_TRUE(status.ok()) << status.error().detail;
  EXPECT_EQ(status->signer, "delegated responder \"CN=tern OCSP responder\"");
}

TEST_F(OcspFixture, DelegatedResponderWithoutOcspSigningIsRefused) {
  auto key = crypto::default_provider().generate_private_key(crypto::KeyType::ec_p256);
  ASSERT_TRUE(key.ok());
  Bytes responder_der = responder(**key, false);
  tern::Certificate r = cert(responder_der);
  auto s = spec();
  s.responder_spki.assign(r.internal().spki.begin(), r.internal().spki.end());
  s.certs = {responder_der};
  std::string why = rejection(sign(s, key->get()));
  EXPECT_TRUE(contains(why, "lacks extendedKeyUsage OCSPSigning")) << why;
}

TEST_F(OcspFixture, UnsuccessfulResponseStatusIsRefused) {
  Bytes try_later = {0x30, 0x03, 0x0a, 0x01, 0x03};
  std::string why = rejection(try_later);
  EXPECT_TRUE(contains(why, "tryLater")) << why;
}

TEST_F(OcspFixture, MalformedInputIsADecodeErrorNotACrash) {
  Bytes der = sign(spec());
  for (size_t cut = 0; cut < der.size(); cut += 7) {
    Bytes truncated(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(cut));
    EXPECT_FALSE(check(truncated).ok()) << cut;
  }
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_TRUE(contains(rejection(trailing), "does not parse"));
  EXPECT_FALSE(check(Bytes(kMaxOcspResponseSize + 1, 0x30)).ok());
}

TEST_F(OcspFixture, InspectWithoutIssuerChecksSerialAndTimes) {
  auto good = inspect_ocsp_response(sign(spec()), leaf(), kNow);
  ASSERT_TRUE(good.ok()) << good.error().detail;
  EXPECT_TRUE(good->signer.empty());
  auto s = spec();
  s.serial = Bytes{0x05};
  EXPECT_FALSE(inspect_ocsp_response(sign(s), leaf(), kNow).ok());
}

TEST_F(OcspFixture, MustStapleIsRecognised) {
  EXPECT_FALSE(must_staple(leaf()));
  auto key = crypto::default_provider().generate_private_key(crypto::KeyType::ec_p256);
  ASSERT_TRUE(key.ok());
  auto pub = (*key)->public_key();
  CertificateBuilder b;
  // TLS Feature: SEQUENCE { INTEGER 5 } (RFC 7633 §4.2).
  b.serial(uint64_t{9}).issuer("CN=x").subject("CN=y").validity(kNow - kDay, kNow + kDay)
      .public_key(*pub)
      .extension(encode_oid("1.3.6.1.5.5.7.1.24"), false, Bytes{0x30, 0x03, 0x02, 0x01, 0x05});
  auto der = b.sign(**key);
  ASSERT_TRUE(der.ok()) << der.error().detail;
  EXPECT_TRUE(must_staple(cert(*der)));
}

}  // namespace
}  // namespace tern::x509
