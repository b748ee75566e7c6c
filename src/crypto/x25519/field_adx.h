// SPDX-License-Identifier: Apache-2.0
// Field multiplication with mulx (BMI2) and the two independent carry chains of adcx/adox
// (ADX): each row of the 4x4-limb product adds its low halves through CF and its high
// halves through OF, so the two additions per partial product run side by side. The
// 512-bit product is then folded with 2^256 = 38 mod p in the same way. Only called
// when adx_supported(); the instructions live in the assembly text, so the compiler
// needs no target flag for them (adx.cpp's entry points carry target("bmi2,adx")).
#pragma once

#include <cstdint>

#include "crypto/x25519/field.h"

namespace tern::crypto::x25519 {

// Inlined at every call: a call costs about as much as the carry handling it would save.
#define TERN_X25519_ASM_INLINE __attribute__((always_inline)) static inline

struct AdxField {
  TERN_X25519_ASM_INLINE void mul(Fe& r, const Fe& a, const Fe& b) {
    uint64_t low[3];  // limbs 0..2 of the product, final once their row is done
    __asm__ volatile(
        // Row 0: a0 * b, carries by add/adc. Limbs 0..4 in r8..r12.
        "movq 0(%[a]), %%rdx\n\t"
        "mulxq 0(%[b]), %%r8, %%r9\n\t"
        "mulxq 8(%[b]), %%rax, %%r10\n\t"
        "addq %%rax, %%r9\n\t"
        "mulxq 16(%[b]), %%rax, %%r11\n\t"
        "adcq %%rax, %%r10\n\t"
        "mulxq 24(%[b]), %%rax, %%r12\n\t"
        "adcq %%rax, %%r11\n\t"
        "adcq $0, %%r12\n\t"
        "movq %%r8, 0(%[low])\n\t"
        "xorl %%ecx, %%ecx\n\t"  // rcx = 0 for the rest
        // Row 1: limbs 1..5 in r9 r10 r11 r12 r8.
        "movq 8(%[a]), %%rdx\n\t"
        "xorl %%r8d, %%r8d\n\t"  // also clears CF and OF
        "mulxq 0(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r9\n\t"
        "adoxq %%rbx, %%r10\n\t"
        "mulxq 8(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r10\n\t"
        "adoxq %%rbx, %%r11\n\t"
        "mulxq 16(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r11\n\t"
        "adoxq %%rbx, %%r12\n\t"
        "mulxq 24(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r12\n\t"
        "adoxq %%rbx, %%r8\n\t"
        "adcxq %%rcx, %%r8\n\t"
        "movq %%r9, 8(%[low])\n\t"
        // Row 2: limbs 2..6 in r10 r11 r12 r8 r9.
        "movq 16(%[a]), %%rdx\n\t"
        "xorl %%r9d, %%r9d\n\t"
        "mulxq 0(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r10\n\t"
        "adoxq %%rbx, %%r11\n\t"
        "mulxq 8(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r11\n\t"
        "adoxq %%rbx, %%r12\n\t"
        "mulxq 16(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r12\n\t"
        "adoxq %%rbx, %%r8\n\t"
        "mulxq 24(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r8\n\t"
        "adoxq %%rbx, %%r9\n\t"
        "adcxq %%rcx, %%r9\n\t"
        "movq %%r10, 16(%[low])\n\t"
        // Row 3: limbs 3..7 in r11 r12 r8 r9 r10.
        "movq 24(%[a]), %%rdx\n\t"
        "xorl %%r10d, %%r10d\n\t"
        "mulxq 0(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r11\n\t"
        "adoxq %%rbx, %%r12\n\t"
        "mulxq 8(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r12\n\t"
        "adoxq %%rbx, %%r8\n\t"
        "mulxq 16(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r8\n\t"
        "adoxq %%rbx, %%r9\n\t"
        "mulxq 24(%[b]), %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r9\n\t"
        "adoxq %%rbx, %%r10\n\t"
        "adcxq %%rcx, %%r10\n\t"
        // Fold: limbs 4..7 (r12 r8 r9 r10) times 38 onto limbs 0..3 (memory, r11).
        "movl $38, %%edx\n\t"
        "xorl %%eax, %%eax\n\t"
        "mulxq %%r12, %%rax, %%r12\n\t"
        "adcxq 0(%[low]), %%rax\n\t"
        "mulxq %%r8, %%rbx, %%r8\n\t"
        "adcxq 8(%[low]), %%rbx\n\t"
        "adoxq %%r12, %%rbx\n\t"
        "mulxq %%r9, %%r12, %%r9\n\t"
        "adcxq 16(%[low]), %%r12\n\t"
        "adoxq %%r8, %%r12\n\t"
        "mulxq %%r10, %%r8, %%r10\n\t"
        "adcxq %%r11, %%r8\n\t"
        "adoxq %%r9, %%r8\n\t"
        "adcxq %%rcx, %%r10\n\t"
        "adoxq %%rcx, %%r10\n\t"
        // The carry limb (below 2^6) times 38, then a last carry worth 38 more.
        "imulq $38, %%r10, %%r10\n\t"
        "addq %%r10, %%rax\n\t"
        "adcq %%rcx, %%rbx\n\t"
        "adcq %%rcx, %%r12\n\t"
        "adcq %%rcx, %%r8\n\t"
        "sbbq %%rdx, %%rdx\n\t"
        "andq $38, %%rdx\n\t"
        "addq %%rdx, %%rax\n\t"
        "movq %%rax, 0(%[r])\n\t"
        "movq %%rbx, 8(%[r])\n\t"
        "movq %%r12, 16(%[r])\n\t"
        "movq %%r8, 24(%[r])\n\t"
        :
        : [r] "r"(r.v), [a] "r"(a.v), [b] "r"(b.v), [low] "r"(low)
        : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "cc", "memory");
  }

