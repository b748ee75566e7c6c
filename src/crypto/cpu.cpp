// SPDX-License-Identifier: Apache-2.0
#include "crypto/cpu.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#endif
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define TERN_HAVE_VALGRIND_H 1
#endif

namespace tern::crypto {

bool cpu_has_bmi2_adx() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  return (ebx >> 8 & 1) && (ebx >> 19 & 1);  // BMI2, ADX
#else
  return false;
#endif
}

bool cpu_under_valgrind() {
#if defined(TERN_HAVE_VALGRIND_H)
  return RUNNING_ON_VALGRIND != 0;
#else
  return false;
#endif
}

}  // namespace tern::crypto
