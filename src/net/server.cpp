// SPDX-License-Identifier: Apache-2.0
// The epoll server core (include/tern/server.h): level-triggered event loops, one per
// worker thread, every socket non-blocking. Timeouts are swept twice a second, which is
// cheap next to the handshakes of thousands of connections and needs no timer structure.
//
// Slow clients (slowloris): a timeout that traffic extends cannot stop a client sending a
// byte every few seconds, so handlers set deadlines that traffic does not move (a whole
// request head by T), each address may hold only so many connections, and a full server
// evicts the connections that have not done useful work yet, oldest first, for new ones:
// an attacker's connections then make room for others instead of locking them out.
//
// Several workers: one listening socket per loop, all bound to the same address with
// SO_REUSEPORT, rather than one shared socket watched by every loop with EPOLLEXCLUSIVE.
// The kernel hashes each new connection to one socket, so the loops share the handshakes
// evenly and never contend on one accept queue; EPOLLEXCLUSIVE wakes the waiter that went to
// sleep last, which under load is the busiest loop, and all accepts take one queue's lock.
// The price: a connection waits in its socket's queue even when another loop is idle, and
// SO_REUSEPORT would let a second server of the same user join the port unnoticed, so a
// probe bind without it comes first and an address in use stays an error, as with one loop.
#include "tern/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <list>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

namespace tern {
namespace {

using Clock = std::chrono::steady_clock;

// Stop reading a connection whose sealed output exceeds this (it is not draining); tell a
// streaming handler to write more when it falls below the low-water mark.
constexpr size_t kHighWater = 256 * 1024, kLowWater = 64 * 1024;
constexpr size_t kReadChunk = 32 * 1024;
// How long a closed connection waits for the client to close its side.
constexpr auto kLingerTime = std::chrono::seconds(2);

std::string errno_text(int err) { return std::strerror(err); }

std::string format_address(const sockaddr_storage& addr) {
  char host[INET6_ADDRSTRLEN] = "?";
  if (addr.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(a->sin6_port));
  }
  auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
  inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
  return std::string(host) + ":" + std::to_string(ntohs(a->sin_port));
}

// Who a connection counts against for max_connections_per_address: the IPv4 address (also
// when mapped into IPv6), or the IPv6 /64, as raw bytes.
std::string client_key(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    return std::string(reinterpret_cast<const char*>(&a->sin_addr), 4);
  }
  auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
  const auto* bytes = reinterpret_cast<const char*>(&a->sin6_addr);
  if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) return std::string(bytes + 12, 4);
  return std::string(bytes, 8);
}

struct Address {
  sockaddr_storage addr{};
  socklen_t len = 0;
};

