// SPDX-License-Identifier: Apache-2.0
// tern's ECDSA P-256 verification (src/crypto/p256/): every Wycheproof
// ecdsa_secp256r1_sha256 case (DER and P1363) and the SHA-512 DER file (the digest's
// leftmost 256 bits), random signatures and corruptions of them against libcrypto's
// EVP_PKEY_verify, the two field multiplications against each other, the checked-in table
// of G's multiples recomputed, and the curve constants against libcrypto's. Every test runs
// on each implementation this CPU supports.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "crypto/p256/impl.h"
#include "crypto/p256/p256.h"
#include "crypto/p256/scalar.h"
#include "crypto_test_util.h"
#include "tern/primitives.h"

namespace tern::crypto::p256 {
namespace {

using test::jhex;

// CI also runs the unit tests unoptimised under ASan/UBSan, where a verification costs
// some hundred times more: the random comparison runs fewer signatures there.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

std::vector<Implementation> supported_implementations() {
  std::vector<Implementation> out{Implementation::portable};
  if (adx_supported()) out.push_back(Implementation::adx);
  return out;
}

// Restores the implementation in use when a test ends.
struct ImplementationGuard {
  Implementation saved = implementation();
  ~ImplementationGuard() { set_implementation(saved); }
};

Bytes digest_of(const std::string& sha, BytesView msg) {
  Bytes out;
  if (sha == "SHA-256") {
    out.resize(SHA256_DIGEST_LENGTH);
    SHA256(msg.data(), msg.size(), out.data());
  } else if (sha == "SHA-512") {
    out.resize(SHA512_DIGEST_LENGTH);
    SHA512(msg.data(), msg.size(), out.data());
  } else {
    ADD_FAILURE() << "unexpected hash " << sha;
  }
  return out;
}

// Runs one Wycheproof ECDSA file; `p1363` for raw r || s signatures, else DER. Returns the
// number of cases run. Every case is valid or invalid (these files have no "acceptable").
size_t run_wycheproof(const std::string& name, bool p1363) {
  auto file = test::wycheproof(name);
  size_t run = 0;
  for (const auto& group : file["testGroups"]) {
    auto key = parse_uncompressed_point(jhex(group["publicKey"]["uncompressed"]));
    EXPECT_TRUE(key.has_value()) << name << ": group key rejected";
    if (!key) continue;
    const std::string sha = group["sha"].get<std::string>();
    for (const auto& t : group["tests"]) {
      const std::string result = t["result"].get<std::string>();
      EXPECT_TRUE(result == "valid" || result == "invalid") << test::describe(t);
      const Bytes digest = digest_of(sha, jhex(t["msg"]));
      const Bytes sig = jhex(t["sig"]);
      uint8_t rs[64];
      bool parsed;
      if (p1363) {
        parsed = sig.size() == 64;
        if (parsed) std::memcpy(rs, sig.data(), 64);
      } else {
        parsed = parse_der_signature(sig, rs);
      }
      const bool accepted = parsed && verify_digest(digest, rs, *key);
      EXPECT_EQ(accepted, result == "valid") << name << " " << test::describe(t);
      ++run;
    }
  }
  EXPECT_EQ(run, test::number_of_tests(file)) << name;
  return run;
}

TEST(P256, WycheproofSha256Der) {
  ImplementationGuard guard;
  for (Implementation impl : supported_implementations()) {
    SCOPED_TRACE(implementation_name(impl));
    ASSERT_TRUE(set_implementation(impl));
    EXPECT_EQ(run_wycheproof("ecdsa_secp256r1_sha256_test", false), 484u);
  }
}

TEST(P256, WycheproofSha256P1363) {
  ImplementationGuard guard;
  for (Implementation impl : supported_implementations()) {
    SCOPED_TRACE(implementation_name(impl));
    ASSERT_TRUE(set_implementation(impl));
    EXPECT_GT(run_wycheproof("ecdsa_secp256r1_sha256_p1363_test", true), 0u);
  }
}

TEST(P256, WycheproofSha512Der) {
  ImplementationGuard guard;
  for (Implementation impl : supported_implementations()) {
    SCOPED_TRACE(implementation_name(impl));
    ASSERT_TRUE(set_implementation(impl));
    EXPECT_GT(run_wycheproof("ecdsa_secp256r1_sha512_test", false), 0u);
  }
}

// --- against libcrypto ---------------------------------------------------------------

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

Bytes public_point_of(EVP_PKEY* key) {
  Bytes point(65);
  size_t len = 0;
  EXPECT_EQ(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                            point.size(), &len),
            1);
  EXPECT_EQ(len, 65u);
  return point;
}

Bytes libcrypto_sign(EVP_PKEY* key, BytesView digest) {
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  size_t len = 0;
  EXPECT_EQ(EVP_PKEY_sign_init(ctx.get()), 1);
  EXPECT_EQ(EVP_PKEY_sign(ctx.get(), nullptr, &len, digest.data(), digest.size()), 1);
  Bytes sig(len);
  EXPECT_EQ(EVP_PKEY_sign(ctx.get(), sig.data(), &len, digest.data(), digest.size()), 1);
  sig.resize(len);
  return sig;
}

bool libcrypto_verify(EVP_PKEY* key, BytesView digest, BytesView der) {
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (EVP_PKEY_verify_init(ctx.get()) != 1) return false;
  const bool ok = EVP_PKEY_verify(ctx.get(), der.data(), der.size(), digest.data(),
                                  digest.size()) == 1;
  ERR_clear_error();
  return ok;
}

// DER of r || s (any 256-bit values), as libcrypto encodes it.
Bytes der_of(const uint8_t rs[64]) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(rs, 32, nullptr), BN_bin2bn(rs + 32, 32, nullptr));
  unsigned char* out = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &out);
  Bytes der(out, out + (len > 0 ? len : 0));
  OPENSSL_free(out);
  ECDSA_SIG_free(sig);
  return der;
}

