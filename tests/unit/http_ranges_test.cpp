// SPDX-License-Identifier: Apache-2.0
// Ranges, validators and conditional requests (src/http/conditional.cpp), and what
// FileService answers with them; the directory listing (directory_listing.cpp).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http/conditional.h"
#include "http/directory_listing.h"
#include "http/file_service.h"

namespace tern::http {
namespace {

using Kind = RangeAnswer::Kind;

Request get(Fields fields, std::string method = "GET", std::string target = "/a.txt") {
  return Request{std::move(method), std::move(target), "HTTP/1.1", std::move(fields)};
}

const std::string kTag = "\"1-2-3\"";
constexpr time_t kMtime = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST(HttpRange, SingleRangesInEveryForm) {
  auto r = answer_range(get({{"range", "bytes=0-99"}}), 1000, kTag, kMtime);
  EXPECT_EQ(r.kind, Kind::partial);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.length, 100u);
  r = answer_range(get({{"range", "bytes=990-"}}), 1000, kTag, kMtime);
  EXPECT_EQ(r.kind, Kind::partial);
  EXPECT_EQ(r.first, 990u);
  EXPECT_EQ(r.length, 10u);
  r = answer_range(get({{"range", "bytes=-100"}}), 1000, kTag, kMtime);
  EXPECT_EQ(r.first, 900u);
  EXPECT_EQ(r.length, 100u);
  r = answer_range(get({{"range", "bytes=-5000"}}), 1000, kTag, kMtime);  // all of it
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.length, 1000u);
  r = answer_range(get({{"range", "bytes=500-99999"}}), 1000, kTag, kMtime);  // clipped
  EXPECT_EQ(r.length, 500u);
}

TEST(HttpRange, UnsatisfiableAndIgnored) {
  EXPECT_EQ(answer_range(get({{"range", "bytes=1000-"}}), 1000, kTag, kMtime).kind,
            Kind::unsatisfiable);
  EXPECT_EQ(answer_range(get({{"range", "bytes=-0"}}), 1000, kTag, kMtime).kind,
            Kind::unsatisfiable);
  EXPECT_EQ(answer_range(get({{"range", "bytes=0-"}}), 0, kTag, kMtime).kind,
            Kind::unsatisfiable);
  for (const char* ignored : {"bytes=5-2", "bytes=x-3", "items=0-3", "bytes=0-1,5-6", "bytes=",
                              "bytes=-", "bytes=99999999999999999999-"})
    EXPECT_EQ(answer_range(get({{"range", ignored}}), 1000, kTag, kMtime).kind, Kind::whole)
        << ignored;
  EXPECT_EQ(answer_range(get({{"range", "bytes=0-1"}}, "HEAD"), 1000, kTag, kMtime).kind,
            Kind::whole);  // only GET has ranges
}

TEST(HttpRange, IfRangeComparesStronglyOrByExactDate) {
  auto with = [](const char* if_range) {
    return answer_range(get({{"range", "bytes=0-1"}, {"if-range", if_range}}), 10, kTag, kMtime)
        .kind;
  };
  EXPECT_EQ(with("\"1-2-3\""), Kind::partial);
  EXPECT_EQ(with("W/\"1-2-3\""), Kind::whole);
  EXPECT_EQ(with("\"other\""), Kind::whole);
  EXPECT_EQ(with("Sun, 06 Nov 1994 08:49:37 GMT"), Kind::partial);
  EXPECT_EQ(with("Sun, 06 Nov 1994 08:49:38 GMT"), Kind::whole);
}

TEST(HttpConditional, IfNoneMatchWinsOverIfModifiedSince) {
  EXPECT_TRUE(not_modified(get({{"if-none-match", "\"1-2-3\""}}), kTag, kMtime));
  EXPECT_TRUE(not_modified(get({{"if-none-match", "\"x\", W/\"1-2-3\""}}), kTag, kMtime));
  EXPECT_TRUE(not_modified(get({{"if-none-match", "*"}}), kTag, kMtime));
  EXPECT_FALSE(not_modified(get({{"if-none-match", "\"x\""}}), kTag, kMtime));
  // If-None-Match present: If-Modified-Since is not looked at (RFC 9110 §13.1.3).
  EXPECT_FALSE(not_modified(
      get({{"if-none-match", "\"x\""}, {"if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT"}}),
      kTag, kMtime));
  EXPECT_TRUE(not_modified(get({{"if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT"}}), kTag,
                           kMtime));
  EXPECT_FALSE(not_modified(get({{"if-modified-since", "Sun, 06 Nov 1994 08:49:36 GMT"}}), kTag,
                            kMtime));
  EXPECT_FALSE(not_modified(get({{"if-modified-since", "yesterday"}}), kTag, kMtime));
  EXPECT_FALSE(not_modified(get({}), kTag, kMtime));
}

