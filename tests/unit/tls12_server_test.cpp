// SPDX-License-Identifier: Apache-2.0
// The TLS 1.2 server state machine against hand-made ClientHellos and misbehaving clients:
// each violation gets the alert RFC 5246, 5746, 7627 and 8422 name for it, never a crash or
// a hang; and RSA key transport answers every kind of bad ClientKeyExchange exactly as it
// answers a good one whose Finished is wrong (no Bleichenbacher oracle).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "tls12_test_util.h"

namespace tern::testing {
namespace {

using crypto::KeyType;
using msgs::CipherSuite;
using msgs::ExtensionType;

// What a TLS 1.2-only tern client sends first, parsed, to mutate.
msgs::ClientHello tls12_hello(ClientConfig config = tls12_client_config()) {
  auto client = ClientConnection::create(std::move(config));
  if (!client) throw std::runtime_error(client.error().detail);
  return parse_client_hello((*client)->pending_output());
}

std::unique_ptr<ServerConnection> new_server(
    std::shared_ptr<const ServerConfig> config = tls12_server_config()) {
  auto server = ServerConnection::create(std::move(config));
  if (!server) throw std::runtime_error(server.error().detail);
  return std::move(*server);
}

// Feeds `bytes`; the alert the server failed with (Alert::none if it did not fail), after
// checking that the failure closed the connection and, while the server still writes in
// plaintext, that this alert is what went on the wire.
Alert alert_for(BytesView bytes, Connection& server) {
  auto fed = server.feed(bytes);
  if (fed) return Alert::none;
  EXPECT_TRUE(server.closed());
  EXPECT_FALSE(fed.error().detail.empty());
  auto records = split_records(server.pending_output());
  EXPECT_FALSE(records.empty());
  if (!records.empty() && records.back().type == 21 && records.back().fragment.size() == 2) {
    EXPECT_EQ(records.back().fragment[0], 2);  // fatal
    EXPECT_EQ(records.back().fragment[1], static_cast<uint8_t>(fed.error().alert));
  }
  return fed.error().alert;
}

Alert alert_for_hello(const msgs::ClientHello& hello,
                      std::shared_ptr<const ServerConfig> config = tls12_server_config()) {
  auto server = new_server(std::move(config));
  return alert_for(handshake_record(hello.encode()), *server);
}

msgs::Extension* find(msgs::ClientHello& hello, ExtensionType type) {
  for (auto& ext : hello.extensions)
    if (ext.type == type) return &ext;
  return nullptr;
}

void remove(msgs::ClientHello& hello, ExtensionType type) {
  std::erase_if(hello.extensions, [&](const msgs::Extension& e) { return e.type == type; });
}

// The server's answer to a ClientHello that it accepts.
msgs::ServerHello server_hello_for(const msgs::ClientHello& hello,
                                   std::shared_ptr<const ServerConfig> config = tls12_server_config()) {
  auto server = new_server(std::move(config));
  auto fed = server->feed(handshake_record(hello.encode()));
  if (!fed) throw std::runtime_error("server refused: " + fed.error().detail);
  return parse_server_hello(server->pending_output());
}

// ---- the ClientHello ----

TEST(Tls12Server, RealTls12HelloGetsAFullServerFlight) {
  auto server = new_server();
  ASSERT_EQ(alert_for(handshake_record(tls12_hello().encode()), *server), Alert::none);
  auto messages = plaintext_handshake_messages(server->pending_output());
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0][0], 2);   // ServerHello
  EXPECT_EQ(messages[1][0], 11);  // Certificate
  EXPECT_EQ(messages[2][0], 12);  // ServerKeyExchange
  EXPECT_EQ(messages[3][0], 14);  // ServerHelloDone
  EXPECT_EQ(messages[3].size(), 4u);
  msgs::ServerHello hello = parse_server_hello(server->pending_output());
  EXPECT_EQ(hello.legacy_version, msgs::ProtocolVersion::tls12);
  EXPECT_EQ(hello.cipher_suite, CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256);
  EXPECT_EQ(hello.legacy_compression_method, 0);
  // A new session ID for the server's session cache (the client asked for no ticket).
  EXPECT_EQ(hello.legacy_session_id_echo.size(), 32u);
  EXPECT_FALSE(hello.find(ExtensionType::supported_versions));
  auto* reneg = hello.get<msgs::RenegotiationInfo>(ExtensionType::renegotiation_info);
  ASSERT_TRUE(reneg);
  EXPECT_TRUE(reneg->renegotiated_connection.empty());
  EXPECT_TRUE(hello.find(ExtensionType::extended_master_secret));
  EXPECT_TRUE(hello.find(ExtensionType::server_name));
  auto* formats = hello.get<msgs::EcPointFormatList>(ExtensionType::ec_point_formats);
  ASSERT_TRUE(formats);
  EXPECT_EQ(formats->formats, std::vector<msgs::ECPointFormat>{msgs::ECPointFormat::uncompressed});
}

TEST(Tls12Server, HelloWithoutNullCompressionIsIllegalParameter) {
  auto hello = tls12_hello();
  hello.legacy_compression_methods = {1};
  EXPECT_EQ(alert_for_hello(hello), Alert::illegal_parameter);
  hello.legacy_compression_methods = {1, 64, 0};  // null among others: fine in TLS 1.2
  EXPECT_EQ(alert_for_hello(hello), Alert::none);
  EXPECT_EQ(server_hello_for(hello).legacy_compression_method, 0);
  // Through a TLS 1.3-capable server too.
  hello.legacy_compression_methods = {1};
  EXPECT_EQ(alert_for_hello(hello, test_server_config()), Alert::illegal_parameter);
}

