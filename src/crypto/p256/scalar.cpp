// SPDX-License-Identifier: Apache-2.0
#include "crypto/p256/scalar.h"

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

// x >>= k for 0 < k < 64, over 256 bits.
void shift_right(uint64_t x[4], int k) {
  x[0] = (x[0] >> k) | (x[1] << (64 - k));
  x[1] = (x[1] >> k) | (x[2] << (64 - k));
  x[2] = (x[2] >> k) | (x[3] << (64 - k));
  x[3] >>= k;
}

// x = x/2^k mod n for x < n and 0 < k < 64: x + m·n with m = -x·n^-1 mod 2^k is a
// multiple of 2^k, below 2^k·n (m < 2^k), so the quotient is already below n.
void shift_right_mod_n(uint64_t x[4], int k) {
  const uint64_t m = (x[0] * kNInv) & ((uint64_t{1} << k) - 1);
  uint64_t t[5], carry = 0;
  for (int j = 0; j < 4; ++j) {
    const u128 s = static_cast<u128>(m) * kN.v[j] + x[j] + carry;
    t[j] = static_cast<uint64_t>(s);
    carry = static_cast<uint64_t>(s >> 64);
  }
  t[4] = carry;
  for (int j = 0; j < 4; ++j) x[j] = (t[j] >> k) | (t[j + 1] << (64 - k));
}

// Divides the even, nonzero u by its largest power of two, and x by the same mod n.
void remove_twos(uint64_t u[4], uint64_t x[4]) {
  while (!(u[0] & 1)) {
    const int k = u[0] ? __builtin_ctzll(u[0]) : 63;
    shift_right(u, k);
    shift_right_mod_n(x, k);
  }
}

// r = a - b mod n, for a, b < n.
void sub_mod_n(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
  if (sub256(r, a, b)) add256(r, r, kN.v);
}

}  // namespace

Scalar scalar_inverse(const Scalar& a) {
  // Binary extended Euclid on (u, v), starting from (a, n), keeping x1·a ≡ u and x2·a ≡ v
  // (mod n). gcd(a, n) = 1 (n is prime), so one of u, v reaches 1. Each step subtracts
  // the smaller of the two odd values from the larger and strips the difference's
  // factors of two all at once (x1 or x2 divided by the same power mod n). Variable
  // time: about 180 steps for 256 bits.
  uint64_t u[4] = {a.v[0], a.v[1], a.v[2], a.v[3]};
  uint64_t v[4] = {kN.v[0], kN.v[1], kN.v[2], kN.v[3]};
  uint64_t x1[4] = {1, 0, 0, 0}, x2[4] = {0, 0, 0, 0};
  remove_twos(u, x1);
  while (!is_one(u) && !is_one(v)) {
    if (!less256(u, v)) {
      sub256(u, u, v);
      sub_mod_n(x1, x1, x2);
      remove_twos(u, x1);
    } else {
      sub256(v, v, u);
      sub_mod_n(x2, x2, x1);
      remove_twos(v, x2);
    }
  }
  const uint64_t* x = is_one(u) ? x1 : x2;
  return Scalar{{x[0], x[1], x[2], x[3]}};
}

}  // namespace tern::crypto::p256
