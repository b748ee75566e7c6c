// SPDX-License-Identifier: Apache-2.0
// Writes seed inputs for fuzz_tls13_client and fuzz_tls13_server: the bytes each side of a
// real handshake (plus data, KeyUpdate and close_notify) received, so the fuzzers start deep
// in the state machines instead of at the record header.
//   make_tls13_seeds fuzz/corpus
// A seed's first byte is the feed chunk size the targets use (0 = everything at once).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "../tls13_configs.h"

namespace {

using namespace tern;

// Moves everything pending from `from` to `to`, appending it to `log`.
bool transfer(Connection& from, Connection& to, Bytes& log) {
  while (!from.pending_output().empty()) {
    BytesView out = from.pending_output();
    log.insert(log.end(), out.begin(), out.end());
    Bytes copy(out.begin(), out.end());
    from.consume_output(copy.size());
    if (!to.feed(copy)) return false;
  }
  return true;
}

struct Transcript {
  Bytes to_server, to_client;
};

Transcript run(const ClientConfig& client_config) {
  Transcript t;
  auto client = ClientConnection::create(client_config);
  auto server = ServerConnection::create(fuzzing::server_config());
  if (!client || !server) {
    std::cerr << "create: " << (client ? server.error().detail : client.error().detail) << "\n";
    abort();
  }
  Connection& c = **client;
  Connection& s = **server;
  auto pump = [&] {
    for (int i = 0; i < 10; ++i) {
      transfer(c, s, t.to_server);
      transfer(s, c, t.to_client);
    }
  };
  pump();
  if (client_config.key_share_groups == std::vector<uint16_t>{tls::kSecp384r1} &&
      !s.hello_retry_request()) {
    std::cerr << "expected a HelloRetryRequest\n";
    abort();
  }
  if (!c.handshake_done() || !s.handshake_done()) {
    std::cerr << "handshake failed: " << (c.error() ? c.error()->detail : "") << "\n";
    abort();
  }
  const uint8_t hello[] = {'h', 'e', 'l', 'l', 'o'};
  (void)c.write(hello);
  (void)s.write(hello);
  (void)s.update_keys(true);
  (void)c.update_keys(false);
  (void)s.write(hello);
  pump();
  c.close();
  s.close();
  pump();
  return t;
}

void write_seed(const std::filesystem::path& path, uint8_t chunk, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.put(static_cast<char>(chunk));
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  std::cout << path.string() << ": " << bytes.size() + 1 << " bytes\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_tls13_seeds CORPUS_DIR (e.g. fuzz/corpus)\n";
    return 2;
  }
  std::filesystem::path root = argv[1];
  std::filesystem::create_directories(root / "tls13_client");
  std::filesystem::create_directories(root / "tls13_server");

  // The client target's ClientHello is fixed, so only this flight answers it.
  Transcript base = run(fuzzing::client_config());
  write_seed(root / "tls13_client" / "full_handshake", 0, base.to_client);
  write_seed(root / "tls13_client" / "full_handshake_chunks_of_7", 7, base.to_client);

  write_seed(root / "tls13_server" / "full_handshake", 0, base.to_server);
  write_seed(root / "tls13_server" / "full_handshake_chunks_of_5", 5, base.to_server);
  ClientConfig hrr = fuzzing::client_config();
  hrr.key_share_groups = {tls::kSecp384r1};  // not served: HelloRetryRequest
  hrr.key_share_private_key = nullptr;
  write_seed(root / "tls13_server" / "hello_retry", 0, run(hrr).to_server);
  ClientConfig plain = fuzzing::client_config();
  plain.server_name.clear();
  plain.alpn.clear();
  plain.middlebox_compat = false;
  plain.cipher_suites = {tls::kChacha20Poly1305Sha256};
  plain.record_size_limit = 512;
  write_seed(root / "tls13_server" / "no_sni_alpn_ccs", 0, run(plain).to_server);
  ClientConfig psk = fuzzing::client_config();
  psk.external_psk = fuzzing::external_psk();
  write_seed(root / "tls13_server" / "external_psk", 0, run(psk).to_server);
  return 0;
}
