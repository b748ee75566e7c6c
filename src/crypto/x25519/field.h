// SPDX-License-Identifier: Apache-2.0
// Arithmetic modulo p = 2^255 - 19 on four 64-bit limbs, shared by every path. Values are
// kept only partly reduced: any 256-bit number stands for its residue, and every
// operation takes and returns values below 2^256 (2^256 = 38 mod p folds the carries).
// Only freeze() gives the canonical residue. Nothing here branches on, or indexes memory
// by, a value: the carries are folded with multiplications and masks.
//
// Multiplication and squaring differ per path (PortableField here, AdxField in
// field_adx.h); the curve code (curve.h) is a template over them.
#pragma once

#include <cstdint>
#include <cstring>

namespace tern::crypto::x25519 {

__extension__ typedef unsigned __int128 u128;

struct Fe {
  uint64_t v[4];
};

inline constexpr Fe kZero{{0, 0, 0, 0}};
inline constexpr Fe kOne{{1, 0, 0, 0}};

// r = a + b.
inline void fe_add(Fe& r, const Fe& a, const Fe& b) {
  u128 c = 0;
  uint64_t t[4];
  for (int i = 0; i < 4; ++i) {
    c += static_cast<u128>(a.v[i]) + b.v[i];
    t[i] = static_cast<uint64_t>(c);
    c >>= 64;
  }
  // A carry out of bit 256 is worth 38; adding it can carry once more, and then the
  // low limb is below 38, so the second fold cannot overflow.
  c = static_cast<u128>(t[0]) + 38 * static_cast<uint64_t>(c);
  t[0] = static_cast<uint64_t>(c);
  c >>= 64;
  for (int i = 1; i < 4; ++i) {
    c += t[i];
    t[i] = static_cast<uint64_t>(c);
    c >>= 64;
  }
  t[0] += 38 * static_cast<uint64_t>(c);
  std::memcpy(r.v, t, sizeof t);
}

// r = a - b.
inline void fe_sub(Fe& r, const Fe& a, const Fe& b) {
  uint64_t t[4];
  uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    u128 d = static_cast<u128>(a.v[i]) - b.v[i] - borrow;
    t[i] = static_cast<uint64_t>(d);
    borrow = static_cast<uint64_t>(d >> 64) & 1;
  }
  // A borrow means we computed a - b + 2^256: take 38 off; a second borrow leaves the low
  // limb near 2^64, so a second 38 cannot borrow again.
  u128 d = static_cast<u128>(t[0]) - 38 * borrow;
  t[0] = static_cast<uint64_t>(d);
  borrow = static_cast<uint64_t>(d >> 64) & 1;
  for (int i = 1; i < 4; ++i) {
    d = static_cast<u128>(t[i]) - borrow;
    t[i] = static_cast<uint64_t>(d);
    borrow = static_cast<uint64_t>(d >> 64) & 1;
  }
  t[0] -= 38 * borrow;
  std::memcpy(r.v, t, sizeof t);
}

// r = -a.
inline void fe_neg(Fe& r, const Fe& a) { fe_sub(r, kZero, a); }

// r = a * k for a small constant k (< 2^32).
inline void fe_mul_small(Fe& r, const Fe& a, uint32_t k) {
  u128 c = 0;
  uint64_t t[4];
  for (int i = 0; i < 4; ++i) {
    c += static_cast<u128>(a.v[i]) * k;
    t[i] = static_cast<uint64_t>(c);
    c >>= 64;
  }
  c = static_cast<u128>(t[0]) + static_cast<u128>(static_cast<uint64_t>(c)) * 38;
  t[0] = static_cast<uint64_t>(c);
  c >>= 64;
  for (int i = 1; i < 4; ++i) {
    c += t[i];
    t[i] = static_cast<uint64_t>(c);
    c >>= 64;
  }
  t[0] += 38 * static_cast<uint64_t>(c);
  std::memcpy(r.v, t, sizeof t);
}

// Folds a 512-bit product lo[0..7] into four limbs (2^256 = 38).
inline void fe_reduce_wide(Fe& r, const uint64_t w[8]) {
  u128 c = 0;
  uint64_t t[4];
  for (int i = 0; i < 4; ++i) {
    c += static_cast<u128>(w[i + 4]) * 38 + w[i];
    t[i] = static_cast<uint64_t>(c);
    c >>= 64;
  }
  c = static_cast<u128>(t[0]) + static_cast<uint64_t>(c) * 38;
  t[0] = static_cast<uint64_t>(c);
  c >>= 64;
  for (int i = 1; i < 4; ++i) {
    c += t[i];
    t[i] = static_cast<uint64_t>(c);
    c >>= 64;
  }
  t[0] += 38 * static_cast<uint64_t>(c);
  std::memcpy(r.v, t, sizeof t);
}

