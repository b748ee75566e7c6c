// SPDX-License-Identifier: Apache-2.0
#include "handshake/tls12_server.h"

#include <algorithm>

#include "handshake/client_auth.h"
#include "handshake/ocsp_staple.h"
#include "handshake/peer_chain.h"
#include "handshake/signing.h"
#include "msgs/certificate_status.h"

namespace tern::handshake {

using msgs::CipherSuite;
using msgs::ExtensionType;
using msgs::HandshakeType;
using msgs::NamedGroup;

namespace {

bool is_ec_key(crypto::KeyType t) {
  return t == crypto::KeyType::ec_p256 || t == crypto::KeyType::ec_p384 ||
         t == crypto::KeyType::ec_p521 || t == crypto::KeyType::ed25519;
}

// Whether a suite can be served with a key of this type.
bool suite_fits_key(const Tls12SuiteInfo& suite, crypto::KeyType key) {
  if (suite.ecdsa_auth) return is_ec_key(key);
  if (!suite.ecdhe) return key == crypto::KeyType::rsa;  // key transport: PKCS#1 decryption
  return key == crypto::KeyType::rsa || key == crypto::KeyType::rsa_pss;
}

// All-ones if x == 0, else zero, without a branch the compiler can see through.
uint8_t ct_zero_mask(uint32_t x) {
  uint32_t m = 0u - ((~x & (x - 1)) >> 31);
  __asm__("" : "+r"(m));
  return static_cast<uint8_t>(m);
}

}  // namespace

Tls12Server::Tls12Server(const crypto::Provider& provider, const ServerConfig& config,
                         HandshakeIo& io, std::shared_ptr<const ServerContext> context)
    : Tls12Machine(provider, config, io, true),
      server_config_(config),
      context_(std::move(context)) {}

Result<void> Tls12Server::on_handshake_message(const msgs::HandshakeMessage& message) {
  switch (state_) {
    case State::wait_client_hello:
      break;
    case State::wait_client_certificate:
      if (message.type != HandshakeType::certificate)
        return unexpected(false, message.type, "Certificate");
      return handle_client_certificate(message);
    case State::wait_client_key_exchange:
      if (message.type != HandshakeType::client_key_exchange)
        return unexpected(false, message.type, "ClientKeyExchange");
      return handle_client_key_exchange(message);
    case State::wait_client_certificate_verify:
      if (message.type != HandshakeType::certificate_verify)
        return unexpected(false, message.type, "CertificateVerify");
      return handle_client_certificate_verify(message);
    case State::wait_change_cipher_spec:
      return unexpected(false, message.type, "ChangeCipherSpec");
    case State::wait_finished:
      if (message.type != HandshakeType::finished)
        return unexpected(false, message.type, "Finished");
      return handle_finished(message);
    case State::connected:
      break;
  }
  return Error(Errc::internal, "TLS 1.2 server state machine: unexpected state");
}

Result<void> Tls12Server::take_client_hello(const msgs::ClientHello& hello,
                                            const msgs::HandshakeMessage& message) {
  client_random_ = hello.random;
  client_version_ = hello.legacy_version;
  TERN_CHECK(negotiate(hello));
  transcript_.add(message.encoded);
  return send_server_flight();
}

Result<void> Tls12Server::negotiate(const msgs::ClientHello& hello) {
  if (std::find(hello.legacy_compression_methods.begin(), hello.legacy_compression_methods.end(),
                0) == hello.legacy_compression_methods.end())
    return illegal("the ClientHello does not offer the null compression method");
  // RFC 5746 §3.6: the client signals secure renegotiation by the SCSV or an empty
  // renegotiation_info; tern never renegotiates, so it only checks and echoes.
  if (auto* ext = hello.find(ExtensionType::renegotiation_info)) {
    auto* info = ext->get<msgs::RenegotiationInfo>();
    if (!info || !info->renegotiated_connection.empty())
      return Error(Errc::protocol,
                   "the ClientHello's renegotiation_info is not empty on a first handshake",
                   Alert::handshake_failure);
    secure_renegotiation_ = true;
  }
  if (hello.offers(CipherSuite::tls_empty_renegotiation_info_scsv)) secure_renegotiation_ = true;
  negotiated_.extended_master_secret = hello.find(ExtensionType::extended_master_secret) != nullptr;
  if (!negotiated_.extended_master_secret && !config_.allow_no_extended_master_secret)
    return no_extended_master_secret("client");

  if (auto* sni = hello.get<msgs::ServerNameList>(ExtensionType::server_name);
      sni && !sni->host_names.empty()) {
    negotiated_.server_name = sni->host_names[0];
  }
  TERN_CHECK(choose_alpn(hello));
  // RFC 8449 applies to TLS 1.2 as well; on a resumption too (§4: renegotiated each time).
  if (auto* limit = hello.get<msgs::RecordSizeLimit>(ExtensionType::record_size_limit)) {
    io_.set_peer_record_size_limit(limit->limit);
    client_sent_record_size_limit_ = true;
  }
  client_session_id_ = hello.legacy_session_id;
  bool tickets_on = context_->ticket_keys && server_config_.tickets > 0;
  issue_ticket_ = tickets_on && hello.find(ExtensionType::session_ticket);
  switch (try_resume(hello)) {
    case Resumption::resumed:
      return ok();
    case Resumption::refused:
      // RFC 7627 §5.3: the session had the extended master secret, this ClientHello not.
      return Error(Errc::protocol,
                   "the client resumes a session made with the extended master secret "
                   "without offering it now (RFC 7627 §5.3)",
                   Alert::handshake_failure);
    case Resumption::none:
      break;
  }

  credential_ = &credential_for(context_->credentials, negotiated_.server_name);
  ocsp_staple_ = staple_for(hello, *credential_->certified);
  crypto::KeyType key_type = credential_->key->type();

  // Groups: TLS 1.2 ECDHE uses the classic curves only. A client without supported_groups
  // takes any (RFC 8422 §4): ours first.
  TERN_TRY(auto configured, configured_groups(provider_, config_.groups));
  std::vector<NamedGroup> ours;
  for (NamedGroup g : configured)
    if (usable_in_tls12(g)) ours.push_back(g);
  auto* client_groups = hello.get<msgs::NamedGroupList>(ExtensionType::supported_groups);
  NamedGroup group{};
  bool have_group = false;
  for (NamedGroup g : ours)
    if (!have_group && (!client_groups || contains(client_groups->groups, g))) {
      group = g;
      have_group = true;
    }
  if (auto* formats = hello.get<msgs::EcPointFormatList>(ExtensionType::ec_point_formats)) {
    client_sent_point_formats_ = true;
    if (!contains(formats->formats, msgs::ECPointFormat::uncompressed)) {
      // RFC 8422 §5.1.2: a client that names the RFC's curves yet cannot take uncompressed
      // points makes the server abort with illegal_parameter.
      if (client_groups)
        for (NamedGroup g : client_groups->groups)
          if (g == NamedGroup::secp256r1 || g == NamedGroup::secp384r1 ||
              g == NamedGroup::secp521r1 || g == NamedGroup::x25519 || g == NamedGroup::x448)
            return illegal("the ClientHello's ec_point_formats lacks the uncompressed format "
                           "(RFC 8422 §5.1.2)");
      have_group = false;
    }
  }

  // Signature schemes for ServerKeyExchange. Without signature_algorithms TLS 1.2 means
  // SHA-1, which tern does not sign with.
  schemes_ = default_tls12_signature_schemes();
  if (!config_.signature_schemes.empty()) {
    schemes_.clear();
    for (uint16_t s : config_.signature_schemes)
      schemes_.push_back(static_cast<msgs::SignatureScheme>(s));
  }
  auto* sigs = hello.get<msgs::SignatureSchemeList>(ExtensionType::signature_algorithms);
  std::optional<msgs::SignatureScheme> scheme;
  if (sigs) scheme = choose_signature_scheme_tls12(schemes_, sigs->schemes, key_type);

  TERN_TRY(auto suites, configured_tls12_suites(config_.cipher_suites,
                                                config_.legacy_rsa_key_exchange));
  // RFC 8422 §5.1: an ECDSA certificate's curve must be one the client supports.
  NamedGroup key_curve = key_type == crypto::KeyType::ec_p256   ? NamedGroup::secp256r1
                         : key_type == crypto::KeyType::ec_p384 ? NamedGroup::secp384r1
                         : key_type == crypto::KeyType::ec_p521 ? NamedGroup::secp521r1
                                                                : NamedGroup{};
  bool curve_ok = key_curve == NamedGroup{} || !client_groups ||
                  contains(client_groups->groups, key_curve);
  std::vector<CipherSuite> usable;
  for (CipherSuite s : suites) {
    auto info = tls12_suite_info(s);
    if (!suite_fits_key(*info, key_type)) continue;
    if (info->ecdsa_auth && !curve_ok) continue;
    if (info->ecdhe && (!have_group || !scheme)) continue;
    usable.push_back(s);
  }
  auto suite = server_config_.prefer_client_suites ? first_common(hello.cipher_suites, usable)
                                                   : first_common(usable, hello.cipher_suites);
  if (!suite) {
    std::string why = "the client offers no TLS 1.2 cipher suite this server can use with its " +
                      std::string(crypto::key_type_name(key_type)) + " certificate";
    if (!sigs) why += " (it sent no signature_algorithms, which means SHA-1)";
    else if (!scheme) why += " (no signature scheme in common)";
    if (!have_group) why += " (no ECDHE group in common)";
    if (!curve_ok) why += " (the client does not support the certificate's curve)";
    return Error(Errc::unsupported, why, Alert::handshake_failure);
  }
  // A client's CertificateVerify signs the raw handshake messages, so keep them if asked.
  bool ask_certificate = server_config_.client_auth != ServerConfig::ClientAuth::none;
  set_suite(*suite, ask_certificate);
  if (suite_info_.ecdhe) {
    negotiated_.group = group;
    negotiated_.scheme = *scheme;
  }

  return ok();
}

Tls12Server::Resumption Tls12Server::try_resume(const msgs::ClientHello& hello) {
  if (!context_->ticket_keys) return Resumption::none;
  std::optional<SessionData> session;
  auto* ticket = hello.get<msgs::SessionTicketExtension>(ExtensionType::session_ticket);
  bool by_ticket = ticket && !ticket->ticket.empty();
  if (by_ticket)
    session = context_->ticket_keys->open_session(ticket->ticket, now());
  else if (!hello.legacy_session_id.empty())
    session = context_->session_cache->get(hello.legacy_session_id, now());
  if (!session || session->version != tls::kTls12 ||
      session->secret.size() != kTls12MasterSecretSize ||
      session->server_name != negotiated_.server_name)
    return Resumption::none;
  auto suite = static_cast<CipherSuite>(session->cipher_suite);
  auto enabled = configured_tls12_suites(config_.cipher_suites, config_.legacy_rsa_key_exchange);
  if (!enabled || !contains(*enabled, suite) || !contains(hello.cipher_suites, suite))
    return Resumption::none;
  // Made under another client-auth mode or other client roots: this config might not have
  // accepted that client (or its lack of a certificate).
  if (session->auth != context_->client_auth) return Resumption::none;
  // RFC 7627 §5.3: a session with the extended master secret is resumed only by a client
  // that still offers it (otherwise the handshake is aborted); one without it never is
  // (insecure resumption): a full handshake instead.
  if (session->extended_master_secret && !negotiated_.extended_master_secret)
    return Resumption::refused;
  if (!session->extended_master_secret) return Resumption::none;
  negotiated_.resumed = true;
  set_suite(suite, false);
  master_secret_ = SecretBytes(session->secret.view());
  observe_stage("master secret (resumed session)");
  negotiated_.peer_chain = std::move(session->peer_chain);
  issue_ticket_ = false;  // the client keeps the ticket it has
  return Resumption::resumed;
}

Result<void> Tls12Server::send_server_flight() {
  msgs::ServerHello sh;
  random(sh.random);
  // RFC 8446 §4.1.3: a server that could have spoken TLS 1.3 says it settled for 1.2.
  if (config_.max_version >= tls::kTls13)
    std::copy(msgs::kDowngradeTls12Sentinel.begin(), msgs::kDowngradeTls12Sentinel.end(),
              sh.random.begin() + 24);
  server_random_ = sh.random;
  sh.legacy_version = msgs::ProtocolVersion::tls12;
  sh.cipher_suite = negotiated_.suite;
  if (negotiated_.resumed) {
    sh.legacy_session_id_echo = client_session_id_;  // says "resumed" (RFC 5246 §7.4.1.3)
  } else if (!issue_ticket_ && context_->session_cache) {
    session_id_.resize(32);
    random(session_id_);
    sh.legacy_session_id_echo = session_id_;
  }
  auto& ext = sh.extensions;
  if (secure_renegotiation_)
    ext.push_back({ExtensionType::renegotiation_info, msgs::RenegotiationInfo{}});
  if (negotiated_.extended_master_secret)
    ext.push_back({ExtensionType::extended_master_secret, msgs::EmptyExtension{}});
  if (!negotiated_.server_name.empty())  // acknowledges the client's SNI
    ext.push_back({ExtensionType::server_name, msgs::EmptyExtension{}});
  if (suite_info_.ecdhe && client_sent_point_formats_)
    ext.push_back({ExtensionType::ec_point_formats,
                   msgs::EcPointFormatList{{msgs::ECPointFormat::uncompressed}}});
  if (!negotiated_.alpn.empty())
    ext.push_back({ExtensionType::application_layer_protocol_negotiation,
                   msgs::AlpnProtocols{{negotiated_.alpn}}});
  if (issue_ticket_) ext.push_back({ExtensionType::session_ticket, msgs::SessionTicketExtension{}});
  if (ocsp_staple_ && !negotiated_.resumed)  // a CertificateStatus follows the Certificate
    ext.push_back({ExtensionType::status_request, msgs::EmptyExtension{}});
  if (client_sent_record_size_limit_) {
    // TLS 1.2's records carry 2^14 bytes at most, which caps what we announce (RFC 8449 §4).
    uint16_t limit = std::min<uint16_t>(config_.record_size_limit, 1 << 14);
    ext.push_back({ExtensionType::record_size_limit, msgs::RecordSizeLimit{limit}});
    io_.set_own_record_size_limit(limit);
  }
  sh.extensions_absent = ext.empty();
  send(sh.encode());
  if (negotiated_.resumed) return send_resumed_flight();

  msgs::Certificate12 certificate;
  certificate.certificate_list = credential_->certified->chain;
  send(certificate.encode());
  if (ocsp_staple_) send(msgs::CertificateStatusMessage{*ocsp_staple_}.encode());

  if (suite_info_.ecdhe) {
    TERN_TRY(share_, make_key_share(negotiated_.group));
    msgs::ServerKeyExchangeEcdhe ske;
    ske.group = negotiated_.group;
    BytesView pub = share_->public_key();
    ske.public_key.assign(pub.begin(), pub.end());
    ske.scheme = negotiated_.scheme;
    Bytes content(client_random_.begin(), client_random_.end());
    content.insert(content.end(), server_random_.begin(), server_random_.end());
    Bytes params = ske.encode_params();
    content.insert(content.end(), params.begin(), params.end());
    TERN_TRY(ske.signature,
             credential_->key->sign(*tls12_signature_algorithm(ske.scheme), content));
    send(ske.encode());
  }
  bool ask_certificate = server_config_.client_auth != ServerConfig::ClientAuth::none;
  if (ask_certificate) {
    msgs::CertificateRequest12 request;
    request.certificate_types = {msgs::CertificateType::ecdsa_sign, msgs::CertificateType::rsa_sign};
    request.signature_schemes = schemes_;
    request.certificate_authorities = context_->client_ca_names;
    send(request.encode());
  }
  send(msgs::ServerHelloDone{}.encode());
  state_ = ask_certificate ? State::wait_client_certificate : State::wait_client_key_exchange;
  return ok();
}

Result<void> Tls12Server::handle_client_certificate(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto certificate, msgs::Certificate12::parse(message.body()));
  transcript_.add(message.encoded);
  state_ = State::wait_client_key_exchange;
  if (certificate.certificate_list.empty()) {
    // TLS 1.2 has no certificate_required; RFC 5246 §7.4.6 says handshake_failure.
    if (server_config_.client_auth == ServerConfig::ClientAuth::require)
      return Error(Errc::certificate,
                   "the client sent no certificate, and this server requires one",
                   Alert::handshake_failure);
    transcript_.release_buffer();
    return ok();
  }
  std::vector<BytesView> chain(certificate.certificate_list.begin(),
                               certificate.certificate_list.end());
  TERN_TRY(client_key_,
           verify_client_chain(chain, server_config_, negotiated_.client_certificate_error));
  // Null: a chain ClientAuth::optional did not take; its CertificateVerify is still due.
  client_certificate_unchecked_ = !client_key_;
  if (client_key_) negotiated_.peer_chain = std::move(certificate.certificate_list);
  return ok();
}

