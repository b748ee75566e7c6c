// SPDX-License-Identifier: Apache-2.0
// In-memory TLS 1.3 handshakes between tern's client and server.
#include <gtest/gtest.h>

#include <tuple>

#include "tls13_test_util.h"

namespace tern::testing {
namespace {

using crypto::KeyType;

class Tls13Matrix : public ::testing::TestWithParam<std::tuple<uint16_t, uint16_t, KeyType>> {};

TEST_P(Tls13Matrix, HandshakeAndData) {
  auto [suite, group, key] = GetParam();
  ClientConfig cc = test_client_config(key);
  cc.cipher_suites = {suite};
  cc.groups = {group};
  auto sc = test_server_config(key);
  sc->groups = {group};  // the NIST-curve hybrids are not among the server's defaults
  auto pair = connect_pair(cc, sc);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->handshake_done());
  ASSERT_TRUE(pair.server->handshake_done());
  EXPECT_EQ(pair.client->cipher_suite(), suite);
  EXPECT_EQ(pair.server->cipher_suite(), suite);
  EXPECT_EQ(pair.client->group(), group);
  EXPECT_EQ(pair.client->signature_scheme(), pair.server->signature_scheme());
  EXPECT_EQ(pair.client->version(), tls::kTls13);
  EXPECT_FALSE(pair.client->hello_retry_request());

  ASSERT_TRUE(pair.client->write(as_bytes("ping")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "ping");
  ASSERT_TRUE(pair.server->write(as_bytes("pong")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.client), "pong");
}

INSTANTIATE_TEST_SUITE_P(
    AllSuitesGroupsKeys, Tls13Matrix,
    ::testing::Combine(::testing::Values(tls::kAes128GcmSha256, tls::kAes256GcmSha384,
                                         tls::kChacha20Poly1305Sha256),
                       ::testing::Values(tls::kX25519, tls::kSecp256r1, tls::kSecp384r1,
                                         tls::kX25519Mlkem768, tls::kSecp256r1Mlkem768,
                                         tls::kSecp384r1Mlkem1024),
                       ::testing::Values(KeyType::ec_p256, KeyType::ec_p384, KeyType::rsa,
                                         KeyType::rsa_pss, KeyType::ed25519)));

TEST(Tls13Engine, SignatureSchemeFollowsKey) {
  struct {
    KeyType key;
    uint16_t scheme;
  } cases[] = {{KeyType::ec_p256, 0x0403},
               {KeyType::ec_p384, 0x0503},
               {KeyType::rsa, 0x0804},
               {KeyType::rsa_pss, 0x0809},
               {KeyType::ed25519, 0x0807}};
  for (const auto& c : cases) {
    auto pair = connect_pair(test_client_config(c.key), test_server_config(c.key));
    ASSERT_TRUE(pump(*pair.client, *pair.server));
    EXPECT_EQ(pair.client->signature_scheme(), c.scheme) << crypto::key_type_name(c.key);
  }
}

// Parsed keys are cached per config: connections of one config share them, and a new
// config (possibly at a freed config's address) never gets another config's keys.
TEST(Tls13Engine, ParsedKeysFollowTheirConfig) {
  for (int round = 0; round < 2; ++round) {
    for (KeyType key : {KeyType::ec_p256, KeyType::ed25519, KeyType::ec_p384}) {
      auto config = test_server_config(key);
      auto first = connect_pair(test_client_config(key), config);
      auto second = connect_pair(test_client_config(key), config);
      ASSERT_TRUE(pump(*first.client, *first.server)) << crypto::key_type_name(key);
      ASSERT_TRUE(pump(*second.client, *second.server)) << crypto::key_type_name(key);
    }
  }
  auto broken = test_server_config(KeyType::ec_p256);
  broken->certificates[0].private_key = {0x30, 0x00};
  auto server = ServerConnection::create(broken);
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().detail.find("does not parse"), std::string::npos);
}

TEST(Tls13Engine, HelloRetryRequestWhenNoShareForServerGroups) {
  ClientConfig cc = test_client_config();
  cc.groups = {tls::kX25519, tls::kSecp384r1};
  cc.key_share_groups = {tls::kX25519};
  auto sc = test_server_config();
  sc->groups = {tls::kSecp384r1};
  auto pair = connect_pair(cc, sc);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->handshake_done());
  EXPECT_TRUE(pair.client->hello_retry_request());
  EXPECT_TRUE(pair.server->hello_retry_request());
  EXPECT_EQ(pair.client->group(), tls::kSecp384r1);
  ASSERT_TRUE(pair.client->write(as_bytes("after hrr")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "after hrr");
}

TEST(Tls13Engine, NoCommonGroupIsHandshakeFailure) {
  ClientConfig cc = test_client_config();
  cc.groups = {tls::kX25519};
  auto sc = test_server_config();
  sc->groups = {tls::kSecp384r1};
  auto pair = connect_pair(cc, sc);
  auto result = pump(*pair.client, *pair.server);
  ASSERT_FALSE(result);
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, Alert::handshake_failure);
  ASSERT_TRUE(pair.client->error());  // got the alert
  EXPECT_TRUE(pair.client->closed());
}

