// SPDX-License-Identifier: Apache-2.0
/// @file
/// Boost.Asio integration: tern::asio::stream<NextLayer>, a TLS stream over any Asio
/// stream (a `boost::asio::ip::tcp::socket` first of all), usable wherever Asio and
/// Boost.Beast take an AsyncStream or a SyncStream.
///
/// Header-only: only this header includes Boost, so the tern library itself does not depend
/// on it. Written against Boost 1.74 (Debian 12) and C++20.
///
/// @code
/// auto config = std::make_shared<tern::ClientConfig>();
/// config->server_name = "example.org";
/// tern::asio::stream<boost::asio::ip::tcp::socket> tls(io_context, config);
/// co_await tls.next_layer().async_connect(endpoint, boost::asio::use_awaitable);
/// co_await tls.async_handshake(boost::asio::use_awaitable);
/// co_await boost::beast::http::async_write(tls, request, boost::asio::use_awaitable);
/// @endcode
///
/// Operations are built with `boost::asio::async_compose`, so every completion token works:
/// callbacks, `use_future`, `use_awaitable`, `yield_context`. The role comes from the config
/// the stream is made with (a ClientConfig makes a client, a ServerConfig a server), and so
/// does the client's SNI (ClientConfig::server_name).
///
/// **Errors** are `boost::system::error_code`s. A failure of tern (a rejected certificate, an
/// alert from the peer, a protocol error) is in tern's category: `ec.category() ==
/// tern::asio::error_category()`, `ec == tern::asio::error::certificate` (the value is
/// tern::Errc + 1), and `ec.message()` is tern's own sentence ("no path to a trusted root for
/// ... (alert unknown_ca)"). To carry that sentence, each distinct message gets its own
/// category object, equal (by id) to error_category(); the first 1024 distinct messages are
/// kept for the life of the process, later ones fall back to a generic text (last_error()
/// always has the whole tern::Error). Failures of the next layer (a reset connection,
/// `operation_aborted`) are passed through unchanged.
///
/// **Closing.** A close_notify from the peer ends reads with `boost::asio::error::eof`: that
/// is what Beast's HTTP parser expects of a stream that ended cleanly (a message cut short
/// becomes `http::error::partial_message`, an idle connection `http::error::end_of_stream`).
/// A TCP close *without* close_notify is `tern::asio::error::stream_truncated`, the
/// counterpart of `boost::asio::ssl::error::stream_truncated` (not that code itself: its
/// header pulls in OpenSSL's). As with asio::ssl::stream, a server that has sent its whole
/// response may treat stream_truncated from async_shutdown() as harmless: many clients close
/// TCP without answering close_notify.
///
/// **Cancellation.** cancel() cancels the next layer's pending operations; the tern operation
/// waiting on them completes with `boost::asio::error::operation_aborted`. On Boost 1.77 and
/// later (which have per-operation cancellation), a cancellation slot bound to the
/// completion token reaches the next layer's operation the same way, since async_compose
/// passes it on. A connection whose write was cancelled half-way cannot be used further.
///
/// **Concurrency.** As with asio::ssl::stream: one read (async_read_some) and one write-side
/// operation (async_write_some, async_handshake, async_shutdown) may be pending at a time,
/// on one strand; the handshake completes before either starts. A read never writes except
/// to send the alert of a failure; what the peer's messages ask of us (a KeyUpdate answer)
/// goes out with the next write.
#pragma once

#include <algorithm>
#include <array>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tern/result.h"
#include "tern/tls.h"

