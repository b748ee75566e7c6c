// SPDX-License-Identifier: Apache-2.0
#include "tern/stream.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tern {
namespace {

std::string address_text(const sockaddr* addr) {
  char host[INET6_ADDRSTRLEN] = "?";
  if (addr->sa_family == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(addr);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(a->sin6_port));
  }
  auto* a = reinterpret_cast<const sockaddr_in*>(addr);
  inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
  return std::string(host) + ":" + std::to_string(ntohs(a->sin_port));
}

// A non-blocking connect bounded by `timeout`; the socket stays non-blocking.
Result<int> connect_one(const addrinfo& ai, std::chrono::milliseconds timeout) {
  int fd = ::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol);
  if (fd < 0) return Error(Errc::io, std::string("socket(): ") + std::strerror(errno));
  if (::connect(fd, ai.ai_addr, ai.ai_addrlen) != 0 && errno != EINPROGRESS) {
    int err = errno;
    ::close(fd);
    return Error(Errc::io, std::strerror(err));
  }
  pollfd p{fd, POLLOUT, 0};
  int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
  int err = 0;
  socklen_t len = sizeof err;
  if (ready == 1) getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (ready != 1 || err != 0) {
    ::close(fd);
    return Error(Errc::io, ready == 0 ? "timed out after " + std::to_string(timeout.count()) + " ms"
                                      : std::string(std::strerror(err ? err : errno)));
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

Error deadline_passed() {
  return Error(Errc::io,
               "timed out: the time limit for the whole transfer was reached (-m/--max-time sets "
               "it)");
}

}  // namespace

Stream::Stream(int fd, std::string peer, std::unique_ptr<ClientConnection> tls,
               StreamOptions options)
    : fd_(fd), peer_(std::move(peer)), tls_(std::move(tls)), options_(std::move(options)) {}

Stream::~Stream() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<Stream>> Stream::connect(const std::string& host, uint16_t port,
                                                ClientConfig config, StreamOptions options) {
  if (config.server_name.empty() && !config.insecure_skip_verify) config.server_name = host;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_family = AF_UNSPEC;
  const std::string& target = options.connect_address.empty() ? host : options.connect_address;
  std::string name = target.size() > 2 && target.front() == '[' && target.back() == ']'
                         ? target.substr(1, target.size() - 2)
                         : target;
  if (!options.connect_address.empty()) hints.ai_flags = AI_NUMERICHOST;
  addrinfo* list = nullptr;
  int rc = getaddrinfo(name.c_str(), std::to_string(port).c_str(), &hints, &list);
  if (rc != 0) return Error(Errc::io, "cannot resolve " + name + ": " + gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(list, freeaddrinfo);

  std::string failures;
  for (addrinfo* ai = list; ai; ai = ai->ai_next) {
    std::string where = address_text(ai->ai_addr);
    auto timeout = options.connect_timeout;
    if (options.deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *options.deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        failures += (failures.empty() ? "" : "; ") + where + ": the time limit was reached";
        break;
      }
      timeout = std::min(timeout, left);
    }
    auto fd = connect_one(*ai, timeout);
    if (!fd) {
      failures += (failures.empty() ? "" : "; ") + where + ": " + fd.error().detail;
      continue;
    }
    auto tls = ClientConnection::create(config);
    if (!tls) {
      ::close(*fd);
      return std::move(tls).error();
    }
    std::unique_ptr<Stream> stream(new Stream(*fd, where, std::move(*tls), options));
    if (!options.early_data.empty() && stream->tls_->early_data_room() > 0) {
      TERN_TRY(stream->early_data_sent_, stream->tls_->write_early(options.early_data));
    }
    while (!stream->tls_->handshake_done()) {
      TERN_CHECK(stream->flush());
      TERN_TRY(bool open, stream->receive());
      if (stream->tls_->error()) break;
      if (!open)
        return Error(Errc::protocol,
                     "the server at " + where + " closed the connection during the TLS handshake");
    }
    if (const auto& error = stream->tls_->error()) {
      (void)stream->flush();  // our alert, so the server learns why
      Error e = *error;
      e.detail = "TLS handshake with " + where + " failed: " + e.detail;
      return e;
    }
    // What did not go early (none of it, or the part beyond the room); what went early and
    // was declined the connection has already sent again.
    BytesView rest = BytesView(options.early_data).subspan(stream->early_data_sent_);
    if (!rest.empty()) TERN_CHECK(stream->tls_->write(rest));
    TERN_CHECK(stream->flush());
    return stream;
  }
  return Error(Errc::io, "cannot connect to " + host + " port " + std::to_string(port) + " (" +
                             failures + ")");
}

Result<void> Stream::flush() {
  while (tls_->wants_write()) {
    BytesView out = tls_->pending_output();
    ssize_t n = ::send(fd_, out.data(), out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      tls_->consume_output(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      TERN_TRY(int wait, wait_ms());
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, wait) == 1) continue;
      return Error(Errc::io, "timed out: sending to " + peer_ + " made no progress for " +
                                 std::to_string(wait) + " ms");
    }
    return Error(Errc::io, "sending to " + peer_ + " failed: " + std::strerror(errno));
  }
  return ok();
}

Result<int> Stream::wait_ms() const {
  auto limit = options_.io_timeout;
  if (options_.deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        *options_.deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return deadline_passed();
    limit = std::min(limit, left);
  }
  return static_cast<int>(limit.count());
}

Result<bool> Stream::receive() {
  if (eof_) return false;
  TERN_TRY(int timeout_ms, wait_ms());
  pollfd p{fd_, POLLIN, 0};
  int ready;
  do ready = ::poll(&p, 1, timeout_ms);
  while (ready < 0 && errno == EINTR);
  // A wait cut short by the deadline ends the transfer, whatever poll's rounding left over.
  if (ready == 0 && timeout_ms < options_.io_timeout.count()) return deadline_passed();
  if (ready == 0)
    return Error(Errc::io, "timed out: no data from " + peer_ + " for " +
                               std::to_string(timeout_ms) + " ms (-m/--max-time sets the limit)");
  uint8_t buffer[32 * 1024];
  ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
  if (n < 0) return Error(Errc::io, "reading from " + peer_ + " failed: " + std::strerror(errno));
  if (n == 0) {
    eof_ = true;
    return false;
  }
  (void)tls_->feed(BytesView(buffer, static_cast<size_t>(n)));  // errors: tls_->error()
  TERN_CHECK(flush());                                          // KeyUpdate answers, alerts
  return true;
}

Result<bool> Stream::pump() {
  TERN_TRY(bool open, receive());
  if (const auto& error = tls_->error()) return *error;
  return open;
}

Result<size_t> Stream::read(std::span<uint8_t> out) {
  while (tls_->readable() == 0) {
    if (const auto& error = tls_->error()) return *error;
    if (tls_->peer_closed()) return size_t{0};
    TERN_TRY(bool open, receive());
    if (const auto& error = tls_->error()) return *error;
    if (!open && tls_->readable() == 0 && !tls_->peer_closed())
      return Error(Errc::io, peer_ +
                                 " closed the connection without close_notify: the data "
                                 "may be truncated");
  }
  return tls_->read(out);
}

Result<void> Stream::write(BytesView plaintext) {
  TERN_CHECK(tls_->write(plaintext));
  return flush();
}

Result<void> Stream::close() {
  tls_->close();
  return flush();
}

}  // namespace tern
