// SPDX-License-Identifier: Apache-2.0
// The verification profiles (web, the default, and rfc5280), the limits on peer keys, and
// path-building rules about trust anchors: issue 15, items 8 and 17-20.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "base/encoding.h"
#include "x509/hostname.h"
#include "x509/verify.h"
#include "x509_verify_fixture.h"

namespace tern::x509::verify_testing {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

VerifyOptions with_profile(VerifyProfile profile, const std::string& hostname = "example.com") {
  VerifyOptions opts = options(hostname);
  opts.profile = profile;
  return opts;
}

// --- DER for hand-made RSA keys (never used to sign: only their size and exponent count).

Bytes der(uint8_t tag, const Bytes& contents) {
  Bytes out{tag};
  size_t n = contents.size();
  if (n < 0x80) {
    out.push_back(static_cast<uint8_t>(n));
  } else {
    Bytes len;
    for (; n; n >>= 8) len.insert(len.begin(), static_cast<uint8_t>(n & 0xff));
    out.push_back(static_cast<uint8_t>(0x80 | len.size()));
    out.insert(out.end(), len.begin(), len.end());
  }
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// An RSA SubjectPublicKeyInfo with an odd modulus of exactly `bits` bits (pseudo-random
// from `seed`) and the public exponent `exponent` (big-endian, positive).
Bytes rsa_spki(size_t bits, const Bytes& exponent, uint32_t seed = 1) {
  Bytes modulus((bits + 7) / 8);
  for (auto& b : modulus) {
    seed = seed * 1664525u + 1013904223u;
    b = static_cast<uint8_t>(seed >> 24);
  }
  unsigned top_bits = bits % 8 == 0 ? 8 : bits % 8;
  modulus[0] = static_cast<uint8_t>((modulus[0] & ((1u << top_bits) - 1)) | (1u << (top_bits - 1)));
  modulus.back() |= 1;
  if (modulus[0] & 0x80) modulus.insert(modulus.begin(), 0x00);
  Bytes e = exponent;
  if (e[0] & 0x80) e.insert(e.begin(), 0x00);
  const Bytes algorithm = der(0x30, cat({der(0x06, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
                                                    0x01, 0x01}),
                                         Bytes{0x05, 0x00}}));
  Bytes key = der(0x30, cat({der(0x02, modulus), der(0x02, e)}));
  return der(0x30, cat({algorithm, der(0x03, cat({Bytes{0x00}, key}))}));
}

const Bytes kF4 = {0x01, 0x00, 0x01};  // 65537

// --- Item 17: a CA certificate is never a server's end-entity certificate. -------------

TEST(X509WebProfile, CaCertificateIsNeverAServerLeaf) {
  Node r = root();
  Node ca_leaf = issue("CN=example.com", &r, true, [](CertificateBuilder& b) {
    b.extended_key_usage({build_oid::kEkuServerAuth})
        .subject_alt_names({GeneralNameSpec::dns("example.com")});
  });
  for (VerifyProfile profile : {VerifyProfile::web, VerifyProfile::rfc5280}) {
    std::string why = rejection(verify(ca_leaf, {}, {r}, with_profile(profile)));
    EXPECT_TRUE(contains(why, "is a CA certificate")) << why;
  }
  // The same certificate with cA=FALSE is accepted.
  Node ee = issue("CN=example.com", &r, false);
  EXPECT_TRUE(verify(ee, {}, {r}).ok());
}

// --- Item 18: a wildcard over a public suffix matches nothing. --------------------------

TEST(X509WebProfile, WildcardOverAPublicSuffixNeverMatches) {
  EXPECT_FALSE(dns_name_matches("*.co.uk", "example.co.uk"));
  EXPECT_FALSE(dns_name_matches("*.CO.UK", "example.co.uk"));
  EXPECT_FALSE(dns_name_matches("*.s3.amazonaws.com", "bucket.s3.amazonaws.com"));  // private
  EXPECT_FALSE(dns_name_matches("*.github.io", "someone.github.io"));
  EXPECT_TRUE(wildcard_covers_public_suffix("*.co.uk."));
  EXPECT_FALSE(wildcard_covers_public_suffix("*.example.co.uk"));
  EXPECT_TRUE(dns_name_matches("*.example.co.uk", "www.example.co.uk"));
  EXPECT_TRUE(dns_name_matches("*.example.com", "www.example.com"));

  Node r = root();
  Node l = leaf(r, [](CertificateBuilder& b) {
    b.subject_alt_names({GeneralNameSpec::dns("*.co.uk")});
  }, "CN=*.co.uk");
  for (VerifyProfile profile : {VerifyProfile::web, VerifyProfile::rfc5280}) {
    std::string why = rejection(verify(l, {}, {r}, with_profile(profile, "example.co.uk")));
    EXPECT_TRUE(contains(why, "wildcard over a public suffix")) << why;
  }
}

// --- Item 19: the web profile's rules, and rfc5280's leniency. --------------------------

TEST(X509WebProfile, ServerLeafNeedsExtendedKeyUsageInTheWebProfile) {
  Node r = root();
  Node no_eku = leaf(r, [](CertificateBuilder& b) { b.remove_extension(oid::kExtKeyUsage); });
  std::string why = rejection(verify(no_eku, {}, {r}));  // the default profile is web
  EXPECT_TRUE(contains(why, "no extendedKeyUsage")) << why;
  auto lenient = verify(no_eku, {}, {r}, with_profile(VerifyProfile::rfc5280));
  EXPECT_TRUE(lenient.ok()) << lenient.error().detail;
  // anyExtendedKeyUsage alone: any purpose for RFC 5280, not serverAuth for the web.
  Node any = leaf(r, [](CertificateBuilder& b) { b.extended_key_usage({build_oid::kEkuAny}); });
  rejection(verify(any, {}, {r}));
  EXPECT_TRUE(verify(any, {}, {r}, with_profile(VerifyProfile::rfc5280)).ok());
  // Client certificates keep their rule: no EKU means any purpose.
  Node client = leaf(r, [](CertificateBuilder& b) { b.remove_extension(oid::kExtKeyUsage); });
  EXPECT_TRUE(verify(client, {}, {r}, options("", Purpose::client)).ok());
}

TEST(X509WebProfile, CommonNameMustBeOneOfTheSanEntries) {
  Node r = root();
  auto with = [&](const std::string& cn, GeneralNameSpec san) {
    return leaf(r, [&](CertificateBuilder& b) { b.subject_alt_names({san}); }, "CN=" + cn);
  };
  auto v4 = GeneralNameSpec::ip(*parse_ip_literal("192.168.1.1"));
  struct Case {
    std::string cn;
    GeneralNameSpec san;
    std::string hostname, says;
  };
  const Case cases[] = {
      {"notinsan.example.com", GeneralNameSpec::dns("valid.example.com"), "valid.example.com",
       "not among its subjectAltName"},
      {"xn--nxasmq6b.com", GeneralNameSpec::dns("xn--n3h.com"), "xn--n3h.com", "not among"},
      {"test-\xe6\xb8\xac\xe8\xa9\xa6.com", GeneralNameSpec::dns("xn--test--wg5h0h.com"),
       "xn--test--wg5h0h.com", "A-label"},
      {"0xC0A80101", v4, "192.168.1.1", "canonical text"},
      {"0300.0250.01.01", v4, "192.168.1.1", "canonical text"},
      {"3232235777", v4, "192.168.1.1", "canonical text"},
      {"192.168.001.001", v4, "192.168.1.1", "canonical text"},
      {"Example.COM", GeneralNameSpec::dns("example.com"), "example.com", "character-for-char"},
  };
  for (const Case& c : cases) {
    Node l = with(c.cn, c.san);
    std::string why = rejection(verify(l, {}, {r}, options(c.hostname)));
    EXPECT_TRUE(contains(why, c.says)) << c.cn << ": " << why;
    auto lenient = verify(l, {}, {r}, with_profile(VerifyProfile::rfc5280, c.hostname));
    EXPECT_TRUE(lenient.ok()) << c.cn << ": " << lenient.error().detail;
  }
  EXPECT_TRUE(verify(with("192.168.1.1", v4), {}, {r}, options("192.168.1.1")).ok());
  auto v6 = GeneralNameSpec::ip(*parse_ip_literal("2001:db8::1"));
  EXPECT_TRUE(verify(with("2001:db8::1", v6), {}, {r}, options("2001:db8::1")).ok());
  rejection(verify(with("2001:DB8::1", v6), {}, {r}, options("2001:db8::1")));
  // A leaf without a CN has nothing to check.
  EXPECT_TRUE(verify(leaf(r, {}, "O=Example"), {}, {r}).ok());
  // A CN that names no host (a label, no dot) cannot pass for a name: tolerated.
  EXPECT_TRUE(verify(with("My Server", GeneralNameSpec::dns("example.com")), {}, {r}).ok());
  EXPECT_TRUE(verify(with("x509-limbo-ee", GeneralNameSpec::dns("example.com")), {}, {r}).ok());
}

TEST(X509WebProfile, UnderscoreInADnsNameIsRefusedByTheWebProfile) {
  Node r = root();
  Node l = leaf(r, [](CertificateBuilder& b) {
    b.subject_alt_names({GeneralNameSpec::dns("my_host.example.com")});
  }, "O=Example");
  std::string why = rejection(verify(l, {}, {r}, options("my_host.example.com")));
  EXPECT_TRUE(contains(why, "underscore")) << why;
  auto lenient = verify(l, {}, {r}, with_profile(VerifyProfile::rfc5280, "my_host.example.com"));
  EXPECT_TRUE(lenient.ok()) << lenient.error().detail;
}

TEST(X509WebProfile, RsaModulusMustBeWholeBytesInTheWebProfile) {
  Node r = root();
  Node odd = leaf(r, [](CertificateBuilder& b) { b.spki(rsa_spki(2052, kF4)); });
  auto refused = verify(odd, {}, {r});
  std::string why = rejection(refused);
  EXPECT_TRUE(contains(why, "2052 bits, not a whole number of bytes")) << why;
  auto lenient = verify(odd, {}, {r}, with_profile(VerifyProfile::rfc5280));
  EXPECT_TRUE(lenient.ok()) << lenient.error().detail;
  Node whole = leaf(r, [](CertificateBuilder& b) { b.spki(rsa_spki(2056, kF4)); });
  EXPECT_TRUE(verify(whole, {}, {r}).ok());
}

// --- Item 8: peer RSA keys are bounded before they verify anything. ---------------------

TEST(X509WebProfile, RsaKeySizeAndExponentAreBounded) {
  Node r = root();
  struct Case {
    size_t bits;
    Bytes exponent;
    const char* says;  // nullptr: accepted
  };
  const Case cases[] = {
      {8192, kF4, nullptr},
      {8192, {0xff, 0xff, 0xff, 0xff}, nullptr},  // 2^32 - 1
      {2048, {0x03}, nullptr},
      {8200, kF4, "at most 8192"},
      {16384, kF4, "at most 8192"},
      {2048, {0x01, 0x00, 0x00, 0x00, 0x01}, "over 2^32"},  // 2^32 + 1
      {2048, {0x01, 0x00, 0x02}, "even or below 3"},          // 65538
      {2048, {0x01}, "even or below 3"},
  };
  for (const Case& c : cases) {
    for (VerifyProfile profile : {VerifyProfile::web, VerifyProfile::rfc5280}) {
      Node l = leaf(r, [&](CertificateBuilder& b) { b.spki(rsa_spki(c.bits, c.exponent)); });
      auto result = verify(l, {}, {r}, with_profile(profile));
      if (!c.says) {
        EXPECT_TRUE(result.ok()) << c.bits << ": " << result.error().detail;
        continue;
      }
      std::string why = rejection(result);
      EXPECT_TRUE(contains(why, c.says)) << c.bits << ": " << why;
      EXPECT_EQ(result.error().alert, Alert::unsupported_certificate);
    }
  }
}

// The chain of issue 15 item 8: many CA certificates with the leaf's issuer name and huge
// RSA keys, none of which signed it. Returns the stats; prints the time taken (a figure for
// the reader, never asserted: the machine may be shared).
PathStats run_hostile_chain(size_t decoys, size_t bits, const Bytes& exponent,
                            const char* label) {
  Node r = root();
  // The leaf claims an RSA signature as long as the decoys' moduli, so every check is a full
  // modular exponentiation (a signature of another length or algorithm fails early).
  Node real = issue("CN=Hostile", &r, true, {}, new_key(crypto::KeyType::rsa));
  std::vector<std::shared_ptr<const Certificate>> parsed;
  std::vector<const Certificate*> pool;
  for (size_t i = 0; i < decoys; ++i) {
    Node decoy = issue("CN=Hostile", &r, true, [&](CertificateBuilder& b) {
      b.spki(rsa_spki(bits, exponent, static_cast<uint32_t>(i + 7)));
    });
    parsed.push_back(*parse_certificate(decoy.der));
    pool.push_back(parsed.back().get());
  }
  Node signed_leaf = leaf(real);
  auto unforged = *parse_certificate(signed_leaf.der);
  Bytes signature(bits / 8, 0x5a);
  signature[0] = 0x01;  // below any modulus of `bits` bits
  const Bytes sha256_with_rsa = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
  Bytes leaf_der = der(0x30, cat({Bytes(unforged->tbs.begin(), unforged->tbs.end()),
                                  sha256_with_rsa, der(0x03, cat({Bytes{0x00}, signature}))}));
  auto leaf_cert = *parse_certificate(leaf_der);
  auto root_cert = *parse_certificate(r.der);
  std::vector<const Certificate*> anchors{root_cert.get()};
  PathOptions opts;
  opts.time = kNow;
  PathStats stats;
  auto start = std::chrono::steady_clock::now();
  auto result = build_and_validate(*leaf_cert, pool, anchors, {}, opts, PathBudget{}, &stats);
  auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  EXPECT_FALSE(result.ok());
  std::printf("[ measure  ] %s: %zu decoys, %zu signature checks, %zu candidates, %.1f ms\n",
              label, decoys, stats.signature_checks, stats.candidates, elapsed.count());
  // What one check with such a key costs when nothing refuses the key first (the provider
  // may refuse some exponents itself, which is cheap).
  if (pool[0]->public_key) {
    start = std::chrono::steady_clock::now();
    (void)verify_signature(*leaf_cert, *pool[0]->public_key);
    elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
    std::printf("[ measure  ] %s: one signature check without the key limits: %.2f ms\n", label,
                elapsed.count());
  }
  return stats;
}

TEST(X509WebProfile, HostileChainOfHugeRsaKeysCostsNoSignatureCheck) {
  // 16,384-bit keys with a 64-bit exponent: each is refused before it verifies anything.
  PathStats stats =
      run_hostile_chain(30, 16384, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
                        "30 x RSA-16384, e = 2^64 - 1");
  EXPECT_EQ(stats.signature_checks, 0u);
}

TEST(X509WebProfile, HostileChainAtTheKeyLimitsStaysWithinTheBudget) {
  // The worst keys still accepted (8192 bits, e = 2^32 - 1), more of them than the budget.
  PathBudget budget;
  PathStats stats = run_hostile_chain(budget.max_signature_checks + 20, 8192,
                                      {0xff, 0xff, 0xff, 0xff}, "RSA-8192, e = 2^32 - 1");
  EXPECT_TRUE(stats.budget_exhausted);
  EXPECT_EQ(stats.signature_checks, budget.max_signature_checks);
}

// --- Item 20: what was wrongly refused. -------------------------------------------------

TEST(X509WebProfile, AnAnchorIsTrustedWhateverItsIssuerAndAuthorityKeyId) {
  Node r = root();
  // An intermediate in the store without any key identifiers (not self-issued, no AKI).
  Node bare = issue("CN=Bare Intermediate", &r, true, {}, nullptr, /*key_ids=*/false);
  Node l = issue("CN=example.com", &bare, false, {}, nullptr, false);
  auto accepted = verify(l, {bare}, {bare, r});
  ASSERT_TRUE(accepted.ok()) << accepted.error().detail;
  EXPECT_EQ(accepted->path.size(), 2u);  // building stopped at the certificate in the store
  // A self-signed root whose authorityKeyIdentifier is not its subjectKeyIdentifier.
  Node odd_root = root("CN=Odd Root", [](CertificateBuilder& b) {
    b.authority_key_id(Bytes(20, 0x42));
  });
  auto odd = verify(leaf(odd_root), {}, {odd_root});
  EXPECT_TRUE(odd.ok()) << odd.error().detail;
  // An anchor whose issuer name is empty.
  Node no_issuer = root("CN=No Issuer Root", [](CertificateBuilder& b) {
    b.issuer(Bytes{0x30, 0x00});
  });
  auto empty_issuer = verify(leaf(no_issuer), {}, {no_issuer});
  EXPECT_TRUE(empty_issuer.ok()) << empty_issuer.error().detail;
  // An intermediate anchor with an EKU is fine (the root rule is for roots).
  Node eku_ca = ca(r, "CN=EKU CA", [](CertificateBuilder& b) {
    b.extended_key_usage({build_oid::kEkuServerAuth});
  });
  auto with_eku = verify(leaf(eku_ca), {}, {eku_ca});
  EXPECT_TRUE(with_eku.ok()) << with_eku.error().detail;
}

TEST(X509WebProfile, UnknownCriticalExtensionFailsOnlyThePathThatUsesIt) {
  Node good_root = root("CN=Good Root");
  Node odd_root = root("CN=Odd Root", [](CertificateBuilder& b) {
    b.extension(encode_oid("1.2.3.4.5"), true, {0x05, 0x00});
  });
  // Both parse together, as one bundle.
  std::string pem = base::to_pem("CERTIFICATE", odd_root.der) +
                    base::to_pem("CERTIFICATE", good_root.der);
  auto bundle = tern::Certificate::parse_all(as_bytes(pem));
  ASSERT_TRUE(bundle.ok()) << bundle.error().detail;
  EXPECT_EQ(bundle->size(), 2u);
  EXPECT_TRUE(verify(leaf(good_root), {}, {odd_root, good_root}).ok());
  std::string why = rejection(verify(leaf(odd_root), {}, {odd_root, good_root}));
  EXPECT_TRUE(contains(why, "critical extension 1.2.3.4.5")) << why;
  // The same for an intermediate, and for the leaf itself.
  Node odd_ca = ca(good_root, "CN=Odd CA", [](CertificateBuilder& b) {
    b.extension(encode_oid("1.2.3.4.5"), true, {0x05, 0x00});
  });
  Node good_ca = ca(good_root, "CN=Good CA");
  EXPECT_TRUE(verify(leaf(good_ca), {odd_ca, good_ca}, {good_root}).ok());
  rejection(verify(leaf(odd_ca), {odd_ca, good_ca}, {good_root}));
  Node odd_leaf = leaf(good_root, [](CertificateBuilder& b) {
    b.extension(encode_oid("1.2.3.4.5"), true, {0x05, 0x00});
  });
  rejection(verify(odd_leaf, {}, {good_root}));
}

TEST(X509WebProfile, MaxDepthCountsOnlyIntermediatesThatAreNotSelfIssued) {
  Node r = root();
  Node old_key = ca(r, "CN=Issuing CA");
  // Key rollover: the new key certified by the old one, same name (self-issued).
  Node new_key = ca(old_key, "CN=Issuing CA");
  Node l = leaf(new_key);
  VerifyOptions opts = options();
  opts.max_depth = 1;
  auto accepted = verify(l, {new_key, old_key}, {r}, opts);
  ASSERT_TRUE(accepted.ok()) << accepted.error().detail;
  EXPECT_EQ(accepted->path.size(), 4u);
  opts.max_depth = 0;
  EXPECT_TRUE(contains(rejection(verify(l, {new_key, old_key}, {r}, opts)), "--max-depth"));
}

}  // namespace
}  // namespace tern::x509::verify_testing
