// SPDX-License-Identifier: Apache-2.0
// Path building and validation through the public verify_chain, with chains made by the
// x509 builders. Each rule has an accepted and a rejected case.
#include <gtest/gtest.h>

#include "x509/hostname.h"
#include "x509/verify.h"
#include "x509_verify_fixture.h"

namespace tern::x509::verify_testing {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(X509Verify, AcceptsLeafIntermediateRootInAnyOrder) {
  Node r = root();
  Node i = ca(r, "CN=Intermediate");
  Node unrelated = ca(root("CN=Other Root"), "CN=Unrelated");
  Node l = leaf(i);
  auto result = verify(l, {unrelated, i}, {r});
  ASSERT_TRUE(result.ok()) << result.error().detail;
  ASSERT_EQ(result->path.size(), 3u);
  EXPECT_EQ(result->path[0].info().subject, "CN=example.com");
  EXPECT_EQ(result->path[1].info().subject, "CN=Intermediate");
  EXPECT_EQ(result->path[2].info().subject, "CN=Test Root");
  EXPECT_EQ(result->anchor_source, "root0.pem");
}

TEST(X509Verify, AcceptsLeafIssuedDirectlyByRoot) {
  Node r = root();
  auto result = verify(leaf(r), {}, {r});
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(result->path.size(), 2u);
}

TEST(X509Verify, UnknownIssuerNamesTheMissingCertificate) {
  Node r = root();
  Node i = ca(r, "CN=Intermediate");
  auto result = verify(leaf(i), {}, {r});
  std::string why = rejection(result);
  EXPECT_EQ(result.error().alert, Alert::unknown_ca);
  EXPECT_TRUE(contains(why, "CN=Intermediate")) << why;
  EXPECT_TRUE(contains(why, "not in the trust store")) << why;
  EXPECT_TRUE(contains(why, "0 intermediates")) << why;
}

TEST(X509Verify, UntrustedRootGivenAsIntermediateIsNoAnchor) {
  Node r = root();
  Node i = ca(r, "CN=Intermediate");
  std::string why = rejection(verify(leaf(i), {r, i}, {root("CN=Unrelated Root")}));
  EXPECT_TRUE(contains(why, "no path to a trusted root")) << why;
}

TEST(X509Verify, RejectsBadSignature) {
  Node r = root();
  Node impostor = issue("CN=Test Root", nullptr, true);  // same name, another key
  std::string why = rejection(verify(leaf(impostor), {}, {r}));
  EXPECT_TRUE(contains(why, "signature")) << why;
}

TEST(X509Verify, HostnameMismatchListsTheNames) {
  Node r = root();
  // (No CN: the web profile would refuse a CN that is not one of the SAN entries.)
  Node l = leaf(r, [](CertificateBuilder& b) {
    b.subject_alt_names(
        {GeneralNameSpec::dns("www.example.org"), GeneralNameSpec::dns("example.net")});
  }, "O=Example");
  std::string why = rejection(verify(l, {}, {r}, options("example.org")));
  EXPECT_TRUE(contains(why, "is not valid for example.org")) << why;
  EXPECT_TRUE(contains(why, "DNS:www.example.org, DNS:example.net")) << why;
  EXPECT_TRUE(verify(l, {}, {r}, options("WWW.example.org.")).ok());
}

TEST(X509Verify, WildcardSanMatchesOneLabel) {
  Node r = root();
  Node l = leaf(r, [](CertificateBuilder& b) {
    b.subject_alt_names({GeneralNameSpec::dns("*.example.org")});
  }, "CN=*.example.org");
  EXPECT_TRUE(verify(l, {}, {r}, options("a.example.org")).ok());
  rejection(verify(l, {}, {r}, options("example.org")));
  rejection(verify(l, {}, {r}, options("a.b.example.org")));
}

TEST(X509Verify, NeverMatchesTheSubjectCommonName) {
  Node r = root();
  // A leaf without subjectAltName whose CN is the host name (built as a "CA" with cA
  // turned off, so the builder adds no SAN).
  Node bare = issue("CN=example.com", &r, true, [](CertificateBuilder& b) {
    b.basic_constraints(false, std::nullopt, false)
        .key_usage(kDigitalSignature, false)
        .extended_key_usage({build_oid::kEkuServerAuth});
  });
  VerifyOptions rfc5280 = options();
  rfc5280.profile = VerifyProfile::rfc5280;
  std::string why = rejection(verify(bare, {}, {r}, rfc5280));
  EXPECT_TRUE(contains(why, "no subjectAltName")) << why;
  // Without a name to check, a certificate without SAN is fine for RFC 5280; the web
  // profile refuses its CN, which is not a SAN entry.
  rfc5280.hostname.clear();
  EXPECT_TRUE(verify(bare, {}, {r}, rfc5280).ok());
  rejection(verify(bare, {}, {r}, options("")));
}

TEST(X509Verify, IpHostnameMatchesOnlyIpSans) {
  Node r = root();
  Node by_ip = leaf(r, [](CertificateBuilder& b) {
    b.subject_alt_names({GeneralNameSpec::ip(*parse_ip_literal("192.0.2.7")),
                         GeneralNameSpec::ip(*parse_ip_literal("2001:db8::1"))});
  }, "CN=192.0.2.7");
  EXPECT_TRUE(verify(by_ip, {}, {r}, options("192.0.2.7")).ok());
  EXPECT_TRUE(verify(by_ip, {}, {r}, options("2001:DB8:0::1")).ok());
  rejection(verify(by_ip, {}, {r}, options("192.0.2.8")));
  Node by_dns = leaf(
      r, [](CertificateBuilder& b) { b.subject_alt_names({GeneralNameSpec::dns("192.0.2.7")}); },
      "O=Example");
  rejection(verify(by_dns, {}, {r}, options("192.0.2.7")));
}

TEST(X509Verify, ValidityIsInclusiveAtBothEnds) {
  Node r = root();
  Node l = leaf(r, [](CertificateBuilder& b) { b.validity(kNow - kDay, kNow + kDay); });
  VerifyOptions at = options();
  at.time = kNow - kDay;
  EXPECT_TRUE(verify(l, {}, {r}, at).ok());
  at.time = kNow + kDay;
  EXPECT_TRUE(verify(l, {}, {r}, at).ok());
  at.time = kNow + kDay + 1;
  auto late = verify(l, {}, {r}, at);
  std::string why = rejection(late);
  EXPECT_EQ(late.error().alert, Alert::certificate_expired);
  EXPECT_TRUE(contains(why, "CN=example.com expired on 2025-06-16 15:06:40 UTC")) << why;
  at.time = kNow - kDay - 1;
  EXPECT_TRUE(contains(rejection(verify(l, {}, {r}, at)), "not valid until")) << why;
}

TEST(X509Verify, RejectsExpiredIntermediateAndRoot) {
  Node r = root();
  Node old = ca(r, "CN=Old", [](CertificateBuilder& b) { b.validity(0, kNow - kDay); });
  EXPECT_TRUE(contains(rejection(verify(leaf(old), {old}, {r})), "CN=Old expired"));
  Node expired_root =
      root("CN=Expired Root", [](CertificateBuilder& b) { b.validity(0, kNow - kDay); });
  EXPECT_TRUE(contains(rejection(verify(leaf(expired_root), {}, {expired_root})),
                       "CN=Expired Root expired"));
}

TEST(X509Verify, BacktracksPastAnExpiredCrossSignedIntermediate) {
  // "Chain of pain": the root's name and key also appear in an expired cross-certificate.
  Node r = root();
  Node r2 = root("CN=Second Root");
  Node cross = issue(
      "CN=Test Root", &r2, true, [](CertificateBuilder& b) { b.validity(0, kNow - kDay); }, r.key);
  auto result = verify(leaf(r), {cross}, {r2, r});
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(result->path.size(), 2u);
}

TEST(X509Verify, TriesTheNextCandidateIssuerWhenOneFails) {
  // Two certificates for the same intermediate key: one from an untrusted root (listed
  // first), one from the trusted root.
  Node trusted = root("CN=Trusted Root");
  Node untrusted = root("CN=Untrusted Root");
  auto key = new_key();
  Node via_untrusted = issue("CN=Intermediate", &untrusted, true, {}, key);
  Node via_trusted = issue("CN=Intermediate", &trusted, true, {}, key);
  auto result = verify(leaf(via_trusted), {untrusted, via_untrusted, via_trusted}, {trusted});
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(result->path[2].info().subject, "CN=Trusted Root");
}

TEST(X509Verify, TerminatesOnIssuerCycles) {
  Node r = root();
  auto key_a = new_key(), key_b = new_key();
  Node a_stub, b_stub;
  a_stub.name = name("CN=Cycle A"), a_stub.key = key_a;
  b_stub.name = name("CN=Cycle B"), b_stub.key = key_b;
  a_stub.key_id = *key_identifier(key_a->public_key()->spki());
  b_stub.key_id = *key_identifier(key_b->public_key()->spki());
  Node a = issue("CN=Cycle A", &b_stub, true, {}, key_a);
  Node b = issue("CN=Cycle B", &a_stub, true, {}, key_b);
  std::string why = rejection(verify(leaf(a), {a, b}, {r}));
  EXPECT_TRUE(contains(why, "no path to a trusted root")) << why;
}

TEST(X509Verify, HostileBundleExhaustsTheBudgetQuickly) {
  // 200 CA certificates with the leaf issuer's name, none of which signed it.
  Node r = root();
  Node real = ca(r, "CN=Evil");
  std::vector<std::shared_ptr<const Certificate>> parsed;
  std::vector<const Certificate*> pool;
  for (int i = 0; i < 200; ++i) {
    Node decoy = issue("CN=Evil", nullptr, true);
    parsed.push_back(*parse_certificate(decoy.der));
    pool.push_back(parsed.back().get());
  }
  Node l = leaf(real);
  auto leaf_cert = *parse_certificate(l.der);
  auto root_cert = *parse_certificate(r.der);
  std::vector<const Certificate*> anchors{root_cert.get()};
  PathOptions opts;
  opts.time = kNow;
  PathBudget budget;
  PathStats stats;
  auto result = build_and_validate(*leaf_cert, pool, anchors, {}, opts, budget, &stats);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().detail.find("gave up building a path"), std::string::npos)
      << result.error().detail;
  EXPECT_TRUE(stats.budget_exhausted);
  EXPECT_LE(stats.signature_checks, budget.max_signature_checks);
  // With the real intermediate among the decoys (first, as AKI/SKI agreement sorts it), the
  // path is found within budget.
  auto real_cert = *parse_certificate(real.der);
  pool.push_back(real_cert.get());
  PathStats stats2;
  auto found = build_and_validate(*leaf_cert, pool, anchors, {}, opts, budget, &stats2);
  ASSERT_TRUE(found.ok()) << found.error().detail;
  EXPECT_LE(stats2.signature_checks, 3u);
}

