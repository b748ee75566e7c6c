// SPDX-License-Identifier: Apache-2.0
// Arithmetic modulo p = 2^255 - 19 on four 64-bit limbs, shared by every path. Values are
// kept only partly reduced: any 256-bit number stands for its residue, and every
// operation takes and returns values below 2^256 (2^256 = 38 mod p folds the carries).
// Only freeze() gives the canonical residue. Nothing here branches on, or indexes memory
// by, a value: the carries are folded with multiplications and masks.
//
// Multiplication, squaring, addition and subtraction differ per path (PortableField here,
// AdxField in field_adx.h); the curve code (curve.h) is a template over them.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace tern::crypto::x25519 {

__extension__ typedef unsigned __int128 u128;

// The limb loops below have fixed, tiny counts; unrolled, their limbs live in registers
// (at -O2 GCC keeps most of them as loops over memory, three times slower).
#define TERN_X25519_UNROLL _Pragma("GCC unroll 16")

struct Fe {
  uint64_t v[4];
};

inline constexpr Fe kZero{{0, 0, 0, 0}};
inline constexpr Fe kOne{{1, 0, 0, 0}};

// Add and subtract with carry: adc/sbb chains through the intrinsics on x86-64 (baseline
// instructions), 128-bit arithmetic elsewhere.
inline uint64_t addc(uint64_t a, uint64_t b, unsigned char& carry) {
#if defined(__x86_64__)
  unsigned long long r;
  carry = _addcarry_u64(carry, a, b, &r);
  return r;
#else
  const u128 s = static_cast<u128>(a) + b + carry;
  carry = static_cast<unsigned char>(s >> 64);
  return static_cast<uint64_t>(s);
#endif
}

inline uint64_t subb(uint64_t a, uint64_t b, unsigned char& borrow) {
#if defined(__x86_64__)
  unsigned long long r;
  borrow = _subborrow_u64(borrow, a, b, &r);
  return r;
#else
  const u128 d = static_cast<u128>(a) - b - borrow;
  borrow = static_cast<unsigned char>((d >> 64) & 1);
  return static_cast<uint64_t>(d);
#endif
}

inline uint64_t lo64(u128 x) { return static_cast<uint64_t>(x); }
inline uint64_t hi64(u128 x) { return static_cast<uint64_t>(x >> 64); }

// t + 38·top for t below 2^256 and top below 2^58: the carry out of bit 256 is worth 38
// again, and after it the low limb is below 38·2, so a last 38 cannot carry.
inline void fe_fold(Fe& r, const uint64_t t[4], uint64_t top) {
  unsigned char c = 0;
  uint64_t r0 = addc(t[0], top * 38, c);
  const uint64_t r1 = addc(t[1], 0, c);
  const uint64_t r2 = addc(t[2], 0, c);
  const uint64_t r3 = addc(t[3], 0, c);
  r0 += (0 - static_cast<uint64_t>(c)) & 38;
  r.v[0] = r0;
  r.v[1] = r1;
  r.v[2] = r2;
  r.v[3] = r3;
}

// r = a + b.
inline void fe_add(Fe& r, const Fe& a, const Fe& b) {
  unsigned char c = 0;
  uint64_t t[4];
  t[0] = addc(a.v[0], b.v[0], c);
  t[1] = addc(a.v[1], b.v[1], c);
  t[2] = addc(a.v[2], b.v[2], c);
  t[3] = addc(a.v[3], b.v[3], c);
  fe_fold(r, t, c);
}

// r = a - b. A borrow means we computed a - b + 2^256: take 38 off; a second borrow leaves
// the low limb near 2^64, so a last 38 cannot borrow again.
inline void fe_sub(Fe& r, const Fe& a, const Fe& b) {
  unsigned char c = 0;
  uint64_t t0 = subb(a.v[0], b.v[0], c);
  uint64_t t1 = subb(a.v[1], b.v[1], c);
  uint64_t t2 = subb(a.v[2], b.v[2], c);
  uint64_t t3 = subb(a.v[3], b.v[3], c);
  const uint64_t fix = (0 - static_cast<uint64_t>(c)) & 38;
  c = 0;
  t0 = subb(t0, fix, c);
  t1 = subb(t1, 0, c);
  t2 = subb(t2, 0, c);
  t3 = subb(t3, 0, c);
  t0 -= (0 - static_cast<uint64_t>(c)) & 38;
  r.v[0] = t0;
  r.v[1] = t1;
  r.v[2] = t2;
  r.v[3] = t3;
}

