// SPDX-License-Identifier: Apache-2.0
// The curve's constants and the generator's precomputed odd multiples.
#include "crypto/p256/generator_table.h"

#include "crypto/p256/impl.h"

namespace tern::crypto::p256 {

// G and b of FIPS 186-5 / SEC 2 in Montgomery form (the test compares them with
// libcrypto's curve).
const Affine kGenerator = {
    {{0x79e730d418a9143c, 0x75ba95fc5fedb601, 0x79fb732b77622510, 0x18905f76a53755c6}},
    {{0xddf25357ce95560a, 0x8b4ab8e4ba19e45c, 0xd2e88688dd21f325, 0x8571ff1825885d85}}};
const Fe kB = {{0xd89cdf6229c4bddf, 0xacf005cd78843090, 0xe5a220abf7212ed6, 0xdc30061d04874834}};

namespace {

using PortableCurve = Curve<fe_mul_portable, fe_sqr_portable>;

// a^(p-2) = a^-1 (Fermat), square-and-multiply; only for building the table.
Fe fe_invert(const Fe& a) {
  Fe e = kP;
  e.v[0] -= 2;
  Fe acc = kOne;
  for (int bit = 255; bit >= 0; --bit) {
    fe_mul_portable(acc, acc, acc);
    if ((e.v[bit / 64] >> (bit % 64)) & 1) fe_mul_portable(acc, acc, a);
  }
  return acc;
}

}  // namespace

void compute_generator_table(Affine out[kGeneratorTableSize]) {
  Jacobian g{kGenerator.x, kGenerator.y, kOne}, g2, multiple = g;
  PortableCurve::dbl(g2, g);
  for (size_t i = 0; i < kGeneratorTableSize; ++i) {
    if (i > 0) PortableCurve::add(multiple, multiple, g2);
    const Fe zinv = fe_invert(multiple.z);
    Fe zinv2, zinv3;
    fe_mul_portable(zinv2, zinv, zinv);
    fe_mul_portable(zinv3, zinv2, zinv);
    fe_mul_portable(out[i].x, multiple.x, zinv2);
    fe_mul_portable(out[i].y, multiple.y, zinv3);
  }
}

const Affine* generator_table() {
  static_assert(sizeof(kGeneratorTableLimbs) == kGeneratorTableSize * sizeof(Affine));
  static_assert(sizeof(Affine) == 8 * sizeof(uint64_t));
  return reinterpret_cast<const Affine*>(kGeneratorTableLimbs);
}

}  // namespace tern::crypto::p256
