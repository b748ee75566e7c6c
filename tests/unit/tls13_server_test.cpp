// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 server against mutated ClientHellos and misbehaving clients: each violation gets
// the alert RFC 8446 names for it (the ones OpenSSL and GnuTLS send), never a crash or a hang.
#include <gtest/gtest.h>

#include "base/encoding.h"
#include "handshake/key_schedule.h"
#include "msgs/handshake.h"
#include "record/record.h"
#include "tls13_test_util.h"

namespace tern::testing {
namespace {

using msgs::ExtensionType;

Bytes record(uint8_t type, BytesView body) { return plaintext_record(type, body); }

// What a tern client sends first, as a parsed ClientHello to mutate.
msgs::ClientHello real_client_hello(ClientConfig config = test_client_config()) {
  auto client = ClientConnection::create(std::move(config));
  if (!client) throw std::runtime_error(client.error().detail);
  return first_client_hello(**client);
}

Bytes hello_record(const msgs::ClientHello& hello) { return record(22, hello.encode()); }

// Serves X25519 only, so a client that sent shares for other groups gets a HelloRetryRequest.
std::shared_ptr<ServerConfig> x25519_only_config() {
  auto config = test_server_config();
  config->groups = {tls::kX25519};
  return config;
}

std::unique_ptr<ServerConnection> new_server(
    std::shared_ptr<const ServerConfig> config = test_server_config()) {
  auto server = ServerConnection::create(std::move(config));
  if (!server) throw std::runtime_error(server.error().detail);
  return std::move(*server);
}

// Feeds `bytes` to a fresh server; returns the alert it failed with (Alert::none if it did not
// fail) after checking that a failure closed the connection and queued that alert.
Alert server_alert_for(BytesView bytes, Connection* server = nullptr) {
  std::unique_ptr<ServerConnection> owned;
  if (!server) {
    owned = new_server();
    server = owned.get();
  }
  auto fed = server->feed(bytes);
  if (fed) return Alert::none;
  EXPECT_TRUE(server->closed());
  EXPECT_FALSE(fed.error().detail.empty());
  return fed.error().alert;
}

msgs::Extension* find(msgs::ClientHello& hello, ExtensionType type) {
  for (auto& ext : hello.extensions)
    if (ext.type == type) return &ext;
  return nullptr;
}

void remove(msgs::ClientHello& hello, ExtensionType type) {
  std::erase_if(hello.extensions, [&](const msgs::Extension& e) { return e.type == type; });
}

msgs::KeyShareClientHello& shares(msgs::ClientHello& hello) {
  return std::get<msgs::KeyShareClientHello>(find(hello, ExtensionType::key_share)->body);
}

// A traced connection reads a copy of its config, while the shared context (the parsed
// keys) points into the original: the connection keeps both alive, so the caller may drop
// its config right after create() (under ASan this was a use after free).
TEST(Tls13Server, TracedConnectionOutlivesTheCallersConfig) {
  struct : Observer {} observer;
  auto config = test_server_config();
  config->certificates[0].names = {"localhost"};
  auto server = ServerConnection::create(std::move(config), &observer);
  ASSERT_TRUE(server);
  auto client = ClientConnection::create(test_client_config());
  ASSERT_TRUE(client);
  auto pumped = pump(**client, **server);
  ASSERT_TRUE(pumped) << pumped.error();
  EXPECT_TRUE((*server)->handshake_done());
}

TEST(Tls13Server, RealClientHelloIsAccepted) {
  EXPECT_EQ(server_alert_for(hello_record(real_client_hello())), Alert::none);
}

TEST(Tls13Server, Tls12OnlyClientIsProtocolVersionWhenTls12IsOff) {
  auto hello = real_client_hello();
  remove(hello, ExtensionType::supported_versions);
  auto config = test_server_config();
  config->min_version = tls::kTls13;
  auto server = ServerConnection::create(config);
  ASSERT_TRUE(server) << server.error();
  EXPECT_EQ(server_alert_for(hello_record(hello), server->get()), Alert::protocol_version);
}

TEST(Tls13Server, Tls12OnlyClientGetsTls12) {
  auto hello = real_client_hello();
  remove(hello, ExtensionType::supported_versions);
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::none);
}

TEST(Tls13Server, Ssl3LegacyVersionIsProtocolVersion) {
  auto hello = real_client_hello();
  hello.legacy_version = msgs::ProtocolVersion::ssl3;
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::protocol_version);
  hello.legacy_version = msgs::ProtocolVersion::tls10;  // with supported_versions: fine
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::none);
}

