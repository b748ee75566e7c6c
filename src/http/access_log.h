// SPDX-License-Identifier: Apache-2.0
// What `tern serve` logs of each request, whatever HTTP version carried it, in tern's own
// line or the Common/Combined Log Format; the access log file; failed handshakes, rate-limited.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tern/result.h"

namespace tern::http {

// One answered request, as the framing saw it.
struct RequestRecord {
  std::string peer;          // "127.0.0.1:5555", "[::1]:5555"
  std::string request_line;  // "GET /a.txt HTTP/1.1", "GET /a.txt HTTP/2"; "-" if unparsable
  int status = 0;
  uint64_t body_bytes = 0;   // content bytes sent (0 for HEAD)
  std::chrono::milliseconds duration{0};
  std::string referer, user_agent;  // as the client sent them; empty if absent
  // When the request arrived; left unset (the epoch), the log takes now minus duration.
  std::chrono::system_clock::time_point received{};
};

// Receives each RequestRecord, on the connection's event loop (several at once with workers).
using RequestLogger = std::function<void(const RequestRecord&)>;

enum class LogFormat {
  tern,      // peer "request line" status bytes milliseconds
  common,    // host ident authuser [date] "request line" status bytes (Apache's %h %l %u %t...)
  combined,  // common, then "referer" "user-agent"
};
// "tern", "common", "combined"; nullopt for anything else.
std::optional<LogFormat> parse_log_format(const std::string& name);

// tern's own line: peer "request line" status bytes milliseconds, the request line escaped
// (trace::escape_peer_text).
std::string format_request_log(const RequestRecord& record);

// The line of `record` in `format`. In common and combined: the host is the peer's address
// without the port, ident and authuser are "-" (tern asks neither), the date is the request's
// arrival in UTC ("[06/Dec/2026:21:30:00 +0000]"), bytes "-" for none (as Apache's %b), and
// every string the client chose (request line, referer, user agent) goes through
// trace::escape_peer_text, which also escapes '"' and '\': a field never ends early, a line
// never splits. An absent referer or user agent is "-".
std::string format_request_log(const RequestRecord& record, LogFormat format);

// An access log file: opened O_APPEND (each line one write(2), so lines from several
// workers or processes never interleave), O_CLOEXEC, created with mode 0640 (the access log
// names clients: not for every user). A symlink is refused (O_NOFOLLOW): a link planted where
// the log goes must not redirect the server's writes. Thread-safe.
class AccessLogFile {
 public:
  // "-" is stdout. Errc::usage with the path and the reason if it cannot be opened.
  static Result<std::shared_ptr<AccessLogFile>> open(const std::string& path);
  ~AccessLogFile();
  void write_line(const std::string& line);

 private:
  explicit AccessLogFile(int fd, bool owned) : fd_(fd), owned_(owned) {}
  std::mutex mutex_;
  int fd_;
  bool owned_;
};

// Lets through at most kPerSecond lines a second (one per failed handshake): a client that
// floods the server with bad handshakes must not flood the log. Not thread-safe: one per
// event loop (thread_local).
class HandshakeFailureLimiter {
 public:
  static constexpr unsigned kPerSecond = 10;
  // The lines to log for a failure at `now` (steady time): none if over the limit; else the
  // line itself, preceded by "N more handshake failures suppressed" when the previous
  // second's limit held some back.
  std::vector<std::string> admit(std::chrono::steady_clock::time_point now,
                                 const std::string& line);

 private:
  std::chrono::steady_clock::time_point window_{};
  unsigned in_window_ = 0;
  uint64_t suppressed_ = 0;
};

// The log line of a failed handshake: "PEER handshake failed: MESSAGE (alert)", escaped.
std::string format_handshake_failure(const std::string& peer, const Error& error);

}  // namespace tern::http
