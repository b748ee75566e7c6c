// SPDX-License-Identifier: Apache-2.0
// Revocation through CRLs during path validation.
#include <gtest/gtest.h>

#include "x509_verify_fixture.h"

namespace tern::x509::verify_testing {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

Bytes serial_of(const Node& node) {
  auto parsed = parse_certificate(node.der);
  EXPECT_TRUE(parsed.ok());
  BytesView serial = (*parsed)->serial;
  if (!serial.empty() && serial[0] == 0) serial = serial.subspan(1);
  return Bytes(serial.begin(), serial.end());
}

TEST(X509VerifyCrl, RevokedLeafIsRejectedWithDateAndReason) {
  Node r = root();
  Node l = leaf(r);
  Bytes crl = crl_of(r, [&](CrlBuilder& b) { b.revoke(serial_of(l), 1704067200, 1); });
  auto result = verify(l, {}, {r}, options(), {crl});
  std::string why = rejection(result);
  EXPECT_EQ(result.error().alert, Alert::certificate_revoked);
  EXPECT_TRUE(contains(why, "certificate CN=example.com (serial ")) << why;
  EXPECT_TRUE(contains(why, "was revoked on 2024-01-01 00:00:00 UTC (reason: keyCompromise)"))
      << why;
}

TEST(X509VerifyCrl, CertificateNotListedIsAccepted) {
  Node r = root();
  Node l = leaf(r);
  Bytes crl = crl_of(r, [&](CrlBuilder& b) { b.revoke(Bytes{0x01, 0x02}, kNow - kDay); });
  auto result = verify(l, {}, {r}, options(), {crl});
  EXPECT_TRUE(result.ok()) << result.error().detail;
}

TEST(X509VerifyCrl, EveryCertificateIsCheckedAgainstItsIssuersCrl) {
  Node r = root();
  Node i = ca(r, "CN=Intermediate");
  Node l = leaf(i);
  Bytes leaf_crl = crl_of(i);
  // Without a CRL from the root, the intermediate is not checked.
  auto only_leaf = verify(l, {i}, {r}, options(), {leaf_crl});
  EXPECT_TRUE(only_leaf.ok()) << only_leaf.error().detail;
  auto both = verify(l, {i}, {r}, options(), {leaf_crl, crl_of(r)});
  EXPECT_TRUE(both.ok()) << both.error().detail;
  // A revoked intermediate is found.
  Bytes root_crl = crl_of(r, [&](CrlBuilder& b) { b.revoke(serial_of(i), kNow - kDay, 2); });
  std::string revoked = rejection(verify(l, {i}, {r}, options(), {leaf_crl, root_crl}));
  EXPECT_TRUE(contains(revoked, "CN=Intermediate")) << revoked;
  EXPECT_TRUE(contains(revoked, "cACompromise")) << revoked;
}

TEST(X509VerifyCrl, CrlWithoutNextUpdateIsIgnored) {
  Node r = root();
  Node l = leaf(r);
  Bytes crl = crl_of(
      r, [&](CrlBuilder& b) { b.next_update(std::nullopt).revoke(serial_of(l), kNow - kDay); });
  auto result = verify(l, {}, {r}, options(), {crl});
  EXPECT_TRUE(result.ok()) << result.error().detail;
}

TEST(X509VerifyCrl, ListedEvenIfTheRevocationDateIsInTheFuture) {
  Node r = root();
  Node l = leaf(r);
  Bytes crl = crl_of(r, [&](CrlBuilder& b) { b.revoke(serial_of(l), kNow + 10 * kDay); });
  EXPECT_TRUE(contains(rejection(verify(l, {}, {r}, options(), {crl})), "revoked"));
}

TEST(X509VerifyCrl, StaleOrFutureCrlIsUnusable) {
  Node r = root();
  Node l = leaf(r);
  Bytes expired = crl_of(
      r, [](CrlBuilder& b) { b.this_update(kNow - 60 * kDay).next_update(kNow - 30 * kDay); });
  std::string why = rejection(verify(l, {}, {r}, options(), {expired}));
  EXPECT_TRUE(contains(why, "expired on")) << why;
  Bytes future =
      crl_of(r, [](CrlBuilder& b) { b.this_update(kNow + kDay).next_update(kNow + 30 * kDay); });
  EXPECT_TRUE(contains(rejection(verify(l, {}, {r}, options(), {future})), "not in effect"));
}

TEST(X509VerifyCrl, CrlMustBeSignedByTheIssuer) {
  Node r = root();
  Node other = root("CN=Other Root");
  Node l = leaf(r);
  // Claims the right issuer name, signed with another key.
  Node forger = r;
  forger.key = other.key;
  Bytes forged = crl_of(forger, [&](CrlBuilder& b) { b.revoke(Bytes{0x42}, kNow - kDay); });
  std::string why = rejection(verify(l, {}, {r, other}, options(), {forged}));
  EXPECT_TRUE(contains(why, "signature does not verify")) << why;
}

TEST(X509VerifyCrl, IssuerWithoutCrlSignCannotIssueCrls) {
  Node r = root("CN=Root", [](CertificateBuilder& b) { b.key_usage(kKeyCertSign, false); });
  Node l = leaf(r);
  std::string why = rejection(verify(l, {}, {r}, options(), {crl_of(r)}));
  EXPECT_TRUE(contains(why, "cRLSign")) << why;
}

TEST(X509VerifyCrl, CrlFromAnotherIssuerDoesNotApply) {
  Node r1 = root("CN=Root 1");
  Node r2 = root("CN=Root 2");
  Node l = leaf(r1);
  Bytes crl2 = crl_of(r2, [&](CrlBuilder& b) { b.revoke(serial_of(l), kNow - kDay); });
  auto result = verify(l, {}, {r1, r2}, options(), {crl_of(r1), crl2});
  EXPECT_TRUE(result.ok()) << result.error().detail;
}

TEST(X509VerifyCrl, CrlWithoutNumberOrWithUnknownCriticalExtensionIsUnusable) {
  Node r = root();
  Node l = leaf(r);
  CrlBuilder no_number;
  no_number.issuer(r.name).this_update(kNow - kDay).next_update(kNow + kDay);
  auto der = no_number.sign(*r.key);
  ASSERT_TRUE(der.ok());
  EXPECT_TRUE(contains(rejection(verify(l, {}, {r}, options(), {*der})), "cRLNumber"));
}

}  // namespace
}  // namespace tern::x509::verify_testing
