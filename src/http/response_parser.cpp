// SPDX-License-Identifier: Apache-2.0
#include "http/response_parser.h"

#include <algorithm>
#include <cctype>

namespace tern::http {
namespace {

constexpr size_t kMaxHead = 64 * 1024;

Error malformed(const std::string& why) {
  return Error(Errc::decode, "malformed HTTP response: " + why);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

Result<void> ResponseParser::feed(BytesView data, const BodySink& body) {
  if (state_ == State::head || state_ >= State::chunk_size) {
    buffer_.append(reinterpret_cast<const char*>(data.data()), data.size());
    data = {};
  }
  if (state_ == State::head) {
    TERN_CHECK(parse_head());
    if (state_ == State::head) return ok();
    // What followed the head is body.
    std::string rest = std::move(buffer_);
    buffer_.clear();
    if (state_ >= State::chunk_size) {
      buffer_ = std::move(rest);
    } else if (!rest.empty()) {
      return feed(BytesView(reinterpret_cast<const uint8_t*>(rest.data()), rest.size()), body);
    }
  }
  switch (state_) {
    case State::body_length: {
      size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, data.size()));
      if (n) body(data.first(n));
      remaining_ -= n;
      if (remaining_ == 0) state_ = State::done;
      if (data.size() > n) return malformed("more bytes than its Content-Length");
      return ok();
    }
    case State::body_until_close:
      if (!data.empty()) body(data);
      return ok();
    case State::done:
      if (!data.empty() || !buffer_.empty()) return malformed("bytes after the end of the body");
      return ok();
    default:
      return parse_chunked(body);
  }
}

Result<void> ResponseParser::parse_head() {
  size_t end = buffer_.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (buffer_.size() > kMaxHead) return malformed("headers larger than 64 KiB");
    return ok();
  }
  std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  size_t eol = head.find("\r\n");
  status_line_ = head.substr(0, eol);
  // "HTTP/1.1 200 OK"
  if (status_line_.size() < 12 || !status_line_.starts_with("HTTP/1.") || status_line_[8] != ' ' ||
      !std::isdigit(static_cast<unsigned char>(status_line_[9])) ||
      !std::isdigit(static_cast<unsigned char>(status_line_[10])) ||
      !std::isdigit(static_cast<unsigned char>(status_line_[11])) ||
      (status_line_.size() > 12 && status_line_[12] != ' '))
    return malformed("bad status line '" + status_line_.substr(0, 80) + "'");
  status_ = std::stoi(status_line_.substr(9, 3));
  std::string content_length;
  bool chunked = false;
  size_t at = eol == std::string::npos ? head.size() : eol + 2;
  while (at < head.size()) {
    size_t next = head.find("\r\n", at);
    std::string line = head.substr(at, next == std::string::npos ? std::string::npos : next - at);
    at = next == std::string::npos ? head.size() : next + 2;
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) return malformed("bad header line");
    std::string name = lower(line.substr(0, colon)), value = trim(line.substr(colon + 1));
    headers_.emplace_back(line.substr(0, colon), value);
    if (name == "content-length") {
      if (value.empty() || value.size() > 18 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
          (!content_length.empty() && content_length != value))
        return malformed("bad Content-Length '" + value + "'");
      content_length = value;
    } else if (name == "transfer-encoding") {
      if (lower(value) != "chunked")
        return malformed("unsupported Transfer-Encoding '" + value + "'");
      chunked = true;
    }
  }
  bool no_body = head_request_ || status_ == 204 || status_ == 304 || status_ / 100 == 1;
  if (no_body) {
    state_ = State::done;
  } else if (chunked) {
    state_ = State::chunk_size;
  } else if (!content_length.empty()) {
    remaining_ = std::stoull(content_length);
    state_ = remaining_ ? State::body_length : State::done;
  } else {
    state_ = State::body_until_close;
  }
  return ok();
}

Result<void> ResponseParser::parse_chunked(const BodySink& body) {
  while (true) {
    switch (state_) {
      case State::chunk_size: {
        size_t eol = buffer_.find("\r\n");
        if (eol == std::string::npos) {
          if (buffer_.size() > 1024) return malformed("chunk size line too long");
          return ok();
        }
        std::string line = buffer_.substr(0, std::min(eol, buffer_.find(';')));
        line = trim(line);
        if (line.empty() || line.size() > 15 || !std::all_of(line.begin(), line.end(), [](char c) {
              return std::isxdigit(static_cast<unsigned char>(c));
            }))
          return malformed("bad chunk size '" + line.substr(0, 20) + "'");
        remaining_ = std::stoull(line, nullptr, 16);
        buffer_.erase(0, eol + 2);
        state_ = remaining_ ? State::chunk_data : State::trailers;
        break;
      }
      case State::chunk_data: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, buffer_.size()));
        if (n == 0) return ok();
        body(BytesView(reinterpret_cast<const uint8_t*>(buffer_.data()), n));
        buffer_.erase(0, n);
        remaining_ -= n;
        if (remaining_ == 0) state_ = State::chunk_data_end;
        break;
      }
      case State::chunk_data_end:
        if (buffer_.size() < 2) return ok();
        if (buffer_.compare(0, 2, "\r\n") != 0) return malformed("chunk not followed by CRLF");
        buffer_.erase(0, 2);
        state_ = State::chunk_size;
        break;
      case State::trailers: {
        size_t eol = buffer_.find("\r\n");
        if (eol == std::string::npos) {
          if (buffer_.size() > kMaxHead) return malformed("trailers too large");
          return ok();
        }
        buffer_.erase(0, eol + 2);
        if (eol == 0) state_ = State::done;
        break;
      }
      case State::done:
        if (!buffer_.empty()) return malformed("bytes after the last chunk");
        return ok();
      default:
        return ok();
    }
  }
}

Result<void> ResponseParser::end_of_stream() {
  if (state_ == State::done || state_ == State::body_until_close) {
    state_ = State::done;
    return ok();
  }
  if (state_ == State::head)
    return malformed(buffer_.empty() ? "the server closed the connection without answering"
                                     : "the connection closed in the middle of the headers");
  return malformed("the connection closed before the end of the body (truncated)");
}

}  // namespace tern::http
