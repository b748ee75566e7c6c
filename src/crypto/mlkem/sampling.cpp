// SPDX-License-Identifier: Apache-2.0
// SampleNTT (rejection sampling from SHAKE128) and SamplePolyCBD (FIPS 203 §4.2.2),
// portable versions; poly.cpp chooses between these and the AVX2 ones.
#include <algorithm>
#include <array>

#include "base/secret.h"
#include "crypto/mlkem/impl.h"
#include "crypto/mlkem/poly.h"
#include "crypto/sha3.h"

namespace tern::crypto::mlkem {

size_t rejection_sample(int16_t* out, size_t count, const uint8_t* buf, size_t len) {
  // Two 12-bit candidates per 3 bytes. The matrix is public, so accepting by a data
  // dependent count is fine; writing unconditionally and advancing by the comparison
  // avoids a hard-to-predict branch per candidate. out has room for kN + 1 entries.
  size_t pos = 0;
  while (count < kN && pos + 3 <= len) {
    const uint16_t d1 = static_cast<uint16_t>(buf[pos] | ((buf[pos + 1] & 0x0f) << 8));
    const uint16_t d2 = static_cast<uint16_t>((buf[pos + 1] >> 4) | (buf[pos + 2] << 4));
    pos += 3;
    out[count] = static_cast<int16_t>(d1);
    count += d1 < kQ;
    out[count] = static_cast<int16_t>(d2);
    count += d2 < kQ;
  }
  return count < kN ? count : kN;
}

void sample_ntt_portable(Poly& out, std::span<const uint8_t, kSymBytes> rho, uint8_t j, uint8_t i) {
  const uint8_t indices[2] = {j, i};
  KeccakSponge xof(kShake128Rate, 0x1f);
  xof.absorb(rho);
  xof.absorb(indices);
  // Three blocks give 336 candidates, enough for 256 coefficients with probability about
  // 1 - 2^-38 (the CCTV "unlucky" vectors need more); then one block at a time.
  std::array<uint8_t, 3 * kShake128Rate> buf;
  xof.squeeze_blocks(buf.data(), 3);
  int16_t coeffs[kN + 1];
  size_t count = rejection_sample(coeffs, 0, buf.data(), buf.size());
  while (count < kN) {
    xof.squeeze_blocks(buf.data(), 1);
    count = rejection_sample(coeffs, count, buf.data(), kShake128Rate);
  }
  std::copy(coeffs, coeffs + kN, out.c);
}

void cbd_from_bytes(Poly& out, const uint8_t* prf, int eta) {
  if (eta == 2) {
    // Each 4-bit group holds x (2 bits) and y (2 bits); the coefficient is |x| - |y|.
    for (int w = 0; w < kN / 8; ++w) {
      uint32_t t = static_cast<uint32_t>(prf[4 * w]) | static_cast<uint32_t>(prf[4 * w + 1]) << 8 |
                   static_cast<uint32_t>(prf[4 * w + 2]) << 16 |
                   static_cast<uint32_t>(prf[4 * w + 3]) << 24;
      uint32_t sums = (t & 0x55555555u) + ((t >> 1) & 0x55555555u);
      for (int c = 0; c < 8; ++c) {
        int16_t x = static_cast<int16_t>((sums >> (4 * c)) & 3);
        int16_t y = static_cast<int16_t>((sums >> (4 * c + 2)) & 3);
        out.c[8 * w + c] = static_cast<int16_t>(x - y);
      }
    }
  } else {
    // eta = 3: each 6-bit group holds x and y of 3 bits each.
    for (int w = 0; w < kN / 4; ++w) {
      uint32_t t = static_cast<uint32_t>(prf[3 * w]) | static_cast<uint32_t>(prf[3 * w + 1]) << 8 |
                   static_cast<uint32_t>(prf[3 * w + 2]) << 16;
      uint32_t sums = (t & 0x249249u) + ((t >> 1) & 0x249249u) + ((t >> 2) & 0x249249u);
      for (int c = 0; c < 4; ++c) {
        int16_t x = static_cast<int16_t>((sums >> (6 * c)) & 7);
        int16_t y = static_cast<int16_t>((sums >> (6 * c + 3)) & 7);
        out.c[4 * w + c] = static_cast<int16_t>(x - y);
      }
    }
  }
}

void sample_cbd_portable(Poly& out, std::span<const uint8_t, kSymBytes> seed, uint8_t nonce,
                         int eta) {
  std::array<uint8_t, 64 * 3> buf;
  const uint8_t n[1] = {nonce};
  std::span<uint8_t> prf(buf.data(), 64 * static_cast<size_t>(eta));
  shake256({seed, n}, prf);
  cbd_from_bytes(out, prf.data(), eta);
  base::secure_zero(buf.data(), buf.size());
}

}  // namespace tern::crypto::mlkem