TEST(X509Verify, MaxDepthLimitsIntermediates) {
  Node r = root();
  Node i1 = ca(r, "CN=I1");
  Node i2 = ca(i1, "CN=I2");
  Node l = leaf(i2);
  VerifyOptions opts = options();
  opts.max_depth = 2;
  EXPECT_TRUE(verify(l, {i1, i2}, {r}, opts).ok());
  opts.max_depth = 1;
  EXPECT_TRUE(contains(rejection(verify(l, {i1, i2}, {r}, opts)), "--max-depth"));
}

TEST(X509Verify, IssuersMustBeCas) {
  Node r = root();
  Node not_ca = ca(r, "CN=Not A CA", [](CertificateBuilder& b) { b.basic_constraints(false); });
  EXPECT_TRUE(contains(rejection(verify(leaf(not_ca), {not_ca}, {r})), "not a CA"));
  Node no_bc =
      issue("CN=No BC", &r, false, [](CertificateBuilder& b) { b.key_usage(kKeyCertSign, false); });
  EXPECT_TRUE(contains(rejection(verify(leaf(no_bc), {no_bc}, {r})), "no basicConstraints"));
  Node no_cert_sign =
      ca(r, "CN=No keyCertSign", [](CertificateBuilder& b) { b.key_usage(kCrlSign, false); });
  EXPECT_TRUE(contains(rejection(verify(leaf(no_cert_sign), {no_cert_sign}, {r})), "keyCertSign"));
  Node ok_no_ku = ca(r, "CN=No KU", [](CertificateBuilder&) {});
  EXPECT_TRUE(verify(leaf(ok_no_ku), {ok_no_ku}, {r}).ok());
}