TEST(Tls13Server, CompressionIsIllegalParameter) {
  auto hello = real_client_hello();
  hello.legacy_compression_methods = {1, 0};
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::illegal_parameter);
}

TEST(Tls13Server, MissingExtensionsAreMissingExtension) {
  for (auto type : {ExtensionType::signature_algorithms, ExtensionType::supported_groups,
                    ExtensionType::key_share}) {
    auto hello = real_client_hello();
    remove(hello, type);
    EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::missing_extension)
        << msgs::to_string(type);
  }
}

TEST(Tls13Server, DuplicateExtensionIsRefused) {
  auto hello = real_client_hello();
  hello.extensions.insert(hello.extensions.begin(), *find(hello, ExtensionType::supported_groups));
  Alert alert = server_alert_for(hello_record(hello));
  EXPECT_TRUE(alert == Alert::illegal_parameter || alert == Alert::decode_error)
      << alert_name(alert);
}

TEST(Tls13Server, UnknownAndGreaseValuesAreIgnored) {
  auto hello = real_client_hello();
  hello.cipher_suites.insert(hello.cipher_suites.begin(), static_cast<msgs::CipherSuite>(0x2a2a));
  hello.extensions.insert(hello.extensions.begin(),
                          {static_cast<ExtensionType>(0xfafa), msgs::RawExtension{{1, 2, 3}}});
  auto& groups =
      std::get<msgs::NamedGroupList>(find(hello, ExtensionType::supported_groups)->body).groups;
  groups.insert(groups.begin(), static_cast<msgs::NamedGroup>(0x3a3a));
  shares(hello).shares.insert(shares(hello).shares.begin(),
                              {static_cast<msgs::NamedGroup>(0x3a3a), {0}});
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::none);
}

TEST(Tls13Server, KeyShareForAGroupNotOfferedIsIllegalParameter) {
  auto hello = real_client_hello();
  auto& groups =
      std::get<msgs::NamedGroupList>(find(hello, ExtensionType::supported_groups)->body).groups;
  std::erase(groups, msgs::NamedGroup::x25519);  // the share stays
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::illegal_parameter);
}

TEST(Tls13Server, TwoSharesForOneGroupIsIllegalParameter) {
  auto hello = real_client_hello();
  shares(hello).shares.push_back(shares(hello).shares.front());
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::illegal_parameter);
}

