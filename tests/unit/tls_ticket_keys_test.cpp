// SPDX-License-Identifier: Apache-2.0
// TicketKeys: sealing and opening tickets across the rotation schedule, tampering, keys
// shared through a key file, and the key file's checks.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <thread>

#include "tern/session.h"
#include "tern/tls.h"
#include "tls_session_test_util.h"

namespace tern {
namespace {

using test::expect_same;
using test::full_session;
using test::TempDir;

constexpr uint32_t kPeriod = 3600;
constexpr int64_t kEpochStart = 1'700'000'000 / kPeriod * kPeriod;  // a boundary

std::shared_ptr<TicketKeys> keys_from(uint8_t fill) {
  Bytes secret(32, fill);
  return TicketKeys::from_secret(secret, kPeriod).value();
}

bool opens(const TicketKeys& keys, BytesView ticket, int64_t now, BytesView want) {
  auto plaintext = keys.open(ticket, now);
  return plaintext && equal(plaintext->view(), want);
}

TEST(TicketKeys, OpenInTheSameAndTheNextEpochOnly) {
  auto keys = keys_from(1);
  Bytes plaintext(20, 0x42);
  // Sealed in the last second of an epoch: good through the end of the next one.
  int64_t sealed_at = kEpochStart + kPeriod - 1;
  Bytes ticket = keys->seal(plaintext, sealed_at).value();
  EXPECT_EQ(ticket.size(), plaintext.size() + TicketKeys::kOverhead);
  EXPECT_TRUE(opens(*keys, ticket, sealed_at, plaintext));
  EXPECT_TRUE(opens(*keys, ticket, kEpochStart + kPeriod, plaintext));          // next epoch
  EXPECT_TRUE(opens(*keys, ticket, kEpochStart + 2 * kPeriod - 1, plaintext));  // its end
  EXPECT_FALSE(keys->open(ticket, kEpochStart + 2 * kPeriod).has_value());      // two later
  EXPECT_FALSE(keys->open(ticket, kEpochStart + 10 * kPeriod).has_value());
  EXPECT_FALSE(keys->open(ticket, kEpochStart - 1).has_value());  // before it was sealed
  // The old epochs are derived again on demand: the cache is not the source of truth.
  EXPECT_TRUE(opens(*keys, ticket, sealed_at, plaintext));
}

TEST(TicketKeys, KeyNameChangesEachEpochAndNoncesAreFresh) {
  auto keys = keys_from(1);
  Bytes plaintext(8, 1);
  Bytes a = keys->seal(plaintext, kEpochStart).value();
  Bytes b = keys->seal(plaintext, kEpochStart + 5).value();
  Bytes c = keys->seal(plaintext, kEpochStart + kPeriod).value();
  auto name = [](const Bytes& t) { return Bytes(t.begin(), t.begin() + 16); };
  EXPECT_EQ(name(a), name(b));
  EXPECT_NE(name(a), name(c));
  EXPECT_NE(a, b);  // random nonces
}

TEST(TicketKeys, EveryFlippedBitIsRefused) {
  auto keys = keys_from(1);
  Bytes plaintext(24, 0x42);
  Bytes ticket = keys->seal(plaintext, kEpochStart).value();
  for (size_t i = 0; i < ticket.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes bad = ticket;
      bad[i] ^= static_cast<uint8_t>(1 << bit);
      EXPECT_FALSE(keys->open(bad, kEpochStart).has_value()) << "byte " << i << " bit " << bit;
    }
  }
  EXPECT_TRUE(opens(*keys, ticket, kEpochStart, plaintext));
}

TEST(TicketKeys, MalformedTicketsAreRefused) {
  auto keys = keys_from(1);
  Bytes ticket = keys->seal(Bytes(10, 1), kEpochStart).value();
  for (size_t n = 0; n < ticket.size(); ++n)
    EXPECT_FALSE(keys->open(BytesView(ticket).first(n), kEpochStart).has_value()) << n;
  Bytes longer = ticket;
  longer.push_back(0);
  EXPECT_FALSE(keys->open(longer, kEpochStart).has_value());
  EXPECT_FALSE(keys->open(Bytes(70000, 0), kEpochStart).has_value());
  // An empty plaintext is a valid ticket of exactly the overhead.
  Bytes empty = keys->seal({}, kEpochStart).value();
  ASSERT_EQ(empty.size(), TicketKeys::kOverhead);
  auto opened = keys->open(empty, kEpochStart);
  ASSERT_TRUE(opened.has_value());
  EXPECT_TRUE(opened->empty());
}

TEST(TicketKeys, OtherKeysCannotOpen) {
  auto a = keys_from(1), b = keys_from(2), same = keys_from(1);
  auto random = TicketKeys::generate(kPeriod).value();
  Bytes plaintext(16, 9);
  Bytes ticket = a->seal(plaintext, kEpochStart).value();
  EXPECT_FALSE(b->open(ticket, kEpochStart).has_value());
  EXPECT_FALSE(random->open(ticket, kEpochStart).has_value());
  EXPECT_TRUE(opens(*same, ticket, kEpochStart, plaintext));  // same secret, same keys
  // The schedule depends on the period too.
  Bytes secret(32, 1);
  auto other_period = TicketKeys::from_secret(secret, kPeriod * 2).value();
  EXPECT_FALSE(other_period->open(ticket, kEpochStart).has_value());
}

TEST(TicketKeys, TimesBefore1970AndAtTheExtremes) {
  auto keys = keys_from(1);
  Bytes plaintext(4, 4);
  Bytes ticket = keys->seal(plaintext, -1).value();  // epoch -1
  EXPECT_TRUE(opens(*keys, ticket, -1, plaintext));
  EXPECT_TRUE(opens(*keys, ticket, kPeriod - 1, plaintext));  // epoch 0
  EXPECT_FALSE(keys->open(ticket, kPeriod).has_value());
  Bytes one_second_secret(32, 3);
  auto fast = TicketKeys::from_secret(one_second_secret, 1).value();
  Bytes oldest = fast->seal(plaintext, INT64_MIN).value();
  EXPECT_TRUE(opens(*fast, oldest, INT64_MIN, plaintext));
  Bytes newest = fast->seal(plaintext, INT64_MAX).value();
  EXPECT_TRUE(opens(*fast, newest, INT64_MAX, plaintext));
}

TEST(TicketKeys, ConstructionChecksItsArguments) {
  Bytes secret(32, 1);
  EXPECT_EQ(TicketKeys::from_secret(secret, 0).error().code, Errc::usage);
  EXPECT_EQ(TicketKeys::from_secret(Bytes(31, 1), kPeriod).error().code, Errc::usage);
  EXPECT_TRUE(TicketKeys::from_secret(Bytes(64, 1), kPeriod).ok());
  EXPECT_FALSE(TicketKeys::generate(0).ok());
  EXPECT_EQ(TicketKeys::generate().value()->rotation_period(), TicketKeys::kDefaultRotationPeriod);
  auto keys = keys_from(1);
  EXPECT_TRUE(keys->seal(Bytes(65535 - TicketKeys::kOverhead, 0), kEpochStart).ok());
  EXPECT_FALSE(keys->seal(Bytes(65536 - TicketKeys::kOverhead, 0), kEpochStart).ok());
}

TEST(TicketKeys, SessionsRoundTripAndBadPlaintextsAreRefused) {
  auto keys = keys_from(1);
  SessionData s = full_session(tls::kTls13);
  s.created_at = kEpochStart;
  s.lifetime = kPeriod;
  Bytes ticket = keys->seal_session(s, kEpochStart).value();
  auto opened = keys->open_session(ticket, kEpochStart + 10);
  ASSERT_TRUE(opened.has_value());
  expect_same(*opened, s);
  EXPECT_FALSE(keys->open_session(ticket, kEpochStart + kPeriod).has_value());  // expired
  // Authentic tickets whose plaintext is not a session.
  Bytes not_a_session = keys->seal(Bytes(30, 7), kEpochStart).value();
  EXPECT_FALSE(keys->open_session(not_a_session, kEpochStart).has_value());
  Bytes encoded = s.encode().value();
  encoded.push_back(0);
  Bytes trailing = keys->seal(encoded, kEpochStart).value();
  EXPECT_FALSE(keys->open_session(trailing, kEpochStart).has_value());
  SessionData too_big = s;
  too_big.ticket.assign(65535, 1);
  EXPECT_FALSE(keys->seal_session(too_big, kEpochStart).ok());
}

TEST(TicketKeys, ThreadSafetySmoke) {
  auto keys = keys_from(5);
  std::atomic<int> opened{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Bytes plaintext(40, static_cast<uint8_t>(t));
      for (int i = 0; i < 500; ++i) {
        // Straddle epoch boundaries so threads derive keys concurrently.
        int64_t now = kEpochStart + (i / 50) * kPeriod + t - 2;
        auto ticket = keys->seal(plaintext, now);
        if (ticket && opens(*keys, *ticket, now + 1, plaintext)) ++opened;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(opened.load(), 4 * 500);
}

// --- key files ----------------------------------------------------------------------------

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text,
                       mode_t mode = 0600) {
  std::string path = dir.file(name);
  std::ofstream(path) << text;
  EXPECT_EQ(chmod(path.c_str(), mode), 0);
  return path;
}

const std::string kHex64(64, 'a');

TEST(TicketKeyFile, ServersSharingAFileOpenEachOthersTickets) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.file("ticket.key");
  auto written = TicketKeys::write_key_file(path);
  ASSERT_TRUE(written.ok()) << written.error();
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  auto one = TicketKeys::load(path, kPeriod), two = TicketKeys::load(path, kPeriod);
  ASSERT_TRUE(one.ok()) << one.error();
  ASSERT_TRUE(two.ok()) << two.error();
  SessionData s = full_session(tls::kTls12);
  s.created_at = kEpochStart;
  Bytes ticket = (*one)->seal_session(s, kEpochStart).value();
  auto opened = (*two)->open_session(ticket, kEpochStart + kPeriod);
  ASSERT_TRUE(opened.has_value());
  expect_same(*opened, s);
  // A second key file is another key.
  std::string other = dir.file("other.key");
  ASSERT_TRUE(TicketKeys::write_key_file(other).ok());
  EXPECT_FALSE(TicketKeys::load(other, kPeriod).value()->open(ticket, kEpochStart).has_value());
  // Never overwritten.
  auto again = TicketKeys::write_key_file(path);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().detail.find("already exists"), std::string::npos);
}

