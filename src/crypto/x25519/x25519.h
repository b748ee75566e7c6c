// SPDX-License-Identifier: Apache-2.0
// X25519 (RFC 7748), tern's own, constant time with respect to the scalar. Key
// generation is a fixed-base multiplication on the equivalent Edwards curve with a
// precomputed table; the shared secret is the Montgomery ladder. Two implementations of
// the field arithmetic, chosen at run time: portable C++ (64-bit limbs, 128-bit
// products) and mulx/adcx/adox assembly for CPUs with BMI2 and ADX. Both give identical
// results. TERN_X25519_IMPL=portable|adx in the environment forces one at start (adx
// without checking CPUID, for valgrind, which hides ADX: see x25519.cpp).
#pragma once

#include <cstdint>

namespace tern::crypto::x25519 {

inline constexpr int kKeySize = 32;

// out = X25519(scalar, 9): the public key of a private scalar (clamped here).
void public_key(uint8_t out[32], const uint8_t scalar[32]);

// out = X25519(scalar, peer). Returns false when the result is all zero (a peer value of
// small order, RFC 7748 §6.1), which the caller must refuse; out is then all zero.
bool shared_secret(uint8_t out[32], const uint8_t scalar[32], const uint8_t peer[32]);

// ifma (AVX-512 IFMA) is named for completeness but not implemented: the machine this was
// written on has no AVX-512, so it could not be measured; set_implementation refuses it.
enum class Implementation : uint8_t { portable, adx, ifma };

const char* implementation_name(Implementation i);
bool adx_supported();   // BMI2 (mulx) and ADX (adcx/adox)
bool ifma_supported();  // always false: no IFMA path yet
// Selects the implementation for all later calls from any thread. Returns false, changing
// nothing, if it cannot run here. Not meant to be called while others use X25519.
bool set_implementation(Implementation i);
Implementation implementation();

}  // namespace tern::crypto::x25519
