// SPDX-License-Identifier: Apache-2.0
// Post-quantum hybrid key exchange (RFC 10024) between tern's client and server: the
// defaults, server preference, HelloRetryRequest toward and away from the hybrids, TLS 1.2
// never using them, and bad hybrid shares from either side.
#include <gtest/gtest.h>

#include "tls13_test_util.h"

namespace tern::testing {
namespace {

struct Outcome {
  uint16_t version = 0, group = 0;
  bool hrr = false;
};

Outcome handshake(ClientConfig cc, std::shared_ptr<ServerConfig> sc) {
  auto pair = connect_pair(std::move(cc), std::move(sc));
  auto result = pump(*pair.client, *pair.server);
  EXPECT_TRUE(result) << result.error();
  EXPECT_TRUE(pair.client->handshake_done());
  EXPECT_EQ(pair.client->group(), pair.server->group());
  EXPECT_TRUE(pair.client->write(as_bytes("ping")));
  EXPECT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "ping");
  return {pair.client->version(), pair.client->group(), pair.client->hello_retry_request()};
}

ClientConfig client_with(std::vector<uint16_t> groups, std::vector<uint16_t> shares = {}) {
  ClientConfig cc = test_client_config();
  cc.groups = std::move(groups);
  cc.key_share_groups = std::move(shares);
  return cc;
}

std::shared_ptr<ServerConfig> server_with(std::vector<uint16_t> groups) {
  auto sc = test_server_config();
  sc->groups = std::move(groups);
  return sc;
}

TEST(Tls13Hybrid, DefaultsAgreeOnX25519Mlkem768) {
  Outcome o = handshake(test_client_config(), test_server_config());
  EXPECT_EQ(o.group, tls::kX25519Mlkem768);
  EXPECT_FALSE(o.hrr);
}

// The default ClientHello carries two shares: the hybrid and plain X25519.
TEST(Tls13Hybrid, DefaultClientHelloSharesHybridAndX25519) {
  auto client = ClientConnection::create(test_client_config());
  ASSERT_TRUE(client);
  msgs::ClientHello hello = first_client_hello(**client);
  auto* shares = hello.get<msgs::KeyShareClientHello>(msgs::ExtensionType::key_share);
  ASSERT_TRUE(shares);
  ASSERT_EQ(shares->shares.size(), 2u);
  EXPECT_EQ(shares->shares[0].group, msgs::NamedGroup::x25519_mlkem768);
  EXPECT_EQ(shares->shares[0].key_exchange.size(), 1216u);
  EXPECT_EQ(shares->shares[1].group, msgs::NamedGroup::x25519);
  auto* groups = hello.get<msgs::NamedGroupList>(msgs::ExtensionType::supported_groups);
  ASSERT_TRUE(groups);
  EXPECT_EQ(groups->groups.front(), msgs::NamedGroup::x25519_mlkem768);
}

TEST(Tls13Hybrid, EveryHybridBetweenTernClientAndServer) {
  for (uint16_t g : {tls::kX25519Mlkem768, tls::kSecp256r1Mlkem768, tls::kSecp384r1Mlkem1024}) {
    SCOPED_TRACE(g);
    for (uint16_t suite : {tls::kAes128GcmSha256, tls::kAes256GcmSha384}) {
      ClientConfig cc = client_with({g});
      cc.cipher_suites = {suite};
      Outcome o = handshake(cc, server_with({g}));
      EXPECT_EQ(o.group, g);
      EXPECT_FALSE(o.hrr);
    }
  }
}

// A peer without the hybrids still gets X25519 in one round trip.
TEST(Tls13Hybrid, ServerWithoutHybridsGetsX25519WithoutRetry) {
  Outcome o = handshake(test_client_config(), server_with({tls::kX25519, tls::kSecp256r1}));
  EXPECT_EQ(o.group, tls::kX25519);
  EXPECT_FALSE(o.hrr);
  Outcome old = handshake(client_with({tls::kX25519, tls::kSecp256r1}), test_server_config());
  EXPECT_EQ(old.group, tls::kX25519);
  EXPECT_FALSE(old.hrr);
}

// The server prefers the hybrid when the client sent shares for both.
TEST(Tls13Hybrid, ServerPrefersTheHybridWhenOffered) {
  ClientConfig cc = client_with({tls::kX25519, tls::kX25519Mlkem768},
                                {tls::kX25519, tls::kX25519Mlkem768});
  Outcome o = handshake(cc, test_server_config());
  EXPECT_EQ(o.group, tls::kX25519Mlkem768);
  EXPECT_FALSE(o.hrr);
}

TEST(Tls13Hybrid, HelloRetryRequestTowardEachHybrid) {
  for (uint16_t g : {tls::kX25519Mlkem768, tls::kSecp256r1Mlkem768, tls::kSecp384r1Mlkem1024}) {
    SCOPED_TRACE(g);
    Outcome o = handshake(client_with({tls::kX25519, g}), server_with({g}));
    EXPECT_EQ(o.group, g);
    EXPECT_TRUE(o.hrr);
  }
}

TEST(Tls13Hybrid, HelloRetryRequestAwayFromTheHybrid) {
  Outcome o = handshake(test_client_config(), server_with({tls::kSecp256r1}));
  EXPECT_EQ(o.group, tls::kSecp256r1);
  EXPECT_TRUE(o.hrr);
  // Only a hybrid share sent, a server with X25519 only.
  Outcome p = handshake(client_with({tls::kX25519Mlkem768, tls::kX25519}, {tls::kX25519Mlkem768}),
                        server_with({tls::kX25519}));
  EXPECT_EQ(p.group, tls::kX25519);
  EXPECT_TRUE(p.hrr);
}

TEST(Tls13Hybrid, Tls12NeverUsesAHybrid) {
  // A TLS 1.3 client meeting a TLS 1.2 server settles on a classical group.
  auto sc = test_server_config();
  sc->max_version = tls::kTls12;
  Outcome o = handshake(client_with({tls::kX25519Mlkem768, tls::kSecp256r1}), sc);
  EXPECT_EQ(o.version, tls::kTls12);
  EXPECT_EQ(o.group, tls::kSecp256r1);
  // A TLS 1.2-only client does not offer them at all, and says so if nothing else is left.
  ClientConfig only12 = client_with({tls::kX25519Mlkem768});
  only12.max_version = tls::kTls12;
  auto refused = ClientConnection::create(only12);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::usage);
  EXPECT_NE(refused.error().detail.find("TLS 1.3 only"), std::string::npos) << refused.error();
  ClientConfig mixed = client_with({tls::kX25519Mlkem768, tls::kX25519});
  mixed.max_version = tls::kTls12;
  auto client = ClientConnection::create(mixed);
  ASSERT_TRUE(client) << client.error();
  msgs::ClientHello hello = first_client_hello(**client);
  auto* groups = hello.get<msgs::NamedGroupList>(msgs::ExtensionType::supported_groups);
  ASSERT_TRUE(groups);
  EXPECT_EQ(groups->groups, std::vector<msgs::NamedGroup>{msgs::NamedGroup::x25519});
}

