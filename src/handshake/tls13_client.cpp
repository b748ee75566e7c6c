// SPDX-License-Identifier: Apache-2.0
#include "handshake/tls13_client.h"

#include <algorithm>

#include "crypto/hybrid.h"
#include "handshake/early_data.h"
#include "handshake/external_psk.h"
#include "handshake/ocsp_staple.h"
#include "handshake/peer_chain.h"
#include "handshake/signing.h"
#include "handshake/tls12_client.h"
#include "handshake/tls12_key_schedule.h"
#include "x509/certificate.h"
#include "x509/hostname.h"

namespace tern::handshake {

using msgs::CipherSuite;
using msgs::ExtensionType;
using msgs::HandshakeType;
using msgs::NamedGroup;

Tls13Client::Tls13Client(const crypto::Provider& provider, const ClientConfig& config,
                         HandshakeIo& io)
    : Tls13Machine(provider, config, io, false), client_config_(config) {}

Result<void> Tls13Client::start() {
  if (config_.min_version > config_.max_version ||
      (config_.min_version != tls::kTls12 && config_.min_version != tls::kTls13) ||
      (config_.max_version != tls::kTls12 && config_.max_version != tls::kTls13))
    return Error(Errc::usage, "the config's versions must be TLS 1.2 or 1.3, min <= max");
  TERN_TRY(suites_, configured_suites(config_.cipher_suites));
  TERN_TRY(tls12_suites_, configured_tls12_suites(config_.cipher_suites,
                                                  config_.legacy_rsa_key_exchange));
  TERN_TRY(groups_, configured_groups(provider_, config_.groups));
  offer_tls13_ = config_.max_version >= tls::kTls13 && !suites_.empty();
  offer_tls12_ = config_.min_version <= tls::kTls12 && !tls12_suites_.empty();
  if (!offer_tls13_ && !offer_tls12_)
    return Error(Errc::usage, "no cipher suite is configured for the TLS versions enabled");
  if (!offer_tls13_) {
    suites_.clear();
    std::erase_if(groups_, [](NamedGroup g) { return !usable_in_tls12(g); });
    if (groups_.empty())
      return Error(Errc::usage,
                   "only TLS 1.2 is enabled, and none of the configured groups works with it "
                   "(the ML-KEM hybrids are TLS 1.3 only): add x25519, P-256 or P-384");
  }
  if (!offer_tls12_) tls12_suites_.clear();
  if (client_config_.external_psk) TERN_CHECK(check_external_psk_offer());
  schemes_ = default_tls13_signature_schemes();
  if (offer_tls12_)
    for (auto s : default_tls12_signature_schemes())
      if (std::find(schemes_.begin(), schemes_.end(), s) == schemes_.end()) schemes_.push_back(s);
  if (!config_.signature_schemes.empty()) {
    schemes_.clear();
    for (uint16_t s : config_.signature_schemes)
      schemes_.push_back(static_cast<msgs::SignatureScheme>(s));
  }
  random(client_random_);
  if (offer_tls13_) {
    TERN_TRY(ech_, EchClient::create(provider_, client_config_,
                                     [this](std::span<uint8_t> out) { random(out); }));
  }
  if (client_config_.session_cache) {
    // Without it (no system trust store) nothing is resumed or stored; the full handshake
    // then reports the store's error.
    if (auto auth = auth_context(client_config_)) auth_ = std::move(*auth);
  }
  if (auth_ && !client_config_.server_name.empty())
    session_ = client_config_.session_cache->take(client_config_.server_name, now());
  if (session_ && !usable_session(*session_)) session_.reset();
  // A random legacy_session_id: TLS 1.3 middlebox compatibility, and it lets a TLS 1.2
  // client tell a resumption (the server echoes it) from a new session.
  if ((config_.middlebox_compat && offer_tls13_) || (session_ && !session_->ticket.empty())) {
    session_id_.resize(32);
    random(session_id_);
  }
  if (session_ && session_->version == tls::kTls12 && session_->ticket.empty())
    session_id_ = session_->session_id;  // RFC 5246 session-ID resumption
  if (!offer_tls13_) return send_client_hello();
  std::vector<NamedGroup> share_groups;
  for (uint16_t g : client_config_.key_share_groups)
    share_groups.push_back(static_cast<NamedGroup>(g));
  if (share_groups.empty()) {
    share_groups.push_back(groups_.front());
    auto hybrid = [](NamedGroup g) { return crypto::hybrid::is_hybrid(crypto::Group(g)); };
    auto classical = std::find_if_not(groups_.begin(), groups_.end(), hybrid);
    if (hybrid(groups_.front()) && classical != groups_.end()) share_groups.push_back(*classical);
  }
  for (NamedGroup g : share_groups) {
    if (std::find(groups_.begin(), groups_.end(), g) == groups_.end())
      return Error(Errc::usage, std::string("key share group ") + msgs::to_string(g) +
                                    " is not among the configured groups");
    TERN_TRY(auto share, make_key_share(g));
    shares_.push_back(std::move(share));
  }
  return send_client_hello();
}

Result<void> Tls13Client::send_client_hello() {
  msgs::ClientHello hello;
  hello.random = client_random_;
  hello.legacy_session_id = session_id_;
  hello.cipher_suites = suites_;
  hello.cipher_suites.insert(hello.cipher_suites.end(), tls12_suites_.begin(), tls12_suites_.end());
  auto& ext = hello.extensions;
  // RFC 6066 §3: no IP literals in SNI (the certificate is still checked against the IP).
  if (!client_config_.server_name.empty() && !x509::parse_ip_literal(client_config_.server_name))
    ext.push_back({ExtensionType::server_name, msgs::ServerNameList{{client_config_.server_name}}});
  if (offer_tls12_) {
    // RFC 7627, RFC 5746 (an empty renegotiation_info rather than the SCSV), RFC 8422.
    ext.push_back({ExtensionType::extended_master_secret, msgs::EmptyExtension{}});
    ext.push_back({ExtensionType::renegotiation_info, msgs::RenegotiationInfo{}});
    ext.push_back({ExtensionType::ec_point_formats,
                   msgs::EcPointFormatList{{msgs::ECPointFormat::uncompressed}}});
  }
  ext.push_back({ExtensionType::supported_groups, msgs::NamedGroupList{groups_}});
  ext.push_back({ExtensionType::signature_algorithms, msgs::SignatureSchemeList{schemes_}});
  if (offer_tls13_) {
    msgs::SupportedVersionsList versions{{msgs::ProtocolVersion::tls13}};
    if (offer_tls12_) versions.versions.push_back(msgs::ProtocolVersion::tls12);
    ext.push_back({ExtensionType::supported_versions, std::move(versions)});
    msgs::KeyShareClientHello shares;
    for (const auto& share : shares_) {
      BytesView pub = share->public_key();
      shares.shares.push_back(
          {static_cast<NamedGroup>(share->group()), Bytes(pub.begin(), pub.end())});
    }
    ext.push_back({ExtensionType::key_share, std::move(shares)});
  }
  if (!config_.alpn.empty())
    ext.push_back(
        {ExtensionType::application_layer_protocol_negotiation, msgs::AlpnProtocols{config_.alpn}});
  if (config_.record_size_limit != 16385)
    ext.push_back(
        {ExtensionType::record_size_limit, msgs::RecordSizeLimit{config_.record_size_limit}});
  if (!cookie_.empty()) ext.push_back({ExtensionType::cookie, msgs::Cookie{cookie_}});
  if (offer_tls12_ && client_config_.session_cache) {
    // RFC 5077: a ticket to resume with, or empty to ask for one.
    bool tls12_ticket = session_ && session_->version == tls::kTls12;
    ext.push_back({ExtensionType::session_ticket,
                   msgs::SessionTicketExtension{tls12_ticket ? session_->ticket : Bytes()}});
  }
  if (offer_tls13_ && (client_config_.session_cache || client_config_.external_psk))
    ext.push_back({ExtensionType::psk_key_exchange_modes, psk_modes_to_offer()});
  if (offer_tls13_)
    if (auto offer = certificate_compression_.offer(config_.certificate_compression))
      ext.push_back(std::move(*offer));
  if (client_config_.request_ocsp)  // OCSP stapling, both versions (ocsp_staple.h)
    ext.push_back({ExtensionType::status_request, msgs::StatusRequest{}});
  if (ech_) ech_->mark_hello(hello);
  if (client_hello_hook_) client_hello_hook_(hello);
  sent_server_name_ = hello.find(ExtensionType::server_name) != nullptr;
  // A TLS 1.3 ticket whose hash fits the suites still possible (after a HelloRetryRequest,
  // the one it chose) goes last, as pre_shared_key must (RFC 8446 §4.2.11).
  std::optional<SuiteInfo> psk_suite;
  if (session_ && session_->version == tls::kTls13 && offer_tls13_)
    psk_suite = tls13_suite_info(static_cast<msgs::CipherSuite>(session_->cipher_suite));
  if (psk_suite && hrr_suite_ && tls13_suite_info(*hrr_suite_)->hash != psk_suite->hash)
    psk_suite.reset();
  if (!psk_suite) {
    psk_offered_ = false;
    external_psk_offered_ = false;
    if (offer_tls13_ && client_config_.external_psk) {
      std::optional<crypto::Hash> retry_hash;
      if (hrr_suite_) retry_hash = tls13_suite_info(*hrr_suite_)->hash;
      TERN_TRY(auto encoded, offer_external_psk(provider_, *client_config_.external_psk, hello,
                                                transcript_, retry_hash, schedule_));
      if (encoded) {
        external_psk_offered_ = psk_offered_ = true;
        return send_hello(hello, *encoded);
      }
    }
    return send_hello(hello, hello.encode());
  }
  uint32_t age_ms = static_cast<uint32_t>(std::max<int64_t>(0, now() - session_->created_at) * 1000);
  msgs::PreSharedKeyOffer offer;
  offer.identities.push_back({session_->ticket, age_ms + session_->ticket_age_add});
  offer.binders.push_back(Bytes(crypto::hash_size(psk_suite->hash), 0));
  bool early = !hrr_suite_ && may_offer_early_data(client_config_, *session_);
  if (early) ext.push_back({ExtensionType::early_data, msgs::EmptyExtension{}});
  ext.push_back({ExtensionType::pre_shared_key, offer});
  Bytes encoded = hello.encode();
  TERN_TRY(auto truncated, msgs::truncated_client_hello(encoded, hello));
  Bytes transcript_hash = transcript_.current_with_prefix(psk_suite->hash, truncated);
  // The early secret of the PSK stays in schedule_ for the handshake, if the server resumes.
  schedule_.emplace(provider_, psk_suite->hash);
  TERN_CHECK(schedule_->start(session_->secret.view()));
  TERN_TRY(auto binder, psk_binder(*schedule_, transcript_hash));
  // The binder fills the placeholder at the very end of the encoding.
  std::copy(binder.view().begin(), binder.view().end(), encoded.end() - binder.size());
  psk_offered_ = true;
  TERN_CHECK(send_hello(hello, encoded));
  if (early) TERN_CHECK(offer_early_data(*psk_suite, encoded));
  return ok();
}

Result<void> Tls13Client::send_hello(const msgs::ClientHello& hello, const Bytes& encoded) {
  if (!ech_) {
    send(encoded);
    return ok();
  }
  TERN_TRY(auto wire, ech_->send_hello(hello, encoded, transcript_));
  if (!ech_->grease()) observe_stage(ech_->sealed_stage());
  io_.send_handshake(wire);
  observe_sent(wire);
  return ok();
}

bool Tls13Client::usable_session(const SessionData& session) const {
  auto suite = static_cast<msgs::CipherSuite>(session.cipher_suite);
  if (session.server_name != client_config_.server_name || session.secret.empty() || !auth_ ||
      session.auth != *auth_)
    return false;
  if (session.version == tls::kTls13)
    return offer_tls13_ && !session.ticket.empty() &&
           std::find(suites_.begin(), suites_.end(), suite) != suites_.end();
  if (session.version == tls::kTls12)
    return offer_tls12_ && (!session.ticket.empty() || !session.session_id.empty()) &&
           session.secret.size() == kTls12MasterSecretSize &&
           std::find(tls12_suites_.begin(), tls12_suites_.end(), suite) != tls12_suites_.end() &&
           (session.extended_master_secret || config_.allow_no_extended_master_secret);
  return false;
}

Result<void> Tls13Client::hand_over_to_tls12(const msgs::ServerHello& hello,
                                             const msgs::HandshakeMessage& message) {
  BytesView tail = BytesView(hello.random).subspan(24);
  // RFC 8446 §4.1.3: a TLS 1.3 server that answers with TLS 1.2 marks its random; seeing the
  // mark means someone in between removed TLS 1.3 from our offer.
  if ((offer_tls13_ && equal(tail, msgs::kDowngradeTls12Sentinel)) ||
      equal(tail, msgs::kDowngradeTls11Sentinel))
    return illegal(
        "the ServerHello random carries a downgrade sentinel although tern offered a higher "
        "version: an attacker may be forcing an older version");
  if (hrr_suite_)
    return illegal("the server answered its own HelloRetryRequest with a TLS 1.2 ServerHello");
  TERN_CHECK(refuse_tls12_after_early_data());
  std::optional<SessionData> session;
  if (session_ && session_->version == tls::kTls12) session = std::move(session_);
  Tls12Client::Offer offer{client_random_,
                           session_id_,
                           tls12_suites_,
                           groups_,
                           schemes_,
                           std::move(transcript_),
                           std::move(session),
                           client_config_.session_cache != nullptr,
                           sent_server_name_,
                           auth_};
  shares_.clear();
  auto next = std::make_unique<Tls12Client>(provider_, client_config_, io_, std::move(offer));
  Tls12Client& tls12 = *next;
  successor_ = std::move(next);
  return tls12.take_server_hello(hello, message);
}

Result<void> Tls13Client::on_handshake_message(const msgs::HandshakeMessage& message) {
  static constexpr HandshakeType kExpected[] = {
      HandshakeType::server_hello, HandshakeType::encrypted_extensions,
      HandshakeType::certificate,  HandshakeType::certificate_verify,
      HandshakeType::finished,     HandshakeType::new_session_ticket};
  HandshakeType expected = kExpected[static_cast<int>(state_)];
  // RFC 5246 §7.4.1.2: a client that offered TLS 1.2 ignores a HelloRequest while it waits
  // for the ServerHello (TLS 1.3 has no HelloRequest; after a HelloRetryRequest it is 1.3).
  if (message.type == HandshakeType::hello_request && state_ == State::wait_server_hello &&
      offer_tls12_ && !hrr_suite_) {
    TERN_TRY(auto request, msgs::HelloRequest::parse(message.body()));
    (void)request;
    return ok();
  }
  bool fits = message.type == expected ||
              (state_ == State::wait_certificate &&
               message.type == HandshakeType::certificate_request && !certificate_request_context_);
  fits |= state_ == State::wait_certificate && certificate_compression_.accepts(message.type);
  if (!fits)
    return Error(Errc::protocol,
                 std::string("the server sent ") + msgs::to_string(message.type) + " where " +
                     msgs::to_string(expected) + " was expected",
                 Alert::unexpected_message);
  switch (state_) {
    case State::wait_server_hello:
      return handle_server_hello(message);
    case State::wait_encrypted_extensions:
      return handle_encrypted_extensions(message);
    case State::wait_certificate:
      return handle_certificate(message);
    case State::wait_certificate_verify:
      return handle_certificate_verify(message);
    case State::wait_finished:
      return handle_finished(message);
    case State::connected:
      break;
  }
  return Error(Errc::internal, "client state machine: message in the connected state");
}

Result<void> Tls13Client::handle_server_hello(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto hello, msgs::ServerHello::parse(message.body()));
  io_.close_early_write();  // the server has answered: no more 0-RTT data
  auto* version = hello.get<msgs::SupportedVersionSelected>(ExtensionType::supported_versions);
  if (!version) {
    if (offer_tls12_ && hello.legacy_version == msgs::ProtocolVersion::tls12)
      return hand_over_to_tls12(hello, message);
    BytesView tail = BytesView(hello.random).subspan(24);
    if (equal(tail, msgs::kDowngradeTls12Sentinel) || equal(tail, msgs::kDowngradeTls11Sentinel))
      return illegal(
          "the ServerHello random carries a downgrade sentinel although tern offered "
          "TLS 1.3: an attacker may be forcing an older version");
    return Error(Errc::unsupported,
                 std::string("the server chose ") + msgs::to_string(hello.legacy_version) +
                     "; this client is configured for " + (offer_tls12_ ? "TLS 1.2" : "") +
                     (offer_tls12_ && offer_tls13_ ? " and " : "") + (offer_tls13_ ? "TLS 1.3" : ""),
                 Alert::protocol_version);
  }
  if (!offer_tls13_)
    return Error(Errc::protocol, "the server selected a version in supported_versions, which "
                                 "tern did not send (it offered TLS 1.2 only)",
                 Alert::unsupported_extension);
  if (version->version != msgs::ProtocolVersion::tls13)
    return illegal(std::string("the server selected ") + msgs::to_string(version->version) +
                   " in supported_versions, which tern did not offer");
  if (!equal(hello.legacy_session_id_echo, session_id_))
    return illegal("the ServerHello does not echo the ClientHello's legacy_session_id");
  if (std::find(suites_.begin(), suites_.end(), hello.cipher_suite) == suites_.end())
    return illegal(std::string("the server chose cipher suite ") +
                   msgs::to_string(hello.cipher_suite) + ", which tern did not offer");
  if (hello.legacy_compression_method != 0)
    return illegal("the server chose a compression method other than null");
  TERN_CHECK(msgs::check_tls13_extensions(
      hello.extensions,
      hello.is_hello_retry_request() ? msgs::ExtensionContext::hello_retry_request
                                     : msgs::ExtensionContext::server_hello,
      hello.is_hello_retry_request() ? "HelloRetryRequest" : "ServerHello"));
  if (hello.is_hello_retry_request()) return handle_hello_retry_request(hello, message);
  if (hrr_suite_ && *hrr_suite_ != hello.cipher_suite)
    return illegal("the ServerHello's cipher suite differs from the HelloRetryRequest's");
  std::optional<SecretBytes> psk;
  auto* selected = hello.get<msgs::PreSharedKeySelected>(ExtensionType::pre_shared_key);
  if (selected && external_psk_offered_) {
    TERN_CHECK(accept_external_psk_selected(hello, psk));
  } else if (selected) {
    if (!psk_offered_ || selected->selected_identity != 0)
      return illegal("the server accepted a PSK that tern did not offer");
    auto info = tls13_suite_info(static_cast<msgs::CipherSuite>(session_->cipher_suite));
    if (tls13_suite_info(hello.cipher_suite)->hash != info->hash)
      return illegal("the server resumed with a suite whose hash differs from the ticket's");
    psk.emplace(session_->secret.view());
    negotiated_.resumed = true;
    negotiated_.peer_chain = std::move(session_->peer_chain);
  }
  session_.reset();

