// SPDX-License-Identifier: Apache-2.0
#include "handshake/external_psk.h"

#include <algorithm>
#include <cctype>

#include "base/encoding.h"
#include "base/private_file.h"
#include "base/secret.h"

namespace tern {

namespace {
constexpr size_t kMinKeySize = 16;   // RFC 9257 §6: at least 128 bits of entropy
constexpr size_t kMaxKeySize = 512;  // as OpenSSL's PSK_MAX_PSK_LEN
constexpr size_t kMaxKeyFileSize = 4096;
}  // namespace

Result<void> ExternalPsk::check() const {
  if (identity.empty() || identity.size() > 65535)
    return Error(Errc::usage, "an external PSK identity must be 1 to 65535 bytes long");
  if (key.size() < kMinKeySize)
    return Error(Errc::usage, "the external PSK is " + std::to_string(key.size()) +
                                  " bytes long; at least " + std::to_string(kMinKeySize) +
                                  " random bytes are needed (RFC 9257: 128 bits of entropy)");
  if (key.size() > kMaxKeySize)
    return Error(Errc::usage,
                 "the external PSK is longer than " + std::to_string(kMaxKeySize) + " bytes");
  if (hash != Hash::sha256 && hash != Hash::sha384)
    return Error(Errc::usage, "an external PSK's hash must be SHA-256 or SHA-384");
  return ok();
}

Result<ExternalPsk> ExternalPsk::load(std::string identity, const std::string& key_path,
                                      Hash hash) {
  TERN_TRY(auto contents, base::read_file(key_path, kMaxKeyFileSize, "PSK file", true));
  auto psk = handshake::external_psk_from_file(std::move(identity), contents.view(), hash);
  if (!psk) return Error(Errc::usage, key_path + ": " + psk.error().detail);
  return psk;
}

}  // namespace tern

