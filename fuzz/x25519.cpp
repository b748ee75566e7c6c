// SPDX-License-Identifier: Apache-2.0
// tern's X25519 against libcrypto's on arbitrary scalars and peer values (the input's
// first 32 bytes and the next 32, zero-padded), on every path the CPU has: the public key
// and the shared secret must match byte for byte, and an all-zero secret must be refused
// exactly where libcrypto refuses it.
#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "crypto/x25519/x25519.h"

namespace {

// libcrypto's X25519(k, u); false when it refuses (an all-zero result).
bool libcrypto_x25519(uint8_t out[32], const uint8_t k[32], const uint8_t u[32]) {
  EVP_PKEY* priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, k, 32);
  EVP_PKEY* pub = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, u, 32);
  EVP_PKEY_CTX* ctx = priv ? EVP_PKEY_CTX_new(priv, nullptr) : nullptr;
  size_t len = 32;
  const bool ok = ctx && pub && EVP_PKEY_derive_init(ctx) == 1 &&
                  EVP_PKEY_derive_set_peer(ctx, pub) == 1 &&
                  EVP_PKEY_derive(ctx, out, &len) == 1 && len == 32;
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(pub);
  EVP_PKEY_free(priv);
  return ok;
}

void libcrypto_public(uint8_t out[32], const uint8_t k[32]) {
  EVP_PKEY* priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, k, 32);
  size_t len = 32;
  if (!priv || EVP_PKEY_get_raw_public_key(priv, out, &len) != 1 || len != 32) std::abort();
  EVP_PKEY_free(priv);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern::crypto::x25519;
  uint8_t in[64] = {};
  std::memcpy(in, data, size < sizeof in ? size : sizeof in);
  const uint8_t* k = in;
  const uint8_t* u = in + 32;

  uint8_t want_pub[32], want[32];
  libcrypto_public(want_pub, k);
  const bool want_ok = libcrypto_x25519(want, k, u);

  const Implementation saved = implementation();
  for (Implementation impl : {Implementation::portable, Implementation::adx}) {
    if (!set_implementation(impl)) continue;
    uint8_t pub[32], shared[32];
    public_key(pub, k);
    const bool ok = shared_secret(shared, k, u);
    if (std::memcmp(pub, want_pub, 32) != 0 || ok != want_ok ||
        (ok && std::memcmp(shared, want, 32) != 0)) {
      std::abort();
    }
  }
  set_implementation(saved);
  return 0;
}