  auto* share = hello.get<msgs::KeyShareServerHello>(ExtensionType::key_share);
  SecretBytes shared;  // none in psk_ke: the key schedule takes zeros
  if (share) {
    const crypto::KeyShare* mine = nullptr;
    for (const auto& s : shares_)
      if (static_cast<NamedGroup>(s->group()) == share->share.group) mine = s.get();
    if (!mine)
      return illegal(std::string("the server's key share is for ") +
                     msgs::to_string(share->share.group) + ", for which tern sent no share");
    TERN_TRY(shared, mine->decapsulate(share->share.key_exchange));
  } else {
    TERN_CHECK(check_psk_without_dhe());
  }
  shares_.clear();

  negotiated_.version = tls::kTls13;
  negotiated_.suite = hello.cipher_suite;
  negotiated_.group = share ? share->share.group : NamedGroup{};
  suite_info_ = *tls13_suite_info(hello.cipher_suite);
  if (!transcript_.started()) transcript_.start(suite_info_.hash);
  if (ech_) {
    TERN_CHECK(ech_->on_server_hello(message.encoded, transcript_, client_random_));
    if (ech_->rejected() && psk) return illegal("the server resumed a session offered only inside ECH it rejected");
    negotiated_.ech_accepted = ech_->accepted();
    if (!ech_->grease()) observe_stage(ech_->accepted() ? "ECH accepted" : "ECH rejected");
  }
  transcript_.add(message.encoded);
  if (!psk || !schedule_) {  // schedule_ holds the PSK's early secret from the ClientHello
    schedule_.emplace(provider_, suite_info_.hash);
    TERN_CHECK(schedule_->start(psk ? psk->view() : BytesView()));
  }
  observe_stage(negotiated_.external_psk ? "early secret (external PSK)"
                : psk                       ? "early secret (PSK)"
                                            : "early secret");
  TERN_CHECK(schedule_->advance_to_handshake(shared.view()));
  TERN_CHECK(derive_handshake_secrets());
  state_ = State::wait_encrypted_extensions;
  return ok();
}

