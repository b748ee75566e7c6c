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

__attribute__((always_inline)) inline void fe_sqr_adx_inline(Fe& r, const Fe& a) {
  fe_mul_adx_inline(r, a, a);
}

#undef TERN_P256_ROW
#undef TERN_P256_REDUCE

}  // namespace tern::crypto::p256

#endif