TEST(Tls12Server, OnlyObsoleteSuitesIsHandshakeFailure) {
  const struct {
    const char* what;
    std::vector<uint16_t> suites;
  } cases[] = {
      {"CBC", {0xC009, 0xC013, 0xC023, 0xC027, 0x002F, 0x0035, 0x003C}},
      {"RC4", {0xC007, 0xC011, 0x0005, 0x0004}},
      {"3DES", {0xC008, 0xC012, 0x000A}},
      {"export", {0x0003, 0x0006, 0x0008, 0x0014}},
      {"anonymous", {0x0018, 0x001B, 0x00A6, 0xC018, 0xC019}},
      {"NULL", {0x0000, 0x003B, 0xC006, 0xC010}},
      {"TLS 1.3 suites in a TLS 1.2 hello", {0x1301, 0x1302, 0x1303}},
      {"RSA key transport to a server without the switch", {0x009C, 0x009D}},
  };
  for (const auto& c : cases) {
    for (KeyType key : {KeyType::ec_p256, KeyType::rsa}) {
      auto hello = tls12_hello(tls12_client_config(key));
      hello.cipher_suites.clear();
      for (uint16_t s : c.suites) hello.cipher_suites.push_back(static_cast<CipherSuite>(s));
      hello.cipher_suites.push_back(CipherSuite::tls_empty_renegotiation_info_scsv);
      EXPECT_EQ(alert_for_hello(hello, tls12_server_config(key)), Alert::handshake_failure)
          << c.what << " / " << crypto::key_type_name(key);
    }
  }
}

TEST(Tls12Server, SuitesThatDoNotFitTheKeyAreHandshakeFailure) {
  auto hello = tls12_hello();
  hello.cipher_suites = {CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256};
  EXPECT_EQ(alert_for_hello(hello, tls12_server_config(KeyType::ec_p256)), Alert::handshake_failure);
  hello.cipher_suites = {CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256};
  EXPECT_EQ(alert_for_hello(hello, tls12_server_config(KeyType::rsa)), Alert::handshake_failure);
}

// RFC 5246 §7.4.1.4.1: without signature_algorithms the client accepts SHA-1 only, which
// tern does not sign with.
TEST(Tls12Server, NoSignatureAlgorithmsIsHandshakeFailure) {
  for (KeyType key : {KeyType::ec_p256, KeyType::rsa, KeyType::ed25519}) {
    auto hello = tls12_hello(tls12_client_config(key));
    remove(hello, ExtensionType::signature_algorithms);
    EXPECT_EQ(alert_for_hello(hello, tls12_server_config(key)), Alert::handshake_failure)
        << crypto::key_type_name(key);
  }
  auto hello = tls12_hello();
  std::get<msgs::SignatureSchemeList>(find(hello, ExtensionType::signature_algorithms)->body)
      .schemes = {msgs::SignatureScheme::ecdsa_sha1, msgs::SignatureScheme::rsa_pkcs1_sha1};
  EXPECT_EQ(alert_for_hello(hello), Alert::handshake_failure);
}

// RSA key transport signs nothing, so it goes ahead without signature_algorithms.
TEST(Tls12Server, RsaKeyTransportNeedsNoSignatureAlgorithms) {
  ClientConfig cc = tls12_client_config(KeyType::rsa);
  cc.legacy_rsa_key_exchange = true;
  auto hello = tls12_hello(cc);
  remove(hello, ExtensionType::signature_algorithms);
  auto sc = tls12_server_config(KeyType::rsa);
  sc->legacy_rsa_key_exchange = true;
  EXPECT_EQ(server_hello_for(hello, sc).cipher_suite, CipherSuite::tls_rsa_with_aes_128_gcm_sha256);
}

// RFC 8422 §5.1.2: a client that names the RFC's curves in supported_groups but whose
// ec_point_formats lacks the uncompressed format makes the server abort with
// illegal_parameter.
TEST(Tls12Server, PointFormatsWithoutUncompressedIsIllegalParameter) {
  auto hello = tls12_hello();
  std::get<msgs::EcPointFormatList>(find(hello, ExtensionType::ec_point_formats)->body).formats = {
      msgs::ECPointFormat::ansiX962_compressed_prime};
  EXPECT_EQ(alert_for_hello(hello), Alert::illegal_parameter);
  EXPECT_EQ(alert_for_hello(hello, test_server_config()), Alert::illegal_parameter);
}

TEST(Tls12Server, PointFormatsWithoutUncompressedAndNoGroupsLeavesNoEcdheSuite) {
  // Without supported_groups the client has not said it uses the RFC's curves: no abort,
  // but no ECDHE either, so nothing is left to negotiate.
  auto hello = tls12_hello();
  remove(hello, ExtensionType::supported_groups);
  std::get<msgs::EcPointFormatList>(find(hello, ExtensionType::ec_point_formats)->body).formats = {
      msgs::ECPointFormat::ansiX962_compressed_prime};
  EXPECT_EQ(alert_for_hello(hello), Alert::handshake_failure);
}

