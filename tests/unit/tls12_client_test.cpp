// SPDX-License-Identifier: Apache-2.0
// The TLS 1.2 client against server flights written out by hand in the test: a scripted
// server builds ServerHello, Certificate, ServerKeyExchange and ServerHelloDone itself,
// computes the keys from its own ECDHE share, checks the client's Finished and answers
// with its own. Each deviation gets the alert RFC 5246, 5746, 7627 and 8422 name for it.
#include <gtest/gtest.h>

#include "handshake/signing.h"
#include "tls12_test_util.h"

namespace tern::testing {
namespace {

using crypto::KeyType;
using msgs::CipherSuite;
using msgs::ExtensionType;
using msgs::HandshakeType;
using msgs::NamedGroup;
using msgs::SignatureScheme;

const crypto::Provider& provider() { return crypto::default_provider(); }

// Client randomness pinned to 0x5a (client random, and the session id of a client that
// offers TLS 1.3 too).
ClientConfig pinned(ClientConfig config) {
  config.random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0x5a); };
  return config;
}

SignatureScheme scheme_for(KeyType key) {
  switch (key) {
    case KeyType::rsa: return SignatureScheme::rsa_pss_rsae_sha256;
    case KeyType::rsa_pss: return SignatureScheme::rsa_pss_pss_sha256;
    case KeyType::ed25519: return SignatureScheme::ed25519;
    case KeyType::ec_p384: return SignatureScheme::ecdsa_secp384r1_sha384;
    default: return SignatureScheme::ecdsa_secp256r1_sha256;
  }
}

CipherSuite suite_for(KeyType key) {
  return key == KeyType::rsa || key == KeyType::rsa_pss
             ? CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256
             : CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256;
}

// A TLS 1.2 server played by the test, one message at a time.
class ScriptedServer {
 public:
  explicit ScriptedServer(ClientConfig config, KeyType key = KeyType::ec_p256)
      : key_type_(key), creds_(test_credentials(key)) {
    config.trust_store = creds_.roots;
    auto client = ClientConnection::create(std::move(config));
    if (!client) throw std::runtime_error(client.error().detail);
    client_ = std::move(*client);
    auto messages = plaintext_handshake_messages(take_output(*client_));
    client_hello_ = messages.at(0);
    hello_ = *msgs::ClientHello::parse(BytesView(client_hello_).subspan(4));
    transcript_ = client_hello_;
    server_random_.fill(0x33);
    auto parsed = provider().parse_private_key(creds_.certified.private_key);
    if (!parsed) throw std::runtime_error(parsed.error().detail);
    key_ = std::move(*parsed);
  }

  ClientConnection& client() { return *client_; }
  const msgs::ClientHello& hello() const { return hello_; }
  const msgs::Random& server_random() const { return server_random_; }
  KeyType key_type() const { return key_type_; }

  msgs::ServerHello server_hello(CipherSuite suite) const {
    msgs::ServerHello sh;
    sh.legacy_version = msgs::ProtocolVersion::tls12;
    sh.random = server_random_;
    sh.cipher_suite = suite;
    sh.extensions.push_back({ExtensionType::renegotiation_info, msgs::RenegotiationInfo{}});
    sh.extensions.push_back({ExtensionType::extended_master_secret, msgs::EmptyExtension{}});
    sh.extensions.push_back({ExtensionType::ec_point_formats,
                             msgs::EcPointFormatList{{msgs::ECPointFormat::uncompressed}}});
    return sh;
  }
  msgs::ServerHello server_hello() const { return server_hello(suite_for(key_type_)); }

  Bytes certificate(KeyType key) const {
    msgs::Certificate12 c;
    c.certificate_list = test_credentials(key).certified.chain;
    return c.encode();
  }
  Bytes certificate() const { return certificate(key_type_); }

  // A ServerKeyExchange with a fresh share for `group`, signed over both randoms.
  msgs::ServerKeyExchangeEcdhe server_key_exchange(NamedGroup group, SignatureScheme scheme) {
    auto share = provider().generate_key_share(static_cast<crypto::Group>(group));
    if (!share) throw std::runtime_error(share.error().detail);
    share_ = std::move(*share);
    msgs::ServerKeyExchangeEcdhe ske;
    ske.group = group;
    BytesView pub = share_->public_key();
    ske.public_key.assign(pub.begin(), pub.end());
    ske.scheme = scheme;
    ske.signature = sign(ske);
    return ske;
  }
  msgs::ServerKeyExchangeEcdhe server_key_exchange() {
    return server_key_exchange(NamedGroup::x25519, scheme_for(key_type_));
  }
  Bytes sign(const msgs::ServerKeyExchangeEcdhe& ske) const {
    Bytes content = concat({hello_.random, server_random_, ske.encode_params()});
    auto signature = key_->sign(*handshake::tls12_signature_algorithm(ske.scheme), content);
    if (!signature) throw std::runtime_error(signature.error().detail);
    return *signature;
  }

  // Sends one handshake message in its own plaintext record; the transcript keeps it
  // unless told otherwise (HelloRequest is not part of it).
  Result<void> send(const Bytes& message, bool in_transcript = true) {
    if (in_transcript) transcript_.insert(transcript_.end(), message.begin(), message.end());
    return client_->feed(handshake_record(message));
  }