  // The six cross products a_i·a_j (i < j) once, doubled by an add chain, plus the four
  // squares, then the same fold as mul.
  TERN_X25519_ASM_INLINE void sqr(Fe& r, const Fe& a) {
    __asm__ volatile(
        // Cross products: limbs 1..6 in r8..r13.
        "movq 0(%[a]), %%rdx\n\t"
        "mulxq 8(%[a]), %%r8, %%r9\n\t"
        "mulxq 16(%[a]), %%rax, %%r10\n\t"
        "addq %%rax, %%r9\n\t"
        "mulxq 24(%[a]), %%rax, %%r11\n\t"
        "adcq %%rax, %%r10\n\t"
        "adcq $0, %%r11\n\t"
        "movq 8(%[a]), %%rdx\n\t"
        "mulxq 16(%[a]), %%rax, %%rbx\n\t"
        "mulxq 24(%[a]), %%rcx, %%r12\n\t"
        "xorl %%r13d, %%r13d\n\t"
        "adcxq %%rax, %%r10\n\t"
        "adcxq %%rcx, %%r11\n\t"
        "adcxq %%r13, %%r12\n\t"
        "adoxq %%rbx, %%r11\n\t"
        "adoxq %%r13, %%r12\n\t"
        "movq 16(%[a]), %%rdx\n\t"
        "mulxq 24(%[a]), %%rax, %%r13\n\t"
        "addq %%rax, %%r12\n\t"
        "adcq $0, %%r13\n\t"
        // Doubled, limb 7 (r14) from the carry.
        "xorl %%r14d, %%r14d\n\t"
        "addq %%r8, %%r8\n\t"
        "adcq %%r9, %%r9\n\t"
        "adcq %%r10, %%r10\n\t"
        "adcq %%r11, %%r11\n\t"
        "adcq %%r12, %%r12\n\t"
        "adcq %%r13, %%r13\n\t"
        "adcq $0, %%r14\n\t"
        // Plus the squares (mulx leaves the flags alone); limb 0 in rax.
        "movq 0(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %%rax, %%rbx\n\t"
        "addq %%rbx, %%r8\n\t"
        "movq 8(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %%rcx, %%rbx\n\t"
        "adcq %%rcx, %%r9\n\t"
        "adcq %%rbx, %%r10\n\t"
        "movq 16(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %%rcx, %%rbx\n\t"
        "adcq %%rcx, %%r11\n\t"
        "adcq %%rbx, %%r12\n\t"
        "movq 24(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %%rcx, %%rbx\n\t"
        "adcq %%rcx, %%r13\n\t"
        "adcq %%rbx, %%r14\n\t"
        // Fold: limbs 4..7 (r11..r14) times 38 onto limbs 0..3 (rax, r8, r9, r10).
        "movl $38, %%edx\n\t"
        "xorl %%ecx, %%ecx\n\t"
        "mulxq %%r11, %%rbx, %%r11\n\t"
        "adcxq %%rbx, %%rax\n\t"
        "mulxq %%r12, %%rbx, %%r12\n\t"
        "adcxq %%rbx, %%r8\n\t"
        "adoxq %%r11, %%r8\n\t"
        "mulxq %%r13, %%rbx, %%r13\n\t"
        "adcxq %%rbx, %%r9\n\t"
        "adoxq %%r12, %%r9\n\t"
        "mulxq %%r14, %%rbx, %%r14\n\t"
        "adcxq %%rbx, %%r10\n\t"
        "adoxq %%r13, %%r10\n\t"
        "adcxq %%rcx, %%r14\n\t"
        "adoxq %%rcx, %%r14\n\t"
        "imulq $38, %%r14, %%r14\n\t"
        "addq %%r14, %%rax\n\t"
        "adcq %%rcx, %%r8\n\t"
        "adcq %%rcx, %%r9\n\t"
        "adcq %%rcx, %%r10\n\t"
        "sbbq %%rdx, %%rdx\n\t"
        "andq $38, %%rdx\n\t"
        "addq %%rdx, %%rax\n\t"
        "movq %%rax, 0(%[r])\n\t"
        "movq %%r8, 8(%[r])\n\t"
        "movq %%r9, 16(%[r])\n\t"
        "movq %%r10, 24(%[r])\n\t"
        :
        : [r] "r"(r.v), [a] "r"(a.v)
        : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc",
          "memory");
  }
  // r = a + b, the carry out of bit 256 folded in as 38 (twice at most, as in fe_add).
  TERN_X25519_ASM_INLINE void add(Fe& r, const Fe& a, const Fe& b) {
    __asm__ volatile(
        "movq 0(%[a]), %%r8\n\t"
        "movq 8(%[a]), %%r9\n\t"
        "movq 16(%[a]), %%r10\n\t"
        "movq 24(%[a]), %%r11\n\t"
        "addq 0(%[b]), %%r8\n\t"
        "adcq 8(%[b]), %%r9\n\t"
        "adcq 16(%[b]), %%r10\n\t"
        "adcq 24(%[b]), %%r11\n\t"
        "sbbq %%rax, %%rax\n\t"
        "andq $38, %%rax\n\t"
        "addq %%rax, %%r8\n\t"
        "adcq $0, %%r9\n\t"
        "adcq $0, %%r10\n\t"
        "adcq $0, %%r11\n\t"
        "sbbq %%rax, %%rax\n\t"
        "andq $38, %%rax\n\t"
        "addq %%rax, %%r8\n\t"
        "movq %%r8, 0(%[r])\n\t"
        "movq %%r9, 8(%[r])\n\t"
        "movq %%r10, 16(%[r])\n\t"
        "movq %%r11, 24(%[r])\n\t"
        :
        : [r] "r"(r.v), [a] "r"(a.v), [b] "r"(b.v)
        : "rax", "r8", "r9", "r10", "r11", "cc", "memory");
  }