namespace tern::asio {

/// The error codes of tern's category: tern::Errc + 1, and stream_truncated.
enum class error : int {
  decode = 1,              ///< Errc::decode: malformed input
  unsupported,             ///< Errc::unsupported
  crypto,                  ///< Errc::crypto: a signature, MAC or decryption failed
  certificate,             ///< Errc::certificate: the peer's chain was rejected
  protocol,                ///< Errc::protocol: the peer broke the protocol (or sent an alert)
  io,                      ///< Errc::io
  usage,                   ///< Errc::usage: e.g. reading before the handshake
  internal,                ///< Errc::internal
  stream_truncated = 100,  ///< the peer closed TCP without close_notify
};

/// @cond INTERNAL
namespace detail {
// "tern-tls" in ASCII: every category object of tern compares equal by this id.
inline constexpr unsigned long long kCategoryId = 0x7465726e2d746c73ULL;

inline std::string generic_message(int value) {
  switch (static_cast<error>(value)) {
    case error::decode: return "tern: malformed TLS input";
    case error::unsupported: return "tern: not supported";
    case error::crypto: return "tern: a cryptographic check failed";
    case error::certificate: return "tern: the certificate was rejected";
    case error::protocol: return "tern: TLS protocol error";
    case error::io: return "tern: I/O error";
    case error::usage: return "tern: operation not allowed in this state";
    case error::internal: return "tern: internal error";
    case error::stream_truncated:
      return "the peer closed the connection without close_notify (stream truncated)";
  }
  return "tern: unknown error";
}

// One object per distinct message text (or none: the generic texts); all equal by id.
// error_category's destructor is protected and not virtual, by Boost's design; a category
// is only ever destroyed as itself (final), so -Wnon-virtual-dtor is silenced here.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#endif
class category final : public boost::system::error_category {
 public:
  explicit category(std::string text = {}) : error_category(kCategoryId), text_(std::move(text)) {}
  const char* name() const noexcept override { return "tern"; }
  std::string message(int value) const override {
    return text_.empty() ? generic_message(value) : text_;
  }

 private:
  std::string text_;
};
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

inline const category& generic_category() {
  static const category instance;
  return instance;
}

// The category whose message() is `text`: made once per text, kept for the process's life.
inline const boost::system::error_category& category_for(const std::string& text) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<category>> categories;
  std::lock_guard lock(mutex);
  auto it = categories.find(text);
  if (it != categories.end()) return *it->second;
  if (categories.size() >= 1024) return generic_category();
  return *categories.emplace(text, std::make_unique<category>(text)).first->second;
}
}  // namespace detail
/// @endcond

/// tern's error category, for comparisons: `ec.category() == tern::asio::error_category()`.
inline const boost::system::error_category& error_category() { return detail::generic_category(); }

/// An error_code of tern's category with the generic message of `e`.
inline boost::system::error_code make_error_code(error e) {
  return {static_cast<int>(e), error_category()};
}

/// The error_code of a tern::Error: its kind (Errc + 1) in tern's category, and its message
/// as tern prints it (the sentence, then the alert in parentheses).
inline boost::system::error_code make_error_code(const tern::Error& e) {
  std::ostringstream text;
  text << e;
  return {static_cast<int>(e.code) + 1, detail::category_for(text.str())};
}

}  // namespace tern::asio

/// @cond INTERNAL
namespace boost::system {
template <>
struct is_error_code_enum<tern::asio::error> : std::true_type {};
}  // namespace boost::system
/// @endcond

namespace tern::asio {

/// A TLS stream over the Asio stream `NextLayer` (see the description of this file).
/// `NextLayer` may be a reference type to use a stream owned elsewhere.
template <class NextLayer>
class stream {
 public:
  /// The next layer's type, without a reference.
  using next_layer_type = std::remove_reference_t<NextLayer>;
  /// The executor of the next layer, on which the operations run.
  using executor_type = typename next_layer_type::executor_type;

  /// A client: the next layer is made from `arg` (an io_context, an executor, a socket to
  /// move in), the TLS connection from `config` (its server_name is the SNI and the name
  /// checked). An invalid config fails the first operation, and last_error() says why.
  template <class Arg>
  stream(Arg&& arg, std::shared_ptr<const ClientConfig> config)
      : next_(std::forward<Arg>(arg)), rbuf_(kReadSize) {
    if (!config) {
      fail_construction("tern::asio::stream: no ClientConfig");
      return;
    }
    auto conn = ClientConnection::create(*config);
    if (!conn) {
      fail_construction(std::move(conn).error());
      return;
    }
    conn_ = std::move(*conn);
  }
  /// A server: as above, with a ServerConfig shared by all connections.
  template <class Arg>
  stream(Arg&& arg, std::shared_ptr<const ServerConfig> config)
      : next_(std::forward<Arg>(arg)), rbuf_(kReadSize) {
    if (!config) {
      fail_construction("tern::asio::stream: no ServerConfig");
      return;
    }
    auto conn = ServerConnection::create(std::move(config));
    if (!conn) {
      fail_construction(std::move(conn).error());
      return;
    }
    conn_ = std::move(*conn);
  }