TEST(Tls13Engine, AlpnAgreesOnServerPreference) {
  ClientConfig cc = test_client_config();
  cc.alpn = {"http/1.1", "h2"};
  auto sc = test_server_config();
  sc->alpn = {"h2", "http/1.1"};
  auto pair = connect_pair(cc, sc);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(pair.client->alpn(), "h2");
  EXPECT_EQ(pair.server->alpn(), "h2");
}

TEST(Tls13Engine, AlpnNoOverlapIsNoApplicationProtocol) {
  ClientConfig cc = test_client_config();
  cc.alpn = {"spdy/3"};
  auto sc = test_server_config();
  sc->alpn = {"h2"};
  auto pair = connect_pair(cc, sc);
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, Alert::no_application_protocol);
  ASSERT_TRUE(pair.client->error());
  EXPECT_NE(pair.client->error()->detail.find("no_application_protocol"), std::string::npos)
      << pair.client->error()->detail;
}

TEST(Tls13Engine, KeyUpdateBothWays) {
  auto pair = connect_pair(test_client_config(), test_server_config());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->update_keys(true));  // the server must answer with its own
  ASSERT_TRUE(pair.client->write(as_bytes("one")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "one");
  ASSERT_TRUE(pair.server->write(as_bytes("two")));
  ASSERT_TRUE(pair.server->update_keys(false));
  ASSERT_TRUE(pair.server->write(as_bytes("three")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.client), "twothree");
  Bytes a = *pair.client->export_keying_material("EXPORTER-test", as_bytes("ctx"), 32);
  Bytes b = *pair.server->export_keying_material("EXPORTER-test", as_bytes("ctx"), 32);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 32u);
}

TEST(Tls13Engine, CloseNotifyAndHalfClose) {
  auto pair = connect_pair(test_client_config(), test_server_config());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  pair.client->close();
  EXPECT_FALSE(pair.client->write(as_bytes("late")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.server->peer_closed());
  EXPECT_FALSE(pair.server->closed());
  ASSERT_TRUE(pair.server->write(as_bytes("bye")));  // half-close: the server still talks
  pair.server->close();
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.client), "bye");
  EXPECT_TRUE(pair.client->closed());
  EXPECT_TRUE(pair.server->closed());
}

TEST(Tls13Engine, BytesAfterCloseNotifyAreIgnored) {
  auto pair = connect_pair(test_client_config(), test_server_config());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  pair.client->close();
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->peer_closed());
  const uint8_t garbage[] = {0x17, 0x03, 0x03, 0x00, 0x01, 0xff, 0x00};
  EXPECT_TRUE(pair.server->feed(garbage));  // RFC 8446 §6.1: ignored, not an error
  EXPECT_EQ(pair.server->readable(), 0u);
}

