// SPDX-License-Identifier: Apache-2.0
#include "handshake/tls12_client.h"

#include <algorithm>

#include "handshake/peer_chain.h"
#include "handshake/signing.h"

namespace tern::handshake {

using msgs::ExtensionType;
using msgs::HandshakeType;

Tls12Client::Tls12Client(const crypto::Provider& provider, const ClientConfig& config,
                         HandshakeIo& io, Offer offer)
    : Tls12Machine(provider, config, io, false), client_config_(config), offer_(std::move(offer)) {
  client_random_ = offer_.client_random;
  transcript_ = std::move(offer_.transcript);
}

Result<void> Tls12Client::take_server_hello(const msgs::ServerHello& hello,
                                            const msgs::HandshakeMessage& message) {
  if (!contains(offer_.suites, hello.cipher_suite))
    return illegal("the server chose " + msgs::to_string(hello.cipher_suite) +
                   " for TLS 1.2, which tern did not offer");
  if (hello.legacy_compression_method != 0)
    return illegal("the server chose a compression method other than null");
  // Our session id echoed back means resumption (RFC 5246 §7.4.1.3).
  bool resumed = !offer_.session_id.empty() && equal(hello.legacy_session_id_echo, offer_.session_id);
  if (resumed && !offer_.session)
    return illegal("the server resumed a TLS 1.2 session that tern did not offer");
  TERN_CHECK(check_server_hello_extensions(hello));
  server_random_ = hello.random;
  server_session_id_ = hello.legacy_session_id_echo;
  negotiated_.server_name = client_config_.server_name;
  if (resumed) {
    SessionData& session = *offer_.session;
    if (static_cast<uint16_t>(hello.cipher_suite) != session.cipher_suite)
      return illegal("the server resumed the session with another cipher suite");
    // RFC 7627 §5.3: the extended master secret must be used as in the original session.
    if (!negotiated_.extended_master_secret)
      return Error(Errc::protocol,
                   "the server resumed a session without the extended master secret",
                   Alert::handshake_failure);
    negotiated_.resumed = true;
    set_suite(hello.cipher_suite, false);
    transcript_.add(message.encoded);
    master_secret_ = SecretBytes(session.secret.view());
    negotiated_.peer_chain = std::move(session.peer_chain);
    ticket_ = std::move(session.ticket);
    observe_stage("master secret (resumed session)");
    TERN_CHECK(derive_key_block());
    state_ = State::wait_change_cipher_spec;
    return ok();
  }
  offer_.session.reset();
  // Client authentication signs the raw messages, so keep them until we know.
  set_suite(hello.cipher_suite, true);
  transcript_.add(message.encoded);
  return ok();
}

Result<void> Tls12Client::handle_new_session_ticket(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto nst, msgs::NewSessionTicket12::parse(message.body()));
  ticket_expected_ = false;
  got_ticket_ = true;
  ticket_ = std::move(nst.ticket);
  ticket_lifetime_ = nst.ticket_lifetime_hint;
  transcript_.add(message.encoded);
  return ok();
}

void Tls12Client::store_session() {
  if (!client_config_.session_cache || !offer_.auth ||
      (ticket_.empty() && server_session_id_.empty()))
    return;
  // RFC 5077 §3.3: a hint of 0 means unspecified; keep such sessions two hours.
  uint32_t lifetime = ticket_lifetime_ ? std::min<uint32_t>(ticket_lifetime_, 604800) : 7200;
  SessionData session = session_data(lifetime, *offer_.auth);
  session.ticket = ticket_;
  if (ticket_.empty()) session.session_id = server_session_id_;
  client_config_.session_cache->put(client_config_.server_name, std::move(session));
  observe_stage("session stored");
}

