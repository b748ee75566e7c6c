// SPDX-License-Identifier: Apache-2.0
// Private to the OpenSSL backend: RAII wrappers for libcrypto objects, the table of
// algorithms fetched once per process, and the entry points that openssl_provider.cpp
// wires into the Provider. Nothing outside src/crypto includes this file.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "crypto/provider.h"

namespace tern::crypto::ossl {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

enum class Curve : uint8_t { p256, p384, p521 };

// Everything fetched from the default library context at start-up and kept for the life
// of the process (EVP_*_fetch is a locked table lookup; doing it per record or per
// handshake is measurable).
struct Algorithms {
  EVP_MD* md[4] = {};                  // indexed by Hash
  EVP_CIPHER* aes128_gcm = nullptr;
  EVP_CIPHER* aes256_gcm = nullptr;
  EVP_CIPHER* chacha20_poly1305 = nullptr;
  // Domain parameters only, indexed by Curve. Keys copy them instead of building the
  // curve from its name each time (which costs more than decoding the point itself).
  EVP_PKEY* ec_params[3] = {};
};
const Algorithms& algorithms();
const EVP_MD* md(Hash h);

// An EC public key from an uncompressed X9.62 point; null (errors cleared) if the point
// is malformed or not on the curve.
PkeyPtr ec_public_key(Curve c, BytesView point);
// A fresh EC key pair on the curve; null on failure.
PkeyPtr ec_generate(Curve c);

// An Error for a failed libcrypto call: `what` plus OpenSSL's own reason, if any. Clears
// OpenSSL's thread-local error queue so stale entries never leak into later messages.
Error openssl_error(Errc code, std::string what, Alert alert = Alert::none);
// Drops whatever OpenSSL queued (for failures that are expected, e.g. a bad tag).
void clear_errors();

// Area entry points, implemented in openssl_aead.cpp, openssl_sha.cpp,
// openssl_key_share.cpp and openssl_keys.cpp.
Result<std::unique_ptr<AeadContext>> make_aead(Aead a, BytesView key);
// SHA-1/SHA-2 hashing and HMAC with the key set up once (openssl_sha.cpp); never null.
std::unique_ptr<HashContext> make_hash_context(Hash h);
std::unique_ptr<HmacKey> make_hmac_key(Hash h, BytesView key);

Result<std::unique_ptr<KeyShare>> generate_key_share(Group g);
Result<std::unique_ptr<KeyShare>> key_share_from_private(Group g, BytesView private_key);
Result<Encapsulation> encapsulate(Group g, BytesView peer_public);

Result<std::unique_ptr<PublicKey>> parse_public_key(BytesView spki);
Result<std::unique_ptr<PrivateKey>> parse_private_key(BytesView der);
Result<std::unique_ptr<PrivateKey>> generate_private_key(KeyType t, size_t rsa_bits);

}  // namespace tern::crypto::ossl