TEST(X509Verify, PathLenConstraint) {
  Node r = root();
  Node i0 = ca(r, "CN=I0", [](CertificateBuilder& b) { b.basic_constraints(true, 0); });
  EXPECT_TRUE(verify(leaf(i0), {i0}, {r}).ok());
  Node below = ca(i0, "CN=Below");
  std::string why = rejection(verify(leaf(below), {i0, below}, {r}));
  EXPECT_TRUE(contains(why, "pathLenConstraint")) << why;
  // A CA certificate as the last certificate of the path does not count (checked as a
  // client's: a server's leaf is never a CA, x509_verify_web_profile_test).
  auto ca_leaf = verify(below, {i0}, {r}, options("", Purpose::client));
  EXPECT_TRUE(ca_leaf.ok()) << ca_leaf.error().detail;
}

TEST(X509Verify, SelfIssuedIntermediatesDoNotCountForPathLen) {
  Node r = root();
  Node i1 = ca(r, "CN=I1", [](CertificateBuilder& b) { b.basic_constraints(true, 1); });
  Node rollover = ca(i1, "CN=I1", [](CertificateBuilder& b) { b.basic_constraints(true, 1); });
  Node i2 = ca(rollover, "CN=I2", [](CertificateBuilder& b) { b.basic_constraints(true, 0); });
  auto result = verify(leaf(i2), {i1, rollover, i2}, {r});
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(result->path.size(), 5u);
}