Result<void> Tls13Client::handle_hello_retry_request(const msgs::ServerHello& hrr,
                                                     const msgs::HandshakeMessage& message) {
  if (hrr_suite_)
    return Error(Errc::protocol, "the server sent a second HelloRetryRequest",
                 Alert::unexpected_message);
  auto* selected = hrr.get<msgs::KeyShareHelloRetryRequest>(ExtensionType::key_share);
  auto* cookie = hrr.get<msgs::Cookie>(ExtensionType::cookie);
  if (!selected && !cookie)
    return illegal(
        "the HelloRetryRequest would not change the ClientHello (no key_share, no cookie)");
  hrr_suite_ = hrr.cipher_suite;
  negotiated_.hello_retry_request = true;
  negotiated_.version = tls::kTls13;
  suite_info_ = *tls13_suite_info(hrr.cipher_suite);
  transcript_.start(suite_info_.hash);
  transcript_.replace_with_message_hash();
  if (ech_) TERN_CHECK(ech_->on_hello_retry_request(hrr, message.encoded, transcript_, client_random_));
  transcript_.add(message.encoded);
  if (selected) {
    NamedGroup g = selected->selected_group;
    if (std::find(groups_.begin(), groups_.end(), g) == groups_.end())
      return illegal(std::string("the HelloRetryRequest asks for group ") + msgs::to_string(g) +
                     ", which tern did not offer");
    for (const auto& s : shares_)
      if (static_cast<NamedGroup>(s->group()) == g)
        return illegal(std::string("the HelloRetryRequest asks for group ") + msgs::to_string(g) +
                       ", for which tern already sent a share");
    shares_.clear();
    TERN_TRY(auto share, make_key_share(g));
    shares_.push_back(std::move(share));
  }
  if (cookie) cookie_ = cookie->cookie;
  if (negotiated_.early_data == EarlyData::offered) negotiated_.early_data = EarlyData::rejected;
  if (config_.middlebox_compat && !sent_change_cipher_spec_) io_.send_change_cipher_spec();
  return send_client_hello();
}