Result<Address> parse_address(const std::string& bind, uint16_t port) {
  Address a;
  if (auto* a6 = reinterpret_cast<sockaddr_in6*>(&a.addr);
      inet_pton(AF_INET6, bind.c_str(), &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(port);
    a.len = sizeof *a6;
  } else if (auto* a4 = reinterpret_cast<sockaddr_in*>(&a.addr);
             inet_pton(AF_INET, bind.c_str(), &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons(port);
    a.len = sizeof *a4;
  } else {
    return Error(Errc::usage, "cannot bind to '" + bind +
                                  "': not an IPv4 or IPv6 address (e.g. 127.0.0.1, ::1, ::)");
  }
  return a;
}

void set_port(Address& a, uint16_t port) {
  if (a.addr.ss_family == AF_INET6)
    reinterpret_cast<sockaddr_in6*>(&a.addr)->sin6_port = htons(port);
  else
    reinterpret_cast<sockaddr_in*>(&a.addr)->sin_port = htons(port);
}

uint16_t bound_port(int fd) {
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  return ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                           : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

// A bound socket, listening unless `listen` is false (the probe); -1 and the reason if not.
Result<int> bound_socket(const Address& a, const std::string& where, bool reuse_port,
                         bool listen) {
  int fd = ::socket(a.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error(Errc::io, "socket(): " + errno_text(errno));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
    int err = errno;
    ::close(fd);
    return Error(Errc::io, "SO_REUSEPORT (needed for several workers): " + errno_text(err));
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&a.addr), a.len) != 0 ||
      (listen && ::listen(fd, 4096) != 0)) {
    int err = errno;
    ::close(fd);
    return Error(Errc::io, "cannot listen on " + where + ": " + errno_text(err));
  }
  return fd;
}

// Connections per client (client_key), across all loops.
class AddressCounts {
 public:
  explicit AddressCounts(size_t limit) : limit_(limit) {}
  // Counts one more connection from `key`; false (and nothing counted) at the limit.
  bool acquire(const std::string& key) {
    if (limit_ == 0) return true;
    std::lock_guard lock(mutex_);
    size_t& n = counts_[key];
    if (n >= limit_) return false;
    ++n;
    return true;
  }
  void release(const std::string& key) {
    if (limit_ == 0) return;
    std::lock_guard lock(mutex_);
    if (auto it = counts_.find(key); it != counts_.end() && --it->second == 0) counts_.erase(it);
  }

 private:
  size_t limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, size_t> counts_;
};

// What every loop of a server shares; immutable but for the counts.
struct Shared {
  std::shared_ptr<const ServerConfig> config;
  ServerOptions options;
  Server::HandlerFactory handlers;
  std::atomic<size_t> open{0};  // connections of all loops
  std::unique_ptr<AddressCounts> per_address;
  int stop_fd = -1;             // an eventfd in every loop's epoll; written once, never read
};

class Conn;
// A loop's connections that have not done useful work, oldest first: the ones evicted.
using Unproductive = std::list<Conn*>;

class Conn final : public Session {
 public:
  Conn(int fd, std::string peer, std::string client, std::unique_ptr<Observer> observer,
       std::unique_ptr<ServerConnection> tls, std::unique_ptr<ConnectionHandler> handler,
       Clock::time_point deadline, Unproductive& unproductive)
      : fd_(fd), peer_(std::move(peer)), client_(std::move(client)),
        observer_(std::move(observer)), tls_(std::move(tls)), handler_(std::move(handler)),
        deadline_(deadline), unproductive_(unproductive),
        unproductive_at_(unproductive.insert(unproductive.end(), this)) {}
  ~Conn() override {
    mark_productive();  // off the eviction list
    if (fd_ >= 0) ::close(fd_);
  }

  size_t read(std::span<uint8_t> out) override { return tls_->read(out); }
  size_t readable() const override { return tls_->readable(); }
  Result<void> write(BytesView plaintext) override { return tls_->write(plaintext); }
  size_t unsent() const override { return tls_->pending_output().size(); }
  void want_writable() override { wants_writable_ = true; }
  void close() override { closing_ = true; }
  bool peer_closed() const override { return peer_eof_ || tls_->peer_closed(); }
  const Connection& tls() const override { return *tls_; }
  const std::string& peer_address() const override { return peer_; }
  Observer* observer() const override { return observer_.get(); }
  void set_deadline(std::chrono::milliseconds from_now, std::string why) override {
    handler_deadline_ = Clock::now() + from_now;
    deadline_reason_ = std::move(why);
  }
  void clear_deadline() override { handler_deadline_.reset(); }
  void mark_productive() override {
    if (productive_) return;
    productive_ = true;
    unproductive_.erase(unproductive_at_);
  }

  int fd_;
  std::string peer_;
  std::string client_;  // client_key(), counted in Shared::per_address
  std::unique_ptr<Observer> observer_;  // ServerOptions::observer; outlives tls_
  std::unique_ptr<ServerConnection> tls_;
  std::unique_ptr<ConnectionHandler> handler_;
  Clock::time_point deadline_;  // the core's: handshake, idle, linger
  std::optional<Clock::time_point> handler_deadline_;
  std::string deadline_reason_;
  Unproductive& unproductive_;
  Unproductive::iterator unproductive_at_;
  bool productive_ = false;
  uint32_t events_ = 0;  // registered with epoll
  bool registered_ = false;
  bool shut_down_ = false;  // our side of TCP is closed; waiting for the client's
  bool opened_ = false;  // on_open called
  bool wants_writable_ = false;
  bool closing_ = false;  // the handler asked to close
  bool peer_eof_ = false;
};

// One event loop: its listening socket, its epoll, its connections. Runs on one thread.
class Loop {
 public:
  Loop(Shared& shared, int listen_fd) : shared_(shared), options_(shared.options),
                                        listen_fd_(listen_fd) {}
  ~Loop() {
    close_all();
    for (int fd : {listen_fd_, epoll_fd_, spare_fd_})
      if (fd >= 0) ::close(fd);
  }

  Result<void> open() {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) return Error(Errc::io, "epoll: " + errno_text(errno));
    for (int fd : {listen_fd_, shared_.stop_fd}) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.fd = fd;
      if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0)
        return Error(Errc::io, "epoll: " + errno_text(errno));
    }
    return ok();
  }

  Result<void> run() {
    std::vector<epoll_event> events(256);
    auto next_sweep = Clock::now();
    while (!stopping_) {
      int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 500);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error(Errc::io, "epoll_wait: " + errno_text(errno));
      }
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == shared_.stop_fd) {
          stopping_ = true;
        } else if (fd == listen_fd_) {
          accept_all();
        } else if (auto it = conns_.find(fd); it != conns_.end()) {
          service(*it->second, events[i].events);
        }
      }
      if (auto now = Clock::now(); now >= next_sweep) {
        sweep_timeouts(now);
        next_sweep = now + std::chrono::milliseconds(500);
      }
    }
    close_all();
    return ok();
  }

  int listen_fd() const { return listen_fd_; }

 private:
  void close_all() {
    for (auto& [fd, conn] : conns_) {  // best effort goodbye and close_notify to everyone
      // The handler's goodbye first (an HTTP/2 GOAWAY): it only queues output, and the send
      // below does not wait for a slow client, so stopping stays bounded.
      say_goodbye(*conn);
      conn->tls_->close();
      send_pending(*conn);
      if (conn->handler_) conn->handler_->on_close(std::nullopt);
      shared_.per_address->release(conn->client_);
    }
    shared_.open -= conns_.size();
    conns_.clear();
  }

  void accept_all() {
    for (int i = 0; i < 256; ++i) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0 && (errno == EMFILE || errno == ENFILE) && spare_fd_ >= 0) {
        // Out of descriptors: the pending connection would keep the (level-triggered)
        // listener ready forever. Accept it with the spare descriptor and close it at once.
        ::close(spare_fd_);
        fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) ::close(fd);
        spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        continue;
      }
      if (fd < 0) return;  // EAGAIN: all accepted
      std::string client = client_key(addr);
      // An address at its limit makes room as the full server does: its oldest connection on
      // this loop that has done nothing useful (a trickler) goes. So a client that shares
      // an address with an attacker (a NAT, a proxy) still gets in; one with nothing to
      // evict is refused.
      if (!shared_.per_address->acquire(client) &&
          !(evict_oldest_unproductive(&client) && shared_.per_address->acquire(client))) {
        ::close(fd);
        continue;
      }
      // Loops accepting at the same instant may overshoot the cap by a connection each.
      if (shared_.open.load(std::memory_order_relaxed) >= options_.max_connections &&
          !evict_oldest_unproductive(nullptr)) {
        shared_.per_address->release(client);
        ::close(fd);
        continue;
      }
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      std::string peer = format_address(addr);
      std::unique_ptr<Observer> observer = options_.observer ? options_.observer(peer) : nullptr;
      auto tls = observer ? ServerConnection::create(shared_.config, observer.get())
                          : ServerConnection::create(shared_.config);
      if (!tls) {
        shared_.per_address->release(client);
        ::close(fd);
        continue;
      }
      auto conn = std::make_unique<Conn>(fd, std::move(peer), std::move(client),
                                         std::move(observer), std::move(*tls), shared_.handlers(),
                                         Clock::now() + options_.handshake_timeout, unproductive_);
      Conn& c = *conn;
      conns_.emplace(fd, std::move(conn));
      ++shared_.open;
      update_events(c);
    }
  }

  void service(Conn& c, uint32_t events) {
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read_from(c);
    if (!finish_or_close(c)) return;
    send_pending(c);
    if (c.wants_writable_ && c.unsent() < kLowWater && c.tls_->handshake_done() &&
        !c.tls_->error()) {
      c.wants_writable_ = false;
      c.handler_->on_writable(c);
      send_pending(c);
    }
    if (finish_or_close(c)) update_events(c);
  }

  void read_from(Conn& c) {
    uint8_t buffer[kReadChunk];
    ssize_t n = ::recv(c.fd_, buffer, sizeof buffer, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      c.peer_eof_ = true;
      if (n < 0) c.closing_ = true;
    }
    if (n > 0) {
      touch(c);
      (void)c.tls_->feed(BytesView(buffer, static_cast<size_t>(n)));
    }
    if (c.tls_->error()) return;
    if (c.tls_->handshake_done() && !c.opened_) {
      c.opened_ = true;
      c.deadline_ = Clock::now() + options_.idle_timeout;
      c.handler_->on_open(c);
    }
    if (c.opened_ && (c.readable() > 0 || c.peer_closed())) c.handler_->on_data(c);
  }

  // Ends the connection when it is over; false if it was destroyed. A close asked for by the
  // handler sends close_notify, then half-closes TCP and waits (briefly) for the client's
  // end, so a client still sending never gets a reset that would eat the response's tail.
  bool finish_or_close(Conn& c) {
    const auto& error = c.tls_->error();
    bool over = error.has_value() || (c.peer_eof_ && !c.tls_->handshake_done());
    if (!over && c.closing_) {
      c.tls_->close();
      send_pending(c);
      if (c.unsent() == 0) {
        if (!c.shut_down_) {
          ::shutdown(c.fd_, SHUT_WR);
          c.shut_down_ = true;
          c.deadline_ = Clock::now() + kLingerTime;
        }
        over = c.peer_closed();
      }
    } else if (!over && c.peer_eof_ && c.unsent() == 0 && !c.wants_writable_) {
      over = true;
    }
    if (!over) return true;
    send_pending(c);  // the alert, best effort
    if (error && !c.peer_eof_ && c.unsent() == 0) {
      // The same half-close and short wait after a fatal alert: closing with the client's
      // bytes unread would reset the connection, and a reset can destroy the alert before
      // the client reads it (curl then reports a socket error instead of, say,
      // certificate_required). What arrives meanwhile is discarded (feed() refuses it).
      if (!c.shut_down_) {
        ::shutdown(c.fd_, SHUT_WR);
        c.shut_down_ = true;
        c.deadline_ = Clock::now() + kLingerTime;
      }
      return true;
    }
    destroy(c, error);
    return false;
  }

  void send_pending(Conn& c) {
    while (c.unsent() > 0) {
      BytesView out = c.tls_->pending_output();
      ssize_t n = ::send(c.fd_, out.data(), out.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
          c.peer_eof_ = true;
          c.closing_ = true;
          c.tls_->consume_output(out.size());  // the peer is gone: drop what it won't read
        }
        return;
      }
      c.tls_->consume_output(static_cast<size_t>(n));
      touch(c);
    }
  }

  // Traffic moves the deadline, except the handshake's and a closing connection's linger.
  void touch(Conn& c) {
    if (c.tls_->handshake_done() && !c.shut_down_)
      c.deadline_ = Clock::now() + options_.idle_timeout;
  }

  void update_events(Conn& c) {
    uint32_t want = 0;
    if (!c.peer_eof_ && c.unsent() < kHighWater) want |= EPOLLIN;
    // A streaming handler waiting to write is woken by EPOLLOUT on the next turn, so one
    // big response cannot monopolise the loop.
    if (c.unsent() > 0 || c.wants_writable_) want |= EPOLLOUT;
    if (c.registered_ && want == c.events_) return;
    epoll_event ev{};
    ev.events = want;
    ev.data.fd = c.fd_;
    epoll_ctl(epoll_fd_, c.registered_ ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c.fd_, &ev);
    c.registered_ = true;
    c.events_ = want;
  }

  void sweep_timeouts(Clock::time_point now) {
    std::vector<Conn*> expired;
    for (auto& [fd, conn] : conns_)
      if (conn->deadline_ <= now || (conn->handler_deadline_ && *conn->handler_deadline_ <= now))
        expired.push_back(conn.get());
    for (Conn* c : expired) {
      if (c->shut_down_) {  // closed by us; the client never closed its side
        if (c->deadline_ <= now) destroy(*c, c->tls_->error());
        continue;
      }
      std::string why = !c->tls_->handshake_done() ? "handshake timeout"
                        : c->deadline_ <= now      ? "idle timeout"
                                                   : c->deadline_reason_;
      say_goodbye(*c);
      c->tls_->close();
      send_pending(*c);
      destroy(*c, Error(Errc::io, why));
    }
  }

  // Closes the oldest connection of this loop that has not done useful work, from `client`
  // only if given; false if there is none.
  bool evict_oldest_unproductive(const std::string* client) {
    auto victim = std::find_if(unproductive_.begin(), unproductive_.end(),
                               [client](const Conn* c) { return !client || c->client_ == *client; });
    if (victim == unproductive_.end()) return false;
    Conn& c = **victim;
    say_goodbye(c);
    c.tls_->close();
    send_pending(c);
    destroy(c, Error(Errc::io, client ? "evicted: its address reached its connection limit and "
                                        "this connection had not completed a request"
                                      : "evicted: the server is full and this connection had "
                                        "not completed a request"));
    return true;
  }

  // ConnectionHandler::on_shutdown, for a connection the server is about to close on its own
  // (stop, a timeout, eviction) whose handler was opened and whose TLS is intact.
  static void say_goodbye(Conn& c) {
    if (c.opened_ && c.handler_ && !c.tls_->error()) c.handler_->on_shutdown(c);
  }

  void destroy(Conn& c, const std::optional<Error>& error) {
    if (error && !c.opened_ && options_.on_handshake_failure)
      options_.on_handshake_failure(c.peer_, *error);
    if (c.handler_) c.handler_->on_close(error);
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd_, nullptr);
    shared_.per_address->release(c.client_);
    conns_.erase(c.fd_);  // closes the socket
    --shared_.open;
  }

  Shared& shared_;
  const ServerOptions& options_;
  int listen_fd_ = -1, epoll_fd_ = -1;
  int spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);  // see accept_all
  bool stopping_ = false;
  Unproductive unproductive_;  // declared before conns_, which unlist themselves from it
  std::unordered_map<int, std::unique_ptr<Conn>> conns_;
};

