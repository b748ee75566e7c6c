// SPDX-License-Identifier: Apache-2.0
// The checks that differ between the verification profiles (tern::VerifyProfile): the
// CA/Browser Forum web profile on top of RFC 5280, and the limits on peer keys that bound
// the CPU an unauthenticated peer's chain can cost.
#pragma once

#include "tern/result.h"
#include "tern/x509.h"
#include "x509/certificate.h"

namespace tern::x509 {

// RSA keys a verifier will use, checked on every certificate of a path before its key
// verifies anything. An RSA verification costs about the modulus length squared times the
// exponent's bit length, so both are capped, as Go (8192 bits) and browsers do. (Keys under
// 2048 bits never get this far: the crypto provider refuses them, CA/Browser Forum 6.1.5.)
constexpr size_t kMaxRsaModulusBits = 8192;
constexpr size_t kMaxRsaExponentBits = 32;  // e <= 2^32 - 1

Result<void> check_key_limits(const Certificate& cert, VerifyProfile profile);

// The server leaf's extendedKeyUsage for `profile` (web: present, serverAuth, not combined
// with other purposes and not critical; rfc5280: serverAuth or anyExtendedKeyUsage if present).
Result<void> check_server_eku(const Certificate& leaf, VerifyProfile profile);

// Web profile rules on a server leaf's names: each subject CN is a character-for-character
// copy of a subjectAltName entry (CA/Browser Forum 7.1.4.3), no dNSName has an underscore
// (7.1.2.7.12).
Result<void> check_web_leaf_names(const Certificate& leaf);

}  // namespace tern::x509