Result<void> Tls12Client::check_server_hello_extensions(const msgs::ServerHello& hello) {
  // RFC 5246 §7.4.1.4: only extensions the client offered may come back.
  auto not_offered = [](msgs::ExtensionType type) {
    return Error(Errc::protocol,
                 "the server's TLS 1.2 ServerHello carries " + msgs::to_string(type) +
                     ", which tern did not offer",
                 Alert::unsupported_extension);
  };
  bool renegotiation_info = false;
  for (const auto& ext : hello.extensions) {
    switch (ext.type) {
      case ExtensionType::renegotiation_info: {
        auto* info = ext.get<msgs::RenegotiationInfo>();
        if (!info || !info->renegotiated_connection.empty())
          return Error(Errc::protocol,
                       "the server's renegotiation_info is not empty on a first handshake "
                       "(RFC 5746 §3.4)",
                       Alert::handshake_failure);
        renegotiation_info = true;
        break;
      }
      case ExtensionType::extended_master_secret:
        negotiated_.extended_master_secret = true;
        break;
      case ExtensionType::ec_point_formats: {
        auto* formats = ext.get<msgs::EcPointFormatList>();
        if (!formats || !contains(formats->formats, msgs::ECPointFormat::uncompressed))
          return illegal("the server does not accept uncompressed EC points (RFC 8422 §5.1.2)");
        break;
      }
      case ExtensionType::application_layer_protocol_negotiation: {
        if (config_.alpn.empty()) return not_offered(ext.type);
        auto* alpn = ext.get<msgs::AlpnProtocols>();
        if (!alpn || alpn->protocols.size() != 1 || !contains(config_.alpn, alpn->protocols[0]))
          return illegal("the server's ALPN choice is not one protocol that tern offered");
        negotiated_.alpn = alpn->protocols[0];
        break;
      }
      case ExtensionType::status_request:  // a CertificateStatus may follow the Certificate
        if (!client_config_.request_ocsp) return not_offered(ext.type);
        staple_.expect_certificate_status();
        break;
      case ExtensionType::server_name:
        if (!offer_.sent_server_name) return not_offered(ext.type);
        break;  // the server acknowledges our SNI
      case ExtensionType::session_ticket:
        if (!offer_.asked_for_ticket)
          return Error(Errc::protocol, "the server sent session_ticket, which tern did not offer",
                       Alert::unsupported_extension);
        ticket_expected_ = true;  // RFC 5077 §3.2: a NewSessionTicket will follow
        break;
      case ExtensionType::record_size_limit:
        if (config_.record_size_limit == 16385)
          return Error(Errc::protocol, "the server sent record_size_limit, which tern did not offer",
                       Alert::unsupported_extension);
        if (auto* limit = ext.get<msgs::RecordSizeLimit>()) {
          io_.set_peer_record_size_limit(limit->limit);
          io_.set_own_record_size_limit(config_.record_size_limit);  // offered, now agreed
        }
        break;
      default:
        return not_offered(ext.type);
    }
  }
  if (!renegotiation_info)
    return Error(Errc::protocol,
                 "the server does not support secure renegotiation indication (RFC 5746); "
                 "tern does not talk TLS 1.2 to such servers",
                 Alert::handshake_failure);
  if (!negotiated_.extended_master_secret && !config_.allow_no_extended_master_secret)
    return no_extended_master_secret("server");
  return ok();
}

