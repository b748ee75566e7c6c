// SPDX-License-Identifier: Apache-2.0
// Arithmetic modulo the group order n of P-256, for ECDSA verification's
// u1 = e·s^-1 and u2 = r·s^-1 only: Montgomery multiplication (portable; a verification
// does a handful, against some 3,000 field multiplications) and the inversion of s by
// Kaliski's binary almost inverse. Public values, variable time.
#pragma once

#include <cstdint>

#include "crypto/p256/field.h"

namespace tern::crypto::p256 {

struct Scalar {
  uint64_t v[4];
};

inline constexpr Scalar kN = {{0xf3b9cac2fc632551, 0xbce6faada7179e84, 0xffffffffffffffff,
                               0xffffffff00000000}};
// R^2 mod n, and -n^-1 mod 2^64.
inline constexpr Scalar kNRR = {{0x83244c95be79eea2, 0x4699799c49bd6fa6, 0x2845b2392b6bec59,
                                 0x66e12d94f3d95620}};
inline constexpr uint64_t kNInv = 0xccd1c8aaee00bc4f;

// Montgomery multiplication r = a·b/R mod n, for a < 2^256 and b < n.
void scalar_mul(Scalar& r, const Scalar& a, const Scalar& b);
// a^-1 mod n for 0 < a < n, as a plain (not Montgomery) integer.
Scalar scalar_inverse(const Scalar& a);
// a mod n for any a < 2^256 (one subtraction suffices: 2^256 < 2n).
inline Scalar scalar_reduce(const Scalar& a) {
  Scalar t;
  return sub256(t.v, a.v, kN.v) ? a : t;
}

}  // namespace tern::crypto::p256
