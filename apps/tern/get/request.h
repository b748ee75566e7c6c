// SPDX-License-Identifier: Apache-2.0
// The HTTP/1.1 request `tern get` sends, built from curl's flags: the method, the default
// headers and -H's overrides, the body of -d/--data-binary, -u, -A, -r, --compressed.
#pragma once

#include <string>
#include <vector>

#include "get/options.h"
#include "get/url.h"
#include "tern/result.h"

namespace tern::cli::get {

// What stays the same from one request to the next across redirects.
struct RequestPlan {
  std::string method;        // "GET", "HEAD", "POST" or -X's
  bool method_forced = false;  // -X: kept across redirects, as curl does
  std::string body;            // -d / --data-binary, loaded
  bool has_body = false;
  std::vector<std::string> user_headers;  // -H as given
  std::string authorization;  // "Basic ..." from -u, or ""
  std::string user_agent = "tern/0.1.0";
  std::string range;
  bool compressed = false;
};

// Reads @file / @- bodies. Errc::io (curl's exit 26) when a file cannot be read.
Result<RequestPlan> plan_request(const GetArgs& args);

// The request's head and body for `url`. `same_origin` is false after a redirect to another
// host: -u's credentials and a -H Authorization or Cookie are not sent there (as curl).
std::string build_request(const RequestPlan& plan, const Url& url, bool same_origin);

// The header lines of a request (for -v), in the order sent.
std::vector<std::string> request_header_lines(const std::string& request);

// RFC 4648 base64, for Basic credentials.
std::string base64_encode(const std::string& data);

}  // namespace tern::cli::get
