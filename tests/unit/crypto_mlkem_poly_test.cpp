// SPDX-License-Identifier: Apache-2.0
// The ML-KEM arithmetic on its own: reductions, division-free Compress against the
// definition for every input, the NTT against schoolbook multiplication in R_q, and the
// API's input checks.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <vector>

#include "crypto/mlkem/mlkem.h"
#include "crypto/mlkem/poly.h"
#include "crypto_mlkem_impl.h"

namespace tern::crypto::mlkem {
namespace {

TERN_MLKEM_SUITE(CryptoMlKemPoly);
TERN_MLKEM_SUITE(CryptoMlKemApi);

TEST_P(CryptoMlKemPoly, CompressMatchesDefinitionForEveryInput) {
  for (int d : {1, 4, 5, 10, 11}) {
    for (int x = 0; x < kQ; ++x) {
      // round(2^d x / q) mod 2^d, computed with a real division here.
      int expected = ((x << d) * 2 + kQ) / (2 * kQ) % (1 << d);
      ASSERT_EQ(compress(static_cast<uint16_t>(x), d), expected) << "d=" << d << " x=" << x;
    }
    for (int y = 0; y < (1 << d); ++y) {
      int expected = (y * kQ * 2 + (1 << d)) / (2 << d);  // round(q y / 2^d)
      ASSERT_EQ(decompress(static_cast<uint16_t>(y), d), expected) << "d=" << d << " y=" << y;
    }
  }
}

TEST_P(CryptoMlKemPoly, ReductionsAgreeWithModulo) {
  for (int a = -32768; a <= 32767; ++a) {
    int16_t r = to_unsigned(static_cast<int16_t>(a));
    ASSERT_EQ(r, ((a % kQ) + kQ) % kQ) << a;
  }
  std::mt19937 rng(1);
  std::uniform_int_distribution<int32_t> dist(-kQ * 32767, kQ * 32767);
  for (int i = 0; i < 100000; ++i) {
    int32_t a = dist(rng);
    int32_t r = montgomery_reduce(a);
    ASSERT_LT(std::abs(r), kQ);
    // r * 2^16 = a (mod q)
    ASSERT_EQ(((static_cast<int64_t>(r) << 16) - a) % kQ, 0) << a;
  }
}

// Negacyclic schoolbook product in Z_q[X]/(X^256 + 1).
Poly schoolbook(const Poly& a, const Poly& b) {
  int64_t acc[kN] = {};
  for (int i = 0; i < kN; ++i) {
    for (int j = 0; j < kN; ++j) {
      int64_t p = static_cast<int64_t>(a.c[i]) * b.c[j];
      if (i + j < kN) {
        acc[i + j] += p;
      } else {
        acc[i + j - kN] -= p;
      }
    }
  }
  Poly r;
  for (int i = 0; i < kN; ++i) r.c[i] = static_cast<int16_t>(((acc[i] % kQ) + kQ) % kQ);
  return r;
}

TEST_P(CryptoMlKemPoly, NttMultiplicationMatchesSchoolbook) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> coeff(0, kQ - 1);
  for (int round = 0; round < 20; ++round) {
    Poly a, b;
    for (int i = 0; i < kN; ++i) {
      a.c[i] = static_cast<int16_t>(coeff(rng));
      b.c[i] = static_cast<int16_t>(coeff(rng));
    }
    Poly expected = schoolbook(a, b);
    Poly na = a, nb = b, product;
    ntt(na);
    ntt(nb);
    dot_ntt(product, &na, &nb, 1);
    inv_ntt(product);
    poly_to_unsigned(product);
    for (int i = 0; i < kN; ++i) ASSERT_EQ(product.c[i], expected.c[i]) << "coefficient " << i;
  }
}

TEST_P(CryptoMlKemPoly, EncodeDecodeRoundTrip) {
  std::mt19937 rng(3);
  for (int d : {1, 4, 5, 10, 11, 12}) {
    Poly f;
    std::uniform_int_distribution<int> coeff(0, d == 12 ? kQ - 1 : (1 << d) - 1);
    for (int16_t& x : f.c) x = static_cast<int16_t>(coeff(rng));
    std::vector<uint8_t> bytes(32 * static_cast<size_t>(d));
    encode(bytes, f, d);
    Poly g;
    decode(g, bytes, d);
    for (int i = 0; i < kN; ++i) ASSERT_EQ(f.c[i], g.c[i]) << "d=" << d << " i=" << i;
  }
  // ByteDecode_12 reduces mod q: 4095 becomes 766, q becomes 0.
  std::vector<uint8_t> ones(384, 0xff);
  Poly g;
  decode(g, ones, 12);
  for (int16_t x : g.c) ASSERT_EQ(x, 4095 - kQ);
  const uint8_t q_pair[3] = {kQ & 0xff, static_cast<uint8_t>((kQ >> 8) | ((kQ & 0x0f) << 4)),
                             static_cast<uint8_t>(kQ >> 4)};
  for (int i = 0; i < 384; ++i) ones[i] = q_pair[i % 3];
  decode(g, ones, 12);
  for (int16_t x : g.c) ASSERT_EQ(x, 0);
  EXPECT_FALSE(coefficients_reduced(ones));
}

TEST_P(CryptoMlKemApi, RoundTripAndInputChecks) {
  for (Variant v : {Variant::ml_kem_512, Variant::ml_kem_768, Variant::ml_kem_1024}) {
    SCOPED_TRACE(variant_name(v));
    auto kp = keygen(v);
    ASSERT_TRUE(kp.ok()) << kp.error();
    EXPECT_EQ(kp->encapsulation_key.size(), encapsulation_key_size(v));
    EXPECT_EQ(kp->decapsulation_key.size(), decapsulation_key_size(v));
    auto enc = encaps(v, kp->encapsulation_key);
    ASSERT_TRUE(enc.ok()) << enc.error();
    EXPECT_EQ(enc->ciphertext.size(), ciphertext_size(v));
    auto k = decaps(v, kp->decapsulation_key.view(), enc->ciphertext);
    ASSERT_TRUE(k.ok()) << k.error();
    EXPECT_TRUE(equal(k->view(), enc->shared_secret.view()));

    // A changed ciphertext decapsulates (implicit rejection) to a different secret.
    Bytes bad = enc->ciphertext;
    bad.back() ^= 0x80;
    auto rejected = decaps(v, kp->decapsulation_key.view(), bad);
    ASSERT_TRUE(rejected.ok());
    EXPECT_FALSE(equal(rejected->view(), enc->shared_secret.view()));

    // Lengths.
    Bytes ek = kp->encapsulation_key;
    auto short_ek = encaps(v, BytesView(ek).first(ek.size() - 1));
    ASSERT_FALSE(short_ek.ok());
    EXPECT_EQ(short_ek.error().code, Errc::decode);
    EXPECT_EQ(short_ek.error().alert, Alert::illegal_parameter);
    EXPECT_FALSE(
        decaps(v, kp->decapsulation_key.view(), BytesView(bad).first(bad.size() - 1)).ok());
    EXPECT_FALSE(encaps_internal(v, ek, Bytes(31)).ok());
    EXPECT_FALSE(keygen_internal(v, Bytes(32), Bytes(33)).ok());

    // Modulus check: first coefficient set to q.
    ek[0] = static_cast<uint8_t>(kQ & 0xff);
    ek[1] = static_cast<uint8_t>((ek[1] & 0xf0) | (kQ >> 8));
    auto unreduced = encaps(v, ek);
    ASSERT_FALSE(unreduced.ok());
    EXPECT_NE(unreduced.error().detail.find("modulus check"), std::string::npos);

    // Hash check: flip a bit of the ek copy inside dk.
    Bytes dk(kp->decapsulation_key.view().begin(), kp->decapsulation_key.view().end());
    dk[dk.size() - 64 - 5] ^= 1;
    auto hash = decaps(v, dk, enc->ciphertext);
    ASSERT_FALSE(hash.ok());
    EXPECT_NE(hash.error().detail.find("hash check"), std::string::npos);
  }
}

// The AVX2 functions give exactly the portable ones' values, over each function's whole
// input range (the known-answer suites above check both paths end to end).
class CryptoMlKemAvx2 : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = implementation();
    if (!avx2_supported()) GTEST_SKIP() << "no AVX2 on this CPU";
  }
  void TearDown() override { set_implementation(saved_); }

  template <typename Fn>
  void both(Fn fn, Poly& portable, Poly& avx) {
    set_implementation(Implementation::portable);
    fn(portable);
    set_implementation(Implementation::avx2);
    fn(avx);
    for (int i = 0; i < kN; ++i) ASSERT_EQ(portable.c[i], avx.c[i]) << "coefficient " << i;
  }

  Implementation saved_ = Implementation::portable;
};

