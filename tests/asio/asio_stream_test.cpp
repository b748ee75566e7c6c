// SPDX-License-Identifier: Apache-2.0
// tern::asio::stream in one process, over loopback TCP: a server of tern::asio::stream that
// echoes what it reads, and clients written with each completion style: callbacks,
// use_future (the io_context on another thread), use_awaitable coroutines and the blocking
// calls; cancellation of a pending read; a certificate nobody trusts failing the handshake
// with tern's category and message; a TCP close without close_notify (stream_truncated).
// Prints TAP-style "ok - ..." / "not ok - ..." lines; exit 1 if any check failed.
//
//   tern_asio_stream_test --cert FULLCHAIN --key KEY --root ROOT --other-root OTHER_ROOT
//
// Every io_context runs for at most 20 s (run_for), so a hang is a failed check, not a hang.
#include <tern/asio.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/version.hpp>
#include <boost/asio/write.hpp>

#if BOOST_ASIO_VERSION >= 101900  // Boost 1.77: per-operation cancellation
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#endif

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;
using tls_stream = tern::asio::stream<tcp::socket>;

namespace {

int failures = 0;

void check(bool ok, const std::string& name) {
  std::cout << (ok ? "ok - " : "not ok - ") << name << std::endl;
  if (!ok) ++failures;
}
void note(const std::string& text) { std::cout << "# " << text << std::endl; }
std::string describe(const error_code& ec) {
  return std::string(ec.category().name()) + ":" + std::to_string(ec.value()) + " " + ec.message();
}

struct Env {
  std::shared_ptr<const tern::ServerConfig> server;
  std::shared_ptr<const tern::ClientConfig> client, untrusting;
};

constexpr auto kBound = std::chrono::seconds(20);

// The echo server: accepts one connection, handshakes, echoes until the client's
// close_notify, then answers it with its own. Records how each step ended.
class EchoServer {
 public:
  EchoServer(net::io_context& io, std::shared_ptr<const tern::ServerConfig> config)
      : acceptor_(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)),
        tls_(io, std::move(config)) {
    acceptor_.async_accept(tls_.next_layer(), [this](error_code accepted) {
      if (accepted) return finish("accept", accepted);
      tls_.async_handshake([this](error_code ec) {
        if (ec) return finish("handshake", ec);
        handshake_ok = true;
        read();
      });
    });
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  tls_stream& tls() { return tls_; }

  bool handshake_ok = false, done = false;
  std::string where;  // the step that ended it
  error_code result;  // how it ended
  size_t echoed = 0;

 private:
  void read() {
    tls_.async_read_some(net::buffer(buffer_), [this](error_code read_ec, size_t n) {
      if (read_ec == net::error::eof) {  // the client's close_notify: answer with ours
        return tls_.async_shutdown([this](error_code ec) { finish("shutdown", ec); });
      }
      if (read_ec) return finish("read", read_ec);
      net::async_write(tls_, net::buffer(buffer_, n), [this](error_code ec, size_t written) {
        if (ec) return finish("write", ec);
        echoed += written;
        read();
      });
    });
  }
  void finish(const char* step, const error_code& ec) {
    where = step;
    result = ec;
    done = true;
  }

  tcp::acceptor acceptor_;
  tls_stream tls_;
  char buffer_[4096];
};

tcp::endpoint local(unsigned short port) { return {net::ip::make_address("127.0.0.1"), port}; }

void test_callbacks(const Env& env) {
  net::io_context io;
  EchoServer server(io, env.server);
  tls_stream client(io, env.client);
  std::string message = "hello over callbacks", echo(message.size(), '\0');
  error_code handshake_ec, write_ec, read_ec, shutdown_ec;
  bool shut = false;
  client.next_layer().async_connect(local(server.port()), [&](error_code connected) {
    if (connected) return void(handshake_ec = connected);
    client.async_handshake([&](error_code e1) {
      if ((handshake_ec = e1)) return;
      net::async_write(client, net::buffer(message), [&](error_code e2, size_t) {
        if ((write_ec = e2)) return;
        net::async_read(client, net::buffer(echo), [&](error_code e3, size_t) {
          if ((read_ec = e3)) return;
          client.async_shutdown([&](error_code e4) {
            shutdown_ec = e4;
            shut = true;
          });
        });
      });
    });
  });
  io.run_for(kBound);
  check(!handshake_ec && server.handshake_ok,
        "callbacks: handshake (" + describe(handshake_ec) + ")");
  check(!write_ec && !read_ec && echo == message, "callbacks: write, then the echo read back");
  check(shut && !shutdown_ec,
        "callbacks: async_shutdown completes with the server's close_notify (" +
            describe(shutdown_ec) + ")");
  check(server.done && server.where == "shutdown" && !server.result,
        "callbacks: the server read eof (our close_notify) and shut down cleanly (" + server.where +
            ": " + describe(server.result) + ")");
  check(client.connection()->version_name() == "TLS 1.3" &&
            client.connection()->server_name() == "localhost",
        "callbacks: TLS 1.3, SNI localhost from the config (" +
            client.connection()->version_name() + ", " + client.connection()->cipher_suite_name() +
            ")");
}

void test_future(const Env& env) {
  net::io_context io;
  auto guard = net::make_work_guard(io);
  EchoServer server(io, env.server);
  tls_stream client(io, env.client);
  std::thread runner([&] { io.run_for(kBound); });
  std::string message = "hello over use_future", echo(message.size(), '\0');
  bool ok = false;
  std::string failure;
  try {
    client.next_layer().async_connect(local(server.port()), net::use_future).get();
    client.async_handshake(net::use_future).get();
    size_t sent = client.async_write_some(net::buffer(message), net::use_future).get();
    size_t got = 0;
    while (got < sent)
      got +=
          client.async_read_some(net::buffer(echo.data() + got, sent - got), net::use_future).get();
    client.async_shutdown(net::use_future).get();
    ok = sent == message.size() && echo == message;
  } catch (const boost::system::system_error& e) {
    failure = describe(e.code());
  }
  guard.reset();
  runner.join();
  check(ok, "use_future: handshake, write_some, read_some, shutdown " + failure);
}

net::awaitable<void> coroutine_client(tls_stream& client, unsigned short port, std::string& echo,
                                      std::string& failure) {
  try {
    co_await client.next_layer().async_connect(local(port), net::use_awaitable);
    co_await client.async_handshake(net::use_awaitable);
    std::string message = "hello over use_awaitable";
    co_await net::async_write(client, net::buffer(message), net::use_awaitable);
    echo.resize(message.size());
    co_await net::async_read(client, net::buffer(echo), net::use_awaitable);
    co_await client.async_shutdown(net::use_awaitable);
  } catch (const boost::system::system_error& e) {
    failure = describe(e.code());
  }
}

void test_awaitable(const Env& env) {
  net::io_context io;
  EchoServer server(io, env.server);
  tls_stream client(io, env.client);
  std::string echo, failure = "(did not finish)";
  net::co_spawn(
      io,
      [&]() -> net::awaitable<void> {
        failure.clear();
        co_await coroutine_client(client, server.port(), echo, failure);
      },
      net::detached);
  io.run_for(kBound);
  check(failure.empty() && echo == "hello over use_awaitable",
        "use_awaitable: a coroutine's handshake, write, read and shutdown " + failure);
  check(server.done && !server.result, "use_awaitable: the server ended cleanly");
}

// A read and a write pending at once (full duplex): 1 MiB goes out in 64 KiB write_some
// calls while the echo comes back in the same time.
void test_full_duplex(const Env& env) {
  net::io_context io;
  EchoServer server(io, env.server);
  tls_stream client(io, env.client);
  std::string data(1 << 20, '\0'), echo(data.size(), '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 7919) >> 5);
  error_code write_ec, read_ec;
  bool wrote = false, read = false;
  client.next_layer().async_connect(local(server.port()), [&](error_code connected) {
    if (connected) return;
    client.async_handshake([&](error_code handshaken) {
      if (handshaken) return;
      net::async_write(client, net::buffer(data), [&](error_code ec, size_t) {
        write_ec = ec;
        wrote = true;
      });
      net::async_read(client, net::buffer(echo), [&](error_code ec, size_t) {
        read_ec = ec;
        read = true;
        if (!ec) client.async_shutdown([](error_code) {});
      });
    });
  });
  io.run_for(kBound);
  check(wrote && read && !write_ec && !read_ec && echo == data,
        "full duplex: 1 MiB written while its echo is read, byte for byte (write: " +
            describe(write_ec) + ", read: " + describe(read_ec) + ")");
  check(server.echoed == data.size(),
        "full duplex: the server echoed " + std::to_string(server.echoed) + " bytes");
}

void test_blocking(const Env& env) {
  net::io_context io;
  auto guard = net::make_work_guard(io);
  EchoServer server(io, env.server);
  unsigned short port = server.port();
  std::thread runner([&] { io.run_for(kBound); });
  net::io_context client_io;  // blocking calls need no running context
  tls_stream client(client_io, env.client);
  error_code ec;
  std::string message = "hello over blocking calls", echo(message.size(), '\0');
  std::string failure;
  client.next_layer().connect(local(port), ec);
  if (!ec) client.handshake(ec);
  if (!ec) net::write(client, net::buffer(message), ec);
  if (!ec) net::read(client, net::buffer(echo), ec);
  if (!ec) client.shutdown(ec);
  guard.reset();
  runner.join();
  check(!ec && echo == message,
        "blocking: handshake, write, read, shutdown (" + describe(ec) + ")");
}

void test_cancel(const Env& env) {
  net::io_context io;
  EchoServer server(io, env.server);
  tls_stream client(io, env.client);
  char buffer[64];
  error_code read_ec;
  bool read_done = false;
  net::steady_timer timer(io);
  client.next_layer().async_connect(local(server.port()), [&](error_code connected) {
    if (connected) return;
    client.async_handshake([&](error_code handshaken) {
      if (handshaken) return;
      // The server sends nothing unless we do: this read waits until cancelled.
      client.async_read_some(net::buffer(buffer), [&](error_code ec, size_t) {
        read_ec = ec;
        read_done = true;
        client.next_layer().close();  // ends the server's read too
      });
      timer.expires_after(std::chrono::milliseconds(50));
      timer.async_wait([&](error_code) { client.cancel(); });
    });
  });
  io.run_for(kBound);
  check(read_done && read_ec == net::error::operation_aborted,
        "cancel(): a pending async_read_some completes with operation_aborted (" +
            describe(read_ec) + ")");
  check(server.done && server.result == tern::asio::error::stream_truncated,
        "cancel(): the server sees the TCP close without close_notify as stream_truncated");
}

// Per-operation cancellation: a cancellation_signal bound to the read's handler reaches the
// socket's read underneath (async_compose passes the slot on). Asio 1.19 (Boost 1.77) and
// later only: Debian 12's Boost 1.74 has no cancellation slots.
void test_cancellation_slot(const Env& env) {
#if BOOST_ASIO_VERSION >= 101900
  net::io_context io;
  EchoServer server(io, env.server);
  tls_stream client(io, env.client);
  char buffer[64];
  error_code read_ec;
  bool read_done = false;
  net::cancellation_signal signal;
  net::steady_timer timer(io);
  client.next_layer().async_connect(local(server.port()), [&](error_code connected) {
    if (connected) return;
    client.async_handshake([&](error_code handshaken) {
      if (handshaken) return;
      client.async_read_some(net::buffer(buffer),
                             net::bind_cancellation_slot(signal.slot(), [&](error_code ec, size_t) {
                               read_ec = ec;
                               read_done = true;
                               client.next_layer().close();
                             }));
      timer.expires_after(std::chrono::milliseconds(50));
      timer.async_wait([&](error_code) { signal.emit(net::cancellation_type::terminal); });
    });
  });
  io.run_for(kBound);
  check(read_done && read_ec == net::error::operation_aborted,
        "cancellation_signal: a pending async_read_some completes with operation_aborted (" +
            describe(read_ec) + ")");
#else
  (void)env;
  note("cancellation_signal: not in Asio " + std::to_string(BOOST_ASIO_VERSION) +
       " (needs Boost 1.77); cancel() is tested instead");
#endif
}

void test_untrusted(const Env& env) {
  net::io_context io;
  EchoServer server(io, env.server);
  tls_stream client(io, env.untrusting);
  error_code ec;
  bool done = false;
  client.next_layer().async_connect(local(server.port()), [&](error_code e) {
    if (e) return void(ec = e);
    client.async_handshake([&](error_code handshaken) {
      ec = handshaken;
      done = true;
    });
  });
  io.run_for(kBound);
  note("client: " + describe(ec));
  note("server: " + server.where + ": " + describe(server.result));
  check(
      done && ec.category() == tern::asio::error_category() && ec == tern::asio::error::certificate,
      "untrusted root: the handshake fails in tern's category, error::certificate");
  check(
      ec.message().find("no path to a trusted root") != std::string::npos &&
          ec.message().find("unknown_ca") != std::string::npos,
      "untrusted root: ec.message() is tern's sentence (no path to a trusted root ... unknown_ca)");
  check(client.last_error() && client.last_error()->code == tern::Errc::certificate,
        "untrusted root: last_error() holds the tern::Error");
  check(server.done && server.where == "handshake" &&
            server.result.category() == tern::asio::error_category() &&
            server.result.message().find("unknown_ca") != std::string::npos,
        "untrusted root: the server's handshake fails with the client's alert unknown_ca");
}

void test_truncated(const Env& env) {
  net::io_context io;
  tcp::acceptor acceptor(io, local(0));
  // The server's stream runs over a socket owned here: a reference as the next layer.
  tcp::socket server_socket(io);
  tern::asio::stream<tcp::socket&> server(server_socket, env.server);
  tls_stream client(io, env.client);
  error_code read_ec;
  bool read_done = false;
  char buffer[64];
  acceptor.async_accept(server_socket, [&](error_code accepted) {
    if (accepted) return;
    server.async_handshake([&](error_code ec) {
      if (!ec) server.next_layer().close();  // TCP close, no close_notify
    });
  });
  client.next_layer().async_connect(
      local(acceptor.local_endpoint().port()), [&](error_code connected) {
        if (connected) return;
        client.async_handshake([&](error_code handshaken) {
          if (handshaken) return;
          client.async_read_some(net::buffer(buffer), [&](error_code ec, size_t) {
            read_ec = ec;
            read_done = true;
          });
        });
      });
  io.run_for(kBound);
  check(read_done && read_ec == tern::asio::error::stream_truncated,
        "a TCP close without close_notify (by a stream over a tcp::socket&): stream_truncated (" +
            describe(read_ec) + ")");
}

void test_codes() {
  error_code a = tern::asio::make_error_code(tern::Error(tern::Errc::protocol, "first sentence"));
  error_code b = tern::asio::make_error_code(tern::Error(tern::Errc::protocol, "second sentence"));
  check(a.message() == "first sentence" && b.message() == "second sentence",
        "error codes: each keeps its own message");
  check(a == b && a == tern::asio::error::protocol && a.category() == tern::asio::error_category(),
        "error codes: equal by kind across messages, in tern's category");
  check(std::string(a.category().name()) == "tern", "error codes: the category is named tern");
  net::io_context io;
  tls_stream unconnected(io, std::make_shared<tern::ClientConfig>());
  char buffer[8];
  error_code ec;
  unconnected.read_some(net::buffer(buffer), ec);
  check(ec == tern::asio::error::usage,
        "read_some before the handshake: error::usage (" + describe(ec) + ")");
}

}  // namespace

int main(int argc, char** argv) {
  std::string cert, key, root, other_root;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--cert")
      cert = argv[i + 1];
    else if (arg == "--key")
      key = argv[i + 1];
    else if (arg == "--root")
      root = argv[i + 1];
    else if (arg == "--other-root")
      other_root = argv[i + 1];
  }
  auto certified = tern::CertifiedKey::load(cert, key);
  auto roots = tern::TrustStore::load(root);
  auto others = tern::TrustStore::load(other_root);
  if (!certified || !roots || !others) {
    std::cout << "not ok - usage: --cert FULLCHAIN --key KEY --root ROOT --other-root OTHER_ROOT\n";
    return 1;
  }
  auto server = std::make_shared<tern::ServerConfig>();
  server->certificates.push_back(std::move(*certified));
  auto client = std::make_shared<tern::ClientConfig>();
  client->server_name = "localhost";
  client->trust_store = std::make_shared<tern::TrustStore>(std::move(*roots));
  auto untrusting = std::make_shared<tern::ClientConfig>(*client);
  untrusting->trust_store = std::make_shared<tern::TrustStore>(std::move(*others));
  Env env{server, client, untrusting};

  test_codes();
  test_callbacks(env);
  test_future(env);
  test_awaitable(env);
  test_full_duplex(env);
  test_blocking(env);
  test_cancel(env);
  test_cancellation_slot(env);
  test_untrusted(env);
  test_truncated(env);
  std::cout << (failures ? "# FAILED: " : "# all passed: ") << failures << " failure(s)\n";
  return failures ? 1 : 0;
}