// Swaps a and b when bit is 1, leaves them when 0, by mask.
inline void fe_cswap(Fe& a, Fe& b, uint64_t bit) {
  const uint64_t mask = 0 - bit;
  for (int i = 0; i < 4; ++i) {
    const uint64_t x = (a.v[i] ^ b.v[i]) & mask;
    a.v[i] ^= x;
    b.v[i] ^= x;
  }
}

// r = b when bit is 1, unchanged when 0.
inline void fe_cmov(Fe& r, const Fe& b, uint64_t bit) {
  const uint64_t mask = 0 - bit;
  for (int i = 0; i < 4; ++i) r.v[i] ^= (r.v[i] ^ b.v[i]) & mask;
}

// The canonical residue, below p.
inline Fe fe_freeze(const Fe& a) {
  Fe t = a;
  // Fold bit 255 (worth 19) twice: the value is then below 2^255.
  for (int round = 0; round < 2; ++round) {
    const uint64_t top = t.v[3] >> 63;
    t.v[3] &= 0x7fffffffffffffffULL;
    u128 c = static_cast<u128>(t.v[0]) + 19 * top;
    for (int i = 0; i < 4; ++i) {
      if (i > 0) c += t.v[i];
      t.v[i] = static_cast<uint64_t>(c);
      c >>= 64;
    }
  }
  // t < 2^255; t >= p exactly when t + 19 reaches 2^255, and then t - p = (t + 19) - 2^255.
  Fe s;
  u128 c = static_cast<u128>(t.v[0]) + 19;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) c += t.v[i];
    s.v[i] = static_cast<uint64_t>(c);
    c >>= 64;
  }
  const uint64_t ge = s.v[3] >> 63;
  s.v[3] &= 0x7fffffffffffffffULL;
  fe_cmov(t, s, ge);
  return t;
}

// Little-endian 32 bytes; the top bit is kept (callers mask it where RFC 7748 says so).
inline Fe fe_from_bytes(const uint8_t in[32]) {
  Fe r;
  for (int i = 0; i < 4; ++i) {
    uint64_t w = 0;
    for (int j = 7; j >= 0; --j) w = (w << 8) | in[8 * i + j];
    r.v[i] = w;
  }
  return r;
}

inline void fe_to_bytes(uint8_t out[32], const Fe& a) {
  const Fe t = fe_freeze(a);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 8; ++j) out[8 * i + j] = static_cast<uint8_t>(t.v[i] >> (8 * j));
  }
}

// 1 when a is 0 mod p, else 0, without a branch.
inline uint64_t fe_is_zero(const Fe& a) {
  const Fe t = fe_freeze(a);
  const uint64_t any = t.v[0] | t.v[1] | t.v[2] | t.v[3];
  return 1 ^ ((any | (0 - any)) >> 63);
}

// Schoolbook multiplication with 128-bit products: the portable path.
struct PortableField {
  static void mul(Fe& r, const Fe& a, const Fe& b) {
    uint64_t w[8] = {};
    for (int i = 0; i < 4; ++i) {
      u128 c = 0;
      for (int j = 0; j < 4; ++j) {
        c += static_cast<u128>(a.v[i]) * b.v[j] + w[i + j];
        w[i + j] = static_cast<uint64_t>(c);
        c >>= 64;
      }
      w[i + 4] = static_cast<uint64_t>(c);
    }
    fe_reduce_wide(r, w);
  }

  // The six cross products once, doubled, plus the four squares.
  static void sqr(Fe& r, const Fe& a) {
    uint64_t w[8] = {};
    for (int i = 0; i < 3; ++i) {
      u128 c = 0;
      for (int j = i + 1; j < 4; ++j) {
        c += static_cast<u128>(a.v[i]) * a.v[j] + w[i + j];
        w[i + j] = static_cast<uint64_t>(c);
        c >>= 64;
      }
      w[i + 4] = static_cast<uint64_t>(c);
    }
    // Double the cross products (they are below 2^511, so the top bit shifted out is 0).
    for (int k = 7; k > 0; --k) w[k] = (w[k] << 1) | (w[k - 1] >> 63);
    w[0] <<= 1;
    u128 c = 0;
    for (int i = 0; i < 4; ++i) {
      const u128 sq = static_cast<u128>(a.v[i]) * a.v[i];
      c += static_cast<u128>(w[2 * i]) + static_cast<uint64_t>(sq);
      w[2 * i] = static_cast<uint64_t>(c);
      c >>= 64;
      c += static_cast<u128>(w[2 * i + 1]) + static_cast<uint64_t>(sq >> 64);
      w[2 * i + 1] = static_cast<uint64_t>(c);
      c >>= 64;
    }
    fe_reduce_wide(r, w);
  }
};

}  // namespace tern::crypto::x25519
