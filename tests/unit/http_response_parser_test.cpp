// SPDX-License-Identifier: Apache-2.0
// `tern get`'s HTTP/1.1 response parser (src/http/response_parser.cpp), fed in every split.
#include "http/response_parser.h"

#include <gtest/gtest.h>

namespace tern::http {
namespace {

struct Parsed {
  bool ok = true;
  std::string body, error;
  int status = 0;
  bool complete = false;
};

// Feeds `response` in pieces of `step` bytes, then the end of the stream if `eof`.
Parsed parse(std::string_view response, size_t step, bool eof = true) {
  ResponseParser parser;
  Parsed out;
  auto sink = [&](BytesView b) {
    out.body.append(reinterpret_cast<const char*>(b.data()), b.size());
  };
  for (size_t at = 0; at < response.size(); at += step) {
    auto piece = response.substr(at, step);
    auto fed =
        parser.feed(BytesView(reinterpret_cast<const uint8_t*>(piece.data()), piece.size()), sink);
    if (!fed) {
      out.ok = false;
      out.error = fed.error().detail;
      return out;
    }
  }
  if (eof && !parser.complete()) {
    auto ended = parser.end_of_stream();
    if (!ended) {
      out.ok = false;
      out.error = ended.error().detail;
    }
  }
  out.status = parser.status();
  out.complete = parser.complete();
  return out;
}

const char kChunked[] =
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";

TEST(HttpResponse, EveryFramingInEverySplit) {
  for (size_t step : {1, 2, 3, 7, 64, 4096}) {
    auto length = parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", step, false);
    EXPECT_TRUE(length.ok && length.complete) << step << length.error;
    EXPECT_EQ(length.body, "hello");
    auto chunked = parse(kChunked, step, false);
    EXPECT_TRUE(chunked.ok && chunked.complete) << step << chunked.error;
    EXPECT_EQ(chunked.body, "hello, world");
    auto until_close = parse("HTTP/1.0 200 ok\r\nContent-type: text/plain\r\n\r\nall of it", step);
    EXPECT_TRUE(until_close.ok && until_close.complete) << step;
    EXPECT_EQ(until_close.body, "all of it");
  }
}

TEST(HttpResponse, StatusAndNoBodyCases) {
  auto not_found = parse("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno!", 5);
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(not_found.body, "no!");
  auto no_content = parse("HTTP/1.1 204 No Content\r\n\r\n", 5, false);
  EXPECT_TRUE(no_content.complete);
  ResponseParser head(true);
  const char text[] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
  ASSERT_TRUE(head.feed(BytesView(reinterpret_cast<const uint8_t*>(text), sizeof text - 1),
                        [](BytesView) { FAIL() << "a HEAD response has no body"; }));
  EXPECT_TRUE(head.complete());
}

TEST(HttpResponse, TruncationIsAnError) {
  EXPECT_FALSE(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 4).ok);
  EXPECT_FALSE(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", 4).ok);
  EXPECT_FALSE(parse("HTTP/1.1 200 OK\r\nContent-Le", 4).ok);
  auto nothing = parse("", 1);
  EXPECT_FALSE(nothing.ok);
  EXPECT_NE(nothing.error.find("without answering"), std::string::npos);
}

TEST(HttpResponse, MalformedResponsesAreRefused) {
  for (const char* bad : {
           "HTTP/1.1 2x0 OK\r\n\r\n",
           "SSH-2.0-OpenSSH\r\n\r\n",
           "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
           "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
           "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
           "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabc",
       }) {
    EXPECT_FALSE(parse(bad, 3).ok) << bad;
  }
}

}  // namespace
}  // namespace tern::http
