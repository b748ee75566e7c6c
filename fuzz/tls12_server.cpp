// Fuzzes the TLS 1.2 server engine (ECDHE, Ed25519 certificate) with arbitrary client bytes,
// in chunks whose sizes come from the first byte. Must never crash, hang or read out of
// bounds; every failure must leave the connection closed. After a handshake it also writes
// and closes, so the sealing path runs on fuzzed state.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tls12_configs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  static const std::shared_ptr<const ServerConfig> config = fuzzing::tls12_server_config();
  if (size == 0) return 0;
  auto server = ServerConnection::create(config);
  if (!server) abort();
  Connection& conn = **server;
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
  if (conn.handshake_done() && !conn.closed()) {
    const uint8_t reply[] = {'o', 'k'};
    (void)conn.write(reply);
    conn.close();
  }
  return 0;
}
