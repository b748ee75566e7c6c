// SPDX-License-Identifier: Apache-2.0
// The URLs `tern get` takes and follows: https:// only, parsed into what the connection
// (host, port) and the request line (path, Host) need.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tern/result.h"

namespace tern::cli::get {

struct Url {
  std::string host;  // without brackets
  uint16_t port = 443;
  std::string path = "/";   // origin form, with the query: "/a%20b?x=1"
  std::string host_header;  // as in the URL: "[::1]:8443"
  std::string text;         // the URL as given (or resolved from a Location)
};

// Errc::unsupported for another scheme (curl's exit 1), Errc::usage for a malformed URL
// (curl's exit 3); the message names the URL.
Result<Url> parse_url(const std::string& text);

// The absolute URL a Location header names, relative to `base` (RFC 3986 §5, the forms
// servers send: absolute, scheme-relative "//host/p", absolute path "/p", relative "p").
std::string resolve_location(const Url& base, const std::string& location);

// --resolve HOST:PORT:ADDR for this URL, or "".
Result<std::string> resolved_address(const std::vector<std::string>& entries, const Url& url);

// -O: the file name the URL's path ends with; Errc::usage when it is empty or could escape
// the current directory (a '/' once decoded, or a leading '.').
Result<std::string> remote_name(const Url& url);

}  // namespace tern::cli::get
