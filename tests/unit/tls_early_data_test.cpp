// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 0-RTT data, tern client against tern server in memory: accepted once, a replayed
// first flight refused (1-RTT, never a crash), declined early data sent again after the
// handshake; and the anti-replay record on its own (bounded, windowed, thread-safe).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tls13_test_util.h"

namespace tern::testing {
namespace {

// Everything the client sent, as one flight (ClientHello, and the early data after it).
Bytes take_output(Connection& conn) {
  Bytes out(conn.pending_output().begin(), conn.pending_output().end());
  conn.consume_output(out.size());
  return out;
}

TEST(EarlyData, AcceptedOnceAndReadAsEarly) {
  EarlyPeers peers;
  peers.prime();
  peers.now += 2;
  Pair pair = connect_pair(peers.client(), peers.server);
  EXPECT_EQ(pair.client->early_data_room(), 4096u);
  auto wrote = pair.client->write_early(as_bytes("GET / early"));
  ASSERT_TRUE(wrote) << wrote.error();
  EXPECT_EQ(*wrote, 11u);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->handshake_done());
  EXPECT_TRUE(pair.client->resumed());
  EXPECT_TRUE(pair.client->early_data_accepted());
  EXPECT_TRUE(pair.server->early_data_accepted());
  EXPECT_EQ(pair.server->early_data_received(), 11u);
  ASSERT_TRUE(pair.client->write(as_bytes(" and late")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  // Accepted: delivered once, not sent again.
  EXPECT_EQ(read_all(*pair.server), "GET / early and late");
  EXPECT_EQ(pair.client->early_data_room(), 0u);
}

TEST(EarlyData, ReplayedFirstFlightIsRefusedAndHandshakeGoesOn) {
  EarlyPeers peers;
  peers.prime();
  Pair pair = connect_pair(peers.client(), peers.server);
  ASSERT_TRUE(pair.client->write_early(as_bytes("POST /pay")));
  Bytes flight = take_output(*pair.client);
  ASSERT_TRUE(pair.server->feed(flight));
  ASSERT_TRUE(transfer(*pair.server, *pair.client));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.server->early_data_accepted());
  EXPECT_EQ(read_all(*pair.server), "POST /pay");

  // An attacker sends the same flight to the server again (another worker, same config).
  auto replay = ServerConnection::create(peers.server);
  ASSERT_TRUE(replay);
  ASSERT_TRUE((*replay)->feed(flight)) << (*replay)->error()->detail;
  EXPECT_FALSE((*replay)->early_data_accepted());
  EXPECT_TRUE((*replay)->resumed());  // the ticket still resumes, in 1-RTT
  EXPECT_EQ((*replay)->early_data_received(), 0u);
  EXPECT_EQ((*replay)->readable(), 0u);  // the early data was skipped unread
  EXPECT_FALSE((*replay)->closed());
}

TEST(EarlyData, DeclinedEarlyDataIsSentAgainAfterTheHandshake) {
  EarlyPeers peers;
  peers.prime();
  auto other = std::make_shared<ServerConfig>(*peers.server);
  other->max_early_data = 0;  // same ticket keys: resumes, but takes no early data
  Pair pair = connect_pair(peers.client(), other);
  ASSERT_TRUE(pair.client->write_early(as_bytes("GET /again")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->handshake_done());
  EXPECT_TRUE(pair.client->resumed());
  EXPECT_FALSE(pair.client->early_data_accepted());
  EXPECT_FALSE(pair.server->early_data_accepted());
  EXPECT_EQ(pair.server->early_data_received(), 0u);
  EXPECT_EQ(read_all(*pair.server), "GET /again");
}

TEST(EarlyData, ATls12AnswerToEarlyDataFailsTheConnection) {
  EarlyPeers peers;
  peers.prime();
  auto old = std::make_shared<ServerConfig>(*peers.server);
  old->max_version = tls::kTls12;  // the deployment went back to TLS 1.2
  Pair pair = connect_pair(peers.client(), old);
  ASSERT_TRUE(pair.client->write_early(as_bytes("GET /")));
  // Only the ClientHello reaches the server (its early records would make it fail first).
  Bytes flight = take_output(*pair.client);
  size_t hello = 5 + (size_t{flight[3]} << 8 | flight[4]);
  ASSERT_TRUE(pair.server->feed(BytesView(flight).first(hello)));
  EXPECT_EQ(pair.server->version(), tls::kTls12);
  EXPECT_FALSE(pair.client->feed(take_output(*pair.server)));
  ASSERT_TRUE(pair.client->error());
  EXPECT_NE(pair.client->error()->detail.find("Appendix D.3"), std::string::npos)
      << pair.client->error()->detail;
  EXPECT_FALSE(pair.client->handshake_done());
}

TEST(EarlyData, TicketAgeOutsideTheWindowIsRefused) {
  EarlyPeers peers;
  peers.prime();
  Pair pair = connect_pair(peers.client(), peers.server);
  ASSERT_TRUE(pair.client->write_early(as_bytes("late")));
  Bytes flight = take_output(*pair.client);
  peers.now += 60;  // the flight reaches the server a minute late (a delayed replay)
  ASSERT_TRUE(pair.server->feed(flight));
  EXPECT_FALSE(pair.server->early_data_accepted());
  EXPECT_EQ(pair.server->readable(), 0u);
}

TEST(EarlyData, NothingOfferedWithoutASessionOrWhenOff) {
  EarlyPeers peers;
  Pair fresh = connect_pair(peers.client(), peers.server);
  EXPECT_EQ(fresh.client->early_data_room(), 0u);
  EXPECT_FALSE(fresh.client->write_early(as_bytes("x")));
  peers.prime();
  ClientConfig off = peers.client();
  off.early_data = false;
  Pair pair = connect_pair(off, peers.server);
  EXPECT_EQ(pair.client->early_data_room(), 0u);
  EXPECT_EQ(first_client_hello(*pair.client).find(msgs::ExtensionType::early_data), nullptr);
}

TEST(EarlyData, TicketsWithoutEarlyDataWhenTheServerIsOff) {
  EarlyPeers peers;
  peers.server->max_early_data = 0;
  peers.prime();
  Pair pair = connect_pair(peers.client(), peers.server);
  EXPECT_EQ(pair.client->early_data_room(), 0u);
}

TEST(EarlyData, MoreThanAllowedIsUnexpectedMessage) {
  EarlyPeers peers;
  peers.prime();
  peers.server->max_early_data = 8;  // lowered after the ticket said 4096
  Pair pair = connect_pair(peers.client(), peers.server);
  ASSERT_TRUE(pair.client->write_early(Bytes(100, 'x')));
  auto fed = pair.server->feed(take_output(*pair.client));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().alert, Alert::unexpected_message);
}

TEST(EarlyData, SessionEncodingKeepsMaxEarlyData) {
  SessionData s;
  s.version = tls::kTls13;
  s.max_early_data = 16384;
  auto encoded = s.encode();
  ASSERT_TRUE(encoded);
  EXPECT_EQ((*encoded)[4], 3);  // format 3
  auto decoded = SessionData::decode(*encoded);
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(decoded->max_early_data, 16384u);
  s.max_early_data = 0;
  EXPECT_EQ((*s.encode())[4], 2);  // unchanged for sessions without 0-RTT
}

TEST(AntiReplay, SecondUseWithinTheWindowIsRefused) {
  AntiReplay record(10, 10);
  Bytes key(32, 1);
  EXPECT_TRUE(record.first_use(key, 1000));
  EXPECT_FALSE(record.first_use(key, 1000));
  EXPECT_FALSE(record.first_use(key, 1019));  // remembered for two windows
  EXPECT_TRUE(record.first_use(key, 1020));   // then forgotten: the age check refuses it
}

TEST(AntiReplay, FullRefusesInsteadOfForgetting) {
  AntiReplay record(3, 10);
  for (uint8_t i = 0; i < 3; ++i) EXPECT_TRUE(record.first_use(Bytes(32, i), 1000));
  EXPECT_FALSE(record.first_use(Bytes(32, 9), 1001));  // full
  EXPECT_FALSE(record.first_use(Bytes(32, 0), 1001));  // still remembered
  EXPECT_EQ(record.size(), 3u);
  EXPECT_TRUE(record.first_use(Bytes(32, 9), 1020));  // the old ones expired
  EXPECT_EQ(record.size(), 1u);
  AntiReplay none(0, 10);
  EXPECT_FALSE(none.first_use(Bytes(32, 1), 1000));
  EXPECT_FALSE(record.first_use(Bytes(), 1000));
  EXPECT_FALSE(record.first_use(Bytes(AntiReplay::kMaxKey + 1, 1), 1000));
}

TEST(AntiReplay, ThreadsShareOneRecord) {
  AntiReplay record(100000, 10);
  std::atomic<int> firsts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (uint32_t i = 0; i < 2000; ++i) {
        Bytes key(32, 0);
        for (int b = 0; b < 4; ++b) key[b] = static_cast<uint8_t>(i >> (8 * b));
        if (record.first_use(key, 1000)) ++firsts;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(firsts.load(), 2000);  // each key accepted by exactly one thread
  EXPECT_EQ(record.size(), 2000u);
}

}  // namespace
}  // namespace tern::testing
