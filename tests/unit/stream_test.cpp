// SPDX-License-Identifier: Apache-2.0
// tern::Stream (src/net/stream.cpp) against tern::Server on loopback, and its errors.
#include "tern/stream.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "tern/server.h"
#include "tls13_test_util.h"

namespace tern::testing {
namespace {

using namespace std::chrono_literals;

// Answers each chunk with the same bytes; closes when the client does.
class Echo : public ConnectionHandler {
 public:
  void on_data(Session& s) override {
    uint8_t buf[4096];
    while (size_t n = s.read(buf)) (void)s.write(BytesView(buf, n));
    if (s.peer_closed()) s.close();
  }
};

struct EchoServer {
  EchoServer() {
    ServerOptions options;
    options.port = 0;
    auto listening =
        Server::listen(test_server_config(), options, [] { return std::make_unique<Echo>(); });
    if (!listening) throw std::runtime_error(listening.error().detail);
    server = std::move(*listening);
    thread = std::thread([this] { (void)server->run(); });
  }
  ~EchoServer() {
    server->stop();
    thread.join();
  }
  std::unique_ptr<Server> server;
  std::thread thread;
};

TEST(Stream, RoundTripAndCleanClose) {
  EchoServer echo;
  StreamOptions options;
  options.connect_address = "127.0.0.1";
  auto stream = Stream::connect("localhost", echo.server->port(), test_client_config(), options);
  ASSERT_TRUE(stream) << stream.error().detail;
  EXPECT_EQ((*stream)->peer_address(), "127.0.0.1:" + std::to_string(echo.server->port()));
  EXPECT_EQ((*stream)->connection().version(), tls::kTls13);
  const std::string text(100000, 'q');  // several records each way
  ASSERT_TRUE((*stream)->write(text));
  std::string got;
  uint8_t buf[8192];
  while (got.size() < text.size()) {
    auto n = (*stream)->read(buf);
    ASSERT_TRUE(n) << n.error().detail;
    ASSERT_GT(*n, 0u);
    got.append(reinterpret_cast<char*>(buf), *n);
  }
  EXPECT_EQ(got, text);
  ASSERT_TRUE((*stream)->close());
  auto end = (*stream)->read(buf);  // the server answers close_notify with its own
  ASSERT_TRUE(end) << end.error().detail;
  EXPECT_EQ(*end, 0u);
}

TEST(Stream, RefusedConnectionIsAnIoErrorNamingTheAddress) {
  uint16_t port;
  {
    EchoServer gone;
    port = gone.server->port();
  }
  StreamOptions options;
  options.connect_address = "127.0.0.1";
  auto stream = Stream::connect("localhost", port, test_client_config(), options);
  ASSERT_FALSE(stream);
  EXPECT_EQ(stream.error().code, Errc::io);
  EXPECT_NE(stream.error().detail.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << stream.error().detail;
}

TEST(Stream, BadAddressIsAResolveError) {
  StreamOptions options;
  options.connect_address = "not-an-address";
  auto stream = Stream::connect("localhost", 443, test_client_config(), options);
  ASSERT_FALSE(stream);
  EXPECT_EQ(stream.error().code, Errc::io);
  EXPECT_NE(stream.error().detail.find("cannot resolve"), std::string::npos);
}

TEST(Stream, UntrustedServerIsACertificateError) {
  EchoServer echo;
  ClientConfig config = test_client_config();
  config.trust_store = std::make_shared<TrustStore>();  // trusts nothing
  StreamOptions options;
  options.connect_address = "127.0.0.1";
  auto stream = Stream::connect("localhost", echo.server->port(), config, options);
  ASSERT_FALSE(stream);
  EXPECT_EQ(stream.error().code, Errc::certificate) << stream.error().detail;
}

TEST(Stream, SilentServerTimesOut) {
  // A listening socket that never answers: the handshake wait is bounded by io_timeout.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  StreamOptions options;
  options.connect_address = "127.0.0.1";
  options.io_timeout = 200ms;
  auto stream = Stream::connect("localhost", ntohs(addr.sin_port), test_client_config(), options);
  ::close(fd);
  ASSERT_FALSE(stream);
  EXPECT_NE(stream.error().detail.find("timed out"), std::string::npos) << stream.error().detail;
}

}  // namespace
}  // namespace tern::testing
