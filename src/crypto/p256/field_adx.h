// SPDX-License-Identifier: Apache-2.0
// Montgomery multiplication and squaring modulo p with BMI2's mulx and ADX's two carry
// chains (adcx on CF for the low halves of the products, adox on OF for the high halves):
// the 512-bit product first, then four reduction rounds on its low half. Same results as
// fe_mul_portable and fe_sqr_portable.
//
// As always-inline functions so that the ADX curve arithmetic (verify.cpp) has them
// inlined, without a call and the six saved registers per multiplication (a tenth of a
// verification). The asm needs no compiler target flags; field_adx.cpp also compiles it as
// the out-of-line fe_mul_adx with target("bmi2,adx"). Only run when adx_supported().
// Each asm block takes 13 general registers: with the frame pointer kept (-O0, ASan) no
// more are free, so a and b are read through a "memory" clobber rather than "m" operands.
#pragma once

#include "crypto/p256/field.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TERN_P256_HAVE_ADX_ASM 1

namespace tern::crypto::p256 {

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

// The 512-bit t0..t7 (below p·R) times 1/R mod p: four reduction rounds on the low half
// (the names rotate: the value moves one register along per round), the high half added
// (below 2p; t3 = -carry, all ones when bit 256 is set), then p subtracted into t4..t7
// and that kept unless it borrowed (t3 - borrow borrows only when t3 is 0). The result is
// in hi, t0, t1, t2.
#define TERN_P256_REDUCE_AND_FINISH \
  TERN_P256_REDUCE_LOW("t0", "t1", "t2", "t3", "hi") \
  TERN_P256_REDUCE_LOW("t1", "t2", "t3", "hi", "t0") \
  TERN_P256_REDUCE_LOW("t2", "t3", "hi", "t0", "t1") \
  TERN_P256_REDUCE_LOW("t3", "hi", "t0", "t1", "t2") \
  "addq %[t4], %[hi]\n\t" \
  "adcq %[t5], %[t0]\n\t" \
  "adcq %[t6], %[t1]\n\t" \
  "adcq %[t7], %[t2]\n\t" \
  "sbbq %[t3], %[t3]\n\t" \
  "movq %[hi], %[t4]\n\t" \
  "subq $-1, %[t4]\n\t" \
  "movq %[t0], %[t5]\n\t" \
  "sbbq %[p1], %[t5]\n\t" \
  "movq %[t1], %[t6]\n\t" \
  "sbbq $0, %[t6]\n\t" \
  "movq %[t2], %[t7]\n\t" \
  "sbbq %[p3], %[t7]\n\t" \
  "sbbq $0, %[t3]\n\t" \
  "cmovncq %[t4], %[hi]\n\t" \
  "cmovncq %[t5], %[t0]\n\t" \
  "cmovncq %[t6], %[t1]\n\t" \
  "cmovncq %[t7], %[t2]\n\t"

// One row of the product: X0..X4 += rdx · a[0..3], X4 zero before (the xor also clears CF
// and OF). The products' low halves go through adcx (CF), high halves through adox (OF);
// the last CF joins the last high half (adding the still-zero X4) before it goes to X4,
// and no carry leaves X4 (the rows so far fit in X0..X4).
#define TERN_P256_ROW(B, X0, X1, X2, X3, X4) \
  "movq " B "(%[b]), %%rdx\n\t"              \
  "xorl %k[" X4 "], %k[" X4 "]\n\t"          \
  "mulxq 0(%[a]), %[lo], %[hi]\n\t"          \
  "adcxq %[lo], %[" X0 "]\n\t"               \
  "adoxq %[hi], %[" X1 "]\n\t"               \
  "mulxq 8(%[a]), %[lo], %[hi]\n\t"          \
  "adcxq %[lo], %[" X1 "]\n\t"               \
  "adoxq %[hi], %[" X2 "]\n\t"               \
  "mulxq 16(%[a]), %[lo], %[hi]\n\t"         \
  "adcxq %[lo], %[" X2 "]\n\t"               \
  "adoxq %[hi], %[" X3 "]\n\t"               \
  "mulxq 24(%[a]), %[lo], %[hi]\n\t"         \
  "adcxq %[lo], %[" X3 "]\n\t"               \
  "adcxq %[" X4 "], %[hi]\n\t"               \
  "adoxq %[hi], %[" X4 "]\n\t"

// Montgomery multiplication r = a·b/R mod p: the 512-bit product by rows (the first
// with plain add/adc, the others with mulx/adcx/adox), then TERN_P256_REDUCE_AND_FINISH.
__attribute__((always_inline)) inline void fe_mul_adx_inline(Fe& r, const Fe& a, const Fe& b) {
  uint64_t t0, t1, t2, t3, t4, t5, t6, t7, lo, hi;
  __asm__(
      "movq 0(%[b]), %%rdx\n\t"
      "mulxq 0(%[a]), %[t0], %[t1]\n\t"
      "mulxq 8(%[a]), %[lo], %[t2]\n\t"
      "mulxq 16(%[a]), %[hi], %[t3]\n\t"
      "addq %[lo], %[t1]\n\t"
      "adcq %[hi], %[t2]\n\t"
      "mulxq 24(%[a]), %[lo], %[t4]\n\t"
      "adcq %[lo], %[t3]\n\t"
      "adcq $0, %[t4]\n\t"
      TERN_P256_ROW("8", "t1", "t2", "t3", "t4", "t5")
      TERN_P256_ROW("16", "t2", "t3", "t4", "t5", "t6")
      TERN_P256_ROW("24", "t3", "t4", "t5", "t6", "t7")
      TERN_P256_REDUCE_AND_FINISH
      : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
        [t5] "=&r"(t5), [t6] "=&r"(t6), [t7] "=&r"(t7), [lo] "=&r"(lo), [hi] "=&r"(hi)
      : [a] "r"(a.v), [b] "r"(b.v), [p1] "m"(kP.v[1]), [p3] "m"(kP.v[3])
      : "rdx", "cc", "memory");
  r = {{hi, t0, t1, t2}};
}

// r = a·a/R mod p: the six cross products once (no carry leaves a row: a0·(a1, a2, a3)
// fits four limbs, a1·(a2, a3) three), doubled by one add chain, plus the four squares;
// then four reduction rounds on the low half, the high half added, one subtraction of p.
__attribute__((always_inline)) inline void fe_sqr_adx_inline(Fe& r, const Fe& a) {
  uint64_t t0, t1, t2, t3, t4, t5, t6, t7, lo, hi;
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
      TERN_P256_REDUCE_AND_FINISH
      : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
        [t5] "=&r"(t5), [t6] "=&r"(t6), [t7] "=&r"(t7), [lo] "=&r"(lo), [hi] "=&r"(hi)
      : [a] "r"(a.v), [p1] "m"(kP.v[1]), [p3] "m"(kP.v[3])
      : "rdx", "cc", "memory");
  r = {{hi, t0, t1, t2}};
}

#undef TERN_P256_ROW
#undef TERN_P256_REDUCE_LOW
#undef TERN_P256_REDUCE_AND_FINISH

}  // namespace tern::crypto::p256

#endif