Result<void> Tls12Server::handle_client_certificate_verify(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto verify, msgs::CertificateVerify::parse(message.body()));
  if (client_certificate_unchecked_) {  // ClientAuth::optional did not take the chain
    transcript_.add(message.encoded);
    transcript_.release_buffer();
    state_ = State::wait_change_cipher_spec;
    return ok();
  }
  auto alg = tls12_signature_algorithm(verify.scheme);
  if (!alg || !contains(schemes_, verify.scheme))
    return illegal("the client signed with " + msgs::to_string(verify.scheme) +
                   ", which this server did not offer");
  if (!key_fits_tls12(verify.scheme, client_key_->type()))
    return illegal("the client signed with " + msgs::to_string(verify.scheme) +
                   ", which does not fit its " + crypto::key_type_name(client_key_->type()) +
                   " key");
  // RFC 5246 §7.4.8: the signature covers every handshake message before this one.
  if (auto checked = client_key_->verify(*alg, transcript_.buffered(), verify.signature); !checked)
    return Error(Errc::crypto,
                 "the client's CertificateVerify signature does not verify with its "
                 "certificate's key: " + checked.error().detail,
                 Alert::decrypt_error);
  client_key_.reset();
  transcript_.add(message.encoded);
  transcript_.release_buffer();
  state_ = State::wait_change_cipher_spec;
  return ok();
}