TEST(Tls12Server, PointFormatsAreOptional) {
  auto hello = tls12_hello();
  remove(hello, ExtensionType::ec_point_formats);  // RFC 8422 §5.1.2: uncompressed implied
  msgs::ServerHello answer = server_hello_for(hello);
  EXPECT_EQ(answer.cipher_suite, CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256);
  EXPECT_FALSE(answer.find(ExtensionType::ec_point_formats));  // not sent unasked

  auto both = tls12_hello();  // compressed first, uncompressed too: fine
  std::get<msgs::EcPointFormatList>(find(both, ExtensionType::ec_point_formats)->body).formats = {
      msgs::ECPointFormat::ansiX962_compressed_prime, msgs::ECPointFormat::uncompressed};
  EXPECT_EQ(alert_for_hello(both), Alert::none);
}

TEST(Tls12Server, HelloWithoutSupportedGroupsGetsTheServersFirstGroup) {
  auto hello = tls12_hello();
  remove(hello, ExtensionType::supported_groups);
  auto server = new_server();
  ASSERT_EQ(alert_for(handshake_record(hello.encode()), *server), Alert::none);
  auto messages = plaintext_handshake_messages(server->pending_output());
  ASSERT_GE(messages.size(), 3u);
  auto ske = msgs::ServerKeyExchangeEcdhe::parse(BytesView(messages[2]).subspan(4));
  ASSERT_TRUE(ske);
  EXPECT_EQ(ske->group, msgs::NamedGroup::x25519);
}

TEST(Tls12Server, NoGroupInCommonIsHandshakeFailure) {
  auto hello = tls12_hello();
  std::get<msgs::NamedGroupList>(find(hello, ExtensionType::supported_groups)->body).groups = {
      msgs::NamedGroup::secp521r1, msgs::NamedGroup::ffdhe2048};
  EXPECT_EQ(alert_for_hello(hello), Alert::handshake_failure);
}

// RFC 5746 §3.6.
TEST(Tls12Server, NonEmptyRenegotiationInfoIsHandshakeFailure) {
  auto hello = tls12_hello();
  std::get<msgs::RenegotiationInfo>(find(hello, ExtensionType::renegotiation_info)->body)
      .renegotiated_connection = Bytes(12, 0xab);
  EXPECT_EQ(alert_for_hello(hello), Alert::handshake_failure);
}

TEST(Tls12Server, ScsvAloneSignalsSecureRenegotiation) {
  auto hello = tls12_hello();
  remove(hello, ExtensionType::renegotiation_info);
  hello.cipher_suites.push_back(CipherSuite::tls_empty_renegotiation_info_scsv);
  msgs::ServerHello answer = server_hello_for(hello);
  auto* reneg = answer.get<msgs::RenegotiationInfo>(ExtensionType::renegotiation_info);
  ASSERT_TRUE(reneg);  // RFC 5746 §3.6: an empty renegotiation_info in reply
  EXPECT_TRUE(reneg->renegotiated_connection.empty());

  // Both signals together are fine too.
  auto both = tls12_hello();
  both.cipher_suites.insert(both.cipher_suites.begin(),
                            CipherSuite::tls_empty_renegotiation_info_scsv);
  EXPECT_TRUE(server_hello_for(both).find(ExtensionType::renegotiation_info));
}

TEST(Tls12Server, NoRenegotiationSignalGetsNoRenegotiationInfo) {
  // RFC 5746 §3.6 lets the server go on with secure_renegotiation FALSE; tern never
  // renegotiates, and must not send an extension the client did not offer.
  auto hello = tls12_hello();
  remove(hello, ExtensionType::renegotiation_info);
  EXPECT_FALSE(server_hello_for(hello).find(ExtensionType::renegotiation_info));
}

// RFC 7627 §5.3: tern refuses clients without the extended master secret unless allowed.
TEST(Tls12Server, HelloWithoutEmsIsHandshakeFailureUnlessAllowed) {
  auto hello = tls12_hello();
  remove(hello, ExtensionType::extended_master_secret);
  EXPECT_EQ(alert_for_hello(hello), Alert::handshake_failure);
  auto sc = tls12_server_config();
  sc->allow_no_extended_master_secret = true;
  EXPECT_FALSE(server_hello_for(hello, sc).find(ExtensionType::extended_master_secret));
}

// RFC 5246 §7.4.1.2: a server accepts ClientHellos without an extensions block. Such a
// client has no EMS and no signature_algorithms, so only RSA key transport with both
// switches on can serve it.
TEST(Tls12Server, HelloWithoutExtensionsBlock) {
  auto hello = tls12_hello();
  hello.extensions.clear();
  hello.extensions_absent = true;
  EXPECT_EQ(alert_for_hello(hello), Alert::handshake_failure);  // no EMS
  auto lenient = tls12_server_config();
  lenient->allow_no_extended_master_secret = true;
  EXPECT_EQ(alert_for_hello(hello, lenient), Alert::handshake_failure);  // SHA-1 only

  hello.cipher_suites = {CipherSuite::tls_rsa_with_aes_128_gcm_sha256};
  auto rsa = tls12_server_config(KeyType::rsa);
  rsa->allow_no_extended_master_secret = true;
  rsa->legacy_rsa_key_exchange = true;
  msgs::ServerHello answer = server_hello_for(hello, rsa);
  EXPECT_EQ(answer.cipher_suite, CipherSuite::tls_rsa_with_aes_128_gcm_sha256);
  EXPECT_TRUE(answer.extensions.empty());  // nothing was asked for
}

