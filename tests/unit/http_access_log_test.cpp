// SPDX-License-Identifier: Apache-2.0
// `tern serve`'s log lines (src/http/access_log.cpp): tern's line, CLF and combined with
// every client-chosen string escaped, the access log file, the handshake failure limiter.
#include "http/access_log.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tern::http {
namespace {

RequestRecord sample() {
  RequestRecord r;
  r.peer = "[::1]:5555";
  r.request_line = "GET /a\"b\x1b[31m HTTP/1.1";
  r.status = 200;
  r.body_bytes = 1234;
  r.referer = "https://x.example/\" injected";
  r.user_agent = "curl/8.0\n127.0.0.1 - - fake";
  r.received = std::chrono::system_clock::from_time_t(1765056600);  // 2025-12-06 21:30:00Z
  return r;
}

TEST(AccessLog, CommonLogFormat) {
  EXPECT_EQ(format_request_log(sample(), LogFormat::common),
            "::1 - - [06/Dec/2025:21:30:00 +0000] \"GET /a\\\"b\\x1b[31m HTTP/1.1\" 200 1234");
  RequestRecord empty = sample();
  empty.peer = "127.0.0.1:80";
  empty.body_bytes = 0;
  EXPECT_TRUE(format_request_log(empty, LogFormat::common).starts_with("127.0.0.1 - - ["));
  EXPECT_TRUE(format_request_log(empty, LogFormat::common).ends_with(" 200 -"));
}

TEST(AccessLog, CombinedEscapesRefererAndUserAgent) {
  std::string line = format_request_log(sample(), LogFormat::combined);
  EXPECT_TRUE(line.ends_with(" 200 1234 \"https://x.example/\\\" injected\" "
                             "\"curl/8.0\\n127.0.0.1 - - fake\""))
      << line;
  EXPECT_EQ(line.find('\n'), std::string::npos);
  RequestRecord bare = sample();
  bare.referer.clear();
  bare.user_agent.clear();
  EXPECT_TRUE(format_request_log(bare, LogFormat::combined).ends_with(" \"-\" \"-\""));
}

TEST(AccessLog, TernFormatIsUnchanged) {
  RequestRecord r = sample();
  r.duration = std::chrono::milliseconds(7);
  EXPECT_EQ(format_request_log(r, LogFormat::tern), format_request_log(r));
  EXPECT_EQ(format_request_log(r), "[::1]:5555 \"GET /a\\\"b\\x1b[31m HTTP/1.1\" 200 1234 7ms");
}

TEST(AccessLog, ParsesFormatNames) {
  EXPECT_EQ(parse_log_format("combined"), LogFormat::combined);
  EXPECT_FALSE(parse_log_format("json"));
}

TEST(AccessLog, FileIsAppendedWithMode0640AndSymlinksAreRefused) {
  auto dir = std::filesystem::temp_directory_path() / ("tern_log_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto path = (dir / "access.log").string();
  std::ofstream(path) << "old\n";
  std::filesystem::remove(path);
  mode_t old_mask = umask(0);
  auto log = AccessLogFile::open(path);
  umask(old_mask);
  ASSERT_TRUE(log) << log.error().detail;
  (*log)->write_line("one");
  (*log)->write_line("two");
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "one\ntwo\n");
  std::filesystem::create_symlink(path, dir / "link.log");
  auto refused = AccessLogFile::open((dir / "link.log").string());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("symlink"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(HandshakeFailures, TenASecondThenACount) {
  HandshakeFailureLimiter limiter;
  auto t0 = std::chrono::steady_clock::now();
  size_t logged = 0;
  for (int i = 0; i < 25; ++i) logged += limiter.admit(t0, "fail").size();
  EXPECT_EQ(logged, HandshakeFailureLimiter::kPerSecond);
  auto next = limiter.admit(t0 + std::chrono::milliseconds(1500), "fail");
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0], "15 more handshake failures suppressed");
  EXPECT_EQ(next[1], "fail");
}

TEST(HandshakeFailures, LineIsEscaped) {
  Error e(Errc::protocol, "bad SNI \"a\nb\"", Alert::handshake_failure);
  std::string line = format_handshake_failure("127.0.0.1:1", e);
  EXPECT_TRUE(line.starts_with("127.0.0.1:1 handshake failed: bad SNI \\\"a\\nb\\\""))
      << line;
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace tern::http
