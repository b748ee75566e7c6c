// SPDX-License-Identifier: Apache-2.0
// HPKE (RFC 9180), base mode, over the crypto Provider: what Encrypted Client Hello needs.
// One KEM, DHKEM(X25519, HKDF-SHA256); the KDFs HKDF-SHA256/384/512; the AEADs AES-128-GCM,
// AES-256-GCM, ChaCha20-Poly1305 and the export-only "AEAD". X25519 goes through the
// provider's key shares, HKDF through its HMAC and sealing through its aead().
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include "crypto/provider.h"

namespace tern::crypto::hpke {

// Code points (RFC 9180 §7).
inline constexpr uint16_t kKemX25519Sha256 = 0x0020;
inline constexpr uint16_t kKdfSha256 = 0x0001, kKdfSha384 = 0x0002, kKdfSha512 = 0x0003;
inline constexpr uint16_t kAeadAes128Gcm = 0x0001, kAeadAes256Gcm = 0x0002,
                          kAeadChacha20Poly1305 = 0x0003, kAeadExportOnly = 0xffff;
// X25519: Npk = Nenc = Nsk = 32.
inline constexpr size_t kX25519KeySize = 32;

struct Suite {
  uint16_t kem = kKemX25519Sha256;
  uint16_t kdf = kKdfSha256;
  uint16_t aead = kAeadAes128Gcm;
};
// Whether tern implements this KEM, KDF and AEAD (the export-only AEAD counts).
bool supported_kem(uint16_t kem);
bool supported_kdf(uint16_t kdf);
bool supported_aead(uint16_t aead);
bool supported(const Suite& suite);
// "HKDF-SHA256", "AES-128-GCM", ... for messages; "unknown" otherwise.
const char* kdf_name(uint16_t kdf);
const char* aead_name(uint16_t aead);

// An encryption context after setup (RFC 9180 §5.2): seals or opens messages in order,
// each with the next nonce.
class Context {
 public:
  Context(const Provider& provider, Suite suite, SecretBytes key, SecretBytes base_nonce,
          SecretBytes exporter_secret);
  // Ciphertext with its 16-byte tag. Fails for the export-only AEAD.
  Result<Bytes> seal(BytesView aad, BytesView plaintext);
  // Plaintext; fails (Errc::crypto, decrypt_error) if the tag does not verify.
  Result<Bytes> open(BytesView aad, BytesView ciphertext);
  // The secret export interface (RFC 9180 §5.3).
  Result<SecretBytes> export_secret(BytesView exporter_context, size_t length) const;
  uint64_t sequence() const { return seq_; }

 private:
  Bytes next_nonce() const;
  const Provider* provider_;
  Suite suite_;
  SecretBytes key_, base_nonce_, exporter_secret_;
  std::unique_ptr<AeadContext> aead_;
  uint64_t seq_ = 0;
};

struct SenderSetup {
  Bytes enc;  // the encapsulated key for the recipient
  std::unique_ptr<Context> context;
};

// SetupBaseS: encapsulates to `recipient_public` (32 bytes). `ephemeral_private` pins the
// ephemeral key (known-answer tests); empty = a fresh one.
Result<SenderSetup> setup_base_sender(const Provider& provider, const Suite& suite,
                                      BytesView recipient_public, BytesView info,
                                      BytesView ephemeral_private = {});
// SetupBaseR: decapsulates `enc` with the recipient's private key.
Result<std::unique_ptr<Context>> setup_base_receiver(const Provider& provider, const Suite& suite,
                                                     BytesView enc, BytesView recipient_private,
                                                     BytesView info);
// The same with the recipient's key already loaded (Provider::key_share_from_private, which
// also derived its public key): what a server holding one key for many clients calls.
Result<std::unique_ptr<Context>> setup_base_receiver(const Provider& provider, const Suite& suite,
                                                     BytesView enc, const KeyShare& recipient,
                                                     BytesView info);
// The X25519 public key of a private key (32 bytes each).
Result<Bytes> public_key(const Provider& provider, BytesView private_key);

}  // namespace tern::crypto::hpke
