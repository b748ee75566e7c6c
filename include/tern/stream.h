// SPDX-License-Identifier: Apache-2.0
/// @file
/// A blocking TLS client stream over TCP: resolve, connect (IPv4 and IPv6, each address in
/// turn, with a timeout), handshake, then read and write plaintext with an I/O timeout.
///
/// @code
/// tern::ClientConfig config;  config.server_name = "example.org";
/// auto stream = tern::Stream::connect("example.org", 443, config);
/// (*stream)->write("GET / HTTP/1.1\r\n...");  (*stream)->read(buffer);  (*stream)->close();
/// @endcode
///
/// Errors keep their kind: Errc::io for names, connections and timeouts (the message names
/// the host and address), Errc::certificate when the server's chain is rejected, the TLS
/// kinds (protocol, crypto, unsupported, decode) for handshake and record failures.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tern/export.h"
#include "tern/tls.h"

namespace tern {

/// Timeouts, and the address to connect to, for Stream::connect().
struct StreamOptions {
  std::chrono::milliseconds connect_timeout{10'000};  ///< per address tried
  std::chrono::milliseconds io_timeout{30'000};       ///< any wait for the peer
  /// When set, no wait goes past it: a limit on the whole connection (curl's --max-time).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  /// Connect to this address instead of resolving the host (curl's --resolve); the host
  /// still names the server for SNI and the certificate check.
  std::string connect_address;
  /// Bytes connect() sends: as TLS 1.3 0-RTT data with the ClientHello when the config
  /// allows it (ClientConfig::early_data and a resumed session whose ticket allows it),
  /// else, and for what does not fit, right after the handshake. Either way all of it is
  /// sent once connect() returns (Stream::early_data_sent() tells how much went early).
  /// Early data may be replayed by an attacker: only what is safe to repeat.
  Bytes early_data;
};

/// A blocking TLS client over TCP (see the description of this file).
class TERN_API Stream {
 public:
  /// Resolves `host`, connects to its addresses in turn, and runs the handshake. An
  /// empty `config.server_name` becomes `host` (unless verification is off).
  static Result<std::unique_ptr<Stream>> connect(const std::string& host, uint16_t port,
                                                 ClientConfig config, StreamOptions options = {});
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  /// Up to out.size() bytes of plaintext; 0 once the server has closed with close_notify.
  /// A TCP close without close_notify is an error (the data may have been truncated).
  Result<size_t> read(std::span<uint8_t> out);
  /// Sends plaintext, blocking until it is all handed to the socket.
  Result<void> write(BytesView plaintext);
  /// write() of a string's bytes.
  Result<void> write(std::string_view text) {
    return write(BytesView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  }
  /// Sends close_notify; reads may continue until the server closes (half-close).
  Result<void> close();

  /// @{
  /// The TLS connection: what was negotiated, the server's chain.
  const Connection& connection() const { return *tls_; }
  Connection& connection() { return *tls_; }
  /// @}
  const std::string& peer_address() const { return peer_; }  ///< "93.184.215.14:443"
  /// When the TCP connection was established, before the TLS handshake began (what curl's
  /// %{time_connect} measures).
  std::chrono::steady_clock::time_point tcp_connected_at() const { return tcp_connected_at_; }
  /// The socket, for callers that poll it themselves (see pump()).
  int fd() const { return fd_; }
  /// Bytes of StreamOptions::early_data sent as 0-RTT data; connection().early_data_accepted()
  /// tells whether the server took them (if not, they were sent again after the handshake).
  size_t early_data_sent() const { return early_data_sent_; }
  /// Waits for and processes whatever the socket has (for callers that poll fd() themselves).
  /// Returns false once the TCP connection is closed.
  Result<bool> pump();

 private:
  Stream(int fd, std::string peer, std::unique_ptr<ClientConnection> tls, StreamOptions options);
  Result<void> flush();
  Result<bool> receive();  ///< false: EOF
  /// io_timeout, or less if the deadline is nearer; Errc::io once the deadline has passed.
  Result<int> wait_ms() const;

  int fd_;
  std::string peer_;
  std::unique_ptr<ClientConnection> tls_;
  StreamOptions options_;
  // Made right after the TCP connect, so construction time is connection time.
  std::chrono::steady_clock::time_point tcp_connected_at_ = std::chrono::steady_clock::now();
  bool eof_ = false;
  size_t early_data_sent_ = 0;
};

}  // namespace tern