Result<void> Tls12Server::send_resumed_flight() {
  // The abbreviated handshake (RFC 5246 §7.3): the server changes keys first.
  TERN_CHECK(derive_key_block());
  TERN_CHECK(send_change_cipher_spec());
  TERN_CHECK(send_finished());
  state_ = State::wait_change_cipher_spec;
  return ok();
}

Result<SecretBytes> Tls12Server::rsa_pre_master(BytesView encrypted) const {
  SecretBytes fallback(kTls12MasterSecretSize);
  random(fallback.span());
  TERN_TRY(auto decrypted, credential_->key->rsa_decrypt_implicit(encrypted, fallback));
  // The first two bytes must be the ClientHello's version; a mismatch is treated exactly
  // like a bad padding (RFC 5246 §7.4.7.1), without branching on the secret.
  auto version = static_cast<uint16_t>(client_version_);
  uint32_t diff = static_cast<uint32_t>(decrypted.data()[0] ^ (version >> 8)) |
                  static_cast<uint32_t>(decrypted.data()[1] ^ (version & 0xff));
  uint8_t good = ct_zero_mask(diff);
  for (size_t i = 0; i < decrypted.size(); ++i)
    decrypted.data()[i] = static_cast<uint8_t>((decrypted.data()[i] & good) |
                                               (fallback.data()[i] & static_cast<uint8_t>(~good)));
  return decrypted;
}

