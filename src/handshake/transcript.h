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
  // Transcript-Hash of everything so far plus `extra`, which is not added.
  Bytes current_with(BytesView extra) const;
  // The same for a PSK binder (RFC 8446 §4.2.11.2), which covers a ClientHello cut short
  // of its binders, `prefix`: with `hash` if the transcript has not started. The state
  // after `prefix` is kept, so that the whole ClientHello, added next (or buffered, then
  // hashed by start(hash)), costs only the binders that follow `prefix`.
  Bytes current_with_prefix(crypto::Hash hash, BytesView prefix);
  BytesView buffered() const { return buffer_; }
  // Drops the raw buffer once nothing needs it any more.
  void release_buffer() { Bytes().swap(buffer_); }

 private:
  const crypto::Provider* provider_;
  // What current_with_prefix() hashed, ending with `prefix`: the next message up to `end`
  // (started), or buffer_ up to `end` (not started).
  struct HashedPrefix {
    std::unique_ptr<crypto::HashContext> ctx;
    Bytes prefix;
    size_t end = 0;
  };
  // If `data` holds prefix_ at its place, makes ctx_ the state after it, then hashes the
  // rest of `data`. False if it does not (the caller hashes `data` whole).
  bool continue_after_prefix(crypto::Hash hash, BytesView data);

  std::unique_ptr<crypto::HashContext> ctx_;
  std::optional<HashedPrefix> prefix_;
  Bytes buffer_;
  bool keep_buffer_ = true;
};

}  // namespace tern::handshake
