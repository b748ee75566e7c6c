// SPDX-License-Identifier: Apache-2.0
// An HTTPS client on Boost.Beast over tern::asio::stream, written as a C++20 coroutine
// (boost::asio::use_awaitable): resolve, connect, TLS handshake, one HTTP/1.1 GET, the
// response printed, close_notify. The TLS stream runs over a beast::tcp_stream, whose
// timeouts bound every step (--timeout SECONDS, default 30).
//
//   example_beast_client https://localhost:8443/index.html --cafile root.pem
//   example_beast_client https://example.org/ --timeout 10
//
// The response (status line, headers, body) goes to stdout, one line about the connection to
// stderr. A failure prints the error's category and message: for TLS failures that is tern's
// category and tern's own sentence. Exit status: 0 success, 1 the connection or the server
// failed, 2 bad arguments or files.
#include <tern/asio.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <string>

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

struct Target {
  std::string host, port = "443", path = "/";
};

// "https://host[:port][/path]": deliberately small, a real program would use a URL library.
bool parse_url(std::string text, Target& target) {
  if (!text.starts_with("https://")) return false;
  text.erase(0, 8);
  if (auto slash = text.find('/'); slash != std::string::npos) {
    target.path = text.substr(slash);
    text.resize(slash);
  }
  if (auto colon = text.rfind(':'); colon != std::string::npos) {
    target.port = text.substr(colon + 1);
    text.resize(colon);
  }
  target.host = text;
  return !target.host.empty() && !target.port.empty();
}

// The whole exchange; a failure is thrown as boost::system::system_error (use_awaitable's
// way), with the error_code of the step that failed.
net::awaitable<void> get(const Target& target, std::shared_ptr<const tern::ClientConfig> config,
                         std::chrono::seconds timeout) {
  auto executor = co_await net::this_coro::executor;
  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(target.host, target.port, net::use_awaitable);

  // TLS over Beast's tcp_stream: its deadline closes the socket when it passes, and the
  // pending operation (ours included) completes with beast::error::timeout.
  tern::asio::stream<boost::beast::tcp_stream> tls(executor, std::move(config));
  auto& tcp_layer = boost::beast::get_lowest_layer(tls);
  tcp_layer.expires_after(timeout);
  auto endpoint = co_await tcp_layer.async_connect(endpoints, net::use_awaitable);
  tcp_layer.expires_after(timeout);
  co_await tls.async_handshake(net::use_awaitable);
  const tern::Connection& conn = *tls.connection();
  std::cerr << "connected to " << endpoint << ": " << conn.version_name() << ", "
            << conn.cipher_suite_name() << ", " << conn.group_name() << "\n";

  http::request<http::empty_body> request(http::verb::get, target.path, 11);
  request.set(http::field::host, target.host);
  request.set(http::field::user_agent, "tern-beast-example");
  request.set(http::field::connection, "close");
  tcp_layer.expires_after(timeout);
  co_await http::async_write(tls, request, net::use_awaitable);

  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  co_await http::async_read(tls, buffer, response, net::use_awaitable);
  std::cout << response << std::flush;

  // close_notify, then the server's. A server that just closes TCP after a "Connection:
  // close" response is common (stream_truncated): the response was whole, so that is fine.
  boost::system::error_code ec;
  tcp_layer.expires_after(timeout);
  co_await tls.async_shutdown(net::redirect_error(net::use_awaitable, ec));
  if (ec && ec != tern::asio::error::stream_truncated && ec != net::error::eof)
    throw boost::system::system_error(ec, "shutdown");
}

int usage() {
  std::cerr << "usage: example_beast_client https://HOST[:PORT][/PATH] [--cafile FILE] "
               "[--timeout SECONDS]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Target target;
  std::string cafile, url;
  long seconds = 30;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--cafile" && i + 1 < argc)
      cafile = argv[++i];
    else if (arg == "--timeout" && i + 1 < argc) {
      char* end = nullptr;
      seconds = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || seconds <= 0) return usage();
    } else if (url.empty() && !arg.starts_with("-"))
      url = arg;
    else
      return usage();
  }
  if (!parse_url(url, target)) return usage();

  auto config = std::make_shared<tern::ClientConfig>();
  config->server_name = target.host;  // the SNI and the name the certificate must match
  config->alpn = {"http/1.1"};
  if (!cafile.empty()) {
    auto roots = tern::TrustStore::load(cafile);
    if (!roots) {
      std::cerr << "example_beast_client: " << roots.error() << "\n";
      return 2;
    }
    config->trust_store = std::make_shared<tern::TrustStore>(std::move(*roots));
  }

  net::io_context io;
  int status = 0;
  // What failed, with its error category: "tern" for TLS, "boost.beast" for a timeout,
  // "system" for the network.
  auto report = [&status](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const boost::system::system_error& e) {
      std::cerr << "example_beast_client: " << e.code().category().name()
                << " error: " << e.code().message() << "\n";
    } catch (const std::exception& e) {
      std::cerr << "example_beast_client: " << e.what() << "\n";
    }
    status = 1;
  };
  net::co_spawn(io, get(target, config, std::chrono::seconds(seconds)), report);
  io.run();
  return status;
}
