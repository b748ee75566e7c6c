// SPDX-License-Identifier: Apache-2.0
// Fuzzes key parsing: SubjectPublicKeyInfo through the provider, private key files (PEM or
// DER, PKCS#8 / SEC1 / PKCS#1) through the x509 loader, and external PSK files (hex or raw,
// --psk-file). The first input byte picks which; the rest is the key. Must never crash,
// hang or leak.
#include <cstddef>
#include <cstdint>

#include "crypto/provider.h"
#include "handshake/external_psk.h"
#include "x509/certificate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  if (size == 0) return 0;
  BytesView key(data + 1, size - 1);
  if (data[0] % 3 == 2) {
    auto psk = handshake::external_psk_from_file(
        "fuzz", key, data[0] & 4 ? ExternalPsk::Hash::sha384 : ExternalPsk::Hash::sha256);
    if (psk.ok() && !psk->check().ok()) __builtin_trap();  // loaded means within the limits
  } else if (data[0] % 3 == 1) {
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
