// SPDX-License-Identifier: Apache-2.0
// The curve code of every path, as templates over the field's multiplication (F::mul,
// F::sqr): the Montgomery ladder on Curve25519 for the variable-base multiplication, and
// a fixed-base comb on the birationally equivalent twisted Edwards curve
// -x^2 + y^2 = 1 + d x^2 y^2 (d = -121665/121666) for key generation, whose complete
// addition law and precomputed multiples of the base point make it about three times
// cheaper than a ladder. Constant time in the scalar: no branch and no memory index
// depends on it (table entries are picked by scanning all of them with masks).
// AdxField reduces lazily (field_adx.h): one operand of each F::add, and the subtrahend of
// each F::sub, is a product, a square or a value from outside, never a sum or difference.
#pragma once

#include <cstdint>

#include "crypto/x25519/field.h"

namespace tern::crypto::x25519 {

// A point of the Edwards curve in extended coordinates: x = X/Z, y = Y/Z, T = XY/Z.
struct EdPoint {
  Fe x, y, z, t;
};

// An affine point ready for a mixed addition: y + x, y - x and 2d·x·y.
struct EdNiels {
  Fe ypx, ymx, xy2d;
};

// kBaseTable[i][j] = (j + 1) · 256^i · B for the Edwards base point B (u = 9 on
// Curve25519), i < 32, j < 8: 64 signed radix-16 digits need one table row per pair.
using BaseTable = EdNiels[32][8];

template <class F>
void fe_sqr_n(Fe& r, const Fe& a, int n) {
  F::sqr(r, a);
  for (int i = 1; i < n; ++i) F::sqr(r, r);
}

// a^(p-2) = 1/a (0 for 0), by the usual chain of 254 squarings and 11 multiplications.
template <class F>
Fe fe_invert(const Fe& z) {
  Fe t0, t1, t2, t3;
  F::sqr(t0, z);                     // 2
  fe_sqr_n<F>(t1, t0, 2);            // 8
  F::mul(t1, t1, z);                 // 9
  F::mul(t0, t0, t1);                // 11
  F::sqr(t2, t0);                    // 22
  F::mul(t1, t1, t2);                // 2^5 - 1
  fe_sqr_n<F>(t2, t1, 5);
  F::mul(t1, t2, t1);                // 2^10 - 1
  fe_sqr_n<F>(t2, t1, 10);
  F::mul(t2, t2, t1);                // 2^20 - 1
  fe_sqr_n<F>(t3, t2, 20);
  F::mul(t2, t3, t2);                // 2^40 - 1
  fe_sqr_n<F>(t2, t2, 10);
  F::mul(t1, t2, t1);                // 2^50 - 1
  fe_sqr_n<F>(t2, t1, 50);
  F::mul(t2, t2, t1);                // 2^100 - 1
  fe_sqr_n<F>(t3, t2, 100);
  F::mul(t2, t3, t2);                // 2^200 - 1
  fe_sqr_n<F>(t2, t2, 50);
  F::mul(t1, t2, t1);                // 2^250 - 1
  fe_sqr_n<F>(t1, t1, 5);            // 2^255 - 32
  F::mul(t1, t1, t0);                // 2^255 - 21 = p - 2
  return t1;
}

// RFC 7748 §5: the u-coordinate of k·P for a clamped scalar k and P's u-coordinate
// (already masked to 255 bits), by the Montgomery ladder with conditional swaps.
template <class F>
Fe montgomery_ladder(const uint8_t k[32], const Fe& u) {
  const Fe x1 = u;
  Fe x2 = kOne, z2 = kZero, x3 = u, z3 = kOne;
  uint64_t swap = 0;
  Fe a, aa, b, bb, e, c, d, da, cb;
  // The scalar's bits from 254 down (bit 255 is clear after clamping), a word at a time.
  const Fe scalar = fe_from_bytes(k);
  for (int w = 3; w >= 0; --w) {
    for (int j = w == 3 ? 62 : 63; j >= 0; --j) {
      const uint64_t bit = (scalar.v[w] >> j) & 1;
      swap ^= bit;
      // a, b = x2 ± z2 and c, d = x3 ± z3 with the pairs swapped when swap is 1. The swap is
      // applied as they are read, never stored: all four coordinates are rewritten below.
      F::select_add_sub(a, b, x2, z2, x3, z3, swap);
      F::select_add_sub(c, d, x3, z3, x2, z2, swap);
      swap = bit;
      // Independent operations side by side, so one's latency overlaps the next.
      F::sqr(aa, a);
      F::mul(da, d, a);
      F::sqr(bb, b);
      F::mul(cb, c, b);
      F::sub(e, aa, bb);
      F::add(x3, da, cb);
      F::sub(z3, da, cb);
      F::mul(x2, aa, bb);
      F::mul_a24_add(z2, e, aa);  // a24 = (486662 - 2) / 4
      F::sqr(x3, x3);
      F::sqr(z3, z3);
      F::mul(z2, z2, e);
      F::mul(z3, z3, x1);
    }
  }
  F::cswap(x2, x3, swap);
  F::cswap(z2, z3, swap);
  Fe out;
  F::mul(out, x2, fe_invert<F>(z2));
  return out;
}

inline EdPoint ed_identity() { return EdPoint{kZero, kOne, kOne, kZero}; }

// r = 2p (Hisil-Wong-Carter-Dawson "dbl-2008-hwcd" for a = -1, signs folded).
template <class F>
void ed_double(EdPoint& r, const EdPoint& p) {
  Fe a, b, c, h, e, g, f;
  F::sqr(a, p.x);
  F::sqr(b, p.y);
  F::sqr(c, p.z);
  F::add(h, a, b);
  F::add(e, p.x, p.y);
  F::sqr(e, e);
  F::sub(e, h, e);
  F::sub(g, a, b);
  // f = 2c + g, one addition at a time with the squared c: AdxField's add needs one loose
  // operand, which 2c and g may both not be.
  F::add(f, g, c);
  F::add(f, f, c);
  F::mul(r.x, e, f);
  F::mul(r.y, g, h);
  F::mul(r.t, e, h);
  F::mul(r.z, f, g);
}

// r = p + q for an affine q ("madd-2008-hwcd-3"); complete on this curve.
template <class F>
void ed_add_niels(EdPoint& r, const EdPoint& p, const EdNiels& q) {
  Fe a, b, c, d, e, f, g, h;
  F::sub(a, p.y, p.x);
  F::mul(a, a, q.ymx);
  F::add(b, p.y, p.x);
  F::mul(b, b, q.ypx);
  F::mul(c, p.t, q.xy2d);
  F::add(d, p.z, p.z);
  F::sub(e, b, a);
  F::sub(f, d, c);
  F::add(g, d, c);
  F::add(h, b, a);
  F::mul(r.x, e, f);
  F::mul(r.y, g, h);
  F::mul(r.t, e, h);
  F::mul(r.z, f, g);
}

// digit · row for a digit in [-8, 8]: every entry of the row is read, the wanted one kept
// by mask, then negated by mask for a negative digit.
inline EdNiels select_niels(const EdNiels row[8], int8_t digit) {
  const uint64_t negative = static_cast<uint64_t>(static_cast<uint8_t>(digit) >> 7);
  const uint64_t magnitude = static_cast<uint8_t>((digit ^ -static_cast<int>(negative)) +
                                                  static_cast<int>(negative));
  EdNiels r{kOne, kOne, kZero};  // the identity
  TERN_X25519_UNROLL
  for (uint64_t j = 1; j <= 8; ++j) {
    const uint64_t diff = magnitude ^ j;
    const uint64_t equal = ((diff | (0 - diff)) >> 63) ^ 1;
    fe_cmov(r.ypx, row[j - 1].ypx, equal);
    fe_cmov(r.ymx, row[j - 1].ymx, equal);
    fe_cmov(r.xy2d, row[j - 1].xy2d, equal);
  }
  // -(x, y) = (-x, y): swap y + x with y - x, negate 2dxy.
  fe_cswap(r.ypx, r.ymx, negative);
  Fe minus;
  fe_neg(minus, r.xy2d);
  fe_cmov(r.xy2d, minus, negative);
  return r;
}

// The scalar (below 2^255, as after clamping) as 64 signed digits in [-8, 8).
inline void signed_radix16(int8_t e[64], const uint8_t k[32]) {
  for (int i = 0; i < 32; ++i) {
    e[2 * i] = static_cast<int8_t>(k[i] & 15);
    e[2 * i + 1] = static_cast<int8_t>(k[i] >> 4);
  }
  int8_t carry = 0;
  for (int i = 0; i < 63; ++i) {
    e[i] = static_cast<int8_t>(e[i] + carry);
    carry = static_cast<int8_t>((e[i] + 8) >> 4);
    e[i] = static_cast<int8_t>(e[i] - carry * 16);
  }
  e[63] = static_cast<int8_t>(e[63] + carry);  // at most 8: the scalar is below 2^255
}

// The u-coordinate of k·B for B the base point (u = 9): sum e_i 16^i B as
// 16·(sum over odd i of e_i 256^((i-1)/2) B) + (sum over even i of e_i 256^(i/2) B), so
// 64 additions of table entries and four doublings, then u = (Z + Y) / (Z - Y).
template <class F>
Fe fixed_base(const uint8_t k[32], const BaseTable& table) {
  int8_t e[64];
  signed_radix16(e, k);
  EdPoint acc = ed_identity();
  for (int i = 1; i < 64; i += 2) ed_add_niels<F>(acc, acc, select_niels(table[i / 2], e[i]));
  for (int i = 0; i < 4; ++i) ed_double<F>(acc, acc);
  for (int i = 0; i < 64; i += 2) ed_add_niels<F>(acc, acc, select_niels(table[i / 2], e[i]));
  Fe num, den;
  F::add(num, acc.z, acc.y);
  F::sub(den, acc.z, acc.y);
  Fe u;
  F::mul(u, num, fe_invert<F>(den));
  return u;
}

}  // namespace tern::crypto::x25519