class EpollServer final : public Server {
 public:
  EpollServer(std::shared_ptr<const ServerConfig> config, ServerOptions options,
              HandlerFactory handlers) {
    shared_.config = std::move(config);
    shared_.options = std::move(options);
    shared_.handlers = std::move(handlers);
    shared_.per_address =
        std::make_unique<AddressCounts>(shared_.options.max_connections_per_address);
  }
  ~EpollServer() override {
    loops_.clear();
    if (shared_.stop_fd >= 0) ::close(shared_.stop_fd);
  }

  Result<void> open() {
    const ServerOptions& options = shared_.options;
    if (options.workers == 0) return Error(Errc::usage, "a server needs at least one worker");
    TERN_TRY(Address address, parse_address(options.bind, options.port));
    std::string where = options.bind + " port " + std::to_string(options.port);
    shared_.stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (shared_.stop_fd < 0) return Error(Errc::io, "eventfd: " + errno_text(errno));
    bool several = options.workers > 1;
    if (several) {  // fails if anyone holds the port; picks it when it is 0
      TERN_TRY(int probe, bound_socket(address, where, /*reuse_port=*/false, /*listen=*/false));
      set_port(address, bound_port(probe));
      ::close(probe);
    }
    for (unsigned i = 0; i < options.workers; ++i) {
      TERN_TRY(int fd, bound_socket(address, where, several, /*listen=*/true));
      loops_.push_back(std::make_unique<Loop>(shared_, fd));
      TERN_CHECK(loops_.back()->open());
    }
    port_ = bound_port(loops_.front()->listen_fd());
    return ok();
  }