// tern keeps no TLS 1.2 session cache: a session id in the ClientHello is not resumed.
TEST(Tls12Server, OfferedSessionIdIsNotResumed) {
  auto hello = tls12_hello();
  hello.legacy_session_id = Bytes(32, 0x11);
  auto server = new_server();
  ASSERT_EQ(alert_for(handshake_record(hello.encode()), *server), Alert::none);
  EXPECT_NE(parse_server_hello(server->pending_output()).legacy_session_id_echo,
            hello.legacy_session_id);
  EXPECT_EQ(plaintext_handshake_messages(server->pending_output()).size(), 4u);  // full
}

TEST(Tls12Server, OldVersionsAreProtocolVersion) {
  for (auto v : {msgs::ProtocolVersion::tls11, msgs::ProtocolVersion::tls10,
                 msgs::ProtocolVersion::ssl3}) {
    auto hello = tls12_hello();
    hello.legacy_version = v;
    EXPECT_EQ(alert_for_hello(hello), Alert::protocol_version) << msgs::to_string(v);
  }
}

TEST(Tls12Server, AlpnWithoutOverlapIsNoApplicationProtocol) {
  ClientConfig cc = tls12_client_config();
  cc.alpn = {"spdy/3"};
  auto sc = tls12_server_config();
  sc->alpn = {"h2"};
  EXPECT_EQ(alert_for_hello(tls12_hello(cc), sc), Alert::no_application_protocol);
}

TEST(Tls12Server, SuiteChoiceFollowsServerPreferenceUnlessToldOtherwise) {
  auto hello = tls12_hello();
  hello.cipher_suites = {CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256,
                         CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384};
  EXPECT_EQ(server_hello_for(hello).cipher_suite,
            CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384);
  auto sc = tls12_server_config();
  sc->prefer_client_suites = true;
  EXPECT_EQ(server_hello_for(hello, sc).cipher_suite,
            CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256);
}

// ---- after the ClientHello: a real client's flight, held back and tampered with ----

struct Driven {
  std::unique_ptr<ClientConnection> client;
  std::unique_ptr<ServerConnection> server;
  Bytes client_hello, server_flight;
  std::vector<WireRecord> client_flight;  // ClientKeyExchange, ChangeCipherSpec, Finished
  std::shared_ptr<std::vector<std::string>> keylog = std::make_shared<std::vector<std::string>>();

  Bytes cke_record() const { return client_flight.at(0).encode(); }
  Bytes ccs_record() const { return client_flight.at(1).encode(); }
  Bytes finished_record() const { return client_flight.at(2).encode(); }
  Bytes cke_message() const { return client_flight.at(0).fragment; }

  // The client's write protection, from the key log (sequence number 0: its Finished).
  record::Cipher client_cipher() const {
    auto line = parse_client_random_line(keylog->at(0));
    if (!line) throw std::runtime_error("no CLIENT_RANDOM line");
    msgs::ServerHello sh = parse_server_hello(server_flight);
    return Tls12Session(sh.cipher_suite, line->master_secret, to_random(line->client_random),
                        sh.random)
        .cipher(false);
  }
  // ClientHello .. ClientKeyExchange, what the client's Finished covers.
  Bytes transcript() const {
    Bytes all;
    for (BytesView flight : {BytesView(client_hello), BytesView(server_flight)})
      for (const Bytes& m : plaintext_handshake_messages(flight))
        all.insert(all.end(), m.begin(), m.end());
    all.insert(all.end(), client_flight.at(0).fragment.begin(), client_flight.at(0).fragment.end());
    return all;
  }
};

Driven drive(ClientConfig cc = tls12_client_config(),
             std::shared_ptr<ServerConfig> sc = tls12_server_config()) {
  Driven d;
  auto log = d.keylog;
  cc.keylog = [log](const std::string& line) { log->push_back(line); };
  auto pair = connect_pair(cc, sc);
  d.client = std::move(pair.client);
  d.server = std::move(pair.server);
  d.client_hello = take_output(*d.client);
  EXPECT_TRUE(d.server->feed(d.client_hello));
  d.server_flight = take_output(*d.server);
  EXPECT_TRUE(d.client->feed(d.server_flight));
  d.client_flight = split_records(take_output(*d.client));
  EXPECT_EQ(d.client_flight.size(), 3u);
  if (d.client_flight.size() == 3) {
    EXPECT_EQ(d.client_flight[0].type, 22);
    EXPECT_EQ(d.client_flight[1].type, 20);
    EXPECT_EQ(d.client_flight[2].type, 22);
  }
  return d;
}

Bytes sealed(record::Cipher& cipher, msgs::ContentType type, BytesView data) {
  return seal_record(cipher, type, data);
}

Bytes finished_message(BytesView verify_data) {
  return msgs::Finished{Bytes(verify_data.begin(), verify_data.end())}.encode();
}

