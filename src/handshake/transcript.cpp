// SPDX-License-Identifier: Apache-2.0
#include "handshake/transcript.h"

#include <algorithm>

namespace tern::handshake {

void Transcript::add(BytesView message) {
  if (ctx_) {
    if (!continue_after_prefix(ctx_->algorithm(), message)) ctx_->update(message);
    prefix_.reset();  // it was for this message only
  }
  if (!ctx_ || keep_buffer_) buffer_.insert(buffer_.end(), message.begin(), message.end());
}

void Transcript::start(crypto::Hash hash, bool keep_buffer) {
  if (!continue_after_prefix(hash, buffer_)) {
    ctx_ = provider_->hash_context(hash);
    ctx_->update(buffer_);
  }
  prefix_.reset();
  keep_buffer_ = keep_buffer;
  if (!keep_buffer_) release_buffer();
}

Bytes Transcript::current_with(BytesView extra) const {
  auto fork = ctx_->copy();
  fork->update(extra);
  return fork->peek();
}

Bytes Transcript::current_with_prefix(crypto::Hash hash, BytesView prefix) {
  HashedPrefix hashed;
  if (ctx_) {
    hashed.ctx = ctx_->copy();
    hashed.end = prefix.size();
  } else {
    hashed.ctx = provider_->hash_context(hash);
    hashed.ctx->update(buffer_);
    hashed.end = buffer_.size() + prefix.size();
  }
  hashed.ctx->update(prefix);
  Bytes digest = hashed.ctx->peek();
  hashed.prefix.assign(prefix.begin(), prefix.end());
  prefix_ = std::move(hashed);
  return digest;
}

bool Transcript::continue_after_prefix(crypto::Hash hash, BytesView data) {
  if (!prefix_ || prefix_->ctx->algorithm() != hash || data.size() < prefix_->end) return false;
  const size_t begin = prefix_->end - prefix_->prefix.size();
  if (!std::equal(prefix_->prefix.begin(), prefix_->prefix.end(), data.begin() + begin))
    return false;
  ctx_ = std::move(prefix_->ctx);
  ctx_->update(data.subspan(prefix_->end));
  return true;
}

void Transcript::replace_with_message_hash() {
  prefix_.reset();
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