Result<void> Tls13Client::handle_encrypted_extensions(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto ee, msgs::EncryptedExtensions::parse(message.body()));
  TERN_CHECK(msgs::check_tls13_extensions(
      ee.extensions, msgs::ExtensionContext::encrypted_extensions, "EncryptedExtensions"));
  // RFC 8446 §4.2: a server answers only the extensions the client sent.
  auto unsolicited = [](ExtensionType type) {
    return Error(Errc::protocol,
                 "the server's EncryptedExtensions carries " + msgs::to_string(type) +
                     ", which tern did not offer",
                 Alert::unsupported_extension);
  };
  if (msgs::find_extension(ee.extensions, ExtensionType::server_name) && !sent_server_name_)
    return unsolicited(ExtensionType::server_name);
  if (msgs::find_extension(ee.extensions, ExtensionType::application_layer_protocol_negotiation) &&
      config_.alpn.empty())
    return unsolicited(ExtensionType::application_layer_protocol_negotiation);
  if (auto* alpn = msgs::find_extension_body<msgs::AlpnProtocols>(
          ee.extensions, ExtensionType::application_layer_protocol_negotiation)) {
    if (alpn->protocols.size() != 1 || std::find(config_.alpn.begin(), config_.alpn.end(),
                                                 alpn->protocols[0]) == config_.alpn.end())
      return illegal("the server's ALPN choice is not one protocol that tern offered");
    negotiated_.alpn = alpn->protocols[0];
  }
  if (auto* limit = msgs::find_extension_body<msgs::RecordSizeLimit>(
          ee.extensions, ExtensionType::record_size_limit)) {
    io_.set_peer_record_size_limit(limit->limit);
    io_.set_own_record_size_limit(config_.record_size_limit);  // offered, now agreed
  }
  if (ech_) TERN_CHECK(ech_->on_encrypted_extensions(ee.extensions));
  negotiated_.server_name = client_config_.server_name;
  TERN_CHECK(check_early_data_answer(ee.extensions));
  transcript_.add(message.encoded);
  // Resumed: the PSK stands in for the certificate (RFC 8446 §2.2).
  state_ = negotiated_.resumed || negotiated_.external_psk ? State::wait_finished
                                                           : State::wait_certificate;
  return ok();
}