TEST(Tls12Server, DrivenHandshakeCompletesUntouched) {
  Driven d = drive();
  ASSERT_TRUE(d.server->feed(concat({d.cke_record(), d.ccs_record(), d.finished_record()})));
  EXPECT_TRUE(d.server->handshake_done());
  auto answer = split_records(d.server->pending_output());
  ASSERT_EQ(answer.size(), 2u);  // ChangeCipherSpec, Finished
  EXPECT_EQ(answer[0].type, 20);
  EXPECT_EQ(answer[1].type, 22);
}

// The test's own sealing of the client's Finished, computed from the key log and the wire
// bytes, is accepted: the tampering below is judged on its own merits.
TEST(Tls12Server, FinishedSealedByTheTestIsAccepted) {
  Driven d = drive();
  auto cipher = d.client_cipher();
  auto line = parse_client_random_line(d.keylog->at(0));
  ASSERT_TRUE(line);
  Bytes hash = openssl_digest(crypto::Hash::sha256, d.transcript());
  Bytes verify = openssl_tls12_prf(crypto::Hash::sha256, line->master_secret, "client finished",
                                   hash, 12);
  Bytes finished = sealed(cipher, msgs::ContentType::handshake, finished_message(verify));
  EXPECT_EQ(alert_for(concat({d.cke_record(), d.ccs_record(), finished}), *d.server), Alert::none);
  EXPECT_TRUE(d.server->handshake_done());
}

// tlsfuzzer's test-tls12-finished-messages idea: a Finished of the wrong length is
// decode_error, one of the right length with wrong contents decrypt_error.
TEST(Tls12Server, FinishedOfTheWrongLengthIsDecodeError) {
  for (size_t length : {0u, 11u, 13u, 32u}) {
    Driven d = drive();
    auto cipher = d.client_cipher();
    Bytes finished = sealed(cipher, msgs::ContentType::handshake, finished_message(Bytes(length, 7)));
    EXPECT_EQ(alert_for(concat({d.cke_record(), d.ccs_record(), finished}), *d.server),
              Alert::decode_error)
        << length;
  }
}

TEST(Tls12Server, WrongFinishedIsDecryptError) {
  Driven d = drive();
  auto cipher = d.client_cipher();
  Bytes finished = sealed(cipher, msgs::ContentType::handshake, finished_message(Bytes(12, 7)));
  EXPECT_EQ(alert_for(concat({d.cke_record(), d.ccs_record(), finished}), *d.server),
            Alert::decrypt_error);
}

TEST(Tls12Server, TamperedFinishedRecordIsBadRecordMac) {
  Driven d = drive();
  Bytes finished = d.finished_record();
  finished.back() ^= 1;
  EXPECT_EQ(alert_for(concat({d.cke_record(), d.ccs_record(), finished}), *d.server),
            Alert::bad_record_mac);
}

// ---- unexpected messages, state by state ----

Bytes plain_handshake(msgs::HandshakeType type, BytesView body) {
  return handshake_record(msgs::frame_handshake(type, body));
}

TEST(Tls12Server, UnexpectedMessagesWhileWaitingForClientKeyExchange) {
  const Bytes empty_certificate = msgs::Certificate12{}.encode();
  const struct {
    const char* what;
    Bytes bytes;
  } cases[] = {
      {"Finished", handshake_record(finished_message(Bytes(12, 1)))},
      {"empty Certificate (none was requested)", handshake_record(empty_certificate)},
      {"CertificateVerify", plain_handshake(msgs::HandshakeType::certificate_verify,
                                            Bytes{4, 3, 0, 2, 0xaa, 0xbb})},
      {"second ClientHello", handshake_record(tls12_hello().encode())},
      {"ServerHello", handshake_record(msgs::ServerHello{}.encode())},
      {"ServerHelloDone", handshake_record(msgs::ServerHelloDone{}.encode())},
      {"HelloRequest", handshake_record(msgs::HelloRequest{}.encode())},
      {"ChangeCipherSpec", plaintext_record(20, Bytes{1})},
      {"application data", plaintext_record(23, as_bytes("GET /"))},
  };
  for (const auto& c : cases) {
    Driven d = drive();
    EXPECT_EQ(alert_for(c.bytes, *d.server), Alert::unexpected_message) << c.what;
  }
}

TEST(Tls12Server, UnexpectedMessagesWhileWaitingForChangeCipherSpec) {
  const struct {
    const char* what;
    std::function<Bytes(const Driven&)> bytes;
  } cases[] = {
      {"plaintext Finished", [](const Driven&) {
         return handshake_record(finished_message(Bytes(12, 1)));
       }},
      {"second ClientKeyExchange", [](const Driven& d) { return d.cke_record(); }},
      {"application data", [](const Driven&) { return plaintext_record(23, as_bytes("x")); }},
  };
  for (const auto& c : cases) {
    Driven d = drive();
    ASSERT_TRUE(d.server->feed(d.cke_record()));
    EXPECT_EQ(alert_for(c.bytes(d), *d.server), Alert::unexpected_message) << c.what;
  }
}