  stream(stream&&) = default;  ///< Only while no operation is pending.
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;

  /// The executor of the next layer.
  executor_type get_executor() noexcept { return next_.get_executor(); }
  /// @{
  /// The stream TLS runs over.
  next_layer_type& next_layer() noexcept { return next_; }
  const next_layer_type& next_layer() const noexcept { return next_; }
  /// @}
  /// The lowest layer (the socket), when the next layer has one.
  // clang-format off
  decltype(auto) lowest_layer()
    requires requires(next_layer_type& n) { n.lowest_layer(); }
  {
    return next_.lowest_layer();
  }
  // clang-format on

  /// The TLS connection: what was negotiated (version_name(), cipher_suite_name(), alpn(),
  /// peer_chain(), ...). Null only when the config was refused (see last_error()).
  tern::Connection* connection() noexcept { return conn_.get(); }
  /// The same, read-only.
  const tern::Connection* connection() const noexcept { return conn_.get(); }
  /// The last tern failure an operation completed with, whole (kind, alert, sentence).
  const std::optional<tern::Error>& last_error() const noexcept { return last_error_; }

  /// Cancels the next layer's pending operations (when it has cancel()): the pending tern
  /// operations complete with boost::asio::error::operation_aborted.
  // clang-format off
  void cancel()
    requires requires(next_layer_type& n) { n.cancel(); }
  {
    next_.cancel();
  }
  // clang-format on

  /// Runs the handshake; completes with `void(boost::system::error_code)`.
  template <class CompletionToken>
  auto async_handshake(CompletionToken&& token) {
    return start<void(boost::system::error_code)>(handshake_core{}, token);
  }
  /// Reads some plaintext into `buffers`; completes with `void(error_code, std::size_t)`.
  /// boost::asio::error::eof once the peer has sent close_notify.
  template <class MutableBufferSequence, class CompletionToken>
  auto async_read_some(const MutableBufferSequence& buffers, CompletionToken&& token) {
    return start<void(boost::system::error_code, std::size_t)>(
        read_core<MutableBufferSequence>{buffers}, token);
  }
  /// Encrypts and sends some of `buffers` (at most 64 KiB); completes with
  /// `void(error_code, std::size_t)` once those bytes are handed to the next layer.
  template <class ConstBufferSequence, class CompletionToken>
  auto async_write_some(const ConstBufferSequence& buffers, CompletionToken&& token) {
    return start<void(boost::system::error_code, std::size_t)>(
        write_core<ConstBufferSequence>{buffers}, token);
  }
  /// Sends close_notify, then waits for the peer's; completes with
  /// `void(boost::system::error_code)`: stream_truncated if the peer closed TCP instead.
  /// Plaintext that arrives before the peer's close_notify is discarded; to read it, read
  /// until eof first. No read may be pending meanwhile.
  template <class CompletionToken>
  auto async_shutdown(CompletionToken&& token) {
    return start<void(boost::system::error_code)>(shutdown_core{}, token);
  }