namespace tern::handshake {

Result<ExternalPsk> external_psk_from_file(std::string identity, BytesView contents,
                                           ExternalPsk::Hash hash) {
  ExternalPsk psk;
  psk.identity.assign(identity.begin(), identity.end());
  psk.hash = hash;
  // Hex digits with whitespace around them, as openssl -psk and gnutls --pskkey take keys.
  std::string_view text(reinterpret_cast<const char*>(contents.data()), contents.size());
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  size_t first = 0, last = text.size();
  while (first < last && space(text[first])) ++first;
  while (last > first && space(text[last - 1])) --last;
  std::string_view trimmed = text.substr(first, last - first);
  auto hex = base::unhex(trimmed);
  if (hex && !hex->empty()) {
    psk.key = SecretBuffer(BytesView(*hex));
    base::secure_zero(hex->data(), hex->size());
  } else {
    psk.key = SecretBuffer(contents);
  }
  TERN_CHECK(psk.check());
  return psk;
}

crypto::Hash external_psk_hash(const ExternalPsk& psk) {
  return psk.hash == ExternalPsk::Hash::sha384 ? crypto::Hash::sha384 : crypto::Hash::sha256;
}

bool allows_dhe(const ExternalPsk& psk) {
  return psk.key_exchange != ExternalPsk::KeyExchange::without_dhe;
}

bool allows_no_dhe(const ExternalPsk& psk) {
  return psk.key_exchange != ExternalPsk::KeyExchange::with_dhe;
}

namespace {

const ExternalPsk* find_external_psk(const ServerConfig& config, const Bytes& identity) {
  auto psk = std::find_if(config.external_psks.begin(), config.external_psks.end(),
                          [&](const ExternalPsk& p) { return p.identity == identity; });
  return psk == config.external_psks.end() ? nullptr : &*psk;
}

bool offers_mode(const msgs::ClientHello& hello, msgs::PskKeyExchangeMode mode) {
  auto* modes = hello.get<msgs::PskKeyExchangeModes>(msgs::ExtensionType::psk_key_exchange_modes);
  return modes && std::find(modes->modes.begin(), modes->modes.end(), mode) != modes->modes.end();
}

}  // namespace

bool wants_psk_without_dhe(const ServerConfig& config, const msgs::ClientHello& hello) {
  auto* offer = hello.get<msgs::PreSharedKeyOffer>(msgs::ExtensionType::pre_shared_key);
  if (!offer || !offers_mode(hello, msgs::PskKeyExchangeMode::psk_ke)) return false;
  bool client_dhe = offers_mode(hello, msgs::PskKeyExchangeMode::psk_dhe_ke);
  for (const msgs::PskIdentity& identity : offer->identities) {
    const ExternalPsk* psk = find_external_psk(config, identity.identity);
    if (psk && allows_no_dhe(*psk) && (!client_dhe || !allows_dhe(*psk))) return true;
  }
  return false;
}

Result<SecretBytes> external_psk_binder(const KeySchedule13& early,
                                        BytesView truncated_transcript_hash) {
  if (early.stage() != KeySchedule13::Stage::early)
    return Error(Errc::internal, "key schedule: a PSK binder needs the early stage");
  const crypto::Provider& provider = early.provider();
  TERN_TRY(auto binder_key, early.derive_secret("ext binder", empty_hash(provider, early.hash())));
  return finished_verify_data(provider, early.hash(), binder_key.view(), truncated_transcript_hash);
}

Result<std::optional<Bytes>> offer_external_psk(const crypto::Provider& provider,
                                                const ExternalPsk& psk, msgs::ClientHello& hello,
                                                Transcript& transcript,
                                                std::optional<crypto::Hash> suite_hash_after_retry,
                                                std::optional<KeySchedule13>& schedule) {
  crypto::Hash hash = external_psk_hash(psk);
  if (suite_hash_after_retry && *suite_hash_after_retry != hash) return std::optional<Bytes>();
  msgs::PreSharedKeyOffer offer;
  // RFC 8446 §4.2.11: obfuscated_ticket_age is 0 for identities not from a ticket.
  offer.identities.push_back({psk.identity, 0});
  offer.binders.push_back(Bytes(crypto::hash_size(hash), 0));
  hello.extensions.push_back({msgs::ExtensionType::pre_shared_key, offer});
  Bytes encoded = hello.encode();
  TERN_TRY(auto truncated, msgs::truncated_client_hello(encoded, hello));
  Bytes transcript_hash = transcript.current_with_prefix(hash, truncated);
  schedule.emplace(provider, hash);
  TERN_CHECK(schedule->start(psk.key.view()));
  TERN_TRY(auto binder, external_psk_binder(*schedule, transcript_hash));
  // The binder fills the placeholder at the very end of the encoding.
  std::copy(binder.view().begin(), binder.view().end(), encoded.end() - binder.size());
  return std::optional<Bytes>(std::move(encoded));
}

Result<std::optional<uint16_t>> accept_external_psk(
    const crypto::Provider& provider, const ServerConfig& config, const msgs::ClientHello& hello,
    BytesView encoded_hello, Transcript& transcript, crypto::Hash suite_hash,
    bool without_dhe, std::optional<KeySchedule13>& schedule) {
  auto* offer = hello.get<msgs::PreSharedKeyOffer>(msgs::ExtensionType::pre_shared_key);
  if (!offer || config.external_psks.empty()) return std::optional<uint16_t>();
  // The parser bounds the identities; each costs a lookup, and only a match a binder.
  for (size_t i = 0; i < offer->identities.size(); ++i) {
    const Bytes& identity = offer->identities[i].identity;
    const ExternalPsk* psk = find_external_psk(config, identity);
    if (!psk || external_psk_hash(*psk) != suite_hash) continue;
    if (without_dhe ? !allows_no_dhe(*psk) : !allows_dhe(*psk)) continue;
    TERN_TRY(auto truncated, msgs::truncated_client_hello(encoded_hello, hello));
    schedule.emplace(provider, suite_hash);
    TERN_CHECK(schedule->start(psk->key.view()));
    TERN_TRY(auto expected,
             external_psk_binder(*schedule, transcript.current_with_prefix(suite_hash, truncated)));
    if (!base::constant_time_equal(expected.view(), offer->binders[i])) {
      schedule.reset();
      return Error(Errc::crypto,
                   "the client's binder for external PSK identity " + std::to_string(i) +
                       " does not verify: the client holds another key under that identity",
                   Alert::decrypt_error);
    }
    return std::optional<uint16_t>(static_cast<uint16_t>(i));
  }
  return std::optional<uint16_t>();
}

}  // namespace tern::handshake