TEST(Tls12Server, UnexpectedMessagesWhileWaitingForFinished) {
  {
    Driven d = drive();
    ASSERT_TRUE(d.server->feed(concat({d.cke_record(), d.ccs_record()})));
    EXPECT_EQ(alert_for(d.ccs_record(), *d.server), Alert::unexpected_message) << "second CCS";
  }
  {
    Driven d = drive();
    ASSERT_TRUE(d.server->feed(concat({d.cke_record(), d.ccs_record()})));
    auto cipher = d.client_cipher();
    Bytes cke = sealed(cipher, msgs::ContentType::handshake, d.cke_message());
    EXPECT_EQ(alert_for(cke, *d.server), Alert::unexpected_message) << "sealed ClientKeyExchange";
  }
  {
    Driven d = drive();
    ASSERT_TRUE(d.server->feed(concat({d.cke_record(), d.ccs_record()})));
    auto cipher = d.client_cipher();
    Bytes data = sealed(cipher, msgs::ContentType::application_data, as_bytes("early"));
    EXPECT_EQ(alert_for(data, *d.server), Alert::unexpected_message) << "sealed application data";
  }
  {
    // After ChangeCipherSpec every record must be protected.
    Driven d = drive();
    ASSERT_TRUE(d.server->feed(concat({d.cke_record(), d.ccs_record()})));
    EXPECT_EQ(alert_for(handshake_record(finished_message(Bytes(12, 1))), *d.server),
              Alert::bad_record_mac)
        << "plaintext Finished";
  }
}

TEST(Tls12Server, UnexpectedMessagesAfterTheHandshake) {
  {
    Driven d = drive();
    ASSERT_TRUE(d.server->feed(concat({d.cke_record(), d.ccs_record(), d.finished_record()})));
    ASSERT_TRUE(d.server->handshake_done());
    EXPECT_EQ(alert_for(d.ccs_record(), *d.server), Alert::unexpected_message) << "CCS";
  }
  {
    Driven d = drive();
    auto cipher = d.client_cipher();
    auto line = parse_client_random_line(d.keylog->at(0));
    Bytes verify = openssl_tls12_prf(crypto::Hash::sha256, line->master_secret,
                                     "client finished",
                                     openssl_digest(crypto::Hash::sha256, d.transcript()), 12);
    Bytes finished = sealed(cipher, msgs::ContentType::handshake, finished_message(verify));
    ASSERT_TRUE(d.server->feed(concat({d.cke_record(), d.ccs_record(), finished})));
    ASSERT_TRUE(d.server->handshake_done());
    Bytes again = sealed(cipher, msgs::ContentType::handshake, finished_message(verify));
    EXPECT_EQ(alert_for(again, *d.server), Alert::unexpected_message) << "second Finished";
  }
}

// RFC 5246 §7.1: ChangeCipherSpec comes between whole handshake messages.
TEST(Tls12Server, ChangeCipherSpecInsideAHandshakeMessageIsUnexpected) {
  Driven d = drive();
  Bytes cke = d.cke_message();
  ASSERT_TRUE(d.server->feed(handshake_record(BytesView(cke).first(5))));
  EXPECT_EQ(alert_for(d.ccs_record(), *d.server), Alert::unexpected_message);
}

TEST(Tls12Server, MalformedChangeCipherSpec) {
  {
    Driven d = drive();
    ASSERT_TRUE(d.server->feed(d.cke_record()));
    EXPECT_EQ(alert_for(plaintext_record(20, Bytes{2}), *d.server), Alert::unexpected_message);
  }
  {
    Driven d = drive();
    ASSERT_TRUE(d.server->feed(d.cke_record()));
    // tlsfuzzer's test-ccs "two bytes long CCS".
    EXPECT_EQ(alert_for(plaintext_record(20, Bytes{1, 1}), *d.server), Alert::unexpected_message);
  }
}

// ---- ClientKeyExchange (ECDHE) ----

Bytes cke_record_with_point(BytesView point) {
  return handshake_record(msgs::ClientKeyExchangeEcdhe{Bytes(point.begin(), point.end())}.encode());
}

Bytes p256_point_off_the_curve() {
  Bytes p(65, 1);
  p[0] = 4;
  return p;
}

TEST(Tls12Server, InvalidEcPointsAreIllegalParameter) {
  const struct {
    const char* what;
    uint16_t group;
    Bytes point;
  } cases[] = {
      {"X25519 point of 31 bytes", tls::kX25519, Bytes(31, 9)},
      {"X25519 point of 33 bytes", tls::kX25519, Bytes(33, 9)},
      {"all-zero X25519 point (zero shared secret)", tls::kX25519, Bytes(32, 0)},
      {"P-256 point off the curve", tls::kSecp256r1, p256_point_off_the_curve()},
      {"compressed P-256 point", tls::kSecp256r1, Bytes(33, 2)},
      {"P-256 point at infinity", tls::kSecp256r1, Bytes{0}},
      {"P-256 point of the wrong size", tls::kSecp256r1, Bytes(97, 4)},
      {"P-384 point off the curve", tls::kSecp384r1, [] {
         Bytes p(97, 1);
         p[0] = 4;
         return p;
       }()},
  };
  for (const auto& c : cases) {
    ClientConfig cc = tls12_client_config();
    cc.groups = {c.group};
    // The certificate's curve (RFC 8422 §5.1), after the group the server should pick.
    if (c.group != tls::kSecp256r1) cc.groups.push_back(tls::kSecp256r1);
    auto sc = tls12_server_config();
    sc->groups = {c.group};
    Driven d = drive(cc, sc);
    EXPECT_EQ(alert_for(cke_record_with_point(c.point), *d.server), Alert::illegal_parameter)
        << c.what;
  }
}