Result<void> Tls13Client::handle_certificate(const msgs::HandshakeMessage& message) {
  if (message.type == HandshakeType::certificate_request) {
    TERN_TRY(auto request, msgs::CertificateRequest13::parse(message.body()));
    auto* sigs = msgs::find_extension_body<msgs::SignatureSchemeList>(
        request.extensions, ExtensionType::signature_algorithms);
    if (!sigs)
      return Error(Errc::protocol, "the server's CertificateRequest has no signature_algorithms",
                   Alert::missing_extension);
    requested_schemes_ = sigs->schemes;
    TERN_CHECK(certificate_compression_.read_peer_offer(config_.certificate_compression,
                                                        request.extensions));
    certificate_request_context_ = request.certificate_request_context;
    transcript_.add(message.encoded);
    return ok();  // still waiting for the Certificate
  }
  Bytes decompressed;
  TERN_TRY(auto body, certificate_compression_.certificate_body(message, decompressed));
  TERN_TRY(auto certificate, msgs::Certificate13::parse(body));
  if (!certificate.certificate_request_context.empty())
    return illegal("the server's Certificate has a non-empty certificate_request_context");
  if (certificate.certificate_list.empty())
    return Error(Errc::protocol, "the server sent an empty Certificate message",
                 Alert::decode_error);
  TERN_CHECK(verify_server_chain(certificate));
  for (auto& entry : certificate.certificate_list)
    negotiated_.peer_chain.push_back(std::move(entry.cert_data));
  transcript_.add(message.encoded);
  state_ = State::wait_certificate_verify;
  return ok();
}

