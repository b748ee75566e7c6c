// SPDX-License-Identifier: Apache-2.0
// Resumption and client certificates, tern client against tern server in memory: TLS 1.3
// tickets (PSK with psk_dhe_ke) and TLS 1.2 tickets and session IDs, and mutual TLS in both
// versions.
#include <gtest/gtest.h>

#include "tls13_test_util.h"

namespace tern::testing {
namespace {

struct Clock {
  int64_t now = kTestNow;
  std::function<int64_t()> fn() {
    return [this] { return now; };
  }
};

struct Peers {
  Clock client_clock, server_clock;
  std::shared_ptr<ClientSessionCache> cache = std::make_shared<ClientSessionCache>();
  std::shared_ptr<ServerConfig> server = test_server_config();

  explicit Peers(uint16_t version = tls::kTls13) {
    server->now = server_clock.fn();
    server->max_version = version;
  }
  ClientConfig client() {
    ClientConfig config = test_client_config();
    config.now = client_clock.fn();
    config.session_cache = cache;
    return config;
  }
  // One handshake and a message each way; returns the pair for inspection.
  Pair run(ClientConfig config) {
    Pair pair = connect_pair(std::move(config), server);
    auto pumped = pump(*pair.client, *pair.server);
    EXPECT_TRUE(pumped) << pumped.error();
    EXPECT_TRUE(pair.client->handshake_done());
    EXPECT_TRUE(pair.server->handshake_done());
    EXPECT_TRUE(pair.client->write(as_bytes("ping")));
    EXPECT_TRUE(pair.server->write(as_bytes("pong")));
    EXPECT_TRUE(pump(*pair.client, *pair.server));
    EXPECT_EQ(read_all(*pair.server), "ping");
    EXPECT_EQ(read_all(*pair.client), "pong");
    return pair;
  }
};

TEST(Resumption, Tls13TicketsResumeOnceEach) {
  Peers setup;
  Pair full = setup.run(setup.client());
  EXPECT_FALSE(full.client->resumed());
  EXPECT_EQ(setup.cache->sessions("localhost"), 2u);  // two tickets by default
  setup.client_clock.now += 5;
  setup.server_clock.now += 5;
  Pair again = setup.run(setup.client());
  EXPECT_TRUE(again.client->resumed());
  EXPECT_TRUE(again.server->resumed());
  EXPECT_EQ(again.client->version(), tls::kTls13);
  EXPECT_EQ(again.client->signature_scheme(), 0);  // no CertificateVerify
  // One ticket was used up and two new ones came: each is used once.
  EXPECT_EQ(setup.cache->sessions("localhost"), 3u);
}

TEST(Resumption, Tls13TicketFromOtherKeysGivesFullHandshake) {
  Peers setup;
  setup.run(setup.client());
  auto other = test_server_config();
  other->now = setup.server_clock.fn();
  setup.server = other;  // fresh ticket keys
  Pair again = setup.run(setup.client());
  EXPECT_FALSE(again.client->resumed());
}

TEST(Resumption, Tls13SharedTicketKeysResumeAcrossServers) {
  Peers setup;
  auto keys = TicketKeys::generate();
  ASSERT_TRUE(keys);
  setup.server->ticket_keys = *keys;
  setup.run(setup.client());
  auto second = test_server_config();
  second->now = setup.server_clock.fn();
  second->ticket_keys = *keys;
  setup.server = second;
  EXPECT_TRUE(setup.run(setup.client()).client->resumed());
}

TEST(Resumption, Tls13TicketAgeMismatchGivesFullHandshake) {
  Peers setup;
  setup.run(setup.client());
  setup.server_clock.now += 60;  // the client thinks the ticket is a minute younger
  EXPECT_FALSE(setup.run(setup.client()).client->resumed());
}

TEST(Resumption, Tls13WrongBinderIsDecryptError) {
  Peers setup;
  setup.run(setup.client());
  auto session = setup.cache->take("localhost", kTestNow);
  ASSERT_TRUE(session);
  session->secret.data()[0] ^= 1;  // the client no longer holds the ticket's PSK
  setup.cache = std::make_shared<ClientSessionCache>();
  setup.cache->put("localhost", std::move(*session));
  Pair pair = connect_pair(setup.client(), setup.server);
  auto pumped = pump(*pair.client, *pair.server);
  ASSERT_FALSE(pumped);
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, Alert::decrypt_error);
}

TEST(Resumption, Tls13NoTicketsWhenDisabled) {
  Peers setup;
  setup.server->tickets = 0;
  setup.run(setup.client());
  EXPECT_EQ(setup.cache->sessions("localhost"), 0u);
}

TEST(Resumption, Tls13SessionForAnotherNameIsNotOffered) {
  Peers setup;
  setup.run(setup.client());
  auto session = setup.cache->take("localhost", kTestNow);
  ASSERT_TRUE(session);
  session->server_name = "elsewhere.example";
  setup.cache = std::make_shared<ClientSessionCache>();
  setup.cache->put("localhost", std::move(*session));
  EXPECT_FALSE(setup.run(setup.client()).client->resumed());
}

TEST(Resumption, Tls12TicketResumes) {
  Peers setup(tls::kTls12);
  Pair full = setup.run(setup.client());
  EXPECT_EQ(full.client->version(), tls::kTls12);
  EXPECT_FALSE(full.client->resumed());
  Pair again = setup.run(setup.client());
  EXPECT_TRUE(again.client->resumed());
  EXPECT_TRUE(again.server->resumed());
  EXPECT_TRUE(again.client->extended_master_secret());
  // A TLS 1.2 session may be resumed again.
  EXPECT_TRUE(setup.run(setup.client()).client->resumed());
}

TEST(Resumption, Tls12SessionIdResumes) {
  Peers setup(tls::kTls12);
  setup.server->tickets = 0;  // no RFC 5077 tickets: the server caches by session ID
  setup.run(setup.client());
  auto session = setup.cache->take("localhost", kTestNow);
  ASSERT_TRUE(session);
  EXPECT_TRUE(session->ticket.empty());
  EXPECT_EQ(session->session_id.size(), 32u);
  setup.cache->put("localhost", std::move(*session));
  EXPECT_TRUE(setup.run(setup.client()).client->resumed());
}

TEST(Resumption, Tls12KeysDifferPerConnection) {
  Peers setup(tls::kTls12);
  Pair full = setup.run(setup.client());
  Pair again = setup.run(setup.client());
  auto a = full.client->export_keying_material("EXPORTER-test", {}, 32);
  auto b = again.client->export_keying_material("EXPORTER-test", {}, 32);
  auto c = again.server->export_keying_material("EXPORTER-test", {}, 32);
  ASSERT_TRUE(a && b && c);
  EXPECT_NE(*a, *b);  // new randoms, new keys from the same master secret
  EXPECT_EQ(*b, *c);
}

TEST(Resumption, NoResumptionWhenTheServerTurnsItOff) {
  for (uint16_t version : {tls::kTls13, tls::kTls12}) {
    Peers setup(version);
    setup.server->resumption = false;
    setup.run(setup.client());
    EXPECT_FALSE(setup.run(setup.client()).client->resumed()) << version;
  }
}

// ---- client certificates ----

class MutualTls : public ::testing::TestWithParam<uint16_t> {};

TEST_P(MutualTls, ClientCertificateIsVerifiedAndKept) {
  const CertifiedKey& mine = client_pki().certified;
  for (auto auth : {ServerConfig::ClientAuth::request, ServerConfig::ClientAuth::require}) {
    auto server = test_server_config();
    server->max_version = GetParam();
    server->client_auth = auth;
    server->client_roots = client_pki().roots;
    ClientConfig config = test_client_config();
    config.client_certificate = mine;
    Pair pair = connect_pair(std::move(config), server);
    auto pumped = pump(*pair.client, *pair.server);
    ASSERT_TRUE(pumped) << pumped.error();
    ASSERT_TRUE(pair.server->handshake_done());
    ASSERT_EQ(pair.server->peer_chain().size(), 2u);
    EXPECT_EQ(pair.server->peer_chain()[0], mine.chain[0]);
  }
}

TEST_P(MutualTls, MissingCertificateIsRefusedOnlyWhenRequired) {
  auto roots = client_pki().roots;
  auto server = test_server_config();
  server->max_version = GetParam();
  server->client_roots = roots;
  server->client_auth = ServerConfig::ClientAuth::request;
  Pair pair = connect_pair(test_client_config(), server);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.server->handshake_done());
  EXPECT_TRUE(pair.server->peer_chain().empty());

