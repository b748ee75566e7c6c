// SPDX-License-Identifier: Apache-2.0
/// @file
/// A non-blocking TLS server on epoll event loops (Linux): one by default, or one per worker
/// thread (ServerOptions::workers).
///
/// The server accepts connections, runs a ServerConnection for each, enforces handshake and
/// idle timeouts, the deadlines its handlers set, a connection cap and a cap per client
/// address, and hands plaintext to a ConnectionHandler made per connection. A slow or hostile
/// client never stalls the others: nothing blocks, a connection whose output is not being
/// drained is not read from, a client trickling bytes is held to its handler's deadline, and
/// at the cap a new connection evicts the oldest one that has not done useful work yet. A
/// connection lives on one loop from accept to close, so its handler is never called from two
/// threads.
///
/// @code
/// auto server = tern::Server::listen(config, {.bind = "::1", .port = 8443},
///                                    [] { return std::make_unique<MyHandler>(); });
/// (*server)->run();  // until stop(), callable from a signal handler or another thread
/// @endcode
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tern/export.h"
#include "tern/tls.h"

namespace tern {

/// Where a Server listens, and the limits it enforces.
struct ServerOptions {
  std::string bind = "127.0.0.1";  ///< an IPv4 or IPv6 literal ("::" for every address)
  uint16_t port = 8443;            ///< 0 picks a free port (see Server::port())
  /// From accept to a finished handshake; then the connection is closed.
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};  ///< no traffic either way
  /// At this many connections a new one evicts the oldest connection of its loop that has not
  /// done useful work (Session::mark_productive) -- a slow client, a half-open handshake --
  /// or, if every connection of that loop has, is closed at once.
  size_t max_connections = 10'000;
  /// Connections from one client at once. A client is an IPv4 address, or an IPv6 /64 (what
  /// one host or home usually gets). At the limit a new connection from it evicts its oldest
  /// connection of the same loop that has not done useful work, or, if it has none, is
  /// closed at accept. 0: no limit.
  size_t max_connections_per_address = 100;
  /// Event loops, each on its own thread with its own epoll and its own listening socket on
  /// the same address (SO_REUSEPORT: the kernel spreads new connections among them). 1: one
  /// loop, on the thread that calls run(). With more, the handler factory and `observer` are
  /// called from several threads at once, and the config's callbacks (keylog, random, now)
  /// too: they must be thread-safe. max_connections and max_connections_per_address count
  /// the connections of all loops; each loop evicts among its own connections (the kernel
  /// spreads new connections evenly, so a flood is spread too).
  unsigned workers = 1;
  /// Tracing (`tern serve --trace`): an Observer for each accepted connection, given the
  /// client's address; it lives as long as the connection and is destroyed right after it.
  /// Null (the default): connections use the config's observer, if any.
  std::function<std::unique_ptr<Observer>(const std::string& peer_address)> observer;
  /// Failed handshakes, for a log (`tern serve` writes one line each): called when a
  /// connection ends with an error before its handshake finished -- an alert sent or
  /// received, a malformed message, the handshake timeout, an eviction -- with the client's
  /// address and that error. A client that closes without a word is not a failure and is
  /// not reported. The connection's handler sees the same error in on_close(), but without
  /// knowing the peer. Called on the connection's event loop (from several threads at once
  /// with several workers); null: not called.
  std::function<void(const std::string& peer_address, const Error& error)>
      on_handshake_failure;
};

/// One accepted connection, as its handler sees it.
class TERN_API Session {
 public:
  virtual ~Session() = default;
  /// Plaintext received so far and not yet read.
  virtual size_t read(std::span<uint8_t> out) = 0;
  /// Bytes of plaintext read() can return now.
  virtual size_t readable() const = 0;
  /// Queues plaintext; it is sealed at once and sent as the socket allows.
  virtual Result<void> write(BytesView plaintext) = 0;
  /// Bytes sealed but not yet sent: a streaming handler writes more when this is low.
  virtual size_t unsent() const = 0;
  /// Asks for on_writable() once the unsent output has drained below the low-water mark.
  virtual void want_writable() = 0;
  /// Sends close_notify once the queued output is out, then closes the socket.
  virtual void close() = 0;
  virtual bool peer_closed() const = 0;  ///< close_notify or EOF from the client
  /// A deadline of the handler's, for what it waits for ("the whole request head within
  /// 20 s"): when it passes, the connection is closed as timed out with `why` as the reason,
  /// whatever traffic came meanwhile (a client trickling bytes does not move it). Replaces
  /// the previous one. The idle timeout still applies.
  virtual void set_deadline(std::chrono::milliseconds from_now, std::string why) = 0;
  /// Removes the deadline set_deadline() set.
  virtual void clear_deadline() = 0;
  /// The connection has done useful work (served a request): when the server is full it is
  /// kept, and connections that have not are evicted instead, oldest first.
  virtual void mark_productive() = 0;
  /// The TLS connection: what was negotiated, the client's certificate chain.
  virtual const Connection& tls() const = 0;
  virtual const std::string& peer_address() const = 0;  ///< "127.0.0.1:5555", "[::1]:5555"
  /// The Observer ServerOptions::observer made for this connection (null if none): lets the
  /// handler read what it recorded, on the connection's own loop, without a map from peer
  /// addresses shared between workers.
  virtual Observer* observer() const { return nullptr; }
};

/// What a Server does with a connection: one handler per connection, made by the
/// factory given to Server::listen(), called on the connection's event loop only.
class TERN_API ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;
  /// The handshake finished.
  virtual void on_open(Session&) {}
  /// Plaintext arrived (or the peer closed: see Session::peer_closed()).
  virtual void on_data(Session& session) = 0;
  /// The output asked for by want_writable() has drained.
  virtual void on_writable(Session&) {}
  /// The server closes this open connection right after, on its own: it is stopping
  /// (Server::stop()), a timeout passed (idle, or a deadline of set_deadline()), or the
  /// connection is evicted. The last chance to queue a goodbye of the application's own,
  /// such as an HTTP/2 GOAWAY. Called only after on_open(). What is written here is sent as
  /// far as the socket takes it without waiting, then close_notify follows and on_close().
  virtual void on_shutdown(Session&) {}
  /// The connection is gone; `error` says why if it failed (handshake, timeout, reset).
  virtual void on_close(const std::optional<Error>& /*error*/) {}
};

/// A TLS server on epoll event loops (see the description of this file): listen(),
/// then run() until stop().
class TERN_API Server {
 public:
  /// Makes the handler of each new connection (from several threads at once when
  /// ServerOptions::workers is above 1).
  using HandlerFactory = std::function<std::unique_ptr<ConnectionHandler>()>;

  /// Binds and listens. Fails (Errc::io) with the address and the OS's reason.
  static Result<std::unique_ptr<Server>> listen(std::shared_ptr<const ServerConfig> config,
                                                ServerOptions options, HandlerFactory handlers);
  virtual ~Server() = default;

  /// Serves until stop(); returns an error only if an event loop itself fails (the others
  /// are then stopped too). With several workers, runs one loop here and the others on
  /// threads of its own, and returns once all have closed their connections.
  virtual Result<void> run() = 0;
  /// Async-signal-safe and thread-safe: makes run() return after closing every connection.
  virtual void stop() = 0;

  virtual uint16_t port() const = 0;        ///< the bound port (useful with port 0)
  virtual size_t connections() const = 0;   ///< open connections right now, all loops
  virtual unsigned workers() const = 0;     ///< event loops
};

}  // namespace tern