TEST(Tls12Server, MalformedClientKeyExchangeIsDecodeError) {
  {
    Driven d = drive();
    EXPECT_EQ(alert_for(plain_handshake(msgs::HandshakeType::client_key_exchange, Bytes{0}),
                        *d.server),
              Alert::decode_error)
        << "empty point";
  }
  {
    Driven d = drive();
    Bytes message = d.cke_message();
    Bytes body(message.begin() + 4, message.end());
    body.push_back(0);
    EXPECT_EQ(alert_for(plain_handshake(msgs::HandshakeType::client_key_exchange, body), *d.server),
              Alert::decode_error)
        << "trailing byte";
  }
  {
    Driven d = drive();
    EXPECT_EQ(alert_for(plain_handshake(msgs::HandshakeType::client_key_exchange, {}), *d.server),
              Alert::decode_error)
        << "empty body";
  }
}

// ---- RSA key transport: no padding oracle (RFC 5246 §7.4.7.1) ----

// The server's RSA public key, by OpenSSL, from its leaf certificate.
struct RsaPublicKey {
  EVP_PKEY* key = nullptr;
  explicit RsaPublicKey(BytesView leaf_der) {
    const uint8_t* p = leaf_der.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(leaf_der.size()));
    if (!cert) throw std::runtime_error("d2i_X509 failed");
    key = X509_get_pubkey(cert);
    X509_free(cert);
    if (!key) throw std::runtime_error("X509_get_pubkey failed");
  }
  ~RsaPublicKey() { EVP_PKEY_free(key); }
  RsaPublicKey(const RsaPublicKey&) = delete;
  RsaPublicKey& operator=(const RsaPublicKey&) = delete;
  size_t size() const { return static_cast<size_t>(EVP_PKEY_get_size(key)); }

  // RSAEP on an encoded message the test builds itself (RSA_NO_PADDING).
  Bytes raw(BytesView em) const {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    size_t len = size();
    Bytes out(len);
    bool good = ctx && EVP_PKEY_encrypt_init(ctx) == 1 &&
                EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) == 1 &&
                EVP_PKEY_encrypt(ctx, out.data(), &len, em.data(), em.size()) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!good) throw std::runtime_error("raw RSA encryption failed");
    out.resize(len);
    return out;
  }
};

// EM = 0x00 || 0x02 || PS || 0x00 || M (RFC 8017 §7.2.1), with the bytes the case asks for.
Bytes pkcs1_em(size_t k, BytesView message, uint8_t first = 0x00, uint8_t second = 0x02,
               bool separator = true) {
  Bytes em(k, 0x5c);  // PS: non-zero
  em[0] = first;
  em[1] = second;
  size_t at = k - message.size();
  if (separator) em[at - 1] = 0x00;
  std::copy(message.begin(), message.end(), em.begin() + static_cast<std::ptrdiff_t>(at));
  return em;
}

Bytes pre_master(uint8_t major, uint8_t minor, size_t length = 48, uint8_t fill = 0x3c) {
  Bytes pm(length, fill);
  if (length >= 2) {
    pm[0] = major;
    pm[1] = minor;
  }
  return pm;
}

// The client's randomness is pinned to 0x5a, so its pre-master secret is known:
// 03 03 (its ClientHello's version) and 46 bytes of 0x5a.
Driven drive_rsa() {
  ClientConfig cc = tls12_client_config(KeyType::rsa);
  cc.random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0x5a); };
  cc.legacy_rsa_key_exchange = true;
  cc.cipher_suites = {tls::kRsaAes128GcmSha256};
  auto sc = tls12_server_config(KeyType::rsa);
  sc->legacy_rsa_key_exchange = true;
  return drive(cc, sc);
}

struct Outcome {
  bool cke_accepted = false;
  Bytes cke_output;
  Alert alert = Alert::none;
  std::string detail;
  Bytes output;
};

const Bytes kRealPreMaster = pre_master(3, 3, 48, 0x5a);

// Feeds one ClientKeyExchange in place of the client's, then ChangeCipherSpec and the
// Finished that would be right if the server had decrypted the client's real pre-master
// secret (what a Bleichenbacher attacker sends: it cannot know what the server decrypted).
Outcome outcome_for(BytesView encrypted_premaster) {
  Driven d = drive_rsa();
  Outcome o;
  Bytes cke = msgs::ClientKeyExchangeRsa{Bytes(encrypted_premaster.begin(),
                                               encrypted_premaster.end())}
                  .encode();
  auto cke_fed = d.server->feed(handshake_record(cke));
  o.cke_accepted = static_cast<bool>(cke_fed);
  o.cke_output = take_output(*d.server);

  Bytes transcript;
  for (BytesView flight : {BytesView(d.client_hello), BytesView(d.server_flight)})
    for (const Bytes& m : plaintext_handshake_messages(flight))
      transcript.insert(transcript.end(), m.begin(), m.end());
  transcript.insert(transcript.end(), cke.begin(), cke.end());
  Bytes hash = openssl_digest(crypto::Hash::sha256, transcript);
  Bytes master = openssl_tls12_prf(crypto::Hash::sha256, kRealPreMaster, "extended master secret",
                                   hash, 48);
  msgs::ServerHello sh = parse_server_hello(d.server_flight);
  msgs::Random client_random;
  client_random.fill(0x5a);  // pinned
  auto cipher = Tls12Session(sh.cipher_suite, master, client_random, sh.random).cipher(false);
  Bytes verify = openssl_tls12_prf(crypto::Hash::sha256, master, "client finished", hash, 12);
  Bytes finished = seal_record(cipher, msgs::ContentType::handshake, finished_message(verify));
  auto fed = d.server->feed(concat({d.ccs_record(), finished}));
  if (!fed) {
    o.alert = fed.error().alert;
    o.detail = fed.error().detail;
  }
  o.output = take_output(*d.server);
  return o;
}

