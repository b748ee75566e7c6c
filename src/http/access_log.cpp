// SPDX-License-Identifier: Apache-2.0
#include "http/access_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <sstream>

#include "trace/peer_text.h"

namespace tern::http {
namespace {

// "127.0.0.1:5555" -> "127.0.0.1", "[::1]:5555" -> "::1".
std::string host_of(const std::string& peer) {
  if (peer.starts_with("[")) {
    size_t close = peer.find(']');
    return close == std::string::npos ? peer : peer.substr(1, close - 1);
  }
  return peer.substr(0, peer.rfind(':'));
}

std::string quoted(const std::string& text) {
  return "\"" + (text.empty() ? std::string("-") : trace::escape_peer_text(text)) + "\"";
}

std::string clf_date(std::chrono::system_clock::time_point t) {
  time_t secs = std::chrono::system_clock::to_time_t(t);
  tm parts{};
  gmtime_r(&secs, &parts);
  char buf[40];
  strftime(buf, sizeof buf, "[%d/%b/%Y:%H:%M:%S +0000]", &parts);
  return buf;
}

}  // namespace

std::optional<LogFormat> parse_log_format(const std::string& name) {
  if (name == "tern") return LogFormat::tern;
  if (name == "common") return LogFormat::common;
  if (name == "combined") return LogFormat::combined;
  return std::nullopt;
}

std::string format_request_log(const RequestRecord& r) {
  return r.peer + " \"" + trace::escape_peer_text(r.request_line) + "\" " +
         std::to_string(r.status) + " " + std::to_string(r.body_bytes) + " " +
         std::to_string(r.duration.count()) + "ms";
}

std::string format_request_log(const RequestRecord& r, LogFormat format) {
  if (format == LogFormat::tern) return format_request_log(r);
  auto received = r.received != std::chrono::system_clock::time_point{}
                      ? r.received
                      : std::chrono::system_clock::now() - r.duration;
  std::string line = trace::escape_peer_text(host_of(r.peer)) + " - - " + clf_date(received) +
                     " " + quoted(r.request_line) + " " + std::to_string(r.status) + " " +
                     (r.body_bytes ? std::to_string(r.body_bytes) : "-");
  if (format == LogFormat::combined) line += " " + quoted(r.referer) + " " + quoted(r.user_agent);
  return line;
}

Result<std::shared_ptr<AccessLogFile>> AccessLogFile::open(const std::string& path) {
  if (path == "-") return std::shared_ptr<AccessLogFile>(new AccessLogFile(STDOUT_FILENO, false));
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) {
    std::string why = errno == ELOOP ? "it is a symlink (refused: give the file itself)"
                                     : std::strerror(errno);
    return Error(Errc::usage, "--access-log " + path + ": " + why);
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error(Errc::usage, "--access-log " + path + ": not a regular file");
  }
  return std::shared_ptr<AccessLogFile>(new AccessLogFile(fd, true));
}

AccessLogFile::~AccessLogFile() {
  if (owned_) ::close(fd_);
}

void AccessLogFile::write_line(const std::string& line) {
  std::string whole = line + "\n";
  std::lock_guard lock(mutex_);
  for (size_t at = 0; at < whole.size();) {
    ssize_t n = ::write(fd_, whole.data() + at, whole.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a full disk must not stop the server; the line is lost
    at += static_cast<size_t>(n);
  }
}

std::vector<std::string> HandshakeFailureLimiter::admit(std::chrono::steady_clock::time_point now,
                                                        const std::string& line) {
  std::vector<std::string> out;
  if (window_ == std::chrono::steady_clock::time_point{} || now - window_ >= std::chrono::seconds(1)) {
    window_ = now;
    in_window_ = 0;
    if (suppressed_ > 0)
      out.push_back(std::to_string(suppressed_) + " more handshake failures suppressed");
    suppressed_ = 0;
  }
  if (in_window_ == kPerSecond) {
    ++suppressed_;
    return out;
  }
  ++in_window_;
  out.push_back(line);
  return out;
}

std::string format_handshake_failure(const std::string& peer, const Error& error) {
  std::ostringstream message;
  message << error;
  return peer + " handshake failed: " + trace::escape_peer_text(message.str());
}

}  // namespace tern::http
