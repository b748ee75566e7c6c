// SPDX-License-Identifier: Apache-2.0
#include "handshake/key_schedule.h"

#include <mutex>

#include "base/writer.h"

namespace tern::handshake {

namespace {

// struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel;
// Returns its size in `info_buf`, or 0 if the label or context is too long.
size_t hkdf_label(uint8_t (&info_buf)[2 + 1 + 255 + 1 + 255], std::string_view label,
                  BytesView context, size_t length) {
  size_t n = 0;
  constexpr std::string_view kPrefix = "tls13 ";
  if (length > 0xffff || kPrefix.size() + label.size() > 255 || context.size() > 255) return 0;
  info_buf[n++] = static_cast<uint8_t>(length >> 8);
  info_buf[n++] = static_cast<uint8_t>(length);
  info_buf[n++] = static_cast<uint8_t>(kPrefix.size() + label.size());
  for (char c : kPrefix) info_buf[n++] = static_cast<uint8_t>(c);
  for (char c : label) info_buf[n++] = static_cast<uint8_t>(c);
  info_buf[n++] = static_cast<uint8_t>(context.size());
  for (uint8_t b : context) info_buf[n++] = b;
  return n;
}

Error label_too_long() {
  return Error(Errc::internal, "HKDF-Expand-Label: label or context too long");
}

// Per hash function, computed once: Hash(""), the HMAC key of the zero salt that extracts
// a PSK's early secret, and for handshakes without a PSK the early secret
// HKDF-Extract(0, 0) and the salt Derive-Secret(early, "derived", "") that follows.
// Public constants (RFC 8448 shows them); only the cost of computing them is saved.
struct HashConstants {
  Bytes empty_hash;
  std::shared_ptr<const crypto::HmacKey> zero_salt, zero_early, zero_derived;
};

const HashConstants& constants(const crypto::Provider& provider, Hash hash) {
  static std::once_flag once[4];
  static HashConstants table[4];
  auto i = static_cast<size_t>(hash);
  std::call_once(once[i], [&] {
    HashConstants& c = table[i];
    c.empty_hash = provider.hash(hash, {});
    const size_t n = crypto::hash_size(hash);
    uint8_t zeros[64] = {};
    auto zero_salt = provider.hmac_key(hash, BytesView(zeros, n));
    if (!zero_salt) return;
    SecretBytes early = zero_salt->mac(BytesView(zeros, n));
    auto early_key = provider.hmac_key(hash, early.view());
    if (c.empty_hash.size() != n || early.empty() || !early_key) return;
    auto derived = hkdf_expand_label(*early_key, "derived", c.empty_hash, n);
    if (!derived) return;
    auto derived_key = provider.hmac_key(hash, derived->view());
    if (!derived_key) return;
    c.zero_salt = std::move(zero_salt);
    c.zero_early = std::move(early_key);
    c.zero_derived = std::move(derived_key);
  });
  return table[i];
}

}  // namespace

Result<SecretBytes> hkdf_expand_label(const crypto::HmacKey& secret, std::string_view label,
                                      BytesView context, size_t length) {
  uint8_t info_buf[2 + 1 + 255 + 1 + 255];
  size_t n = hkdf_label(info_buf, label, context, length);
  if (n == 0) return label_too_long();
  return secret.expand(BytesView(info_buf, n), length);
}

Result<SecretBytes> hkdf_expand_label(const crypto::Provider& provider, Hash hash,
                                      BytesView secret, std::string_view label,
                                      BytesView context, size_t length) {
  uint8_t info_buf[2 + 1 + 255 + 1 + 255];
  size_t n = hkdf_label(info_buf, label, context, length);
  if (n == 0) return label_too_long();
  return provider.hkdf_expand(hash, secret, BytesView(info_buf, n), length);
}

BytesView empty_hash(const crypto::Provider& provider, Hash hash) {
  const HashConstants& c = constants(provider, hash);
  if (!c.empty_hash.empty()) return c.empty_hash;
  return {};
}

Result<TrafficKeys> traffic_keys(const crypto::Provider& provider, Hash hash, crypto::Aead aead,
                                 BytesView traffic_secret) {
  auto secret = provider.hmac_key(hash, traffic_secret);
  if (!secret) return Error(Errc::internal, "HMAC set-up for the traffic keys failed");
  TERN_TRY(SecretBytes key, hkdf_expand_label(*secret, "key", {}, crypto::aead_key_size(aead)));
  TERN_TRY(SecretBytes iv, hkdf_expand_label(*secret, "iv", {}, crypto::kAeadNonceSize));
  return TrafficKeys{std::move(key), std::move(iv)};
}

Result<SecretBytes> finished_verify_data(const crypto::Provider& provider, Hash hash,
                                         BytesView base_key, BytesView transcript_hash) {
  TERN_TRY(SecretBytes finished_key, hkdf_expand_label(provider, hash, base_key, "finished", {},
                                                       crypto::hash_size(hash)));
  return provider.hmac(hash, finished_key.view(), transcript_hash);
}

Result<SecretBytes> next_traffic_secret(const crypto::Provider& provider, Hash hash,
                                        BytesView traffic_secret) {
  return hkdf_expand_label(provider, hash, traffic_secret, "traffic upd", {},
                           crypto::hash_size(hash));
}

Result<SecretBytes> resumption_psk(const crypto::Provider& provider, Hash hash,
                                   BytesView resumption_master_secret, BytesView ticket_nonce) {
  return hkdf_expand_label(provider, hash, resumption_master_secret, "resumption", ticket_nonce,
                           crypto::hash_size(hash));
}

Result<SecretBytes> psk_binder(const KeySchedule13& early, BytesView truncated_transcript_hash) {
  if (early.stage() != KeySchedule13::Stage::early)
    return Error(Errc::internal, "key schedule: a PSK binder needs the early stage");
  const crypto::Provider& provider = early.provider();
  TERN_TRY(auto binder_key,
           early.derive_secret("res binder", empty_hash(provider, early.hash())));
  return finished_verify_data(provider, early.hash(), binder_key.view(),
                              truncated_transcript_hash);
}

Result<SecretBytes> export_keying_material(const crypto::Provider& provider, Hash hash,
                                           BytesView exporter_master_secret,
                                           std::string_view label, BytesView context,
                                           size_t length) {
  TERN_TRY(SecretBytes derived, hkdf_expand_label(provider, hash, exporter_master_secret, label,
                                                  empty_hash(provider, hash),
                                                  crypto::hash_size(hash)));
  Bytes context_hash = provider.hash(hash, context);
  return hkdf_expand_label(provider, hash, derived.view(), "exporter", context_hash, length);
}

Result<void> KeySchedule13::start(BytesView psk) {
  stage_ = Stage::none;
  secret_.reset();
  zero_psk_ = false;
  if (psk.empty()) {
    if (const auto& c = constants(*provider_, hash_); c.zero_early) {
      secret_ = c.zero_early;
      zero_psk_ = true;
      stage_ = Stage::early;
      return {};
    }
  }
  TERN_CHECK(extract_next(psk));
  stage_ = Stage::early;
  return {};
}

Result<void> KeySchedule13::advance_to_handshake(BytesView shared_secret) {
  if (stage_ != Stage::early) return Error(Errc::internal, "key schedule: handshake stage out of order");
  TERN_CHECK(extract_next(shared_secret));
  stage_ = Stage::handshake;
  return {};
}

Result<void> KeySchedule13::advance_to_master() {
  if (stage_ != Stage::handshake) return Error(Errc::internal, "key schedule: master stage out of order");
  TERN_CHECK(extract_next({}));
  stage_ = Stage::master;
  return {};
}

Result<SecretBytes> KeySchedule13::derive_secret(std::string_view label,
                                                 BytesView transcript_hash) const {
  if (stage_ == Stage::none || !secret_) return Error(Errc::internal, "key schedule: not started");
  return hkdf_expand_label(*secret_, label, transcript_hash, hash_size());
}

Result<void> KeySchedule13::extract_next(BytesView ikm) {
  uint8_t zeros[64] = {};
  BytesView input = ikm.empty() ? BytesView(zeros, hash_size()) : ikm;
  SecretBytes next;
  if (stage_ == Stage::none) {  // salt: a hash-length string of 0s
    const auto& zero_salt = constants(*provider_, hash_).zero_salt;
    next = zero_salt ? zero_salt->mac(input) : provider_->hkdf_extract(hash_, {}, input);
  } else if (zero_psk_ && stage_ == Stage::early) {
    next = constants(*provider_, hash_).zero_derived->mac(input);
  } else {
    TERN_TRY(SecretBytes salt, derive_secret("derived", empty_hash(*provider_, hash_)));
    next = provider_->hkdf_extract(hash_, salt.view(), input);
  }
  if (next.empty()) return Error(Errc::internal, "key schedule: HKDF-Extract failed");
  auto key = provider_->hmac_key(hash_, next.view());
  if (!key) return Error(Errc::internal, "key schedule: HMAC set-up failed");
  secret_ = std::move(key);
  return {};
}

}  // namespace tern::handshake