TEST(Tls12Server, RsaKeyTransportUntouchedCompletes) {
  Driven d = drive_rsa();
  ASSERT_EQ(parse_server_hello(d.server_flight).cipher_suite,
            CipherSuite::tls_rsa_with_aes_128_gcm_sha256);
  EXPECT_EQ(plaintext_handshake_messages(d.server_flight).size(), 3u);  // no ServerKeyExchange
  ASSERT_TRUE(d.server->feed(concat({d.cke_record(), d.ccs_record(), d.finished_record()})));
  EXPECT_TRUE(d.server->handshake_done());
}

TEST(Tls12Server, RsaKeyTransportHasNoPaddingOracle) {
  const auto& creds = test_credentials(KeyType::rsa);
  RsaPublicKey pub(creds.certified.chain[0]);
  const size_t k = pub.size();
  ASSERT_EQ(k, 256u);  // RSA-2048
  const Bytes& real = kRealPreMaster;
  // Control: the test's own encryption of the real pre-master secret is accepted, so the
  // cases below differ from a working ClientKeyExchange only in what they name.
  Outcome control = outcome_for(pub.raw(pkcs1_em(k, real)));
  EXPECT_TRUE(control.cke_accepted);
  EXPECT_EQ(control.alert, Alert::none) << control.detail;
  ASSERT_EQ(split_records(control.output).size(), 2u);  // ChangeCipherSpec, Finished

  const struct {
    const char* what;
    Bytes encrypted;
  } cases[] = {
      // The reference: a well-formed pre-master secret, but not the one the Finished was
      // made with.
      {"good padding and version, wrong Finished", pub.raw(pkcs1_em(k, pre_master(3, 3)))},
      // The real pre-master secret inside a broken encoding.
      {"first byte 0x01", pub.raw(pkcs1_em(k, real, 0x01))},
      {"block type 0x01", pub.raw(pkcs1_em(k, real, 0x00, 0x01))},
      {"block type 0x00", pub.raw(pkcs1_em(k, real, 0x00, 0x00))},
      {"no zero separator", pub.raw(pkcs1_em(k, real, 0x00, 0x02, false))},
      {"padding string of 7 bytes", pub.raw(pkcs1_em(k, pre_master(3, 3, k - 10, 0x5a)))},
      {"pre-master of 47 bytes", pub.raw(pkcs1_em(k, pre_master(3, 3, 47, 0x5a)))},
      {"pre-master of 49 bytes", pub.raw(pkcs1_em(k, pre_master(3, 3, 49, 0x5a)))},
      {"pre-master of 0 bytes", pub.raw(pkcs1_em(k, {}))},
      // The real pre-master secret with another version in front.
      {"version 3.2", pub.raw(pkcs1_em(k, pre_master(3, 2, 48, 0x5a)))},
      {"version 3.4", pub.raw(pkcs1_em(k, pre_master(3, 4, 48, 0x5a)))},
      {"version 2.3", pub.raw(pkcs1_em(k, pre_master(2, 3, 48, 0x5a)))},
      {"version 0.0", pub.raw(pkcs1_em(k, pre_master(0, 0, 48, 0x5a)))},
      {"version 3.3 in the second byte only", pub.raw(pkcs1_em(k, pre_master(0, 3, 48, 0x5a)))},
      // Wrong ciphertext sizes and values.
      {"ciphertext of 255 bytes", Bytes(255, 0x42)},
      {"ciphertext of 257 bytes", Bytes(257, 0x42)},
      {"ciphertext of 1 byte", Bytes(1, 0x42)},
      {"ciphertext of zeros", Bytes(k, 0x00)},
      {"ciphertext not below the modulus", Bytes(k, 0xff)},
  };
  Outcome reference = outcome_for(cases[0].encrypted);
  EXPECT_TRUE(reference.cke_accepted);
  EXPECT_TRUE(reference.cke_output.empty());
  EXPECT_EQ(reference.alert, Alert::bad_record_mac);
  const Bytes plaintext_fatal_bad_record_mac = {21, 3, 3, 0, 2, 2, 20};
  EXPECT_EQ(reference.output, plaintext_fatal_bad_record_mac);
  for (const auto& c : cases) {
    Outcome o = outcome_for(c.encrypted);
    EXPECT_TRUE(o.cke_accepted) << c.what;  // never refused early
    EXPECT_TRUE(o.cke_output.empty()) << c.what;
    EXPECT_EQ(o.alert, reference.alert) << c.what;
    EXPECT_EQ(o.detail, reference.detail) << c.what;
    EXPECT_EQ(o.output.size(), reference.output.size()) << c.what;
    EXPECT_EQ(o.output, reference.output) << c.what;
  }
}

}  // namespace
}  // namespace tern::testing
