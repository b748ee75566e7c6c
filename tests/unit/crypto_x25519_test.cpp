// SPDX-License-Identifier: Apache-2.0
// tern's X25519 (src/crypto/x25519/) on every path the CPU has: RFC 7748 §5.2 (both
// vectors, 1 and 1,000 iterations; the 1,000,000-iteration value is checked by
// `bench_x25519 --rfc7748-million`, too slow for CI) and §6.1, every case of the four
// Wycheproof x25519 files (raw, ASN.1 DER, PEM and JWK keys, decoded here), random
// differential runs against libcrypto, and the checked-in fixed-base table recomputed.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <ostream>
#include <string>

#include "crypto/x25519/impl.h"
#include "crypto/x25519/x25519.h"
#include "crypto_test_util.h"

namespace tern::crypto::x25519 {
inline void PrintTo(Implementation i, std::ostream* os) { *os << implementation_name(i); }

namespace {

using test::jhex;
using test::unhex;

class X25519 : public ::testing::TestWithParam<Implementation> {
 protected:
  void SetUp() override {
    saved_ = implementation();
    if (!set_implementation(GetParam())) {
      GTEST_SKIP() << "this CPU cannot run the " << implementation_name(GetParam()) << " path";
    }
  }
  void TearDown() override { set_implementation(saved_); }