Poly random_poly(std::mt19937& rng, int lo, int hi) {
  std::uniform_int_distribution<int> dist(lo, hi);
  Poly f;
  for (int16_t& x : f.c) x = static_cast<int16_t>(dist(rng));
  return f;
}

TEST_F(CryptoMlKemAvx2, ArithmeticMatchesPortable) {
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    SCOPED_TRACE(round);
    const int edge = round % 4 == 0 ? kQ - 1 : kQ / 2;  // every fourth round at the bounds
    Poly a[kMaxK], b[kMaxK];
    for (int v = 0; v < kMaxK; ++v) {
      a[v] = random_poly(rng, -edge, edge);
      b[v] = random_poly(rng, -edge, edge);
    }
    Poly p = a[0], x = a[0];
    both([](Poly& f) { ntt(f); }, p, x);
    p = x = a[1];
    both([](Poly& f) { inv_ntt(f); }, p, x);
    for (int k = 1; k <= kMaxK; ++k) {
      both([&](Poly& f) { dot_ntt(f, a, b, k); }, p, x);
    }
    Poly any = random_poly(rng, -32768, 32767);
    p = x = any;
    both([](Poly& f) { poly_reduce(f); }, p, x);
    p = x = any;
    both([](Poly& f) { poly_to_unsigned(f); }, p, x);
    p = x = any;
    both([](Poly& f) { poly_to_montgomery(f); }, p, x);
    p = x = a[2];
    both([&](Poly& f) { poly_add(f, b[2]); }, p, x);
    both([&](Poly& f) { poly_sub(f, a[3], b[3]); }, p, x);
  }
}