// RFC 10024 §4.2: a server share of the wrong length is illegal_parameter.
TEST(Tls13Hybrid, ClientRefusesAServerShareOfTheWrongLength) {
  for (size_t length : {size_t{1119}, size_t{1121}, size_t{32}}) {
    ClientConfig cc = test_client_config();
    cc.middlebox_compat = false;  // an empty legacy_session_id, which the hello echoes
    auto client = ClientConnection::create(cc);
    ASSERT_TRUE(client);
    (*client)->consume_output((*client)->pending_output().size());
    msgs::ServerHello hello;
    hello.random.fill(0x44);
    hello.cipher_suite = msgs::CipherSuite::tls_aes_128_gcm_sha256;
    hello.extensions.push_back({msgs::ExtensionType::supported_versions,
                                msgs::SupportedVersionSelected{msgs::ProtocolVersion::tls13}});
    hello.extensions.push_back(
        {msgs::ExtensionType::key_share,
         msgs::KeyShareServerHello{{msgs::NamedGroup::x25519_mlkem768, Bytes(length, 7)}}});
    auto result = (*client)->feed(plaintext_record(22, hello.encode()));
    ASSERT_FALSE(result) << length;
    EXPECT_EQ(result.error().alert, Alert::illegal_parameter) << result.error();
    EXPECT_NE(result.error().detail.find("X25519MLKEM768"), std::string::npos) << result.error();
  }
}

}  // namespace
}  // namespace tern::testing
