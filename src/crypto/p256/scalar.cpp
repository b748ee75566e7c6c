// SPDX-License-Identifier: Apache-2.0
#include "crypto/p256/scalar.h"

#include <cstring>

namespace tern::crypto::p256 {

void scalar_mul(Scalar& r, const Scalar& a, const Scalar& b) {
  uint64_t t[6] = {};
  #pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    #pragma GCC unroll 4
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
    #pragma GCC unroll 4
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

namespace {

bool is_one(const uint64_t x[4]) { return x[0] == 1 && (x[1] | x[2] | x[3]) == 0; }

// (hi:lo) >> z, low 64 bits, and (hi:lo) << z, high 64 bits, for 0 < z < 64: one shrd or
// shld on x86-64 (the compilers make a branchy sequence of the 128-bit shift).
inline uint64_t shift_right_pair(uint64_t hi, uint64_t lo, int z) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __asm__("shrdq %%cl, %[hi], %[lo]" : [lo] "+r"(lo) : [hi] "r"(hi), "c"(z) : "cc");
  return lo;
#else
  return (lo >> z) | (hi << (64 - z));
#endif
}
inline uint64_t shift_left_pair(uint64_t hi, uint64_t lo, int z) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __asm__("shldq %%cl, %[lo], %[hi]" : [hi] "+r"(hi) : [lo] "r"(lo), "c"(z) : "cc");
  return hi;
#else
  return (hi << z) | (lo >> (64 - z));
#endif
}

// Strips x's factors of two (x even, nonzero) into y and k: x >>= z, y <<= z, k += z.
inline void move_twos(uint64_t x[4], uint64_t y[4], int& k) {
  do {
    const int z = x[0] ? __builtin_ctzll(x[0]) : 63;
    x[0] = shift_right_pair(x[1], x[0], z);
    x[1] = shift_right_pair(x[2], x[1], z);
    x[2] = shift_right_pair(x[3], x[2], z);
    x[3] >>= z;
    y[3] = shift_left_pair(y[3], y[2], z);
    y[2] = shift_left_pair(y[2], y[1], z);
    y[1] = shift_left_pair(y[1], y[0], z);
    y[0] <<= z;
    k += z;
  } while (!(x[0] & 1));
}

}  // namespace

Scalar scalar_inverse(const Scalar& a) {
  // Kaliski's almost inverse, stripping runs of zero bits at once. Starting from u = n,
  // v = a, r = 0, s = 1, k = 0, each step keeps a·s ≡ v·2^k and a·r ≡ -u·2^k (mod n) and
  // u·s + v·r = n, which bounds r and s by n while u, v >= 1: subtract the smaller odd
  // one of u, v from the larger, add its partner (s or r) to the other's, and move the
  // difference's factors of two onto its partner. gcd(a, n) = 1, so u or v reaches 1;
  // then a^-1 is s·2^-k or -r·2^-k. Variable time, no multiplication in the loop: about
  // 180 steps for 256 bits, and k < 512 (each unit of k halves u·v < 2^512).
  uint64_t u[4] = {kN.v[0], kN.v[1], kN.v[2], kN.v[3]};
  uint64_t v[4] = {a.v[0], a.v[1], a.v[2], a.v[3]};
  uint64_t r[4] = {0, 0, 0, 0}, s[4] = {1, 0, 0, 0};
  int k = 0;
  if (!(v[0] & 1)) move_twos(v, r, k);
  while (!is_one(u) && !is_one(v)) {
    uint64_t d[4];
    if (!sub256(d, u, v)) {  // u >= v
      std::memcpy(u, d, sizeof d);
      add256(r, r, s);
      move_twos(u, s, k);
    } else {
      sub256(v, v, u);
      add256(s, s, r);
      move_twos(v, r, k);
    }
  }
  Scalar x;
  if (is_one(v)) {
    x = scalar_reduce(Scalar{{s[0], s[1], s[2], s[3]}});
  } else {
    sub256(x.v, kN.v, r);  // n - r, with 0 < r < n
  }
  // x·2^-k by Montgomery multiplications (each divides by 2^256): x·2^(256-k) / 2^256
  // for k <= 256 (2^256 itself taken mod n), else x·2^(512-k) / 2^256 / 2^256.
  Scalar power{};
  if (k == 0) {
    sub256(power.v, power.v, kN.v);  // 2^256 - n
  } else {
    const int bit = k <= 256 ? 256 - k : 512 - k;
    power.v[bit / 64] = uint64_t{1} << (bit % 64);
  }
  scalar_mul(x, x, power);
  if (k > 256) scalar_mul(x, x, Scalar{{1, 0, 0, 0}});
  return x;
}

}  // namespace tern::crypto::p256
