// SPDX-License-Identifier: Apache-2.0
// Arithmetic modulo P-256's prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1 (FIPS 186-5, SEC 2)
// on four 64-bit limbs, least significant first, in Montgomery form (x·2^256 mod p), always
// fully reduced to [0, p). Additions and subtractions are shared; the multiplication has a
// portable version (unsigned __int128) and a mulx/adcx/adox one (field_adx.cpp). Only
// verification uses this, on public values, so nothing here needs to be constant time.
#pragma once

#include <cstdint>

namespace tern::crypto::p256 {

struct Fe {
  uint64_t v[4];
};

__extension__ typedef unsigned __int128 u128;  // a GNU extension, as -Wpedantic notes

// p, and R^2 mod p (R = 2^256) to enter Montgomery form.
inline constexpr Fe kP = {{0xffffffffffffffff, 0x00000000ffffffff, 0, 0xffffffff00000001}};
inline constexpr Fe kRR = {{0x0000000000000003, 0xfffffffbffffffff, 0xfffffffffffffffe,
                            0x00000004fffffffd}};
// 1 in Montgomery form: R mod p = 2^256 - p.
inline constexpr Fe kOne = {{0x0000000000000001, 0xffffffff00000000, 0xffffffffffffffff,
                             0x00000000fffffffe}};

inline bool fe_is_zero(const Fe& a) { return (a.v[0] | a.v[1] | a.v[2] | a.v[3]) == 0; }
inline bool fe_equal(const Fe& a, const Fe& b) {
  return ((a.v[0] ^ b.v[0]) | (a.v[1] ^ b.v[1]) | (a.v[2] ^ b.v[2]) | (a.v[3] ^ b.v[3])) == 0;
}

// r = a - b over 256 bits; returns the borrow.
inline uint64_t sub256(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
  uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    u128 d = static_cast<u128>(a[i]) - b[i] - borrow;
    r[i] = static_cast<uint64_t>(d);
    borrow = static_cast<uint64_t>(d >> 64) & 1;
  }
  return borrow;
}

// r = a + b over 256 bits; returns the carry.
inline uint64_t add256(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
  uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    u128 s = static_cast<u128>(a[i]) + b[i] + carry;
    r[i] = static_cast<uint64_t>(s);
    carry = static_cast<uint64_t>(s >> 64);
  }
  return carry;
}

// Reduces a value below 2p (its bit 256 in `top`) to [0, p).
inline void fe_reduce_once(Fe& r, uint64_t top) {
  Fe t;
  uint64_t borrow = sub256(t.v, r.v, kP.v);
  if (top || !borrow) r = t;
}

inline void fe_add(Fe& r, const Fe& a, const Fe& b) {
  uint64_t carry = add256(r.v, a.v, b.v);
  fe_reduce_once(r, carry);
}

inline void fe_sub(Fe& r, const Fe& a, const Fe& b) {
  if (sub256(r.v, a.v, b.v)) add256(r.v, r.v, kP.v);  // wraps back below p
}

inline void fe_neg(Fe& r, const Fe& a) {
  static constexpr Fe kZero = {};
  fe_sub(r, kZero, a);
}

inline void fe_double(Fe& r, const Fe& a) { fe_add(r, a, a); }

// Montgomery multiplication r = a·b/R mod p, portable. Since p ≡ -1 (mod 2^64), the
// reduction factor of each round is simply the low limb.
inline void fe_mul_portable(Fe& r, const Fe& a, const Fe& b) {
  uint64_t t[6] = {};
  for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    for (int j = 0; j < 4; ++j) {
      u128 x = static_cast<u128>(a.v[j]) * b.v[i] + t[j] + carry;
      t[j] = static_cast<uint64_t>(x);
      carry = static_cast<uint64_t>(x >> 64);
    }
    u128 top = static_cast<u128>(t[4]) + carry;
    t[4] = static_cast<uint64_t>(top);
    t[5] = static_cast<uint64_t>(top >> 64);
    // t += m·p with m = t[0] makes t[0] zero; then shift one limb down.
    const uint64_t m = t[0];
    carry = 0;
    for (int j = 0; j < 4; ++j) {
      u128 x = static_cast<u128>(m) * kP.v[j] + t[j] + carry;
      t[j] = static_cast<uint64_t>(x);
      carry = static_cast<uint64_t>(x >> 64);
    }
    top = static_cast<u128>(t[4]) + carry;
    t[0] = t[1], t[1] = t[2], t[2] = t[3];
    t[3] = static_cast<uint64_t>(top);
    t[4] = t[5] + static_cast<uint64_t>(top >> 64);
    t[5] = 0;
  }
  r = {{t[0], t[1], t[2], t[3]}};
  fe_reduce_once(r, t[4]);
}

// The same with mulx/adcx/adox; only call when adx_supported().
void fe_mul_adx(Fe& r, const Fe& a, const Fe& b);

// Big-endian 32 bytes <-> the integer's limbs (not Montgomery form).
inline void limbs_from_be(uint64_t r[4], const uint8_t in[32]) {
  for (int i = 0; i < 4; ++i) {
    uint64_t w = 0;
    for (int j = 0; j < 8; ++j) w = (w << 8) | in[(3 - i) * 8 + j];
    r[i] = w;
  }
}
inline void limbs_to_be(uint8_t out[32], const uint64_t a[4]) {
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 8; ++j) out[(3 - i) * 8 + j] = static_cast<uint8_t>(a[i] >> (56 - 8 * j));
  }
}

// a < b as 256-bit integers.
inline bool less256(const uint64_t a[4], const uint64_t b[4]) {
  uint64_t t[4];
  return sub256(t, a, b) != 0;
}

}  // namespace tern::crypto::p256