  /// @{
  /// The blocking forms: the same steps, on the next layer's blocking calls.
  void handshake(boost::system::error_code& ec) { ec = run_sync(handshake_core{}).first; }
  void handshake() { throw_if(run_sync(handshake_core{}).first, "handshake"); }
  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers, boost::system::error_code& ec) {
    auto [e, n] = run_sync(read_core<MutableBufferSequence>{buffers});
    ec = e;
    return n;
  }
  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers) {
    auto [e, n] = run_sync(read_core<MutableBufferSequence>{buffers});
    throw_if(e, "read_some");
    return n;
  }
  template <class ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
    auto [e, n] = run_sync(write_core<ConstBufferSequence>{buffers});
    ec = e;
    return n;
  }
  template <class ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers) {
    auto [e, n] = run_sync(write_core<ConstBufferSequence>{buffers});
    throw_if(e, "write_some");
    return n;
  }
  void shutdown(boost::system::error_code& ec) { ec = run_sync(shutdown_core{}).first; }
  void shutdown() { throw_if(run_sync(shutdown_core{}).first, "shutdown"); }
  /// @}

 private:
  static constexpr std::size_t kReadSize = 17 * 1024;  // one full record and its header
  static constexpr std::size_t kMaxWrite = 64 * 1024;  // plaintext taken per write_some

  // What an operation needs next.
  enum class want { done, input, output };
  struct step {
    want what = want::done;
    boost::system::error_code ec;
    std::size_t n = 0;
  };

  void fail_construction(tern::Error e) { last_error_ = std::move(e); }
  void fail_construction(const char* text) { last_error_ = tern::Error(Errc::usage, text); }

  // Completes with a tern failure: kept in last_error_, returned as its error_code.
  step fail(const tern::Error& e) {
    last_error_ = e;
    return {want::done, make_error_code(e), 0};
  }
  static step done(boost::system::error_code ec = {}, std::size_t n = 0) {
    return {want::done, ec, n};
  }
  static step need(want what) { return {what, {}, 0}; }
  // The checks every operation makes first: no connection, or one that failed. A failed
  // connection's alert goes out first, unless a write is already under way.
  std::optional<step> broken() {
    if (!conn_)
      return fail(last_error_ ? *last_error_ : tern::Error(Errc::internal, "no connection"));
    if (conn_->error()) {
      if (conn_->wants_write() && !writing_) return need(want::output);
      return fail(*conn_->error());
    }
    return std::nullopt;
  }
  step truncated(const char* during) {
    std::string text = "the peer closed the TCP connection";
    if (*during) text = text + " " + during;
    return fail_truncated(text + " without close_notify");
  }
  step fail_truncated(std::string text) {
    last_error_ = tern::Error(Errc::io, text);
    return {want::done, {static_cast<int>(error::stream_truncated), detail::category_for(text)}, 0};
  }

  struct handshake_core {
    step operator()(stream& s) const {
      if (auto b = s.broken()) return *b;
      if (s.conn_->wants_write()) return need(want::output);
      if (s.conn_->handshake_done()) return done();
      if (s.tcp_eof_) return s.truncated("during the handshake");
      return need(want::input);
    }
  };

  template <class Buffers>
  struct read_core {
    Buffers buffers;
    step operator()(stream& s) const {
      if (boost::asio::buffer_size(buffers) == 0) return done();
      if (!s.conn_) return *s.broken();
      if (s.conn_->readable() > 0) {  // plaintext already received comes first
        std::size_t total = 0;
        for (auto it = boost::asio::buffer_sequence_begin(buffers);
             it != boost::asio::buffer_sequence_end(buffers); ++it) {
          boost::asio::mutable_buffer b(*it);
          std::size_t got = s.conn_->read({static_cast<uint8_t*>(b.data()), b.size()});
          total += got;
          if (got < b.size()) break;
        }
        return done({}, total);
      }
      if (auto b = s.broken()) return *b;
      if (s.conn_->peer_closed()) return done(boost::asio::error::eof);
      if (!s.conn_->handshake_done())
        return s.fail(tern::Error(Errc::usage, "async_read_some before the handshake is done"));
      if (s.tcp_eof_) return s.truncated("");
      return need(want::input);
    }
  };

  template <class Buffers>
  struct write_core {
    Buffers buffers;
    bool queued = false;
    std::size_t n = 0;
    step operator()(stream& s) {
      if (auto b = s.broken()) return *b;
      if (!queued) {
        queued = true;
        if (!s.conn_->handshake_done())
          return s.fail(tern::Error(Errc::usage, "async_write_some before the handshake is done"));
        std::vector<uint8_t> plain(std::min(boost::asio::buffer_size(buffers), kMaxWrite));
        if (plain.empty()) return done();
        boost::asio::buffer_copy(boost::asio::buffer(plain), buffers);
        if (auto w = s.conn_->write(plain); !w) return s.fail(w.error());
        n = plain.size();
      }
      if (s.conn_->wants_write()) return need(want::output);
      return done({}, n);
    }
  };

  struct shutdown_core {
    bool sent = false;
    step operator()(stream& s) {
      if (auto b = s.broken()) return *b;
      if (!sent) {
        sent = true;
        s.conn_->close();
      }
      if (s.conn_->wants_write()) return need(want::output);
      uint8_t discard[4096];  // what the peer still sends before its close_notify
      while (s.conn_->read(discard) > 0) {
      }
      if (s.conn_->peer_closed()) return done();
      if (s.tcp_eof_) return s.truncated("after our close_notify");
      return need(want::input);
    }
  };

  // A write to the next layer failed. If the connection had failed already (its alert was
  // being sent to a peer that had gone), tern's error says more than the socket's.
  step write_failed(const boost::system::error_code& ec) {
    if (conn_ && conn_->error()) return fail(*conn_->error());
    return done(ec);
  }

  // Bytes from the next layer into the connection; a failure stays in conn_->error().
  void feed(std::size_t n) { (void)conn_->feed(BytesView(rbuf_.data(), n)); }
  // Moves the connection's output into wbuf_, which stays put while it is written.
  void take_output() {
    auto out = conn_->pending_output();
    wbuf_.assign(out.begin(), out.end());
    conn_->consume_output(out.size());
  }

  // The composed operation: runs Core's steps, reading and writing the next layer.
  template <class Core, bool WithSize>
  struct io_op {
    stream& s;
    Core core;
    enum { starting, reading, writing, finishing } state = starting;
    step result{};

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0) {
      switch (state) {
        case starting: break;
        case reading:
          if (ec == boost::asio::error::eof)
            s.tcp_eof_ = true;
          else if (ec)
            return finish(self, done(ec));
          else
            s.feed(n);
          break;
        case writing:
          s.writing_ = false;
          s.wbuf_.clear();
          if (ec) return finish(self, s.write_failed(ec));
          break;
        case finishing: return finish(self, result);
      }
      step next = core(s);
      switch (next.what) {
        case want::done:
          if (state == starting) {  // never complete inside the initiating function
            state = finishing;
            result = next;
            return boost::asio::post(std::move(self));
          }
          return finish(self, next);
        case want::input:
          state = reading;
          return s.next_.async_read_some(boost::asio::buffer(s.rbuf_), std::move(self));
        case want::output:
          state = writing;
          s.writing_ = true;
          s.take_output();
          return boost::asio::async_write(s.next_, boost::asio::buffer(s.wbuf_), std::move(self));
      }
    }

    template <class Self>
    void finish(Self& self, const step& r) {
      if constexpr (WithSize)
        self.complete(r.ec, r.ec ? 0 : r.n);
      else
        self.complete(r.ec);
    }
  };

  template <class Signature, class Core, class Token>
  auto start(Core core, Token& token) {
    constexpr bool with_size = !std::is_same_v<Signature, void(boost::system::error_code)>;
    return boost::asio::async_compose<Token, Signature>(
        io_op<Core, with_size>{*this, std::move(core)}, token, next_);
  }

  // The blocking driver of the same steps.
  template <class Core>
  std::pair<boost::system::error_code, std::size_t> run_sync(Core core) {
    for (;;) {
      step next = core(*this);
      boost::system::error_code ec;
      switch (next.what) {
        case want::done: return {next.ec, next.ec ? 0 : next.n};
        case want::input: {
          std::size_t n = next_.read_some(boost::asio::buffer(rbuf_), ec);
          if (ec == boost::asio::error::eof)
            tcp_eof_ = true;
          else if (ec)
            return {ec, 0};
          else
            feed(n);
          break;
        }
        case want::output:
          take_output();
          boost::asio::write(next_, boost::asio::buffer(wbuf_), ec);
          wbuf_.clear();
          if (ec) return {write_failed(ec).ec, 0};
          break;
      }
    }
  }

  static void throw_if(const boost::system::error_code& ec, const char* what) {
    if (ec) throw boost::system::system_error(ec, what);
  }

  NextLayer next_;
  std::unique_ptr<tern::Connection> conn_;
  std::optional<tern::Error> last_error_;
  std::vector<uint8_t> rbuf_;  // bytes read from the next layer, fed at once
  std::vector<uint8_t> wbuf_;  // bytes being written to the next layer
  bool writing_ = false;       // a write of wbuf_ is under way
  bool tcp_eof_ = false;       // the next layer reported end of stream
};

}  // namespace tern::asio
