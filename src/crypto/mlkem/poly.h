// SPDX-License-Identifier: Apache-2.0
// Polynomials of R_q = Z_q[X]/(X^256 + 1) and their NTT representation (FIPS 203 §4.3),
// with Montgomery (R = 2^16) and Barrett reductions. Coefficients are int16_t and kept
// loosely reduced between steps; each function states the range it returns.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/mlkem/params.h"

namespace tern::crypto::mlkem {

struct Poly {
  int16_t c[kN];
};

// a * 2^-16 mod q, in (-q, q), for |a| < 2^15 * q.
inline int16_t montgomery_reduce(int32_t a) {
  constexpr int16_t kQInv = -3327;  // q^-1 mod 2^16, as a signed value
  int16_t t = static_cast<int16_t>(static_cast<int16_t>(a) * kQInv);
  return static_cast<int16_t>((a - static_cast<int32_t>(t) * kQ) >> 16);
}

// a mod q, centred: in [-(q-1)/2, (q-1)/2].
inline int16_t barrett_reduce(int16_t a) {
  constexpr int32_t kV = ((1 << 26) + kQ / 2) / kQ;
  int16_t t = static_cast<int16_t>((kV * a + (1 << 25)) >> 26);
  return static_cast<int16_t>(a - t * kQ);
}

// a * b * 2^-16 mod q, in (-q, q).
inline int16_t fqmul(int16_t a, int16_t b) {
  return montgomery_reduce(static_cast<int32_t>(a) * b);
}

// Any int16 value to its representative in [0, q).
inline int16_t to_unsigned(int16_t a) {
  a = barrett_reduce(a);
  return static_cast<int16_t>(a + ((a >> 15) & kQ));
}

// Compress_d / Decompress_d of FIPS 203 §4.2.1 on x in [0, q). No division: the quotient
// by q comes from a multiply and shift (exact for every input, checked by a unit test).
inline uint16_t compress(uint16_t x, int d) {
  constexpr uint64_t kMul = ((uint64_t{1} << 36) + kQ - 1) / kQ;  // ceil(2^36 / q)
  uint32_t t = (static_cast<uint32_t>(x) << d) + kQ / 2;
  return static_cast<uint16_t>(((t * kMul) >> 36) & ((1u << d) - 1));
}
inline uint16_t decompress(uint16_t y, int d) {
  return static_cast<uint16_t>((static_cast<uint32_t>(y) * kQ + (1u << (d - 1))) >> d);
}

// In place; input |f_i| < q, output centred (Barrett).
void ntt(Poly& f);
// In place; input |f_i| < q, output in (-q, q). Includes the 1/128 scale and undoes the
// 2^-16 that dot_ntt leaves, so inv_ntt(dot_ntt(a, b)) is the plain product.
void inv_ntt(Poly& f);
// out = sum_i a[i] o b[i] (NTT-domain products) times 2^-16, in (-q, q). Inputs |.| < q;
// the sum is accumulated in 32 bits and reduced once per coefficient.
void dot_ntt(Poly& out, const Poly* a, const Poly* b, int k);

void poly_add(Poly& r, const Poly& a);
void poly_sub(Poly& r, const Poly& a, const Poly& b);  // r = a - b
void poly_reduce(Poly& f);                             // centred
void poly_to_unsigned(Poly& f);                        // [0, q)
void poly_to_montgomery(Poly& f);                      // times 2^16, in (-q, q)

// ByteEncode_d / ByteDecode_d (Algorithms 5 and 6). Encode takes coefficients in [0, 2^d)
// (for d = 12, [0, q)); out/in have 32 * d bytes. decode12 reduces mod q as the spec does.
void encode(std::span<uint8_t> out, const Poly& f, int d);
void decode(Poly& f, std::span<const uint8_t> in, int d);
// True if every 12-bit value in the 384 bytes is below q (the §7.2 modulus check).
bool coefficients_reduced(std::span<const uint8_t> in);

void poly_compress(Poly& f, int d);    // f in [0, q) -> [0, 2^d)
void poly_decompress(Poly& f, int d);  // [0, 2^d) -> [0, q)

// SampleNTT (Algorithm 7): the NTT-domain matrix entry from XOF(rho || j || i); public.
void sample_ntt(Poly& out, std::span<const uint8_t, kSymBytes> rho, uint8_t j, uint8_t i);
// SamplePolyCBD_eta (Algorithm 8) over PRF_eta(seed, nonce) (eta is 2 or 3).
void sample_cbd(Poly& out, std::span<const uint8_t, kSymBytes> seed, uint8_t nonce, int eta);

}  // namespace tern::crypto::mlkem
