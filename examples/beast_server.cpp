// SPDX-License-Identifier: Apache-2.0
// An HTTPS server on Boost.Beast over tern::asio::stream, in the classic callback style:
// accept, TLS handshake, then HTTP/1.1 requests (keep-alive) answered with a small page that
// says what this connection negotiated, then close_notify.
//
//   example_beast_server --cert fullchain.pem --key key.pem [--bind 127.0.0.1] [--port 8443]
//
// --port 0 picks a free port. The first line on stdout is "listening on ADDRESS:PORT"; each
// request adds a line "GET /path 200 TLS 1.3 ...", a failed connection a line on stderr with
// tern's message. SIGINT/SIGTERM stop it. Exit status: 0 stopped cleanly, 1 the server
// failed, 2 bad arguments or files.
#include <tern/asio.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;

namespace {

// One connection: it keeps itself alive through the shared_ptr each handler holds.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<const tern::ServerConfig> config)
      : tls_(std::move(socket), std::move(config)) {}

  void start() {
    peer_ = tls_.next_layer().remote_endpoint(ignored_);
    tls_.async_handshake([self = shared_from_this()](error_code ec) {
      if (ec) return self->fail("handshake", ec);
      self->read_request();
    });
  }

 private:
  void read_request() {
    request_ = {};
    http::async_read(tls_, buffer_, request_,
                     [self = shared_from_this()](error_code ec, std::size_t) {
                       // The client closed (close_notify) between requests: close too.
                       if (ec == http::error::end_of_stream) return self->shutdown();
                       // The client closed TCP between requests without close_notify, as
                       // curl and browsers do with idle connections: nothing was lost.
                       if (ec == tern::asio::error::stream_truncated) return;
                       if (ec) return self->fail("read", ec);
                       self->respond();
                     });
  }

  void respond() {
    const tern::Connection& conn = *tls_.connection();
    std::string what = conn.version_name() + ", " + conn.cipher_suite_name() + ", " +
                       conn.group_name() + ", ALPN " +
                       (conn.alpn().empty() ? std::string("none") : conn.alpn());
    auto response =
        std::make_shared<http::response<http::string_body>>(http::status::ok, request_.version());
    response->set(http::field::server, "tern-beast-example");
    response->set(http::field::content_type, "text/html; charset=utf-8");
    response->keep_alive(request_.keep_alive());
    response->body() =
        "<!DOCTYPE html>\n<html><head><title>Beast on tern</title></head><body>\n"
        "<p id=\"served\">served by Beast over tern: " +
        what +
        "</p>\n"
        "</body></html>\n";
    response->prepare_payload();
    std::cout << request_.method_string() << " " << request_.target() << " 200 " << what
              << std::endl;
    http::async_write(tls_, *response,
                      [self = shared_from_this(), response](error_code ec, std::size_t) {
                        if (ec) return self->fail("write", ec);
                        if (!response->keep_alive()) return self->shutdown();
                        self->read_request();
                      });
  }

  void shutdown() {
    tls_.async_shutdown([self = shared_from_this()](error_code ec) {
      // A client that closes TCP without answering our close_notify (curl does) is fine:
      // everything was sent.
      if (ec && ec != tern::asio::error::stream_truncated && ec != net::error::eof)
        self->fail("shutdown", ec);
    });
  }

  void fail(const char* what, const error_code& ec) {
    std::cerr << peer_ << ": " << what << " failed: " << ec.message() << "\n";
  }

  tern::asio::stream<tcp::socket> tls_;
  boost::beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  tcp::endpoint peer_;
  error_code ignored_;
};

void accept(tcp::acceptor& acceptor, std::shared_ptr<const tern::ServerConfig> config) {
  acceptor.async_accept([&acceptor, config](error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;  // stopped
    if (!ec) std::make_shared<Session>(std::move(socket), config)->start();
    accept(acceptor, config);
  });
}

int usage() {
  std::cerr << "usage: example_beast_server --cert FULLCHAIN --key KEY [--bind ADDRESS] "
               "[--port PORT]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cert, key, bind = "127.0.0.1", port = "8443";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return usage();
    if (arg == "--cert")
      cert = argv[++i];
    else if (arg == "--key")
      key = argv[++i];
    else if (arg == "--bind")
      bind = argv[++i];
    else if (arg == "--port")
      port = argv[++i];
    else
      return usage();
  }
  if (cert.empty() || key.empty()) return usage();
  char* end = nullptr;
  unsigned long port_number = std::strtoul(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || port_number > 65535) return usage();

  auto certified = tern::CertifiedKey::load(cert, key);
  if (!certified) {
    std::cerr << "example_beast_server: " << certified.error() << "\n";
    return 2;
  }
  auto config = std::make_shared<tern::ServerConfig>();
  config->certificates.push_back(std::move(*certified));
  config->alpn = {"http/1.1"};

  try {
    net::io_context io;
    tcp::acceptor acceptor(
        io, tcp::endpoint(net::ip::make_address(bind), static_cast<unsigned short>(port_number)));
    std::cout << "listening on " << acceptor.local_endpoint() << std::endl;
    accept(acceptor, config);
    net::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](error_code, int) {
      acceptor.close();
      io.stop();  // connections still open are dropped
    });
    io.run();
  } catch (const std::exception& e) {
    std::cerr << "example_beast_server: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "stopped\n";
  return 0;
}