  // The usual first flight, as far as `last` (0: ServerHello .. 3: ServerHelloDone).
  Result<void> send_flight(int last = 3) {
    TERN_CHECK(send(server_hello().encode()));
    if (last >= 1) TERN_CHECK(send(certificate()));
    if (last >= 2) TERN_CHECK(send(server_key_exchange().encode()));
    if (last >= 3) TERN_CHECK(send(msgs::ServerHelloDone{}.encode()));
    return ok();
  }

  // After ServerHelloDone: takes the client's ClientKeyExchange, ChangeCipherSpec and
  // Finished, derives the keys from the server's share and checks the client's Finished.
  void take_client_flight() {
    auto records = split_records(take_output(*client_));
    ASSERT_EQ(records.size(), 3u);
    ASSERT_EQ(records[0].type, 22);
    ASSERT_EQ(records[1].type, 20);
    ASSERT_EQ(records[1].fragment, Bytes{1});
    ASSERT_EQ(records[2].type, 22);
    const Bytes& cke = records[0].fragment;
    ASSERT_EQ(cke[0], static_cast<uint8_t>(HandshakeType::client_key_exchange));
    auto parsed = msgs::ClientKeyExchangeEcdhe::parse(BytesView(cke).subspan(4));
    ASSERT_TRUE(parsed);
    auto pre_master = share_->decapsulate(parsed->public_key);
    ASSERT_TRUE(pre_master);
    transcript_.insert(transcript_.end(), cke.begin(), cke.end());
    Bytes session_hash = provider().hash(crypto::Hash::sha256, transcript_);
    auto master = handshake::tls12_master_secret(provider(), crypto::Hash::sha256,
                                                 pre_master->view(), hello_.random,
                                                 server_random_, &session_hash);
    ASSERT_TRUE(master);
    master_ = bytes_of(*master);
    session_.emplace(suite_for(key_type_), master_, hello_.random, server_random_);
    client_cipher_.emplace(session_->cipher(false));
    server_cipher_.emplace(session_->cipher(true));
    auto finished = open_record(*client_cipher_, records[2]);
    ASSERT_TRUE(finished) << "the client's Finished does not open under the derived keys";
    ASSERT_EQ(finished->first, msgs::ContentType::handshake);
    auto expected = handshake::tls12_finished(provider(), crypto::Hash::sha256, master_, false,
                                              provider().hash(crypto::Hash::sha256, transcript_));
    ASSERT_TRUE(expected);
    EXPECT_EQ(finished->second, msgs::Finished{bytes_of(*expected)}.encode());
    transcript_.insert(transcript_.end(), finished->second.begin(), finished->second.end());
  }

  Bytes server_finished_message() const {
    auto verify = handshake::tls12_finished(provider(), crypto::Hash::sha256, master_, true,
                                            provider().hash(crypto::Hash::sha256, transcript_));
    return msgs::Finished{bytes_of(*verify)}.encode();
  }
  Bytes seal(msgs::ContentType type, BytesView data) {
    return seal_record(*server_cipher_, type, data);
  }
  // A record sealed with the server's AES-128-GCM key by hand, with none of the record
  // layer's size checks, at the server cipher's next sequence number (RFC 5288 §3: salt ||
  // explicit nonce; RFC 5246 §6.2.3.3: seq || type || version || length as additional data).
  Bytes seal_unchecked(msgs::ContentType type, BytesView plaintext) const {
    uint64_t seq = server_cipher_->sequence();
    Bytes explicit_nonce(8);
    for (int i = 0; i < 8; ++i) explicit_nonce[i] = static_cast<uint8_t>(seq >> (56 - 8 * i));
    Bytes nonce = concat({session_->keys().server_iv.view(), explicit_nonce});
    Bytes aad = concat({explicit_nonce, Bytes{static_cast<uint8_t>(type), 3, 3,
                                              static_cast<uint8_t>(plaintext.size() >> 8),
                                              static_cast<uint8_t>(plaintext.size())}});
    auto ctx = provider().aead(crypto::Aead::aes128_gcm, session_->keys().server_key.view());
    if (!ctx) throw std::runtime_error(ctx.error().detail);
    Bytes data(plaintext.begin(), plaintext.end());
    Bytes tag(16);
    if (!(*ctx)->seal(nonce, aad, data, tag)) throw std::runtime_error("AEAD seal failed");
    WireRecord rec{static_cast<uint8_t>(type), 0x0303, concat({explicit_nonce, data, tag})};
    return rec.encode();
  }
  std::optional<std::pair<msgs::ContentType, Bytes>> open(const WireRecord& rec) {
    return open_record(*client_cipher_, rec);
  }

  // The whole handshake, untouched.
  void complete() {
    ASSERT_TRUE(send_flight());
    take_client_flight();
    ASSERT_TRUE(client_->feed(concat({plaintext_record(20, Bytes{1}),
                                      seal(msgs::ContentType::handshake,
                                           server_finished_message())})));
    ASSERT_TRUE(client_->handshake_done());
  }

