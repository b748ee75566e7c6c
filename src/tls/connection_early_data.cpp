// SPDX-License-Identifier: Apache-2.0
// The record engine's side of TLS 1.3 0-RTT data (the decisions are in
// handshake/early_data.cpp). Client: early records sealed under their own keys, beside the
// handshake's plaintext ClientHello, and sent again as application data if declined.
// Server: early application data read before the handshake is done, within its limit.
#include "handshake/key_schedule.h"
#include "tls/connection_impl.h"

namespace tern {

using record::ContentType;

Result<void> ConnectionImpl::set_early_write_secret(const handshake::SuiteInfo& suite,
                                                    BytesView secret, size_t room) {
  TERN_TRY(auto keys, handshake::traffic_keys(provider_, suite.hash, suite.aead, secret));
  TERN_TRY(auto cipher, record::Cipher::create(provider_, record::Version::tls13, suite.aead,
                                               keys.key.view(), keys.iv.view()));
  early_write_cipher_.emplace(std::move(cipher));
  early_room_ = room;
  return ok();
}

Result<size_t> ConnectionImpl::write_early(BytesView plaintext) {
  if (error_) return *error_;
  if (sent_close_) return Error(Errc::usage, "write_early after close()");
  if (!early_write_cipher_ || early_room_ == 0)
    return Error(Errc::usage,
                 "no room for early data: the ClientHello did not offer it (no resumable "
                 "session allowing 0-RTT, or ClientConfig::early_data off), the server has "
                 "already answered, or max_early_data_size is used up");
  TERN_CHECK(flush_handshake());
  size_t taken = std::min(plaintext.size(), early_room_);
  BytesView rest = plaintext.first(taken);
  // The early keys stand in for the handshake's (none: the ClientHello went in plaintext).
  std::swap(write_cipher_, early_write_cipher_);
  Result<void> sealed = ok();
  while (!rest.empty() && sealed.ok()) {
    size_t n = std::min(rest.size(), max_send_fragment());
    if (config_.observer) config_.observer->on_application_data(Direction::sent, n);
    sealed = emit_record(ContentType::application_data, rest.first(n));
    rest = rest.subspan(n);
  }
  std::swap(write_cipher_, early_write_cipher_);
  if (!sealed.ok()) return std::move(sealed).error();
  early_room_ -= taken;
  early_sent_.insert(early_sent_.end(), plaintext.begin(), plaintext.begin() + taken);
  return taken;
}

Result<void> ConnectionImpl::send_end_of_early_data(BytesView message) {
  if (!early_write_cipher_)
    return Error(Errc::internal, "EndOfEarlyData without early traffic keys");
  TERN_CHECK(flush_handshake());
  std::swap(write_cipher_, early_write_cipher_);
  auto sent = emit_record(ContentType::handshake, message);
  std::swap(write_cipher_, early_write_cipher_);
  early_write_cipher_.reset();  // RFC 8446 §4.5: the client's last use of the early keys
  return sent;
}

Result<void> ConnectionImpl::settle_early_data() {
  Bytes sent;
  sent.swap(early_sent_);
  early_write_cipher_.reset();
  early_room_ = 0;
  if (machine_->negotiated().early_data == handshake::EarlyData::accepted) return ok();
  // Declined (or a TLS 1.2 server): the server never read it, so it goes again, now safe
  // from replay.
  return write(sent);
}

Result<void> ConnectionImpl::count_early_data(size_t length) {
  early_received_ += length;
  if (early_received_ > early_read_limit_)
    // RFC 8446 §4.2.10: more than max_early_data_size is unexpected_message.
    return Error(Errc::protocol,
                 "the client sent more than the " + std::to_string(early_read_limit_) +
                     " bytes of early data this server allows",
                 Alert::unexpected_message);
  return ok();
}

// ---- the public API ----

bool Connection::early_data_accepted() const {
  return impl_->machine().negotiated().early_data == handshake::EarlyData::accepted;
}

size_t Connection::early_data_received() const { return impl_->early_data_received(); }

size_t ClientConnection::early_data_room() const { return impl_->early_data_room(); }

Result<size_t> ClientConnection::write_early(BytesView plaintext) {
  return impl_->write_early(plaintext);
}

}  // namespace tern
