// SPDX-License-Identifier: Apache-2.0
// A TLS echo server on tern::Server: every byte a client sends comes back to it. Shows a
// ConnectionHandler (one per connection), back-pressure for a client that sends faster than
// it reads, and stopping cleanly on SIGINT/SIGTERM or after a number of connections.
//
//   example_echo_server --cert fullchain.pem --key key.pem [--bind 127.0.0.1] [--port 8443]
//                       [--exit-after N]
//
// --port 0 picks a free port. The first line on stdout is "listening on ADDRESS:PORT".
// --exit-after N stops the server once N connections have ended (served or failed). Exit
// status: 0 stopped cleanly, 1 the server failed, 2 bad arguments or files.
#include <tern/server.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>

namespace {

// What every connection's handler shares: the server, to stop it, and the count of ended
// connections. Handlers run on the server's event loop thread(s), so the count is atomic.
struct Shared {
  tern::Server* server = nullptr;
  std::atomic<long> ended{0};
  long exit_after = 0;  // 0: run until a signal
};

class Echo : public tern::ConnectionHandler {
 public:
  explicit Echo(Shared& shared) : shared_(shared) {}

  void on_open(tern::Session& session) override {
    std::cerr << session.peer_address() << ": connected, " << session.tls().version_name() << ", "
              << session.tls().cipher_suite_name() << "\n";
  }

  // Plaintext arrived, or the client closed its side.
  void on_data(tern::Session& session) override { echo(session); }
  // The output we waited for has drained: carry on echoing.
  void on_writable(tern::Session& session) override { echo(session); }

  // Called once per connection, also when the handshake failed or a timeout hit.
  void on_close(const std::optional<tern::Error>& error) override {
    if (error) std::cerr << "connection failed: " << *error << "\n";
    if (shared_.exit_after > 0 && ++shared_.ended == shared_.exit_after) shared_.server->stop();
  }

 private:
  void echo(tern::Session& session) {
    uint8_t buffer[16 * 1024];
    // Back-pressure: while a lot is still unsent (the client is not reading), read no more.
    // The server stops reading the socket too, so a client cannot make us hold more.
    while (session.unsent() < kMaxUnsent) {
      size_t n = session.read(buffer);
      if (n == 0) break;
      if (auto written = session.write(tern::BytesView(buffer, n)); !written) {
        std::cerr << session.peer_address() << ": " << written.error() << "\n";
        return session.close();
      }
    }
    if (session.readable() > 0) return session.want_writable();  // on_writable() resumes
    // The client sent close_notify (or hung up) and everything is echoed: close our side
    // too. The server sends our close_notify once the queued output is out.
    if (session.peer_closed()) session.close();
  }

  static constexpr size_t kMaxUnsent = 256 * 1024;
  Shared& shared_;
};

tern::Server* g_server = nullptr;
extern "C" void on_signal(int) {
  if (g_server) g_server->stop();  // async-signal-safe
}

int usage() {
  std::cerr << "usage: example_echo_server --cert CHAIN.pem --key KEY.pem [--bind ADDRESS] "
               "[--port PORT] [--exit-after N]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  tern::ServerOptions options;  // binds 127.0.0.1:8443 by default
  std::string cert, key, port = "8443", exit_after = "0";
  std::map<std::string, std::string*> flags = {{"--cert", &cert},
                                               {"--key", &key},
                                               {"--bind", &options.bind},
                                               {"--port", &port},
                                               {"--exit-after", &exit_after}};
  for (int i = 1; i < argc; i += 2) {
    auto flag = flags.find(argv[i]);
    if (flag == flags.end() || i + 1 == argc) return usage();
    *flag->second = argv[i + 1];
  }
  Shared shared;
  shared.exit_after = std::atol(exit_after.c_str());
  int port_number = std::atoi(port.c_str());
  if (cert.empty() || key.empty() || shared.exit_after < 0 || port_number < 0 ||
      port_number > 65535)
    return usage();
  options.port = static_cast<uint16_t>(port_number);

  // The chain (leaf first) and its key. The error names the file and what is wrong with it,
  // including a key that does not belong to the certificate.
  auto certified = tern::CertifiedKey::load(cert, key);
  if (!certified) {
    std::cerr << "example_echo_server: " << certified.error() << "\n";
    return 2;
  }
  auto config = std::make_shared<tern::ServerConfig>();
  config->certificates.push_back(std::move(*certified));

  // Bounds a client cannot stretch: 5 s for the handshake, 30 s without traffic.
  options.handshake_timeout = std::chrono::seconds(5);
  options.idle_timeout = std::chrono::seconds(30);

  // The factory makes one handler per accepted connection.
  auto server =
      tern::Server::listen(config, options, [&shared] { return std::make_unique<Echo>(shared); });
  if (!server) {
    std::cerr << "example_echo_server: " << server.error() << "\n";  // address and reason
    return 2;
  }
  shared.server = server->get();
  g_server = server->get();
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);  // tern sends with MSG_NOSIGNAL; this covers stdout too
  bool v6 = options.bind.find(':') != std::string::npos;
  std::cout << "listening on " << (v6 ? "[" + options.bind + "]" : options.bind) << ":"
            << (*server)->port() << std::endl;

  auto ran = (*server)->run();  // until stop(); closes every connection before returning
  g_server = nullptr;
  if (!ran) {
    std::cerr << "example_echo_server: " << ran.error() << "\n";
    return 1;
  }
  std::cerr << "stopped\n";
  return 0;
}