Result<void> Tls12Client::on_handshake_message(const msgs::HandshakeMessage& message) {
  // RFC 5246 §7.4.1.1: a HelloRequest while negotiating is ignored; it is not part of the
  // handshake hashes either (§7.4.9).
  if (message.type == HandshakeType::hello_request) {
    TERN_TRY(auto request, msgs::HelloRequest::parse(message.body()));
    (void)request;
    return ok();
  }
  if (state_ != State::wait_certificate && staple_.awaiting_certificate_status()) {
    // RFC 6066 §8: right after the Certificate, or never
    if (message.type == HandshakeType::certificate_status) {
      TERN_CHECK(staple_.check_certificate_status(message.body()));
      transcript_.add(message.encoded);
      return ok();
    }
    TERN_CHECK(staple_.check(std::nullopt));
  }
  switch (state_) {
    case State::wait_certificate:
      if (message.type != HandshakeType::certificate)
        return unexpected(true, message.type, "Certificate");
      return handle_certificate(message);
    case State::wait_server_key_exchange:
      if (message.type != HandshakeType::server_key_exchange)
        return unexpected(true, message.type, "ServerKeyExchange");
      return handle_server_key_exchange(message);
    case State::wait_server_hello_done:
      if (message.type == HandshakeType::certificate_request && !certificate_requested_)
        return handle_certificate_request(message);
      if (message.type != HandshakeType::server_hello_done)
        return unexpected(true, message.type, "ServerHelloDone");
      return handle_server_hello_done(message);
    case State::wait_change_cipher_spec:
      if (message.type == HandshakeType::new_session_ticket && ticket_expected_)
        return handle_new_session_ticket(message);
      return unexpected(true, message.type,
                        ticket_expected_ ? "NewSessionTicket" : "ChangeCipherSpec");
    case State::wait_finished:
      if (message.type != HandshakeType::finished)
        return unexpected(true, message.type, "Finished");
      return handle_finished(message);
    case State::connected:
      break;
  }
  return Error(Errc::internal, "TLS 1.2 client state machine: message in the connected state");
}

Result<void> Tls12Client::handle_certificate(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto certificate, msgs::Certificate12::parse(message.body()));
  if (certificate.certificate_list.empty())
    return Error(Errc::protocol, "the server sent an empty Certificate message",
                 Alert::decode_error);
  std::vector<BytesView> chain(certificate.certificate_list.begin(),
                               certificate.certificate_list.end());
  PeerChainCheck check = server_chain_check(client_config_);
  check.staple = &staple_;
  TERN_TRY(server_key_, verify_peer_chain(chain, check, "server"));
  if (!staple_.expected()) TERN_CHECK(staple_.check(std::nullopt));
  crypto::KeyType type = server_key_->type();
  bool ec = type == crypto::KeyType::ec_p256 || type == crypto::KeyType::ec_p384 ||
            type == crypto::KeyType::ec_p521 || type == crypto::KeyType::ed25519;
  bool rsa = type == crypto::KeyType::rsa || (type == crypto::KeyType::rsa_pss && suite_info_.ecdhe);
  if (suite_info_.ecdsa_auth ? !ec : !rsa)
    return Error(Errc::certificate,
                 std::string("the server's certificate has a ") + crypto::key_type_name(type) +
                     " key, which cannot serve " + msgs::to_string(negotiated_.suite),
                 Alert::unsupported_certificate);
  negotiated_.peer_chain = std::move(certificate.certificate_list);
  transcript_.add(message.encoded);
  state_ = suite_info_.ecdhe ? State::wait_server_key_exchange : State::wait_server_hello_done;
  return ok();
}

Result<void> Tls12Client::handle_server_key_exchange(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto ske, msgs::ServerKeyExchangeEcdhe::parse(message.body()));
  if (!contains(offer_.groups, ske.group) || !usable_in_tls12(ske.group))
    return illegal("the server chose group " + msgs::to_string(ske.group) +
                   " for TLS 1.2 ECDHE, which tern did not offer for TLS 1.2");
  auto alg = tls12_signature_algorithm(ske.scheme);
  if (!alg || !contains(offer_.schemes, ske.scheme))
    return illegal("the server signed its key exchange with " + msgs::to_string(ske.scheme) +
                   ", which tern did not offer");
  if (!key_fits_tls12(ske.scheme, server_key_->type()))
    return illegal("the server signed with " + msgs::to_string(ske.scheme) +
                   ", which does not fit its " + crypto::key_type_name(server_key_->type()) +
                   " key");
  // RFC 8422 §5.4: the signature covers both randoms and the ECDH parameters.
  Bytes signed_content(client_random_.begin(), client_random_.end());
  signed_content.insert(signed_content.end(), server_random_.begin(), server_random_.end());
  Bytes params = ske.encode_params();
  signed_content.insert(signed_content.end(), params.begin(), params.end());
  if (auto checked = server_key_->verify(*alg, signed_content, ske.signature); !checked)
    return Error(Errc::crypto,
                 "the server's ServerKeyExchange signature does not verify with its "
                 "certificate's key: " + checked.error().detail,
                 Alert::decrypt_error);
  negotiated_.group = ske.group;
  negotiated_.scheme = ske.scheme;
  server_public_ = std::move(ske.public_key);
  transcript_.add(message.encoded);
  state_ = State::wait_server_hello_done;
  return ok();
}

