// SPDX-License-Identifier: Apache-2.0
#include "handshake/transcript.h"

namespace tern::handshake {

void Transcript::add(BytesView message) {
  if (ctx_) ctx_->update(message);
  if (!ctx_ || keep_buffer_) buffer_.insert(buffer_.end(), message.begin(), message.end());
}

void Transcript::start(crypto::Hash hash, bool keep_buffer) {
  ctx_ = provider_->hash_context(hash);
  ctx_->update(buffer_);
  keep_buffer_ = keep_buffer;
  if (!keep_buffer_) release_buffer();
}

Bytes Transcript::current_with(BytesView extra) const {
  auto fork = ctx_->copy();
  fork->update(extra);
  return fork->peek();
}

void Transcript::replace_with_message_hash() {
  Bytes ch1_hash = ctx_->peek();
  ctx_ = provider_->hash_context(ctx_->algorithm());
  // A synthetic handshake message: type message_hash (254), 24-bit length, Hash(ClientHello1).
  uint8_t header[4] = {254, 0, 0, static_cast<uint8_t>(ch1_hash.size())};
  ctx_->update(BytesView(header, 4));
  ctx_->update(ch1_hash);
  if (keep_buffer_) {
    buffer_.assign(header, header + 4);
    buffer_.insert(buffer_.end(), ch1_hash.begin(), ch1_hash.end());
  }
}

}  // namespace tern::handshake
