// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 key schedule (RFC 8446 §7.1): early -> handshake -> master secrets, the
// traffic secrets derived from them, and the keys, IVs and Finished values they yield.
// Secrets are SecretBytes; labels are given without the "tls13 " prefix.
#pragma once

#include <memory>
#include <string_view>

#include "crypto/provider.h"

namespace tern::handshake {

using base::SecretBytes;
using crypto::Hash;

// HKDF-Expand-Label(secret, "tls13 " + label, context, length).
Result<SecretBytes> hkdf_expand_label(const crypto::Provider& provider, Hash hash,
                                      BytesView secret, std::string_view label,
                                      BytesView context, size_t length);

// The same, with the secret already set up as an HMAC key (several labels from one secret).
Result<SecretBytes> hkdf_expand_label(const crypto::HmacKey& secret, std::string_view label,
                                      BytesView context, size_t length);

// Hash(""), computed once per process and hash function.
BytesView empty_hash(const crypto::Provider& provider, Hash hash);

struct TrafficKeys {
  SecretBytes key;
  SecretBytes iv;
};

// The write key and IV of one direction, from its traffic secret (§7.3).
Result<TrafficKeys> traffic_keys(const crypto::Provider& provider, Hash hash, crypto::Aead aead,
                                 BytesView traffic_secret);
// verify_data of a Finished message: HMAC(finished_key(base_key), transcript_hash) (§4.4.4).
Result<SecretBytes> finished_verify_data(const crypto::Provider& provider, Hash hash,
                                         BytesView base_key, BytesView transcript_hash);
// application_traffic_secret_N+1 for KeyUpdate (§7.2).
Result<SecretBytes> next_traffic_secret(const crypto::Provider& provider, Hash hash,
                                        BytesView traffic_secret);
// The PSK of a ticket: HKDF-Expand-Label(resumption_master_secret, "resumption", nonce).
Result<SecretBytes> resumption_psk(const crypto::Provider& provider, Hash hash,
                                   BytesView resumption_master_secret, BytesView ticket_nonce);
class KeySchedule13;
// A PSK binder (§4.2.11.2): the Finished-style MAC under
// Derive-Secret(Early Secret(psk), "res binder", "") of the truncated ClientHello's hash.
// `early` is started with the PSK; the handshake that resumes goes on with it.
Result<SecretBytes> psk_binder(const KeySchedule13& early, BytesView truncated_transcript_hash);
// TLS-Exporter(label, context, length) from an exporter master secret (§7.5).
Result<SecretBytes> export_keying_material(const crypto::Provider& provider, Hash hash,
                                           BytesView exporter_master_secret,
                                           std::string_view label, BytesView context,
                                           size_t length);

// The three extract stages. Each stage's secret replaces the previous one, so the
// schedule holds one secret at a time.
class KeySchedule13 {
 public:
  enum class Stage : uint8_t { none, early, handshake, master };

  KeySchedule13(const crypto::Provider& provider, Hash hash) : provider_(&provider), hash_(hash) {}

  // Early Secret = HKDF-Extract(0, PSK); an empty psk means no PSK (all zeros).
  Result<void> start(BytesView psk);
  // Handshake Secret = HKDF-Extract(Derive-Secret(early, "derived", ""), shared_secret).
  Result<void> advance_to_handshake(BytesView shared_secret);
  // Master Secret = HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0).
  Result<void> advance_to_master();

  // Derive-Secret(current stage secret, label, transcript_hash).
  Result<SecretBytes> derive_secret(std::string_view label, BytesView transcript_hash) const;

  Stage stage() const { return stage_; }
  Hash hash() const { return hash_; }
  size_t hash_size() const { return crypto::hash_size(hash_); }
  const crypto::Provider& provider() const { return *provider_; }

 private:
  Result<void> extract_next(BytesView ikm);

  const crypto::Provider* provider_;
  Hash hash_;
  Stage stage_ = Stage::none;
  // The current stage's secret, set up as an HMAC key: every Derive-Secret of a stage
  // keys HMAC with it. Without a PSK the early secret (and the "derived" salt after it)
  // are the same for every handshake, and shared process-wide.
  std::shared_ptr<const crypto::HmacKey> secret_;
  bool zero_psk_ = false;
};

}  // namespace tern::handshake
