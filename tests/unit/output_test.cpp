// SPDX-License-Identifier: Apache-2.0
// The tool's output helpers (apps/tern/output.h): escaping what a peer chose before it
// reaches a log line or a terminal; times given on the command line.
#include "output.h"

#include <gtest/gtest.h>

namespace tern::cli {
namespace {

TEST(EscapePeerText, PrintableAsciiAndUtf8StayAsTheyAre) {
  EXPECT_EQ(escape_peer_text("GET /a%20b.txt?x=1 HTTP/1.1"), "GET /a%20b.txt?x=1 HTTP/1.1");
  EXPECT_EQ(escape_peer_text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92");
  EXPECT_EQ(escape_peer_text(""), "");
}

TEST(EscapePeerText, ALineEndCannotForgeALogLine) {
  EXPECT_EQ(escape_peer_text("GET / HTTP/1.1\n127.0.0.1:1 \"GET /admin\" 200"),
            "GET / HTTP/1.1\\n127.0.0.1:1 \\\"GET /admin\\\" 200");
  EXPECT_EQ(escape_peer_text("a\r\tb"), "a\\r\\tb");
  EXPECT_EQ(escape_peer_text("back\\slash"), "back\\\\slash");
}

TEST(EscapePeerText, TerminalControlsBecomeHex) {
  EXPECT_EQ(escape_peer_text("\x1b[2J\x1b]0;title\x07"), "\\x1b[2J\\x1b]0;title\\x07");
  EXPECT_EQ(escape_peer_text(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(escape_peer_text("\x7f"), "\\x7f");
  // C1 controls, in UTF-8 (U+009B is CSI to some terminals) and as raw bytes.
  EXPECT_EQ(escape_peer_text("\xc2\x9b" "31m"), "\\xc2\\x9b31m");
  EXPECT_EQ(escape_peer_text("\x9b"), "\\x9b");
}

TEST(EscapePeerText, BytesThatAreNotUtf8BecomeHex) {
  EXPECT_EQ(escape_peer_text("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(escape_peer_text("\xc3"), "\\xc3");                      // cut short
  EXPECT_EQ(escape_peer_text("\xc0\xaf"), "\\xc0\\xaf");             // overlong '/'
  EXPECT_EQ(escape_peer_text("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");    // overlong, 3 bytes
  EXPECT_EQ(escape_peer_text("\xed\xa0\x80"), "\\xed\\xa0\\x80");    // a surrogate
  EXPECT_EQ(escape_peer_text("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
  EXPECT_EQ(escape_peer_text("\xe2\x82" "A"), "\\xe2\\x82A");
}

TEST(ParseTime, UnixSecondsDatesAndRfc3339) {
  EXPECT_EQ(*parse_time("1767225600"), 1767225600);
  EXPECT_EQ(*parse_time("2026-01-01"), 1767225600);
  EXPECT_EQ(*parse_time("2026-01-02T03:04:05Z"), 1767225600 + 86400 + 3 * 3600 + 4 * 60 + 5);
  EXPECT_EQ(*parse_time("2026-01-02t03:04:05z"), *parse_time("2026-01-02T03:04:05Z"));
  EXPECT_EQ(*parse_time("2026-01-02 03:04"), 1767225600 + 86400 + 3 * 3600 + 4 * 60);
  EXPECT_EQ(*parse_time("2026-01-02T03:04:05.250Z"), *parse_time("2026-01-02T03:04:05Z"));
  EXPECT_EQ(*parse_time("2026-01-02T04:04:05+01:00"), *parse_time("2026-01-02T03:04:05Z"));
  EXPECT_EQ(*parse_time("2026-01-02T01:34:05-0130"), *parse_time("2026-01-02T03:04:05Z"));
  EXPECT_EQ(*parse_time("1969-12-31T23:59:59Z"), -1);
  EXPECT_EQ(iso8601(*parse_time("2024-02-29T12:00:00Z")), "2024-02-29T12:00:00Z");
}

TEST(ParseTime, AnythingElseSaysWhichFormsAreAccepted) {
  for (const char* bad : {"yesterday", "", "2026-02-30", "2026-1-2", "2026-01-02T25:00Z",
                          "2026-01-02T03:04:05+1", "2026-01-02T03:04:05Zjunk", "-5", "12ab"}) {
    auto t = parse_time(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().code, Errc::usage);
    EXPECT_NE(t.error().detail.find("give Unix seconds (1767225600) or an RFC 3339 / ISO 8601"),
              std::string::npos)
        << t.error().detail;
  }
}

}  // namespace
}  // namespace tern::cli
