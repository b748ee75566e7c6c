// SPDX-License-Identifier: Apache-2.0
// Montgomery multiplication modulo p with BMI2's mulx and ADX's two carry chains (adcx on
// CF for the low halves of the products, adox on OF for the high halves), so each row of
// partial products is one pass without saving flags. Same result as fe_mul_portable.
//
// As an always-inline function so that the ADX curve arithmetic (verify.cpp) has it
// inlined, without a call and the six saved registers per multiplication (a tenth of a
// verification). The asm needs no compiler target flags; field_adx.cpp also compiles it as
// the out-of-line fe_mul_adx with target("bmi2,adx"). Only run when adx_supported().
#pragma once

#include "crypto/p256/field.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TERN_P256_HAVE_ADX_ASM 1

namespace tern::crypto::p256 {

// One row: x0..x5 += rdx · a[0..3], where x5 is zero before (the xor also clears CF and
// OF). The products' low halves go through adcx (CF) and high halves through adox (OF).
#define TERN_P256_ROW(B, X0, X1, X2, X3, X4, X5) \
  "movq " B "(%[b]), %%rdx\n\t"                  \
  "xorl %k[" X5 "], %k[" X5 "]\n\t"              \
  "mulxq 0(%[a]), %[lo], %[hi]\n\t"              \
  "adcxq %[lo], %[" X0 "]\n\t"                   \
  "adoxq %[hi], %[" X1 "]\n\t"                   \
  "mulxq 8(%[a]), %[lo], %[hi]\n\t"              \
  "adcxq %[lo], %[" X1 "]\n\t"                   \
  "adoxq %[hi], %[" X2 "]\n\t"                   \
  "mulxq 16(%[a]), %[lo], %[hi]\n\t"             \
  "adcxq %[lo], %[" X2 "]\n\t"                   \
  "adoxq %[hi], %[" X3 "]\n\t"                   \
  "mulxq 24(%[a]), %[lo], %[hi]\n\t"             \
  "adcxq %[lo], %[" X3 "]\n\t"                   \
  "adoxq %[hi], %[" X4 "]\n\t"                   \
  "movl $0, %%edx\n\t"                            \
  "adcxq %%rdx, %[" X4 "]\n\t"                   \
  "adoxq %%rdx, %[" X5 "]\n\t"                   \
  "adcxq %%rdx, %[" X5 "]\n\t"

// One reduction round with m = x0, as in fe_montgomery_reduce (field.h): x1..x5 += m·2^32 (at x1:x2)
// + m·p[3] (at x3:x4), which with the -m that cancels x0 is m·p. x0 is left dirty: it is
// the next row's x5, which that row clears.
#define TERN_P256_REDUCE(X0, X1, X2, X3, X4, X5) \
  "movq %[" X0 "], %%rdx\n\t"                    \
  "mulxq %[p3], %[lo], %[hi]\n\t"                \
  "shlq $32, %%rdx\n\t"                           \
  "shrq $32, %[" X0 "]\n\t"                      \
  "addq %%rdx, %[" X1 "]\n\t"                    \
  "adcq %[" X0 "], %[" X2 "]\n\t"                \
  "adcq %[lo], %[" X3 "]\n\t"                    \
  "adcq %[hi], %[" X4 "]\n\t"                    \
  "adcq $0, %[" X5 "]\n\t"

__attribute__((always_inline)) inline void fe_mul_adx_inline(Fe& r, const Fe& a, const Fe& b) {
  uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5, lo, hi;
  const uint64_t p1 = kP.v[1], p3 = kP.v[3];
  // Four rows, each followed by a reduction round; after each round the value sits one
  // register further along (t1..t5, then t2..t0, ...), so the names rotate instead of
  // the data moving. The sum ends in t4, t5, t0, t1 with bit 256 in t2, below 2p; the
  // last lines subtract p into lo, hi, rdx, t3 and keep that unless it borrowed.
  __asm__(TERN_P256_ROW("0", "t0", "t1", "t2", "t3", "t4", "t5")
          TERN_P256_REDUCE("t0", "t1", "t2", "t3", "t4", "t5")
          TERN_P256_ROW("8", "t1", "t2", "t3", "t4", "t5", "t0")
          TERN_P256_REDUCE("t1", "t2", "t3", "t4", "t5", "t0")
          TERN_P256_ROW("16", "t2", "t3", "t4", "t5", "t0", "t1")
          TERN_P256_REDUCE("t2", "t3", "t4", "t5", "t0", "t1")
          TERN_P256_ROW("24", "t3", "t4", "t5", "t0", "t1", "t2")
          TERN_P256_REDUCE("t3", "t4", "t5", "t0", "t1", "t2")
          "movq %[t4], %[lo]\n\t"
          "subq $-1, %[lo]\n\t"
          "movq %[t5], %[hi]\n\t"
          "sbbq %[p1], %[hi]\n\t"
          "movq %[t0], %%rdx\n\t"
          "sbbq $0, %%rdx\n\t"
          "movq %[t1], %[t3]\n\t"
          "sbbq %[p3], %[t3]\n\t"
          "sbbq $0, %[t2]\n\t"
          "cmovncq %[lo], %[t4]\n\t"
          "cmovncq %[hi], %[t5]\n\t"
          "cmovncq %%rdx, %[t0]\n\t"
          "cmovncq %[t3], %[t1]\n\t"
          : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [t4] "+&r"(t4),
            [t5] "=&r"(t5), [lo] "=&r"(lo), [hi] "=&r"(hi)
          : [a] "r"(a.v), [b] "r"(b.v), [p1] "rm"(p1), [p3] "rm"(p3)
          : "rdx", "cc", "memory");
  r = {{t4, t5, t0, t1}};
}

// One reduction round on the low half only, as in fe_montgomery_reduce but without
// carrying into the high half: X1..X3 += m·2^32 (at X1:X2) + low(m·p[3]), and HI gets
// high(m·p[3]) plus the carry, which cannot overflow (high(m·p[3]) < p[3]). The value
// (X1, X2, X3, HI) is the low half plus m·p, over 2^64; X0 is free after.
#define TERN_P256_REDUCE_LOW(X0, X1, X2, X3, HI) \
  "movq %[" X0 "], %%rdx\n\t"                      \
  "mulxq %[p3], %[lo], %[" HI "]\n\t"              \
  "shlq $32, %%rdx\n\t"                             \
  "shrq $32, %[" X0 "]\n\t"                        \
  "addq %%rdx, %[" X1 "]\n\t"                      \
  "adcq %[" X0 "], %[" X2 "]\n\t"                  \
  "adcq %[lo], %[" X3 "]\n\t"                      \
  "adcq $0, %[" HI "]\n\t"

// r = a·a/R mod p: the six cross products once (no carry leaves a row: a0·(a1, a2, a3)
// fits four limbs, a1·(a2, a3) three), doubled by one add chain, plus the four squares;
// then four reduction rounds on the low half, the high half added, one subtraction of p.
// About a fifth fewer instructions than fe_mul_adx_inline(r, a, a).
__attribute__((always_inline)) inline void fe_sqr_adx_inline(Fe& r, const Fe& a) {
  uint64_t t0, t1, t2, t3, t4, t5, t6, t7, lo, hi;
  const uint64_t p1 = kP.v[1], p3 = kP.v[3];
  __asm__(
      // a0·(a1, a2, a3) into t1..t4.
      "movq 0(%[a]), %%rdx\n\t"
      "mulxq 8(%[a]), %[t1], %[t2]\n\t"
      "mulxq 16(%[a]), %[lo], %[t3]\n\t"
      "mulxq 24(%[a]), %[hi], %[t4]\n\t"
      "addq %[lo], %[t2]\n\t"
      "adcq %[hi], %[t3]\n\t"
      "adcq $0, %[t4]\n\t"
      // a1·a2 at t3:t4 and a1·a3 at t4:t5 (its low half in t6 for now).
      "movq 8(%[a]), %%rdx\n\t"
      "mulxq 16(%[a]), %[lo], %[hi]\n\t"
      "mulxq 24(%[a]), %[t6], %[t5]\n\t"
      "addq %[t6], %[hi]\n\t"
      "adcq $0, %[t5]\n\t"
      "addq %[lo], %[t3]\n\t"
      "adcq %[hi], %[t4]\n\t"
      "adcq $0, %[t5]\n\t"
      // a2·a3 at t5:t6.
      "movq 16(%[a]), %%rdx\n\t"
      "mulxq 24(%[a]), %[lo], %[t6]\n\t"
      "addq %[lo], %[t5]\n\t"
      "adcq $0, %[t6]\n\t"
      // Doubled, bit 447 into t7.
      "movl $0, %k[t7]\n\t"
      "addq %[t1], %[t1]\n\t"
      "adcq %[t2], %[t2]\n\t"
      "adcq %[t3], %[t3]\n\t"
      "adcq %[t4], %[t4]\n\t"
      "adcq %[t5], %[t5]\n\t"
      "adcq %[t6], %[t6]\n\t"
      "adcq $0, %[t7]\n\t"
      // Plus a_i^2 at limbs 2i, 2i+1 (mulx leaves the flags alone).
      "movq 0(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %[t0], %[hi]\n\t"
      "addq %[hi], %[t1]\n\t"
      "movq 8(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %[lo], %[hi]\n\t"
      "adcq %[lo], %[t2]\n\t"
      "adcq %[hi], %[t3]\n\t"
      "movq 16(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %[lo], %[hi]\n\t"
      "adcq %[lo], %[t4]\n\t"
      "adcq %[hi], %[t5]\n\t"
      "movq 24(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %[lo], %[hi]\n\t"
      "adcq %[lo], %[t6]\n\t"
      "adcq %[hi], %[t7]\n\t"
      // The low half reduced; the names rotate as in fe_mul_adx_inline.
      TERN_P256_REDUCE_LOW("t0", "t1", "t2", "t3", "hi")
      TERN_P256_REDUCE_LOW("t1", "t2", "t3", "hi", "t0")
      TERN_P256_REDUCE_LOW("t2", "t3", "hi", "t0", "t1")
      TERN_P256_REDUCE_LOW("t3", "hi", "t0", "t1", "t2")
      // Plus the high half: below 2p, bit 256 in t3.
      "addq %[t4], %[hi]\n\t"
      "adcq %[t5], %[t0]\n\t"
      "adcq %[t6], %[t1]\n\t"
      "adcq %[t7], %[t2]\n\t"
      "movl $0, %k[t3]\n\t"
      "adcq $0, %[t3]\n\t"
      // Minus p into t4..t7, kept unless that borrows.
      "movq %[hi], %[t4]\n\t"
      "subq $-1, %[t4]\n\t"
      "movq %[t0], %[t5]\n\t"
      "sbbq %[p1], %[t5]\n\t"
      "movq %[t1], %[t6]\n\t"
      "sbbq $0, %[t6]\n\t"
      "movq %[t2], %[t7]\n\t"
      "sbbq %[p3], %[t7]\n\t"
      "sbbq $0, %[t3]\n\t"
      "cmovncq %[t4], %[hi]\n\t"
      "cmovncq %[t5], %[t0]\n\t"
      "cmovncq %[t6], %[t1]\n\t"
      "cmovncq %[t7], %[t2]\n\t"
      : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
        [t5] "=&r"(t5), [t6] "=&r"(t6), [t7] "=&r"(t7), [lo] "=&r"(lo), [hi] "=&r"(hi)
      : [a] "r"(a.v), "m"(a), [p1] "m"(p1), [p3] "m"(p3)
      : "rdx", "cc");
  r = {{hi, t0, t1, t2}};
}

#undef TERN_P256_ROW
#undef TERN_P256_REDUCE
#undef TERN_P256_REDUCE_LOW

}  // namespace tern::crypto::p256

#endif
