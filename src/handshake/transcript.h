// SPDX-License-Identifier: Apache-2.0
// The handshake transcript (RFC 8446 §4.4.1): a running hash of every handshake message.
// Until the cipher suite fixes the hash function the messages are kept in a buffer; after
// that only the running hash remains, so an established connection holds no transcript.
#pragma once

#include <memory>
#include <optional>

#include "crypto/provider.h"

namespace tern::handshake {

class Transcript {
 public:
  explicit Transcript(const crypto::Provider& provider) : provider_(&provider) {}

  // Adds one whole handshake message (header included).
  void add(BytesView message);
  // Fixes the hash function and hashes what was buffered. Keeps the buffer only if
  // `keep_buffer` (TLS 1.2 client authentication signs the raw messages).
  void start(crypto::Hash hash, bool keep_buffer = false);
  // After a HelloRetryRequest: ClientHello1 becomes message_hash(Hash(ClientHello1))
  // (§4.4.1). Call after start() and before adding the HelloRetryRequest.
  void replace_with_message_hash();

  bool started() const { return ctx_ != nullptr; }
  crypto::Hash hash() const { return ctx_->algorithm(); }
  // Transcript-Hash of everything added so far.
  Bytes current() const { return ctx_->peek(); }
  // Transcript-Hash of everything so far plus `extra`, which is not added (PSK binders
  // cover a ClientHello cut short of its binders).
  Bytes current_with(BytesView extra) const;
  BytesView buffered() const { return buffer_; }
  // Drops the raw buffer once nothing needs it any more.
  void release_buffer() { Bytes().swap(buffer_); }

 private:
  const crypto::Provider* provider_;
  std::unique_ptr<crypto::HashContext> ctx_;
  Bytes buffer_;
  bool keep_buffer_ = true;
};

}  // namespace tern::handshake
