// SPDX-License-Identifier: Apache-2.0
#include "handshake/tls13_common.h"

#include "base/secret.h"
#include "msgs/print.h"

namespace tern::handshake {

using msgs::HandshakeType;

Tls13Machine::Tls13Machine(const crypto::Provider& provider, const CommonConfig& config,
                           HandshakeIo& io, bool is_server)
    : Machine(provider, config, io, is_server) {}

void Tls13Machine::send(const Bytes& message) {
  if (connected_) {
    io_.send_handshake(message);  // post-handshake messages are not part of the transcript
    observe_sent(message);
    return;
  }
  send_message(message);
}

Result<void> Tls13Machine::on_message(const msgs::HandshakeMessage& message,
                                      Protection protection) {
  observe_received(message, protection);
  read_protection_ = protection;
  if (connected_) return on_post_handshake(message);
  return on_handshake_message(message);
}

Result<void> Tls13Machine::derive_handshake_secrets() {
  Bytes hash = transcript_.current();
  TERN_TRY(client_hs_secret_, schedule_->derive_secret("c hs traffic", hash));
  TERN_TRY(server_hs_secret_, schedule_->derive_secret("s hs traffic", hash));
  observe_stage("handshake secret");
  keylog("CLIENT_HANDSHAKE_TRAFFIC_SECRET", client_hs_secret_.view());
  keylog("SERVER_HANDSHAKE_TRAFFIC_SECRET", server_hs_secret_.view());
  const SecretBytes& read = is_server_ ? client_hs_secret_ : server_hs_secret_;
  const SecretBytes& write = is_server_ ? server_hs_secret_ : client_hs_secret_;
  TERN_CHECK(io_.set_read_secret(suite_info_, read.view(), Protection::handshake_keys));
  // The client too writes under its handshake keys from here on, though its next flight
  // comes only after the server's: an alert it sends meanwhile (a certificate it refuses) is
  // then encrypted, as RFC 8446 §6 asks, and a strict server reads it instead of refusing a
  // plaintext record.
  TERN_CHECK(io_.set_write_secret(suite_info_, write.view(), Protection::handshake_keys));
  return ok();
}

Result<void> Tls13Machine::derive_application_secrets() {
  Bytes hash = transcript_.current();
  TERN_CHECK(schedule_->advance_to_master());
  TERN_TRY(client_app_secret_, schedule_->derive_secret("c ap traffic", hash));
  TERN_TRY(server_app_secret_, schedule_->derive_secret("s ap traffic", hash));
  TERN_TRY(exporter_secret_, schedule_->derive_secret("exp master", hash));
  observe_stage("master secret");
  keylog("CLIENT_TRAFFIC_SECRET_0", client_app_secret_.view());
  keylog("SERVER_TRAFFIC_SECRET_0", server_app_secret_.view());
  keylog("EXPORTER_SECRET", exporter_secret_.view());
  return ok();
}

Result<SecretBytes> Tls13Machine::finished_for(bool server_side) const {
  const SecretBytes& base = server_side ? server_hs_secret_ : client_hs_secret_;
  return finished_verify_data(provider_, suite_info_.hash, base.view(), transcript_.current());
}

Result<void> Tls13Machine::check_peer_finished(const msgs::HandshakeMessage& message) const {
  TERN_TRY(auto finished, msgs::Finished::parse(message.body()));
  bool from_server = !is_server_;
  TERN_TRY(auto expected, finished_for(from_server));
  const char* peer = from_server ? "server" : "client";
  if (finished.verify_data.size() != expected.view().size())
    return Error(Errc::decode,
                 std::string("the ") + peer + "'s Finished has " +
                     std::to_string(finished.verify_data.size()) + " bytes of verify_data, not " +
                     std::to_string(expected.view().size()),
                 Alert::decode_error);
  if (!base::constant_time_equal(expected.view(), finished.verify_data))
    return Error(Errc::crypto,
                 std::string("the ") + peer + "'s Finished does not match the handshake transcript",
                 Alert::decrypt_error);
  return ok();
}

void Tls13Machine::finish_handshake() {
  connected_ = true;
  transcript_ = Transcript(provider_);
  client_hs_secret_ = SecretBytes();
  server_hs_secret_ = SecretBytes();
  schedule_.reset();
  if (!config_.keep_peer_chain) std::vector<Bytes>().swap(negotiated_.peer_chain);
  observe_stage("application traffic");
}

Result<void> Tls13Machine::on_post_handshake(const msgs::HandshakeMessage& message) {
  switch (message.type) {
    case HandshakeType::new_session_ticket: {
      if (is_server_)
        return Error(Errc::protocol, "the client sent a NewSessionTicket, which only servers send",
                     Alert::unexpected_message);
      TERN_TRY(auto ticket, msgs::NewSessionTicket13::parse(message.body()));
      return on_new_session_ticket(ticket);
    }
    case HandshakeType::key_update: {
      TERN_TRY(auto update, msgs::KeyUpdate::parse(message.body()));
      SecretBytes& read = is_server_ ? client_app_secret_ : server_app_secret_;
      TERN_TRY(read, next_traffic_secret(provider_, suite_info_.hash, read.view()));
      TERN_CHECK(io_.set_read_secret(suite_info_, read.view(), Protection::application_keys));
      observe_stage("key update (received)");
      if (update.request_update == msgs::KeyUpdateRequest::update_requested)
        return send_key_update(false);
      return ok();
    }
    default:
      return Error(Errc::protocol,
                   std::string("unexpected ") + msgs::to_string(message.type) +
                       " after the handshake (only NewSessionTicket and KeyUpdate may follow it)",
                   Alert::unexpected_message);
  }
}

Result<void> Tls13Machine::send_key_update(bool request_peer) {
  msgs::KeyUpdate update;
  update.request_update = request_peer ? msgs::KeyUpdateRequest::update_requested
                                       : msgs::KeyUpdateRequest::update_not_requested;
  send(update.encode());
  SecretBytes& write = is_server_ ? server_app_secret_ : client_app_secret_;
  TERN_TRY(write, next_traffic_secret(provider_, suite_info_.hash, write.view()));
  TERN_CHECK(io_.set_write_secret(suite_info_, write.view(), Protection::application_keys));
  observe_stage("key update (sent)");
  return ok();
}

Result<void> Tls13Machine::update_keys(bool request_peer) {
  if (!connected_)
    return Error(Errc::usage, "KeyUpdate is only possible once the handshake is done");
  return send_key_update(request_peer);
}

Result<SecretBytes> Tls13Machine::export_keying_material(std::string_view label, BytesView context,
                                                         size_t length) const {
  if (exporter_secret_.empty())
    return Error(Errc::usage, "keying material can be exported only after the handshake");
  return handshake::export_keying_material(provider_, suite_info_.hash, exporter_secret_.view(),
                                           label, context, length);
}

}  // namespace tern::handshake