TEST(Tls13Engine, CloseNotifyDuringHandshakeEndsTheConnection) {
  auto client = ClientConnection::create(test_client_config());
  ASSERT_TRUE(client);
  const uint8_t close_notify[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00};
  auto fed = (*client)->feed(close_notify);
  ASSERT_FALSE(fed);
  EXPECT_NE(fed.error().detail.find("before the handshake finished"), std::string::npos);
  EXPECT_TRUE((*client)->closed());
}

TEST(Tls13Engine, BytesOneAtATime) {
  ClientConfig cc = test_client_config();
  cc.alpn = {"h2"};
  auto sc = test_server_config();
  sc->alpn = {"h2"};
  auto pair = connect_pair(cc, sc);
  ASSERT_TRUE(pump(*pair.client, *pair.server, 1));
  ASSERT_TRUE(pair.client->handshake_done());
  ASSERT_TRUE(pair.server->handshake_done());
  ASSERT_TRUE(pair.client->write(as_bytes("split")));
  ASSERT_TRUE(pump(*pair.client, *pair.server, 1));
  EXPECT_EQ(read_all(*pair.server), "split");
}

TEST(Tls13Engine, SmallRecordSizeLimitSplitsHandshakeAndData) {
  ClientConfig cc = test_client_config(KeyType::rsa);
  cc.record_size_limit = 64;  // the server's flight must come in many small records
  auto pair = connect_pair(cc, test_server_config(KeyType::rsa));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->handshake_done());
  std::string big(1000, 'x');
  ASSERT_TRUE(pair.server->write(as_bytes(big)));
  BytesView out = pair.server->pending_output();
  EXPECT_GT(out.size(), big.size() + 15 * 22);  // at least 16 records of overhead
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.client), big);
}

TEST(Tls13Engine, FlippedByteIsBadRecordMac) {
  auto pair = connect_pair(test_client_config(), test_server_config());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->write(as_bytes("payload")));
  Bytes wire(pair.client->pending_output().begin(), pair.client->pending_output().end());
  pair.client->consume_output(wire.size());
  wire[wire.size() - 3] ^= 0x01;
  auto result = pair.server->feed(wire);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, Alert::bad_record_mac);
  EXPECT_TRUE(pair.server->closed());
  EXPECT_FALSE(pair.server->pending_output().empty());  // the alert
  ASSERT_FALSE(transfer(*pair.server, *pair.client));
  ASSERT_TRUE(pair.client->error());
  EXPECT_NE(pair.client->error()->detail.find("bad_record_mac"), std::string::npos);
}

TEST(Tls13Engine, GarbageGetsAnAlert) {
  auto server = ServerConnection::create(test_server_config());
  ASSERT_TRUE(server);
  auto result = (*server)->feed(as_bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_FALSE(result);
  EXPECT_TRUE((*server)->closed());
  BytesView alert = (*server)->pending_output();
  ASSERT_EQ(alert.size(), 7u);
  EXPECT_EQ(alert[0], 21);  // alert record
  EXPECT_EQ(alert[5], 2);   // fatal

  auto client = ClientConnection::create(test_client_config());
  ASSERT_TRUE(client);
  (*client)->consume_output((*client)->pending_output().size());
  Bytes junk = {22, 3, 3, 0, 4, 2, 0, 0, 0};  // a ServerHello with an empty body
  auto bad = (*client)->feed(junk);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().alert, Alert::decode_error);
}

TEST(Tls13Engine, UntrustedServerIsRejected) {
  ClientConfig cc = test_client_config(KeyType::ec_p256);
  cc.trust_store = test_credentials(KeyType::ed25519).roots;  // another PKI's root
  auto pair = connect_pair(cc, test_server_config(KeyType::ec_p256));
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->error());
  EXPECT_EQ(pair.client->error()->code, Errc::certificate);
  EXPECT_NE(pair.client->error()->detail.find("server certificate rejected"), std::string::npos);
  ASSERT_TRUE(pair.server->error());
  EXPECT_FALSE(pair.server->handshake_done());
  // The client's alert comes under its handshake keys, so the server reads it (a plaintext
  // alert there would be refused as an unprotected record).
  EXPECT_NE(pair.server->error()->detail.find("the peer sent the alert"), std::string::npos)
      << pair.server->error()->detail;
}