Result<void> Tls13Client::verify_server_chain(const msgs::Certificate13& certificate) {
  std::vector<BytesView> chain;
  for (const auto& entry : certificate.certificate_list) chain.push_back(entry.cert_data);
  PeerChainCheck check = server_chain_check(client_config_);
  check.key_optional = signature_check_hook_ != nullptr;
  if (!client_config_.request_ocsp && leaf_staple(certificate))
    return Error(Errc::protocol, "the server stapled an OCSP response tern did not ask for",
                 Alert::unsupported_extension);
  StapleCheck staple(negotiated_.ocsp_status);
  check.staple = &staple;
  if (ech_ && ech_->rejected()) check.hostname = ech_->public_name();  // RFC 9849 §6.1.7
  TERN_TRY(server_key_, verify_peer_chain(chain, check, "server"));
  return staple.check(leaf_staple(certificate));
}

Result<void> Tls13Client::handle_certificate_verify(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto verify, msgs::CertificateVerify::parse(message.body()));
  auto alg = tls13_signature_algorithm(verify.scheme);
  if (!alg || std::find(schemes_.begin(), schemes_.end(), verify.scheme) == schemes_.end())
    return illegal(std::string("the server signed with ") + msgs::to_string(verify.scheme) +
                   ", which tern did not offer");
  Bytes content = certificate_verify_content(true, transcript_.current());
  if (signature_check_hook_) {
    TERN_CHECK(signature_check_hook_(verify.scheme, content, verify.signature));
  } else {
    if (!key_fits(verify.scheme, server_key_->type()))
      return illegal(std::string("the server signed with ") + msgs::to_string(verify.scheme) +
                     ", which does not fit its " + crypto::key_type_name(server_key_->type()) +
                     " key");
    auto checked = server_key_->verify(*alg, content, verify.signature);
    if (!checked)
      return Error(
          Errc::crypto,
          "the server's CertificateVerify signature does not verify with its certificate's "
          "key: " +
              checked.error().detail,
          Alert::decrypt_error);
  }
  negotiated_.scheme = verify.scheme;
  transcript_.add(message.encoded);
  state_ = State::wait_finished;
  return ok();
}

