// SPDX-License-Identifier: Apache-2.0
#include "crypto/hpke.h"

#include <string>

#include "base/writer.h"

namespace tern::crypto::hpke {
namespace {

constexpr size_t kX25519SecretSize = 32;  // Nsecret of DHKEM(X25519, HKDF-SHA256)

std::optional<Hash> kdf_hash(uint16_t kdf) {
  switch (kdf) {
    case kKdfSha256: return Hash::sha256;
    case kKdfSha384: return Hash::sha384;
    case kKdfSha512: return Hash::sha512;
    default: return std::nullopt;
  }
}

std::optional<Aead> aead_of(uint16_t aead) {
  switch (aead) {
    case kAeadAes128Gcm: return Aead::aes128_gcm;
    case kAeadAes256Gcm: return Aead::aes256_gcm;
    case kAeadChacha20Poly1305: return Aead::chacha20_poly1305;
    default: return std::nullopt;
  }
}

// suite_id: "KEM" || kem_id for the KEM, "HPKE" || kem || kdf || aead for the rest.
Bytes kem_suite_id(uint16_t kem) {
  base::Writer w;
  w.bytes(std::string_view("KEM"));
  w.u16(kem);
  return w.take();
}

Bytes hpke_suite_id(const Suite& s) {
  base::Writer w;
  w.bytes(std::string_view("HPKE"));
  w.u16(s.kem);
  w.u16(s.kdf);
  w.u16(s.aead);
  return w.take();
}

// LabeledExtract / LabeledExpand (RFC 9180 §4).
SecretBytes labeled_extract(const Provider& p, Hash h, BytesView suite_id, BytesView salt,
                            std::string_view label, BytesView ikm) {
  base::Writer w;
  w.bytes(std::string_view("HPKE-v1"));
  w.bytes(suite_id);
  w.bytes(label);
  w.bytes(ikm);
  SecretBytes labeled_ikm(w.data());
  Bytes wipe = w.take();
  base::secure_zero(wipe.data(), wipe.size());
  return p.hkdf_extract(h, salt, labeled_ikm.view());
}

Result<SecretBytes> labeled_expand(const Provider& p, Hash h, BytesView suite_id, BytesView prk,
                                   std::string_view label, BytesView info, size_t length) {
  if (length > 0xffff) return Error(Errc::usage, "HPKE: an expand length over 65535");
  base::Writer w;
  w.u16(static_cast<uint16_t>(length));
  w.bytes(std::string_view("HPKE-v1"));
  w.bytes(suite_id);
  w.bytes(label);
  w.bytes(info);
  return p.hkdf_expand(h, prk, w.data(), length);
}

// DHKEM's ExtractAndExpand (RFC 9180 §4.1).
Result<SecretBytes> kem_shared_secret(const Provider& p, BytesView dh, BytesView enc,
                                      BytesView recipient_public) {
  Bytes suite_id = kem_suite_id(kKemX25519Sha256);
  SecretBytes eae_prk = labeled_extract(p, Hash::sha256, suite_id, {}, "eae_prk", dh);
  Bytes kem_context(enc.begin(), enc.end());
  kem_context.insert(kem_context.end(), recipient_public.begin(), recipient_public.end());
  return labeled_expand(p, Hash::sha256, suite_id, eae_prk.view(), "shared_secret", kem_context,
                        kX25519SecretSize);
}

// KeySchedule for mode_base (RFC 9180 §5.1): no PSK.
Result<std::unique_ptr<Context>> key_schedule(const Provider& p, const Suite& s,
                                              const SecretBytes& shared_secret, BytesView info) {
  Hash h = *kdf_hash(s.kdf);
  Bytes suite_id = hpke_suite_id(s);
  SecretBytes psk_id_hash = labeled_extract(p, h, suite_id, {}, "psk_id_hash", {});
  SecretBytes info_hash = labeled_extract(p, h, suite_id, {}, "info_hash", info);
  Bytes context{0x00};  // mode_base
  context.insert(context.end(), psk_id_hash.view().begin(), psk_id_hash.view().end());
  context.insert(context.end(), info_hash.view().begin(), info_hash.view().end());
  SecretBytes secret = labeled_extract(p, h, suite_id, shared_secret.view(), "secret", {});
  SecretBytes key, base_nonce;
  if (auto aead = aead_of(s.aead)) {
    TERN_TRY(key, labeled_expand(p, h, suite_id, secret.view(), "key", context,
                                 aead_key_size(*aead)));
    TERN_TRY(base_nonce, labeled_expand(p, h, suite_id, secret.view(), "base_nonce", context,
                                        kAeadNonceSize));
  }
  TERN_TRY(auto exporter, labeled_expand(p, h, suite_id, secret.view(), "exp", context,
                                         hash_size(h)));
  return std::make_unique<Context>(p, s, std::move(key), std::move(base_nonce),
                                   std::move(exporter));
}

Result<void> check_suite(const Suite& s) {
  if (!supported(s))
    return Error(Errc::unsupported, "HPKE: unsupported suite (KEM " + std::to_string(s.kem) +
                                        ", KDF " + std::to_string(s.kdf) + ", AEAD " +
                                        std::to_string(s.aead) + ")");
  return ok();
}

}  // namespace

bool supported_kem(uint16_t kem) { return kem == kKemX25519Sha256; }
bool supported_kdf(uint16_t kdf) { return kdf_hash(kdf).has_value(); }
bool supported_aead(uint16_t aead) { return aead == kAeadExportOnly || aead_of(aead).has_value(); }
bool supported(const Suite& s) {
  return supported_kem(s.kem) && supported_kdf(s.kdf) && supported_aead(s.aead);
}

const char* kdf_name(uint16_t kdf) {
  switch (kdf) {
    case kKdfSha256: return "HKDF-SHA256";
    case kKdfSha384: return "HKDF-SHA384";
    case kKdfSha512: return "HKDF-SHA512";
    default: return "unknown";
  }
}

const char* aead_name(uint16_t aead) {
  switch (aead) {
    case kAeadAes128Gcm: return "AES-128-GCM";
    case kAeadAes256Gcm: return "AES-256-GCM";
    case kAeadChacha20Poly1305: return "ChaCha20-Poly1305";
    case kAeadExportOnly: return "export-only";
    default: return "unknown";
  }
}

Context::Context(const Provider& provider, Suite suite, SecretBytes key, SecretBytes base_nonce,
                 SecretBytes exporter_secret)
    : provider_(&provider),
      suite_(suite),
      key_(std::move(key)),
      base_nonce_(std::move(base_nonce)),
      exporter_secret_(std::move(exporter_secret)) {}

Bytes Context::next_nonce() const {
  Bytes nonce(base_nonce_.view().begin(), base_nonce_.view().end());
  for (size_t i = 0; i < 8; ++i) nonce[nonce.size() - 1 - i] ^= static_cast<uint8_t>(seq_ >> (8 * i));
  return nonce;
}

Result<Bytes> Context::seal(BytesView aad, BytesView plaintext) {
  auto aead = aead_of(suite_.aead);
  if (!aead) return Error(Errc::usage, "HPKE: the export-only AEAD cannot seal");
  if (seq_ == UINT64_MAX) return Error(Errc::usage, "HPKE: message limit reached");
  if (!aead_) {
    TERN_TRY(aead_, provider_->aead(*aead, key_.view()));
  }
  Bytes out(plaintext.begin(), plaintext.end());
  out.resize(plaintext.size() + kAeadTagSize);
  std::span<uint8_t> data(out.data(), plaintext.size());
  std::span<uint8_t> tag(out.data() + plaintext.size(), kAeadTagSize);
  TERN_CHECK(aead_->seal(next_nonce(), aad, data, tag));
  ++seq_;
  return out;
}

Result<Bytes> Context::open(BytesView aad, BytesView ciphertext) {
  auto aead = aead_of(suite_.aead);
  if (!aead) return Error(Errc::usage, "HPKE: the export-only AEAD cannot open");
  if (ciphertext.size() < kAeadTagSize)
    return Error(Errc::crypto, "HPKE: the ciphertext is shorter than its tag",
                 Alert::decrypt_error);
  if (seq_ == UINT64_MAX) return Error(Errc::usage, "HPKE: message limit reached");
  if (!aead_) {
    TERN_TRY(aead_, provider_->aead(*aead, key_.view()));
  }
  size_t n = ciphertext.size() - kAeadTagSize;
  Bytes out(ciphertext.begin(), ciphertext.begin() + static_cast<ptrdiff_t>(n));
  auto opened = aead_->open(next_nonce(), aad, out, ciphertext.subspan(n));
  if (!opened)
    return Error(Errc::crypto, "HPKE: the ciphertext does not decrypt", Alert::decrypt_error);
  ++seq_;
  return out;
}

Result<SecretBytes> Context::export_secret(BytesView exporter_context, size_t length) const {
  Hash h = *kdf_hash(suite_.kdf);
  if (length > 255 * hash_size(h)) return Error(Errc::usage, "HPKE: export length too long");
  return labeled_expand(*provider_, h, hpke_suite_id(suite_), exporter_secret_.view(), "sec",
                        exporter_context, length);
}

Result<Bytes> public_key(const Provider& provider, BytesView private_key) {
  if (private_key.size() != kX25519KeySize)
    return Error(Errc::decode, "HPKE: an X25519 private key is 32 bytes");
  TERN_TRY(auto share, provider.key_share_from_private(Group::x25519, private_key));
  BytesView pub = share->public_key();
  return Bytes(pub.begin(), pub.end());
}

Result<SenderSetup> setup_base_sender(const Provider& provider, const Suite& suite,
                                      BytesView recipient_public, BytesView info,
                                      BytesView ephemeral_private) {
  TERN_CHECK(check_suite(suite));
  if (recipient_public.size() != kX25519KeySize)
    return Error(Errc::decode, "HPKE: the recipient's X25519 public key is not 32 bytes",
                 Alert::illegal_parameter);
  std::unique_ptr<KeyShare> ephemeral;
  if (ephemeral_private.empty()) {
    TERN_TRY(ephemeral, provider.generate_key_share(Group::x25519));
  } else {
    TERN_TRY(ephemeral, provider.key_share_from_private(Group::x25519, ephemeral_private));
  }
  TERN_TRY(auto dh, ephemeral->decapsulate(recipient_public));
  BytesView enc = ephemeral->public_key();
  TERN_TRY(auto shared, kem_shared_secret(provider, dh.view(), enc, recipient_public));
  TERN_TRY(auto context, key_schedule(provider, suite, shared, info));
  return SenderSetup{Bytes(enc.begin(), enc.end()), std::move(context)};
}

Result<std::unique_ptr<Context>> setup_base_receiver(const Provider& provider, const Suite& suite,
                                                     BytesView enc, BytesView recipient_private,
                                                     BytesView info) {
  TERN_CHECK(check_suite(suite));
  TERN_TRY(auto mine, provider.key_share_from_private(Group::x25519, recipient_private));
  return setup_base_receiver(provider, suite, enc, *mine, info);
}

Result<std::unique_ptr<Context>> setup_base_receiver(const Provider& provider, const Suite& suite,
                                                     BytesView enc, const KeyShare& recipient,
                                                     BytesView info) {
  TERN_CHECK(check_suite(suite));
  if (recipient.group() != Group::x25519)
    return Error(Errc::usage, "HPKE: the recipient's key is not an X25519 key");
  if (enc.size() != kX25519KeySize)
    return Error(Errc::decode, "HPKE: the encapsulated key is not 32 bytes",
                 Alert::illegal_parameter);
  TERN_TRY(auto dh, recipient.decapsulate(enc));
  TERN_TRY(auto shared, kem_shared_secret(provider, dh.view(), enc, recipient.public_key()));
  return key_schedule(provider, suite, shared, info);
}

}  // namespace tern::crypto::hpke
