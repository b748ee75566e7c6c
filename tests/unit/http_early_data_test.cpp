// SPDX-License-Identifier: Apache-2.0
// RFC 8470 for `tern serve --early-data`: which requests count as early, and 425 Too Early
// for those that are not safe to replay.
#include <gtest/gtest.h>

#include "http/early_data.h"

namespace tern::http {
namespace {

Request request(const std::string& method) {
  Request r;
  r.method = method;
  r.target = "/";
  r.version = "HTTP/1.1";
  return r;
}

TEST(HttpEarlyData, ARequestStartingInEarlyDataIsEarly) {
  EXPECT_TRUE(arrived_early(request("GET"), 0, 10));
  EXPECT_TRUE(arrived_early(request("GET"), 9, 10));  // its first byte came early
  EXPECT_FALSE(arrived_early(request("GET"), 10, 10));
  EXPECT_FALSE(arrived_early(request("GET"), 0, 0));
  Request marked = request("GET");
  marked.fields.push_back({"early-data", "1"});  // a proxy in front says so (§5.1)
  EXPECT_TRUE(arrived_early(marked, 100, 0));
}

TEST(HttpEarlyData, OnlySafeMethodsAreServedEarly) {
  EXPECT_FALSE(too_early(request("GET"), true));
  EXPECT_FALSE(too_early(request("HEAD"), true));
  EXPECT_FALSE(too_early(request("POST"), false));
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    auto answer = too_early(request(method), true);
    ASSERT_TRUE(answer) << method;
    EXPECT_EQ(answer->status, 425);
    EXPECT_FALSE(answer->close_connection);  // the client retries on the same connection
    EXPECT_NE(answer->body.find(method), std::string::npos);
  }
  EXPECT_STREQ(reason_phrase(425), "Too Early");
}

}  // namespace
}  // namespace tern::http
