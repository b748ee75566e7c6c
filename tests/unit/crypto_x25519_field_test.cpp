// SPDX-License-Identifier: Apache-2.0
// The X25519 field operations of each path at the edges of their input ranges, against
// libcrypto's BIGNUM arithmetic modulo p. AdxField reduces lazily (field_adx.h): mul, sqr
// and mul_a24_add must return "loose" values, below 2^255 + 2^23, and add and sub are
// exact only when one operand of add, and the subtrahend of sub, is loose. Random inputs
// almost never reach the values where a skipped carry would matter, so these are listed.
#include <gtest/gtest.h>
#include <openssl/bn.h>

#include <cstring>
#include <memory>
#include <vector>

#include "crypto/x25519/field.h"
#include "crypto/x25519/field_adx.h"
#include "crypto/x25519/x25519.h"

namespace tern::crypto::x25519 {
namespace {

constexpr uint64_t kTop = 0x8000000000000000ULL;
constexpr uint64_t kAll = ~0ULL;

// Edge values: 0, 1, p - 1, p, p + 1, 2^255 - 1, 2^255, the largest loose value,
// 2^256 - 39 and - 38 (the limits of the single folds), 2^256 - 1, and two mixed ones.
const std::vector<Fe>& edges() {
  static const std::vector<Fe> values = {
      {{0, 0, 0, 0}},
      {{1, 0, 0, 0}},
      {{kAll - 19, kAll, kAll, kAll >> 1}},  // p - 1
      {{kAll - 18, kAll, kAll, kAll >> 1}},  // p
      {{kAll - 17, kAll, kAll, kAll >> 1}},  // p + 1
      {{kAll, kAll, kAll, kAll >> 1}},
      {{0, 0, 0, kTop}},
      {{(1ULL << 23) - 1, 0, 0, kTop}},
      {{kAll - 38, kAll, kAll, kAll}},
      {{kAll - 37, kAll, kAll, kAll}},
      {{kAll, kAll, kAll, kAll}},
      {{0x0123456789abcdefULL, kAll, 0, kTop | 5}},
      {{kAll, 0, kAll, 0x7edcba9876543210ULL}},
  };
  return values;
}

bool loose(const Fe& a) {
  return a.v[3] < kTop || (a.v[3] == kTop && a.v[2] == 0 && a.v[1] == 0 && a.v[0] < (1 << 23));
}

class Mod {
 public:
  Mod() : ctx_(BN_CTX_new()), p_(BN_new()) {
    BN_set_bit(p_, 255);
    BN_sub_word(p_, 19);
  }
  ~Mod() {
    BN_free(p_);
    BN_CTX_free(ctx_);
  }
  BIGNUM* bn(const Fe& a) {
    uint8_t le[32];
    for (int i = 0; i < 32; ++i) le[i] = static_cast<uint8_t>(a.v[i / 8] >> (8 * (i % 8)));
    BIGNUM* r = BN_lebin2bn(le, 32, nullptr);
    BN_nnmod(r, r, p_, ctx_);
    return owned(r);
  }
  BIGNUM* mul(const BIGNUM* a, const BIGNUM* b) { return op(BN_mod_mul, a, b); }
  BIGNUM* add(const BIGNUM* a, const BIGNUM* b) { return op(BN_mod_add, a, b); }
  BIGNUM* sub(const BIGNUM* a, const BIGNUM* b) { return op(BN_mod_sub, a, b); }
  BIGNUM* word(unsigned long w) {
    BIGNUM* r = owned(BN_new());
    BN_set_word(r, w);
    return r;
  }
  // a == want mod p.
  bool same(const Fe& a, const BIGNUM* want) {
    uint8_t got[32], expected[32];
    fe_to_bytes(got, a);
    return BN_bn2lebinpad(want, expected, 32) == 32 && std::memcmp(got, expected, 32) == 0;
  }

 private:
  using BnOp = int (*)(BIGNUM*, const BIGNUM*, const BIGNUM*, const BIGNUM*, BN_CTX*);
  BIGNUM* op(BnOp f, const BIGNUM* a, const BIGNUM* b) {
    BIGNUM* r = owned(BN_new());
    f(r, a, b, p_, ctx_);
    return r;
  }
  BIGNUM* owned(BIGNUM* b) {
    kept_.emplace_back(b, BN_free);
    return b;
  }
  BN_CTX* ctx_;
  BIGNUM* p_;
  std::vector<std::unique_ptr<BIGNUM, void (*)(BIGNUM*)>> kept_;
};

// lazy: F's mul, sqr and mul_a24_add return loose values (PortableField's are only below
// 2^256, and its add and sub fold twice, so they take any operands; checked here all the same
// with the AdxField preconditions).
template <class F>
void check_field(bool lazy) {
  Mod m;
  const BIGNUM* a24 = m.word(121665);
  for (const Fe& x : edges()) {
    Fe r;
    F::sqr(r, x);
    EXPECT_TRUE(m.same(r, m.mul(m.bn(x), m.bn(x))));
    EXPECT_TRUE(!lazy || loose(r));
    for (const Fe& y : edges()) {
      F::mul(r, x, y);
      EXPECT_TRUE(m.same(r, m.mul(m.bn(x), m.bn(y))));
      EXPECT_TRUE(!lazy || loose(r));
      F::mul_a24_add(r, x, y);
      EXPECT_TRUE(m.same(r, m.add(m.mul(m.bn(x), a24), m.bn(y))));
      EXPECT_TRUE(!lazy || loose(r));
      if (loose(x) || loose(y)) {
        F::add(r, x, y);
        EXPECT_TRUE(m.same(r, m.add(m.bn(x), m.bn(y))));
      }
      if (loose(y)) {
        F::sub(r, x, y);
        EXPECT_TRUE(m.same(r, m.sub(m.bn(x), m.bn(y))));
        for (uint64_t bit : {0, 1}) {
          // The ladder's use: x, z against the other pair (here the same values reversed).
          // Locals, as the asm needs (field_adx.h).
          Fe sum, diff, x_local = x, z_local = y, x_other = y, z_other = y;
          F::select_add_sub(sum, diff, x_local, z_local, x_other, z_other, bit);
          const Fe& chosen = bit ? y : x;
          EXPECT_TRUE(m.same(sum, m.add(m.bn(chosen), m.bn(y))));
          EXPECT_TRUE(m.same(diff, m.sub(m.bn(chosen), m.bn(y))));
        }
      }
    }
  }
}

TEST(X25519Field, PortableAtEdges) { check_field<PortableField>(false); }

TEST(X25519Field, AdxAtEdges) {
  if (!adx_supported()) GTEST_SKIP() << "this CPU has no BMI2 and ADX";
  check_field<AdxField>(true);
}

}  // namespace
}  // namespace tern::crypto::x25519