  Result<void> run() override {
    std::vector<Result<void>> results(loops_.size());
    auto run_loop = [this, &results](size_t i) {
      results[i] = loops_[i]->run();
      if (!results[i]) stop();  // one loop failed: the server stops
    };
    std::vector<std::thread> threads;
    Result<void> started = ok();
    for (size_t i = 1; i < loops_.size(); ++i) {
      try {
        threads.emplace_back([&run_loop, i] {
          std::string name = "tern-loop-" + std::to_string(i);
          pthread_setname_np(pthread_self(), name.c_str());
          run_loop(i);
        });
      } catch (const std::system_error& e) {
        started = Error(Errc::io, std::string("cannot start a worker thread: ") + e.what());
        stop();
        break;
      }
    }
    run_loop(0);
    for (auto& thread : threads) thread.join();
    if (!started) return started;
    for (auto& result : results)
      if (!result) return std::move(result);
    return ok();
  }

  void stop() override {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t w = ::write(shared_.stop_fd, &one, sizeof one);
  }
  uint16_t port() const override { return port_; }
  size_t connections() const override { return shared_.open.load(); }
  unsigned workers() const override { return static_cast<unsigned>(loops_.size()); }

 private:
  Shared shared_;
  std::vector<std::unique_ptr<Loop>> loops_;
  uint16_t port_ = 0;
};

}  // namespace

Result<std::unique_ptr<Server>> Server::listen(std::shared_ptr<const ServerConfig> config,
                                               ServerOptions options, HandlerFactory handlers) {
  // Parse the keys now, so a bad key fails here rather than on the first connection.
  TERN_TRY(auto probe, ServerConnection::create(config));
  (void)probe;
  auto server = std::make_unique<EpollServer>(std::move(config), std::move(options),
                                              std::move(handlers));
  TERN_CHECK(server->open());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace tern
