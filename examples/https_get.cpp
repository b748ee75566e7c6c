// SPDX-License-Identifier: Apache-2.0
// A blocking HTTPS client on tern::Stream: connect, handshake, verify the server against a CA
// file (or the system's trusted roots), send one HTTP/1.1 GET and print the response.
//
//   example_https_get https://example.org/
//   example_https_get https://localhost:8443/index.html --cafile root.pem
//   example_https_get localhost 8443 --cafile root.pem          (host and port: GET /)
//
// The response (status line, headers, body) goes to stdout, one line about the connection to
// stderr. Exit status: 0 success, 1 the connection or the server failed, 2 bad arguments or
// files.
#include <tern/stream.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

struct Target {
  std::string host;
  uint16_t port = 443;
  std::string path = "/";
};

bool parse_port(const std::string& text, uint16_t& port) {
  char* end = nullptr;
  unsigned long number = std::strtoul(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || number == 0 || number > 65535) return false;
  port = static_cast<uint16_t>(number);
  return true;
}

// "https://host[:port][/path]", "host[:port]" or "[v6-literal]:port". Deliberately small:
// a real program would use a URL library.
bool parse_target(std::string text, Target& target) {
  if (text.starts_with("https://")) text.erase(0, 8);
  if (auto slash = text.find('/'); slash != std::string::npos) {
    target.path = text.substr(slash);
    text.resize(slash);
  }
  std::string port;
  if (text.starts_with("[")) {  // [::1]:8443
    auto close = text.find(']');
    if (close == std::string::npos) return false;
    target.host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return false;
      port = text.substr(close + 2);
    }
  } else if (auto colon = text.find(':'); colon != std::string::npos) {
    target.host = text.substr(0, colon);
    port = text.substr(colon + 1);
  } else {
    target.host = text;
  }
  if (!port.empty() && !parse_port(port, target.port)) return false;
  return !target.host.empty();
}

int usage() {
  std::cerr << "usage: example_https_get URL [--cafile ROOTS.pem]\n"
               "       example_https_get HOST PORT [--cafile ROOTS.pem]\n";
  return 2;
}

// Errors are shown the way tern prints them: the sentence from Error::detail, then the TLS
// alert if one was sent or received (operator<< on tern::Error does both).
int fail(const tern::Error& error, int status = 1) {
  std::cerr << "example_https_get: " << error << "\n";
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::string cafile;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--cafile" && i + 1 < argc) {
      cafile = argv[++i];
    } else if (arg.starts_with("-")) {
      return usage();
    } else {
      positional.push_back(arg);
    }
  }
  Target target;
  if (positional.size() == 1) {
    if (!parse_target(positional[0], target)) return usage();
  } else if (positional.size() == 2) {
    target.host = positional[0];
    if (!parse_port(positional[1], target.port)) return usage();
  } else {
    return usage();
  }

  // What to trust. Left null, trust_store means the system's roots
  // (/etc/ssl/certs/ca-certificates.crt on Debian).
  tern::ClientConfig config;
  if (!cafile.empty()) {
    auto roots = tern::TrustStore::load(cafile);  // a PEM file or a directory of them
    if (!roots) return fail(roots.error(), 2);    // the message names the file
    config.trust_store = std::make_shared<const tern::TrustStore>(std::move(*roots));
  }
  config.server_name = target.host;  // SNI, and the name the certificate must carry
  config.alpn = {"http/1.1"};

  // Every wait is bounded: 5 s per address to connect, 10 s for anything from the server.
  tern::StreamOptions options;
  options.connect_timeout = std::chrono::seconds(5);
  options.io_timeout = std::chrono::seconds(10);

  // Resolves the host, connects (each address in turn), runs the handshake and verifies the
  // server's chain and name. A rejected certificate is Errc::certificate; an unreachable
  // host or a timeout is Errc::io.
  auto stream = tern::Stream::connect(target.host, target.port, config, options);
  if (!stream) return fail(stream.error());
  tern::Stream& s = **stream;
  const tern::Connection& tls = s.connection();
  std::cerr << "connected to " << s.peer_address() << ": " << tls.version_name() << ", "
            << tls.cipher_suite_name() << ", " << tls.group_name() << "\n";

  // One request; "Connection: close" asks the server to close when the response is complete,
  // so reading until the end of the stream reads exactly one response.
  std::string host_header = target.host.find(':') != std::string::npos
                                ? "[" + target.host + "]"  // an IPv6 literal
                                : target.host;
  if (target.port != 443) host_header += ":" + std::to_string(target.port);
  std::string request = "GET " + target.path + " HTTP/1.1\r\nHost: " + host_header +
                        "\r\nUser-Agent: tern-example\r\nConnection: close\r\n\r\n";
  if (auto sent = s.write(request); !sent) return fail(sent.error());

  uint8_t buffer[16 * 1024];
  for (;;) {
    auto n = s.read(buffer);
    // A TCP close without the server's close_notify is an error: the response may have been
    // cut short by an attacker, and tern will not pretend otherwise. (A program that parses
    // HTTP stops at the end of the body, by Content-Length or the last chunk, instead.)
    if (!n) return fail(n.error());
    if (*n == 0) break;  // the server closed the TLS stream with close_notify: all is here
    std::cout.write(reinterpret_cast<const char*>(buffer), static_cast<std::streamsize>(*n));
  }
  std::cout.flush();
  (void)s.close();  // our close_notify; the server has already closed its side
  return 0;
}
