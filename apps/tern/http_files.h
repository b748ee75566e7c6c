// SPDX-License-Identifier: Apache-2.0
// The static-file HTTP/1.1 server behind `tern serve`: request parsing, mapping a URL path
// to a file under the served directory (never outside it), and the per-connection handler
// that streams files through the server core (include/tern/server.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http_secrets.h"
#include "tern/server.h"

namespace tern::cli {

struct HttpRequest {
  std::string method;   // "GET"
  std::string target;   // as sent: "/a%20b.txt?x=1"
  std::string version;  // "HTTP/1.1"
  bool keep_alive = true;
  size_t body_length = 0;  // Content-Length of a request body, skipped
};

// The head of one request at the front of `buffer`. Lines end with CRLF or a bare LF (RFC 9112
// §2.2), the same for every line; a bare CR, obs-fold, a field name that is not a token, two
// Content-Length fields (or a list) and Transfer-Encoding with Content-Length are 400s.
struct ParsedRequest {
  enum class State { incomplete, complete, error } state = State::incomplete;
  HttpRequest request;
  size_t consumed = 0;  // bytes of the head, the empty line that ends it included
  int error_status = 0;  // 400, 414, 431, 501, 505
  std::string error;
};
ParsedRequest parse_request(std::string_view buffer);

// Where a request target leads under `root` (a canonical absolute path, see realpath):
// a regular file (status 200), a redirect to add a slash to a directory (301, location:
// the normalised path, percent-encoded), or an error status (400 bad encoding or a dot
// segment, 404 missing, outside root, or refused: a dotfile or dot-directory, `why`; 403 when
// the server may not read it). Every request path goes through here; the file is inside root
// once symlinks are resolved.
struct Resolved {
  int status = 404;
  std::string file;
  std::string location;
  std::string why;  // a 404 for a file that exists: why it is not served
  // Any other 404 or 403, for the log: "no such file", "the directory has no index.html",
  // "permission denied", "a symlink to outside the served directory", ...
  std::string missing;
};
// What a 404 or 403 answer says to the client about `r`: never more than the log line.
std::string public_reason(const Resolved& r);
// The canonical path of the directory `tern serve` was given, or Errc::usage saying why it
// cannot be served: it does not exist, is not a directory, or may not be read (strerror).
Result<std::string> served_root(const std::string& dir);

Resolved resolve_target(const std::string& root, std::string_view target);

std::string content_type_for(std::string_view path);
const char* reason_phrase(int status);

// One line per request: peer, request line, status, body bytes, milliseconds.
using RequestLogger = std::function<void(const std::string& line)>;

// How long a connection may take over what it owes (Session::set_deadline; bytes do not
// extend these): a whole request head from its first byte (or from the handshake), and the
// gap between a response and the next request's first byte.
struct RequestTimeouts {
  std::chrono::milliseconds head{20'000};
  std::chrono::milliseconds keep_alive{30'000};
};

// Serves files under `root` (canonical) on one connection; never one of `credentials` nor a
// file whose content is secret (http_secrets.h): those are 404s, with a log line saying why.
std::unique_ptr<ConnectionHandler> make_file_handler(
    const std::string& root, std::shared_ptr<const CredentialFiles> credentials, RequestLogger log,
    RequestTimeouts timeouts = {});

}  // namespace tern::cli
