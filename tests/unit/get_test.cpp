// SPDX-License-Identifier: Apache-2.0
// The pieces of `tern get` that need no network: URLs and redirects, the request curl's
// flags make, -w, and --compressed's decoder (including a bomb, in bounded pieces).
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "get/decode.h"
#include "get/request.h"
#include "get/url.h"
#include "get/write_out.h"

namespace tern::cli::get {
namespace {

TEST(GetUrl, SchemesAndMalformedUrls) {
  EXPECT_EQ(parse_url("http://x/").error().code, Errc::unsupported);
  EXPECT_EQ(parse_url("ftp://x/").error().code, Errc::unsupported);
  EXPECT_EQ(parse_url("https://").error().code, Errc::usage);
  EXPECT_EQ(parse_url("https://x:0/").error().code, Errc::usage);
  auto url = parse_url("HTTPS://Example.org:8443/a b?q=1#frag");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "example.org");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->path, "/a%20b?q=1");
}

TEST(GetUrl, ResolvesLocations) {
  auto base = *parse_url("https://h:1/dir/page?x");
  EXPECT_EQ(resolve_location(base, "https://o/p"), "https://o/p");
  EXPECT_EQ(resolve_location(base, "http://o/p"), "http://o/p");
  EXPECT_EQ(resolve_location(base, "//o/p"), "https://o/p");
  EXPECT_EQ(resolve_location(base, "/p"), "https://h:1/p");
  EXPECT_EQ(resolve_location(base, "q"), "https://h:1/dir/q");
  EXPECT_EQ(resolve_location(base, "?y"), "https://h:1/dir/page?y");
}

TEST(GetUrl, RemoteNames) {
  EXPECT_EQ(*remote_name(*parse_url("https://h/a/b.txt?x=1")), "b.txt");
  EXPECT_FALSE(remote_name(*parse_url("https://h/a/")));
  EXPECT_FALSE(remote_name(*parse_url("https://h/.bashrc")));
  EXPECT_FALSE(remote_name(*parse_url("https://h/a%2F..%2Fx")));
}

TEST(GetRequest, DefaultsAndOverrides) {
  GetArgs args;
  args.headers = {"Accept: text/x", "User-Agent:", "X-Empty;", "X-A: 1"};
  args.user = "alice:secret";
  args.range = "0-9";
  auto plan = plan_request(args);
  ASSERT_TRUE(plan);
  auto url = *parse_url("https://h:8/p");
  std::string request = build_request(*plan, url, true);
  EXPECT_TRUE(request.starts_with("GET /p HTTP/1.1\r\nHost: h:8\r\n"));
  EXPECT_NE(request.find("Authorization: Basic YWxpY2U6c2VjcmV0\r\n"), std::string::npos);
  EXPECT_NE(request.find("Range: bytes=0-9\r\n"), std::string::npos);
  EXPECT_EQ(request.find("User-Agent"), std::string::npos);
  EXPECT_EQ(request.find("Accept: */*"), std::string::npos);
  EXPECT_NE(request.find("Accept: text/x\r\n"), std::string::npos);
  EXPECT_NE(request.find("X-Empty:\r\n"), std::string::npos);
  // Another host: no credentials.
  EXPECT_EQ(build_request(*plan, url, false).find("Authorization"), std::string::npos);
}

TEST(GetRequest, DataMakesAPost) {
  GetArgs args;
  args.data = {"a=1", "b=2"};
  auto plan = plan_request(args);
  ASSERT_TRUE(plan);
  std::string request = build_request(*plan, *parse_url("https://h/"), true);
  EXPECT_TRUE(request.starts_with("POST / HTTP/1.1\r\n"));
  EXPECT_NE(request.find("Content-Type: application/x-www-form-urlencoded\r\n"),
            std::string::npos);
  EXPECT_TRUE(request.ends_with("Content-Length: 7\r\nConnection: close\r\n\r\na=1&b=2"));
  args.data = {"@/nonexistent/file"};
  EXPECT_EQ(plan_request(args).error().code, Errc::io);
}

TEST(GetRequest, LineBreaksRefused) {
  GetArgs args;
  args.headers = {"X: a\r\nEvil: b"};
  EXPECT_EQ(plan_request(args).error().code, Errc::usage);
  args.headers.clear();
  args.method = "GET / HTTP/1.1\r\n";
  EXPECT_EQ(plan_request(args).error().code, Errc::usage);
}

TEST(GetRequest, Base64) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
}

TEST(GetWriteOut, VariablesAndEscapes) {
  TransferInfo info;
  info.http_code = 200;
  info.size_download = 42;
  info.time_total = 1.5;
  info.url_effective = "https://h/";
  info.http_version = "2";
  std::string unknown;
  EXPECT_EQ(expand_write_out("%{http_code} %{size_download} %{time_total} %{http_version}\\n",
                             info, &unknown),
            "200 42 1.500000 2\n");
  EXPECT_EQ(expand_write_out("100%% %{url_effective}\\t\\q", info, &unknown),
            "100% https://h/\t\\q");
  EXPECT_TRUE(unknown.empty());
  EXPECT_EQ(expand_write_out("%{nope}", info, &unknown), "%{nope}");
  EXPECT_EQ(unknown, "nope");
}

std::string gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(GetDecode, GzipInBoundedPieces) {
  std::string bomb = gzip(std::string(32 << 20, '\0'));
  auto decoder = BodyDecoder::for_encoding("gzip");
  ASSERT_TRUE(decoder && *decoder);
  size_t total = 0, largest = 0;
  auto fed = (*decoder)->feed(
      BytesView(reinterpret_cast<const uint8_t*>(bomb.data()), bomb.size()),
      [&](BytesView piece) {
        total += piece.size();
        largest = std::max(largest, piece.size());
      });
  ASSERT_TRUE(fed);
  EXPECT_TRUE((*decoder)->finish());
  EXPECT_EQ(total, size_t{32} << 20);
  EXPECT_LE(largest, size_t{16} * 1024);
}

TEST(GetDecode, CodingsAndDamage) {
  EXPECT_FALSE(*BodyDecoder::for_encoding(""));
  EXPECT_FALSE(*BodyDecoder::for_encoding("identity"));
  EXPECT_EQ(BodyDecoder::for_encoding("br").error().code, Errc::unsupported);
  std::string data = gzip("hello");
  auto cut = *BodyDecoder::for_encoding("gzip");
  ASSERT_TRUE(cut->feed(BytesView(reinterpret_cast<const uint8_t*>(data.data()), 8),
                        [](BytesView) {}));
  EXPECT_FALSE(cut->finish());
  auto garbage = *BodyDecoder::for_encoding("deflate");
  const uint8_t junk[] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_FALSE(garbage->feed(BytesView(junk, sizeof junk), [](BytesView) {}));
}

}  // namespace
}  // namespace tern::cli::get