TEST(Tls13Server, BadKeySharesAreIllegalParameter) {
  struct Case {
    const char* what;
    msgs::NamedGroup group;
    Bytes key;
  } cases[] = {
      {"short X25519 key", msgs::NamedGroup::x25519, Bytes(31, 9)},
      {"all-zero X25519 key (zero shared secret)", msgs::NamedGroup::x25519, Bytes(32, 0)},
      {"P-256 point off the curve", msgs::NamedGroup::secp256r1, [] {
         Bytes p(65, 1);
         p[0] = 4;
         return p;
       }()},
      {"compressed P-256 point", msgs::NamedGroup::secp256r1, Bytes(33, 2)},
      // RFC 10024 §4.2: the length, the encapsulation key check, the ECDHE half.
      {"short X25519MLKEM768 share", msgs::NamedGroup::x25519_mlkem768, Bytes(1215, 1)},
      {"ML-KEM key failing the modulus check", msgs::NamedGroup::x25519_mlkem768,
       Bytes(1216, 0xff)},
      {"X25519MLKEM768 with an all-zero X25519 half", msgs::NamedGroup::x25519_mlkem768, [] {
         auto share = crypto::default_provider().generate_key_share(crypto::Group::x25519_mlkem768);
         Bytes b((*share)->public_key().begin(), (*share)->public_key().end());
         std::fill(b.end() - 32, b.end(), 0);
         return b;
       }()},
      {"SecP256r1MLKEM768 with the point off the curve", msgs::NamedGroup::secp256r1_mlkem768, [] {
         auto share =
             crypto::default_provider().generate_key_share(crypto::Group::secp256r1_mlkem768);
         Bytes b((*share)->public_key().begin(), (*share)->public_key().end());
         b[64] ^= 1;
         return b;
       }()},
  };
  for (const auto& c : cases) {
    ClientConfig every_group = test_client_config();
    every_group.groups = {tls::kX25519,           tls::kSecp256r1,         tls::kSecp384r1,
                          tls::kX25519Mlkem768, tls::kSecp256r1Mlkem768};
    auto hello = real_client_hello(every_group);
    shares(hello).shares = {{c.group, c.key}};
    auto server_config = test_server_config();
    server_config->groups = every_group.groups;
    auto server = new_server(server_config);
    auto fed = server->feed(hello_record(hello));
    ASSERT_FALSE(fed) << c.what;
    EXPECT_EQ(fed.error().alert, Alert::illegal_parameter) << c.what << ": " << fed.error().detail;
  }
  // An empty share is one of the wrong length, as tlsfuzzer and OpenSSL treat it.
  auto hello = real_client_hello();
  shares(hello).shares = {{msgs::NamedGroup::secp384r1, {}}};
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::illegal_parameter);
}

TEST(Tls13Server, PreSharedKeyNotLastIsIllegalParameter) {
  auto hello = real_client_hello();
  msgs::PreSharedKeyOffer offer;
  offer.identities.push_back({Bytes(16, 7), 1234});
  offer.binders.push_back(Bytes(32, 8));
  hello.extensions.insert(hello.extensions.begin(),
                          {ExtensionType::psk_key_exchange_modes,
                           msgs::PskKeyExchangeModes{{msgs::PskKeyExchangeMode::psk_dhe_ke}}});
  hello.extensions.insert(hello.extensions.begin(), {ExtensionType::pre_shared_key, offer});
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::illegal_parameter);
}

TEST(Tls13Server, PreSharedKeyWithoutModesIsMissingExtension) {
  auto hello = real_client_hello();
  msgs::PreSharedKeyOffer offer;
  offer.identities.push_back({Bytes(16, 7), 1234});
  offer.binders.push_back(Bytes(32, 8));
  hello.extensions.push_back({ExtensionType::pre_shared_key, offer});
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::missing_extension);
}

TEST(Tls13Server, UnknownPskFallsBackToAFullHandshake) {
  // A ticket from another server (or an old key) is not an error: full handshake instead.
  auto hello = real_client_hello();
  msgs::PreSharedKeyOffer offer;
  offer.identities.push_back({Bytes(16, 7), 1234});
  offer.binders.push_back(Bytes(32, 8));
  hello.extensions.push_back({ExtensionType::psk_key_exchange_modes,
                              msgs::PskKeyExchangeModes{{msgs::PskKeyExchangeMode::psk_dhe_ke}}});
  hello.extensions.push_back({ExtensionType::pre_shared_key, offer});
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::none);
}

TEST(Tls13Server, NoCommonSuiteIsHandshakeFailure) {
  auto hello = real_client_hello();
  hello.cipher_suites = {msgs::CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256};
  remove(hello, ExtensionType::supported_versions);
  hello.extensions.push_back(
      {ExtensionType::supported_versions,
       msgs::SupportedVersionsList{{msgs::ProtocolVersion::tls13, msgs::ProtocolVersion::tls12}}});
  EXPECT_EQ(server_alert_for(hello_record(hello)), Alert::handshake_failure);
}

