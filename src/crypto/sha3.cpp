// SPDX-License-Identifier: Apache-2.0
#include "crypto/sha3.h"

#include <bit>
#include <cstring>
#include <utility>

#include "base/secret.h"

namespace tern::crypto {
namespace {

template <int n>
[[gnu::always_inline]] inline uint64_t rotl(uint64_t v) {
  if constexpr (n == 0) {
    return v;
  } else {
    return (v << n) | (v >> (64 - n));
  }
}

// One round of Algorithm 7 from a into e, an output plane at a time: pi puts lane
// (x + 3y, x) of the input at (x, y) of the output (A'[x, y] = A[x + 3y, x]), rotated by
// rho after theta; chi then combines the plane's five lanes. Only five rotated lanes are
// live at once, which spills fewer registers than whole-state steps. Always inlined so
// that unoptimised (sanitizer) builds are not dominated by calls.
template <int y, int... x>
[[gnu::always_inline]] inline void keccak_plane(const uint64_t* a, uint64_t* e, const uint64_t* d,
                                                std::integer_sequence<int, x...>) {
  const uint64_t b[5] = {rotl<keccak::kConstants.rho[(x + 3 * y) % 5 + 5 * x]>(
      a[(x + 3 * y) % 5 + 5 * x] ^ d[(x + 3 * y) % 5])...};
  ((e[x + 5 * y] = b[x] ^ (~b[(x + 1) % 5] & b[(x + 2) % 5])), ...);
}

template <int... y>
[[gnu::always_inline]] inline void keccak_round(const uint64_t* a, uint64_t* e, uint64_t iota,
                                                std::integer_sequence<int, y...>) {
  uint64_t c[5], d[5];  // theta's column parities and their combination
#pragma GCC unroll 5
  for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma GCC unroll 5
  for (int x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ rotl<1>(c[(x + 1) % 5]);
  (keccak_plane<y>(a, e, d, std::make_integer_sequence<int, 5>()), ...);
  e[0] ^= iota;
}

// XORs n bytes (n <= 200) into the state starting at byte `offset`, little-endian lanes.
void xor_bytes(uint64_t lanes[25], size_t offset, const uint8_t* in, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    size_t b = offset + i;
    lanes[b / 8] ^= static_cast<uint64_t>(in[i]) << (8 * (b % 8));
  }
}

void read_bytes(const uint64_t lanes[25], size_t offset, uint8_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    size_t b = offset + i;
    out[i] = static_cast<uint8_t>(lanes[b / 8] >> (8 * (b % 8)));
  }
}

// Whole lanes: on little-endian hosts a lane's bytes are its memory layout.
void xor_lanes(uint64_t lanes[25], const uint8_t* in, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    uint64_t v;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&v, in + 8 * i, 8);
    } else {
      v = 0;
      for (int b = 0; b < 8; ++b) v |= static_cast<uint64_t>(in[8 * i + b]) << (8 * b);
    }
    lanes[i] ^= v;
  }
}

void read_lanes(const uint64_t lanes[25], uint8_t* out, size_t count) {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out, lanes, 8 * count);
  } else {
    read_bytes(lanes, 0, out, 8 * count);
  }
}

}  // namespace

void keccak_f1600(uint64_t a[25]) {
  // Two rounds per iteration, a -> e -> a, so no copy is needed.
  uint64_t e[25];
  for (int round = 0; round < 24; round += 2) {
    keccak_round(a, e, keccak::kConstants.iota[round], std::make_integer_sequence<int, 5>());
    keccak_round(e, a, keccak::kConstants.iota[round + 1], std::make_integer_sequence<int, 5>());
  }
}

KeccakSponge::~KeccakSponge() { base::secure_zero(lanes_, sizeof(lanes_)); }

void KeccakSponge::absorb(BytesView data) {
  const uint8_t* in = data.data();
  size_t n = data.size();
  if (pos_ > 0) {  // finish a partial block
    size_t take = std::min(n, rate_ - pos_);
    xor_bytes(lanes_, pos_, in, take);
    pos_ += take;
    in += take;
    n -= take;
    if (pos_ < rate_) return;
    keccak_f1600(lanes_);
    pos_ = 0;
  }
  while (n >= rate_) {
    xor_lanes(lanes_, in, rate_ / 8);
    keccak_f1600(lanes_);
    in += rate_;
    n -= rate_;
  }
  xor_bytes(lanes_, 0, in, n);
  pos_ = n;
}

void KeccakSponge::pad() {
  // pad10*1 after the domain bits: the suffix byte carries both, the final 1 is the top
  // bit of the block's last byte.
  const uint8_t s = suffix_;
  xor_bytes(lanes_, pos_, &s, 1);
  const uint8_t last = 0x80;
  xor_bytes(lanes_, rate_ - 1, &last, 1);
  keccak_f1600(lanes_);
  pos_ = 0;
  squeezing_ = true;
}

void KeccakSponge::squeeze(std::span<uint8_t> out) {
  if (!squeezing_) pad();
  uint8_t* o = out.data();
  size_t n = out.size();
  while (n > 0) {
    if (pos_ == rate_) {
      keccak_f1600(lanes_);
      pos_ = 0;
    }
    size_t take = std::min(n, rate_ - pos_);
    if (pos_ == 0 && take == rate_) {
      read_lanes(lanes_, o, rate_ / 8);
    } else {
      read_bytes(lanes_, pos_, o, take);
    }
    pos_ += take;
    o += take;
    n -= take;
  }
}

void KeccakSponge::squeeze_blocks(uint8_t* out, size_t blocks) {
  if (!squeezing_) pad();
  for (size_t i = 0; i < blocks; ++i) {
    if (pos_ == rate_) keccak_f1600(lanes_);
    read_lanes(lanes_, out + i * rate_, rate_ / 8);
    pos_ = rate_;
  }
}

namespace {

void run(size_t rate, uint8_t suffix, std::initializer_list<BytesView> parts,
         std::span<uint8_t> out) {
  KeccakSponge sponge(rate, suffix);
  for (BytesView p : parts) sponge.absorb(p);
  sponge.squeeze(out);
}

}  // namespace

void sha3_256(std::initializer_list<BytesView> parts, std::span<uint8_t, 32> out) {
  run(kSha3_256Rate, 0x06, parts, out);
}
void sha3_512(std::initializer_list<BytesView> parts, std::span<uint8_t, 64> out) {
  run(kSha3_512Rate, 0x06, parts, out);
}
void shake128(std::initializer_list<BytesView> parts, std::span<uint8_t> out) {
  run(kShake128Rate, 0x1f, parts, out);
}
void shake256(std::initializer_list<BytesView> parts, std::span<uint8_t> out) {
  run(kShake256Rate, 0x1f, parts, out);
}

}  // namespace tern::crypto
