// SPDX-License-Identifier: Apache-2.0
#include "handshake/tls12_common.h"

#include "base/secret.h"

namespace tern::handshake {

using msgs::HandshakeType;

void Tls12Machine::set_suite(msgs::CipherSuite suite, bool keep_transcript_buffer) {
  negotiated_.version = tls::kTls12;
  negotiated_.suite = suite;
  suite_info_ = *tls12_suite_info(suite);
  transcript_.start(suite_info_.hash, keep_transcript_buffer);
}

Result<void> Tls12Machine::derive_keys(BytesView pre_master) {
  Bytes session_hash;
  if (negotiated_.extended_master_secret) session_hash = transcript_.current();
  TERN_TRY(master_secret_,
           tls12_master_secret(provider_, suite_info_.hash, pre_master, client_random_,
                               server_random_,
                               negotiated_.extended_master_secret ? &session_hash : nullptr));
  observe_stage(negotiated_.extended_master_secret ? "extended master secret" : "master secret");
  return derive_key_block();
}

Result<void> Tls12Machine::derive_key_block() {
  keylog("CLIENT_RANDOM", master_secret_.view());
  TERN_TRY(auto keys, tls12_key_block(provider_, suite_info_.hash, suite_info_.aead,
                                      master_secret_.view(), client_random_, server_random_));
  keys_.emplace(std::move(keys));
  observe_stage("key block");
  return ok();
}

SessionData Tls12Machine::session_data(uint32_t lifetime, const AuthContext& auth) const {
  SessionData session;
  session.version = tls::kTls12;
  session.cipher_suite = static_cast<uint16_t>(negotiated_.suite);
  session.secret = SecretBuffer(master_secret_.view());
  session.extended_master_secret = negotiated_.extended_master_secret;
  session.created_at = now();
  session.lifetime = lifetime;
  session.server_name = negotiated_.server_name;
  session.alpn = negotiated_.alpn;
  // Whole or not at all: the caches and tickets refuse a chain too large to store, as a
  // cut one would resume with less of the peer's identity.
  session.peer_chain = negotiated_.peer_chain;
  session.auth = auth;
  return session;
}

Result<void> Tls12Machine::send_change_cipher_spec() {
  io_.send_change_cipher_spec();
  const SecretBytes& key = is_server_ ? keys_->server_key : keys_->client_key;
  const SecretBytes& iv = is_server_ ? keys_->server_iv : keys_->client_iv;
  TERN_CHECK(io_.set_write_keys12(suite_info_.aead, key.view(), iv.view()));
  return ok();
}

Result<void> Tls12Machine::switch_read_keys() {
  const SecretBytes& key = is_server_ ? keys_->client_key : keys_->server_key;
  const SecretBytes& iv = is_server_ ? keys_->client_iv : keys_->server_iv;
  return io_.set_read_keys12(suite_info_.aead, key.view(), iv.view());
}

Result<void> Tls12Machine::send_finished() {
  TERN_TRY(auto verify, tls12_finished(provider_, suite_info_.hash, master_secret_.view(),
                                       is_server_, transcript_.current()));
  send(msgs::Finished{Bytes(verify.view().begin(), verify.view().end())}.encode());
  return ok();
}

Result<void> Tls12Machine::check_peer_finished(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto finished, msgs::Finished::parse(message.body()));
  TERN_TRY(auto expected, tls12_finished(provider_, suite_info_.hash, master_secret_.view(),
                                         !is_server_, transcript_.current()));
  const char* peer = is_server_ ? "client" : "server";
  if (finished.verify_data.size() != expected.size())
    return Error(Errc::decode,
                 std::string("the ") + peer + "'s Finished has " +
                     std::to_string(finished.verify_data.size()) + " bytes of verify_data, not 12",
                 Alert::decode_error);
  if (!base::constant_time_equal(expected.view(), finished.verify_data))
    return Error(Errc::crypto,
                 std::string("the ") + peer + "'s Finished does not match the handshake transcript",
                 Alert::decrypt_error);
  transcript_.add(message.encoded);
  return ok();
}

void Tls12Machine::finish_handshake() {
  connected_ = true;
  transcript_ = Transcript(provider_);
  keys_.reset();
  if (!config_.keep_peer_chain) std::vector<Bytes>().swap(negotiated_.peer_chain);
  observe_stage("application traffic");
}

Error Tls12Machine::no_extended_master_secret(const char* peer) const {
  return Error(Errc::unsupported,
               std::string("the ") + peer +
                   " does not support the extended master secret (RFC 7627), without which "
                   "the session keys are not bound to this handshake; allow such peers only "
                   "if you must (allow_no_extended_master_secret, --allow-no-ems)",
               Alert::handshake_failure);
}

Result<void> Tls12Machine::on_message(const msgs::HandshakeMessage& message,
                                      Protection protection) {
  observe_received(message, protection);
  if (!connected_) return on_handshake_message(message);
  // RFC 5746 is honoured by refusing renegotiation outright: a warning, and the
  // connection carries on (a peer that insists gets nowhere).
  HandshakeType renegotiation =
      is_server_ ? HandshakeType::client_hello : HandshakeType::hello_request;
  if (message.type != renegotiation)
    return Error(Errc::protocol,
                 std::string("unexpected ") + msgs::to_string(message.type) +
                     " after the TLS 1.2 handshake",
                 Alert::unexpected_message);
  // Bounded, so a peer cannot keep us answering forever: as many as the engine takes
  // warnings in a row from a peer (5, as OpenSSL).
  if (++warnings_ > 5)
    return Error(Errc::protocol, "the peer keeps asking to renegotiate, which tern refuses",
                 Alert::no_renegotiation);
  io_.send_warning_alert(Alert::no_renegotiation);
  return ok();
}

Result<void> Tls12Machine::update_keys(bool) {
  return Error(Errc::usage, "KeyUpdate exists only in TLS 1.3; this connection is TLS 1.2");
}

Result<SecretBytes> Tls12Machine::export_keying_material(std::string_view label,
                                                         BytesView context,
                                                         size_t length) const {
  if (!connected_)
    return Error(Errc::usage, "keying material can be exported only after the handshake");
  Bytes seed(client_random_.begin(), client_random_.end());
  seed.insert(seed.end(), server_random_.begin(), server_random_.end());
  if (!context.empty()) {
    if (context.size() > 0xffff) return Error(Errc::usage, "exporter context over 65535 bytes");
    seed.push_back(static_cast<uint8_t>(context.size() >> 8));
    seed.push_back(static_cast<uint8_t>(context.size()));
    seed.insert(seed.end(), context.begin(), context.end());
  }
  return tls12_prf(provider_, suite_info_.hash, master_secret_.view(), label, seed, length);
}

}  // namespace tern::handshake
