// SPDX-License-Identifier: Apache-2.0
// What `tern serve` logs of each request, whatever HTTP version carried it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace tern::http {

// One answered request, as the framing saw it.
struct RequestRecord {
  std::string peer;          // "127.0.0.1:5555", "[::1]:5555"
  std::string request_line;  // "GET /a.txt HTTP/1.1", "GET /a.txt HTTP/2"; "-" if unparsable
  int status = 0;
  uint64_t body_bytes = 0;   // content bytes sent (0 for HEAD)
  std::chrono::milliseconds duration{0};
  std::string referer, user_agent;  // as the client sent them; empty if absent
};

// Receives each RequestRecord, on the connection's event loop (several at once with workers).
using RequestLogger = std::function<void(const RequestRecord&)>;

// tern's own line: peer "request line" status bytes milliseconds, the request line escaped
// (trace::escape_peer_text).
std::string format_request_log(const RequestRecord& record);

}  // namespace tern::http
