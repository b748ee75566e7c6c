// SPDX-License-Identifier: Apache-2.0
// Encrypted Client Hello (RFC 9849) between tern's client and server: accepted, rejected
// with retry configs, HelloRetryRequest, GREASE, several keys, and hostile extensions.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "base/encoding.h"
#include "msgs/ech.h"
#include "tern/ech.h"
#include "tls13_ech_test_util.h"

namespace tern::testing {
namespace {

TEST(Ech, AcceptedInnerSniReachesServer) {
  auto key = make_key(7);
  auto pair = connect_pair(ech_client(key.config_list), ech_server({key}));
  auto done = pump(*pair.client, *pair.server);
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_TRUE(pair.client->handshake_done());
  EXPECT_TRUE(pair.client->ech_accepted());
  EXPECT_TRUE(pair.server->ech_accepted());
  EXPECT_EQ(pair.server->server_name(), "secret.test");
  ASSERT_TRUE(pair.client->write(as_bytes("ping")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(pair.server->readable(), 4u);
}

TEST(Ech, SecondKeyAndCollidingConfigIds) {
  auto old_key = make_key(3), new_key = make_key(3);  // same id: both are tried
  auto pair = connect_pair(ech_client(new_key.config_list), ech_server({old_key, new_key}));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.client->ech_accepted());
  EXPECT_EQ(pair.server->server_name(), "secret.test");
}

TEST(Ech, RejectedWithRetryConfigsThenRetrySucceeds) {
  auto stale = make_key(1), current = make_key(2);
  auto server = ech_server({current});
  auto pair = connect_pair(ech_client(stale.config_list), server);
  auto done = pump(*pair.client, *pair.server);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().alert, Alert::ech_required);
  EXPECT_NE(done.error().detail.find("rejected ECH"), std::string::npos) << done.error().detail;
  EXPECT_FALSE(pair.client->ech_accepted());
  EXPECT_EQ(pair.server->server_name(), "public.test");  // the server saw only the outer hello
  EXPECT_EQ(pair.client->ech_retry_configs(), current.config_list);
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->peer_alert, Alert::ech_required);

  auto again = connect_pair(ech_client(pair.client->ech_retry_configs()), server);
  ASSERT_TRUE(pump(*again.client, *again.server));
  EXPECT_TRUE(again.client->ech_accepted());
  EXPECT_EQ(again.server->server_name(), "secret.test");
}

TEST(Ech, RejectedByServerWithoutEchAuthenticatesPublicName) {
  auto key = make_key(1);
  auto server = std::make_shared<ServerConfig>();
  server->certificates.push_back(ech_credentials().certified);
  auto pair = connect_pair(ech_client(key.config_list), server);
  auto done = pump(*pair.client, *pair.server);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().alert, Alert::ech_required);
  EXPECT_NE(done.error().detail.find("no retry configs"), std::string::npos);
  EXPECT_TRUE(pair.client->ech_retry_configs().empty());
}

TEST(Ech, RejectionWithCertificateNotForPublicNameFails) {
  auto key = make_key(1, "elsewhere.test");
  auto other = make_key(2, "elsewhere.test");
  auto pair = connect_pair(ech_client(key.config_list), ech_server({other}));
  auto done = pump(*pair.client, *pair.server);
  ASSERT_FALSE(done);
  EXPECT_NE(done.error().alert, Alert::ech_required);  // the certificate check failed first
}

// The keys are parsed, checked and loaded once per server config, with its certificates: a
// key that is not its config's fails the config's first connection, not a client's hello.
TEST(Ech, ServerKeysAreCheckedWithTheConfig) {
  auto key = make_key(1), other = make_key(2);
  auto server = std::make_shared<ServerConfig>();
  server->certificates.push_back(ech_credentials().certified);
  server->ech_keys.push_back({key.config, other.private_key, true});
  auto refused = ServerConnection::create(server);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("does not belong"), std::string::npos)
      << refused.error().detail;
}

// Connections on several threads share one config's prepared keys (read only).
TEST(Ech, ConnectionsOnThreadsShareTheKeys) {
  auto old_key = make_key(1), key = make_key(2);
  auto server = ech_server({old_key, key});
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        auto pair = connect_pair(ech_client(i % 2 ? key.config_list : old_key.config_list), server);
        if (pump(*pair.client, *pair.server) && pair.server->ech_accepted()) ++accepted;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 12);
}

TEST(Ech, HelloRetryRequestAccepted) {
  auto key = make_key(9);
  auto config = ech_client(key.config_list);
  config.key_share_groups = {tls::kSecp256r1};
  auto server = ech_server({key});
  server->groups = {tls::kX25519};
  auto pair = connect_pair(config, server);
  auto done = pump(*pair.client, *pair.server);
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_TRUE(pair.client->hello_retry_request());
  EXPECT_TRUE(pair.client->ech_accepted());
  EXPECT_EQ(pair.server->server_name(), "secret.test");
}

TEST(Ech, HelloRetryRequestRejected) {
  auto key = make_key(9), other = make_key(10);
  auto config = ech_client(key.config_list);
  config.key_share_groups = {tls::kSecp256r1};
  auto server = ech_server({other});
  server->groups = {tls::kX25519};
  auto pair = connect_pair(config, server);
  auto done = pump(*pair.client, *pair.server);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().alert, Alert::ech_required) << done.error().detail;
  EXPECT_TRUE(pair.client->hello_retry_request());
  EXPECT_EQ(pair.client->ech_retry_configs(), other.config_list);
}