TEST(X509Verify, LeafRules) {
  Node r = root();
  Node cert_sign =
      leaf(r, [](CertificateBuilder& b) { b.key_usage(kDigitalSignature | kKeyCertSign, false); });
  EXPECT_TRUE(contains(rejection(verify(cert_sign, {}, {r})), "keyCertSign"));
  Node ca_leaf = leaf(r, [](CertificateBuilder& b) { b.basic_constraints(true); });
  EXPECT_TRUE(contains(rejection(verify(ca_leaf, {}, {r})), "CA certificate"));
  Node with_nc = leaf(r, [](CertificateBuilder& b) {
    b.name_constraints({GeneralNameSpec::dns("example.com")}, {});
  });
  EXPECT_TRUE(contains(rejection(verify(with_nc, {}, {r})), "nameConstraints"));
}

TEST(X509Verify, ExtendedKeyUsageForThePurpose) {
  Node r = root();
  Node client_only =
      leaf(r, [](CertificateBuilder& b) { b.extended_key_usage({build_oid::kEkuClientAuth}); });
  auto as_server = verify(client_only, {}, {r});
  EXPECT_TRUE(contains(rejection(as_server), "serverAuth"));
  EXPECT_EQ(as_server.error().alert, Alert::unsupported_certificate);
  EXPECT_TRUE(verify(client_only, {}, {r}, options("", Purpose::client)).ok());
  Node server_only = leaf(r);
  EXPECT_TRUE(contains(rejection(verify(server_only, {}, {r}, options("", Purpose::client))),
                       "clientAuth"));
  Node with_any = leaf(r, [](CertificateBuilder& b) {
    b.extended_key_usage({build_oid::kEkuServerAuth, build_oid::kEkuAny});
  });
  rejection(verify(with_any, {}, {r}));
  Node both = leaf(r, [](CertificateBuilder& b) {
    b.extended_key_usage({build_oid::kEkuServerAuth, build_oid::kEkuClientAuth});
  });
  EXPECT_TRUE(verify(both, {}, {r}).ok());
}