// r = -a.
inline void fe_neg(Fe& r, const Fe& a) { fe_sub(r, kZero, a); }

// r = a * k for a small constant k (< 2^32).
inline void fe_mul_small(Fe& r, const Fe& a, uint32_t k) {
  const u128 p0 = static_cast<u128>(a.v[0]) * k, p1 = static_cast<u128>(a.v[1]) * k,
             p2 = static_cast<u128>(a.v[2]) * k, p3 = static_cast<u128>(a.v[3]) * k;
  unsigned char c = 0;
  uint64_t t[4];
  t[0] = lo64(p0);
  t[1] = addc(lo64(p1), hi64(p0), c);
  t[2] = addc(lo64(p2), hi64(p1), c);
  t[3] = addc(lo64(p3), hi64(p2), c);
  fe_fold(r, t, hi64(p3) + c);
}

// Folds a 512-bit product w[0..7] into four limbs (2^256 = 38).
inline void fe_reduce_wide(Fe& r, const uint64_t w[8]) {
  const u128 p4 = static_cast<u128>(w[4]) * 38, p5 = static_cast<u128>(w[5]) * 38,
             p6 = static_cast<u128>(w[6]) * 38, p7 = static_cast<u128>(w[7]) * 38;
  unsigned char c = 0;
  uint64_t t[4];
  t[0] = addc(w[0], lo64(p4), c);
  t[1] = addc(w[1], lo64(p5), c);
  t[2] = addc(w[2], lo64(p6), c);
  t[3] = addc(w[3], lo64(p7), c);
  uint64_t top = hi64(p7) + c;
  c = 0;
  t[1] = addc(t[1], hi64(p4), c);
  t[2] = addc(t[2], hi64(p5), c);
  t[3] = addc(t[3], hi64(p6), c);
  top += c;
  fe_fold(r, t, top);
}

// Swaps a and b when bit is 1, leaves them when 0, by mask.
inline void fe_cswap(Fe& a, Fe& b, uint64_t bit) {
  const uint64_t mask = 0 - bit;
  TERN_X25519_UNROLL
  for (int i = 0; i < 4; ++i) {
    const uint64_t x = (a.v[i] ^ b.v[i]) & mask;
    a.v[i] ^= x;
    b.v[i] ^= x;
  }
}

// r = b when bit is 1, unchanged when 0.
inline void fe_cmov(Fe& r, const Fe& b, uint64_t bit) {
  const uint64_t mask = 0 - bit;
  TERN_X25519_UNROLL
  for (int i = 0; i < 4; ++i) r.v[i] ^= (r.v[i] ^ b.v[i]) & mask;
}

// The canonical residue, below p.
inline Fe fe_freeze(const Fe& a) {
  Fe t = a;
  // Fold bit 255 (worth 19) twice: the value is then below 2^255.
  TERN_X25519_UNROLL
  for (int round = 0; round < 2; ++round) {
    const uint64_t top = t.v[3] >> 63;
    t.v[3] &= 0x7fffffffffffffffULL;
    u128 c = static_cast<u128>(t.v[0]) + 19 * top;
    TERN_X25519_UNROLL
    for (int i = 0; i < 4; ++i) {
      if (i > 0) c += t.v[i];
      t.v[i] = static_cast<uint64_t>(c);
      c >>= 64;
    }
  }
  // t < 2^255; t >= p exactly when t + 19 reaches 2^255, and then t - p = (t + 19) - 2^255.
  Fe s;
  u128 c = static_cast<u128>(t.v[0]) + 19;
  TERN_X25519_UNROLL
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
  TERN_X25519_UNROLL
  for (int i = 0; i < 4; ++i) {
    uint64_t w = 0;
    TERN_X25519_UNROLL
    for (int j = 7; j >= 0; --j) w = (w << 8) | in[8 * i + j];
    r.v[i] = w;
  }
  return r;
}