TEST(HttpConditional, ParsesTheThreeDateForms) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), kMtime);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), kMtime);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), kMtime);
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT trailing"));
}

TEST(HttpConditional, EntityTagFollowsTheFile) {
  struct stat a {};
  a.st_ino = 0x10;
  a.st_size = 0x20;
  a.st_mtim = {1, 2};
  EXPECT_EQ(entity_tag(a), "\"10-20-3b9aca02\"");
  struct stat b = a;
  b.st_mtim.tv_nsec = 3;
  EXPECT_NE(entity_tag(a), entity_tag(b));
}

class FileAnswers : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("tern_ranges_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "dir" / "sub");
    std::ofstream(root_ / "a.txt") << std::string(1000, 'a');
    std::ofstream(root_ / "dir" / "b <&\">.txt") << "b";
    std::ofstream(root_ / "dir" / "a:b") << "c";
    std::ofstream(root_ / "dir" / ".hidden") << "h";
    std::ofstream(root_ / "dir" / "key.pem") << "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                                "-----END PRIVATE KEY-----\n";
    root_ = std::filesystem::canonical(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  Response respond(Request req, bool list = false) {
    FileService files(root_.string(), nullptr, nullptr, FileServiceOptions{list});
    return files.respond(req, "peer");
  }
  std::filesystem::path root_;
};

TEST_F(FileAnswers, RangesAndValidators) {
  Response whole = respond(get({}));
  ASSERT_EQ(whole.status, 200);
  const std::string* etag = find_field(whole.fields, "etag");
  ASSERT_TRUE(etag);
  EXPECT_TRUE(find_field(whole.fields, "accept-ranges"));
  Response part = respond(get({{"range", "bytes=-100"}}));
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.file_offset, 900u);
  EXPECT_EQ(part.file_length, 100u);
  EXPECT_EQ(*find_field(part.fields, "content-range"), "bytes 900-999/1000");
  Response past = respond(get({{"range", "bytes=1000-"}}));
  EXPECT_EQ(past.status, 416);
  EXPECT_EQ(*find_field(past.fields, "content-range"), "bytes */1000");
  EXPECT_FALSE(past.close_connection);
  Response same = respond(get({{"if-none-match", *etag}}));
  EXPECT_EQ(same.status, 304);
  EXPECT_EQ(*find_field(same.fields, "etag"), *etag);
  EXPECT_TRUE(find_field(same.fields, "last-modified"));
  EXPECT_EQ(same.content_length(), 0u);
  Response since = respond(get({{"if-modified-since", *find_field(whole.fields, "last-modified")}}));
  EXPECT_EQ(since.status, 304);
}

TEST_F(FileAnswers, SecretsGetNoValidatorsNorRanges) {
  Response r = respond(get({{"if-none-match", "*"}, {"range", "bytes=0-1"}}, "GET", "/dir/key.pem"));
  EXPECT_EQ(r.status, 404);
}

TEST_F(FileAnswers, ListsADirectoryOnlyWhenAsked) {
  EXPECT_EQ(respond(get({}, "GET", "/dir/")).status, 404);
  Response page = respond(get({}, "GET", "/dir/"), true);
  ASSERT_EQ(page.status, 200);
  const std::string& html = page.body;
  EXPECT_NE(html.find("<title>Index of /dir/</title>"), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"./b%20%3C&amp;%22%3E.txt\">b &lt;&amp;&quot;&gt;.txt</a>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("href=\"./a:b\""), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"./sub/\">sub/</a>"), std::string::npos) << html;
  EXPECT_EQ(html.find("hidden"), std::string::npos) << html;
  EXPECT_EQ(html.find("key.pem"), std::string::npos) << html;
  EXPECT_LT(html.find("a:b"), html.find("b &lt;"));  // sorted
  // A directory with index.html is served its index, not a listing.
  std::ofstream(root_ / "dir" / "sub" / "index.html") << "index";
  EXPECT_EQ(respond(get({}, "GET", "/dir/sub/"), true).file_length, 5u);
}

TEST(HtmlEscape, EscapesMarkupAndQuotes) {
  EXPECT_EQ(html_escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

}  // namespace
}  // namespace tern::http
