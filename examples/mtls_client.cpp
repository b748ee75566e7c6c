// SPDX-License-Identifier: Apache-2.0
// A mutual-TLS client: it verifies the server as usual and presents a client certificate
// (ClientConfig::client_certificate) when the server asks for one. Then one HTTP/1.1 GET
// over tern::Stream, the response printed to stdout.
//
//   example_mtls_client HOST PORT --cert CLIENT-CHAIN.pem --key CLIENT-KEY.pem
//                       [--cafile ROOTS.pem] [--path /]
//
// The client certificate needs extendedKeyUsage clientAuth (`tern ca issue --client NAME`
// makes one). Exit status: 0 success, 1 the connection or the server failed, 2 bad
// arguments or files.
#include <tern/stream.h>
#include <tern/x509.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>

namespace {

int usage() {
  std::cerr << "usage: example_mtls_client HOST PORT --cert CHAIN.pem --key KEY.pem "
               "[--cafile ROOTS.pem] [--path /]\n";
  return 2;
}

int fail(const tern::Error& error, int status = 1) {
  std::cerr << "example_mtls_client: " << error << "\n";  // detail, then the alert if any
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  std::string host = argv[1], cert, key, cafile, path = "/";
  int port = std::atoi(argv[2]);
  std::map<std::string, std::string*> flags = {
      {"--cert", &cert}, {"--key", &key}, {"--cafile", &cafile}, {"--path", &path}};
  for (int i = 3; i < argc; i += 2) {
    auto flag = flags.find(argv[i]);
    if (flag == flags.end() || i + 1 == argc) return usage();
    *flag->second = argv[i + 1];
  }
  if (port <= 0 || port > 65535 || cert.empty() || key.empty()) return usage();

  tern::ClientConfig config;
  config.server_name = host;
  config.alpn = {"http/1.1"};
  if (!cafile.empty()) {  // the roots the server's chain must lead to; default: the system's
    auto roots = tern::TrustStore::load(cafile);
    if (!roots) return fail(roots.error(), 2);
    config.trust_store = std::make_shared<const tern::TrustStore>(std::move(*roots));
  }

  // Our own chain (leaf first, then any intermediates the server may not have) and its key.
  // load() fails, naming the file, if either does not parse or the key is not the leaf's.
  auto mine = tern::CertifiedKey::load(cert, key);
  if (!mine) return fail(mine.error(), 2);
  config.client_certificate = std::move(*mine);
  // That is all: the key is used only if the server sends a CertificateRequest. Without a
  // client_certificate, tern declines such a request with an empty Certificate message and
  // the server decides whether to go on.

  tern::StreamOptions options;
  options.connect_timeout = std::chrono::seconds(5);
  options.io_timeout = std::chrono::seconds(10);
  auto stream = tern::Stream::connect(host, static_cast<uint16_t>(port), config, options);
  if (!stream) return fail(stream.error());
  tern::Stream& s = **stream;

  // Whom we are talking to: the server's leaf certificate, as verified.
  const tern::Connection& tls = s.connection();
  std::cerr << "connected to " << s.peer_address() << ": " << tls.version_name() << ", "
            << tls.cipher_suite_name() << "\n";
  if (!tls.peer_chain().empty()) {
    if (auto leaf = tern::Certificate::parse_all(tls.peer_chain().front()); leaf && !leaf->empty())
      std::cerr << "server certificate: " << leaf->front().info().subject << "\n";
  }

  // In TLS 1.3 the client's handshake ends before the server has checked our certificate:
  // a server that refuses it says so with an alert that arrives on the first read (for
  // example "certificate_required" or "unknown_ca"), so a refusal shows up there, not in
  // connect(). In TLS 1.2 it shows up in connect().
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host +
                        "\r\nUser-Agent: tern-example\r\nConnection: close\r\n\r\n";
  if (auto sent = s.write(request); !sent) return fail(sent.error());
  uint8_t buffer[16 * 1024];
  for (;;) {
    auto n = s.read(buffer);
    if (!n) return fail(n.error());
    if (*n == 0) break;  // close_notify: the whole response is here
    std::cout.write(reinterpret_cast<const char*>(buffer), static_cast<std::streamsize>(*n));
  }
  std::cout.flush();
  (void)s.close();
  return 0;
}
