// SampleNTT (rejection sampling from SHAKE128) and SamplePolyCBD (FIPS 203 §4.2.2).
#include <array>
#include <vector>

#include "crypto/mlkem/poly.h"
#include "crypto/sha3.h"

namespace tern::crypto::mlkem {
namespace {

constexpr size_t kShake128Rate = 168;
// Three blocks give 168 candidates, enough for 256 coefficients except with probability
// about 2^-38 (the CCTV "unlucky" vectors); then the stream is regenerated longer.
constexpr size_t kFirstRead = 3 * kShake128Rate;

// Consumes 3-byte groups from buf[pos..], two 12-bit candidates each. Returns the new
// position; `count` is how many coefficients are filled.
size_t parse(Poly& out, int& count, std::span<const uint8_t> buf, size_t pos) {
  while (count < kN && pos + 3 <= buf.size()) {
    uint16_t d1 = static_cast<uint16_t>(buf[pos] | ((buf[pos + 1] & 0x0f) << 8));
    uint16_t d2 = static_cast<uint16_t>((buf[pos + 1] >> 4) | (buf[pos + 2] << 4));
    pos += 3;
    if (d1 < kQ) out.c[count++] = static_cast<int16_t>(d1);
    if (d2 < kQ && count < kN) out.c[count++] = static_cast<int16_t>(d2);
  }
  return pos;
}

}  // namespace

void sample_ntt(Poly& out, std::span<const uint8_t, kSymBytes> rho, uint8_t j, uint8_t i) {
  const uint8_t indices[2] = {j, i};
  std::array<uint8_t, kFirstRead> first;
  shake128({rho, indices}, first);
  int count = 0;
  size_t pos = parse(out, count, first, 0);
  size_t length = kFirstRead;
  while (count < kN) {
    // SHAKE output of a longer length starts with the shorter one, so re-running the XOF
    // with twice the length continues the same stream.
    length *= 2;
    std::vector<uint8_t> longer(length);
    shake128({rho, indices}, longer);
    pos = parse(out, count, longer, pos);
  }
}

void sample_cbd(Poly& out, std::span<const uint8_t, kSymBytes> seed, uint8_t nonce, int eta) {
  std::array<uint8_t, 64 * 3> buf;
  const uint8_t n[1] = {nonce};
  std::span<uint8_t> prf(buf.data(), 64 * static_cast<size_t>(eta));
  shake256({seed, n}, prf);
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

}  // namespace tern::crypto::mlkem