TEST(X509Verify, IntermediateEkuConstrainsTheLeaf) {
  Node r = root();
  Node client_ca = ca(r, "CN=Client CA", [](CertificateBuilder& b) {
    b.extended_key_usage({build_oid::kEkuClientAuth});
  });
  rejection(verify(leaf(client_ca), {client_ca}, {r}));
  Node server_ca = ca(r, "CN=Server CA", [](CertificateBuilder& b) {
    b.extended_key_usage({build_oid::kEkuServerAuth});
  });
  EXPECT_TRUE(verify(leaf(server_ca), {server_ca}, {r}).ok());
  Node eku_root = root("CN=EKU Root", [](CertificateBuilder& b) {
    b.extended_key_usage({build_oid::kEkuServerAuth});
  });
  rejection(verify(leaf(eku_root), {}, {eku_root}));
}

TEST(X509Verify, NameConstraintsOnDnsNames) {
  Node r = root("CN=Constrained Root", [](CertificateBuilder& b) {
    b.name_constraints({GeneralNameSpec::dns("example.com")},
                       {GeneralNameSpec::dns("bad.example.com")});
  });
  auto named = [&](std::vector<GeneralNameSpec> names) {
    return leaf(
        r, [&](CertificateBuilder& b) { b.subject_alt_names(names); }, "O=Leaf");
  };
  EXPECT_TRUE(
      verify(named({GeneralNameSpec::dns("www.example.com")}), {}, {r}, options("www.example.com"))
          .ok());
  std::string outside = rejection(
      verify(named({GeneralNameSpec::dns("example.org")}), {}, {r}, options("example.org")));
  EXPECT_TRUE(contains(outside, "outside the subtrees permitted")) << outside;
  std::string excluded = rejection(verify(
      named({GeneralNameSpec::dns("www.example.com"), GeneralNameSpec::dns("bad.example.com")}), {},
      {r}, options("www.example.com")));
  EXPECT_TRUE(contains(excluded, "exclude")) << excluded;
  // A wildcard that could match an excluded name is rejected (CVE-2025-61727).
  rejection(
      verify(named({GeneralNameSpec::dns("*.example.com")}), {}, {r}, options("bad.example.com")));
}

TEST(X509Verify, NameConstraintsApplyToIntermediatesAndNarrow) {
  Node r = root();
  Node i1 = ca(r, "CN=I1", [](CertificateBuilder& b) {
    b.name_constraints(
        {GeneralNameSpec::dns("a.example.com"), GeneralNameSpec::dns("b.example.com")}, {});
  });
  Node i2 = ca(i1, "CN=I2", [](CertificateBuilder& b) {
    b.name_constraints({GeneralNameSpec::dns("b.example.com")}, {});
  });
  auto named = [&](const Node& parent, const std::string& dns) {
    return leaf(
        parent, [&](CertificateBuilder& b) { b.subject_alt_names({GeneralNameSpec::dns(dns)}); },
        "O=Leaf");
  };
  EXPECT_TRUE(verify(named(i2, "b.example.com"), {i1, i2}, {r}, options("b.example.com")).ok());
  rejection(verify(named(i2, "a.example.com"), {i1, i2}, {r}, options("a.example.com")));
  Node bad_ca = ca(i1, "CN=Bad", [](CertificateBuilder& b) {
    b.subject_alt_names({GeneralNameSpec::dns("c.example.com")});
  });
  rejection(verify(named(bad_ca, "a.example.com"), {i1, bad_ca}, {r}, options("a.example.com")));
}

