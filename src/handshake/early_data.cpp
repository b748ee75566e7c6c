// SPDX-License-Identifier: Apache-2.0
#include "handshake/early_data.h"

#include <algorithm>
#include <cstdlib>

#include "handshake/tls13_client.h"
#include "handshake/tls13_server.h"

namespace tern::handshake {

using msgs::ExtensionType;
using msgs::HandshakeType;

bool may_offer_early_data(const ClientConfig& config, const SessionData& session) {
  if (!config.early_data || session.version != tls::kTls13 || session.max_early_data == 0)
    return false;
  // RFC 8446 §4.2.10: the early data is sent under the ticket's ALPN protocol, which the
  // client must offer (first, so that the server is likely to choose it again).
  if (session.alpn.empty()) return true;
  return !config.alpn.empty() && config.alpn.front() == session.alpn;
}

Result<SecretBytes> client_early_traffic_secret(const KeySchedule13& early,
                                                BytesView client_hello_hash) {
  if (early.stage() != KeySchedule13::Stage::early)
    return Error(Errc::internal, "key schedule: the early traffic secret needs the early stage");
  return early.derive_secret("c e traffic", client_hello_hash);
}

std::string refuse_early_data(const crypto::Provider& provider, const ServerConfig& config,
                              AntiReplay* anti_replay, const EarlyDataOffer& offer,
                              int64_t now) {
  if (config.max_early_data == 0 || !anti_replay) return "this server accepts no early data";
  const SessionData* session = offer.session;
  if (!session) return "no ticket was resumed";
  if (offer.psk_index != 0) return "the ticket resumed was not the client's first";
  if (session->max_early_data == 0) return "the ticket was issued without early data";
  // RFC 8446 §4.2.10: the same suite and ALPN protocol as the ticket's connection.
  if (session->cipher_suite != offer.suite) return "the cipher suite differs from the ticket's";
  if (!offer.alpn || session->alpn != *offer.alpn)
    return "the ALPN protocol differs from the ticket's";
  // RFC 8446 §8.3: a ClientHello replayed later than the window fails this check; within it,
  // the anti-replay record catches it.
  if (std::llabs(offer.age_skew_ms) > static_cast<int64_t>(anti_replay->window()) * 1000)
    return "the ticket's age is outside the " + std::to_string(anti_replay->window()) +
           " s window";
  Bytes digest = provider.hash(crypto::Hash::sha256, offer.ticket);
  if (!anti_replay->first_use(digest, now))
    return "the ticket was already used for early data (a replay?), or the anti-replay record "
           "is full";
  return "";
}

// ---- client ----

Result<void> Tls13Client::offer_early_data(const SuiteInfo& suite, BytesView client_hello) {
  TERN_TRY(auto secret, client_early_traffic_secret(*schedule_, provider_.hash(suite.hash, client_hello)));
  keylog("CLIENT_EARLY_TRAFFIC_SECRET", secret.view());
  observe_stage("early traffic");
  negotiated_.early_data = EarlyData::offered;
  // Middlebox compatibility (RFC 8446 Appendix D.4): with early data, the dummy
  // change_cipher_spec goes right after the ClientHello, before the early records.
  if (config_.middlebox_compat) {
    io_.send_change_cipher_spec();
    sent_change_cipher_spec_ = true;
  }
  size_t room = std::min<size_t>(session_->max_early_data, kMaxClientEarlyData);
  return io_.set_early_write_secret(suite, secret.view(), room);
}

Result<void> Tls13Client::check_early_data_answer(const msgs::Extensions& encrypted_extensions) {
  bool accepted = msgs::find_extension(encrypted_extensions, ExtensionType::early_data) != nullptr;
  if (accepted && negotiated_.early_data != EarlyData::offered)
    return Error(Errc::protocol,
                 "the server accepted early data that tern did not offer (or after a "
                 "HelloRetryRequest)",
                 Alert::unsupported_extension);
  if (accepted && !negotiated_.resumed)
    return illegal("the server accepted early data without resuming the ticket it came with");
  if (negotiated_.early_data != EarlyData::offered) return ok();
  negotiated_.early_data = accepted ? EarlyData::accepted : EarlyData::rejected;
  observe_stage(accepted ? "early data accepted" : "early data rejected");
  return ok();
}

Result<void> Tls13Client::refuse_tls12_after_early_data() const {
  if (negotiated_.early_data != EarlyData::offered) return ok();
  // RFC 8446 Appendix D.3: a TLS 1.2 server cannot skip the early records; retrying without
  // 0-RTT (and still offering TLS 1.3) is the caller's choice.
  return Error(Errc::protocol,
               "the server answered a ClientHello with 0-RTT data in TLS 1.2, which cannot "
               "skip it (RFC 8446 Appendix D.3): connect again without early data",
               Alert::protocol_version);
}

Result<void> Tls13Client::send_end_of_early_data() {
  if (negotiated_.early_data != EarlyData::accepted) return ok();
  Bytes message = msgs::EndOfEarlyData{}.encode();
  transcript_.add(message);
  TERN_CHECK(io_.send_end_of_early_data(message));
  observe_sent(message);
  return ok();
}

// ---- server ----

Result<void> Tls13Server::decide_early_data(const msgs::ClientHello& hello) {
  EarlyDataOffer offer;
  offer.session = psk_.get();
  offer.psk_index = psk_index_;
  offer.suite = static_cast<uint16_t>(negotiated_.suite);
  offer.alpn = &negotiated_.alpn;
  offer.age_skew_ms = psk_age_skew_ms_;
  if (auto* psk = hello.get<msgs::PreSharedKeyOffer>(ExtensionType::pre_shared_key);
      psk && psk_index_ < psk->identities.size())
    offer.ticket = psk->identities[psk_index_].identity;
  std::string refused = refuse_early_data(provider_, server_config_, context_->anti_replay.get(),
                                          offer, now());
  if (!refused.empty()) {
    negotiated_.early_data = EarlyData::rejected;
    observe_stage("early data rejected: " + refused);
    io_.skip_early_data(HandshakeIo::EarlyDataSkip::undecryptable);
    return ok();
  }
  TERN_TRY(client_early_secret_, client_early_traffic_secret(*schedule_, transcript_.current()));
  keylog("CLIENT_EARLY_TRAFFIC_SECRET", client_early_secret_.view());
  negotiated_.early_data = EarlyData::accepted;
  observe_stage("early data accepted");
  return ok();
}

Result<void> Tls13Server::start_reading_early_data() {
  if (negotiated_.early_data != EarlyData::accepted) return ok();
  // derive_handshake_secrets() installed the handshake keys; the early records come first.
  TERN_CHECK(io_.set_read_secret(suite_info_, client_early_secret_.view(), Protection::early_keys));
  io_.accept_early_data(server_config_.max_early_data);
  client_early_secret_ = SecretBytes();
  return ok();
}

Result<void> Tls13Server::handle_end_of_early_data(const msgs::HandshakeMessage& message) {
  if (message.type != HandshakeType::end_of_early_data)
    return Error(Errc::protocol,
                 std::string("the client sent ") + msgs::to_string(message.type) +
                     " where EndOfEarlyData was expected",
                 Alert::unexpected_message);
  TERN_TRY(auto eoed, msgs::EndOfEarlyData::parse(message.body()));
  (void)eoed;
  transcript_.add(message.encoded);
  early_data_ended_ = true;
  return io_.set_read_secret(suite_info_, client_hs_secret_.view(), Protection::handshake_keys);
}

}  // namespace tern::handshake
