// SPDX-License-Identifier: Apache-2.0
// Field multiplication with mulx (BMI2) and the two independent carry chains of adcx/adox
// (ADX): each row of the 4x4-limb product adds its low halves through CF and its high
// halves through OF, so the two additions per partial product run side by side. The
// 512-bit product is then folded with 2^256 = 38 mod p in the same way. Only called
// when adx_supported(); the instructions live in the assembly text, so the compiler
// needs no target flag for them (adx.cpp's entry points carry target("bmi2,adx")).
//
// Lazy reduction: mul, sqr and mul_a24_add return "loose" values, below 2^255 + 2^23 (their
// last fold takes bit 255 along with the carry limb, so it cannot carry out). add and sub
// fold their carry or borrow once only, which is enough when one operand of add, and the
// subtrahend of sub, is loose (see the bounds at each); their results are below 2^256.
// Each limb is its own memory operand ("m"), so the compiler addresses the values where
// they live (mostly the ladder's stack frame) instead of loading pointers for every call.
#pragma once

#include <cstdint>

#include "crypto/x25519/field.h"

// Unoptimized, compilers give every memory operand its own address register, and the asm
// below leaves too few for that. GCC's -O0 (the debug preset) compiles what follows (this
// path's curve code in adx.cpp, the field test) at -O1; clang has no such pragma, so it
// needs -O1 or more (the sanitizer preset has it).
#if !defined(__OPTIMIZE__)
#if defined(__clang__)
#error "tern's X25519 ADX path needs an optimized build with clang (-O1 or more)"
#else
#pragma GCC optimize("O1")
#endif
#endif

