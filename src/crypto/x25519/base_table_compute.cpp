// SPDX-License-Identifier: Apache-2.0
// The fixed-base table from first principles: d = -121665/121666, the Edwards base point
// with y = 4/5 (the image of u = 9 under y = (u - 1)/(u + 1)) and x the even square root
// of (y^2 - 1)/(d y^2 + 1), then (j + 1)·256^i·B for every entry. Variable time, which is
// fine: every value here is public. tests/tools/gen_x25519_table.cpp prints the result
// as base_table.cpp; the unit tests recompute it and compare.
#include "crypto/x25519/impl.h"

namespace tern::crypto::x25519 {
namespace {

using F = PortableField;

// a^e for a public exponent e (four little-endian limbs), by square and multiply.
Fe fe_pow(const Fe& a, const uint64_t e[4]) {
  Fe r = kOne;
  for (int bit = 255; bit >= 0; --bit) {
    F::sqr(r, r);
    if ((e[bit / 64] >> (bit % 64)) & 1) F::mul(r, r, a);
  }
  return r;
}

bool fe_equal(const Fe& a, const Fe& b) {
  Fe d;
  fe_sub(d, a, b);
  return fe_is_zero(d) == 1;
}

Fe fe_small(uint64_t n) { return Fe{{n, 0, 0, 0}}; }

// A square root of v (which must have one), for p = 5 mod 8: c = v^((p+3)/8) and, when
// c^2 = -v, c·sqrt(-1) with sqrt(-1) = 2^((p-1)/4).
Fe fe_sqrt(const Fe& v) {
  static const uint64_t kPPlus3Over8[4] = {0xfffffffffffffffeULL, ~0ULL, ~0ULL,
                                            0x0fffffffffffffffULL};
  static const uint64_t kPMinus1Over4[4] = {0xfffffffffffffffbULL, ~0ULL, ~0ULL,
                                             0x1fffffffffffffffULL};
  Fe c = fe_pow(v, kPPlus3Over8);
  Fe c2;
  F::sqr(c2, c);
  if (!fe_equal(c2, v)) F::mul(c, c, fe_pow(fe_small(2), kPMinus1Over4));
  return c;
}

EdNiels to_niels(const EdPoint& p, const Fe& d2) {
  const Fe zinv = fe_invert<F>(p.z);
  Fe x, y, xy;
  F::mul(x, p.x, zinv);
  F::mul(y, p.y, zinv);
  EdNiels n;
  fe_add(n.ypx, y, x);
  fe_sub(n.ymx, y, x);
  F::mul(xy, x, y);
  F::mul(n.xy2d, xy, d2);
  n.ypx = fe_freeze(n.ypx);
  n.ymx = fe_freeze(n.ymx);
  n.xy2d = fe_freeze(n.xy2d);
  return n;
}

}  // namespace

void compute_base_table(BaseTable& out) {
  Fe d, d2, y, x, y2, num, den;
  fe_neg(d, fe_small(121665));
  F::mul(d, d, fe_invert<F>(fe_small(121666)));
  fe_add(d2, d, d);
  F::mul(y, fe_small(4), fe_invert<F>(fe_small(5)));
  F::sqr(y2, y);
  fe_sub(num, y2, kOne);
  F::mul(den, d, y2);
  fe_add(den, den, kOne);
  F::mul(x, num, fe_invert<F>(den));
  x = fe_freeze(fe_sqrt(x));
  if (x.v[0] & 1) fe_neg(x, x);  // the even root, as RFC 8032 names B

  EdPoint row_base{x, y, kOne, kZero};  // 256^i B
  F::mul(row_base.t, x, y);
  for (int i = 0; i < 32; ++i) {
    const EdNiels base = to_niels(row_base, d2);
    out[i][0] = base;
    EdPoint multiple = row_base;
    for (int j = 1; j < 8; ++j) {
      ed_add_niels<F>(multiple, multiple, base);
      out[i][j] = to_niels(multiple, d2);
    }
    for (int k = 0; k < 8; ++k) ed_double<F>(row_base, row_base);
  }
}

}  // namespace tern::crypto::x25519