 private:
  KeyType key_type_;
  const TestCredentials& creds_;
  std::unique_ptr<ClientConnection> client_;
  Bytes client_hello_;
  msgs::ClientHello hello_;
  Bytes transcript_;
  msgs::Random server_random_;
  std::unique_ptr<crypto::PrivateKey> key_;
  std::unique_ptr<crypto::KeyShare> share_;
  Bytes master_;
  std::optional<Tls12Session> session_;
  std::optional<record::Cipher> client_cipher_, server_cipher_;
};

// The alert a failed feed carries, after checking the client closed and queued it.
Alert alert_of(const Result<void>& fed, ClientConnection& client) {
  if (fed) return Alert::none;
  EXPECT_TRUE(client.closed());
  EXPECT_FALSE(fed.error().detail.empty());
  auto records = split_records(client.pending_output());
  if (!records.empty() && records.back().type == 21 && records.back().fragment.size() == 2) {
    EXPECT_EQ(records.back().fragment[1], static_cast<uint8_t>(fed.error().alert));
  }
  return fed.error().alert;
}

// ---- the scripted handshake itself ----

TEST(Tls12Client, CompletesAgainstAScriptedServer) {
  for (KeyType key : {KeyType::ec_p256, KeyType::ec_p384, KeyType::ed25519, KeyType::rsa,
                      KeyType::rsa_pss}) {
    for (bool offers_tls13 : {false, true}) {
      ClientConfig cc = pinned(offers_tls13 ? test_client_config(key) : tls12_client_config(key));
      ScriptedServer server(cc, key);
      server.complete();
      ClientConnection& client = server.client();
      EXPECT_EQ(client.version(), tls::kTls12);
      EXPECT_EQ(client.cipher_suite(), static_cast<uint16_t>(suite_for(key)));
      EXPECT_EQ(client.group(), tls::kX25519);
      EXPECT_EQ(client.signature_scheme(), static_cast<uint16_t>(scheme_for(key)));
      EXPECT_TRUE(client.extended_master_secret());

      // Application data both ways under the derived keys (sequence number 1 each way).
      ASSERT_TRUE(client.write(as_bytes("from the client")));
      auto records = split_records(take_output(client));
      ASSERT_EQ(records.size(), 1u);
      auto opened = server.open(records[0]);
      ASSERT_TRUE(opened) << crypto::key_type_name(key);
      EXPECT_EQ(opened->first, msgs::ContentType::application_data);
      EXPECT_EQ(as_chars(opened->second), "from the client");
      ASSERT_TRUE(client.feed(server.seal(msgs::ContentType::application_data,
                                          as_bytes("from the server"))));
      EXPECT_EQ(read_all(client), "from the server");
    }
  }
}

// ---- the ServerHello ----

TEST(Tls12Client, UnofferedSuiteIsIllegalParameter) {
  for (uint16_t suite : {0xC009, 0xC013, 0x002F, 0x1301, 0x009C, 0x0000}) {
    ScriptedServer server(pinned(tls12_client_config()));
    auto fed = server.send(server.server_hello(static_cast<CipherSuite>(suite)).encode());
    EXPECT_EQ(alert_of(fed, server.client()), Alert::illegal_parameter) << std::hex << suite;
  }
}

TEST(Tls12Client, CompressionIsIllegalParameter) {
  ScriptedServer server(pinned(tls12_client_config()));
  msgs::ServerHello sh = server.server_hello();
  sh.legacy_compression_method = 1;
  EXPECT_EQ(alert_of(server.send(sh.encode()), server.client()), Alert::illegal_parameter);
}

TEST(Tls12Client, UnofferedExtensionIsUnsupportedExtension) {
  const struct {
    const char* what;
    msgs::Extension ext;
  } cases[] = {
      {"session_ticket", {ExtensionType::session_ticket, msgs::SessionTicketExtension{}}},
      {"status_request", {ExtensionType::status_request, msgs::EmptyExtension{}}},
      {"record_size_limit", {ExtensionType::record_size_limit, msgs::RecordSizeLimit{1024}}},
      {"encrypt_then_mac", {ExtensionType::encrypt_then_mac, msgs::RawExtension{}}},
      {"heartbeat", {ExtensionType::heartbeat, msgs::RawExtension{{1}}}},
      {"signed_certificate_timestamp",
       {ExtensionType::signed_certificate_timestamp, msgs::RawExtension{}}},
      {"an unknown type", {static_cast<ExtensionType>(0x7777), msgs::RawExtension{{1, 2}}}},
  };
  for (const auto& c : cases) {
    ClientConfig config = tls12_client_config();
    config.request_ocsp = false;  // status_request is offered by default
    ScriptedServer server(pinned(config));
    msgs::ServerHello sh = server.server_hello();
    sh.extensions.push_back(c.ext);
    EXPECT_EQ(alert_of(server.send(sh.encode()), server.client()), Alert::unsupported_extension)
        << c.what;
  }
}

