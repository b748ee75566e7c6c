// SPDX-License-Identifier: Apache-2.0
// The epoll server core (src/net/server.cpp) over loopback: a ClientConnection on a plain
// blocking socket talks to handlers run by tern::Server on its own thread.
#include "tern/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "tls13_test_util.h"

namespace tern::testing {
namespace {

using namespace std::chrono_literals;

// Echoes every byte back; on "big", streams kBigSize bytes with backpressure instead. A
// connection that has echoed something has done useful work (Session::mark_productive).
constexpr size_t kBigSize = 4 * 1024 * 1024;
std::atomic<int> g_opened{0}, g_closed{0};
// The threads that opened connections (several workers: the loops that served them).
std::mutex g_threads_mutex;
std::set<std::thread::id> g_threads;

class EchoHandler : public ConnectionHandler {
 public:
  void on_open(Session&) override {
    ++g_opened;
    std::lock_guard lock(g_threads_mutex);
    g_threads.insert(std::this_thread::get_id());
  }
  void on_data(Session& s) override {
    uint8_t buf[4096];
    while (size_t n = s.read(buf)) {
      s.mark_productive();
      if (std::string_view(reinterpret_cast<char*>(buf), n) == "big") {
        big_left_ = kBigSize;
        on_writable(s);
        continue;
      }
      ASSERT_TRUE(s.write(BytesView(buf, n)));
    }
    if (s.peer_closed()) s.close();
  }
  void on_writable(Session& s) override {
    Bytes chunk(64 * 1024, 'z');
    while (big_left_ > 0 && s.unsent() < 128 * 1024) {
      size_t n = std::min(big_left_, chunk.size());
      ASSERT_TRUE(s.write(BytesView(chunk).first(n)));
      big_left_ -= n;
    }
    if (big_left_ > 0) s.want_writable();
  }
  void on_close(const std::optional<Error>&) override { ++g_closed; }

 private:
  size_t big_left_ = 0;
};

struct Running {
  std::unique_ptr<Server> server;
  std::thread thread;
  ~Running() {
    server->stop();
    thread.join();
  }
};

std::unique_ptr<Running> start(
    ServerOptions options = {},
    Server::HandlerFactory handlers = [] { return std::make_unique<EchoHandler>(); }) {
  options.port = 0;
  auto server = Server::listen(test_server_config(), options, std::move(handlers));
  if (!server) throw std::runtime_error(server.error().detail);
  auto running = std::make_unique<Running>();
  running->server = std::move(*server);
  running->thread = std::thread([s = running->server.get()] { ASSERT_TRUE(s->run()); });
  return running;
}

// From 127.0.0.1, or from `source` (another loopback address: another client).
int tcp_connect(uint16_t port, const char* source = nullptr) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (source) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source, &from.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0)
      throw std::runtime_error(std::string("cannot bind to ") + source);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("connect failed");
  return fd;
}

// Whether the server closes the socket within `limit` (reading and dropping what it sends).
bool closed_by_peer(int fd, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    uint8_t buf[4096];
    if (recv(fd, buf, sizeof buf, 0) <= 0) return true;
  }
  return false;
}

// A TLS client over a blocking socket; every wait bounded.
class Client {
 public:
  explicit Client(uint16_t port, const ClientConfig& config = test_client_config(),
                  const char* source = nullptr)
      : fd_(tcp_connect(port, source)) {
    auto conn = ClientConnection::create(config);
    if (!conn) throw std::runtime_error(conn.error().detail);
    tls_ = std::move(*conn);
  }
  ~Client() { ::close(fd_); }

  bool flush() {
    while (tls_->wants_write()) {
      BytesView out = tls_->pending_output();
      ssize_t n = send(fd_, out.data(), out.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      tls_->consume_output(static_cast<size_t>(n));
    }
    return true;
  }
  // Reads until `want` plaintext bytes arrived (or the peer closed / 10 s passed).
  std::string read(size_t want) {
    std::string got;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (got.size() < want && std::chrono::steady_clock::now() < deadline) {
      if (!flush()) break;
      uint8_t buf[65536];
      while (size_t n = tls_->read(buf)) got.append(reinterpret_cast<char*>(buf), n);
      if (got.size() >= want || tls_->peer_closed()) break;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0 || !tls_->feed(BytesView(buf, static_cast<size_t>(n)))) break;
    }
    return got;
  }
  bool handshake() {
    read(0);
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!tls_->handshake_done() && std::chrono::steady_clock::now() < deadline) {
      flush();
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      uint8_t buf[65536];
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0 || !tls_->feed(BytesView(buf, static_cast<size_t>(n)))) return false;
    }
    return tls_->handshake_done() && flush();
  }
  bool write(std::string_view text) {
    return tls_->write(BytesView(reinterpret_cast<const uint8_t*>(text.data()), text.size())) &&
           flush();
  }

  int fd_;
  std::unique_ptr<ClientConnection> tls_;
};