  // r = a - b, a borrow out of bit 256 taken back as 38 (twice at most, as in fe_sub).
  TERN_X25519_ASM_INLINE void sub(Fe& r, const Fe& a, const Fe& b) {
    __asm__ volatile(
        "movq 0(%[a]), %%r8\n\t"
        "movq 8(%[a]), %%r9\n\t"
        "movq 16(%[a]), %%r10\n\t"
        "movq 24(%[a]), %%r11\n\t"
        "subq 0(%[b]), %%r8\n\t"
        "sbbq 8(%[b]), %%r9\n\t"
        "sbbq 16(%[b]), %%r10\n\t"
        "sbbq 24(%[b]), %%r11\n\t"
        "sbbq %%rax, %%rax\n\t"
        "andq $38, %%rax\n\t"
        "subq %%rax, %%r8\n\t"
        "sbbq $0, %%r9\n\t"
        "sbbq $0, %%r10\n\t"
        "sbbq $0, %%r11\n\t"
        "sbbq %%rax, %%rax\n\t"
        "andq $38, %%rax\n\t"
        "subq %%rax, %%r8\n\t"
        "movq %%r8, 0(%[r])\n\t"
        "movq %%r9, 8(%[r])\n\t"
        "movq %%r10, 16(%[r])\n\t"
        "movq %%r11, 24(%[r])\n\t"
        :
        : [r] "r"(r.v), [a] "r"(a.v), [b] "r"(b.v)
        : "rax", "r8", "r9", "r10", "r11", "cc", "memory");
  }

  // r = a·121665 with mulx; the top limb (below 2^17) folded in as 38 per 2^256.
  TERN_X25519_ASM_INLINE void mul_a24(Fe& r, const Fe& a) {
    __asm__ volatile(
        "movl $121665, %%edx\n\t"
        "mulxq 0(%[a]), %%r8, %%r9\n\t"
        "mulxq 8(%[a]), %%rax, %%r10\n\t"
        "addq %%rax, %%r9\n\t"
        "mulxq 16(%[a]), %%rax, %%r11\n\t"
        "adcq %%rax, %%r10\n\t"
        "mulxq 24(%[a]), %%rax, %%rcx\n\t"
        "adcq %%rax, %%r11\n\t"
        "adcq $0, %%rcx\n\t"
        "imulq $38, %%rcx, %%rcx\n\t"
        "addq %%rcx, %%r8\n\t"
        "adcq $0, %%r9\n\t"
        "adcq $0, %%r10\n\t"
        "adcq $0, %%r11\n\t"
        "sbbq %%rax, %%rax\n\t"
        "andq $38, %%rax\n\t"
        "addq %%rax, %%r8\n\t"
        "movq %%r8, 0(%[r])\n\t"
        "movq %%r9, 8(%[r])\n\t"
        "movq %%r10, 16(%[r])\n\t"
        "movq %%r11, 24(%[r])\n\t"
        :
        : [r] "r"(r.v), [a] "r"(a.v)
        : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "cc", "memory");
  }
};

}  // namespace tern::crypto::x25519