struct DifferentialCase {
  Bytes point, digest, der;
  bool libcrypto_accepts;
};

// Random keys and digests (20 to 64 bytes: shorter and longer than n) signed by libcrypto;
// for each, the signature, a corrupted digest, a corrupted r or s, (r, n - s) (the other
// valid signature of the pair) and the signature under another key, each with libcrypto's
// verdict.
std::vector<DifferentialCase> differential_cases(int keys, int per_key) {
  std::mt19937_64 rng(20261207);
  std::vector<DifferentialCase> out;
  for (int k = 0; k < keys; ++k) {
    Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    Pkey other(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key || !other) {
      ADD_FAILURE() << "keygen failed";
      return out;
    }
    const Bytes point = public_point_of(key.get()), other_point = public_point_of(other.get());
    for (int i = 0; i < per_key; ++i) {
      Bytes digest(20 + rng() % 45);
      for (auto& b : digest) b = static_cast<uint8_t>(rng());
      const Bytes der = libcrypto_sign(key.get(), digest);
      uint8_t rs[64], bad[64];
      EXPECT_TRUE(parse_der_signature(der, rs));
      auto add = [&](const Bytes& p, EVP_PKEY* pkey, const Bytes& d, const Bytes& sig) {
        out.push_back({p, d, sig, libcrypto_verify(pkey, d, sig)});
      };
      add(point, key.get(), digest, der);
      Bytes bad_digest = digest;  // a bit within the leftmost 256, which are all that count
      bad_digest[rng() % std::min<size_t>(32, digest.size())] ^= uint8_t(1u << (rng() % 8));
      add(point, key.get(), bad_digest, der);
      std::memcpy(bad, rs, 64);
      bad[rng() % 64] ^= uint8_t(1u << (rng() % 8));
      add(point, key.get(), digest, der_of(bad));
      Scalar s, neg;
      limbs_from_be(s.v, rs + 32);
      sub256(neg.v, kN.v, s.v);
      std::memcpy(bad, rs, 32);
      limbs_to_be(bad + 32, neg.v);
      add(point, key.get(), digest, der_of(bad));
      add(other_point, other.get(), digest, der);
    }
  }
  return out;
}