// RFC 5746 §3.4: a client that sent renegotiation_info requires it back, empty.
TEST(Tls12Client, MissingRenegotiationInfoIsHandshakeFailure) {
  ScriptedServer server(pinned(tls12_client_config()));
  msgs::ServerHello sh = server.server_hello();
  std::erase_if(sh.extensions, [](const msgs::Extension& e) {
    return e.type == ExtensionType::renegotiation_info;
  });
  EXPECT_EQ(alert_of(server.send(sh.encode()), server.client()), Alert::handshake_failure);
}

TEST(Tls12Client, NonEmptyRenegotiationInfoIsHandshakeFailure) {
  ScriptedServer server(pinned(tls12_client_config()));
  msgs::ServerHello sh = server.server_hello();
  for (auto& e : sh.extensions)
    if (e.type == ExtensionType::renegotiation_info) e.body = msgs::RenegotiationInfo{Bytes(24, 1)};
  EXPECT_EQ(alert_of(server.send(sh.encode()), server.client()), Alert::handshake_failure);
}

// RFC 7627 §5.2 leaves it to the client; tern refuses unless allowed.
TEST(Tls12Client, MissingEmsIsHandshakeFailureUnlessAllowed) {
  auto without_ems = [](const ScriptedServer& server) {
    msgs::ServerHello sh = server.server_hello();
    std::erase_if(sh.extensions, [](const msgs::Extension& e) {
      return e.type == ExtensionType::extended_master_secret;
    });
    return sh.encode();
  };
  ScriptedServer strict(pinned(tls12_client_config()));
  auto fed = strict.send(without_ems(strict));
  EXPECT_EQ(alert_of(fed, strict.client()), Alert::handshake_failure);
  EXPECT_NE(fed.error().detail.find("extended master secret"), std::string::npos);

  ClientConfig lenient = pinned(tls12_client_config());
  lenient.allow_no_extended_master_secret = true;
  ScriptedServer server(lenient);
  ASSERT_TRUE(server.send(without_ems(server)));
  ASSERT_TRUE(server.send(server.certificate()));  // and the handshake goes on
  EXPECT_FALSE(server.client().closed());
}

TEST(Tls12Client, PointFormatsWithoutUncompressedIsIllegalParameter) {
  ScriptedServer server(pinned(tls12_client_config()));
  msgs::ServerHello sh = server.server_hello();
  for (auto& e : sh.extensions)
    if (e.type == ExtensionType::ec_point_formats)
      e.body = msgs::EcPointFormatList{{msgs::ECPointFormat::ansiX962_compressed_prime}};
  EXPECT_EQ(alert_of(server.send(sh.encode()), server.client()), Alert::illegal_parameter);
}

TEST(Tls12Client, AlpnNotOfferedIsRefused) {
  ClientConfig cc = pinned(tls12_client_config());
  cc.alpn = {"http/1.1"};
  ScriptedServer server(cc);
  msgs::ServerHello sh = server.server_hello();
  sh.extensions.push_back(
      {ExtensionType::application_layer_protocol_negotiation, msgs::AlpnProtocols{{"h2"}}});
  EXPECT_NE(alert_of(server.send(sh.encode()), server.client()), Alert::none);
}

// RFC 5246 §7.4.1.4: an extension the client did not request is unsupported_extension.
TEST(Tls12Client, UnsolicitedServerNameIsUnsupportedExtension) {
  for (const char* name : {"", "127.0.0.1"}) {  // no SNI: none at all, or an IP literal
    ClientConfig cc = pinned(tls12_client_config());
    cc.server_name = name;
    ScriptedServer server(cc);
    ASSERT_FALSE(server.hello().find(ExtensionType::server_name)) << name;
    msgs::ServerHello sh = server.server_hello();
    sh.extensions.push_back({ExtensionType::server_name, msgs::EmptyExtension{}});
    EXPECT_EQ(alert_of(server.send(sh.encode()), server.client()), Alert::unsupported_extension)
        << "server_name \"" << name << "\"";
  }
  // Acknowledging the SNI the client did send is fine.
  ScriptedServer server(pinned(tls12_client_config()));
  msgs::ServerHello sh = server.server_hello();
  sh.extensions.push_back({ExtensionType::server_name, msgs::EmptyExtension{}});
  EXPECT_EQ(alert_of(server.send(sh.encode()), server.client()), Alert::none);
}

TEST(Tls12Client, UnsolicitedAlpnIsUnsupportedExtension) {
  ScriptedServer server(pinned(tls12_client_config()));  // offers no ALPN
  ASSERT_FALSE(server.hello().find(ExtensionType::application_layer_protocol_negotiation));
  msgs::ServerHello sh = server.server_hello();
  sh.extensions.push_back(
      {ExtensionType::application_layer_protocol_negotiation, msgs::AlpnProtocols{{"h2"}}});
  EXPECT_EQ(alert_of(server.send(sh.encode()), server.client()), Alert::unsupported_extension);
}

