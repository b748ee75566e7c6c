// SPDX-License-Identifier: Apache-2.0
// Arithmetic modulo P-256's prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1 (FIPS 186-5, SEC 2)
// on four 64-bit limbs, least significant first, in Montgomery form (x·2^256 mod p), always
// fully reduced to [0, p). Additions and subtractions are shared; the multiplication has a
// portable version (unsigned __int128) and a mulx/adcx/adox one (field_adx.cpp). Only
// verification uses this, on public values, so nothing here needs to be constant time.
#pragma once

#include <cstdint>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

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

// Add and subtract with carry: x86-64's adc/sbb through their intrinsics, which both g++
// and clang turn into one carry chain; elsewhere the same with unsigned __int128.
inline uint8_t adc64(uint8_t carry, uint64_t a, uint64_t b, uint64_t& out) {
#if defined(__x86_64__)
  unsigned long long r;
  carry = _addcarry_u64(carry, a, b, &r);
  out = r;
  return carry;
#else
  const u128 s = static_cast<u128>(a) + b + carry;
  out = static_cast<uint64_t>(s);
  return static_cast<uint8_t>(s >> 64);
#endif
}
inline uint8_t sbb64(uint8_t borrow, uint64_t a, uint64_t b, uint64_t& out) {
#if defined(__x86_64__)
  unsigned long long r;
  borrow = _subborrow_u64(borrow, a, b, &r);
  out = r;
  return borrow;
#else
  const u128 d = static_cast<u128>(a) - b - borrow;
  out = static_cast<uint64_t>(d);
  return static_cast<uint8_t>((d >> 64) & 1);
#endif
}

// r = a - b over 256 bits; returns the borrow.
inline uint64_t sub256(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
  uint8_t borrow = sbb64(0, a[0], b[0], r[0]);
  borrow = sbb64(borrow, a[1], b[1], r[1]);
  borrow = sbb64(borrow, a[2], b[2], r[2]);
  return sbb64(borrow, a[3], b[3], r[3]);
}

// r = a + b over 256 bits; returns the carry.
inline uint64_t add256(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
  uint8_t carry = adc64(0, a[0], b[0], r[0]);
  carry = adc64(carry, a[1], b[1], r[1]);
  carry = adc64(carry, a[2], b[2], r[2]);
  return adc64(carry, a[3], b[3], r[3]);
}

// r = mask ? a : b, limb by limb, without a branch (which would mispredict half the time).
inline void fe_select(Fe& r, uint64_t mask, const Fe& a, const Fe& b) {
  for (int i = 0; i < 4; ++i) r.v[i] = (a.v[i] & mask) | (b.v[i] & ~mask);
}