TEST(P256, RandomAgainstLibcrypto) {
  ImplementationGuard guard;
  // 4,000 cases per path (400 under the sanitizers).
  constexpr int kKeys = kSanitized ? 4 : 8, kPerKey = kSanitized ? 20 : 100;
  const auto cases = differential_cases(kKeys, kPerKey);
  size_t accepted = 0;
  for (const auto& c : cases) accepted += c.libcrypto_accepts;
  // libcrypto accepts exactly the signatures and their (r, n - s) twins.
  EXPECT_EQ(accepted, size_t{2} * kKeys * kPerKey);
  for (Implementation impl : supported_implementations()) {
    SCOPED_TRACE(implementation_name(impl));
    ASSERT_TRUE(set_implementation(impl));
    for (size_t i = 0; i < cases.size(); ++i) {
      const auto& c = cases[i];
      auto point = parse_uncompressed_point(c.point);
      ASSERT_TRUE(point.has_value());
      uint8_t rs[64];
      const bool ours = parse_der_signature(c.der, rs) && verify_digest(c.digest, rs, *point);
      EXPECT_EQ(ours, c.libcrypto_accepts) << "case " << i;
    }
  }
}

// Through the provider, as the handshake and X.509 verify: the same verdicts and alert
// with tern's code (the default) and with TERN_CRYPTO=libcrypto's.
TEST(P256, PublicKeyVerifyBothPrimitives) {
  const tern::Primitives saved = tern::primitives();
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  ASSERT_TRUE(key);
  unsigned char* spki = nullptr;
  const int spki_len = i2d_PUBKEY(key.get(), &spki);
  ASSERT_GT(spki_len, 0);
  auto parsed = default_provider().parse_public_key(BytesView(spki, spki_len));
  OPENSSL_free(spki);
  ASSERT_TRUE(parsed.ok());
  const Bytes message = test::unhex("48656c6c6f");
  for (Hash h : {Hash::sha256, Hash::sha384, Hash::sha512}) {
    SignatureAlgorithm alg;
    alg.kind = SigKind::ecdsa;
    alg.hash = h;
    const Bytes der = libcrypto_sign(key.get(), default_provider().hash(h, message));
    Bytes padded = der;  // BER: r with a needless leading zero
    padded.insert(padded.begin() + 4, 0x00);
    padded[1] = static_cast<uint8_t>(padded[1] + 1);
    padded[3] = static_cast<uint8_t>(padded[3] + 1);
    Bytes bad = der;
    bad.back() ^= 1;
    for (tern::Primitives p : {tern::Primitives::tern, tern::Primitives::libcrypto}) {
      SCOPED_TRACE(tern::primitives_name(p));
      tern::set_primitives(p);
      EXPECT_TRUE((*parsed)->verify(alg, message, der).ok());
      for (const Bytes& sig : {bad, padded}) {
        auto r = (*parsed)->verify(alg, message, sig);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().alert, Alert::decrypt_error);
      }
    }
  }
  tern::set_primitives(saved);
}

// --- pieces ------------------------------------------------------------------------------

