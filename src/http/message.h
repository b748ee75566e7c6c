// SPDX-License-Identifier: Apache-2.0
// The HTTP module's one request/response model. The HTTP/1.1 framing (h1_server.cpp) and
// the HTTP/2 framing turn bytes into a Request and a Response into bytes; what answers a
// request (FileService) never sees a protocol version's framing.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern::http {

// A header or trailer field; the name in lower case (HTTP/2 requires it, HTTP/1.1 ignores
// case), the value without surrounding whitespace.
struct Field {
  std::string name, value;
};
using Fields = std::vector<Field>;

// The value of the first field named `lower_name`, or null.
const std::string* find_field(const Fields& fields, std::string_view lower_name);

struct Request {
  std::string method;   // "GET"
  std::string target;   // as sent, origin form: "/a%20b.txt?x=1"
  std::string version;  // "HTTP/1.1", "HTTP/1.0", "HTTP/2"
  Fields fields;        // Host (or :authority) included
  const std::string* field(std::string_view lower_name) const {
    return find_field(fields, lower_name);
  }
};

// A file descriptor owned by one object, closed when it goes.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Response {
  int status = 200;
  // What describes the content (content-type, last-modified, location, allow, ...); never the
  // framing (content-length, connection, transfer-encoding): the framing adds those.
  Fields fields;
  std::string body;      // the content when there is no file
  UniqueFd file;         // else the content is file_length bytes of this file from file_offset
  uint64_t file_offset = 0, file_length = 0;
  // After a request the server could not parse or must not trust, HTTP/1.1 closes the
  // connection instead of reading another request from it.
  bool close_connection = false;

  uint64_t content_length() const { return file ? file_length : body.size(); }
};

// A short text/plain answer for an error: "404 Not Found: no such file". A 4xx/5xx other than
// 404 and 405 closes an HTTP/1.1 connection (the request may not have been understood).
Response error_response(int status, const std::string& why);

// "OK", "Not Found", ...: the reason phrase of an HTTP/1.1 status line.
const char* reason_phrase(int status);
// An HTTP date (RFC 9110 §5.6.7, IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(time_t t);
// ASCII case-insensitive equality, for field names and tokens.
bool equals_ignore_case(std::string_view a, std::string_view b);

}  // namespace tern::http
