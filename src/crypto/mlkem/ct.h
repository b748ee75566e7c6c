// SPDX-License-Identifier: Apache-2.0
// Constant-time helpers for ML-KEM, and the hook that tells valgrind's memcheck which
// secret-derived values FIPS 203 makes public (so the constant-time test can mark all
// secrets undefined and still run the algorithm). Client requests are a few no-op
// instructions when the process is not running under valgrind.
#pragma once

#include <cstddef>
#include <cstdint>

#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define TERN_MLKEM_DECLASSIFY(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define TERN_MLKEM_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

namespace tern::crypto::mlkem {

// Hides a value from the optimiser so that mask arithmetic is not turned back into a
// branch.
inline uint8_t value_barrier(uint8_t v) {
  __asm__("" : "+r"(v));
  return v;
}

// 0xff if a and b (both n bytes) are equal, else 0; reads every byte.
inline uint8_t equal_mask(const uint8_t* a, const uint8_t* b, size_t n) {
  uint8_t diff = 0;
  for (size_t i = 0; i < n; ++i) diff |= static_cast<uint8_t>(a[i] ^ b[i]);
  uint32_t is_zero = (static_cast<uint32_t>(value_barrier(diff)) - 1) >> 31;
  return value_barrier(static_cast<uint8_t>(0u - is_zero));
}

// out = mask ? a : b, for mask 0xff or 0.
inline void select(uint8_t* out, const uint8_t* a, const uint8_t* b, size_t n, uint8_t mask) {
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(b[i] ^ ((a[i] ^ b[i]) & mask));
}

}  // namespace tern::crypto::mlkem