TEST(P256, AdxMultiplicationMatchesPortable) {
  if (!adx_supported()) GTEST_SKIP() << "no BMI2/ADX on this CPU";
  std::mt19937_64 rng(7);
  auto random_fe = [&] {
    Fe a;
    do {
      for (auto& limb : a.v) limb = rng();
    } while (!less256(a.v, kP.v));
    return a;
  };
  Fe p_minus_1 = kP;
  p_minus_1.v[0] -= 1;
  const Fe edges[] = {Fe{}, kOne, p_minus_1, Fe{{1, 0, 0, 0}}, kRR};
  std::vector<Fe> values(std::begin(edges), std::end(edges));
  for (int i = 0; i < 2000; ++i) values.push_back(random_fe());
  for (size_t i = 0; i < values.size(); ++i) {
    const Fe& a = values[i];
    const Fe& b = values[(i * 7 + 3) % values.size()];
    Fe r1, r2;
    fe_mul_portable(r1, a, b);
    fe_mul_adx(r2, a, b);
    ASSERT_TRUE(fe_equal(r1, r2)) << i;
    ASSERT_TRUE(less256(r1.v, kP.v));
  }
  for (const Fe& a : edges) {
    for (const Fe& b : edges) {
      Fe r1, r2;
      fe_mul_portable(r1, a, b);
      fe_mul_adx(r2, a, b);
      EXPECT_TRUE(fe_equal(r1, r2));
    }
  }
}

TEST(P256, SquaringMatchesMultiplication) {
  std::mt19937_64 rng(9);
  Fe p_minus_1 = kP;
  p_minus_1.v[0] -= 1;
  std::vector<Fe> values = {Fe{}, kOne, p_minus_1, Fe{{1, 0, 0, 0}}, kRR};
  for (int i = 0; i < 2000; ++i) {
    Fe a;
    do {
      for (auto& limb : a.v) limb = rng();
    } while (!less256(a.v, kP.v));
    values.push_back(a);
  }
  for (const Fe& a : values) {
    Fe product, square;
    fe_mul_portable(product, a, a);
    fe_sqr_portable(square, a);
    ASSERT_TRUE(fe_equal(product, square));
    if (adx_supported()) {
      fe_sqr_adx(square, a);
      ASSERT_TRUE(fe_equal(product, square));
    }
  }
}

// Addition and subtraction (x86-64 asm here) on the edges of [0, p) and at random.
TEST(P256, AdditionAndSubtraction) {
  Fe p_minus_1 = kP, one{{1, 0, 0, 0}}, zero{}, r;
  p_minus_1.v[0] -= 1;
  fe_add(r, p_minus_1, one);
  EXPECT_TRUE(fe_is_zero(r));
  fe_sub(r, zero, one);
  EXPECT_TRUE(fe_equal(r, p_minus_1));
  fe_add(r, p_minus_1, p_minus_1);  // 2p - 2 = p - 2
  Fe p_minus_2 = kP;
  p_minus_2.v[0] -= 2;
  EXPECT_TRUE(fe_equal(r, p_minus_2));
  fe_sub(r, p_minus_1, p_minus_1);
  EXPECT_TRUE(fe_is_zero(r));
  std::mt19937_64 rng(3);
  auto random_fe = [&] {
    Fe a;
    do {
      for (auto& limb : a.v) limb = rng();
    } while (!less256(a.v, kP.v));
    return a;
  };
  for (int i = 0; i < 2000; ++i) {
    const Fe a = random_fe(), b = i % 2 ? random_fe() : p_minus_1;
    Fe sum, back, diff, neg;
    fe_add(sum, a, b);
    ASSERT_TRUE(less256(sum.v, kP.v));
    // As integers: sum is a + b, or a + b - p.
    uint64_t plain[4];
    const uint64_t carry = add256(plain, a.v, b.v);
    if (carry || !less256(plain, kP.v)) sub256(plain, plain, kP.v);
    ASSERT_EQ(std::memcmp(plain, sum.v, 32), 0);
    fe_sub(back, sum, b);
    ASSERT_TRUE(fe_equal(back, a));
    fe_sub(diff, a, b);
    ASSERT_TRUE(less256(diff.v, kP.v));
    fe_neg(neg, b);
    fe_add(back, a, neg);
    ASSERT_TRUE(fe_equal(back, diff));
    // a - b - b by fe_sub2, and halving undoes doubling.
    Fe diff2, twice, half;
    fe_sub2(diff2, a, b, b);
    fe_add(twice, b, b);
    fe_sub(back, a, twice);
    ASSERT_TRUE(fe_equal(diff2, back));
    fe_half(half, twice);
    ASSERT_TRUE(fe_equal(half, b));
    fe_half(half, a);
    fe_add(back, half, half);
    ASSERT_TRUE(fe_equal(back, a));
    Fe thrice;
    fe_triple(thrice, b);
    fe_add(back, twice, b);
    ASSERT_TRUE(fe_equal(thrice, back));
  }
}

