// SPDX-License-Identifier: Apache-2.0
// `tern serve`'s request parsing and path mapping (src/http/request_parser.cpp, file_service.cpp).
#include "http/file_service.h"
#include "http/request_parser.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tern::http {
namespace {

using State = ParsedRequest::State;

TEST(HttpRequest, ParsesAGet) {
  auto p = parse_request("GET /a.txt?x=1 HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\nNEXT");
  ASSERT_EQ(p.state, State::complete) << p.error;
  EXPECT_EQ(p.request.method, "GET");
  EXPECT_EQ(p.request.target, "/a.txt?x=1");
  EXPECT_TRUE(p.request.keep_alive);
  EXPECT_EQ(p.consumed, std::string_view("GET /a.txt?x=1 HTTP/1.1\r\nHost: localhost\r\n"
                                         "Accept: */*\r\n\r\n")
                            .size());
}

TEST(HttpRequest, WaitsForTheWholeHead) {
  EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nHost: x\r\n").state, State::incomplete);
  EXPECT_EQ(parse_request("GE").state, State::incomplete);
}

TEST(HttpRequest, ConnectionAndVersionDecideKeepAlive) {
  EXPECT_FALSE(parse_request("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                   .request.keep_alive);
  EXPECT_FALSE(parse_request("GET / HTTP/1.0\r\n\r\n").request.keep_alive);
  EXPECT_TRUE(parse_request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                  .request.keep_alive);
}

TEST(HttpRequest, RefusesMalformedRequests) {
  struct Case {
    const char* text;
    int status;
  } cases[] = {
      {"GET /\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\n\r\n", 400},  // no Host
      {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nbad header\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\n continued\r\n\r\n", 400},
      {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505},
      {"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
      {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400},
  };
  for (const auto& c : cases) {
    auto p = parse_request(c.text);
    EXPECT_EQ(p.state, State::error) << c.text;
    EXPECT_EQ(p.error_status, c.status) << c.text;
  }
}

// RFC 9112 §2.2: a bare LF ends a line, for every line of the head, through one splitter.
TEST(HttpRequest, BareLfEndsEveryLine) {
  auto p = parse_request("GET / HTTP/1.0\n\n");
  ASSERT_EQ(p.state, State::complete) << p.error;
  EXPECT_EQ(p.consumed, 16u);
  p = parse_request("GET /x HTTP/1.1\nHost: a\r\nContent-Length: 3\n\r\nabcNEXT");
  ASSERT_EQ(p.state, State::complete) << p.error;
  EXPECT_EQ(p.request.body_length, 3u);
  EXPECT_EQ(p.consumed,
            std::string_view("GET /x HTTP/1.1\nHost: a\r\nContent-Length: 3\n\r\n").size());
  // A length after a bare LF is seen, not hidden in the previous field.
  p = parse_request("GET / HTTP/1.1\r\nHost: a\r\nX: y\nContent-Length: 5\r\n\r\nhello");
  ASSERT_EQ(p.state, State::complete) << p.error;
  EXPECT_EQ(p.request.body_length, 5u);
  // Blank lines before a request, either kind.
  p = parse_request("\n\r\nGET / HTTP/1.0\n\n");
  ASSERT_EQ(p.state, State::complete) << p.error;
  EXPECT_EQ(p.request.target, "/");
  EXPECT_EQ(parse_request("GET / HTTP/1.1\nHost: a\n").state, State::incomplete);
}

TEST(HttpRequest, RefusesAmbiguousFraming) {
  struct Case {
    const char* text;
    int status;
  } cases[] = {
      {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\nContent-Length: 1\ncontent-length: 2\n\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nX: a\rContent-Length: 5\r\n\r\n", 400},  // bare CR
      {"GET / HTTP/1.1\rHost: a\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n\tContent-Length: 5\r\n\r\n", 400},  // obs-fold
      {"GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length : 5\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length\t: 5\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nContent\x0bLength: 5\r\n\r\n", 400},
  };
  for (const auto& c : cases) {
    auto p = parse_request(c.text);
    EXPECT_EQ(p.state, State::error) << c.text;
    EXPECT_EQ(p.error_status, c.status) << c.text;
  }
}

TEST(HttpRequest, LimitsTheSizeOfTheHead) {
  std::string long_target = "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n";
  EXPECT_EQ(parse_request(long_target).error_status, 414);
  std::string no_end = "GET / HTTP/1.1\r\n" + std::string(20000, 'x');
  EXPECT_EQ(parse_request(no_end).error_status, 431);
  EXPECT_EQ(parse_request(std::string(20000, '\n')).error_status, 431);  // blank lines count
  std::string no_lf = "GET /" + std::string(9000, 'a');
  EXPECT_EQ(parse_request(no_lf).error_status, 414);
}

class ResolveTarget : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = std::filesystem::temp_directory_path() /
            ("tern-http-files-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(base_ / "root/dir");
    std::filesystem::create_directories(base_ / "root/empty");
    std::ofstream(base_ / "root/a b.txt") << "a";
    std::ofstream(base_ / "root/dir/index.html") << "index";
    std::ofstream(base_ / "secret.txt") << "outside";
    std::filesystem::create_symlink(base_ / "secret.txt", base_ / "root/link-out");
    std::filesystem::create_symlink(base_ / "root/a b.txt", base_ / "root/link-in");
    root_ = std::filesystem::canonical(base_ / "root").string();
  }
  void TearDown() override { std::filesystem::remove_all(base_); }

  std::filesystem::path base_;
  std::string root_;
};

TEST_F(ResolveTarget, EveryNotFoundSaysWhyInTheLogAndLessToTheClient) {
  auto empty = resolve_target(root_, "/empty/");
  EXPECT_EQ(empty.status, 404);
  EXPECT_TRUE(empty.missing.starts_with("the directory has no index.html")) << empty.missing;
  EXPECT_EQ(public_reason(empty), empty.missing);
  auto missing = resolve_target(root_, "/missing");
  EXPECT_EQ(missing.missing, "no such file");
  EXPECT_EQ(resolve_target(root_, "/a%20b.txt/x").missing, "no such file");  // through a file
  auto out = resolve_target(root_, "/link-out");
  EXPECT_EQ(out.missing, "a symlink to outside the served directory");
  EXPECT_EQ(public_reason(out), "no such file");  // the client learns nothing of outside
  // A 403 for what the server may not read is only reachable without root: see
  // tests/cli/serve_basic.sh for the start-up check under another user.
  Resolved denied;
  denied.status = 403;
  denied.missing = "permission denied (the server's user may not read it)";
  EXPECT_EQ(public_reason(denied), "permission denied");
}

TEST_F(ResolveTarget, ServedRootSaysWhyADirectoryCannotBeServed) {
  auto ok = served_root((base_ / "root/dir/..").string());
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(*ok, root_);
  auto missing = served_root((base_ / "nope").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::usage);
  EXPECT_NE(missing.error().detail.find("nope: it does not exist"), std::string::npos);
  auto file = served_root((base_ / "secret.txt").string());
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.error().detail.find("secret.txt: it is not a directory"), std::string::npos);
}

TEST_F(ResolveTarget, FindsFilesAndIndexes) {
  auto r = resolve_target(root_, "/a%20b.txt?download=1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.file, root_ + "/a b.txt");
  EXPECT_EQ(resolve_target(root_, "/dir/").file, root_ + "/dir/index.html");
  auto redirect = resolve_target(root_, "/dir");
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(redirect.location, "/dir/");
  EXPECT_EQ(resolve_target(root_, "/empty/").status, 404);  // no index.html, no listing
  EXPECT_EQ(resolve_target(root_, "/missing").status, 404);
  EXPECT_EQ(resolve_target(root_, "/link-in").status, 200);
}

TEST_F(ResolveTarget, NeverLeavesTheRoot) {
  EXPECT_EQ(resolve_target(root_, "/../secret.txt").status, 400);
  EXPECT_EQ(resolve_target(root_, "/%2e%2e/secret.txt").status, 400);
  EXPECT_EQ(resolve_target(root_, "/dir/..%2f..%2fsecret.txt").status, 400);
  EXPECT_EQ(resolve_target(root_, "/link-out").status, 404);  // a symlink out of the root
  EXPECT_EQ(resolve_target(root_, "/a%00b").status, 400);
  EXPECT_EQ(resolve_target(root_, "/a%zz").status, 400);
  EXPECT_EQ(resolve_target(root_, "/a%2").status, 400);
  EXPECT_EQ(resolve_target(root_, "a.txt").status, 400);
  EXPECT_EQ(resolve_target(root_, "*").status, 400);
}

// One resolver for every path: index.html too is checked against root with its '/', so a
// sibling directory sharing root's name as a prefix is outside.
TEST_F(ResolveTarget, IndexFilesStayInsideTheRoot) {
  std::filesystem::create_directories(base_ / "root-secret");
  std::ofstream(base_ / "root-secret/index.html") << "secret index";
  std::filesystem::create_directories(base_ / "root/leak");
  std::filesystem::create_symlink(base_ / "root-secret/index.html", base_ / "root/leak/index.html");
  std::filesystem::create_symlink(base_ / "root-secret", base_ / "root/sibling");
  EXPECT_EQ(resolve_target(root_, "/leak/").status, 404);
  EXPECT_EQ(resolve_target(root_, "/sibling/").status, 404);
  EXPECT_EQ(resolve_target(root_, "/sibling").status, 404);  // no redirect to outside
}

TEST_F(ResolveTarget, RedirectsFromTheNormalisedPath) {
  std::filesystem::create_directories(base_ / "root/example.com");
  std::filesystem::create_directories(base_ / "root/a dir");
  auto r = resolve_target(root_, "//example.com");
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.location, "/example.com/");  // not "//example.com/", another host to a browser
  EXPECT_EQ(resolve_target(root_, "///example.com?x").location, "/example.com/");
  EXPECT_EQ(resolve_target(root_, "/dir//").file, root_ + "/dir/index.html");
  EXPECT_EQ(resolve_target(root_, "/a%20dir").location, "/a%20dir/");
  EXPECT_EQ(resolve_target(root_, "//dir").location, "/dir/");
  EXPECT_EQ(resolve_target(root_, "//a%20b.txt").file, root_ + "/a b.txt");
}

TEST_F(ResolveTarget, NeverServesDotfiles) {
  std::filesystem::create_directories(base_ / "root/.git");
  std::ofstream(base_ / "root/.git/config") << "[core]";
  std::ofstream(base_ / "root/.env") << "SECRET=1";
  std::ofstream(base_ / "root/dir/.htpasswd") << "u:p";
  std::filesystem::create_symlink(base_ / "root/.git", base_ / "root/git-link");
  std::filesystem::create_symlink(base_ / "root/.env", base_ / "root/env-link");
  for (const char* target : {"/.env", "/.git/config", "/.git/", "/.git", "/dir/.htpasswd",
                             "/%2eenv", "/git-link/config", "/env-link", "/.missing"}) {
    auto r = resolve_target(root_, target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_NE(r.why.find("dotfile"), std::string::npos) << target;
  }
  EXPECT_EQ(resolve_target(root_, "/dir/").status, 200);  // a dot inside a name is fine
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("/x/index.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("/img.png"), "image/png");
  EXPECT_EQ(content_type_for("/dir.d/file"), "application/octet-stream");
  EXPECT_EQ(content_type_for("/big.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace tern::http
