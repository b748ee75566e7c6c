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

void shift_right_1(uint64_t x[4], uint64_t top) {
  x[0] = (x[0] >> 1) | (x[1] << 63);
  x[1] = (x[1] >> 1) | (x[2] << 63);
  x[2] = (x[2] >> 1) | (x[3] << 63);
  x[3] = (x[3] >> 1) | (top << 63);
}

// x = x/2 mod n: x + n is even when x is odd.
void halve_mod_n(uint64_t x[4]) {
  uint64_t top = 0;
  if (x[0] & 1) top = add256(x, x, kN.v);
  shift_right_1(x, top);
}

// r = a - b mod n, for a, b < n.
void sub_mod_n(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
  if (sub256(r, a, b)) add256(r, r, kN.v);
}

}  // namespace

Scalar scalar_inverse(const Scalar& a) {
  // Binary extended Euclid on (u, v), starting from (a, n), keeping x1·a ≡ u and x2·a ≡ v
  // (mod n). gcd(a, n) = 1 (n is prime), so one of u, v reaches 1. Variable time: about
  // 2·256 halvings and 256 subtractions, against ~300 multiplications for Fermat.
  uint64_t u[4] = {a.v[0], a.v[1], a.v[2], a.v[3]};
  uint64_t v[4] = {kN.v[0], kN.v[1], kN.v[2], kN.v[3]};
  uint64_t x1[4] = {1, 0, 0, 0}, x2[4] = {0, 0, 0, 0};
  while (!is_one(u) && !is_one(v)) {
    while (!(u[0] & 1)) {
      shift_right_1(u, 0);
      halve_mod_n(x1);
    }
    while (!(v[0] & 1)) {
      shift_right_1(v, 0);
      halve_mod_n(x2);
    }
    if (!less256(u, v)) {
      sub256(u, u, v);
      sub_mod_n(x1, x1, x2);
    } else {
      sub256(v, v, u);
      sub_mod_n(x2, x2, x1);
    }
  }
  const uint64_t* x = is_one(u) ? x1 : x2;
  return Scalar{{x[0], x[1], x[2], x[3]}};
}

}  // namespace tern::crypto::p256
