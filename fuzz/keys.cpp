// SPDX-License-Identifier: Apache-2.0
// Fuzzes key parsing: SubjectPublicKeyInfo through the provider, and private key files
// (PEM or DER, PKCS#8 / SEC1 / PKCS#1) through the x509 loader. The first input byte picks
// which; the rest is the key. Must never crash, hang or leak.
#include <cstddef>
#include <cstdint>

#include "crypto/provider.h"
#include "x509/certificate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  if (size == 0) return 0;
  BytesView key(data + 1, size - 1);
  if (data[0] & 1) {
    auto pub = crypto::default_provider().parse_public_key(key);
    if (pub.ok()) {
      const uint8_t message[] = {1, 2, 3};
      (void)(*pub)->verify({crypto::SigKind::ecdsa, crypto::Hash::sha256, 0}, message, key);
      (void)(*pub)->spki();
    }
  } else {
    auto priv = x509::parse_private_key(key);
    if (priv.ok()) (void)(*priv)->public_key();
  }
  return 0;
}