TEST(Server, EchoesOverTls) {
  auto running = start();
  int opened = g_opened;
  Client client(running->server->port());
  ASSERT_TRUE(client.handshake());
  ASSERT_TRUE(client.write("hello"));
  EXPECT_EQ(client.read(5), "hello");
  EXPECT_EQ(client.tls_->alpn(), "");
  EXPECT_GT(g_opened, opened);
}

TEST(Server, StreamsABigResponseWithBackpressure) {
  auto running = start();
  Client client(running->server->port());
  ASSERT_TRUE(client.handshake());
  ASSERT_TRUE(client.write("big"));
  std::string got = client.read(kBigSize);
  EXPECT_EQ(got.size(), kBigSize);
  EXPECT_EQ(got.find_first_not_of('z'), std::string::npos);
}

TEST(Server, CloseNotifyIsAnswered) {
  auto running = start();
  Client client(running->server->port());
  ASSERT_TRUE(client.handshake());
  client.tls_->close();
  ASSERT_TRUE(client.flush());
  client.read(1);
  EXPECT_TRUE(client.tls_->peer_closed());
}

TEST(Server, SilentClientHitsTheHandshakeTimeout) {
  ServerOptions options;
  options.handshake_timeout = 300ms;
  auto running = start(options);
  int fd = tcp_connect(running->server->port());
  EXPECT_TRUE(closed_by_peer(fd, 5s));
  ::close(fd);
}

TEST(Server, IdleConnectionHitsTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = 300ms;
  auto running = start(options);
  Client client(running->server->port());
  ASSERT_TRUE(client.handshake());
  EXPECT_TRUE(closed_by_peer(client.fd_, 5s));
}

TEST(Server, ConnectionsOverTheCapAreClosed) {
  ServerOptions options;
  options.max_connections = 1;
  auto running = start(options);
  Client first(running->server->port());
  ASSERT_TRUE(first.handshake());
  ASSERT_TRUE(first.write("a"));  // useful work: not evicted for a newcomer
  ASSERT_EQ(first.read(1), "a");
  int second = tcp_connect(running->server->port());
  EXPECT_TRUE(closed_by_peer(second, 5s));
  ::close(second);
  ASSERT_TRUE(first.write("still here"));
  EXPECT_EQ(first.read(10), "still here");
}

TEST(Server, GarbageGetsAnAlertAndOthersAreServed) {
  auto running = start();
  int bad = tcp_connect(running->server->port());
  const char junk[] = "GET / HTTP/1.1\r\n\r\n";
  ASSERT_GT(send(bad, junk, sizeof junk - 1, MSG_NOSIGNAL), 0);
  uint8_t alert[7] = {};
  pollfd p{bad, POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 5000), 1);
  EXPECT_EQ(recv(bad, alert, sizeof alert, MSG_WAITALL), 7);
  EXPECT_EQ(alert[0], 21);  // an alert record
  ::close(bad);
  Client good(running->server->port());
  ASSERT_TRUE(good.handshake());
  ASSERT_TRUE(good.write("ok"));
  EXPECT_EQ(good.read(2), "ok");
}

TEST(Server, BadBindAddressIsAClearError) {
  ServerOptions options;
  options.bind = "not-an-address";
  auto server = Server::listen(test_server_config(), options,
                               [] { return std::make_unique<EchoHandler>(); });
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().detail.find("not-an-address"), std::string::npos);
}