Result<void> Tls12Server::handle_client_key_exchange(const msgs::HandshakeMessage& message) {
  SecretBytes pre_master;
  if (suite_info_.ecdhe) {
    TERN_TRY(auto cke, msgs::ClientKeyExchangeEcdhe::parse(message.body()));
    TERN_TRY(pre_master, share_->decapsulate(cke.public_key));
    share_.reset();
    observe_stage("pre-master secret (ECDHE)");
  } else {
    TERN_TRY(auto cke, msgs::ClientKeyExchangeRsa::parse(message.body()));
    TERN_TRY(pre_master, rsa_pre_master(cke.encrypted_premaster));
    observe_stage("pre-master secret (RSA)");
  }
  transcript_.add(message.encoded);
  TERN_CHECK(derive_keys(pre_master.view()));
  state_ = client_key_ || client_certificate_unchecked_ ? State::wait_client_certificate_verify
                                                        : State::wait_change_cipher_spec;
  return ok();
}

Result<void> Tls12Server::on_change_cipher_spec() {
  if (state_ != State::wait_change_cipher_spec)
    return Error(Errc::protocol, "the client sent ChangeCipherSpec out of order",
                 Alert::unexpected_message);
  TERN_CHECK(switch_read_keys());
  state_ = State::wait_finished;
  return ok();
}

Result<void> Tls12Server::handle_finished(const msgs::HandshakeMessage& message) {
  TERN_CHECK(check_peer_finished(message));
  if (!negotiated_.resumed) {
    if (issue_ticket_) {
      // RFC 5077 §3.3: the ticket comes before ChangeCipherSpec; one that cannot be sealed
      // (a huge client chain) is sent empty, which means "no ticket after all".
      msgs::NewSessionTicket12 nst;
      nst.ticket_lifetime_hint = server_config_.ticket_lifetime;
      auto sealed = context_->ticket_keys->seal_session(
          session_data(server_config_.ticket_lifetime, context_->client_auth), now());
      if (sealed) nst.ticket = std::move(*sealed);
      send(nst.encode());
    }
    TERN_CHECK(send_change_cipher_spec());
    TERN_CHECK(send_finished());
    if (!session_id_.empty())
      context_->session_cache->put(
          session_id_, session_data(server_config_.ticket_lifetime, context_->client_auth),
          now());
  }
  credential_ = nullptr;
  context_.reset();
  state_ = State::connected;
  finish_handshake();
  return ok();
}

}  // namespace tern::handshake