TEST(Ech, GreaseIsSentByDefaultAndIgnored) {
  auto key = make_key(1);
  ClientConfig config = test_client_config();
  ASSERT_TRUE(config.ech_grease);
  config.trust_store = test_credentials(crypto::KeyType::ec_p256).roots;
  auto pair = connect_pair(config, test_server_config());
  // The first flight carries an outer encrypted_client_hello.
  BytesView hello = pair.client->pending_output();
  auto parsed = msgs::ClientHello::parse(hello.subspan(5 + 4));
  ASSERT_TRUE(parsed);
  auto* ech = parsed->find(msgs::ExtensionType::encrypted_client_hello);
  ASSERT_NE(ech, nullptr);
  auto body = msgs::EchClientHello::parse(ech->get<msgs::RawExtension>()->data);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->type, msgs::EchClientHelloType::outer);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.client->handshake_done());
  EXPECT_FALSE(pair.client->ech_accepted());
  // And against a server with ECH keys, which answers with retry configs the client ignores.
  auto with_keys = ech_server({key});
  auto grease_config = ech_client({});
  auto pair3 = connect_pair(grease_config, with_keys);
  ASSERT_TRUE(pump(*pair3.client, *pair3.server));
  EXPECT_FALSE(pair3.client->ech_accepted());
  EXPECT_EQ(pair3.server->server_name(), "secret.test");
}

TEST(Ech, ConfigListErrorsAreClear) {
  auto bad = ClientConnection::create(ech_client(Bytes{0x00, 0x04, 0xfe, 0x0d, 0xff, 0xff}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::decode);
  auto key = make_key(1);
  auto tls12 = ech_client(key.config_list);
  tls12.min_version = tls::kTls12;
  auto refused = ClientConnection::create(tls12);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("TLS 1.3"), std::string::npos);
  EXPECT_FALSE(read_ech_config_list(as_bytes("not base64!")));
  auto b64 = read_ech_config_list(as_bytes(" " + base::base64(key.config_list) + "\n"));
  ASSERT_TRUE(b64);
  EXPECT_EQ(*b64, key.config_list);
  EXPECT_FALSE(load_ech_key(key.config, make_key(1).private_key));  // not its key
  EXPECT_FALSE(generate_ech_key("192.0.2.1"));
}

// Hostile ECHConfigLists and inner hellos: every one fails cleanly with decode_error or
// illegal_parameter, never a crash.
TEST(Ech, CodecRejectsAbsurdLengths) {
  auto key = make_key(1);
  Bytes list = key.config_list;
  for (size_t cut = 0; cut < list.size(); ++cut)
    EXPECT_FALSE(msgs::parse_ech_config_list(BytesView(list).first(cut))) << cut;
  Bytes longer = list;
  longer[1] += 1;
  EXPECT_FALSE(msgs::parse_ech_config_list(longer));
  Bytes inner_len = list;
  inner_len[5] = 0xff;  // ECHConfig length past the list
  auto r = msgs::parse_ech_config_list(inner_len);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().alert, Alert::decode_error);
  EXPECT_FALSE(msgs::parse_outer_extensions(Bytes{1, 0}));
  EXPECT_FALSE(msgs::EchClientHello::parse(Bytes{2}));
}

TEST(Ech, InnerHelloExpansionRulesAreEnforced) {
  msgs::ClientHello outer;
  outer.cipher_suites = {msgs::CipherSuite::tls_aes_128_gcm_sha256};
  outer.extensions.push_back(
      {msgs::ExtensionType::supported_groups, msgs::NamedGroupList{{msgs::NamedGroup::x25519}}});
  outer.extensions.push_back({msgs::ExtensionType::encrypted_client_hello,
                              msgs::RawExtension{Bytes{0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}}});
  Bytes outer_message = outer.encode();
  Bytes outer_body(outer_message.begin() + 4, outer_message.end());
  msgs::ClientHello compressed;
  compressed.cipher_suites = outer.cipher_suites;
  compressed.extensions.push_back(outer.extensions[0]);
  Bytes good_inner =
      msgs::encode_client_hello_inner(compressed, {msgs::ExtensionType::supported_groups}, 0, 5);
  auto good = msgs::decode_client_hello_inner(good_inner, outer_body);
  ASSERT_TRUE(good) << good.error().detail;
  auto reparsed = msgs::ClientHello::parse(BytesView(*good).subspan(4));
  ASSERT_TRUE(reparsed);
  EXPECT_NE(reparsed->find(msgs::ExtensionType::supported_groups), nullptr);
  // Non-zero padding, and a reference to encrypted_client_hello.
  Bytes bad_padding = good_inner;
  bad_padding.back() = 1;
  auto r = msgs::decode_client_hello_inner(bad_padding, outer_body);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
  msgs::ClientHello inner;
  inner.extensions.push_back({msgs::kEchOuterExtensions,
                              msgs::RawExtension{msgs::encode_outer_extensions(
                                  {msgs::ExtensionType::encrypted_client_hello})}});
  Bytes refs_ech = msgs::encode_client_hello_inner(inner, {}, 0, 5);
  r = msgs::decode_client_hello_inner(refs_ech, outer_body);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
  // A reference the outer hello lacks.
  msgs::ClientHello missing;
  missing.extensions.push_back({msgs::kEchOuterExtensions,
                                msgs::RawExtension{msgs::encode_outer_extensions(
                                    {msgs::ExtensionType::key_share})}});
  r = msgs::decode_client_hello_inner(msgs::encode_client_hello_inner(missing, {}, 0, 5), outer_body);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
}

}  // namespace
}  // namespace tern::testing
