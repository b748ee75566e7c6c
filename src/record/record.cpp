// SPDX-License-Identifier: Apache-2.0
#include "record/record.h"

#include <cstring>

namespace tern::record {

namespace {
bool known_type(uint8_t t) { return t >= 20 && t <= 23; }

void put_header(std::span<uint8_t> record, ContentType type, size_t fragment_len) {
  record[0] = static_cast<uint8_t>(type);
  record[1] = kLegacyVersion >> 8;
  record[2] = kLegacyVersion & 0xff;
  record[3] = static_cast<uint8_t>(fragment_len >> 8);
  record[4] = static_cast<uint8_t>(fragment_len);
}
}  // namespace

Result<std::optional<RecordView>> next_record(std::span<uint8_t> buffered, size_t max_fragment,
                                              RecordVersions versions) {
  if (buffered.size() < kHeaderSize) {
    // Reject garbage as soon as its first byte shows it, rather than waiting for more.
    if (!buffered.empty() && !known_type(buffered[0]))
      return Error(Errc::protocol, "received a record of unknown content type " +
                                       std::to_string(buffered[0]) + " (the peer is not speaking TLS?)",
                   Alert::unexpected_message);
    return std::optional<RecordView>();
  }
  uint8_t type = buffered[0];
  uint16_t version = static_cast<uint16_t>(buffered[1] << 8 | buffered[2]);
  size_t length = size_t{buffered[3]} << 8 | buffered[4];
  if (!known_type(type))
    return Error(Errc::protocol, "received a record of unknown content type " + std::to_string(type) +
                                     " (the peer is not speaking TLS?)",
                 Alert::unexpected_message);
  // SSL 3.0 to TLS 1.2 record versions (0x0300-0x0303) are all seen in the wild on the
  // first flight, and any {03,XX} may come from a client that does not know our version yet.
  bool tls = (version >> 8) == 0x03 &&
             ((version & 0xff) <= 0x04 || versions == RecordVersions::any_tls);
  if (!tls)
    return Error(Errc::protocol, "received a record with version " + std::to_string(version >> 8) +
                                     "." + std::to_string(version & 0xff) + ", which is not TLS",
                 Alert::protocol_version);
  if (length > max_fragment)
    return Error(Errc::protocol, "received a record of " + std::to_string(length) +
                                     " bytes, more than the " + std::to_string(max_fragment) +
                                     " allowed",
                 Alert::record_overflow);
  if (buffered.size() < kHeaderSize + length) return std::optional<RecordView>();
  return std::optional<RecordView>(
      RecordView{static_cast<ContentType>(type), version, buffered.subspan(kHeaderSize, length)});
}

Result<Cipher> Cipher::create(const crypto::Provider& provider, Version version,
                              crypto::Aead aead, BytesView key, BytesView iv) {
  size_t iv_len = version == Version::tls12 && aead != crypto::Aead::chacha20_poly1305
                      ? 4
                      : crypto::kAeadNonceSize;
  if (iv.size() != iv_len || key.size() != crypto::aead_key_size(aead))
    return Error(Errc::internal, "record cipher: wrong key or IV length");
  TERN_TRY(auto ctx, provider.aead(aead, key));
  Cipher cipher(std::move(ctx), version, aead);
  std::memcpy(cipher.iv_, iv.data(), iv.size());
  return cipher;
}

size_t Cipher::overhead() const {
  return kHeaderSize + explicit_nonce_size() + (version_ == Version::tls13 ? 1 : 0) +
         crypto::kAeadTagSize;
}

void Cipher::nonce_for(uint64_t seq, uint8_t out[crypto::kAeadNonceSize]) const {
  std::memcpy(out, iv_, crypto::kAeadNonceSize);
  if (explicit_nonce_size()) {
    // RFC 5288: salt (4 bytes of IV) || explicit nonce; we use the sequence number.
    for (int i = 0; i < 8; ++i) out[4 + i] = static_cast<uint8_t>(seq >> (56 - 8 * i));
    return;
  }
  for (int i = 0; i < 8; ++i) out[4 + i] ^= static_cast<uint8_t>(seq >> (56 - 8 * i));
}

Result<void> Cipher::next_sequence() {
  // RFC 8446 §5.3: the sequence number must not wrap; the connection has to end first.
  if (sequence_ == UINT64_MAX)
    return Error(Errc::protocol, "record sequence number exhausted", Alert::internal_error);
  ++sequence_;
  return {};
}

Result<size_t> Cipher::seal(ContentType type, std::span<uint8_t> record, size_t length,
                            size_t padding) {
  return seal_impl(type, nullptr, record, length, padding);
}

Result<size_t> Cipher::seal_from(ContentType type, BytesView plaintext, std::span<uint8_t> record,
                                 size_t padding) {
  if (plaintext.empty()) return seal_impl(type, nullptr, record, 0, padding);
  // Overlap would make the encryption read what it has already overwritten.
  const uint8_t* p = plaintext.data();
  if (p < record.data() + record.size() && record.data() < p + plaintext.size())
    return Error(Errc::internal, "record seal: plaintext overlaps the record");
  return seal_impl(type, p, record, plaintext.size(), padding);
}

Result<size_t> Cipher::seal_impl(ContentType type, const uint8_t* source,
                                 std::span<uint8_t> record, size_t length, size_t padding) {
  bool tls13 = version_ == Version::tls13;
  if (!tls13) padding = 0;
  size_t inner = length + (tls13 ? 1 + padding : 0);
  size_t fragment = explicit_nonce_size() + inner + crypto::kAeadTagSize;
  size_t total = kHeaderSize + fragment;
  // The padded inner plaintext counts against the 2^14 + 1 limit too (RFC 8446 §5.4).
  if (length > kMaxPlaintext || inner > protocol_max_plaintext() || record.size() < total)
    return Error(Errc::internal, "record too large to seal");

  uint8_t* body = record.data() + plaintext_offset();
  if (tls13) {
    body[length] = static_cast<uint8_t>(type);
    std::memset(body + length + 1, 0, padding);
  }
  uint8_t nonce[crypto::kAeadNonceSize];
  nonce_for(sequence_, nonce);
  // TLS 1.3 additional data is the outer header; TLS 1.2's is seq || type || version || length.
  put_header(record, tls13 ? ContentType::application_data : type, fragment);
  uint8_t aad12[13];
  BytesView aad(record.data(), kHeaderSize);
  if (!tls13) {
    for (int i = 0; i < 8; ++i) aad12[i] = static_cast<uint8_t>(sequence_ >> (56 - 8 * i));
    aad12[8] = static_cast<uint8_t>(type);
    aad12[9] = kLegacyVersion >> 8;
    aad12[10] = kLegacyVersion & 0xff;
    aad12[11] = static_cast<uint8_t>(length >> 8);
    aad12[12] = static_cast<uint8_t>(length);
    aad = BytesView(aad12, 13);
    std::memcpy(record.data() + kHeaderSize, nonce + 4, explicit_nonce_size());
  }
  // From the source into the body, then the inner content type and padding in place.
  BytesView from = source ? BytesView(source, length) : BytesView(body, length);
  TERN_CHECK(ctx_->seal_parts(BytesView(nonce, sizeof nonce), aad, from,
                              std::span<uint8_t>(body, length),
                              std::span<uint8_t>(body + length, inner - length),
                              std::span<uint8_t>(body + inner, crypto::kAeadTagSize)));
  TERN_CHECK(next_sequence());
  return total;
}

Result<Opened> Cipher::open(const RecordView& record) {
  bool tls13 = version_ == Version::tls13;
  std::span<uint8_t> fragment = record.fragment;
  size_t min = explicit_nonce_size() + crypto::kAeadTagSize + (tls13 ? 1 : 0);
  if (fragment.size() < min)
    return Error(Errc::protocol, "received an encrypted record too short to be valid",
                 Alert::bad_record_mac);
  if (tls13 && record.type != ContentType::application_data)
    return Error(Errc::protocol,
                 std::string("received a ") + msgs::name(record.type) +
                     " record where only encrypted records are allowed",
                 Alert::unexpected_message);

  uint8_t nonce[crypto::kAeadNonceSize];
  nonce_for(sequence_, nonce);
  if (explicit_nonce_size()) std::memcpy(nonce + 4, fragment.data(), 8);
  size_t inner = fragment.size() - explicit_nonce_size() - crypto::kAeadTagSize;
  std::span<uint8_t> body = fragment.subspan(explicit_nonce_size(), inner);
  BytesView tag(fragment.data() + fragment.size() - crypto::kAeadTagSize, crypto::kAeadTagSize);

  uint8_t header[kHeaderSize] = {static_cast<uint8_t>(record.type),
                                 static_cast<uint8_t>(record.version >> 8),
                                 static_cast<uint8_t>(record.version),
                                 static_cast<uint8_t>(fragment.size() >> 8),
                                 static_cast<uint8_t>(fragment.size())};
  uint8_t aad12[13];
  BytesView aad(header, kHeaderSize);
  if (!tls13) {
    for (int i = 0; i < 8; ++i) aad12[i] = static_cast<uint8_t>(sequence_ >> (56 - 8 * i));
    aad12[8] = static_cast<uint8_t>(record.type);
    aad12[9] = kLegacyVersion >> 8;
    aad12[10] = kLegacyVersion & 0xff;
    aad12[11] = static_cast<uint8_t>(inner >> 8);
    aad12[12] = static_cast<uint8_t>(inner);
    aad = BytesView(aad12, 13);
  }
  if (auto r = ctx_->open(BytesView(nonce, sizeof nonce), aad, body, tag); !r)
    return Error(Errc::crypto, "a received record failed authentication (corrupted or forged)",
                 Alert::bad_record_mac);
  TERN_CHECK(next_sequence());
  // RFC 8446 §5.4 and RFC 8449 §4: padding counts, so the whole inner plaintext must fit.
  size_t max_plaintext = std::min(max_plaintext_, protocol_max_plaintext());
  if (inner > max_plaintext)
    return Error(Errc::protocol,
                 "received a record of " + std::to_string(inner) + " plaintext bytes" +
                     (tls13 ? " (content type and padding included)" : "") + ", more than the " +
                     std::to_string(max_plaintext) + " allowed",
                 Alert::record_overflow);

  ContentType type = record.type;
  size_t length = inner;
  if (tls13) {
    // The real content type is the last non-zero byte; zeros after it are padding.
    while (length > 0 && body[length - 1] == 0) --length;
    if (length == 0)
      return Error(Errc::protocol, "received an encrypted record with no content type",
                   Alert::unexpected_message);
    type = static_cast<ContentType>(body[--length]);
    if (!known_type(static_cast<uint8_t>(type)) || type == ContentType::change_cipher_spec)
      return Error(Errc::protocol, "received an encrypted record of invalid inner content type",
                   Alert::unexpected_message);
  }
  return Opened{type, body.first(length)};
}

}  // namespace tern::record
