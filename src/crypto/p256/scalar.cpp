// SPDX-License-Identifier: Apache-2.0
#include "crypto/p256/scalar.h"

namespace tern::crypto::p256 {

void scalar_mul(Scalar& r, const Scalar& a, const Scalar& b) {
  uint64_t t[6] = {};
  for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    for (int j = 0; j < 4; ++j) {
      u128 x = static_cast<u128>(a.v[j]) * b.v[i] + t[j] + carry;
      t[j] = static_cast<uint64_t>(x);
      carry = static_cast<uint64_t>(x >> 64);
    }
    u128 top = static_cast<u128>(t[4]) + carry;
    t[4] = static_cast<uint64_t>(top);
    t[5] = static_cast<uint64_t>(top >> 64);
    const uint64_t m = t[0] * kNInv;  // makes t + m·n divisible by 2^64
    carry = 0;
    for (int j = 0; j < 4; ++j) {
      u128 x = static_cast<u128>(m) * kN.v[j] + t[j] + carry;
      t[j] = static_cast<uint64_t>(x);
      carry = static_cast<uint64_t>(x >> 64);
    }
    top = static_cast<u128>(t[4]) + carry;
    t[0] = t[1], t[1] = t[2], t[2] = t[3];
    t[3] = static_cast<uint64_t>(top);
    t[4] = t[5] + static_cast<uint64_t>(top >> 64);
    t[5] = 0;
  }
  Scalar out{{t[0], t[1], t[2], t[3]}}, reduced;
  const uint64_t borrow = sub256(reduced.v, out.v, kN.v);
  r = (t[4] || !borrow) ? reduced : out;
}

Scalar scalar_inverse(const Scalar& a) {
  // In Montgomery form throughout: am = a·R; table[i] = a^i·R.
  Scalar table[16];
  Scalar one_m;  // R mod n
  const Scalar one{{1, 0, 0, 0}};
  scalar_mul(one_m, kNRR, one);
  table[0] = one_m;
  scalar_mul(table[1], a, kNRR);
  for (int i = 2; i < 16; ++i) scalar_mul(table[i], table[i - 1], table[1]);
  // Exponent n - 2, scanned 4 bits at a time from the top.
  Scalar e = kN;
  e.v[0] -= 2;  // n's low limb is odd and > 2: no borrow
  Scalar acc = one_m;
  for (int limb = 3; limb >= 0; --limb) {
    for (int shift = 60; shift >= 0; shift -= 4) {
      for (int k = 0; k < 4; ++k) scalar_mul(acc, acc, acc);
      const unsigned nibble = static_cast<unsigned>(e.v[limb] >> shift) & 15;
      if (nibble) scalar_mul(acc, acc, table[nibble]);
    }
  }
  Scalar plain;
  scalar_mul(plain, acc, one);  // leaves Montgomery form
  return plain;
}

}  // namespace tern::crypto::p256
