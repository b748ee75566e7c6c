// SPDX-License-Identifier: Apache-2.0
// ClientSessionCache and ServerSessionCache: single use and reuse, expiry, bounds, threads.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tern/session.h"
#include "tern/tls.h"

namespace tern {
namespace {

SessionData session(uint16_t version, uint32_t tag, int64_t created = 1000,
                    uint32_t lifetime = 3600) {
  SessionData s;
  s.version = version;
  s.ticket_age_add = tag;  // tells sessions apart
  s.created_at = created;
  s.lifetime = lifetime;
  return s;
}

TEST(ClientSessionCache, Tls13TicketsAreSingleUseNewestFirst) {
  ClientSessionCache cache;
  for (uint32_t i = 1; i <= 3; ++i) cache.put("a.example", session(tls::kTls13, i));
  for (uint32_t want : {3u, 2u, 1u}) {
    auto s = cache.take("a.example", 1001);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->ticket_age_add, want);
  }
  EXPECT_FALSE(cache.take("a.example", 1001).has_value());
  EXPECT_EQ(cache.names(), 0u);
  EXPECT_FALSE(cache.take("b.example", 1001).has_value());
}

TEST(ClientSessionCache, Tls12SessionsAreReusableAndReplaced) {
  ClientSessionCache cache;
  cache.put("a.example", session(tls::kTls12, 1));
  cache.put("a.example", session(tls::kTls12, 2));
  EXPECT_EQ(cache.sessions("a.example"), 1u);  // the newer replaced the older
  for (int i = 0; i < 3; ++i) {
    auto s = cache.take("a.example", 1001);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->ticket_age_add, 2u);
  }
  cache.put("a.example", session(tls::kTls13, 3));
  EXPECT_EQ(cache.take("a.example", 1001)->ticket_age_add, 3u);
  EXPECT_EQ(cache.take("a.example", 1001)->ticket_age_add, 2u);
  EXPECT_EQ(cache.sessions("a.example"), 1u);
}

TEST(ClientSessionCache, ExpiredSessionsAreDropped) {
  ClientSessionCache cache;
  cache.put("a.example", session(tls::kTls13, 1, 1000, 100));
  cache.put("a.example", session(tls::kTls13, 2, 1000, 10));  // newest, expires first
  auto s = cache.take("a.example", 1010);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->ticket_age_add, 1u);
  cache.put("b.example", session(tls::kTls12, 3, 1000, 10));
  EXPECT_FALSE(cache.take("b.example", 1010).has_value());
  EXPECT_EQ(cache.names(), 0u);
}

TEST(ClientSessionCache, EvictsTheLeastRecentlyUsedName) {
  ClientSessionCache cache(2);
  cache.put("a", session(tls::kTls12, 1));
  cache.put("b", session(tls::kTls12, 2));
  ASSERT_TRUE(cache.take("a", 1001).has_value());  // a is now the most recent
  cache.put("c", session(tls::kTls12, 3));
  EXPECT_EQ(cache.names(), 2u);
  EXPECT_TRUE(cache.take("a", 1001).has_value());
  EXPECT_FALSE(cache.take("b", 1001).has_value());
  EXPECT_TRUE(cache.take("c", 1001).has_value());
  ClientSessionCache none(0);
  none.put("a", session(tls::kTls12, 1));
  EXPECT_FALSE(none.take("a", 1001).has_value());
}

TEST(ClientSessionCache, KeepsAtMostEightPerName) {
  ClientSessionCache cache;
  for (uint32_t i = 1; i <= 10; ++i) cache.put("a", session(tls::kTls13, i));
  EXPECT_EQ(cache.sessions("a"), ClientSessionCache::kMaxPerName);
  for (uint32_t want = 10; want >= 3; --want)
    EXPECT_EQ(cache.take("a", 1001)->ticket_age_add, want);
  EXPECT_FALSE(cache.take("a", 1001).has_value());  // 1 and 2 were dropped
}

