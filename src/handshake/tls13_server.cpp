// SPDX-License-Identifier: Apache-2.0
#include "handshake/tls13_server.h"

#include <algorithm>
#include <cstdlib>

#include "base/secret.h"
#include "handshake/client_auth.h"
#include "handshake/external_psk.h"
#include "handshake/ocsp_staple.h"
#include "handshake/peer_chain.h"
#include "handshake/signing.h"
#include "handshake/tls12_server.h"

namespace tern::handshake {

using msgs::CipherSuite;
using msgs::ExtensionType;
using msgs::HandshakeType;
using msgs::NamedGroup;

namespace {

// How far the client's and our view of a ticket's age may differ: network delay plus a
// clock that counts whole seconds.
constexpr int64_t kTicketAgeToleranceMs = 10000;

// RFC 8446 §4.1.2: after a HelloRetryRequest the client sends the same ClientHello again,
// except for a new key_share, early_data removed, a cookie added, pre_shared_key updated
// and padding added, removed or resized.
bool may_change_after_retry(ExtensionType type) {
  return type == ExtensionType::key_share || type == ExtensionType::early_data ||
         type == ExtensionType::cookie || type == ExtensionType::pre_shared_key ||
         type == ExtensionType::padding ||
         type == ExtensionType::encrypted_client_hello;  // RFC 9849 §6.1.5: a new payload
}

// The extensions that must not change, as (type, body), by type: clients that send them
// in another order are not refused for it.
std::vector<std::pair<uint16_t, Bytes>> fixed_extensions(const msgs::ClientHello& hello) {
  std::vector<std::pair<uint16_t, Bytes>> out;
  for (const msgs::Extension& ext : hello.extensions)
    if (!may_change_after_retry(ext.type))
      out.emplace_back(msgs::wire(ext.type), msgs::encode_extension_body(ext.body));
  std::sort(out.begin(), out.end());  // types are unique (the parser refuses duplicates)
  return out;
}

// illegal_parameter naming the first difference the retry rules do not allow.
Result<void> check_same_hello(const msgs::ClientHello& first, const msgs::ClientHello& second) {
  auto changed = [](const std::string& what) {
    return illegal("the second ClientHello changes " + what +
                   " (RFC 8446 §4.1.2: it must repeat the first but for key_share, early_data, "
                   "cookie, pre_shared_key and padding)");
  };
  if (second.legacy_version != first.legacy_version) return changed("legacy_version");
  if (second.random != first.random) return changed("the random");
  if (second.legacy_session_id != first.legacy_session_id) return changed("legacy_session_id");
  if (second.cipher_suites != first.cipher_suites) return changed("the cipher suites");
  if (second.legacy_compression_methods != first.legacy_compression_methods)
    return changed("the compression methods");
  auto a = fixed_extensions(first), b = fixed_extensions(second);
  size_t i = 0, j = 0;
  for (; i < a.size() && j < b.size(); ++i, ++j) {
    auto name = [](uint16_t type) { return msgs::to_string(static_cast<ExtensionType>(type)); };
    if (a[i].first < b[j].first) return changed("its extensions: it drops " + name(a[i].first));
    if (a[i].first > b[j].first) return changed("its extensions: it adds " + name(b[j].first));
    if (a[i].second != b[j].second) return changed("the " + name(a[i].first) + " extension");
  }
  if (i < a.size())
    return changed("its extensions: it drops " +
                   msgs::to_string(static_cast<ExtensionType>(a[i].first)));
  if (j < b.size())
    return changed("its extensions: it adds " +
                   msgs::to_string(static_cast<ExtensionType>(b[j].first)));
  return ok();
}

}  // namespace

Tls13Server::Tls13Server(const crypto::Provider& provider, const ServerConfig& config,
                         HandshakeIo& io,
                         std::shared_ptr<const ServerContext> context)
    : Tls13Machine(provider, config, io, true),
      server_config_(config),
      context_(std::move(context)) {}

Result<void> Tls13Server::on_handshake_message(const msgs::HandshakeMessage& message) {
  static constexpr HandshakeType kExpected[] = {
      HandshakeType::client_hello, HandshakeType::client_hello, HandshakeType::certificate,
      HandshakeType::certificate_verify, HandshakeType::finished, HandshakeType::finished};
  if (negotiated_.early_data == EarlyData::accepted && !early_data_ended_)
    return handle_end_of_early_data(message);
  HandshakeType expected = kExpected[static_cast<int>(state_)];
  bool compressed = expected == HandshakeType::certificate &&
                    certificate_compression_.accepts(message.type);
  if ((message.type != expected && !compressed) || state_ == State::connected)
    return Error(Errc::protocol,
                 std::string("the client sent ") + msgs::to_string(message.type) + " where " +
                     msgs::to_string(expected) + " was expected",
                 Alert::unexpected_message);
  switch (state_) {
    case State::wait_client_hello:
    case State::wait_client_hello_after_retry:
      return handle_client_hello(message);
    case State::wait_client_certificate:
      return handle_client_certificate(message);
    case State::wait_client_certificate_verify:
      return handle_client_certificate_verify(message);
    case State::wait_finished:
      return handle_finished(message);
    case State::connected:
      break;
  }
  return Error(Errc::internal, "server state machine: message in the connected state");
}

Result<void> Tls13Server::negotiate(const msgs::ClientHello& hello) {
  TERN_TRY(suites_, configured_suites(config_.cipher_suites));
  TERN_TRY(groups_, configured_groups(provider_, config_.groups));
  schemes_ = default_tls13_signature_schemes();
  if (!config_.signature_schemes.empty()) {
    schemes_.clear();
    for (uint16_t s : config_.signature_schemes)
      schemes_.push_back(static_cast<msgs::SignatureScheme>(s));
  }
  auto suite = server_config_.prefer_client_suites ? first_common(hello.cipher_suites, suites_)
                                                   : first_common(suites_, hello.cipher_suites);
  if (!suite)
    return Error(Errc::unsupported, "the client offers no TLS 1.3 cipher suite this server enables",
                 Alert::handshake_failure);
  negotiated_.suite = *suite;
  suite_info_ = *tls13_suite_info(*suite);

  auto* sigs = hello.get<msgs::SignatureSchemeList>(ExtensionType::signature_algorithms);
  Error no_signature_algorithms(Errc::protocol,
                                "the ClientHello has no signature_algorithms extension, which "
                                "certificate authentication needs",
                                Alert::missing_extension);
  if (!sigs && !hello.find(ExtensionType::pre_shared_key)) return no_signature_algorithms;
  if (auto* sni = hello.get<msgs::ServerNameList>(ExtensionType::server_name);
      sni && !sni->host_names.empty())
    negotiated_.server_name = sni->host_names[0];
  credential_ = nullptr;
  credential_error_.reset();
  if (!context_->credentials.empty()) {  // none: a PSK-only server (external PSKs)
    const ServerCredential& credential =
        credential_for(context_->credentials, negotiated_.server_name);
    auto scheme = sigs ? choose_signature_scheme(schemes_, sigs->schemes, credential.key->type())
                       : std::nullopt;
    if (scheme) {
      credential_ = &credential;
      negotiated_.scheme = *scheme;
    } else {
      credential_error_ =
          sigs ? Error(Errc::unsupported,
                       std::string("the client accepts no signature scheme for this server's ") +
                           crypto::key_type_name(credential.key->type()) + " key",
                       Alert::handshake_failure)
               : no_signature_algorithms;
    }
  }

  TERN_CHECK(choose_alpn(hello));
  TERN_CHECK(certificate_compression_.read_peer_offer(config_.certificate_compression,
                                                      hello.extensions));
  if (auto* limit = hello.get<msgs::RecordSizeLimit>(ExtensionType::record_size_limit)) {
    io_.set_peer_record_size_limit(limit->limit);
    client_sent_record_size_limit_ = true;
  }
  return ok();
}

Result<void> Tls13Server::handle_client_hello(const msgs::HandshakeMessage& received) {
  TERN_TRY(auto hello, msgs::ClientHello::parse(received.body()));
  // ECH (RFC 9849): a ClientHelloOuter that decrypts is answered as its ClientHelloInner.
  if (!context_->ech.keys.empty() && !ech_)
    ech_ = std::make_unique<EchServer>(provider_, context_->ech);
  std::optional<msgs::HandshakeMessage> inner;
  if (ech_) {
    TERN_TRY(inner, ech_->open(hello, received, state_ == State::wait_client_hello_after_retry));
  }
  if (inner) {
    TERN_TRY(hello, msgs::ClientHello::parse(inner->body()));
  }
  negotiated_.ech_accepted = ech_ && ech_->accepted();
  const msgs::HandshakeMessage& message = inner ? *inner : received;
  // SSL 3.0 and older in legacy_version are refused even with supported_versions (as OpenSSL
  // does): no such client speaks TLS 1.3 honestly.
  if (hello.legacy_version < msgs::ProtocolVersion::tls10)
    return Error(Errc::unsupported,
                 "the ClientHello's legacy_version is " + msgs::to_string(hello.legacy_version) +
                     ", older than TLS 1.0",
                 Alert::protocol_version);
  bool retry = state_ == State::wait_client_hello_after_retry;
  auto* versions = hello.get<msgs::SupportedVersionsList>(ExtensionType::supported_versions);
  auto offers = [&](msgs::ProtocolVersion v) {
    return versions ? std::find(versions->versions.begin(), versions->versions.end(), v) !=
                          versions->versions.end()
                    : v == msgs::ProtocolVersion::tls12 &&
                          hello.legacy_version >= msgs::ProtocolVersion::tls12;
  };
  // A suite list naming one version's suites only turns the other version off.
  TERN_TRY(auto suites13, configured_suites(config_.cipher_suites));
  TERN_TRY(auto suites12, configured_tls12_suites(config_.cipher_suites,
                                                  config_.legacy_rsa_key_exchange));
  bool serve13 = config_.max_version >= tls::kTls13 && !suites13.empty();
  bool serve12 = config_.min_version <= tls::kTls12 && !suites12.empty();
  if (!retry && !(serve13 && offers(msgs::ProtocolVersion::tls13))) {
    if (serve12 && offers(msgs::ProtocolVersion::tls12)) {
      // RFC 7507: a client retrying with a lower version than it could have had.
      if (serve13 && hello.offers(CipherSuite::tls_fallback_scsv))
        return Error(Errc::protocol,
                     "the client fell back to TLS 1.2 (TLS_FALLBACK_SCSV) although this server "
                     "speaks TLS 1.3: a downgrade, or a client retrying after a network error",
                     Alert::inappropriate_fallback);
      return hand_over_to_tls12(hello, message);
    }
    std::string served = serve12 && serve13 ? "TLS 1.2 and 1.3" : serve13 ? "TLS 1.3" : "TLS 1.2";
    return Error(Errc::unsupported,
                 "the client offers no version this server speaks (" + served + ")",
                 Alert::protocol_version);
  }
  if (retry && !offers(msgs::ProtocolVersion::tls13))
    return illegal("the second ClientHello does not offer TLS 1.3");
  negotiated_.version = tls::kTls13;
  TERN_CHECK(msgs::check_tls13_extensions(hello.extensions, msgs::ExtensionContext::client_hello,
                                          "ClientHello"));
  if (hello.legacy_compression_methods != Bytes{0})
    return illegal("a TLS 1.3 ClientHello must offer exactly the null compression method");
  // RFC 8446 §4.2.9: a PSK offer needs the modes it may be used with.
  if (hello.find(ExtensionType::pre_shared_key) &&
      !hello.find(ExtensionType::psk_key_exchange_modes))
    return Error(Errc::protocol, "the ClientHello offers a PSK without psk_key_exchange_modes",
                 Alert::missing_extension);
  bool offers_early_data = hello.find(ExtensionType::early_data) != nullptr;
  if (retry && offers_early_data)
    return illegal("the second ClientHello offers early data (RFC 8446 §4.1.2 forbids it)");
  if (retry) {
    TERN_CHECK(check_same_hello(*first_hello_, hello));
    first_hello_.reset();
  }
  CipherSuite previous_suite = negotiated_.suite;
  NamedGroup previous_group = negotiated_.group;
  if (!retry) client_random_ = hello.random;
  TERN_CHECK(negotiate(hello));
  if (retry && negotiated_.suite != previous_suite)
    return illegal("the second ClientHello changes the cipher suite choice");

  if (!retry && wants_psk_without_dhe(server_config_, hello)) {
    TERN_TRY(bool answered, answer_psk_without_dhe(hello, message, offers_early_data));
    if (answered) return ok();
  }
  auto* client_groups = hello.get<msgs::NamedGroupList>(ExtensionType::supported_groups);
  auto* shares = hello.get<msgs::KeyShareClientHello>(ExtensionType::key_share);
  if (!client_groups || !shares)
    return Error(Errc::protocol,
                 "the ClientHello lacks supported_groups or key_share, which (EC)DHE needs "
                 "(a PSK without it, psk_ke, only where the server allows it)",
                 Alert::missing_extension);
  // RFC 8446 §4.2.8: shares only for groups in supported_groups (each at most once, which
  // the parser checks). Both lists may be long: a sorted copy keeps this n log n.
  std::vector<NamedGroup> listed = client_groups->groups;
  std::sort(listed.begin(), listed.end());
  for (const auto& share : shares->shares)
    if (!std::binary_search(listed.begin(), listed.end(), share.group))
      return illegal("the ClientHello has a key share for " + msgs::to_string(share.group) +
                     ", which its supported_groups does not list");
  // Prefer a group the client already sent a share for; ask for one only if needed.
  for (NamedGroup g : groups_)
    for (const auto& share : shares->shares)
      if (share.group == g) {
        if (retry && g != previous_group)
          return illegal("the second ClientHello has no key share for the requested group");
        negotiated_.group = g;
        if (!transcript_.started()) transcript_.start(suite_info_.hash);
        TERN_CHECK(accept_psk(hello, message));
        if (!psk_) TERN_CHECK(certificate_authentication());
        transcript_.add(message.encoded);
        if (offers_early_data) TERN_CHECK(decide_early_data(hello));
        return send_server_flight(hello, &share);
      }
  if (retry) return illegal("the second ClientHello has no key share for the requested group");
  auto group = first_common(groups_, client_groups->groups);
  if (!group)
    return Error(Errc::unsupported, "the client supports no key exchange group this server enables",
                 Alert::handshake_failure);
  negotiated_.group = *group;
  transcript_.add(message.encoded);
  if (offers_early_data) io_.skip_early_data(HandshakeIo::EarlyDataSkip::until_client_hello);
  return send_hello_retry_request(hello);
}

Result<void> Tls13Server::certificate_authentication() const {
  if (credential_) return ok();
  if (credential_error_) return *credential_error_;
  return Error(Errc::unsupported,
               "the client offers no external PSK this server knows, and the server has no "
               "certificate (it is configured with external PSKs only)",
               Alert::handshake_failure);
}

Result<void> Tls13Server::accept_psk(const msgs::ClientHello& hello,
                                     const msgs::HandshakeMessage& message) {
  auto* offer = hello.get<msgs::PreSharedKeyOffer>(ExtensionType::pre_shared_key);
  auto* modes = hello.get<msgs::PskKeyExchangeModes>(ExtensionType::psk_key_exchange_modes);
  client_psk_dhe_ = modes && std::find(modes->modes.begin(), modes->modes.end(),
                                       msgs::PskKeyExchangeMode::psk_dhe_ke) != modes->modes.end();
  psk_.reset();
  schedule_.reset();
  if (offer && client_psk_dhe_) {  // external PSKs by identity first, then tickets
    TERN_TRY(auto external, accept_external_psk(provider_, server_config_, hello, message.encoded,
                                                transcript_, suite_info_.hash, false, schedule_));
    if (external) {
      psk_index_ = *external;
      psk_ = std::make_unique<SessionData>();  // its secret is in schedule_ already
      negotiated_.external_psk = true;
      return ok();
    }
  }
  if (!offer || !client_psk_dhe_ || !context_->ticket_keys) return ok();
  int64_t time = now();
  // A few identities at most: each costs a ticket decryption.
  for (size_t i = 0; i < offer->identities.size() && i < 4; ++i) {
    const msgs::PskIdentity& identity = offer->identities[i];
    auto session = context_->ticket_keys->open_session(identity.identity, time);
    if (!session || session->version != tls::kTls13) continue;
    auto info = tls13_suite_info(static_cast<CipherSuite>(session->cipher_suite));
    if (!info || info->hash != suite_info_.hash || session->server_name != negotiated_.server_name)
      continue;
    // Made under another client-auth mode or other client roots: this config might not
    // have accepted that client (or its lack of a certificate).
    if (session->auth != context_->client_auth) continue;
    // RFC 8446 §4.2.11.1: the client's view of the ticket's age, in milliseconds, must
    // agree with ours; a ticket replayed much later does not.
    uint32_t client_age_ms = identity.obfuscated_ticket_age - session->ticket_age_add;
    int64_t our_age_ms = (time - session->created_at) * 1000;
    if (std::abs(static_cast<int64_t>(client_age_ms) - our_age_ms) > kTicketAgeToleranceMs)
      continue;
    psk_age_skew_ms_ = static_cast<int64_t>(client_age_ms) - our_age_ms;
    // The binder proves the client holds the PSK and binds it to this ClientHello.
    TERN_TRY(auto truncated, msgs::truncated_client_hello(message.encoded, hello));
    // The PSK's early secret stays in schedule_ for the handshake that resumes.
    schedule_.emplace(provider_, suite_info_.hash);
    TERN_CHECK(schedule_->start(session->secret.view()));
    TERN_TRY(auto expected,
             psk_binder(*schedule_, transcript_.current_with_prefix(suite_info_.hash, truncated)));
    if (!base::constant_time_equal(expected.view(), offer->binders[i]))
      return Error(Errc::crypto, "the client's PSK binder does not verify",
                   Alert::decrypt_error);
    psk_index_ = static_cast<uint16_t>(i);
    psk_ = std::make_unique<SessionData>(std::move(*session));
    return ok();
  }
  return ok();  // nothing usable: a full handshake, silently
}

Result<void> Tls13Server::send_tickets(const SecretBytes& resumption_master_secret) {
  int64_t time = now();
  for (unsigned i = 0; i < server_config_.tickets && i < 255; ++i) {
    msgs::NewSessionTicket13 nst;
    nst.ticket_lifetime = server_config_.ticket_lifetime;
    uint8_t age_add[4];
    random(age_add);
    nst.ticket_age_add = static_cast<uint32_t>(age_add[0]) << 24 | age_add[1] << 16 |
                         age_add[2] << 8 | age_add[3];
    nst.ticket_nonce = {static_cast<uint8_t>(i)};
    if (server_config_.max_early_data)
      nst.extensions.push_back(
          {ExtensionType::early_data, msgs::EarlyDataMax{server_config_.max_early_data}});
    TERN_TRY(auto psk, resumption_psk(provider_, suite_info_.hash,
                                      resumption_master_secret.view(), nst.ticket_nonce));
    SessionData session;
    session.version = tls::kTls13;
    session.cipher_suite = static_cast<uint16_t>(negotiated_.suite);
    session.secret = SecretBuffer(psk.view());
    session.created_at = time;
    session.lifetime = nst.ticket_lifetime;
    session.ticket_age_add = nst.ticket_age_add;
    session.server_name = negotiated_.server_name;
    session.alpn = negotiated_.alpn;
    session.peer_chain = negotiated_.peer_chain;
    session.auth = context_->client_auth;
    session.max_early_data = server_config_.max_early_data;
    auto sealed = context_->ticket_keys->seal_session(session, time);
    if (!sealed) return ok();  // e.g. a client chain too large for a ticket: no tickets
    nst.ticket = std::move(*sealed);
    send(nst.encode());
  }
  return ok();
}

Result<void> Tls13Server::hand_over_to_tls12(const msgs::ClientHello& hello,
                                             const msgs::HandshakeMessage& message) {
  if (context_->credentials.empty())
    return Error(Errc::unsupported,
                 "the client offers TLS 1.2 only, and this server has external PSKs only, "
                 "which tern speaks in TLS 1.3",
                 Alert::protocol_version);
  auto next = std::make_unique<Tls12Server>(provider_, server_config_, io_, context_);
  Tls12Server& tls12 = *next;
  successor_ = std::move(next);
  context_.reset();
  return tls12.take_client_hello(hello, message);
}

Result<void> Tls13Server::send_hello_retry_request(const msgs::ClientHello& hello) {
  negotiated_.hello_retry_request = true;
  transcript_.start(suite_info_.hash);
  transcript_.replace_with_message_hash();
  msgs::ServerHello hrr;
  hrr.random = msgs::kHelloRetryRequestRandom;
  hrr.legacy_session_id_echo = hello.legacy_session_id;
  hrr.cipher_suite = negotiated_.suite;
  hrr.extensions.push_back({ExtensionType::supported_versions,
                            msgs::SupportedVersionSelected{msgs::ProtocolVersion::tls13}});
  hrr.extensions.push_back(
      {ExtensionType::key_share, msgs::KeyShareHelloRetryRequest{negotiated_.group}});
  if (ech_ && ech_->accepted()) {
    TERN_TRY(auto encoded, ech_->encode_hello_retry_request(hrr, client_random_, transcript_));
    send(encoded);
  } else {
    send(hrr.encode());
  }
  if (config_.middlebox_compat && !hello.legacy_session_id.empty()) io_.send_change_cipher_spec();
  first_hello_ = std::make_unique<msgs::ClientHello>(hello);
  state_ = State::wait_client_hello_after_retry;
  return ok();
}

Result<crypto::Encapsulation> Tls13Server::answer_key_share(const msgs::KeyShareEntry& share) const {
  auto group = static_cast<crypto::Group>(share.group);
  // Pinned randomness (CommonConfig::key_share_private_key, known-answer tests).
  if (config_.key_share_private_key) {
    Bytes key = config_.key_share_private_key(static_cast<uint16_t>(share.group));
    if (!key.empty()) return provider_.encapsulate_with(group, share.key_exchange, key);
  }
  return provider_.encapsulate(group, share.key_exchange);
}

Result<void> Tls13Server::send_server_flight(const msgs::ClientHello& hello,
                                             const msgs::KeyShareEntry* share) {
  crypto::Encapsulation encapsulated;  // none in psk_ke: the key schedule takes zeros
  if (share) {
    TERN_TRY(encapsulated, answer_key_share(*share));
  }
  msgs::ServerHello sh;
  random(sh.random);
  sh.legacy_session_id_echo = hello.legacy_session_id;
  sh.cipher_suite = negotiated_.suite;
  sh.extensions.push_back({ExtensionType::supported_versions,
                           msgs::SupportedVersionSelected{msgs::ProtocolVersion::tls13}});
  if (share)
    sh.extensions.push_back({ExtensionType::key_share,
                             msgs::KeyShareServerHello{{share->group, encapsulated.ciphertext}}});
  if (psk_)
    sh.extensions.push_back({ExtensionType::pre_shared_key, msgs::PreSharedKeySelected{psk_index_}});
  Bytes sh_encoded = sh.encode();
  if (ech_ && ech_->accepted())
    TERN_CHECK(ech_->confirm_server_hello(sh_encoded, client_random_, transcript_));
  send(sh_encoded);
  if (config_.middlebox_compat && !hello.legacy_session_id.empty() &&
      !negotiated_.hello_retry_request)
    io_.send_change_cipher_spec();

  if (!psk_ || !schedule_) {  // accept_psk left the PSK's early secret in schedule_
    schedule_.emplace(provider_, suite_info_.hash);
    TERN_CHECK(schedule_->start(psk_ ? psk_->secret.view() : BytesView()));
  }
  observe_stage(negotiated_.external_psk ? "early secret (external PSK)"
                : psk_                      ? "early secret (PSK)"
                                            : "early secret");
  TERN_CHECK(schedule_->advance_to_handshake(encapsulated.shared_secret.view()));
  TERN_CHECK(derive_handshake_secrets());
  TERN_CHECK(start_reading_early_data());

  msgs::EncryptedExtensions ee;
  if (negotiated_.early_data == EarlyData::accepted)
    ee.extensions.push_back({ExtensionType::early_data, msgs::EmptyExtension{}});
  if (!negotiated_.server_name.empty())
    ee.extensions.push_back({ExtensionType::server_name, msgs::EmptyExtension{}});
  if (!negotiated_.alpn.empty())
    ee.extensions.push_back({ExtensionType::application_layer_protocol_negotiation,
                             msgs::AlpnProtocols{{negotiated_.alpn}}});
  if (client_sent_record_size_limit_) {
    ee.extensions.push_back(
        {ExtensionType::record_size_limit, msgs::RecordSizeLimit{config_.record_size_limit}});
    io_.set_own_record_size_limit(config_.record_size_limit);
  }
  if (ech_) TERN_CHECK(ech_->add_retry_configs(ee.extensions));
  send(ee.encode());

  if (psk_) {  // resumed: the PSK authenticates both sides (RFC 8446 §2.2)
    negotiated_.resumed = !negotiated_.external_psk;
    negotiated_.peer_chain = std::move(psk_->peer_chain);
    psk_.reset();
    TERN_TRY(auto finished, finished_for(true));
    send(msgs::Finished{Bytes(finished.view().begin(), finished.view().end())}.encode());
    TERN_CHECK(derive_application_secrets());
    TERN_CHECK(io_.set_write_secret(suite_info_, server_app_secret_.view(),
                                    Protection::application_keys));
    state_ = State::wait_finished;
    return ok();
  }
  if (server_config_.client_auth != ServerConfig::ClientAuth::none) {
    msgs::CertificateRequest13 request;
    request.extensions.push_back(
        {ExtensionType::signature_algorithms, msgs::SignatureSchemeList{schemes_}});
    if (auto offer = certificate_compression_.offer(config_.certificate_compression))
      request.extensions.push_back(std::move(*offer));
    if (!context_->client_ca_names.empty())
      request.extensions.push_back({ExtensionType::certificate_authorities,
                                    msgs::CertificateAuthorities{context_->client_ca_names}});
    send(request.encode());
  }

  msgs::Certificate13 certificate;
  for (const Bytes& der : credential_->certified->chain)
    certificate.certificate_list.push_back({der, {}});
  attach_staple(certificate, hello, *credential_->certified);
  TERN_TRY(auto certificate_message,
           certificate_compression_.outgoing(certificate.encode(),
                                             context_->compressed_certificates.get()));
  send(certificate_message);

  Bytes content = certificate_verify_content(true, transcript_.current());
  TERN_TRY(auto signature,
           credential_->key->sign(*tls13_signature_algorithm(negotiated_.scheme), content));
  send(msgs::CertificateVerify{negotiated_.scheme, std::move(signature)}.encode());

  TERN_TRY(auto finished, finished_for(true));
  send(msgs::Finished{Bytes(finished.view().begin(), finished.view().end())}.encode());
  TERN_CHECK(derive_application_secrets());
  TERN_CHECK(
      io_.set_write_secret(suite_info_, server_app_secret_.view(), Protection::application_keys));
  state_ = server_config_.client_auth == ServerConfig::ClientAuth::none
               ? State::wait_finished
               : State::wait_client_certificate;
  return ok();
}

Result<void> Tls13Server::handle_client_certificate(const msgs::HandshakeMessage& message) {
  Bytes decompressed;
  TERN_TRY(auto body, certificate_compression_.certificate_body(message, decompressed));
  TERN_TRY(auto certificate, msgs::Certificate13::parse(body));
  if (!certificate.certificate_request_context.empty())
    return illegal("the client's Certificate has a certificate_request_context tern did not send");
  transcript_.add(message.encoded);
  if (certificate.certificate_list.empty()) {
    if (server_config_.client_auth == ServerConfig::ClientAuth::require)
      return Error(Errc::certificate,
                   "the client sent no certificate, and this server requires one",
                   Alert::certificate_required);
    state_ = State::wait_finished;
    return ok();
  }
  std::vector<BytesView> chain;
  for (const auto& entry : certificate.certificate_list) chain.push_back(entry.cert_data);
  TERN_TRY(client_key_,
           verify_client_chain(chain, server_config_, negotiated_.client_certificate_error));
  if (client_key_)  // null: ClientAuth::optional serves the client as one without a chain
    for (auto& entry : certificate.certificate_list)
    negotiated_.peer_chain.push_back(std::move(entry.cert_data));
  state_ = State::wait_client_certificate_verify;
  return ok();
}

Result<void> Tls13Server::handle_client_certificate_verify(const msgs::HandshakeMessage& message) {
  TERN_TRY(auto verify, msgs::CertificateVerify::parse(message.body()));
  if (!client_key_) {  // a chain ClientAuth::optional did not take: nothing to check against
    transcript_.add(message.encoded);
    state_ = State::wait_finished;
    return ok();
  }
  auto alg = tls13_signature_algorithm(verify.scheme);
  if (!alg || std::find(schemes_.begin(), schemes_.end(), verify.scheme) == schemes_.end())
    return illegal("the client signed with " + msgs::to_string(verify.scheme) +
                   ", which this server did not offer");
  if (!key_fits(verify.scheme, client_key_->type()))
    return illegal("the client signed with " + msgs::to_string(verify.scheme) +
                   ", which does not fit its " + crypto::key_type_name(client_key_->type()) +
                   " key");
  Bytes content = certificate_verify_content(false, transcript_.current());
  if (auto checked = client_key_->verify(*alg, content, verify.signature); !checked)
    return Error(Errc::crypto,
                 "the client's CertificateVerify signature does not verify with its "
                 "certificate's key: " + checked.error().detail,
                 Alert::decrypt_error);
  client_key_.reset();
  transcript_.add(message.encoded);
  state_ = State::wait_finished;
  return ok();
}

Result<void> Tls13Server::handle_finished(const msgs::HandshakeMessage& message) {
  TERN_CHECK(check_peer_finished(message));
  transcript_.add(message.encoded);
  TERN_CHECK(
      io_.set_read_secret(suite_info_, client_app_secret_.view(), Protection::application_keys));
  // Tickets only for clients that can use them (RFC 8446 §4.2.9); after a resumption too,
  // since each ticket is used once.
  SecretBytes resumption_master;
  // None after an external PSK: a ticket would outlive the key's removal from the config.
  bool tickets = context_->ticket_keys && client_psk_dhe_ && server_config_.tickets > 0 &&
                 !negotiated_.external_psk;
  if (tickets) {
    TERN_TRY(resumption_master, schedule_->derive_secret("res master", transcript_.current()));
  }
  credential_ = nullptr;
  state_ = State::connected;
  finish_handshake();
  if (tickets) TERN_CHECK(send_tickets(resumption_master));
  context_.reset();
  // The negotiation lists are handshake state too (an idle connection keeps none).
  std::vector<msgs::CipherSuite>().swap(suites_);
  std::vector<msgs::NamedGroup>().swap(groups_);
  std::vector<msgs::SignatureScheme>().swap(schemes_);
  return ok();
}

}  // namespace tern::handshake