TEST(Tls12Client, EchoedSessionIdIsIllegalParameter) {
  // A client that offers TLS 1.3 sends a 32-byte legacy_session_id (middlebox
  // compatibility); a TLS 1.2 server echoing it claims to resume a session never offered.
  ScriptedServer server(pinned(test_client_config()));
  ASSERT_EQ(server.hello().legacy_session_id, Bytes(32, 0x5a));
  msgs::ServerHello sh = server.server_hello();
  sh.legacy_session_id_echo = server.hello().legacy_session_id;
  EXPECT_EQ(alert_of(server.send(sh.encode()), server.client()), Alert::illegal_parameter);
}

TEST(Tls12Client, NewSessionIdIsFine) {
  // A TLS 1.2 server names a fresh session in its ServerHello: that is not resumption.
  ScriptedServer server(pinned(test_client_config()));
  msgs::ServerHello sh = server.server_hello();
  sh.legacy_session_id_echo = Bytes(32, 0x77);
  EXPECT_EQ(alert_of(server.send(sh.encode()), server.client()), Alert::none);
}

TEST(Tls12Client, OldServerVersionIsProtocolVersion) {
  ScriptedServer server(pinned(tls12_client_config()));
  msgs::ServerHello sh = server.server_hello();
  sh.legacy_version = msgs::ProtocolVersion::tls11;
  EXPECT_EQ(alert_of(server.send(sh.encode()), server.client()), Alert::protocol_version);

  ClientConfig only13 = pinned(test_client_config());
  only13.min_version = tls::kTls13;
  ScriptedServer server13(only13);
  EXPECT_EQ(alert_of(server13.send(server13.server_hello().encode()), server13.client()),
            Alert::protocol_version);
}

// ---- Certificate and ServerKeyExchange ----

TEST(Tls12Client, CertificateThatDoesNotFitTheSuiteIsUnsupportedCertificate) {
  const struct {
    KeyType cert;
    CipherSuite suite;
  } cases[] = {
      {KeyType::rsa, CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256},
      {KeyType::rsa_pss, CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384},
      {KeyType::ec_p256, CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256},
      {KeyType::ed25519, CipherSuite::tls_ecdhe_rsa_with_chacha20_poly1305_sha256},
  };
  for (const auto& c : cases) {
    ScriptedServer server(pinned(tls12_client_config(c.cert)), c.cert);  // chain verifies
    ASSERT_TRUE(server.send(server.server_hello(c.suite).encode()));
    EXPECT_EQ(alert_of(server.send(server.certificate()), server.client()),
              Alert::unsupported_certificate)
        << crypto::key_type_name(c.cert);
  }
}

TEST(Tls12Client, EmptyCertificateIsRefused) {
  ScriptedServer server(pinned(tls12_client_config()));
  ASSERT_TRUE(server.send(server.server_hello().encode()));
  EXPECT_EQ(alert_of(server.send(msgs::Certificate12{}.encode()), server.client()),
            Alert::decode_error);
}

TEST(Tls12Client, UntrustedCertificateIsRefused) {
  ClientConfig cc = pinned(tls12_client_config());
  ScriptedServer server(cc);
  ASSERT_TRUE(server.send(server.server_hello().encode()));
  // Another PKI's chain of the right key type.
  msgs::Certificate12 other;
  x509::TestPkiOptions options;
  options.root_name = "CN=someone else";
  auto pki = x509::make_test_pki(options);
  ASSERT_TRUE(pki);
  other.certificate_list = {pki->leaf.der, pki->intermediate.der};
  auto fed = server.send(other.encode());
  EXPECT_NE(alert_of(fed, server.client()), Alert::none);
  EXPECT_EQ(fed.error().code, Errc::certificate);
}

TEST(Tls12Client, KeyExchangeForAGroupNotOfferedIsIllegalParameter) {
  for (NamedGroup group : {NamedGroup::secp256r1, NamedGroup::secp384r1}) {
    ClientConfig cc = pinned(tls12_client_config());
    cc.groups = {tls::kX25519};
    ScriptedServer server(cc);
    ASSERT_TRUE(server.send_flight(1));
    auto ske = server.server_key_exchange(group, SignatureScheme::ecdsa_secp256r1_sha256);
    EXPECT_EQ(alert_of(server.send(ske.encode()), server.client()), Alert::illegal_parameter)
        << msgs::to_string(group);
  }
  // A group tern never offers, in a raw ServerKeyExchange.
  ScriptedServer server(pinned(tls12_client_config()));
  ASSERT_TRUE(server.send_flight(1));
  msgs::ServerKeyExchangeEcdhe ske = server.server_key_exchange();
  ske.group = NamedGroup::secp521r1;
  ske.signature = server.sign(ske);
  EXPECT_EQ(alert_of(server.send(ske.encode()), server.client()), Alert::illegal_parameter);
}

TEST(Tls12Client, BadKeyExchangeSignatureIsDecryptError) {
  for (KeyType key : {KeyType::ec_p256, KeyType::rsa, KeyType::ed25519}) {
    for (int how = 0; how < 3; ++how) {
      ScriptedServer server(pinned(tls12_client_config(key)), key);
      ASSERT_TRUE(server.send_flight(1));
      msgs::ServerKeyExchangeEcdhe ske = server.server_key_exchange();
      if (how == 0) ske.signature.back() ^= 1;              // a flipped bit
      if (how == 1) ske.public_key[5] ^= 1;                 // the signed share changed
      if (how == 2) ske.signature = Bytes(ske.signature.size(), 0x30);  // junk
      EXPECT_EQ(alert_of(server.send(ske.encode()), server.client()), Alert::decrypt_error)
          << crypto::key_type_name(key) << " case " << how;
    }
  }
}