// Jacobian a and b are the same affine point: X1·Z2^2 == X2·Z1^2 and Y1·Z2^3 == Y2·Z1^3.
template <class C>
bool same_point(const Jacobian& a, const Jacobian& b) {
  if (C::is_infinity(a) || C::is_infinity(b)) return C::is_infinity(a) && C::is_infinity(b);
  Fe za2, zb2, za3, zb3, l, r;
  C::sqr(za2, a.z);
  C::sqr(zb2, b.z);
  C::mul(za3, za2, a.z);
  C::mul(zb3, zb2, b.z);
  C::mul(l, a.x, zb2);
  C::mul(r, b.x, za2);
  if (!fe_equal(l, r)) return false;
  C::mul(l, a.y, zb3);
  C::mul(r, b.y, za3);
  return fe_equal(l, r);
}

// The additions' special cases: adding a point to itself doubles it, adding its negation
// gives infinity, adding to infinity gives the other point; and the general case agrees
// with add.
template <class C>
void check_additions() {
  const Affine* table = generator_table();
  const Jacobian g{kGenerator.x, kGenerator.y, kOne};
  Jacobian g2, g3, g5, sum, expected;
  C::dbl(g2, g);
  C::add(g3, g2, g);
  C::add(g5, g3, g2);
  // Scaled so that Z != 1: 3G as 2G + G.
  const Cached g3_cached = C::cache(g3);
  C::add_cached(sum, g3, g3_cached, false);
  C::dbl(expected, g3);
  EXPECT_TRUE(same_point<C>(sum, expected));
  C::add_cached(sum, g3, g3_cached, true);
  EXPECT_TRUE(C::is_infinity(sum));
  C::add_cached(sum, Jacobian{}, g3_cached, true);
  Jacobian neg3 = g3;
  fe_neg(neg3.y, neg3.y);
  EXPECT_TRUE(same_point<C>(sum, neg3));
  C::add_cached(sum, g2, g3_cached, false);
  EXPECT_TRUE(same_point<C>(sum, g5));
  C::add_cached(sum, g5, g3_cached, true);
  EXPECT_TRUE(same_point<C>(sum, g2));
  // Affine: 3G is table[1].
  C::add_affine(sum, g3, table[1], false);
  EXPECT_TRUE(same_point<C>(sum, expected));
  C::add_affine(sum, g3, table[1], true);
  EXPECT_TRUE(C::is_infinity(sum));
  C::add_affine(sum, g2, table[1], false);
  EXPECT_TRUE(same_point<C>(sum, g5));
  C::add_affine(sum, g5, table[1], true);
  EXPECT_TRUE(same_point<C>(sum, g2));
  C::add_affine(sum, Jacobian{}, table[1], false);
  EXPECT_TRUE(same_point<C>(sum, g3));
}

TEST(P256, AdditionSpecialCases) {
  check_additions<Curve<fe_mul_portable, fe_sqr_portable>>();
  if (adx_supported()) check_additions<Curve<fe_mul_adx, fe_sqr_adx>>();
}

TEST(P256, GeneratorTableRecomputes) {
  Affine table[kGeneratorTableSize];
  compute_generator_table(table);
  const Affine* stored = generator_table();
  for (size_t i = 0; i < kGeneratorTableSize; ++i) {
    EXPECT_TRUE(fe_equal(table[i].x, stored[i].x) && fe_equal(table[i].y, stored[i].y))
        << "entry " << i << " (" << 2 * i + 1 << "G)";
  }
}

