// SPDX-License-Identifier: Apache-2.0
// K-PKE (FIPS 203 §5): the CPA-secure encryption scheme underneath ML-KEM. Internal: no
// input checks here; mlkem.cpp checks lengths and keys first.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/mlkem/params.h"

namespace tern::crypto::mlkem {

// How K-PKE.KeyGen expands d: FIPS 203 hashes G(d || k); the initial public draft (ipd)
// hashed G(d) alone, and some published vectors (CCTV's) were made that way.
enum class SeedExpansion : uint8_t { fips203, fips203_ipd };

// Algorithm 13. ek has encapsulation_key_size() bytes, dk poly_vec_bytes().
void kpke_keygen(const Params& p, std::span<const uint8_t, kSymBytes> d, std::span<uint8_t> ek,
                 std::span<uint8_t> dk, SeedExpansion expansion = SeedExpansion::fips203);
// Algorithm 14. c has ciphertext_size() bytes.
void kpke_encrypt(const Params& p, std::span<const uint8_t> ek,
                  std::span<const uint8_t, kSymBytes> m, std::span<const uint8_t, kSymBytes> r,
                  std::span<uint8_t> c);
// Algorithm 15.
void kpke_decrypt(const Params& p, std::span<const uint8_t> dk, std::span<const uint8_t> c,
                  std::span<uint8_t, kSymBytes> m);

}  // namespace tern::crypto::mlkem
