// SPDX-License-Identifier: Apache-2.0
// Montgomery multiplication modulo p with BMI2's mulx and ADX's two carry chains (adcx on
// CF for the low halves of the products, adox on OF for the high halves), so each row of
// partial products is one pass without saving flags. Same result as fe_mul_portable.
#include "crypto/p256/field.h"

namespace tern::crypto::p256 {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

// One row: t0..t5 += rdx · a[0..3] (t5 receives both chains' carries; it is zero before).
#define TERN_P256_ROW                       \
  "xorl %k[t5], %k[t5]\n\t"                 \
  "mulxq 0(%[a]), %[lo], %[hi]\n\t"         \
  "adcxq %[lo], %[t0]\n\t"                  \
  "adoxq %[hi], %[t1]\n\t"                  \
  "mulxq 8(%[a]), %[lo], %[hi]\n\t"         \
  "adcxq %[lo], %[t1]\n\t"                  \
  "adoxq %[hi], %[t2]\n\t"                  \
  "mulxq 16(%[a]), %[lo], %[hi]\n\t"        \
  "adcxq %[lo], %[t2]\n\t"                  \
  "adoxq %[hi], %[t3]\n\t"                  \
  "mulxq 24(%[a]), %[lo], %[hi]\n\t"        \
  "adcxq %[lo], %[t3]\n\t"                  \
  "adoxq %[hi], %[t4]\n\t"                  \
  "movl $0, %%edx\n\t"                      \
  "adcxq %%rdx, %[t4]\n\t"                  \
  "adoxq %%rdx, %[t5]\n\t"                  \
  "adcxq %%rdx, %[t5]\n\t"

// One reduction: t0..t5 += t0 · p (p's limbs 0xffffffffffffffff, 0x00000000ffffffff, 0,
// 0xffffffff00000001), which zeroes t0; the caller then reads t1..t5 as the new t0..t4.
#define TERN_P256_REDUCE                    \
  "movq %[t0], %%rdx\n\t"                   \
  "xorl %k[zero], %k[zero]\n\t"             \
  "mulxq %[p0], %[lo], %[hi]\n\t"           \
  "adcxq %[lo], %[t0]\n\t"                  \
  "adoxq %[hi], %[t1]\n\t"                  \
  "mulxq %[p1], %[lo], %[hi]\n\t"           \
  "adcxq %[lo], %[t1]\n\t"                  \
  "adoxq %[hi], %[t2]\n\t"                  \
  "adcxq %[zero], %[t2]\n\t"                \
  "adoxq %[zero], %[t3]\n\t"                \
  "mulxq %[p3], %[lo], %[hi]\n\t"           \
  "adcxq %[lo], %[t3]\n\t"                  \
  "adoxq %[hi], %[t4]\n\t"                  \
  "adcxq %[zero], %[t4]\n\t"                \
  "adoxq %[zero], %[t5]\n\t"                \
  "adcxq %[zero], %[t5]\n\t"

__attribute__((target("bmi2,adx"))) void fe_mul_adx(Fe& r, const Fe& a, const Fe& b) {
  uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5, lo, hi, zero;
  const uint64_t p0 = kP.v[0], p1 = kP.v[1], p3 = kP.v[3];
  // Rows 0..3, each followed by a reduction; after a reduction the limbs move down one
  // place, which the asm below does by renaming: row i's t0 is the previous t1, etc.
  // Written out as four blocks with rotated operand names instead of register moves.
  __asm__(
      // row 0
      "movq 0(%[b]), %%rdx\n\t" TERN_P256_ROW TERN_P256_REDUCE
      : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [t4] "+&r"(t4),
        [t5] "=&r"(t5), [lo] "=&r"(lo), [hi] "=&r"(hi), [zero] "=&r"(zero)
      : [a] "r"(a.v), [b] "r"(b.v), [p0] "rm"(p0), [p1] "rm"(p1), [p3] "rm"(p3)
      : "rdx", "cc", "memory");
  // Shift down (t0 is zero now).
  t0 = t1, t1 = t2, t2 = t3, t3 = t4, t4 = t5;
  __asm__("movq 8(%[b]), %%rdx\n\t" TERN_P256_ROW TERN_P256_REDUCE
          : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [t4] "+&r"(t4),
            [t5] "=&r"(t5), [lo] "=&r"(lo), [hi] "=&r"(hi), [zero] "=&r"(zero)
          : [a] "r"(a.v), [b] "r"(b.v), [p0] "rm"(p0), [p1] "rm"(p1), [p3] "rm"(p3)
          : "rdx", "cc", "memory");
  t0 = t1, t1 = t2, t2 = t3, t3 = t4, t4 = t5;
  __asm__("movq 16(%[b]), %%rdx\n\t" TERN_P256_ROW TERN_P256_REDUCE
          : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [t4] "+&r"(t4),
            [t5] "=&r"(t5), [lo] "=&r"(lo), [hi] "=&r"(hi), [zero] "=&r"(zero)
          : [a] "r"(a.v), [b] "r"(b.v), [p0] "rm"(p0), [p1] "rm"(p1), [p3] "rm"(p3)
          : "rdx", "cc", "memory");
  t0 = t1, t1 = t2, t2 = t3, t3 = t4, t4 = t5;
  __asm__("movq 24(%[b]), %%rdx\n\t" TERN_P256_ROW TERN_P256_REDUCE
          : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [t4] "+&r"(t4),
            [t5] "=&r"(t5), [lo] "=&r"(lo), [hi] "=&r"(hi), [zero] "=&r"(zero)
          : [a] "r"(a.v), [b] "r"(b.v), [p0] "rm"(p0), [p1] "rm"(p1), [p3] "rm"(p3)
          : "rdx", "cc", "memory");
  r = {{t1, t2, t3, t4}};
  fe_reduce_once(r, t5);
}

#undef TERN_P256_ROW
#undef TERN_P256_REDUCE

#else

void fe_mul_adx(Fe& r, const Fe& a, const Fe& b) { fe_mul_portable(r, a, b); }

#endif

}  // namespace tern::crypto::p256