TEST(Tls12Client, KeyExchangeSignatureSchemeMustBeOfferedAndFitTheKey) {
  const struct {
    KeyType key;
    SignatureScheme scheme;
  } cases[] = {
      {KeyType::ec_p256, SignatureScheme::ecdsa_sha1},        // not offered
      {KeyType::rsa, SignatureScheme::rsa_pkcs1_sha1},        // not offered
      {KeyType::ec_p256, SignatureScheme::rsa_pss_rsae_sha256},  // not the key's
      {KeyType::rsa, SignatureScheme::ecdsa_secp256r1_sha256},  // not the key's
      {KeyType::rsa, SignatureScheme::rsa_pss_pss_sha256},      // rsaEncryption key
      {KeyType::ed25519, SignatureScheme::ecdsa_secp256r1_sha256},
  };
  for (const auto& c : cases) {
    ScriptedServer server(pinned(tls12_client_config(c.key)), c.key);
    ASSERT_TRUE(server.send_flight(1));
    msgs::ServerKeyExchangeEcdhe ske = server.server_key_exchange();
    ske.scheme = c.scheme;  // the signature is the key's own, under its own scheme
    EXPECT_EQ(alert_of(server.send(ske.encode()), server.client()), Alert::illegal_parameter)
        << crypto::key_type_name(c.key) << " " << msgs::to_string(c.scheme);
  }
}

TEST(Tls12Client, InvalidServerShareIsIllegalParameter) {
  ScriptedServer server(pinned(tls12_client_config()));
  ASSERT_TRUE(server.send_flight(1));
  msgs::ServerKeyExchangeEcdhe ske = server.server_key_exchange();
  ske.public_key = Bytes(32, 0);  // X25519 low-order point: an all-zero shared secret
  ske.signature = server.sign(ske);
  ASSERT_TRUE(server.send(ske.encode()));
  EXPECT_EQ(alert_of(server.send(msgs::ServerHelloDone{}.encode()), server.client()),
            Alert::illegal_parameter);
}

TEST(Tls12Client, MalformedServerKeyExchangeIsRefused) {
  ScriptedServer server(pinned(tls12_client_config()));
  ASSERT_TRUE(server.send_flight(1));
  Bytes ske = server.server_key_exchange().encode();
  ske[4] = 1;  // curve_type explicit_prime
  EXPECT_EQ(alert_of(server.send(ske), server.client()), Alert::illegal_parameter);

  ScriptedServer server2(pinned(tls12_client_config()));
  ASSERT_TRUE(server2.send_flight(1));
  Bytes body = server2.server_key_exchange().encode();
  body.push_back(0);
  body[3] = static_cast<uint8_t>(body[3] + 1);  // one trailing byte, length adjusted
  EXPECT_EQ(alert_of(server2.send(body), server2.client()), Alert::decode_error);
}

// ---- message order ----

TEST(Tls12Client, MessagesOutOfOrderAreUnexpected) {
  const struct {
    const char* what;
    int flight;  // messages of the usual flight sent first
    std::function<Bytes(ScriptedServer&)> message;
  } cases[] = {
      {"ServerHelloDone before Certificate", 0,
       [](ScriptedServer&) { return msgs::ServerHelloDone{}.encode(); }},
      {"ServerKeyExchange before Certificate", 0,
       [](ScriptedServer& s) { return s.server_key_exchange().encode(); }},
      {"ServerHelloDone before ServerKeyExchange", 1,
       [](ScriptedServer&) { return msgs::ServerHelloDone{}.encode(); }},
      {"second ServerHello", 1, [](ScriptedServer& s) { return s.server_hello().encode(); }},
      {"second Certificate", 2, [](ScriptedServer& s) { return s.certificate(); }},
      {"Finished before ServerHelloDone", 2,
       [](ScriptedServer&) { return msgs::Finished{Bytes(12, 0)}.encode(); }},
      {"Finished before ChangeCipherSpec", 3,
       [](ScriptedServer&) { return msgs::Finished{Bytes(12, 0)}.encode(); }},
      {"NewSessionTicket (not offered)", 3,
       [](ScriptedServer&) { return msgs::NewSessionTicket12{7200, Bytes(16, 1)}.encode(); }},
      {"ClientKeyExchange from the server", 2,
       [](ScriptedServer&) { return msgs::ClientKeyExchangeEcdhe{Bytes(32, 9)}.encode(); }},
  };
  for (const auto& c : cases) {
    ScriptedServer server(pinned(tls12_client_config()));
    ASSERT_TRUE(server.send_flight(c.flight)) << c.what;
    EXPECT_EQ(alert_of(server.send(c.message(server)), server.client()),
              Alert::unexpected_message)
        << c.what;
  }
}

