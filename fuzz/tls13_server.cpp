// Fuzzes the TLS 1.3 server engine with arbitrary client bytes, in chunks whose sizes come
// from the first byte. Must never crash, hang or read out of bounds; every failure must
// leave the connection closed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tern/tls.h"
#include "x509/builder.h"

namespace {

std::shared_ptr<const tern::ServerConfig> make_config() {
  using namespace tern;
  auto pki = x509::make_test_pki();
  if (!pki) abort();
  auto key = pki->leaf.key->pkcs8();
  if (!key) abort();
  auto config = std::make_shared<ServerConfig>();
  config->certificates.push_back({{pki->leaf.der, pki->intermediate.der},
                                  Bytes(key->view().begin(), key->view().end()),
                                  {"localhost"}});
  config->alpn = {"h2"};
  config->random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0x24); };
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  static const std::shared_ptr<const ServerConfig> config = make_config();
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
  return 0;
}