TEST(Tls13Server, ChangeCipherSpecBeforeClientHelloIsUnexpected) {
  const uint8_t ccs[] = {1};
  EXPECT_EQ(server_alert_for(record(20, ccs)), Alert::unexpected_message);
}

TEST(Tls13Server, RecordLayerViolations) {
  Bytes oversized = record(22, Bytes(16385, 0));
  EXPECT_EQ(server_alert_for(oversized), Alert::record_overflow);
  EXPECT_EQ(server_alert_for(record(22, {})), Alert::unexpected_message);
  EXPECT_EQ(server_alert_for(record(21, {})), Alert::unexpected_message);
  const uint8_t short_alert[] = {2};
  EXPECT_EQ(server_alert_for(record(21, short_alert)), Alert::decode_error);
  const uint8_t junk[] = {1, 2, 3};
  EXPECT_EQ(server_alert_for(record(23, junk)), Alert::unexpected_message);
  EXPECT_EQ(server_alert_for(record(99, junk)), Alert::unexpected_message);
  const uint8_t http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_NE(server_alert_for(BytesView(http, sizeof http - 1)), Alert::none);
}

TEST(Tls13Server, ClientHelloSplitIntoOneByteRecordsCompletes) {
  Bytes body = real_client_hello().encode();
  Bytes records;
  for (uint8_t b : body) {
    Bytes r = record(22, BytesView(&b, 1));
    records.insert(records.end(), r.begin(), r.end());
  }
  auto server = new_server();
  ASSERT_TRUE(server->feed(records));
  EXPECT_TRUE(server->wants_write());  // the server flight
}

// Runs a handshake up to the client's Finished, which the test then replaces.
struct HalfDone {
  std::unique_ptr<ClientConnection> client;
  std::unique_ptr<ServerConnection> server;
};

HalfDone after_server_flight() {
  auto pair = connect_pair(test_client_config(), test_server_config());
  EXPECT_TRUE(transfer(*pair.client, *pair.server));
  EXPECT_TRUE(transfer(*pair.server, *pair.client));
  EXPECT_TRUE(pair.client->handshake_done());
  return {std::move(pair.client), std::move(pair.server)};
}

TEST(Tls13Server, HandshakeMessagesOutOfOrderAreUnexpected) {
  // A second ClientHello, where the server waits for the client's Finished, in plaintext.
  auto half = after_server_flight();
  half.client->consume_output(half.client->pending_output().size());
  EXPECT_EQ(server_alert_for(hello_record(real_client_hello()), half.server.get()),
            Alert::unexpected_message);
}

// RFC 8446 §5: a change_cipher_spec of one byte 0x01 before the peer's Finished is dropped
// (a second one is unexpected_message: strict_peer_test.cpp).
TEST(Tls13Server, ChangeCipherSpecBeforeFinishedIsDropped) {
  auto half = after_server_flight();
  const uint8_t ccs[] = {1};
  ASSERT_TRUE(half.server->feed(record(20, ccs)));
  // The client's flight, its own compatibility CCS (6 bytes) left out, completes it.
  BytesView flight = half.client->pending_output();
  Bytes finished(flight.begin() + (flight[0] == 20 ? 6 : 0), flight.end());
  half.client->consume_output(flight.size());
  ASSERT_TRUE(half.server->feed(finished));
  EXPECT_TRUE(half.server->handshake_done());
}

TEST(Tls13Server, BadChangeCipherSpecIsUnexpected) {
  auto half = after_server_flight();
  half.client->consume_output(half.client->pending_output().size());
  const uint8_t ccs[] = {2};
  EXPECT_EQ(server_alert_for(record(20, ccs), half.server.get()), Alert::unexpected_message);
}