Result<void> Tls13Client::send_client_certificate() {
  msgs::Certificate13 certificate;
  certificate.certificate_request_context = *certificate_request_context_;
  const auto& mine = client_config_.client_certificate;
  std::unique_ptr<crypto::PrivateKey> key;
  std::optional<msgs::SignatureScheme> scheme;
  if (mine && !mine->chain.empty()) {
    TERN_TRY(key, provider_.parse_private_key(mine->private_key));
    scheme = choose_signature_scheme(schemes_, requested_schemes_, key->type());
  }
  // Without a certificate, or one the server cannot check, decline with an empty list;
  // the server decides whether that is enough.
  if (!scheme || (ech_ && ech_->rejected())) {  // never to a server that rejected ECH
    send(certificate.encode());
    return ok();
  }
  for (const Bytes& der : mine->chain) certificate.certificate_list.push_back({der, {}});
  TERN_TRY(auto certificate_message,
           certificate_compression_.outgoing(certificate.encode(), nullptr));
  send(certificate_message);
  Bytes content = certificate_verify_content(false, transcript_.current());
  TERN_TRY(auto signature, key->sign(*tls13_signature_algorithm(*scheme), content));
  send(msgs::CertificateVerify{*scheme, std::move(signature)}.encode());
  return ok();
}