TEST(Server, ListensOnIpv6Loopback) {
  ServerOptions options;
  options.bind = "::1";
  options.port = 0;
  auto server = Server::listen(test_server_config(), options,
                               [] { return std::make_unique<EchoHandler>(); });
  ASSERT_TRUE(server) << server.error().detail;
  EXPECT_GT((*server)->port(), 0);
  int fd = socket(AF_INET6, SOCK_STREAM, 0);
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_port = htons((*server)->port());
  addr.sin6_addr = in6addr_loopback;
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);
}

TEST(Server, ZeroWorkersIsAUsageError) {
  ServerOptions options;
  options.port = 0;
  options.workers = 0;
  auto server = Server::listen(test_server_config(), options,
                               [] { return std::make_unique<EchoHandler>(); });
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, Errc::usage);
}

// Several workers: clients on threads of their own hand-shake, resume (tickets and TLS 1.2
// session IDs from the shared context, whichever loop issued them) and echo at once; the
// connections land on more than one loop; stop() ends them all. Run under ASan too.
TEST(Server, WorkersServeConcurrentClients) {
  ServerOptions options;
  options.workers = 4;
  auto running = start(options);
  EXPECT_EQ(running->server->workers(), 4u);
  {
    std::lock_guard lock(g_threads_mutex);
    g_threads.clear();
  }
  constexpr int kThreads = 8, kConnections = 8;
  std::atomic<int> echoed{0}, resumed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&, t] {
      ClientConfig config = test_client_config();
      config.session_cache = std::make_shared<ClientSessionCache>();
      if (t % 2) config.max_version = tls::kTls12;
      for (int i = 0; i < kConnections; ++i) {
        Client client(running->server->port(), config);
        if (!client.handshake()) continue;
        std::string text = "client " + std::to_string(t) + " connection " + std::to_string(i);
        if (client.write(text) && client.read(text.size()) == text) ++echoed;
        if (client.tls_->resumed()) ++resumed;
      }
    });
  }
  for (auto& thread : clients) thread.join();
  EXPECT_EQ(echoed, kThreads * kConnections);
  EXPECT_GT(resumed, 0);
  std::lock_guard lock(g_threads_mutex);
  EXPECT_GT(g_threads.size(), 1u) << "every connection went to one loop";
}

TEST(Server, StopClosesTheConnectionsOfEveryWorker) {
  ServerOptions options;
  options.workers = 3;
  auto running = start(options);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 12; ++i) {
    clients.push_back(std::make_unique<Client>(running->server->port()));
    ASSERT_TRUE(clients.back()->handshake());
  }
  for (int i = 0; i < 100 && running->server->connections() < 12; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(running->server->connections(), 12u);
  running->server->stop();
  running->thread.join();
  running->thread = std::thread([] {});  // for ~Running
  EXPECT_EQ(running->server->connections(), 0u);
  for (auto& client : clients) {
    client->read(1);
    EXPECT_TRUE(client->tls_->peer_closed());  // close_notify from whichever loop had it
  }
}

TEST(Server, ConnectionCapCountsEveryWorker) {
  ServerOptions options;
  options.workers = 2;
  options.max_connections = 2;
  auto running = start(options);
  Client first(running->server->port()), second(running->server->port());
  ASSERT_TRUE(first.handshake());
  ASSERT_TRUE(second.handshake());
  for (Client* c : {&first, &second}) {  // useful work: not evicted for a newcomer
    ASSERT_TRUE(c->write("a"));
    ASSERT_EQ(c->read(1), "a");
  }
  for (int i = 0; i < 100 && running->server->connections() < 2; ++i)
    std::this_thread::sleep_for(10ms);
  // The third lands on one loop or the other; either way it is over the cap.
  for (int i = 0; i < 4; ++i) {
    int more = tcp_connect(running->server->port());
    EXPECT_TRUE(closed_by_peer(more, 5s));
    ::close(more);
  }
  ASSERT_TRUE(first.write("one"));
  EXPECT_EQ(first.read(3), "one");
  ASSERT_TRUE(second.write("two"));
  EXPECT_EQ(second.read(3), "two");
}

// SO_REUSEPORT must not let a second server share the port unnoticed.
TEST(Server, APortInUseIsRefusedWithSeveralWorkers) {
  ServerOptions options;
  options.workers = 2;
  options.port = 0;
  auto factory = [] { return std::make_unique<EchoHandler>(); };
  auto first = Server::listen(test_server_config(), options, factory);
  ASSERT_TRUE(first) << first.error().detail;
  options.port = (*first)->port();
  for (unsigned workers : {1u, 2u}) {
    options.workers = workers;
    auto second = Server::listen(test_server_config(), options, factory);
    ASSERT_FALSE(second) << workers << " workers joined a port in use";
    EXPECT_EQ(second.error().code, Errc::io);
    EXPECT_NE(second.error().detail.find("in use"), std::string::npos) << second.error().detail;
  }
}