TEST_F(CryptoMlKemAvx2, BatchedSamplingMatchesSingle) {
  std::array<uint8_t, kSymBytes> seed;
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(3 * i + 1);
  for (int count = 1; count <= 9; ++count) {
    SCOPED_TRACE(count);
    std::vector<Poly> many(static_cast<size_t>(count)), single(static_cast<size_t>(count));
    std::vector<Poly*> outs;
    std::vector<uint8_t> js, is;
    for (int n = 0; n < count; ++n) {
      outs.push_back(&many[static_cast<size_t>(n)]);
      js.push_back(static_cast<uint8_t>(n % 3));
      is.push_back(static_cast<uint8_t>(n / 3));
    }
    set_implementation(Implementation::avx2);
    sample_ntt_many(outs.data(), seed, js.data(), is.data(), count);
    set_implementation(Implementation::portable);
    for (int n = 0; n < count; ++n) {
      sample_ntt(single[static_cast<size_t>(n)], seed, js[static_cast<size_t>(n)],
                 is[static_cast<size_t>(n)]);
      for (int i = 0; i < kN; ++i) {
        ASSERT_EQ(many[static_cast<size_t>(n)].c[i], single[static_cast<size_t>(n)].c[i]);
      }
    }
    for (int eta : {2, 3}) {
      set_implementation(Implementation::avx2);
      sample_cbd_many(outs.data(), seed, 5, count, eta);
      set_implementation(Implementation::portable);
      for (int n = 0; n < count; ++n) {
        sample_cbd(single[static_cast<size_t>(n)], seed, static_cast<uint8_t>(5 + n), eta);
        for (int i = 0; i < kN; ++i) {
          ASSERT_EQ(many[static_cast<size_t>(n)].c[i], single[static_cast<size_t>(n)].c[i]);
        }
      }
    }
  }
}

}  // namespace
}  // namespace tern::crypto::mlkem