 private:
  Implementation saved_ = Implementation::portable;
};

INSTANTIATE_TEST_SUITE_P(, X25519,
                         ::testing::Values(Implementation::portable, Implementation::adx),
                         [](const ::testing::TestParamInfo<Implementation>& p) {
                           return std::string(implementation_name(p.param));
                         });

Bytes x25519(BytesView k, BytesView u, bool* nonzero = nullptr) {
  EXPECT_EQ(k.size(), 32u);
  EXPECT_EQ(u.size(), 32u);
  Bytes out(32);
  if (k.size() != 32 || u.size() != 32) return out;
  const bool ok = shared_secret(out.data(), k.data(), u.data());
  if (nonzero) *nonzero = ok;
  return out;
}

Bytes base(BytesView k) {
  Bytes out(32);
  if (k.size() == 32) public_key(out.data(), k.data());
  return out;
}

const std::string& rfc7748() {
  static const std::string text = test::read_text(test::reference_dir() + "/rfc/rfc7748.txt");
  return text;
}

// The hex on the line after `label`, searching from `from`; `at` moves past it.
Bytes hex_after(const std::string& text, size_t& at, const std::string& label) {
  at = text.find(label, at);
  EXPECT_NE(at, std::string::npos) << label;
  if (at == std::string::npos) return {};
  const size_t start = text.find('\n', at) + 1;
  std::string line = text.substr(start, text.find('\n', start) - start);
  line.erase(0, line.find_first_not_of(' '));
  at = start;
  return unhex(line);
}

TEST_P(X25519, Rfc7748Section52Vectors) {
  const std::string& text = rfc7748();
  size_t at = text.find("\n5.2.  Test Vectors\n");
  ASSERT_NE(at, std::string::npos);
  const size_t x448 = text.find("X448:", at);
  int checked = 0;
  for (int i = 0; i < 2; ++i) {
    const Bytes k = hex_after(text, at, "Input scalar:");
    const Bytes u = hex_after(text, at, "Input u-coordinate:");
    const Bytes out = hex_after(text, at, "Output u-coordinate:");
    ASSERT_LT(at, x448);
    ASSERT_EQ(out.size(), 32u);
    EXPECT_EQ(x25519(k, u), out) << "vector " << i;
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

// k = X25519(k, u), u = old k, from k = u = 9: after 1 and 1,000 iterations.
TEST_P(X25519, Rfc7748Section52Iterations) {
  const std::string& text = rfc7748();
  size_t at = text.find("The second type of test vector");
  ASSERT_NE(at, std::string::npos);
  at = text.find("   X25519:\n", at);
  const Bytes one = hex_after(text, at, "After one iteration:");
  const Bytes thousand = hex_after(text, at, "After 1,000 iterations:");
  ASSERT_EQ(one.size(), 32u);
  ASSERT_EQ(thousand.size(), 32u);
  Bytes k(32, 0), u(32, 0);
  k[0] = u[0] = 9;
  for (int i = 1; i <= 1000; ++i) {
    Bytes next = x25519(k, u);
    u = k;
    k = next;
    if (i == 1) {
      EXPECT_EQ(k, one);
    }
  }
  EXPECT_EQ(k, thousand);
}

TEST_P(X25519, Rfc7748Section61) {
  const std::string& text = rfc7748();
  size_t at = text.find("\n6.1.  Curve25519\n");
  ASSERT_NE(at, std::string::npos);
  const Bytes a = hex_after(text, at, "Alice's private key, a:");
  const Bytes ka = hex_after(text, at, "Alice's public key, X25519(a, 9):");
  const Bytes b = hex_after(text, at, "Bob's private key, b:");
  const Bytes kb = hex_after(text, at, "Bob's public key, X25519(b, 9):");
  const Bytes k = hex_after(text, at, "Their shared secret, K:");
  ASSERT_EQ(k.size(), 32u);
  EXPECT_EQ(base(a), ka);
  EXPECT_EQ(base(b), kb);
  bool nonzero = false;
  EXPECT_EQ(x25519(a, kb, &nonzero), k);
  EXPECT_TRUE(nonzero);
  EXPECT_EQ(x25519(b, ka, &nonzero), k);
  EXPECT_TRUE(nonzero);
}

// One Wycheproof case on raw keys: the shared value, and the all-zero ones refused.
void check_raw(const nlohmann::json& t, BytesView priv, BytesView pub) {
  SCOPED_TRACE(test::describe(t));
  const Bytes want = jhex(t["shared"]);
  ASSERT_EQ(want.size(), 32u);
  bool nonzero = false;
  const Bytes got = x25519(priv, pub, &nonzero);
  EXPECT_EQ(got, want);
  const bool all_zero = std::all_of(want.begin(), want.end(), [](uint8_t c) { return c == 0; });
  EXPECT_EQ(nonzero, !all_zero);
  if (all_zero) {
    EXPECT_TRUE(test::has_flag(t, "ZeroSharedSecret"));
  }
}

template <typename Fn>
int for_each_case(const std::string& file, Fn fn) {
  nlohmann::json j = test::wycheproof(file);
  int count = 0;
  for (const auto& group : j["testGroups"]) {
    for (const auto& t : group["tests"]) {
      fn(t);
      ++count;
    }
  }
  EXPECT_EQ(count, j["numberOfTests"].get<int>()) << file;
  return count;
}

TEST_P(X25519, WycheproofRaw) {
  int zero = 0;
  const int n = for_each_case("x25519_test", [&](const nlohmann::json& t) {
    EXPECT_NE(t["result"], "invalid");  // every raw case has a defined answer
    check_raw(t, jhex(t["private"]), jhex(t["public"]));
    if (test::has_flag(t, "ZeroSharedSecret")) ++zero;
  });
  EXPECT_EQ(n, 518);
  EXPECT_GT(zero, 0);
}

// The only DER forms of X25519 keys (RFC 8410): SubjectPublicKeyInfo and PKCS #8 v1
// without attributes, each a fixed prefix then the 32 raw bytes. Anything else (another
// algorithm's key, a private key not wrapped in its inner OCTET STRING) is not an X25519
// key, which is what the "invalid" cases are.
constexpr std::string_view kSpkiPrefix = "302a300506032b656e032100";
constexpr std::string_view kPkcs8Prefix = "302e020100300506032b656e04220420";

std::optional<Bytes> strip(BytesView der, std::string_view hex_prefix) {
  const Bytes prefix = unhex(hex_prefix);
  if (der.size() != prefix.size() + 32 || !std::equal(prefix.begin(), prefix.end(), der.begin())) {
    return std::nullopt;
  }
  return Bytes(der.begin() + static_cast<std::ptrdiff_t>(prefix.size()), der.end());
}

void check_der(const nlohmann::json& t, BytesView spki, BytesView pkcs8, int& invalid) {
  auto pub = strip(spki, kSpkiPrefix);
  auto priv = strip(pkcs8, kPkcs8Prefix);
  if (!pub || !priv) {
    EXPECT_EQ(t["result"], "invalid") << test::describe(t);
    ++invalid;
    return;
  }
  EXPECT_NE(t["result"], "invalid") << test::describe(t);
  check_raw(t, *priv, *pub);
}

TEST_P(X25519, WycheproofAsn) {
  int invalid = 0;
  const int n = for_each_case("x25519_asn_test", [&](const nlohmann::json& t) {
    check_der(t, jhex(t["public"]), jhex(t["private"]), invalid);
  });
  EXPECT_EQ(n, 537);
  EXPECT_EQ(invalid, 19);
}

Bytes pem_body(const std::string& pem, std::string_view label) {
  auto blocks = base::parse_pem(pem);
  EXPECT_TRUE(blocks.ok());
  if (!blocks.ok() || blocks->size() != 1 || (*blocks)[0].label != label) return {};
  return (*blocks)[0].der;
}

TEST_P(X25519, WycheproofPem) {
  int invalid = 0;
  const int n = for_each_case("x25519_pem_test", [&](const nlohmann::json& t) {
    check_der(t, pem_body(t["public"].get<std::string>(), "PUBLIC KEY"),
              pem_body(t["private"].get<std::string>(), "PRIVATE KEY"), invalid);
  });
  EXPECT_EQ(n, 518);
  EXPECT_EQ(invalid, 0);
}

// RFC 8037 OKP key: kty "OKP", crv "X25519", x (and d) base64url without padding.
std::optional<Bytes> base64url(const nlohmann::json& v) {
  if (!v.is_string()) return std::nullopt;
  std::string s = v.get<std::string>();
  std::replace(s.begin(), s.end(), '-', '+');
  std::replace(s.begin(), s.end(), '_', '/');
  while (s.size() % 4 != 0) s += '=';
  auto b = base::unbase64(s);
  if (!b || b->size() != 32) return std::nullopt;
  return b;
}

std::optional<Bytes> jwk_field(const nlohmann::json& key, const char* field) {
  if (!key.is_object() || key.value("kty", "") != "OKP" || key.value("crv", "") != "X25519" ||
      !key.contains(field)) {
    return std::nullopt;
  }
  return base64url(key[field]);
}

TEST_P(X25519, WycheproofJwk) {
  int invalid = 0;
  const int n = for_each_case("x25519_jwk_test", [&](const nlohmann::json& t) {
    auto pub = jwk_field(t["public"], "x");
    auto priv = jwk_field(t["private"], "d");
    auto own_pub = jwk_field(t["private"], "x");
    ASSERT_TRUE(priv && own_pub) << test::describe(t);
    // The private JWK carries its own public key: a fixed-base check for free.
    EXPECT_EQ(base(*priv), *own_pub) << test::describe(t);
    if (!pub) {
      EXPECT_EQ(t["result"], "invalid") << test::describe(t);
      ++invalid;
      return;
    }
    EXPECT_NE(t["result"], "invalid") << test::describe(t);
    check_raw(t, *priv, *pub);
  });
  EXPECT_EQ(n, 531);
  EXPECT_EQ(invalid, 13);
}

// libcrypto's X25519 for the same inputs; false when it refuses (all-zero result).
bool libcrypto_x25519(uint8_t out[32], const uint8_t k[32], const uint8_t u[32]) {
  EVP_PKEY* priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, k, 32);
  EVP_PKEY* pub = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, u, 32);
  EVP_PKEY_CTX* ctx = priv ? EVP_PKEY_CTX_new(priv, nullptr) : nullptr;
  size_t len = 32;
  const bool ok = ctx && pub && EVP_PKEY_derive_init(ctx) == 1 &&
                  EVP_PKEY_derive_set_peer(ctx, pub) == 1 &&
                  EVP_PKEY_derive(ctx, out, &len) == 1 && len == 32;
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(pub);
  EVP_PKEY_free(priv);
  return ok;
}

bool libcrypto_public(uint8_t out[32], const uint8_t k[32]) {
  EVP_PKEY* priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, k, 32);
  size_t len = 32;
  const bool ok = priv && EVP_PKEY_get_raw_public_key(priv, out, &len) == 1 && len == 32;
  EVP_PKEY_free(priv);
  return ok;
}

TEST_P(X25519, DifferentialAgainstLibcrypto) {
  for (int i = 0; i < 2000; ++i) {
    uint8_t k[32], u[32], want[32], got[32];
    ASSERT_EQ(RAND_bytes(k, 32), 1);
    ASSERT_EQ(RAND_bytes(u, 32), 1);
    ASSERT_TRUE(libcrypto_public(want, k));
    public_key(got, k);
    ASSERT_TRUE(std::equal(got, got + 32, want)) << "public key, case " << i;
    const bool theirs = libcrypto_x25519(want, k, u);
    const bool ours = shared_secret(got, k, u);
    ASSERT_EQ(ours, theirs) << "case " << i;
    if (ours) {
      ASSERT_TRUE(std::equal(got, got + 32, want)) << "shared secret, case " << i;
    }
  }
}

// The fixed-base scalar multiplication against the ladder at u = 9, for scalars whose
// signed radix-16 digits reach the extremes (all 0x88.., 0xff.., 0x00..).
TEST_P(X25519, FixedBaseMatchesLadder) {
  Bytes nine(32, 0);
  nine[0] = 9;
  for (uint8_t fill : {0x00, 0x08, 0x77, 0x80, 0x88, 0xf8, 0xff}) {
    Bytes k(32, fill);
    EXPECT_EQ(base(k), x25519(k, nine)) << int{fill};
  }
}

TEST(X25519Table, BaseTableIsRecomputed) {
  static BaseTable computed;
  compute_base_table(computed);
  for (int i = 0; i < 32; ++i) {
    for (int j = 0; j < 8; ++j) {
      const EdNiels& a = computed[i][j];
      const EdNiels& b = kBaseTable[i][j];
      EXPECT_TRUE(std::equal(a.ypx.v, a.ypx.v + 4, b.ypx.v) &&
                  std::equal(a.ymx.v, a.ymx.v + 4, b.ymx.v) &&
                  std::equal(a.xy2d.v, a.xy2d.v + 4, b.xy2d.v))
          << "entry " << i << "," << j;
    }
  }
}

TEST(X25519Table, ImplementationNames) {
  EXPECT_STREQ(implementation_name(Implementation::portable), "portable");
  EXPECT_STREQ(implementation_name(Implementation::adx), "adx");
  EXPECT_FALSE(set_implementation(Implementation::ifma));  // no IFMA path (x25519.h)
}

}  // namespace
}  // namespace tern::crypto::x25519