TEST(Tls12Client, ChangeCipherSpecBeforeServerHelloDoneIsUnexpected) {
  for (int flight : {0, 1, 2}) {
    ScriptedServer server(pinned(tls12_client_config()));
    ASSERT_TRUE(server.send_flight(flight));
    EXPECT_EQ(alert_of(server.client().feed(plaintext_record(20, Bytes{1})), server.client()),
              Alert::unexpected_message)
        << flight;
  }
}

TEST(Tls12Client, KeyTransportSuiteHasNoServerKeyExchange) {
  ClientConfig cc = pinned(tls12_client_config(KeyType::rsa));
  cc.legacy_rsa_key_exchange = true;
  ScriptedServer server(cc, KeyType::rsa);
  ASSERT_TRUE(server.send(server.server_hello(CipherSuite::tls_rsa_with_aes_128_gcm_sha256).encode()));
  ASSERT_TRUE(server.send(server.certificate()));
  EXPECT_EQ(alert_of(server.send(server.server_key_exchange().encode()), server.client()),
            Alert::unexpected_message);
}

// RFC 5246 §7.4.4, §7.4.6: a CertificateRequest is answered with an empty Certificate
// (tern has no client certificates) ahead of the ClientKeyExchange.
TEST(Tls12Client, CertificateRequestGetsAnEmptyCertificate) {
  ScriptedServer server(pinned(tls12_client_config()));
  ASSERT_TRUE(server.send_flight(2));
  msgs::CertificateRequest12 request;
  request.certificate_types = {msgs::CertificateType::ecdsa_sign};
  request.signature_schemes = {SignatureScheme::ecdsa_secp256r1_sha256};
  ASSERT_TRUE(server.send(request.encode()));
  ASSERT_TRUE(server.send(msgs::ServerHelloDone{}.encode()));
  auto messages = plaintext_handshake_messages(server.client().pending_output());
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0], msgs::Certificate12{}.encode());
  EXPECT_EQ(messages[1][0], static_cast<uint8_t>(HandshakeType::client_key_exchange));

  // A second CertificateRequest is one too many.
  ScriptedServer twice(pinned(tls12_client_config()));
  ASSERT_TRUE(twice.send_flight(2));
  ASSERT_TRUE(twice.send(request.encode()));
  EXPECT_EQ(alert_of(twice.send(request.encode()), twice.client()), Alert::unexpected_message);
}

// ---- HelloRequest while negotiating (RFC 5246 §7.4.1.1, §7.4.1.2, §7.4.9) ----

TEST(Tls12Client, HelloRequestWhileNegotiatingIsIgnored) {
  for (int after : {-1, 0, 1, 2, 3}) {  // -1: before the ServerHello
    for (bool offers_tls13 : {false, true}) {
      ScriptedServer server(pinned(offers_tls13 ? test_client_config() : tls12_client_config()));
      if (after >= 0) {
        ASSERT_TRUE(server.send_flight(after));
      }
      // Not part of the handshake hashes: the Finished checks below would fail otherwise.
      auto fed = server.send(msgs::HelloRequest{}.encode(), false);
      ASSERT_TRUE(fed) << "after message " << after << (offers_tls13 ? " (1.2+1.3)" : "") << ": "
                       << fed.error();
      if (after < 0) {
        ASSERT_TRUE(server.send_flight());
      } else {
        if (after < 1) {
          ASSERT_TRUE(server.send(server.certificate()));
        }
        if (after < 2) {
          ASSERT_TRUE(server.send(server.server_key_exchange().encode()));
        }
        if (after < 3) {
          ASSERT_TRUE(server.send(msgs::ServerHelloDone{}.encode()));
        }
      }
      server.take_client_flight();
      ASSERT_TRUE(server.client().feed(concat(
          {plaintext_record(20, Bytes{1}),
           server.seal(msgs::ContentType::handshake, server.server_finished_message())})));
      EXPECT_TRUE(server.client().handshake_done()) << after;
    }
  }
}

TEST(Tls12Client, MalformedHelloRequestIsDecodeError) {
  ScriptedServer server(pinned(tls12_client_config()));
  ASSERT_TRUE(server.send_flight(1));
  EXPECT_EQ(alert_of(server.client().feed(handshake_record(msgs::frame_handshake(
                         HandshakeType::hello_request, Bytes{0}))),
                     server.client()),
            Alert::decode_error);
}

TEST(Tls12Client, HelloRequestToATls13OnlyClientIsUnexpected) {
  ClientConfig only13 = pinned(test_client_config());
  only13.min_version = tls::kTls13;
  ScriptedServer server(only13);
  EXPECT_EQ(alert_of(server.send(msgs::HelloRequest{}.encode(), false), server.client()),
            Alert::unexpected_message);
}

// ---- the server's Finished ----

