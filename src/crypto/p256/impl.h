// SPDX-License-Identifier: Apache-2.0
// P-256 verification's two field multiplications (portable C++ and mulx/adcx/adox) and the
// run-time switch between them, like ML-KEM's (crypto/mlkem/impl.h). Internal: tests use
// set_implementation to run every known-answer test on both; TERN_P256_IMPL=portable or
// =adx in the environment picks one at start (adx only where the CPU has BMI2 and ADX, or
// under valgrind).
// Also the generator's precomputed table, which a test recomputes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/p256/point.h"

namespace tern::crypto::p256 {

enum class Implementation : uint8_t { portable, adx };

const char* implementation_name(Implementation i);
// Whether this CPU can run the ADX path (BMI2's mulx and ADX's adcx/adox).
bool adx_supported();
// Selects the implementation for all later calls from any thread. Returns false, changing
// nothing, if the CPU cannot run it. Not meant to be called while others verify.
bool set_implementation(Implementation i);
Implementation implementation();
// Selects the ADX path without asking the CPU: only for counting instructions under
// valgrind, which runs mulx/adcx/adox but whose emulated CPUID does not report ADX.
void force_adx_for_valgrind();

// The generator G (affine, Montgomery form) and the curve's b in Montgomery form.
extern const Affine kGenerator;
extern const Fe kB;

// The generator's part of u1·G + u2·Q uses a width-kGeneratorWindow NAF, so its table is
// the odd multiples 1G, 3G, ..., (2^(w-1) - 1)G, affine (generator_table.h).
inline constexpr int kGeneratorWindow = 10;  // 256 points, 16 KiB
inline constexpr size_t kGeneratorTableSize = size_t{1} << (kGeneratorWindow - 2);
// Computes that table from kGenerator with the portable arithmetic (the checked-in table
// was printed from this by tests/tools/gen_p256_table.cpp).
void compute_generator_table(Affine out[kGeneratorTableSize]);
// The checked-in table.
const Affine* generator_table();

// Width-w NAF of a 256-bit scalar: digits[i] odd in (-2^(w-1), 2^(w-1)) or 0, at most one
// nonzero in any w consecutive; returns the number of digits (at most 257).
int wnaf(int16_t digits[257], const uint64_t k[4], int w);

}  // namespace tern::crypto::p256