TEST(Tls13Engine, WrongHostIsRejected) {
  ClientConfig cc = test_client_config();
  cc.server_name = "example.org";
  auto pair = connect_pair(cc, test_server_config());
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->error());
  EXPECT_EQ(pair.client->error()->code, Errc::certificate);
}

TEST(Tls13Engine, ServerPicksChainBySni) {
  auto sc = std::make_shared<ServerConfig>();
  CertifiedKey fallback = test_credentials(KeyType::ec_p384).certified;
  fallback.names = {"other.example"};
  sc->certificates.push_back(fallback);
  sc->certificates.push_back(test_credentials(KeyType::ed25519).certified);  // "localhost"
  auto pair = connect_pair(test_client_config(KeyType::ed25519), sc);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(pair.client->signature_scheme(), 0x0807);
  EXPECT_EQ(pair.server->server_name(), "localhost");
  ASSERT_EQ(pair.client->peer_chain().size(), 2u);
  EXPECT_EQ(pair.client->peer_chain()[0], test_credentials(KeyType::ed25519).certified.chain[0]);

  ClientConfig no_sni = test_client_config(KeyType::ec_p384);
  no_sni.server_name.clear();  // default chain, and no name check
  auto pair2 = connect_pair(no_sni, sc);
  ASSERT_TRUE(pump(*pair2.client, *pair2.server));
  EXPECT_EQ(pair2.client->signature_scheme(), 0x0503);
}

class Recorder : public Observer {
 public:
  void on_handshake_message(Direction d, Protection p, uint8_t type, BytesView,
                            const std::string& text) override {
    events.push_back(std::string(d == Direction::sent ? ">" : "<") +
                     std::to_string(static_cast<int>(p)) + ":" + std::to_string(type));
    EXPECT_FALSE(text.empty());
  }
  void on_key_schedule(const std::string& stage) override { stages.push_back(stage); }
  void on_certificate_verification(const std::vector<CertificateInfo>& chain,
                                   const std::string& error) override {
    verified_chain_length = chain.size();
    verify_error = error;
  }
  std::vector<std::string> events, stages;
  size_t verified_chain_length = 0;
  std::string verify_error = "unset";
};

TEST(Tls13Engine, ObserverAndKeylog) {
  Recorder recorder;
  std::vector<std::string> keylog;
  ClientConfig cc = test_client_config();
  cc.observer = &recorder;
  cc.keylog = [&](const std::string& line) { keylog.push_back(line); };
  auto pair = connect_pair(cc, test_server_config());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  // 25: CompressedCertificate in place of Certificate (RFC 8879, on by default).
  std::vector<std::string> expected = {">0:1", "<0:2", "<1:8", "<1:25", "<1:15", "<1:20", ">1:20"};
  EXPECT_EQ(recorder.events, expected);
  EXPECT_EQ(recorder.verified_chain_length, 2u);
  EXPECT_EQ(recorder.verify_error, "");
  EXPECT_FALSE(recorder.stages.empty());
  ASSERT_EQ(keylog.size(), 5u);
  EXPECT_EQ(keylog[0].rfind("CLIENT_HANDSHAKE_TRAFFIC_SECRET ", 0), 0u);
  EXPECT_EQ(keylog[0].size(), std::string("CLIENT_HANDSHAKE_TRAFFIC_SECRET ").size() + 64 + 1 + 64);
  EXPECT_EQ(keylog[2].rfind("CLIENT_TRAFFIC_SECRET_0 ", 0), 0u);
}

TEST(Tls13Engine, WriteBeforeHandshakeFails) {
  auto client = ClientConnection::create(test_client_config());
  ASSERT_TRUE(client);
  auto result = (*client)->write(as_bytes("early"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::usage);
}

}  // namespace
}  // namespace tern::testing
