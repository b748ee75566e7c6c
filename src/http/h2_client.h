// SPDX-License-Identifier: Apache-2.0
// The client side of HTTP/2 (`tern get --http2`): one request on a connection whose TLS
// negotiated ALPN "h2", framed by libnghttp2 (HPACK, flow control, SETTINGS) over any
// byte transport. Bytes go out and come in through the caller's functions, so this file
// knows nothing of sockets or TLS; the response streams to the handlers as it arrives.
#pragma once

#include <functional>
#include <span>
#include <string>

#include "http/message.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::http {

struct H2Request {
  std::string method = "GET";
  std::string authority;  // :authority, as Host would be: "localhost:8443"
  std::string path = "/";
  Fields fields;          // lower-case names; no Host, Connection or other hop-by-hop fields
  std::string body;
};

struct H2Transport {
  std::function<Result<void>(BytesView)> write;
  // 0: the peer closed.
  std::function<Result<size_t>(std::span<uint8_t>)> read;
};

struct H2Handlers {
  // The final response's status and fields (1xx interim responses are skipped).
  std::function<void(int status, const Fields& fields)> on_head;
  std::function<void(BytesView)> on_body;
  // Return false to stop reading (the caller has what it needs, or failed).
  std::function<bool()> keep_going = [] { return true; };
};

// Sends the request, streams the response to the handlers, and ends the session with
// GOAWAY. Errc::protocol when the server resets the stream or breaks HTTP/2; the
// transport's errors as they are.
Result<void> h2_exchange(const H2Request& request, const H2Transport& transport,
                         const H2Handlers& handlers);

}  // namespace tern::http