TEST(ServerSessionCache, PutGetErase) {
  ServerSessionCache cache;
  Bytes id(32, 0xab);
  cache.put(id, session(tls::kTls12, 7), 1000);
  for (int i = 0; i < 2; ++i) {  // reusable
    auto s = cache.get(id, 1001);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->ticket_age_add, 7u);
  }
  cache.put(id, session(tls::kTls12, 8), 1000);  // replaces
  EXPECT_EQ(cache.get(id, 1001)->ticket_age_add, 8u);
  EXPECT_EQ(cache.size(), 1u);
  cache.erase(id);
  EXPECT_FALSE(cache.get(id, 1001).has_value());
  cache.put(Bytes{}, session(tls::kTls12, 1), 1000);       // empty ID: not resumable
  cache.put(Bytes(33, 1), session(tls::kTls12, 1), 1000);  // too long for TLS
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.get(Bytes{}, 1001).has_value());
}

// A session whose peer chain is too large to store whole is not kept at all: cut down, it
// would resume with less of the peer's identity than the handshake saw.
TEST(SessionCaches, RefuseSessionsThatAreNotStorable) {
  SessionData big = session(tls::kTls12, 1);
  big.peer_chain.assign(SessionData::kMaxChainCerts + 1, Bytes(10, 0x30));
  ASSERT_FALSE(big.storable());
  ClientSessionCache client;
  client.put("a.example", big);
  EXPECT_EQ(client.sessions("a.example"), 0u);
  ServerSessionCache server;
  server.put(Bytes(32, 0xab), big, 1000);
  EXPECT_EQ(server.size(), 0u);
  big.peer_chain.pop_back();  // exactly at the limit: kept
  client.put("a.example", big);
  server.put(Bytes(32, 0xab), big, 1000);
  EXPECT_EQ(client.sessions("a.example"), 1u);
  EXPECT_EQ(server.size(), 1u);
}

TEST(ServerSessionCache, EntriesExpireByTheirLifetime) {
  ServerSessionCache cache;
  Bytes id(16, 1);
  cache.put(id, session(tls::kTls12, 1, 1000, 60), 1000);
  EXPECT_TRUE(cache.get(id, 1059).has_value());
  EXPECT_FALSE(cache.get(id, 1060).has_value());
  EXPECT_EQ(cache.size(), 0u);                             // dropped on the way
  cache.put(id, session(tls::kTls12, 1, 1000, 60), 2000);  // already expired: not stored
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ServerSessionCache, EvictsTheLeastRecentlyUsed) {
  ServerSessionCache cache(3);
  auto id = [](uint8_t n) { return Bytes(32, n); };
  for (uint8_t i = 1; i <= 3; ++i) cache.put(id(i), session(tls::kTls12, i), 1000);
  ASSERT_TRUE(cache.get(id(1), 1001).has_value());
  cache.put(id(4), session(tls::kTls12, 4), 1000);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.get(id(2), 1001).has_value());
  for (uint8_t i : {1, 3, 4}) EXPECT_TRUE(cache.get(id(i), 1001).has_value()) << int(i);
}

TEST(SessionCaches, ThreadSafetySmoke) {
  ClientSessionCache client(16);
  ServerSessionCache server(64);
  std::atomic<int> taken{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3000; ++i) {
        std::string name = "host" + std::to_string((i + t) % 24);
        uint16_t version = i % 3 ? tls::kTls13 : tls::kTls12;
        client.put(name, session(version, static_cast<uint32_t>(i)));
        if (client.take(name, 1001)) ++taken;
        Bytes id(8, static_cast<uint8_t>((i * 7 + t) % 100 + 1));
        server.put(id, session(tls::kTls12, static_cast<uint32_t>(i)), 1000);
        (void)server.get(id, 1001);
        if (i % 5 == 0) server.erase(id);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_GT(taken.load(), 0);
  EXPECT_LE(client.names(), 16u);
  EXPECT_LE(server.size(), 64u);
}

}  // namespace
}  // namespace tern