inline void fe_to_bytes(uint8_t out[32], const Fe& a) {
  const Fe t = fe_freeze(a);
  TERN_X25519_UNROLL
  for (int i = 0; i < 4; ++i) {
    TERN_X25519_UNROLL
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
  static void add(Fe& r, const Fe& a, const Fe& b) { fe_add(r, a, b); }
  static void sub(Fe& r, const Fe& a, const Fe& b) { fe_sub(r, a, b); }
  static void cswap(Fe& a, Fe& b, uint64_t bit) { fe_cswap(a, b, bit); }
  // r = a·121665 + b, with the ladder's (A - 2)/4.
  static void mul_a24_add(Fe& r, const Fe& a, const Fe& b) {
    fe_mul_small(r, a, 121665);
    fe_add(r, r, b);
  }
  // sum, diff = x' ± z' for (x', z') = (x, z) when bit is 0, (x_other, z_other) when 1.
  static void select_add_sub(Fe& sum, Fe& diff, const Fe& x, const Fe& z, const Fe& x_other,
                             const Fe& z_other, uint64_t bit) {
    Fe x_sel = x, z_sel = z;
    fe_cmov(x_sel, x_other, bit);
    fe_cmov(z_sel, z_other, bit);
    fe_add(sum, x_sel, z_sel);
    fe_sub(diff, x_sel, z_sel);
  }

  static void mul(Fe& r, const Fe& a, const Fe& b) {
    uint64_t w[8];
    // Row i adds a_i·b: the low halves of the four products through one carry chain, the
    // high halves (one limb up) through another.
    TERN_X25519_UNROLL
    for (int i = 0; i < 4; ++i) {
      u128 p[4];
      TERN_X25519_UNROLL
      for (int j = 0; j < 4; ++j) p[j] = static_cast<u128>(a.v[i]) * b.v[j];
      unsigned char c = 0;
      if (i == 0) {
        w[0] = lo64(p[0]);
        w[1] = addc(lo64(p[1]), hi64(p[0]), c);
        w[2] = addc(lo64(p[2]), hi64(p[1]), c);
        w[3] = addc(lo64(p[3]), hi64(p[2]), c);
        w[4] = hi64(p[3]) + c;
        continue;
      }
      TERN_X25519_UNROLL
      for (int j = 0; j < 4; ++j) w[i + j] = addc(w[i + j], lo64(p[j]), c);
      w[i + 4] = c;
      c = 0;
      TERN_X25519_UNROLL
      for (int j = 0; j < 4; ++j) w[i + j + 1] = addc(w[i + j + 1], hi64(p[j]), c);
    }
    fe_reduce_wide(r, w);
  }

  // The six cross products once, doubled, plus the four squares.
  static void sqr(Fe& r, const Fe& a) {
    const uint64_t a0 = a.v[0], a1 = a.v[1], a2 = a.v[2], a3 = a.v[3];
    const u128 p01 = static_cast<u128>(a0) * a1, p02 = static_cast<u128>(a0) * a2,
               p03 = static_cast<u128>(a0) * a3, p12 = static_cast<u128>(a1) * a2,
               p13 = static_cast<u128>(a1) * a3, p23 = static_cast<u128>(a2) * a3;
    uint64_t w[8];
    unsigned char c = 0;
    w[1] = lo64(p01);
    w[2] = addc(lo64(p02), hi64(p01), c);
    w[3] = addc(lo64(p03), hi64(p02), c);
    w[4] = hi64(p03) + c;
    c = 0;
    w[3] = addc(w[3], lo64(p12), c);
    w[4] = addc(w[4], lo64(p13), c);
    w[5] = c;
    c = 0;
    w[4] = addc(w[4], hi64(p12), c);
    w[5] = addc(w[5], hi64(p13), c);
    c = 0;
    w[5] = addc(w[5], lo64(p23), c);
    w[6] = hi64(p23) + c;
    // Doubled (the cross products are below 2^447, so nothing is shifted out).
    w[7] = w[6] >> 63;
    w[6] = (w[6] << 1) | (w[5] >> 63);
    w[5] = (w[5] << 1) | (w[4] >> 63);
    w[4] = (w[4] << 1) | (w[3] >> 63);
    w[3] = (w[3] << 1) | (w[2] >> 63);
    w[2] = (w[2] << 1) | (w[1] >> 63);
    w[1] <<= 1;
    const u128 s0 = static_cast<u128>(a0) * a0, s1 = static_cast<u128>(a1) * a1,
               s2 = static_cast<u128>(a2) * a2, s3 = static_cast<u128>(a3) * a3;
    c = 0;
    w[0] = lo64(s0);
    w[1] = addc(w[1], hi64(s0), c);
    w[2] = addc(w[2], lo64(s1), c);
    w[3] = addc(w[3], hi64(s1), c);
    w[4] = addc(w[4], lo64(s2), c);
    w[5] = addc(w[5], hi64(s2), c);
    w[6] = addc(w[6], lo64(s3), c);
    w[7] = addc(w[7], hi64(s3), c);
    fe_reduce_wide(r, w);
  }
};

}  // namespace tern::crypto::x25519