// A handler that wants each message within a deadline, as an HTTP server wants a request
// head, and records why its connection closed.
std::mutex g_close_mutex;
std::string g_close_reason;

class DeadlineHandler : public ConnectionHandler {
 public:
  void on_open(Session& s) override { s.set_deadline(400ms, "message deadline"); }
  void on_data(Session& s) override {
    uint8_t buf[256];
    while (s.read(buf) > 0) {
    }
  }
  void on_close(const std::optional<Error>& error) override {
    std::lock_guard lock(g_close_mutex);
    g_close_reason = error ? error->detail : "";
  }
};

// A byte every 100 ms, well inside the idle timeout, does not move the handler's deadline.
TEST(Server, HandlerDeadlineClosesATricklingConnection) {
  auto running = start({}, [] { return std::make_unique<DeadlineHandler>(); });
  Client client(running->server->port());
  ASSERT_TRUE(client.handshake());
  bool closed = false;
  for (int i = 0; i < 100 && !closed; ++i)  // 10 s at most
    closed = !client.write("x") || closed_by_peer(client.fd_, 100ms);
  EXPECT_TRUE(closed);
  for (int i = 0; i < 100 && running->server->connections() > 0; ++i)
    std::this_thread::sleep_for(10ms);
  std::lock_guard lock(g_close_mutex);
  EXPECT_EQ(g_close_reason, "message deadline");
}

TEST(Server, ConnectionsPerAddressAreCapped) {
  ServerOptions options;
  options.max_connections_per_address = 2;
  auto running = start(options);
  auto first = std::make_unique<Client>(running->server->port());
  Client second(running->server->port());
  ASSERT_TRUE(first->handshake());
  ASSERT_TRUE(second.handshake());
  // Both do useful work, so neither can be evicted for a newcomer from their address.
  ASSERT_TRUE(first->write("1"));
  ASSERT_EQ(first->read(1), "1");
  ASSERT_TRUE(second.write("2"));
  ASSERT_EQ(second.read(1), "2");
  int third = tcp_connect(running->server->port());  // 127.0.0.1 again: over its limit
  EXPECT_TRUE(closed_by_peer(third, 5s));
  ::close(third);
  Client other(running->server->port(), test_client_config(), "127.0.0.2");
  ASSERT_TRUE(other.handshake());
  ASSERT_TRUE(other.write("other"));
  EXPECT_EQ(other.read(5), "other");
  first.reset();  // one of 127.0.0.1's leaves: room for another
  for (int i = 0; i < 500 && running->server->connections() > 2; ++i)
    std::this_thread::sleep_for(10ms);
  Client again(running->server->port());
  ASSERT_TRUE(again.handshake());
  ASSERT_TRUE(again.write("again"));
  EXPECT_EQ(again.read(5), "again");
}

// An address at its limit: a newcomer from it evicts that address's oldest connection that
// has done nothing useful (a slowloris sharing the client's address), never another
// address's, and never one that has done useful work.
TEST(Server, AnAddressAtItsLimitEvictsItsOldestUnproductiveConnection) {
  ServerOptions options;
  options.max_connections_per_address = 3;
  auto running = start(options);
  uint16_t port = running->server->port();
  Client useful(port);
  ASSERT_TRUE(useful.handshake());
  ASSERT_TRUE(useful.write("u"));
  ASSERT_EQ(useful.read(1), "u");
  Client oldest(port);
  ASSERT_TRUE(oldest.handshake());
  Client younger(port);
  ASSERT_TRUE(younger.handshake());
  Client elsewhere(port, test_client_config(), "127.0.0.2");  // older, idle, another address
  ASSERT_TRUE(elsewhere.handshake());
  Client newcomer(port);
  ASSERT_TRUE(newcomer.handshake());
  ASSERT_TRUE(newcomer.write("new"));
  EXPECT_EQ(newcomer.read(3), "new");
  EXPECT_TRUE(closed_by_peer(oldest.fd_, 5s));
  ASSERT_TRUE(useful.write("again"));
  EXPECT_EQ(useful.read(5), "again");
  ASSERT_TRUE(younger.write("y"));
  EXPECT_EQ(younger.read(1), "y");
  ASSERT_TRUE(elsewhere.write("e"));
  EXPECT_EQ(elsewhere.read(1), "e");
}

