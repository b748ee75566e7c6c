// SPDX-License-Identifier: Apache-2.0
// SHA3-256/512 and SHAKE128/256 (FIPS 202) for ML-KEM's H, G, J, PRF and XOF, on our own
// Keccak-f[1600]. Ours rather than libcrypto's because ML-KEM makes dozens of short hash
// calls per operation (EVP's per-call cost dominated) and needs to squeeze SHAKE output
// block by block, which OpenSSL 3.0 cannot. Inputs are given as a list of parts so callers
// need not concatenate. Nothing here allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>

#include "tern/bytes.h"

namespace tern::crypto {

namespace keccak {
// The step constants, derived at compile time from their definitions in FIPS 202 rather
// than typed in: rho's offsets (Algorithm 2) and iota's round constants (Algorithms 5, 6).
struct KeccakConstants {
  int rho[25] = {};
  uint64_t iota[24] = {};
};

constexpr bool rc(int t) {  // Algorithm 5: an LFSR over GF(2)[x] / (x^8 + x^6 + x^5 + x^4 + 1)
  if (t % 255 == 0) return true;
  unsigned r = 0x01;  // R = 10000000, bit i of r is R[i]
  for (int i = 1; i <= t % 255; ++i) {
    r <<= 1;  // R = 0 || R
    unsigned r8 = (r >> 8) & 1;
    r ^= r8 | (r8 << 4) | (r8 << 5) | (r8 << 6);
    r &= 0xff;  // Trunc_8
  }
  return (r & 1) != 0;
}

constexpr KeccakConstants make_constants() {
  KeccakConstants k;
  int x = 1, y = 0;
  for (int t = 0; t < 24; ++t) {
    k.rho[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
    int next_y = (2 * x + 3 * y) % 5;
    x = y;
    y = next_y;
  }
  for (int round = 0; round < 24; ++round) {
    for (int j = 0; j <= 6; ++j) {
      if (rc(j + 7 * round)) k.iota[round] |= uint64_t{1} << ((1 << j) - 1);
    }
  }
  return k;
}

inline constexpr KeccakConstants kConstants = make_constants();
static_assert(kConstants.iota[0] == 1 && kConstants.rho[1] == 1 && kConstants.rho[10] == 3);

}  // namespace keccak

// The permutation Keccak-f[1600] (FIPS 202 §3.4), lanes indexed x + 5 y.
void keccak_f1600(uint64_t lanes[25]);

constexpr size_t kShake128Rate = 168;
constexpr size_t kShake256Rate = 136;
constexpr size_t kSha3_256Rate = 136;
constexpr size_t kSha3_512Rate = 72;

// A Keccak sponge (FIPS 202 §4) with pad10*1 and a domain suffix (0x06 for SHA-3, 0x1f
// for SHAKE, both with the first padding bit folded in). Absorb, then squeeze any number
// of times; the state is wiped on destruction since inputs are often secret.
class KeccakSponge {
 public:
  KeccakSponge(size_t rate, uint8_t suffix) : rate_(rate), suffix_(suffix) {}
  ~KeccakSponge();
  KeccakSponge(const KeccakSponge&) = delete;
  KeccakSponge& operator=(const KeccakSponge&) = delete;

  void absorb(BytesView data);
  // Next out.size() bytes of output; the first call pads.
  void squeeze(std::span<uint8_t> out);
  // Exactly `blocks` whole rate-sized blocks; only directly after absorbing or after
  // earlier whole blocks (the fast path for rejection sampling).
  void squeeze_blocks(uint8_t* out, size_t blocks);
  size_t rate() const { return rate_; }

 private:
  void pad();
  uint64_t lanes_[25] = {};
  size_t rate_;
  size_t pos_ = 0;  // bytes absorbed into, or squeezed from, the current block
  uint8_t suffix_;
  bool squeezing_ = false;
};

void sha3_256(std::initializer_list<BytesView> parts, std::span<uint8_t, 32> out);
void sha3_512(std::initializer_list<BytesView> parts, std::span<uint8_t, 64> out);
// The first out.size() bytes of the XOF output.
void shake128(std::initializer_list<BytesView> parts, std::span<uint8_t> out);
void shake256(std::initializer_list<BytesView> parts, std::span<uint8_t> out);

// A SHAKE instance fed incrementally, then read incrementally.
class Shake {
 public:
  enum class Strength : uint8_t { shake128, shake256 };
  explicit Shake(Strength s)
      : sponge_(s == Strength::shake128 ? kShake128Rate : kShake256Rate, 0x1f) {}
  void absorb(BytesView data) { sponge_.absorb(data); }
  // Output continues where the previous squeeze stopped.
  void squeeze(std::span<uint8_t> out) { sponge_.squeeze(out); }
  // Kept for callers that read once: the same as squeeze.
  void finish(std::span<uint8_t> out) { sponge_.squeeze(out); }

 private:
  KeccakSponge sponge_;
};

}  // namespace tern::crypto
