// SPDX-License-Identifier: Apache-2.0
// A TLS client on the sans-I/O engine (tern::ClientConnection), driven from a non-blocking
// socket and a poll() loop with a deadline. The engine never touches the socket: this program
// moves bytes between the two, which is all it takes to put tern into any event loop (epoll,
// io_uring, libuv, asio, a game loop...).
//
//   example_poll_client HOST PORT [--cafile ROOTS.pem] [--path /] [--timeout SECONDS]
//
// Sends one HTTP/1.1 GET and prints the response to stdout. Exit status: 0 success,
// 1 the connection or the server failed (or the deadline passed), 2 bad arguments or files.
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <tern/tls.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

tern::Error os_error(const std::string& what) {
  return tern::Error(tern::Errc::io, what + ": " + std::strerror(errno));
}

// Milliseconds left before the deadline, for poll(); an error naming what we waited for
// once it has passed.
tern::Result<int> time_left(Clock::time_point deadline, const std::string& waiting_for) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return tern::Error(tern::Errc::io, "timed out waiting for " + waiting_for);
  return static_cast<int>(left);
}

// A non-blocking TCP connection to the first address of HOST:PORT that answers.
tern::Result<int> connect_nonblocking(const std::string& host, const std::string& port,
                                      Clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &list); rc != 0)
    return tern::Error(tern::Errc::io, host + ": " + ::gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(list, ::freeaddrinfo);
  tern::Error last(tern::Errc::io, host + ": no address");
  for (addrinfo* a = list; a; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return os_error("socket");
    // A non-blocking connect returns at once; POLLOUT says it finished, SO_ERROR how.
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc < 0 && errno == EINPROGRESS) {
      auto wait = time_left(deadline, "the TCP connection to " + host + ":" + port);
      if (!wait) {
        ::close(fd);
        return wait.error();
      }
      pollfd p{fd, POLLOUT, 0};
      int error = ETIMEDOUT;
      socklen_t size = sizeof error;
      if (::poll(&p, 1, *wait) == 1) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
      errno = error;
      rc = error == 0 ? 0 : -1;
    }
    if (rc == 0) return fd;
    last = os_error("connect to " + host + ":" + port);
    ::close(fd);
  }
  return last;
}

// Sends what the engine has queued, as far as the socket takes it now.
tern::Result<void> send_pending(int fd, tern::Connection& tls) {
  while (tls.wants_write()) {
    tern::BytesView out = tls.pending_output();
    ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      tls.consume_output(static_cast<size_t>(n));  // tell the engine what left
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;  // wait for POLLOUT
    return os_error("send");
  }
  return tern::ok();
}

// The event loop: handshake, one request, the response until the server's close_notify.
tern::Result<void> exchange(int fd, tern::ClientConnection& tls, const std::string& request,
                            Clock::time_point deadline) {
  bool requested = false;
  uint8_t buffer[16 * 1024];
  while (!tls.closed()) {
    TERN_CHECK(send_pending(fd, tls));
    // Application data may be written once the handshake is done; it is encrypted into
    // pending_output() at once and sent on the next turn.
    if (tls.handshake_done() && !requested) {
      TERN_CHECK(tls.write(tern::as_bytes(request)));
      requested = true;
      continue;
    }
    // Ask poll() only for what the engine can use: input while it wants to read, output
    // room while bytes are queued.
    short events =
        static_cast<short>((tls.wants_read() ? POLLIN : 0) | (tls.wants_write() ? POLLOUT : 0));
    if (events == 0) break;  // nothing more can happen on this connection
    TERN_TRY(int wait,
             time_left(deadline, tls.handshake_done() ? "the response" : "the TLS handshake"));
    pollfd p{fd, events, 0};
    int ready = ::poll(&p, 1, wait);
    if (ready < 0 && errno != EINTR) return os_error("poll");
    if (ready <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;

    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
    if (n < 0) return os_error("recv");
    if (n == 0) {  // TCP end of stream
      if (tls.peer_closed()) break;
      return tern::Error(tern::Errc::io,
                         "the server closed the connection without close_notify: the "
                         "response may be cut short");
    }
    // Hand the engine whatever arrived, in any split. On failure it has queued the alert
    // telling the server why: send it (best effort) before giving up.
    if (auto fed = tls.feed(tern::BytesView(buffer, static_cast<size_t>(n))); !fed) {
      (void)send_pending(fd, tls);
      return fed;
    }
    while (size_t got = tls.read(buffer))
      std::cout.write(reinterpret_cast<const char*>(buffer), static_cast<std::streamsize>(got));
    if (tls.peer_closed()) tls.close();  // answer the server's close_notify with ours
  }
  return send_pending(fd, tls);  // our close_notify, if the socket takes it
}

int usage() {
  std::cerr << "usage: example_poll_client HOST PORT [--cafile ROOTS.pem] [--path /] "
               "[--timeout SECONDS]\n";
  return 2;
}

int fail(const tern::Error& error, int status = 1) {
  std::cerr << "example_poll_client: " << error << "\n";  // detail, then the alert if any
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  std::string host = argv[1], port = argv[2], cafile, path = "/", timeout = "10";
  std::map<std::string, std::string*> flags = {
      {"--cafile", &cafile}, {"--path", &path}, {"--timeout", &timeout}};
  for (int i = 3; i < argc; i += 2) {
    auto flag = flags.find(argv[i]);
    if (flag == flags.end() || i + 1 == argc) return usage();
    *flag->second = argv[i + 1];
  }
  int seconds = std::atoi(timeout.c_str());
  if (seconds <= 0) return usage();
  // One deadline for everything: connecting, the handshake and the whole response.
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(seconds);

  tern::ClientConfig config;
  config.server_name = host;  // SNI and the name checked on the certificate
  config.alpn = {"http/1.1"};
  if (!cafile.empty()) {  // otherwise the system's trusted roots
    auto roots = tern::TrustStore::load(cafile);
    if (!roots) return fail(roots.error(), 2);  // the message names the file
    config.trust_store = std::make_shared<const tern::TrustStore>(std::move(*roots));
  }
  // Creating the connection validates the config and queues the ClientHello.
  auto tls = tern::ClientConnection::create(config);
  if (!tls) return fail(tls.error());

  auto fd = connect_nonblocking(host, port, deadline);
  if (!fd) return fail(fd.error());
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host +
                        "\r\nUser-Agent: tern-example\r\nConnection: close\r\n\r\n";
  auto done = exchange(*fd, **tls, request, deadline);
  ::close(*fd);
  std::cout.flush();
  if (!done) return fail(done.error());
  std::cerr << "done: " << (*tls)->version_name() << ", " << (*tls)->cipher_suite_name() << "\n";
  return 0;
}
