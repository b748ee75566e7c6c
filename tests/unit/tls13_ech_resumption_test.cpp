// SPDX-License-Identifier: Apache-2.0
// Encrypted Client Hello (RFC 9849) with resumption and 0-RTT, tern client against tern
// server: the ticket travels only in the inner hello (the outer one carries a GREASE
// pre_shared_key, §6.1.2), the server resumes it and accepts early data keyed from the inner
// hello; a server that rejects ECH neither resumes nor accepts the early data.
#include <gtest/gtest.h>

#include <algorithm>

#include "msgs/ech.h"
#include "tern/ech.h"
#include "tls13_ech_test_util.h"

namespace tern::testing {
namespace {

// One client cache and one set of ticket keys across connections; the server's ECH keys
// can change between them (a stale config on the client's side).
struct EchPeers {
  int64_t now = kTestNow;
  std::shared_ptr<ClientSessionCache> cache = std::make_shared<ClientSessionCache>();
  std::shared_ptr<TicketKeys> ticket_keys = *TicketKeys::generate();

  std::shared_ptr<ServerConfig> server(const std::vector<EchKeyPair>& keys) {
    auto s = ech_server(keys);
    s->now = [this] { return now; };
    s->ticket_keys = ticket_keys;
    s->max_early_data = 4096;
    return s;
  }
  ClientConfig client(const Bytes& config_list) {
    ClientConfig c = ech_client(config_list);
    c.now = [this] { return now; };
    c.session_cache = cache;
    c.early_data = true;
    return c;
  }
  // A full handshake with ECH accepted that leaves tickets (for the inner name) in the cache.
  void prime(const EchKeyPair& key) {
    Pair pair = connect_pair(client(key.config_list), server({key}));
    auto done = pump(*pair.client, *pair.server);
    ASSERT_TRUE(done) << done.error().detail;
    ASSERT_TRUE(pair.client->ech_accepted());
    ASSERT_FALSE(pair.client->resumed());
    ASSERT_GE(cache->sessions("secret.test"), 1u);
    now += 2;
  }
  // The ticket the next connection will offer (left in the cache).
  Bytes next_ticket() {
    auto session = cache->take("secret.test", now);
    if (!session) throw std::runtime_error("no session");
    Bytes ticket = session->ticket;
    cache->put("secret.test", std::move(*session));
    return ticket;
  }
};

// The ClientHello of the client's first record (early data records may follow it).
msgs::ClientHello outer_hello(const ClientConnection& client) {
  BytesView out = client.pending_output();
  if (out.size() < 5) throw std::runtime_error("no record");
  size_t length = static_cast<size_t>(out[3] << 8 | out[4]);
  auto hello = msgs::ClientHello::parse(out.subspan(5 + 4, length - 4));
  if (!hello) throw std::runtime_error("ClientHello: " + hello.error().detail);
  return std::move(*hello);
}

bool contains(BytesView haystack, BytesView needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

TEST(EchResumption, TicketOnlyInsideAndResumed) {
  EchPeers peers;
  auto key = make_key(4);
  peers.prime(key);
  Bytes ticket = peers.next_ticket();
  auto config = peers.client(key.config_list);
  config.early_data = false;
  Pair pair = connect_pair(config, peers.server({key}));
  // The outer hello: a GREASE pre_shared_key (last, an identity as long as the ticket, not
  // the ticket) with the inner hello's psk_key_exchange_modes, and the public name only.
  msgs::ClientHello outer = outer_hello(*pair.client);
  EXPECT_FALSE(contains(pair.client->pending_output(), ticket));
  ASSERT_FALSE(outer.extensions.empty());
  EXPECT_EQ(outer.extensions.back().type, msgs::ExtensionType::pre_shared_key);
  auto* grease = outer.get<msgs::PreSharedKeyOffer>(msgs::ExtensionType::pre_shared_key);
  ASSERT_NE(grease, nullptr);
  ASSERT_EQ(grease->identities.size(), 1u);
  EXPECT_EQ(grease->identities[0].identity.size(), ticket.size());
  EXPECT_NE(outer.find(msgs::ExtensionType::psk_key_exchange_modes), nullptr);
  EXPECT_EQ(outer.find(msgs::ExtensionType::early_data), nullptr);  // none offered inside
  auto* sni = outer.get<msgs::ServerNameList>(msgs::ExtensionType::server_name);
  ASSERT_NE(sni, nullptr);
  EXPECT_EQ(sni->host_names, std::vector<std::string>{"public.test"});

  auto done = pump(*pair.client, *pair.server);
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_TRUE(pair.client->ech_accepted());
  EXPECT_TRUE(pair.server->ech_accepted());
  EXPECT_TRUE(pair.client->resumed());
  EXPECT_TRUE(pair.server->resumed());
  EXPECT_EQ(pair.server->server_name(), "secret.test");
  ASSERT_TRUE(pair.client->write(as_bytes("ping")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "ping");
}

TEST(EchResumption, EarlyDataAcceptedInsideEch) {
  EchPeers peers;
  auto key = make_key(5);
  peers.prime(key);
  Pair pair = connect_pair(peers.client(key.config_list), peers.server({key}));
  EXPECT_EQ(pair.client->early_data_room(), 4096u);
  auto wrote = pair.client->write_early(as_bytes("GET / early"));
  ASSERT_TRUE(wrote) << wrote.error();
  EXPECT_EQ(*wrote, 11u);
  // §6.1 rule 7: early_data in the inner hello is announced in the outer one too.
  EXPECT_NE(outer_hello(*pair.client).find(msgs::ExtensionType::early_data), nullptr);
  auto done = pump(*pair.client, *pair.server);
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_TRUE(pair.client->ech_accepted());
  EXPECT_TRUE(pair.server->ech_accepted());
  EXPECT_TRUE(pair.client->resumed());
  EXPECT_TRUE(pair.client->early_data_accepted());
  EXPECT_TRUE(pair.server->early_data_accepted());
  EXPECT_EQ(pair.server->early_data_received(), 11u);
  ASSERT_TRUE(pair.client->write(as_bytes(" and late")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "GET / early and late");
}

TEST(EchResumption, HelloRetryRequestResumesWithoutEarlyData) {
  EchPeers peers;
  auto key = make_key(6);
  peers.prime(key);
  auto config = peers.client(key.config_list);
  config.key_share_groups = {tls::kSecp256r1};
  auto server = peers.server({key});
  server->groups = {tls::kX25519};
  Pair pair = connect_pair(config, server);
  ASSERT_TRUE(pair.client->write_early(as_bytes("early")));
  auto done = pump(*pair.client, *pair.server);
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_TRUE(pair.client->hello_retry_request());
  EXPECT_TRUE(pair.client->ech_accepted());
  EXPECT_TRUE(pair.client->resumed());
  EXPECT_FALSE(pair.server->early_data_accepted());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "early");  // declined, then sent again once
}

// The server lost the key the client's config names (a stale DNS record) but still holds
// the ticket keys: it must answer the outer hello, for the public name, without resuming
// (the outer hello carries no real ticket) and without reading the early data; the client
// ends with ech_required, not with a record error.
TEST(EchResumption, RejectionNeitherResumesNorAcceptsEarlyData) {
  EchPeers peers;
  auto stale = make_key(1), current = make_key(2);
  peers.prime(stale);
  Pair pair = connect_pair(peers.client(stale.config_list), peers.server({current}));
  ASSERT_TRUE(pair.client->write_early(as_bytes("POST /pay")));
  auto done = pump(*pair.client, *pair.server);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().alert, Alert::ech_required) << done.error().detail;
  EXPECT_FALSE(pair.client->ech_accepted());
  EXPECT_FALSE(pair.server->ech_accepted());
  EXPECT_FALSE(pair.server->resumed());
  EXPECT_FALSE(pair.client->resumed());
  EXPECT_FALSE(pair.server->early_data_accepted());
  EXPECT_FALSE(pair.client->early_data_accepted());
  EXPECT_EQ(pair.server->early_data_received(), 0u);
  EXPECT_EQ(pair.server->readable(), 0u);
  EXPECT_EQ(pair.server->server_name(), "public.test");
  EXPECT_EQ(pair.client->ech_retry_configs(), current.config_list);
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->peer_alert, Alert::ech_required);
}

// A server without ECH at all, same ticket keys: the same, without retry configs.
TEST(EchResumption, ServerWithoutEchDoesNotResume) {
  EchPeers peers;
  auto key = make_key(3);
  peers.prime(key);
  Pair pair = connect_pair(peers.client(key.config_list), peers.server({}));
  ASSERT_TRUE(pair.client->write_early(as_bytes("GET /")));
  auto done = pump(*pair.client, *pair.server);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().alert, Alert::ech_required) << done.error().detail;
  EXPECT_FALSE(pair.server->resumed());
  EXPECT_FALSE(pair.server->early_data_accepted());
  EXPECT_EQ(pair.server->readable(), 0u);
}

}  // namespace
}  // namespace tern::testing