TEST(Tls12Client, ServerFinishedChecks) {
  struct {
    const char* what;
    std::function<Bytes(ScriptedServer&)> records;
    Alert alert;
  } cases[] = {
      {"wrong contents",
       [](ScriptedServer& s) {
         return concat({plaintext_record(20, Bytes{1}),
                        s.seal(msgs::ContentType::handshake, msgs::Finished{Bytes(12, 9)}.encode())});
       },
       Alert::decrypt_error},
      {"11 bytes",
       [](ScriptedServer& s) {
         return concat({plaintext_record(20, Bytes{1}),
                        s.seal(msgs::ContentType::handshake, msgs::Finished{Bytes(11, 9)}.encode())});
       },
       Alert::decode_error},
      {"13 bytes",
       [](ScriptedServer& s) {
         return concat({plaintext_record(20, Bytes{1}),
                        s.seal(msgs::ContentType::handshake, msgs::Finished{Bytes(13, 9)}.encode())});
       },
       Alert::decode_error},
      {"not sealed",
       [](ScriptedServer& s) {
         return concat({plaintext_record(20, Bytes{1}), handshake_record(s.server_finished_message())});
       },
       Alert::bad_record_mac},
      {"two ChangeCipherSpecs",
       [](ScriptedServer&) {
         return concat({plaintext_record(20, Bytes{1}), plaintext_record(20, Bytes{1})});
       },
       Alert::unexpected_message},
      {"sealed application data instead",
       [](ScriptedServer& s) {
         return concat({plaintext_record(20, Bytes{1}),
                        s.seal(msgs::ContentType::application_data, as_bytes("early"))});
       },
       Alert::unexpected_message},
  };
  for (auto& c : cases) {
    ScriptedServer server(pinned(tls12_client_config()));
    ASSERT_TRUE(server.send_flight());
    server.take_client_flight();
    EXPECT_EQ(alert_of(server.client().feed(c.records(server)), server.client()), c.alert)
        << c.what;
    EXPECT_FALSE(server.client().handshake_done()) << c.what;
  }
}

// ---- after the handshake ----

// The warning the client answers a HelloRequest with, opened with its keys: exactly
// level warning(1), no_renegotiation(100).
TEST(Tls12Client, HelloRequestAfterTheHandshakeGetsWarningNoRenegotiation) {
  ScriptedServer server(pinned(tls12_client_config()));
  server.complete();
  ASSERT_TRUE(server.client().feed(
      server.seal(msgs::ContentType::handshake, msgs::HelloRequest{}.encode())));
  auto records = split_records(take_output(server.client()));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].type, 21);
  auto opened = server.open(records[0]);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->first, msgs::ContentType::alert);
  EXPECT_EQ(opened->second, (Bytes{1, 100}));
  // Still usable both ways.
  ASSERT_TRUE(server.client().write(as_bytes("on")));
  auto data = server.open(split_records(take_output(server.client())).at(0));
  ASSERT_TRUE(data);
  EXPECT_EQ(as_chars(data->second), "on");
  ASSERT_TRUE(server.client().feed(server.seal(msgs::ContentType::application_data, as_bytes("ok"))));
  EXPECT_EQ(read_all(server.client()), "ok");
}

// RFC 5246 §6.2.3: TLSCiphertext.length at most 2^14 + 2048, plaintext at most 2^14.
TEST(Tls12Client, OversizedRecordsAreRecordOverflow) {
  {
    ScriptedServer server(pinned(tls12_client_config()));
    server.complete();
    // The hand sealing agrees with the record layer's for a full record.
    ASSERT_TRUE(server.client().feed(server.seal_unchecked(msgs::ContentType::application_data,
                                                           Bytes(16384, 'x'))));
    EXPECT_EQ(read_all(server.client()).size(), 16384u);
  }
  {
    ScriptedServer server(pinned(tls12_client_config()));
    server.complete();
    auto fed = server.client().feed(
        server.seal_unchecked(msgs::ContentType::application_data, Bytes(16385, 'x')));
    EXPECT_EQ(alert_of(fed, server.client()), Alert::record_overflow);
  }
  {
    ScriptedServer server(pinned(tls12_client_config()));
    server.complete();
    WireRecord huge{23, 0x0303, Bytes(16384 + 2048 + 1, 0)};
    EXPECT_EQ(alert_of(server.client().feed(huge.encode()), server.client()),
              Alert::record_overflow);
  }
}

TEST(Tls12Client, ServerWarningAlertsLeaveTheConnectionOpen) {
  ScriptedServer server(pinned(tls12_client_config()));
  server.complete();
  const Bytes unrecognized_name = {1, 112};
  ASSERT_TRUE(server.client().feed(server.seal(msgs::ContentType::alert, unrecognized_name)));
  EXPECT_FALSE(server.client().closed());
  const Bytes close_notify = {1, 0};
  ASSERT_TRUE(server.client().feed(server.seal(msgs::ContentType::alert, close_notify)));
  EXPECT_TRUE(server.client().peer_closed());
}

TEST(Tls12Client, FatalAlertFromTheServerEndsTheHandshake) {
  ScriptedServer server(pinned(tls12_client_config()));
  ASSERT_TRUE(server.send_flight(1));
  auto fed = server.client().feed(plaintext_record(21, Bytes{2, 40}));
  ASSERT_FALSE(fed);
  EXPECT_TRUE(server.client().closed());
  EXPECT_NE(fed.error().detail.find("handshake_failure"), std::string::npos);
}

}  // namespace
}  // namespace tern::testing
