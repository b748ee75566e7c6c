// SPDX-License-Identifier: Apache-2.0
// The record layer (RFC 8446 §5, RFC 5246 §6.2): framing, and AEAD protection in place.
// Sealing writes the record into a caller-owned buffer where the plaintext already sits;
// opening decrypts in the received buffer. Nothing here allocates per record.
#pragma once

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "crypto/provider.h"
#include "msgs/codes.h"

namespace tern::record {

using msgs::ContentType;

constexpr size_t kHeaderSize = 5;
constexpr size_t kMaxPlaintext = 1 << 14;
constexpr size_t kMaxCiphertext13 = kMaxPlaintext + 256;   // RFC 8446 §5.2
constexpr size_t kMaxCiphertext12 = kMaxPlaintext + 2048;  // RFC 5246 §6.2.3
constexpr uint16_t kLegacyVersion = 0x0303;

enum class Version : uint8_t { tls12, tls13 };

// A record as it arrived: header fields and the (still protected) fragment.
struct RecordView {
  ContentType type;
  uint16_t version;
  std::span<uint8_t> fragment;  // points into the caller's receive buffer
  size_t size() const { return kHeaderSize + fragment.size(); }
};

// Which record versions a header may carry. Before a version is agreed any {03,XX} is TLS
// (RFC 5246 Appendix E.1: a server MUST accept them for ClientHello); after, SSL 3.0 to
// TLS 1.3 (0x0300-0x0304).
enum class RecordVersions : uint8_t { known, any_tls };

// The first complete record at the front of `buffered`, nullopt if more bytes are needed.
// Checks the header: a known content type, a plausible version and a length within
// `max_fragment` (record_overflow beyond it).
Result<std::optional<RecordView>> next_record(std::span<uint8_t> buffered, size_t max_fragment,
                                              RecordVersions versions = RecordVersions::known);

struct Opened {
  ContentType type;
  std::span<uint8_t> data;  // the plaintext, in place inside the record's fragment
};

// Protection of one direction under one key: the AEAD context, the static IV and the
// sequence number. TLS 1.3 (§5.3: nonce = iv XOR seq; inner content type and padding) or
// TLS 1.2 AEAD (RFC 5288 explicit nonce for AES-GCM; RFC 7905 XOR nonce for ChaCha20).
class Cipher {
 public:
  static Result<Cipher> create(const crypto::Provider& provider, Version version,
                               crypto::Aead aead, BytesView key, BytesView iv);

  // Where the caller writes the plaintext of a record, from the start of the record.
  size_t plaintext_offset() const { return kHeaderSize + explicit_nonce_size(); }
  // Bytes a sealed record takes beyond its plaintext, padding excluded.
  size_t overhead() const;

  // Seals the `length` plaintext bytes at record.subspan(plaintext_offset()) into a
  // complete record starting at record[0], adding `padding` zero bytes (TLS 1.3 only).
  // Returns the record's size. `record` must have room for it.
  Result<size_t> seal(ContentType type, std::span<uint8_t> record, size_t length,
                      size_t padding = 0);
  // The same for plaintext that is still elsewhere (the caller's write buffer, not
  // overlapping `record`): it is encrypted straight into its place in the record, so it
  // is neither copied there first nor the record zero-filled.
  Result<size_t> seal_from(ContentType type, BytesView plaintext, std::span<uint8_t> record,
                           size_t padding = 0);

  // Opens a record in place. TLS 1.3: the content type comes from inside; padding is
  // stripped. Fails with bad_record_mac, record_overflow or unexpected_message.
  Result<Opened> open(const RecordView& record);

  // The most plaintext a record opened by this cipher may carry: in TLS 1.3 the whole
  // TLSInnerPlaintext (content, type and padding), 2^14 + 1 at most; in TLS 1.2 the
  // content, 2^14 at most. A negotiated record_size_limit (RFC 8449 §4) lowers it.
  void limit_plaintext(size_t limit) { max_plaintext_ = std::min(limit, protocol_max_plaintext()); }

  uint64_t sequence() const { return sequence_; }
  Version version() const { return version_; }

 private:
  Cipher(std::unique_ptr<crypto::AeadContext> ctx, Version version, crypto::Aead aead)
      : ctx_(std::move(ctx)), version_(version), aead_(aead) {}
  size_t explicit_nonce_size() const {
    return version_ == Version::tls12 && aead_ != crypto::Aead::chacha20_poly1305 ? 8 : 0;
  }
  Result<size_t> seal_impl(ContentType type, const uint8_t* source, std::span<uint8_t> record,
                           size_t length, size_t padding);
  void nonce_for(uint64_t seq, uint8_t out[crypto::kAeadNonceSize]) const;
  Result<void> next_sequence();
  size_t protocol_max_plaintext() const {
    return version_ == Version::tls13 ? kMaxPlaintext + 1 : kMaxPlaintext;
  }

  std::unique_ptr<crypto::AeadContext> ctx_;
  Version version_;
  crypto::Aead aead_;
  uint8_t iv_[crypto::kAeadNonceSize] = {};  // TLS 1.2 GCM uses the first 4 bytes (salt)
  uint64_t sequence_ = 0;
  size_t max_plaintext_ = kMaxPlaintext + 1;  // capped by protocol_max_plaintext() on use
};

}  // namespace tern::record
