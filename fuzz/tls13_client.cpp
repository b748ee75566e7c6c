// Fuzzes the TLS 1.3 client engine with arbitrary server bytes: after the ClientHello it is
// fed the input in chunks whose sizes come from the first byte. Must never crash, hang or
// read out of bounds; every failure must leave the connection closed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tern/tls.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  if (size == 0) return 0;
  ClientConfig config;
  config.server_name = "localhost";
  config.insecure_skip_verify = true;  // let certificate bytes reach CertificateVerify
  config.random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0x42); };
  config.key_share_private_key = [](uint16_t) { return Bytes(32, 0x11); };
  config.key_share_groups = {tls::kX25519, tls::kSecp256r1};
  config.alpn = {"h2", "http/1.1"};
  auto client = ClientConnection::create(config);
  if (!client) abort();
  Connection& conn = **client;
  conn.consume_output(conn.pending_output().size());
  size_t chunk = data[0] ? data[0] : size;
  BytesView input(data + 1, size - 1);
  while (!input.empty()) {
    size_t n = std::min(chunk, input.size());
    auto fed = conn.feed(input.first(n));
    input = input.subspan(n);
    conn.consume_output(conn.pending_output().size());
    if (!fed) {
      if (!conn.closed()) abort();
      break;
    }
  }
  uint8_t buf[256];
  while (conn.read(buf) != 0) {
  }
  return 0;
}