// At the cap a newcomer evicts the oldest connection that has done nothing useful; one that
// has is kept, and so is a younger idle one.
TEST(Server, AFullServerEvictsTheOldestUnproductiveConnection) {
  ServerOptions options;
  options.max_connections = 3;
  auto running = start(options);
  uint16_t port = running->server->port();
  Client useful(port);
  ASSERT_TRUE(useful.handshake());
  ASSERT_TRUE(useful.write("u"));
  ASSERT_EQ(useful.read(1), "u");
  Client oldest(port);
  ASSERT_TRUE(oldest.handshake());
  Client younger(port);
  ASSERT_TRUE(younger.handshake());
  for (int i = 0; i < 100 && running->server->connections() < 3; ++i)
    std::this_thread::sleep_for(10ms);
  Client newcomer(port);
  ASSERT_TRUE(newcomer.handshake());
  ASSERT_TRUE(newcomer.write("new"));
  EXPECT_EQ(newcomer.read(3), "new");
  EXPECT_TRUE(closed_by_peer(oldest.fd_, 5s));
  ASSERT_TRUE(useful.write("still"));
  EXPECT_EQ(useful.read(5), "still");
  ASSERT_TRUE(younger.write("young"));
  EXPECT_EQ(younger.read(5), "young");
  // Now all three are productive: one more is refused, and they all stay.
  int more = tcp_connect(port);
  EXPECT_TRUE(closed_by_peer(more, 5s));
  ::close(more);
  ASSERT_TRUE(younger.write("y"));
  EXPECT_EQ(younger.read(1), "y");
}

}  // namespace
}  // namespace tern::testing

namespace tern::testing {
namespace {

// ServerOptions::on_handshake_failure hears of a handshake that fails, with the peer and
// the error; a completed handshake is not reported, and its handler finds the Observer made
// for it through Session::observer().
TEST(Server, HandshakeFailuresAreReportedWithThePeer) {
  struct Report {
    std::mutex mutex;
    std::vector<std::pair<std::string, std::string>> failures;
    std::atomic<bool> observer_seen{false};
  };
  auto report = std::make_shared<Report>();
  class ObservedHandler final : public ConnectionHandler {
   public:
    explicit ObservedHandler(std::shared_ptr<Report> r) : report_(std::move(r)) {}
    void on_open(Session& s) override { report_->observer_seen = s.observer() != nullptr; }
    void on_data(Session& s) override {
      uint8_t buf[256];
      while (size_t n = s.read(buf)) (void)s.write(BytesView(buf, n));
    }

   private:
    std::shared_ptr<Report> report_;
  };
  ServerOptions options;
  options.observer = [](const std::string&) { return std::make_unique<Observer>(); };
  options.on_handshake_failure = [report](const std::string& peer, const Error& error) {
    std::lock_guard lock(report->mutex);
    report->failures.emplace_back(peer, error.detail);
  };
  auto running = start(options, [report] { return std::make_unique<ObservedHandler>(report); });
  int bad = tcp_connect(running->server->port());
  const char junk[] = "GET / HTTP/1.1\r\n\r\n";
  ASSERT_GT(send(bad, junk, sizeof junk - 1, MSG_NOSIGNAL), 0);
  EXPECT_TRUE(closed_by_peer(bad, 5s));
  ::close(bad);
  Client good(running->server->port());
  ASSERT_TRUE(good.handshake());
  ASSERT_TRUE(good.write("ok"));
  EXPECT_EQ(good.read(2), "ok");
  EXPECT_TRUE(report->observer_seen);
  std::lock_guard lock(report->mutex);
  ASSERT_EQ(report->failures.size(), 1u);
  EXPECT_TRUE(report->failures[0].first.starts_with("127.0.0.1:")) << report->failures[0].first;
  EXPECT_FALSE(report->failures[0].second.empty());
}

}  // namespace
}  // namespace tern::testing
