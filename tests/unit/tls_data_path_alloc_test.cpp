// SPDX-License-Identifier: Apache-2.0
// No allocation per record on the data path (issue 7): after a warm-up, 1,000 records in
// each direction (write, feed, read) must not allocate. The test binary's global
// operator new counts while a test turns counting on; it forwards to malloc, so it changes
// nothing for the other tests. A count, never a timing.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "tls12_test_util.h"
#include "tls13_test_util.h"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};

void* counted_alloc(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed))
    g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace tern::testing {
namespace {

// One record of `size` bytes from `from` to `to`, read out completely. False on any
// failure (gtest assertions would allocate inside the counted window).
bool one_record(Connection& from, Connection& to, const uint8_t* data, size_t size,
                uint8_t* buf, size_t buf_size) {
  if (!from.write(BytesView(data, size))) return false;
  BytesView out = from.pending_output();
  if (out.empty()) return false;
  bool fed = static_cast<bool>(to.feed(out));
  from.consume_output(out.size());
  if (!fed) return false;
  size_t got = 0;
  while (to.readable() > 0) got += to.read(std::span<uint8_t>(buf, buf_size));
  return got == size;
}

// Counts allocations over `records` records each way, sizes cycling through 16 KiB (one
// full record), 1 KiB and 1 byte.
long allocations_for(Connection& client, Connection& server, int records) {
  static uint8_t data[16384], buf[16384];
  const size_t sizes[] = {16384, 1024, 1};
  bool good = true;
  g_allocations = 0;
  g_counting = true;
  for (int i = 0; i < records && good; ++i) {
    size_t n = sizes[i % 3];
    good = one_record(client, server, data, n, buf, sizeof buf) &&
           one_record(server, client, data, n, buf, sizeof buf);
  }
  g_counting = false;
  EXPECT_TRUE(good);
  return g_allocations.load();
}

void check_no_allocations(Pair pair) {
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->handshake_done());
  ASSERT_TRUE(pair.server->handshake_done());
  // Warm-up: the buffers grow to their working size (and the counter itself is checked).
  allocations_for(*pair.client, *pair.server, 12);
  g_allocations = 0;
  g_counting = true;
  delete new int(1);
  g_counting = false;
  ASSERT_EQ(g_allocations.load(), 1) << "the counting operator new is not in use";
  EXPECT_EQ(allocations_for(*pair.client, *pair.server, 1000), 0);
}

TEST(DataPathAllocations, Tls13NoneAfterWarmUp) {
  for (uint16_t suite : {tls::kAes128GcmSha256, tls::kChacha20Poly1305Sha256}) {
    SCOPED_TRACE(suite);
    ClientConfig cc = test_client_config();
    cc.cipher_suites = {suite};
    check_no_allocations(connect_pair(cc, test_server_config()));
  }
}

// A 16 KiB write is one full record, not 16,383 bytes and then 1 (without record_size_limit,
// 2^14 bytes of data fit, the TLS 1.3 inner content type aside).
TEST(DataPath, FullRecordPerSixteenKiB) {
  static const uint8_t data[16384] = {};
  for (bool tls12 : {false, true}) {
    SCOPED_TRACE(tls12 ? "TLS 1.2" : "TLS 1.3");
    Pair pair = tls12 ? connect_pair(tls12_client_config(), tls12_server_config())
                      : connect_pair(test_client_config(), test_server_config());
    ASSERT_TRUE(pump(*pair.client, *pair.server));
    pair.client->consume_output(pair.client->pending_output().size());
    ASSERT_TRUE(pair.client->write(BytesView(data, sizeof data)));
    // TLS 1.3: header, data, content type, tag; TLS 1.2 AES-GCM: header, explicit nonce,
    // data, tag.
    EXPECT_EQ(pair.client->pending_output().size(), tls12 ? 5 + 8 + 16384 + 16 : 5 + 16384 + 1 + 16);
  }
}

TEST(DataPathAllocations, Tls12NoneAfterWarmUp) {
  check_no_allocations(connect_pair(tls12_client_config(), tls12_server_config()));
}

}  // namespace
}  // namespace tern::testing