// Reduces a value below 2p (its bit 256 in `top`) to [0, p).
inline void fe_reduce_once(Fe& r, uint64_t top) {
  Fe t;
  const uint64_t borrow = sub256(t.v, r.v, kP.v);
  // Keep r itself only if it was below p: no bit 256 and the subtraction borrowed.
  const uint64_t keep = 0 - (borrow & (top ^ 1));
  fe_select(r, keep, r, t);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

// Addition and subtraction in baseline x86-64 (add/adc, sub/sbb, cmov): half the
// instructions the compilers make of the intrinsics, and a doubling does about fourteen.
// The limbs are read through pointers; the unnamed "m" operands tell the compiler that
// the asm reads the values. The functions share these fragments, on registers t0..t3:

// t = the value at %[x].
#define TERN_P256_LOAD(x)          \
  "movq 0(%[" #x "]), %[t0]\n\t"   \
  "movq 8(%[" #x "]), %[t1]\n\t"   \
  "movq 16(%[" #x "]), %[t2]\n\t"  \
  "movq 24(%[" #x "]), %[t3]\n\t"
// t += the value at %[x], the carry out in CF.
#define TERN_P256_ADD(x)           \
  "addq 0(%[" #x "]), %[t0]\n\t"   \
  "adcq 8(%[" #x "]), %[t1]\n\t"   \
  "adcq 16(%[" #x "]), %[t2]\n\t"  \
  "adcq 24(%[" #x "]), %[t3]\n\t"
// t -= the value at %[x], the borrow out in CF.
#define TERN_P256_SUB(x)           \
  "subq 0(%[" #x "]), %[t0]\n\t"   \
  "sbbq 8(%[" #x "]), %[t1]\n\t"   \
  "sbbq 16(%[" #x "]), %[t2]\n\t"  \
  "sbbq 24(%[" #x "]), %[t3]\n\t"
// A sum below 2p (its carry in CF) to [0, p): t - p is kept unless that borrows (the sum
// was below p); top - borrow borrows only when there was no carry.
#define TERN_P256_REDUCE_SUM    \
  "sbbq %[top], %[top]\n\t"     \
  "movq %[t0], %[u0]\n\t"       \
  "movq %[t1], %[u1]\n\t"       \
  "movq %[t2], %[u2]\n\t"       \
  "movq %[t3], %[u3]\n\t"       \
  "subq $-1, %[u0]\n\t"         \
  "sbbq %[p1], %[u1]\n\t"       \
  "sbbq $0, %[u2]\n\t"          \
  "sbbq %[p3], %[u3]\n\t"       \
  "sbbq $0, %[top]\n\t"         \
  "cmovncq %[u0], %[t0]\n\t"    \
  "cmovncq %[u1], %[t1]\n\t"    \
  "cmovncq %[u2], %[t2]\n\t"    \
  "cmovncq %[u3], %[t3]\n\t"
// t += p & mask (mask all ones or zero): p's limbs are mask, mask's low half, 0 and
// mask & p[3].
#define TERN_P256_ADD_P_MASKED  \
  "movl %k[mask], %k[u1]\n\t"   \
  "movq %[mask], %[u3]\n\t"     \
  "andq %[p3], %[u3]\n\t"       \
  "addq %[mask], %[t0]\n\t"     \
  "adcq %[u1], %[t1]\n\t"       \
  "adcq $0, %[t2]\n\t"          \
  "adcq %[u3], %[t3]\n\t"
// A difference (its borrow in CF) plus p where it borrowed.
#define TERN_P256_FIX_DIFFERENCE "sbbq %[mask], %[mask]\n\t" TERN_P256_ADD_P_MASKED
#define TERN_P256_SUM_OUT                                                                  \
  [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [u0] "=&r"(u0),          \
      [u1] "=&r"(u1), [u2] "=&r"(u2), [u3] "=&r"(u3), [top] "=&r"(top)
#define TERN_P256_DIFFERENCE_OUT                                                           \
  [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [mask] "=&r"(mask),      \
      [u1] "=&r"(u1), [u3] "=&r"(u3)

inline void fe_add(Fe& r, const Fe& a, const Fe& b) {
  uint64_t t0, t1, t2, t3, u0, u1, u2, u3, top;
  __asm__(TERN_P256_LOAD(a) TERN_P256_ADD(b) TERN_P256_REDUCE_SUM
          : TERN_P256_SUM_OUT
          : [a] "r"(a.v), [b] "r"(b.v), "m"(a), "m"(b), [p1] "rm"(kP.v[1]), [p3] "rm"(kP.v[3])
          : "cc");
  r = {{t0, t1, t2, t3}};
}

inline void fe_sub(Fe& r, const Fe& a, const Fe& b) {
  uint64_t t0, t1, t2, t3, mask, u1, u3;
  __asm__(TERN_P256_LOAD(a) TERN_P256_SUB(b) TERN_P256_FIX_DIFFERENCE
          : TERN_P256_DIFFERENCE_OUT
          : [a] "r"(a.v), [b] "r"(b.v), "m"(a), "m"(b), [p3] "rm"(kP.v[3])
          : "cc");
  r = {{t0, t1, t2, t3}};
}

// r = a - b - c: fe_sub twice without storing the difference between.
inline void fe_sub2(Fe& r, const Fe& a, const Fe& b, const Fe& c) {
  uint64_t t0, t1, t2, t3, mask, u1, u3;
  __asm__(TERN_P256_LOAD(a) TERN_P256_SUB(b) TERN_P256_FIX_DIFFERENCE
          TERN_P256_SUB(c) TERN_P256_FIX_DIFFERENCE
          : TERN_P256_DIFFERENCE_OUT
          : [a] "r"(a.v), [b] "r"(b.v), [c] "r"(c.v), "m"(a), "m"(b), "m"(c), [p3] "rm"(kP.v[3])
          : "cc");
  r = {{t0, t1, t2, t3}};
}

// r = 3a: fe_add(t, a, a) then fe_add(r, t, a) without storing t.
inline void fe_triple(Fe& r, const Fe& a) {
  uint64_t t0, t1, t2, t3, u0, u1, u2, u3, top;
  __asm__(TERN_P256_LOAD(a)
          "addq %[t0], %[t0]\n\t"
          "adcq %[t1], %[t1]\n\t"
          "adcq %[t2], %[t2]\n\t"
          "adcq %[t3], %[t3]\n\t"
          TERN_P256_REDUCE_SUM TERN_P256_ADD(a) TERN_P256_REDUCE_SUM
          : TERN_P256_SUM_OUT
          : [a] "r"(a.v), "m"(a), [p1] "rm"(kP.v[1]), [p3] "rm"(kP.v[3])
          : "cc");
  r = {{t0, t1, t2, t3}};
}

// r = a/2 mod p: a plus p when a is odd (making it even), shifted right with the carry.
inline void fe_half(Fe& r, const Fe& a) {
  uint64_t t0, t1, t2, t3, mask, u1, u3;
  __asm__(TERN_P256_LOAD(a)
          "movl %k[t0], %k[mask]\n\t"
          "andl $1, %k[mask]\n\t"
          "negq %[mask]\n\t"
          TERN_P256_ADD_P_MASKED
          "sbbq %[mask], %[mask]\n\t"  // the carry, as all ones
          "shrdq $1, %[t1], %[t0]\n\t"
          "shrdq $1, %[t2], %[t1]\n\t"
          "shrdq $1, %[t3], %[t2]\n\t"
          "shrdq $1, %[mask], %[t3]\n\t"
          : TERN_P256_DIFFERENCE_OUT
          : [a] "r"(a.v), "m"(a), [p3] "rm"(kP.v[3])
          : "cc");
  r = {{t0, t1, t2, t3}};
}

#undef TERN_P256_LOAD
#undef TERN_P256_ADD
#undef TERN_P256_SUB
#undef TERN_P256_REDUCE_SUM
#undef TERN_P256_ADD_P_MASKED
#undef TERN_P256_FIX_DIFFERENCE
#undef TERN_P256_SUM_OUT
#undef TERN_P256_DIFFERENCE_OUT

#else

inline void fe_add(Fe& r, const Fe& a, const Fe& b) {
  uint64_t carry = add256(r.v, a.v, b.v);
  fe_reduce_once(r, carry);
}

inline void fe_sub(Fe& r, const Fe& a, const Fe& b) {
  // a - b, plus p where that borrowed.
  const uint64_t mask = 0 - sub256(r.v, a.v, b.v);
  const Fe p_or_zero{{kP.v[0] & mask, kP.v[1] & mask, kP.v[2] & mask, kP.v[3] & mask}};
  add256(r.v, r.v, p_or_zero.v);
}

inline void fe_sub2(Fe& r, const Fe& a, const Fe& b, const Fe& c) {
  fe_sub(r, a, b);
  fe_sub(r, r, c);
}

inline void fe_triple(Fe& r, const Fe& a) {
  Fe t;
  fe_add(t, a, a);
  fe_add(r, t, a);
}

inline void fe_half(Fe& r, const Fe& a) {
  const uint64_t mask = 0 - (a.v[0] & 1);
  const Fe p_or_zero{{kP.v[0] & mask, kP.v[1] & mask, 0, kP.v[3] & mask}};
  uint64_t t[4];
  const uint64_t top = add256(t, a.v, p_or_zero.v);
  r.v[0] = (t[0] >> 1) | (t[1] << 63);
  r.v[1] = (t[1] >> 1) | (t[2] << 63);
  r.v[2] = (t[2] >> 1) | (t[3] << 63);
  r.v[3] = (t[3] >> 1) | (top << 63);
}

#endif

inline void fe_neg(Fe& r, const Fe& a) {
  static constexpr Fe kZero = {};
  fe_sub(r, kZero, a);
}

inline void fe_double(Fe& r, const Fe& a) { fe_add(r, a, a); }


// The 192-bit column accumulator (c2:c1:c0) += a·b.
inline void mul_add(uint64_t& c0, uint64_t& c1, uint64_t& c2, uint64_t a, uint64_t b) {
  const u128 product = static_cast<u128>(a) * b;
  const u128 sum = ((static_cast<u128>(c1) << 64) | c0) + product;
  c2 += sum < product;
  c0 = static_cast<uint64_t>(sum);
  c1 = static_cast<uint64_t>(sum >> 64);
}

// r = t/R mod p for the 512-bit t = t0..t7 (t < p·R), then one subtraction of p. Each of
// the four rounds adds m·p with m the lowest remaining limb (p ≡ -1 mod 2^64, so
// -p^-1 ≡ 1), which zeroes that limb. p's shape makes m·p = m·2^256 - m·2^224 + m·2^192 +
// m·2^96 - m: the -m cancels the limb, m·2^96 is m shifted into the next two limbs, and the
// top three terms are m·(2^64 - 2^32 + 1) = m·p[3] two limbs further: one multiplication
// instead of four. Each round's carry runs on to the top limb t8 in the same chain.
__attribute__((always_inline)) inline void fe_montgomery_reduce(Fe& r, uint64_t t0, uint64_t t1,
                                                                uint64_t t2, uint64_t t3,
                                                                uint64_t t4, uint64_t t5,
                                                                uint64_t t6, uint64_t t7) {
  uint64_t t8 = 0;
  u128 h = static_cast<u128>(t0) * kP.v[3];
  uint8_t c = adc64(0, t1, t0 << 32, t1);
  c = adc64(c, t2, t0 >> 32, t2);
  c = adc64(c, t3, static_cast<uint64_t>(h), t3);
  c = adc64(c, t4, static_cast<uint64_t>(h >> 64), t4);
  c = adc64(c, t5, 0, t5);
  c = adc64(c, t6, 0, t6);
  c = adc64(c, t7, 0, t7);
  t8 += c;
  h = static_cast<u128>(t1) * kP.v[3];
  c = adc64(0, t2, t1 << 32, t2);
  c = adc64(c, t3, t1 >> 32, t3);
  c = adc64(c, t4, static_cast<uint64_t>(h), t4);
  c = adc64(c, t5, static_cast<uint64_t>(h >> 64), t5);
  c = adc64(c, t6, 0, t6);
  c = adc64(c, t7, 0, t7);
  t8 += c;
  h = static_cast<u128>(t2) * kP.v[3];
  c = adc64(0, t3, t2 << 32, t3);
  c = adc64(c, t4, t2 >> 32, t4);
  c = adc64(c, t5, static_cast<uint64_t>(h), t5);
  c = adc64(c, t6, static_cast<uint64_t>(h >> 64), t6);
  c = adc64(c, t7, 0, t7);
  t8 += c;
  h = static_cast<u128>(t3) * kP.v[3];
  c = adc64(0, t4, t3 << 32, t4);
  c = adc64(c, t5, t3 >> 32, t5);
  c = adc64(c, t6, static_cast<uint64_t>(h), t6);
  c = adc64(c, t7, static_cast<uint64_t>(h >> 64), t7);
  t8 += c;
  r = {{t4, t5, t6, t7}};
  fe_reduce_once(r, t8);
}

// Montgomery multiplication r = a·b/R mod p, portable: the 512-bit product column by
// column, then four reduction rounds.
inline void fe_mul_portable(Fe& r, const Fe& a, const Fe& b) {
  const uint64_t a0 = a.v[0], a1 = a.v[1], a2 = a.v[2], a3 = a.v[3];
  const uint64_t b0 = b.v[0], b1 = b.v[1], b2 = b.v[2], b3 = b.v[3];
  uint64_t c0 = 0, c1 = 0, c2 = 0;
  auto next_column = [&](uint64_t& out) { out = c0, c0 = c1, c1 = c2, c2 = 0; };
  uint64_t t0, t1, t2, t3, t4, t5, t6, t7;
  mul_add(c0, c1, c2, a0, b0);
  next_column(t0);
  mul_add(c0, c1, c2, a0, b1);
  mul_add(c0, c1, c2, a1, b0);
  next_column(t1);
  mul_add(c0, c1, c2, a0, b2);
  mul_add(c0, c1, c2, a1, b1);
  mul_add(c0, c1, c2, a2, b0);
  next_column(t2);
  mul_add(c0, c1, c2, a0, b3);
  mul_add(c0, c1, c2, a1, b2);
  mul_add(c0, c1, c2, a2, b1);
  mul_add(c0, c1, c2, a3, b0);
  next_column(t3);
  mul_add(c0, c1, c2, a1, b3);
  mul_add(c0, c1, c2, a2, b2);
  mul_add(c0, c1, c2, a3, b1);
  next_column(t4);
  mul_add(c0, c1, c2, a2, b3);
  mul_add(c0, c1, c2, a3, b2);
  next_column(t5);
  mul_add(c0, c1, c2, a3, b3);
  t6 = c0, t7 = c1;
  fe_montgomery_reduce(r, t0, t1, t2, t3, t4, t5, t6, t7);
}

// r = a·a/R mod p, portable: the six cross products once, doubled, plus the four squares.
inline void fe_sqr_portable(Fe& r, const Fe& a) {
  const uint64_t a0 = a.v[0], a1 = a.v[1], a2 = a.v[2], a3 = a.v[3];
  uint64_t c0 = 0, c1 = 0, c2 = 0;
  auto next_column = [&](uint64_t& out) { out = c0, c0 = c1, c1 = c2, c2 = 0; };
  uint64_t t1, t2, t3, t4, t5, t6;
  mul_add(c0, c1, c2, a0, a1);
  next_column(t1);
  mul_add(c0, c1, c2, a0, a2);
  next_column(t2);
  mul_add(c0, c1, c2, a0, a3);
  mul_add(c0, c1, c2, a1, a2);
  next_column(t3);
  mul_add(c0, c1, c2, a1, a3);
  next_column(t4);
  mul_add(c0, c1, c2, a2, a3);
  next_column(t5);
  t6 = c0;  // the cross products sum to less than 2^448
  // Doubled: shifted left one bit.
  uint64_t t7 = t6 >> 63;
  t6 = (t6 << 1) | (t5 >> 63);
  t5 = (t5 << 1) | (t4 >> 63);
  t4 = (t4 << 1) | (t3 >> 63);
  t3 = (t3 << 1) | (t2 >> 63);
  t2 = (t2 << 1) | (t1 >> 63);
  t1 <<= 1;
  // Plus a_i^2 at limbs 2i, 2i+1.
  const u128 s0 = static_cast<u128>(a0) * a0, s1 = static_cast<u128>(a1) * a1;
  const u128 s2 = static_cast<u128>(a2) * a2, s3 = static_cast<u128>(a3) * a3;
  const uint64_t t0 = static_cast<uint64_t>(s0);
  uint8_t c = adc64(0, t1, static_cast<uint64_t>(s0 >> 64), t1);
  c = adc64(c, t2, static_cast<uint64_t>(s1), t2);
  c = adc64(c, t3, static_cast<uint64_t>(s1 >> 64), t3);
  c = adc64(c, t4, static_cast<uint64_t>(s2), t4);
  c = adc64(c, t5, static_cast<uint64_t>(s2 >> 64), t5);
  c = adc64(c, t6, static_cast<uint64_t>(s3), t6);
  adc64(c, t7, static_cast<uint64_t>(s3 >> 64), t7);
  fe_montgomery_reduce(r, t0, t1, t2, t3, t4, t5, t6, t7);
}

// The same with mulx/adcx/adox; only call when adx_supported().
void fe_mul_adx(Fe& r, const Fe& a, const Fe& b);
void fe_sqr_adx(Fe& r, const Fe& a);

// Big-endian 32 bytes <-> the integer's limbs (not Montgomery form).
inline void limbs_from_be(uint64_t r[4], const uint8_t in[32]) {
  #pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    uint64_t w = 0;
    for (int j = 0; j < 8; ++j) w = (w << 8) | in[(3 - i) * 8 + j];
    r[i] = w;
  }
}
inline void limbs_to_be(uint8_t out[32], const uint64_t a[4]) {
  #pragma GCC unroll 4
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