// OpenSSL's client rejects our certificate before it switches its write keys, so its alert
// comes unprotected: the server reports the client's alert, not a record-layer violation.
TEST(Tls13Server, PlaintextAlertDuringHandshakeIsThePeersAlert) {
  auto half = after_server_flight();
  half.client->consume_output(half.client->pending_output().size());
  const uint8_t unknown_ca[] = {2, 48};
  auto fed = half.server->feed(record(21, unknown_ca));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().peer_alert, Alert::unknown_ca);
  EXPECT_TRUE(half.server->closed());
}

// After the handshake the peer's alerts are protected; a plaintext one is a violation.
TEST(Tls13Server, PlaintextAlertAfterHandshakeIsUnexpected) {
  auto half = after_server_flight();
  ASSERT_TRUE(half.server->feed(half.client->pending_output()));
  half.client->consume_output(half.client->pending_output().size());
  ASSERT_TRUE(half.server->handshake_done());
  const uint8_t close_notify[] = {1, 0};
  EXPECT_EQ(server_alert_for(record(21, close_notify), half.server.get()),
            Alert::unexpected_message);
}

TEST(Tls13Server, TruncatedFinishedRecordWaitsForMore) {
  auto half = after_server_flight();
  BytesView flight = half.client->pending_output();
  ASSERT_GT(flight.size(), 10u);
  auto fed = half.server->feed(flight.first(flight.size() - 3));
  ASSERT_TRUE(fed);
  EXPECT_FALSE(half.server->handshake_done());
  EXPECT_FALSE(half.server->closed());
  ASSERT_TRUE(half.server->feed(flight.last(3)));
  EXPECT_TRUE(half.server->handshake_done());
}

TEST(Tls13Server, ChangeCipherSpecAfterHandshakeIsUnexpected) {
  auto pair = connect_pair(test_client_config(), test_server_config());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  const uint8_t ccs[] = {1};
  EXPECT_EQ(server_alert_for(record(20, ccs), pair.server.get()), Alert::unexpected_message);
}

TEST(Tls13Server, ChangeCipherSpecBetweenHelloRetryAndSecondHelloIsAccepted) {
  ClientConfig config = test_client_config();
  config.key_share_groups = {tls::kSecp384r1};
  auto pair = connect_pair(config, x25519_only_config());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.server->hello_retry_request());
  EXPECT_TRUE(pair.server->handshake_done());
}

TEST(Tls13Server, SecondClientHelloMustAnswerTheRetry) {
  ClientConfig config = test_client_config();
  config.key_share_groups = {tls::kSecp384r1};
  auto hello = real_client_hello(config);
  auto server = new_server(x25519_only_config());
  ASSERT_TRUE(server->feed(hello_record(hello)));
  ASSERT_TRUE(server->wants_write());  // the HelloRetryRequest
  server->consume_output(server->pending_output().size());
  // The same ClientHello again: still no share for X25519.
  EXPECT_EQ(server_alert_for(hello_record(hello), server.get()), Alert::illegal_parameter);
}

// 0-RTT is declined, so the client's early records are dropped (RFC 8446 §4.2.10), up to
// 16 KiB of data.
msgs::ClientHello offering_early_data(msgs::ClientHello hello) {
  hello.extensions.insert(hello.extensions.end() - 1,
                          {ExtensionType::early_data, msgs::EmptyExtension{}});
  return hello;
}
Bytes early_data_record(size_t size) { return record(23, Bytes(size, 0x5a)); }

TEST(Tls13Server, DeclinedEarlyDataIsSkippedUpToTheLimit) {
  auto server = new_server();
  ASSERT_TRUE(server->feed(hello_record(offering_early_data(real_client_hello()))));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(server->feed(early_data_record(5000))) << i;
  EXPECT_FALSE(server->closed());
  // 4 × 4983 bytes of data is over the 16384 skipped at most.
  EXPECT_EQ(server_alert_for(early_data_record(5000), server.get()), Alert::bad_record_mac);
}

TEST(Tls13Server, UndecryptableRecordWithoutEarlyDataIsBadRecordMac) {
  auto server = new_server();
  ASSERT_TRUE(server->feed(hello_record(real_client_hello())));
  EXPECT_EQ(server_alert_for(early_data_record(100), server.get()), Alert::bad_record_mac);
}