Result<void> Tls13Client::handle_finished(const msgs::HandshakeMessage& message) {
  TERN_CHECK(check_peer_finished(message));
  transcript_.add(message.encoded);
  TERN_CHECK(derive_application_secrets());
  TERN_CHECK(
      io_.set_read_secret(suite_info_, server_app_secret_.view(), Protection::application_keys));
  if (config_.middlebox_compat && !negotiated_.hello_retry_request && !sent_change_cipher_spec_)
    io_.send_change_cipher_spec();
  TERN_CHECK(send_end_of_early_data());
  if (certificate_request_context_) TERN_CHECK(send_client_certificate());
  TERN_TRY(auto mine, finished_for(false));
  send(msgs::Finished{Bytes(mine.view().begin(), mine.view().end())}.encode());
  TERN_CHECK(
      io_.set_write_secret(suite_info_, client_app_secret_.view(), Protection::application_keys));
  if (ech_ && ech_->rejected()) {
    negotiated_.ech_retry_configs = ech_->retry_configs();
    return ech_->rejection();
  }
  if (client_config_.session_cache) {
    TERN_TRY(resumption_master_, schedule_->derive_secret("res master", transcript_.current()));
  }
  server_key_.reset();
  state_ = State::connected;
  finish_handshake();
  // The offer's lists are handshake state too (an idle connection keeps none).
  std::vector<msgs::CipherSuite>().swap(suites_);
  std::vector<msgs::CipherSuite>().swap(tls12_suites_);
  std::vector<msgs::NamedGroup>().swap(groups_);
  std::vector<msgs::SignatureScheme>().swap(schemes_);
  std::vector<msgs::SignatureScheme>().swap(requested_schemes_);
  Bytes().swap(session_id_);
  Bytes().swap(cookie_);
  return ok();
}

Result<void> Tls13Client::on_new_session_ticket(const msgs::NewSessionTicket13& ticket) {
  // RFC 8446 §4.6.1: a lifetime of zero means "do not use"; at most seven days.
  if (!client_config_.session_cache || !auth_ || resumption_master_.empty() ||
      ticket.ticket_lifetime == 0 || ticket.ticket.empty())
    return ok();
  TERN_TRY(auto psk, resumption_psk(provider_, suite_info_.hash, resumption_master_.view(),
                                    ticket.ticket_nonce));
  SessionData session;
  session.version = tls::kTls13;
  session.cipher_suite = static_cast<uint16_t>(negotiated_.suite);
  session.secret = SecretBuffer(psk.view());
  session.created_at = now();
  session.lifetime = std::min<uint32_t>(ticket.ticket_lifetime, 604800);
  session.ticket_age_add = ticket.ticket_age_add;
  session.server_name = client_config_.server_name;
  session.alpn = negotiated_.alpn;
  session.peer_chain = negotiated_.peer_chain;  // the cache refuses one too large to store
  session.auth = *auth_;
  session.ticket = ticket.ticket;
  if (auto* early = msgs::find_extension_body<msgs::EarlyDataMax>(ticket.extensions,
                                                                  ExtensionType::early_data))
    session.max_early_data = early->max_early_data_size;
  client_config_.session_cache->put(client_config_.server_name, std::move(session));
  observe_stage("session ticket stored");
  return ok();
}

}  // namespace tern::handshake