// G and b as libcrypto's P-256 has them.
TEST(P256, CurveConstantsMatchLibcrypto) {
  EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  ASSERT_NE(group, nullptr);
  uint8_t g[65];
  ASSERT_EQ(EC_POINT_point2oct(group, EC_GROUP_get0_generator(group),
                               POINT_CONVERSION_UNCOMPRESSED, g, sizeof g, nullptr),
            65u);
  auto point = parse_uncompressed_point(g);
  ASSERT_TRUE(point.has_value());
  EXPECT_TRUE(fe_equal(point->x, kGenerator.x) && fe_equal(point->y, kGenerator.y));
  BIGNUM *p = BN_new(), *a = BN_new(), *b = BN_new();
  ASSERT_EQ(EC_GROUP_get_curve(group, p, a, b, nullptr), 1);
  uint8_t be[32];
  ASSERT_EQ(BN_bn2binpad(b, be, 32), 32);
  uint64_t limbs[4];
  limbs_from_be(limbs, be);
  Fe b_plain{{limbs[0], limbs[1], limbs[2], limbs[3]}}, b_mont;
  fe_mul_portable(b_mont, b_plain, kRR);
  EXPECT_TRUE(fe_equal(b_mont, kB));
  ASSERT_EQ(BN_bn2binpad(p, be, 32), 32);
  limbs_from_be(limbs, be);
  EXPECT_EQ(std::memcmp(limbs, kP.v, 32), 0);
  ASSERT_EQ(BN_bn2binpad(EC_GROUP_get0_order(group), be, 32), 32);
  limbs_from_be(limbs, be);
  EXPECT_EQ(std::memcmp(limbs, kN.v, 32), 0);
  BN_free(p), BN_free(a), BN_free(b);
  EC_GROUP_free(group);
}

TEST(P256, ScalarInverse) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 50; ++i) {
    Scalar a{{rng(), rng(), rng(), rng() >> 1}};
    if ((a.v[0] | a.v[1] | a.v[2] | a.v[3]) == 0) continue;
    const Scalar inv = scalar_inverse(a);
    // a·inv·R^-1 ·R^2·R^-1 = a·inv = 1
    Scalar t, one;
    scalar_mul(t, a, inv);
    scalar_mul(one, t, kNRR);
    EXPECT_EQ(one.v[0], 1u);
    EXPECT_EQ(one.v[1] | one.v[2] | one.v[3], 0u);
  }
  // The edges: 1, 2, n - 1, n - 2, and powers of two (long runs of zero bits, and the
  // total shift k on either side of 256).
  std::vector<Scalar> edges = {{{1, 0, 0, 0}}, {{2, 0, 0, 0}}, kN, kN};
  edges[2].v[0] -= 1;
  edges[3].v[0] -= 2;
  for (int bit : {1, 63, 64, 65, 127, 128, 200, 255}) {
    Scalar p{};
    p.v[bit / 64] = uint64_t{1} << (bit % 64);
    edges.push_back(p);
  }
  for (const Scalar& a : edges) {
    const Scalar inv = scalar_inverse(a);
    Scalar t, one;
    scalar_mul(t, a, inv);
    scalar_mul(one, t, kNRR);
    EXPECT_EQ(one.v[0], 1u) << a.v[3] << " " << a.v[0];
    EXPECT_EQ(one.v[1] | one.v[2] | one.v[3], 0u);
    EXPECT_TRUE(less256(inv.v, kN.v));  // fully reduced
  }
}