TEST(Tls13Server, EarlyDataAfterHelloRetryIsSkippedUntilTheSecondHello) {
  ClientConfig config = test_client_config();
  config.key_share_groups = {tls::kSecp384r1};
  auto server = new_server(x25519_only_config());
  auto first = real_client_hello(config);
  ASSERT_TRUE(server->feed(hello_record(offering_early_data(first))));
  server->consume_output(server->pending_output().size());  // the HelloRetryRequest
  ASSERT_TRUE(server->feed(early_data_record(3000)));
  ASSERT_TRUE(server->feed(early_data_record(3000)));
  // The second ClientHello: the first without early_data, now with an X25519 share.
  auto second = first;
  auto x25519 = real_client_hello();
  *find(second, ExtensionType::key_share) = *find(x25519, ExtensionType::key_share);
  ASSERT_TRUE(server->feed(hello_record(second)));
  EXPECT_TRUE(server->wants_write());
  EXPECT_FALSE(server->closed());
}

TEST(Tls13Server, SecondClientHelloOfferingEarlyDataIsIllegal) {
  ClientConfig config = test_client_config();
  config.key_share_groups = {tls::kSecp384r1};
  auto server = new_server(x25519_only_config());
  ASSERT_TRUE(server->feed(hello_record(real_client_hello(config))));
  server->consume_output(server->pending_output().size());
  EXPECT_EQ(server_alert_for(hello_record(offering_early_data(real_client_hello())), server.get()),
            Alert::illegal_parameter);
}

// tlsfuzzer's test-tls13-finished: the client's Finished replaced by one of the wrong length
// (decode_error) or wrong contents (decrypt_error), sealed under the client's real handshake
// key, which the key log hands the test.
Alert alert_for_client_finished(Bytes verify_data) {
  std::string secret_hex;
  ClientConfig config = test_client_config();
  config.keylog = [&](const std::string& line) {
    if (line.starts_with("CLIENT_HANDSHAKE_TRAFFIC_SECRET "))
      secret_hex = line.substr(line.rfind(' ') + 1);
  };
  auto pair = connect_pair(config, test_server_config());
  EXPECT_TRUE(transfer(*pair.client, *pair.server));
  EXPECT_TRUE(transfer(*pair.server, *pair.client));
  pair.client->consume_output(pair.client->pending_output().size());
  auto secret = base::unhex(secret_hex);
  EXPECT_TRUE(secret);
  const auto& provider = crypto::default_provider();
  auto keys = handshake::traffic_keys(provider, crypto::Hash::sha256, crypto::Aead::aes128_gcm,
                                      *secret);
  auto cipher = record::Cipher::create(provider, record::Version::tls13, crypto::Aead::aes128_gcm,
                                       keys->key.view(), keys->iv.view());
  Bytes message = {20, 0, 0, static_cast<uint8_t>(verify_data.size())};
  message.insert(message.end(), verify_data.begin(), verify_data.end());
  Bytes sealed(cipher->plaintext_offset() + message.size() + cipher->overhead());
  std::copy(message.begin(), message.end(), sealed.begin() + cipher->plaintext_offset());
  auto size = cipher->seal(record::ContentType::handshake, sealed, message.size());
  EXPECT_TRUE(size);
  sealed.resize(*size);
  return server_alert_for(sealed, pair.server.get());
}

TEST(Tls13Server, ClientFinishedOfTheWrongLengthIsDecodeError) {
  EXPECT_EQ(alert_for_client_finished(Bytes(31, 1)), Alert::decode_error);
  EXPECT_EQ(alert_for_client_finished(Bytes(33, 1)), Alert::decode_error);
}

TEST(Tls13Server, WrongClientFinishedIsDecryptError) {
  EXPECT_EQ(alert_for_client_finished(Bytes(32, 1)), Alert::decrypt_error);
}

}  // namespace
}  // namespace tern::testing
