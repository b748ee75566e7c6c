// SPDX-License-Identifier: Apache-2.0
/// @file
/// Which implementation computes the two primitives that dominate a handshake: X25519
/// (RFC 7748) and ECDSA P-256 signature verification. tern carries its own of each
/// (src/crypto/x25519/, src/crypto/p256/); libcrypto's remain one switch away, to compare
/// the two in one run or to fall back.
#pragma once

#include <cstdint>

#include "tern/export.h"

namespace tern {

/// The implementation of X25519 and of ECDSA P-256 verification.
enum class Primitives : uint8_t {
  tern,       ///< tern's own (the default)
  libcrypto,  ///< OpenSSL's libcrypto, as for every other primitive
};

/// The implementation in use. At start it is `tern`, unless the environment variable
/// TERN_CRYPTO is `libcrypto`.
TERN_API Primitives primitives();
/// Selects the implementation for every later handshake of the process, from any thread.
/// Meant to be called at start, before connections are made.
TERN_API void set_primitives(Primitives p);
/// "tern" or "libcrypto".
TERN_API const char* primitives_name(Primitives p);

}  // namespace tern