TEST(P256, WnafReconstructsTheScalar) {
  std::mt19937_64 rng(5);
  for (int w : {5, 8, 10}) {
    for (int i = 0; i < 200; ++i) {
      uint64_t k[4] = {rng(), rng(), rng(), i % 2 ? ~uint64_t{0} : rng()};
      int16_t digits[257];
      const int len = wnaf(digits, k, w);
      ASSERT_LE(len, 257);
      // Horner from the top digit, in 5 signed limbs (two's complement).
      uint64_t acc[5] = {};
      for (int j = len - 1; j >= 0; --j) {
        for (int l = 4; l > 0; --l) acc[l] = (acc[l] << 1) | (acc[l - 1] >> 63);
        acc[0] <<= 1;
        const int d = digits[j];
        if (d) {
          ASSERT_TRUE(d & 1);
          ASSERT_LT(d < 0 ? -d : d, 1 << (w - 1));
          uint64_t add[5];
          const uint64_t fill = d < 0 ? ~uint64_t{0} : 0;
          add[0] = static_cast<uint64_t>(static_cast<int64_t>(d));
          for (int l = 1; l < 5; ++l) add[l] = fill;
          uint64_t carry = 0;
          for (int l = 0; l < 5; ++l) {
            const u128 s = static_cast<u128>(acc[l]) + add[l] + carry;
            acc[l] = static_cast<uint64_t>(s);
            carry = static_cast<uint64_t>(s >> 64);
          }
        }
      }
      EXPECT_EQ(acc[4], 0u);
      EXPECT_EQ(std::memcmp(acc, k, 32), 0) << "w=" << w << " i=" << i;
    }
  }
}

TEST(P256, PointParsingIsStrict) {
  EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  uint8_t g[65];
  EC_POINT_point2oct(group, EC_GROUP_get0_generator(group), POINT_CONVERSION_UNCOMPRESSED, g,
                     sizeof g, nullptr);
  EC_GROUP_free(group);
  ASSERT_TRUE(parse_uncompressed_point(g).has_value());
  Bytes bad(g, g + 65);
  bad[64] ^= 1;  // off the curve
  EXPECT_FALSE(parse_uncompressed_point(bad).has_value());
  bad = Bytes(g, g + 65);
  bad[0] = 0x02;  // not the uncompressed form
  EXPECT_FALSE(parse_uncompressed_point(bad).has_value());
  EXPECT_FALSE(parse_uncompressed_point(BytesView(g, 64)).has_value());
  Bytes with_zero(g, g + 65);
  with_zero.push_back(0);
  EXPECT_FALSE(parse_uncompressed_point(with_zero).has_value());
  // x + p (the same residue, but not reduced): 2^256 > x + p only if x < 2^256 - p.
  Bytes zero(65, 0);
  zero[0] = 0x04;
  EXPECT_FALSE(parse_uncompressed_point(zero).has_value());  // (0, 0) is not on the curve
  Bytes all_ff(65, 0xff);
  all_ff[0] = 0x04;
  EXPECT_FALSE(parse_uncompressed_point(all_ff).has_value());
}

TEST(P256, DerSignatureParsingIsStrict) {
  uint8_t rs[64];
  auto parse = [&](const std::string& hex) { return parse_der_signature(test::unhex(hex), rs); };
  EXPECT_TRUE(parse("3006020101020102"));
  EXPECT_EQ(rs[31], 1);
  EXPECT_EQ(rs[63], 2);
  EXPECT_TRUE(parse("300702020080020102"));          // 0x00 needed before 0x80
  EXPECT_FALSE(parse("300702020001020102"));         // 0x00 not needed
  EXPECT_FALSE(parse("3006020181020102"));           // negative
  EXPECT_FALSE(parse("300602010102010200"));         // trailing byte
  EXPECT_FALSE(parse("30070201010201020000"));       // length mismatch
  EXPECT_FALSE(parse("308106020101020102"));         // long-form length
  EXPECT_FALSE(parse("3007020101020102"));           // length beyond the end
  EXPECT_FALSE(parse("3006020101030102"));           // not an INTEGER
  EXPECT_FALSE(parse("30050201010200"));             // empty INTEGER
  EXPECT_FALSE(parse("3100020101020102"));           // not a SEQUENCE
  EXPECT_FALSE(parse(""));
  // 33 significant bytes do not fit.
  EXPECT_FALSE(parse("3026022101" + std::string(64, '1') + "020102"));
  EXPECT_TRUE(parse("3026022100" + std::string(64, 'f') + "020102"));
}

}  // namespace
}  // namespace tern::crypto::p256