namespace tern::crypto::x25519 {

// Inlined at every call: a call costs about as much as the carry handling it would save.
#define TERN_X25519_ASM_INLINE __attribute__((always_inline)) static inline

// The four limbs of an Fe as asm operands name0..name3.
#define TERN_FE_IN(name, fe)                                                    \
  [name##0] "m"((fe).v[0]), [name##1] "m"((fe).v[1]), [name##2] "m"((fe).v[2]), \
      [name##3] "m"((fe).v[3])
#define TERN_FE_OUT(name, fe)                                                      \
  [name##0] "=m"((fe).v[0]), [name##1] "=m"((fe).v[1]), [name##2] "=m"((fe).v[2]), \
      [name##3] "=m"((fe).v[3])
#define TERN_FE_INOUT(name, fe)                                                    \
  [name##0] "+m"((fe).v[0]), [name##1] "+m"((fe).v[1]), [name##2] "+m"((fe).v[2]), \
      [name##3] "+m"((fe).v[3])

// r8..r11 = the limbs name0..name3, and back.
#define TERN_X25519_LOAD(name)  \
  "movq %[" #name "0], %%r8\n\t"  \
  "movq %[" #name "1], %%r9\n\t"  \
  "movq %[" #name "2], %%r10\n\t" \
  "movq %[" #name "3], %%r11\n\t"
#define TERN_X25519_STORE(name) \
  "movq %%r8, %[" #name "0]\n\t"  \
  "movq %%r9, %[" #name "1]\n\t"  \
  "movq %%r10, %[" #name "2]\n\t" \
  "movq %%r11, %[" #name "3]\n\t"

struct AdxField {
  // r = a·b for any a, b below 2^256; r loose.
  TERN_X25519_ASM_INLINE void mul(Fe& r, const Fe& a, const Fe& b) {
    __asm__(
        // Row 0: a0 * b, carries by add/adc. Limbs 0..4 in r8..r12.
        "movq %[a0], %%rdx\n\t"
        "mulxq %[b0], %%r8, %%r9\n\t"
        "mulxq %[b1], %%rax, %%r10\n\t"
        "addq %%rax, %%r9\n\t"
        "mulxq %[b2], %%rax, %%r11\n\t"
        "adcq %%rax, %%r10\n\t"
        "mulxq %[b3], %%rax, %%r12\n\t"
        "adcq %%rax, %%r11\n\t"
        "adcq $0, %%r12\n\t"
        "xorl %%ecx, %%ecx\n\t"  // rcx = 0 for the rest
        // Row 1: limbs 1..5 in r9 r10 r11 r12 r13.
        "movq %[a1], %%rdx\n\t"
        "xorl %%r13d, %%r13d\n\t"  // also clears CF and OF
        "mulxq %[b0], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r9\n\t"
        "adoxq %%rbx, %%r10\n\t"
        "mulxq %[b1], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r10\n\t"
        "adoxq %%rbx, %%r11\n\t"
        "mulxq %[b2], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r11\n\t"
        "adoxq %%rbx, %%r12\n\t"
        "mulxq %[b3], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r12\n\t"
        "adoxq %%rbx, %%r13\n\t"
        "adcxq %%rcx, %%r13\n\t"
        // Row 2: limbs 2..6 in r10 r11 r12 r13 r14.
        "movq %[a2], %%rdx\n\t"
        "xorl %%r14d, %%r14d\n\t"
        "mulxq %[b0], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r10\n\t"
        "adoxq %%rbx, %%r11\n\t"
        "mulxq %[b1], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r11\n\t"
        "adoxq %%rbx, %%r12\n\t"
        "mulxq %[b2], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r12\n\t"
        "adoxq %%rbx, %%r13\n\t"
        "mulxq %[b3], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r13\n\t"
        "adoxq %%rbx, %%r14\n\t"
        "adcxq %%rcx, %%r14\n\t"
        // Row 3: limbs 3..7 in r11 r12 r13 r14 r15.
        "movq %[a3], %%rdx\n\t"
        "xorl %%r15d, %%r15d\n\t"
        "mulxq %[b0], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r11\n\t"
        "adoxq %%rbx, %%r12\n\t"
        "mulxq %[b1], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r12\n\t"
        "adoxq %%rbx, %%r13\n\t"
        "mulxq %[b2], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r13\n\t"
        "adoxq %%rbx, %%r14\n\t"
        "mulxq %[b3], %%rax, %%rbx\n\t"
        "adcxq %%rax, %%r14\n\t"
        "adoxq %%rbx, %%r15\n\t"
        "adcxq %%rcx, %%r15\n\t"
        // Fold: limbs 4..7 (r12..r15) times 38 onto limbs 0..3 (r8..r11); r15 the carry.
        "movl $38, %%edx\n\t"
        "xorl %%ecx, %%ecx\n\t"
        "mulxq %%r12, %%rax, %%r12\n\t"
        "adcxq %%rax, %%r8\n\t"
        "mulxq %%r13, %%rax, %%r13\n\t"
        "adcxq %%rax, %%r9\n\t"
        "adoxq %%r12, %%r9\n\t"
        "mulxq %%r14, %%rax, %%r14\n\t"
        "adcxq %%rax, %%r10\n\t"
        "adoxq %%r13, %%r10\n\t"
        "mulxq %%r15, %%rax, %%r15\n\t"
        "adcxq %%rax, %%r11\n\t"
        "adoxq %%r14, %%r11\n\t"
        "adcxq %%rcx, %%r15\n\t"
        "adoxq %%rcx, %%r15\n\t"
        // r15·2^256 + bit 255 is a multiple of 2^255, worth 19 each: btr moves bit 255
        // into CF, adc doubles r15 and adds it. Then below 2^255 + 2^11: no carry out.
        "btrq $63, %%r11\n\t"
        "adcq %%r15, %%r15\n\t"
        "imulq $19, %%r15, %%r15\n\t"
        "addq %%r15, %%r8\n\t"
        "adcq %%rcx, %%r9\n\t"
        "adcq %%rcx, %%r10\n\t"
        "adcq %%rcx, %%r11\n\t"
        TERN_X25519_STORE(r)
        : TERN_FE_OUT(r, r)
        : TERN_FE_IN(a, a), TERN_FE_IN(b, b)
        : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc");
  }

  // r = a^2 for any a below 2^256; r loose. The six cross products a_i·a_j (i < j) once,
  // doubled by an add chain, plus the four squares, then the same fold as mul.
  TERN_X25519_ASM_INLINE void sqr(Fe& r, const Fe& a) {
    __asm__(
        // Cross products: limbs 1..6 in r8..r13.
        "movq %[a0], %%rdx\n\t"
        "mulxq %[a1], %%r8, %%r9\n\t"
        "mulxq %[a2], %%rax, %%r10\n\t"
        "addq %%rax, %%r9\n\t"
        "mulxq %[a3], %%rax, %%r11\n\t"
        "adcq %%rax, %%r10\n\t"
        "adcq $0, %%r11\n\t"
        "movq %[a1], %%rdx\n\t"
        "mulxq %[a2], %%rax, %%rbx\n\t"
        "mulxq %[a3], %%rcx, %%r12\n\t"
        "xorl %%r13d, %%r13d\n\t"
        "adcxq %%rax, %%r10\n\t"
        "adcxq %%rcx, %%r11\n\t"
        "adcxq %%r13, %%r12\n\t"
        "adoxq %%rbx, %%r11\n\t"
        "adoxq %%r13, %%r12\n\t"
        "movq %[a2], %%rdx\n\t"
        "mulxq %[a3], %%rax, %%r13\n\t"
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
        "movq %[a0], %%rdx\n\t"
        "mulxq %%rdx, %%rax, %%rbx\n\t"
        "addq %%rbx, %%r8\n\t"
        "movq %[a1], %%rdx\n\t"
        "mulxq %%rdx, %%rcx, %%rbx\n\t"
        "adcq %%rcx, %%r9\n\t"
        "adcq %%rbx, %%r10\n\t"
        "movq %[a2], %%rdx\n\t"
        "mulxq %%rdx, %%rcx, %%rbx\n\t"
        "adcq %%rcx, %%r11\n\t"
        "adcq %%rbx, %%r12\n\t"
        "movq %[a3], %%rdx\n\t"
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
        // r14·2^256 + bit 255 is a multiple of 2^255, worth 19 each: btr moves bit 255
        // into CF, adc doubles r14 and adds it. Then below 2^255 + 2^11: no carry out.
        "btrq $63, %%r10\n\t"
        "adcq %%r14, %%r14\n\t"
        "imulq $19, %%r14, %%r14\n\t"
        "addq %%r14, %%rax\n\t"
        "adcq %%rcx, %%r8\n\t"
        "adcq %%rcx, %%r9\n\t"
        "adcq %%rcx, %%r10\n\t"
        "movq %%rax, %[r0]\n\t"
        "movq %%r8, %[r1]\n\t"
        "movq %%r9, %[r2]\n\t"
        "movq %%r10, %[r3]\n\t"
        : TERN_FE_OUT(r, r)
        : TERN_FE_IN(a, a)
        : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc");
  }

  // r = a + b, the carry out of bit 256 folded in once as 38. Needs a + b < 2^257 - 38
  // (true when a or b is loose): then a carry leaves at most 2^256 - 39 to add 38 to.
  TERN_X25519_ASM_INLINE void add(Fe& r, const Fe& a, const Fe& b) {
    __asm__(TERN_X25519_LOAD(a)
            "addq %[b0], %%r8\n\t"
            "adcq %[b1], %%r9\n\t"
            "adcq %[b2], %%r10\n\t"
            "adcq %[b3], %%r11\n\t"
            "sbbq %%rax, %%rax\n\t"
            "andq $38, %%rax\n\t"
            "addq %%rax, %%r8\n\t"
            "adcq $0, %%r9\n\t"
            "adcq $0, %%r10\n\t"
            "adcq $0, %%r11\n\t"
            TERN_X25519_STORE(r)
            : TERN_FE_OUT(r, r)
            : TERN_FE_IN(a, a), TERN_FE_IN(b, b)
            : "rax", "r8", "r9", "r10", "r11", "cc");
  }

  // r = a - b, a borrow out of bit 256 taken back once as 38. Needs b <= 2^256 - 38 (true
  // when b is loose): a borrow means a < b, so a - b + 2^256 is at least 38.
  TERN_X25519_ASM_INLINE void sub(Fe& r, const Fe& a, const Fe& b) {
    __asm__(TERN_X25519_LOAD(a)
            "subq %[b0], %%r8\n\t"
            "sbbq %[b1], %%r9\n\t"
            "sbbq %[b2], %%r10\n\t"
            "sbbq %[b3], %%r11\n\t"
            "sbbq %%rax, %%rax\n\t"
            "andq $38, %%rax\n\t"
            "subq %%rax, %%r8\n\t"
            "sbbq $0, %%r9\n\t"
            "sbbq $0, %%r10\n\t"
            "sbbq $0, %%r11\n\t"
            TERN_X25519_STORE(r)
            : TERN_FE_OUT(r, r)
            : TERN_FE_IN(a, a), TERN_FE_IN(b, b)
            : "rax", "r8", "r9", "r10", "r11", "cc");
  }

  // r = a·121665 + b (121665 = (A - 2)/4, the ladder's a24) for any a, b below 2^256,
  // with mulx; the top limb (below 2^18) and bit 255 are folded in at once, so r is loose.
  TERN_X25519_ASM_INLINE void mul_a24_add(Fe& r, const Fe& a, const Fe& b) {
    __asm__("movl $121665, %%edx\n\t"
            "mulxq %[a0], %%r8, %%r9\n\t"
            "mulxq %[a1], %%rax, %%r10\n\t"
            "addq %%rax, %%r9\n\t"
            "mulxq %[a2], %%rax, %%r11\n\t"
            "adcq %%rax, %%r10\n\t"
            "mulxq %[a3], %%rax, %%rcx\n\t"
            "adcq %%rax, %%r11\n\t"
            "adcq $0, %%rcx\n\t"
            "addq %[b0], %%r8\n\t"
            "adcq %[b1], %%r9\n\t"
            "adcq %[b2], %%r10\n\t"
            "adcq %[b3], %%r11\n\t"
            "adcq $0, %%rcx\n\t"
            "xorl %%edx, %%edx\n\t"
            // rcx·2^256 + bit 255 is a multiple of 2^255, worth 19 each: btr moves bit 255
            // into CF, adc doubles rcx and adds it. Then below 2^255 + 2^23: no carry out.
            "btrq $63, %%r11\n\t"
            "adcq %%rcx, %%rcx\n\t"
            "imulq $19, %%rcx, %%rcx\n\t"
            "addq %%rcx, %%r8\n\t"
            "adcq %%rdx, %%r9\n\t"
            "adcq %%rdx, %%r10\n\t"
            "adcq %%rdx, %%r11\n\t"
            TERN_X25519_STORE(r)
            : TERN_FE_OUT(r, r)
            : TERN_FE_IN(a, a), TERN_FE_IN(b, b)
            : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "cc");
  }

  // sum = x' + z' and diff = x' - z' for (x', z') = (x, z) when bit is 0, (x_other,
  // z_other) when 1: the ladder's conditional swap done as it loads, by cmov (a move by
  // flag, no branch, both sources read). Folds as add and sub, so z and z_other loose.
  // The asm leaves the compiler two registers: the Fe operands must be addressable without
  // one each, as the ladder's locals are (relative to the stack pointer).
  TERN_X25519_ASM_INLINE void select_add_sub(Fe& sum, Fe& diff, const Fe& x, const Fe& z,
                                             const Fe& x_other, const Fe& z_other, uint64_t bit) {
    __asm__("testq %[bit], %[bit]\n\t"
            // x' in r8..r11, z' in r12..r15.
            "movq %[x0], %%r8\n\t"
            "cmovnzq %[xo0], %%r8\n\t"
            "movq %[x1], %%r9\n\t"
            "cmovnzq %[xo1], %%r9\n\t"
            "movq %[x2], %%r10\n\t"
            "cmovnzq %[xo2], %%r10\n\t"
            "movq %[x3], %%r11\n\t"
            "cmovnzq %[xo3], %%r11\n\t"
            "movq %[z0], %%r12\n\t"
            "cmovnzq %[zo0], %%r12\n\t"
            "movq %[z1], %%r13\n\t"
            "cmovnzq %[zo1], %%r13\n\t"
            "movq %[z2], %%r14\n\t"
            "cmovnzq %[zo2], %%r14\n\t"
            "movq %[z3], %%r15\n\t"
            "cmovnzq %[zo3], %%r15\n\t"
            // The sum in rax rbx rcx rdx.
            "movq %%r8, %%rax\n\t"
            "movq %%r9, %%rbx\n\t"
            "movq %%r10, %%rcx\n\t"
            "movq %%r11, %%rdx\n\t"
            "addq %%r12, %%rax\n\t"
            "adcq %%r13, %%rbx\n\t"
            "adcq %%r14, %%rcx\n\t"
            "adcq %%r15, %%rdx\n\t"
            // bit, read by the cmovs, holds the folds' 38 from here on.
            "sbbq %[bit], %[bit]\n\t"
            "andq $38, %[bit]\n\t"
            "addq %[bit], %%rax\n\t"
            "adcq $0, %%rbx\n\t"
            "adcq $0, %%rcx\n\t"
            "adcq $0, %%rdx\n\t"
            "movq %%rax, %[s0]\n\t"
            "movq %%rbx, %[s1]\n\t"
            "movq %%rcx, %[s2]\n\t"
            "movq %%rdx, %[s3]\n\t"
            // The difference in r8..r11.
            "subq %%r12, %%r8\n\t"
            "sbbq %%r13, %%r9\n\t"
            "sbbq %%r14, %%r10\n\t"
            "sbbq %%r15, %%r11\n\t"
            "sbbq %[bit], %[bit]\n\t"
            "andq $38, %[bit]\n\t"
            "subq %[bit], %%r8\n\t"
            "sbbq $0, %%r9\n\t"
            "sbbq $0, %%r10\n\t"
            "sbbq $0, %%r11\n\t"
            TERN_X25519_STORE(d)
            : TERN_FE_OUT(s, sum), TERN_FE_OUT(d, diff), [bit] "+r"(bit)
            : TERN_FE_IN(x, x), TERN_FE_IN(z, z), TERN_FE_IN(xo, x_other), TERN_FE_IN(zo, z_other)
            : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
              "cc");
  }

  // Swaps a and b when bit is 1, leaves them when 0: cmov moves data by a flag without a
  // branch, and both of its sources are always read.
  TERN_X25519_ASM_INLINE void cswap(Fe& a, Fe& b, uint64_t bit) {
#define TERN_X25519_CSWAP_LIMB(i) \
  "movq %[a" i "], %%rax\n\t"     \
  "movq %[b" i "], %%rcx\n\t"     \
  "cmovnzq %[b" i "], %%rax\n\t"  \
  "cmovnzq %[a" i "], %%rcx\n\t"  \
  "movq %%rax, %[a" i "]\n\t"     \
  "movq %%rcx, %[b" i "]\n\t"
    __asm__("testq %[bit], %[bit]\n\t" TERN_X25519_CSWAP_LIMB("0") TERN_X25519_CSWAP_LIMB("1")
                TERN_X25519_CSWAP_LIMB("2") TERN_X25519_CSWAP_LIMB("3")
            : TERN_FE_INOUT(a, a), TERN_FE_INOUT(b, b)
            : [bit] "r"(bit)
            : "rax", "rcx", "cc");
#undef TERN_X25519_CSWAP_LIMB
  }
};

}  // namespace tern::crypto::x25519
