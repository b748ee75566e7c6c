#include "handshake/key_schedule.h"

#include "base/writer.h"

namespace tern::handshake {

Result<SecretBytes> hkdf_expand_label(const crypto::Provider& provider, Hash hash,
                                      BytesView secret, std::string_view label,
                                      BytesView context, size_t length) {
  // struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel;
  uint8_t info_buf[2 + 1 + 255 + 1 + 255];
  size_t n = 0;
  constexpr std::string_view kPrefix = "tls13 ";
  if (length > 0xffff || kPrefix.size() + label.size() > 255 || context.size() > 255)
    return Error(Errc::internal, "HKDF-Expand-Label: label or context too long");
  info_buf[n++] = static_cast<uint8_t>(length >> 8);
  info_buf[n++] = static_cast<uint8_t>(length);
  info_buf[n++] = static_cast<uint8_t>(kPrefix.size() + label.size());
  for (char c : kPrefix) info_buf[n++] = static_cast<uint8_t>(c);
  for (char c : label) info_buf[n++] = static_cast<uint8_t>(c);
  info_buf[n++] = static_cast<uint8_t>(context.size());
  for (uint8_t b : context) info_buf[n++] = b;
  return provider.hkdf_expand(hash, secret, BytesView(info_buf, n), length);
}

Result<TrafficKeys> traffic_keys(const crypto::Provider& provider, Hash hash, crypto::Aead aead,
                                 BytesView traffic_secret) {
  TERN_TRY(SecretBytes key, hkdf_expand_label(provider, hash, traffic_secret, "key", {},
                                              crypto::aead_key_size(aead)));
  TERN_TRY(SecretBytes iv, hkdf_expand_label(provider, hash, traffic_secret, "iv", {},
                                             crypto::kAeadNonceSize));
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

Result<SecretBytes> psk_binder(const crypto::Provider& provider, Hash hash, BytesView psk,
                               BytesView truncated_transcript_hash) {
  KeySchedule13 early(provider, hash);
  TERN_CHECK(early.start(psk));
  TERN_TRY(auto binder_key, early.derive_secret("res binder", provider.hash(hash, {})));
  return finished_verify_data(provider, hash, binder_key.view(), truncated_transcript_hash);
}

Result<SecretBytes> export_keying_material(const crypto::Provider& provider, Hash hash,
                                           BytesView exporter_master_secret,
                                           std::string_view label, BytesView context,
                                           size_t length) {
  Bytes empty_hash = provider.hash(hash, {});
  TERN_TRY(SecretBytes derived, hkdf_expand_label(provider, hash, exporter_master_secret, label,
                                                  empty_hash, crypto::hash_size(hash)));
  Bytes context_hash = provider.hash(hash, context);
  return hkdf_expand_label(provider, hash, derived.view(), "exporter", context_hash, length);
}

Result<void> KeySchedule13::start(BytesView psk) {
  stage_ = Stage::none;
  secret_ = SecretBytes();
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
  if (stage_ == Stage::none) return Error(Errc::internal, "key schedule: not started");
  return hkdf_expand_label(*provider_, hash_, secret_.view(), label, transcript_hash, hash_size());
}

Result<void> KeySchedule13::extract_next(BytesView ikm) {
  uint8_t zeros[64] = {};
  BytesView input = ikm.empty() ? BytesView(zeros, hash_size()) : ikm;
  if (stage_ == Stage::none) {
    secret_ = provider_->hkdf_extract(hash_, {}, input);  // salt: a hash-length string of 0s
    return {};
  }
  Bytes empty_hash = provider_->hash(hash_, {});
  TERN_TRY(SecretBytes salt, derive_secret("derived", empty_hash));
  secret_ = provider_->hkdf_extract(hash_, salt.view(), input);
  return {};
}

}  // namespace tern::handshake