TEST(X509Verify, NameConstraintsOnIpAndDirectoryNames) {
  Node r = root("CN=Root", [](CertificateBuilder& b) {
    b.name_constraints({*ip_subtree("192.0.2.0/24"), GeneralNameSpec::directory(name("O=Example"))},
                       {});
  });
  auto make = [&](const std::string& ip_text, const std::string& subject) {
    return leaf(
        r,
        [&](CertificateBuilder& b) {
          b.subject_alt_names({GeneralNameSpec::ip(*parse_ip_literal(ip_text))});
        },
        subject);
  };
  EXPECT_TRUE(verify(make("192.0.2.1", "O=Example, OU=x"), {}, {r}, options("192.0.2.1")).ok());
  rejection(verify(make("192.0.3.1", "O=Example, OU=x"), {}, {r}, options("192.0.3.1")));
  rejection(verify(make("192.0.2.1", "O=Other, OU=x"), {}, {r}, options("192.0.2.1")));
}

TEST(X509Verify, MalformedNameConstraintsAreRejected) {
  Node r = root("CN=Root", [](CertificateBuilder& b) {
    b.name_constraints({GeneralNameSpec::dns(".example.com")}, {});
  });
  EXPECT_TRUE(contains(rejection(verify(leaf(r), {}, {r})), "malformed name constraint"));
}

TEST(X509Verify, LeafInTheTrustStoreIsAccepted) {
  Node self = issue("CN=example.com", nullptr, false);
  auto result = verify(self, {}, {self});
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(result->path.size(), 1u);
}

TEST(X509Verify, AnchorNeedsNoSelfSignatureButMustBeACa) {
  // An intermediate in the trust store is an anchor by itself.
  Node r = root();
  Node i = ca(r, "CN=Intermediate");
  auto result = verify(leaf(i), {}, {i});
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(result->path.size(), 2u);
}

TEST(X509Verify, AcceptsRsaAndRejectsWeakRsaKeys) {
  Node r = root();
  Node l = issue("CN=example.com", &r, false, {}, new_key(crypto::KeyType::rsa));
  auto accepted = verify(l, {}, {r});
  EXPECT_TRUE(accepted.ok()) << accepted.error().detail;
  // A 1024-bit RSA key (any odd modulus parses; the key is never used to verify).
  Bytes modulus(129, 0x5b);
  modulus[0] = 0x00, modulus[1] = 0xc3, modulus[128] = 0x01;
  const Bytes header = {0x30, 0x81, 0x9f, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48,
                        0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x81,
                        0x8d, 0x00, 0x30, 0x81, 0x89, 0x02, 0x81, 0x81};
  const Bytes exponent = {0x02, 0x03, 0x01, 0x00, 0x01};
  // Concatenated by resize+copy: g++ 12's -Warray-bounds misfires on vector::insert here.
  Bytes spki(header.size() + modulus.size() + exponent.size());
  std::copy(header.begin(), header.end(), spki.begin());
  std::copy(modulus.begin(), modulus.end(), spki.begin() + static_cast<long>(header.size()));
  std::copy(exponent.begin(), exponent.end(), spki.end() - static_cast<long>(exponent.size()));
  Node weak = issue("CN=example.com", &r, false, [&](CertificateBuilder& b) { b.spki(spki); });
  auto rejected = verify(weak, {}, {r});
  std::string why = rejection(rejected);
  EXPECT_TRUE(contains(why, "unusable public key")) << why;
  EXPECT_EQ(rejected.error().alert, Alert::unsupported_certificate);
}

