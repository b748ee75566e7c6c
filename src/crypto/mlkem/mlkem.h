// SPDX-License-Identifier: Apache-2.0
// ML-KEM (FIPS 203): key generation, encapsulation and decapsulation with implicit
// rejection, for ML-KEM-512, -768 and -1024. Constant time with respect to secrets
// (d, z, m, the decapsulation key, shared secrets); see tests/ct/mlkem_constant_time.sh.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/secret.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::crypto::mlkem {

enum class Variant : uint8_t { ml_kem_512, ml_kem_768, ml_kem_1024 };

const char* variant_name(Variant v);
size_t encapsulation_key_size(Variant v);
size_t decapsulation_key_size(Variant v);
size_t ciphertext_size(Variant v);
constexpr size_t kSeedSize = 32;          // d, z and m
constexpr size_t kSharedSecretSize = 32;

struct KeyPair {
  Bytes encapsulation_key;
  base::SecretBytes decapsulation_key;
};

struct Encapsulation {
  Bytes ciphertext;
  base::SecretBytes shared_secret;
};

// ML-KEM.KeyGen_internal (Algorithm 16) from the 32-byte seeds d and z.
Result<KeyPair> keygen_internal(Variant v, BytesView d, BytesView z);
// KeyGen_internal as the FIPS 203 initial public draft defined it (G(d) without the k
// byte). Only for checking vectors made before the final standard (CCTV's); never for keys.
Result<KeyPair> keygen_internal_ipd(Variant v, BytesView d, BytesView z);
// ML-KEM.KeyGen (Algorithm 19) with fresh randomness.
Result<KeyPair> keygen(Variant v);

// ML-KEM.Encaps_internal (Algorithm 17) with the 32-byte message m. Checks the
// encapsulation key first (§7.2: length and modulus check).
Result<Encapsulation> encaps_internal(Variant v, BytesView encapsulation_key, BytesView m);
// ML-KEM.Encaps (Algorithm 20) with fresh randomness.
Result<Encapsulation> encaps(Variant v, BytesView encapsulation_key);

// ML-KEM.Decaps (Algorithm 21). Checks lengths and the decapsulation key's hash (§7.3);
// a well-formed but wrong ciphertext is not an error: it yields the implicit-rejection
// secret, as the standard requires.
Result<base::SecretBytes> decaps(Variant v, BytesView decapsulation_key, BytesView ciphertext);

// The input checks on their own (§7.2 and §7.3).
Result<void> check_encapsulation_key(Variant v, BytesView encapsulation_key);
Result<void> check_decapsulation_key(Variant v, BytesView decapsulation_key);

}  // namespace tern::crypto::mlkem