Result<void> Tls12Client::handle_certificate_request(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto request, msgs::CertificateRequest12::parse(message.body()));
  requested_schemes_ = std::move(request.signature_schemes);
  certificate_requested_ = true;
  transcript_.add(message.encoded);
  return ok();
}

Result<void> Tls12Client::handle_server_hello_done(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto done, msgs::ServerHelloDone::parse(message.body()));
  (void)done;
  transcript_.add(message.encoded);
  // Without a certificate, or one the server cannot check, an empty Certificate declines
  // the request (RFC 5246 §7.4.6); the server decides whether that is enough.
  std::unique_ptr<crypto::PrivateKey> client_key;
  std::optional<msgs::SignatureScheme> client_scheme;
  if (certificate_requested_) {
    const auto& mine = client_config_.client_certificate;
    msgs::Certificate12 certificate;
    if (mine && !mine->chain.empty()) {
      TERN_TRY(client_key, provider_.parse_private_key(mine->private_key));
      client_scheme =
          choose_signature_scheme_tls12(offer_.schemes, requested_schemes_, client_key->type());
      if (client_scheme) certificate.certificate_list = mine->chain;
    }
    send(certificate.encode());
  }

  SecretBytes pre_master;
  if (suite_info_.ecdhe) {
    TERN_TRY(auto share, make_key_share(negotiated_.group));
    TERN_TRY(pre_master, share->decapsulate(server_public_));
    BytesView pub = share->public_key();
    send(msgs::ClientKeyExchangeEcdhe{Bytes(pub.begin(), pub.end())}.encode());
    observe_stage("pre-master secret (ECDHE)");
  } else {
    // RFC 5246 §7.4.7.1: client_version (the ClientHello's, 0x0303) and 46 random bytes.
    pre_master = SecretBytes(48);
    random(pre_master.span());
    pre_master.data()[0] = 0x03;
    pre_master.data()[1] = 0x03;
    TERN_TRY(auto encrypted, server_key_->rsa_encrypt(pre_master.view()));
    send(msgs::ClientKeyExchangeRsa{std::move(encrypted)}.encode());
    observe_stage("pre-master secret (RSA)");
  }
  server_public_.clear();
  TERN_CHECK(derive_keys(pre_master.view()));
  if (client_scheme) {
    // RFC 5246 §7.4.8: signed over every handshake message so far.
    TERN_TRY(auto signature,
             client_key->sign(*tls12_signature_algorithm(*client_scheme), transcript_.buffered()));
    send(msgs::CertificateVerify{*client_scheme, std::move(signature)}.encode());
  }
  transcript_.release_buffer();
  TERN_CHECK(send_change_cipher_spec());
  TERN_CHECK(send_finished());
  state_ = State::wait_change_cipher_spec;
  return ok();
}

Result<void> Tls12Client::on_change_cipher_spec() {
  if (state_ != State::wait_change_cipher_spec || ticket_expected_)
    return Error(Errc::protocol, "the server sent ChangeCipherSpec out of order",
                 Alert::unexpected_message);
  TERN_CHECK(switch_read_keys());
  state_ = State::wait_finished;
  return ok();
}

Result<void> Tls12Client::handle_finished(const msgs::HandshakeMessage& message) {
  TERN_CHECK(check_peer_finished(message));
  if (negotiated_.resumed) {
    // Abbreviated handshake: our ChangeCipherSpec and Finished come last.
    TERN_CHECK(send_change_cipher_spec());
    TERN_CHECK(send_finished());
    if (got_ticket_) store_session();  // a renewed ticket
  } else {
    store_session();
  }
  server_key_.reset();
  state_ = State::connected;
  finish_handshake();
  return ok();
}

}  // namespace tern::handshake
