// SPDX-License-Identifier: Apache-2.0
// tern's own ECDSA P-256 signature verification (FIPS 186-5 §6.4.2, SEC 1 §4.1.4). Only
// public values are involved, so it runs in variable time. Signing stays on libcrypto.
//
// The strict input checks: r and s in [1, n-1]; the public key on the curve, not the point
// at infinity, its coordinates below p; a DER signature minimal in every length and integer
// and followed by nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "crypto/p256/field.h"

namespace tern::crypto::p256 {

// A validated public key: affine coordinates in Montgomery form.
struct PublicPoint {
  Fe x, y;
};

// SEC 1 uncompressed encoding 0x04 || X || Y (65 bytes), with X, Y < p and the point on
// the curve; nullopt otherwise (compressed and hybrid encodings are not accepted).
std::optional<PublicPoint> parse_uncompressed_point(std::span<const uint8_t> in);

// A DER ECDSA-Sig-Value SEQUENCE { r INTEGER, s INTEGER } into r || s (32 bytes each,
// big-endian). False if the encoding is not strict DER (long-form or non-minimal lengths,
// negative or zero-padded integers, trailing bytes) or an integer needs more than 32 bytes.
bool parse_der_signature(std::span<const uint8_t> der, std::span<uint8_t, 64> rs_raw);

// Whether r || s is a valid signature of the digest under the key. The digest may be any
// length: its leftmost 256 bits are used (FIPS 186-5 §6.4.2 step 3).
bool verify_digest(std::span<const uint8_t> digest, std::span<const uint8_t, 64> rs_raw,
                   const PublicPoint& key);

}  // namespace tern::crypto::p256
