// SPDX-License-Identifier: Apache-2.0
// ML-KEM's two implementations of the hot paths (portable C++ and AVX2) and the run-time
// switch between them. Internal: tests use set_implementation to run every known-answer
// test on both; TERN_MLKEM_PORTABLE=1 in the environment forces the portable path from
// the start. Both give bit-identical results for every function in poly.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/mlkem/poly.h"

// The AVX2 translation units compile per function for AVX2, so the rest of the library
// stays baseline x86-64.
#define TERN_AVX2 __attribute__((target("avx2")))
#define TERN_AVX2_INLINE __attribute__((target("avx2"), always_inline)) inline

namespace tern::crypto::mlkem {

enum class Implementation : uint8_t { portable, avx2 };

const char* implementation_name(Implementation i);
// Whether this CPU (and OS) can run the AVX2 path.
bool avx2_supported();
// Selects the implementation for all later calls from any thread. Returns false, changing
// nothing, if the CPU cannot run it. Not meant to be called while others use ML-KEM.
bool set_implementation(Implementation i);
Implementation implementation();

// Pieces shared by the two paths (sampling.cpp).
// Appends the accepted 12-bit candidates of buf to out[count..] (room for kN + 1 values);
// returns the new count, at most kN.
size_t rejection_sample(int16_t* out, size_t count, const uint8_t* buf, size_t len);
void cbd_from_bytes(Poly& out, const uint8_t* prf, int eta);
void sample_ntt_portable(Poly& out, std::span<const uint8_t, kSymBytes> rho, uint8_t j, uint8_t i);
void sample_cbd_portable(Poly& out, std::span<const uint8_t, kSymBytes> seed, uint8_t nonce,
                         int eta);

// Several samples at once, which the AVX2 path computes four at a time with a 4-way
// Keccak. out[n] = SampleNTT(rho || j[n] || i[n]), n < count.
void sample_ntt_many(Poly* const* out, std::span<const uint8_t, kSymBytes> rho, const uint8_t* j,
                     const uint8_t* i, int count);
// out[n] = SamplePolyCBD_eta(PRF_eta(seed, first_nonce + n)), n < count.
void sample_cbd_many(Poly* const* out, std::span<const uint8_t, kSymBytes> seed,
                     uint8_t first_nonce, int count, int eta);

// The AVX2 versions (poly_avx2.cpp, keccak_avx2.cpp); only called when avx2_supported().
namespace avx2 {
void ntt(Poly& f);
void inv_ntt(Poly& f);
void dot_ntt(Poly& out, const Poly* a, const Poly* b, int k);
void poly_add(Poly& r, const Poly& a);
void poly_sub(Poly& r, const Poly& a, const Poly& b);
void poly_reduce(Poly& f);
void poly_to_unsigned(Poly& f);
void poly_to_montgomery(Poly& f);
// As mlkem::rejection_sample, but out needs room for kN + 16 values.
size_t rejection_sample(int16_t* out, size_t count, const uint8_t* buf, size_t len);
// cbd_from_bytes for eta = 2 (128 bytes).
void cbd2(Poly& out, const uint8_t* prf);
// Four SHAKE streams of one rate (168 or 136) at once: in[n] (in_len < rate bytes each)
// absorbed, then `blocks` whole blocks squeezed into out[n] (rate * blocks bytes each).
void shake_x4(size_t rate, const uint8_t* const* in, size_t in_len, uint8_t* const* out,
              size_t blocks);
}  // namespace avx2

}  // namespace tern::crypto::mlkem
