// SPDX-License-Identifier: Apache-2.0
// The NTT's constant tables (FIPS 203 §4.3), computed at compile time from zeta = 17 and
// shared by the portable and AVX2 code.
#pragma once

#include <cstdint>

#include "crypto/mlkem/params.h"

namespace tern::crypto::mlkem {

constexpr int bit_reverse7(int i) {
  int r = 0;
  for (int b = 0; b < 7; ++b) r |= ((i >> b) & 1) << (6 - b);
  return r;
}

constexpr int32_t pow_mod(int32_t base, int exponent) {
  int64_t result = 1;
  for (int e = 0; e < exponent; ++e) result = result * base % kQ;
  return static_cast<int32_t>(result);
}

constexpr int16_t centred(int32_t x) {
  x %= kQ;
  if (x < 0) x += kQ;
  return static_cast<int16_t>(x > kQ / 2 ? x - kQ : x);
}

constexpr int32_t kMont = (1 << 16) % kQ;  // 2^16 mod q

struct Tables {
  int16_t zetas[128] = {};    // 17^BitRev7(i) * 2^16 mod q (Montgomery form)
  int16_t gammas[128] = {};   // 17^(2 BitRev7(i) + 1) * 2^16 mod q, for BaseCaseMultiply
  int16_t inv_ntt_scale = 0;  // 2^32 / 128 mod q: see inv_ntt
  int16_t mont_squared = 0;   // 2^32 mod q
};

constexpr Tables make_tables() {
  Tables t;
  for (int i = 0; i < 128; ++i) {
    t.zetas[i] = centred(pow_mod(17, bit_reverse7(i)) * kMont);
    t.gammas[i] = centred(pow_mod(17, 2 * bit_reverse7(i) + 1) * kMont);
  }
  constexpr int32_t kInv128 = 3303;  // 128 * 3303 = 1 mod q
  static_assert(128 * kInv128 % kQ == 1);
  t.mont_squared = centred(kMont * kMont);
  t.inv_ntt_scale = centred(kMont * kMont % kQ * kInv128);
  return t;
}

inline constexpr Tables kTables = make_tables();
static_assert(kTables.zetas[0] == centred(kMont));  // 17^0 = 1
static_assert(kTables.gammas[0] == centred(17 * kMont));

}  // namespace tern::crypto::mlkem