TEST(X509Verify, CommonNameMustNotMisspellASanEntry) {
  Node r = root();
  auto with = [&](const std::string& cn, GeneralNameSpec san) {
    return leaf(
        r, [&](CertificateBuilder& b) { b.subject_alt_names({san}); }, "CN=" + cn);
  };
  EXPECT_TRUE(
      contains(rejection(verify(with("Example.COM", GeneralNameSpec::dns("example.com")), {}, {r})),
               "character-for-character"));
  auto v4 = GeneralNameSpec::ip(*parse_ip_literal("192.168.1.1"));
  rejection(verify(with("192.168.001.001", v4), {}, {r}, options("192.168.1.1")));
  EXPECT_TRUE(verify(with("192.168.1.1", v4), {}, {r}, options("192.168.1.1")).ok());
  auto v6 = GeneralNameSpec::ip(*parse_ip_literal("2001:db8::1"));
  rejection(verify(with("2001:DB8::1", v6), {}, {r}, options("2001:db8::1")));
  rejection(verify(with("2001:db8:0:0:0:0:0:1", v6), {}, {r}, options("2001:db8::1")));
  rejection(verify(
      with("test-\xe6\xb8\xac\xe8\xa9\xa6.com", GeneralNameSpec::dns("xn--test--wg5h0h.com")), {},
      {r}, options("xn--test--wg5h0h.com")));
  // A CN that is not a SAN entry at all: refused by the web profile (the default), ignored
  // by the RFC 5280 profile, where only the SAN is matched (x509_verify_web_profile_test).
  VerifyOptions rfc5280 = options();
  rfc5280.profile = VerifyProfile::rfc5280;
  rejection(verify(with("other.example.org", GeneralNameSpec::dns("example.com")), {}, {r}));
  EXPECT_TRUE(
      verify(with("other.example.org", GeneralNameSpec::dns("example.com")), {}, {r}, rfc5280)
          .ok());
}

TEST(X509Verify, EmptySubjectNeedsACriticalSan) {
  Node r = root();
  Node ok_leaf = leaf(r, [](CertificateBuilder& b) {
    b.subject(Bytes{0x30, 0x00}).subject_alt_names({GeneralNameSpec::dns("example.com")}, true);
  });
  auto accepted = verify(ok_leaf, {}, {r});
  EXPECT_TRUE(accepted.ok()) << accepted.error().detail;
  Node bad = leaf(r, [](CertificateBuilder& b) { b.subject(Bytes{0x30, 0x00}); });
  EXPECT_TRUE(contains(rejection(verify(bad, {}, {r})), "critical subjectAltName"));
  // With a subject, a critical SAN is refused (CA/Browser Forum).
  Node critical = leaf(r, [](CertificateBuilder& b) {
    b.subject_alt_names({GeneralNameSpec::dns("example.com")}, true);
  });
  rejection(verify(critical, {}, {r}));
}

TEST(X509Verify, KeyIdentifiersMustLinkWhenPresent) {
  Node r = root();
  Node no_ski = issue("CN=No SKI", &r, true, {}, nullptr, /*key_ids=*/false);
  // The leaf names its issuer's key, but the issuer has no subjectKeyIdentifier.
  EXPECT_TRUE(contains(rejection(verify(leaf(no_ski), {no_ski}, {r})), "no subjectKeyIdentifier"));
  // The issuer has a subjectKeyIdentifier but the leaf has no authorityKeyIdentifier.
  Node no_aki = issue("CN=example.com", &r, false, {}, nullptr, /*key_ids=*/false);
  EXPECT_TRUE(contains(rejection(verify(no_aki, {}, {r})), "no authorityKeyIdentifier"));
  // Neither side uses key identifiers (certificates from old toolchains): accepted.
  Node bare_root = issue("CN=Bare Root", nullptr, true, {}, nullptr, false);
  Node bare_leaf = issue("CN=example.com", &bare_root, false, {}, nullptr, false);
  auto accepted = verify(bare_leaf, {}, {bare_root});
  EXPECT_TRUE(accepted.ok()) << accepted.error().detail;
}

}  // namespace
}  // namespace tern::x509::verify_testing