  server = test_server_config();
  server->max_version = GetParam();
  server->client_roots = roots;
  server->client_auth = ServerConfig::ClientAuth::require;
  pair = connect_pair(test_client_config(), server);
  EXPECT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, GetParam() == tls::kTls13 ? Alert::certificate_required
                                                                   : Alert::handshake_failure);
}

TEST_P(MutualTls, UntrustedClientCertificateIsRefused) {
  auto server = test_server_config();
  server->max_version = GetParam();
  server->client_roots = std::make_shared<TrustStore>();  // trusts nothing
  server->client_auth = ServerConfig::ClientAuth::request;
  ClientConfig config = test_client_config();
  config.client_certificate = client_pki().certified;
  Pair pair = connect_pair(std::move(config), server);
  EXPECT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->code, Errc::certificate);
}

TEST(MutualTlsConfig, RequestWithoutRootsIsAUsageError) {
  auto server = test_server_config();
  server->client_auth = ServerConfig::ClientAuth::request;
  auto created = ServerConnection::create(server);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, Errc::usage);
}

INSTANTIATE_TEST_SUITE_P(Versions, MutualTls, ::testing::Values(tls::kTls13, tls::kTls12),
                         [](const auto& param_info) {
                           return param_info.param == tls::kTls13 ? "Tls13" : "Tls12";
                         });

}  // namespace
}  // namespace tern::testing