TEST(TicketKeyFile, CommentsBlankLinesAndCrlfAreAccepted) {
  TempDir dir;
  std::string path =
      write_file(dir, "k", "# shared by www1 and www2\r\n\r\n  " + kHex64 + "  \r\n# end\r\n");
  auto loaded = TicketKeys::load(path, kPeriod);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  Bytes secret(32, 0xaa);  // the same secret given directly
  auto direct = TicketKeys::from_secret(secret, kPeriod).value();
  Bytes ticket = direct->seal(Bytes(3, 3), kEpochStart).value();
  EXPECT_TRUE((*loaded)->open(ticket, kEpochStart).has_value());
  EXPECT_TRUE(TicketKeys::load(write_file(dir, "upper", std::string(64, 'F')), kPeriod).ok());
}

std::string load_error(const std::string& path) {
  auto loaded = TicketKeys::load(path, kPeriod);
  if (loaded.ok()) return "(loaded)";
  EXPECT_NE(loaded.error().detail.find(path), std::string::npos) << loaded.error();
  return loaded.error().detail;
}

TEST(TicketKeyFile, BadFilesAreRefusedNamingTheFile) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  EXPECT_NE(load_error(write_file(dir, "wide", kHex64, 0644)).find("chmod 600"), std::string::npos);
  EXPECT_NE(load_error(write_file(dir, "group", kHex64, 0640)).find("mode 0640"),
            std::string::npos);
  EXPECT_NE(load_error(write_file(dir, "gw", kHex64, 0620)).find("group or others"),
            std::string::npos);
  EXPECT_NE(load_error(write_file(dir, "short", std::string(62, 'a'))).find("62 hex digits"),
            std::string::npos);
  EXPECT_NE(load_error(write_file(dir, "odd", std::string(65, 'a'))).find("odd"),
            std::string::npos);
  EXPECT_NE(load_error(write_file(dir, "nothex", std::string(63, 'a') + "g")).find("not hex"),
            std::string::npos);
  EXPECT_NE(load_error(write_file(dir, "spaced", "aaaa aaaa" + kHex64)).find("not hex"),
            std::string::npos);
  EXPECT_NE(load_error(write_file(dir, "two", kHex64 + "\n" + kHex64 + "\n")).find("second"),
            std::string::npos);
  EXPECT_NE(load_error(write_file(dir, "empty", "# nothing\n")).find("no key line"),
            std::string::npos);
  EXPECT_NE(load_error(write_file(dir, "big", std::string(70000, '#'))).find("larger"),
            std::string::npos);
  EXPECT_NE(load_error(dir.file("missing")).find("No such file"), std::string::npos);
  EXPECT_NE(load_error(dir.path()).find("not a regular file"), std::string::npos);
  auto no_dir = TicketKeys::write_key_file(dir.file("none/ticket.key"));
  ASSERT_FALSE(no_dir.ok());
  EXPECT_NE(no_dir.error().detail.find("none/ticket.key"), std::string::npos);
}

}  // namespace
}  // namespace tern
