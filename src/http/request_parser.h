// SPDX-License-Identifier: Apache-2.0
// The HTTP/1.1 request head parser (RFC 9112) of `tern serve`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/message.h"

namespace tern::http {

// A request as HTTP/1.1 framed it.
struct HttpRequest : Request {
  bool keep_alive = true;
  size_t body_length = 0;  // Content-Length of a request body, skipped
};

// The head of one request at the front of `buffer`. Lines end with CRLF or a bare LF (RFC 9112
// §2.2), the same for every line; a bare CR, obs-fold, a field name that is not a token, two
// Content-Length fields (or a list) and Transfer-Encoding with Content-Length are 400s. The
// head is at most 16 KiB (431), the target 8 KiB (414).
struct ParsedRequest {
  enum class State { incomplete, complete, error } state = State::incomplete;
  HttpRequest request;
  size_t consumed = 0;  // bytes of the head, the empty line that ends it included
  int error_status = 0;  // 400, 414, 431, 501, 505
  std::string error;
};
ParsedRequest parse_request(std::string_view buffer);

}  // namespace tern::http
