// SPDX-License-Identifier: Apache-2.0
// A program that uses tern as its users will: through the installed headers and library
// only. It fetches https://HOST:PORT/ with the roots in CA_FILE and prints the status line,
// the negotiated version and the body.
// Usage: tern_consumer HOST PORT CA_FILE
#include <tern/stream.h>
#include <tern/tls.h>
#include <tern/trace.h>

#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: tern_consumer HOST PORT CA_FILE\n";
    return 2;
  }
  const std::string host = argv[1];
  auto roots = tern::TrustStore::load(argv[3]);
  if (!roots) {
    std::cerr << "tern_consumer: " << roots.error() << "\n";
    return 1;
  }
  tern::ClientConfig config;
  config.server_name = host;
  config.trust_store = std::make_shared<const tern::TrustStore>(std::move(*roots));
  config.alpn = {"http/1.1"};
  auto stream = tern::Stream::connect(host, static_cast<uint16_t>(std::atoi(argv[2])),
                                      std::move(config));
  if (!stream) {
    std::cerr << "tern_consumer: " << stream.error() << "\n";
    return 1;
  }
  auto& s = **stream;
  if (auto w = s.write("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"); !w) {
    std::cerr << "tern_consumer: " << w.error() << "\n";
    return 1;
  }
  std::string response;
  uint8_t buf[4096];
  for (;;) {
    auto n = s.read(buf);
    if (!n) {
      std::cerr << "tern_consumer: " << n.error() << "\n";
      return 1;
    }
    if (*n == 0) break;
    response.append(reinterpret_cast<const char*>(buf), *n);
  }
  std::cout << response.substr(0, response.find("\r\n")) << "\n"
            << "version: " << tern::version_name(s.connection().version()) << "\n"
            << response.substr(response.find("\r\n\r\n") + 4);
  return 0;
}
