// SPDX-License-Identifier: Apache-2.0
// The HTTP/1.1 response side of `tern get`: a push parser that takes bytes as they arrive
// and hands the body on as it is decoded (Content-Length, chunked, or until close), so a
// body of any size streams through without being held in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::http {

class ResponseParser {
 public:
  using BodySink = std::function<void(BytesView)>;

  // The response to a HEAD request has no body, whatever its headers say.
  explicit ResponseParser(bool head_request = false) : head_request_(head_request) {}

  // Bytes from the server, in any split. Fails (Errc::decode) on a malformed response.
  Result<void> feed(BytesView data, const BodySink& body);
  // The server closed the connection: fine for a close-delimited body or a complete
  // response, an error if the body was cut short.
  Result<void> end_of_stream();

  bool head_done() const { return state_ != State::head; }
  bool complete() const { return state_ == State::done; }
  int status() const { return status_; }
  const std::string& status_line() const { return status_line_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

 private:
  enum class State {
    head,
    body_length,
    body_until_close,
    chunk_size,
    chunk_data,
    chunk_data_end,
    trailers,
    done
  };
  Result<void> parse_head();
  Result<void> parse_chunked(const BodySink& body);

  bool head_request_;
  State state_ = State::head;
  std::string buffer_;  // undecoded bytes: the head, or chunk framing
  int status_ = 0;
  std::string status_line_;
  std::vector<std::pair<std::string, std::string>> headers_;
  uint64_t remaining_ = 0;  // of Content-Length or the current chunk
};

}  // namespace tern::http
