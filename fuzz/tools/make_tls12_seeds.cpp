// SPDX-License-Identifier: Apache-2.0
// Writes seed inputs for fuzz_tls12_client, fuzz_tls12_server and fuzz_tls12_server_rsa: the
// bytes each side of a real TLS 1.2 handshake (plus data, a refused renegotiation and
// close_notify) received, so the fuzzers start deep in the state machines instead of at the
// record header.
//   make_tls12_seeds fuzz/corpus
// A seed's first byte is the feed chunk size the targets use (0 = everything at once).
// Everything is pinned (fuzz/tls12_configs.h), so each seed is replayed against a fresh
// engine of the target's config at the end, to show how far it gets.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

#include "../tls12_configs.h"
#include "handshake/credentials.h"
#include "handshake/tls13_client.h"
#include "handshake/tls13_server.h"
#include "tls/connection_impl.h"

namespace {

using namespace tern;

// Moves everything pending from `from` to `to`, appending it to `log`.
void transfer(ConnectionImpl& from, ConnectionImpl& to, Bytes& log) {
  while (!from.pending_output().empty()) {
    BytesView out = from.pending_output();
    log.insert(log.end(), out.begin(), out.end());
    Bytes copy(out.begin(), out.end());
    from.consume_output(copy.size());
    if (!to.feed(copy)) return;
  }
}

struct Run {
  ClientConfig client = fuzzing::tls12_client_config();
  std::shared_ptr<ServerConfig> server = fuzzing::tls12_server_config();
  std::function<void(msgs::ClientHello&)> hook;  // edits the ClientHello
  bool renegotiate = false;    // the client sends a second ClientHello afterwards
  bool hello_request = false;  // the server sends a HelloRequest afterwards
};

struct Transcript {
  Bytes to_server, to_client;
};

Transcript run(const Run& r) {
  const crypto::Provider& provider = crypto::default_provider();
  Transcript t;
  ConnectionImpl c(provider, r.client);
  c.set_client();
  auto client_machine = std::make_unique<handshake::Tls13Client>(provider, r.client, c);
  if (r.hook) client_machine->set_client_hello_hook(r.hook);
  c.set_machine(std::move(client_machine));
  auto credentials = handshake::make_server_context(provider, *r.server);
  if (!credentials) {
    std::cerr << "credentials: " << credentials.error().detail << "\n";
    abort();
  }
  ConnectionImpl s(provider, *r.server);
  s.set_machine(std::make_unique<handshake::Tls13Server>(
      provider, *r.server, s,
      std::make_shared<const handshake::ServerContext>(std::move(*credentials))));
  if (!c.start() || !s.start()) abort();
  Bytes first_hello(c.pending_output().begin() + 5, c.pending_output().end());
  auto pump = [&] {
    for (int i = 0; i < 10; ++i) {
      transfer(c, s, t.to_server);
      transfer(s, c, t.to_client);
    }
  };
  pump();
  if (!c.handshake_done() || !s.handshake_done() || c.machine().version() != tls::kTls12) {
    std::cerr << "TLS 1.2 handshake failed: "
              << (c.error() ? c.error()->detail : s.error() ? s.error()->detail : "") << "\n";
    abort();
  }
  const uint8_t hello[] = {'h', 'e', 'l', 'l', 'o'};
  (void)c.write(hello);
  (void)s.write(hello);
  pump();
  if (r.renegotiate) {
    c.send_handshake(first_hello);
    (void)c.feed({});  // flushes it, sealed
    pump();
  }
  if (r.hello_request) {
    s.send_handshake(msgs::HelloRequest{}.encode());
    (void)s.feed({});
    pump();
  }
  (void)c.write(hello);
  (void)s.write(hello);
  c.close();
  s.close();
  pump();
  return t;
}

void write_seed(const std::filesystem::path& path, uint8_t chunk, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.put(static_cast<char>(chunk));
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  std::cout << path.string() << ": " << bytes.size() + 1 << " bytes";
}

// Replays a seed as the target would and says whether the handshake completed.
template <typename Conn>
void report(Conn& conn, const Bytes& bytes, uint8_t chunk) {
  BytesView input(bytes);
  size_t step = chunk ? chunk : input.size();
  bool failed = false;
  while (!input.empty() && !failed) {
    size_t n = std::min(step, input.size());
    failed = !conn.feed(input.first(n));
    input = input.subspan(n);
    conn.consume_output(conn.pending_output().size());
  }
  std::cout << (conn.handshake_done() ? ", replays past the handshake"
                                      : ", replays up to " + (conn.error() ? conn.error()->detail
                                                                           : std::string("?")))
            << "\n";
}

void server_seed(const std::filesystem::path& path, uint8_t chunk, const Bytes& bytes,
                 std::shared_ptr<const ServerConfig> config) {
  write_seed(path, chunk, bytes);
  auto server = ServerConnection::create(std::move(config));
  if (!server) abort();
  report(**server, bytes, chunk);
}

void client_seed(const std::filesystem::path& path, uint8_t chunk, const Bytes& bytes) {
  write_seed(path, chunk, bytes);
  auto client = ClientConnection::create(fuzzing::tls12_client_config());
  if (!client) abort();
  (*client)->consume_output((*client)->pending_output().size());
  report(**client, bytes, chunk);
}

void drop_extension(msgs::ClientHello& hello, msgs::ExtensionType type) {
  std::erase_if(hello.extensions, [&](const msgs::Extension& e) { return e.type == type; });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_tls12_seeds CORPUS_DIR (e.g. fuzz/corpus)\n";
    return 2;
  }
  std::filesystem::path root = argv[1];
  for (const char* dir : {"tls12_client", "tls12_server", "tls12_server_rsa"})
    std::filesystem::create_directories(root / dir);
  auto ecdhe = fuzzing::tls12_server_config();
  auto rsa = fuzzing::tls12_rsa_server_config();

  // ---- the ECDHE server target: client bytes ----
  Run base;
  base.renegotiate = true;
  Transcript full = run(base);
  server_seed(root / "tls12_server" / "full_handshake", 0, full.to_server, ecdhe);
  server_seed(root / "tls12_server" / "full_handshake_chunks_of_5", 5, full.to_server, ecdhe);
  Run p256;
  p256.client.groups = {tls::kSecp256r1};
  p256.client.cipher_suites = {tls::kEcdheEcdsaAes256GcmSha384};
  server_seed(root / "tls12_server" / "p256_aes256", 0, run(p256).to_server, ecdhe);
  Run p384;
  p384.client.groups = {tls::kSecp384r1};
  p384.client.cipher_suites = {tls::kEcdheEcdsaChacha20Poly1305};
  server_seed(root / "tls12_server" / "p384_chacha20", 0, run(p384).to_server, ecdhe);
  Run plain;
  plain.client.server_name.clear();
  plain.client.alpn.clear();
  plain.client.record_size_limit = 512;
  server_seed(root / "tls12_server" / "no_sni_alpn", 0, run(plain).to_server, ecdhe);
  Run scsv;
  scsv.hook = [](msgs::ClientHello& hello) {
    drop_extension(hello, msgs::ExtensionType::renegotiation_info);
    hello.cipher_suites.push_back(msgs::CipherSuite::tls_empty_renegotiation_info_scsv);
    hello.cipher_suites.push_back(msgs::CipherSuite::tls_fallback_scsv);
  };
  server_seed(root / "tls12_server" / "scsv", 0, run(scsv).to_server, ecdhe);

  // ---- the RSA server target ----
  Run kex;
  kex.server = rsa;
  kex.client.cipher_suites = {tls::kRsaAes128GcmSha256};
  kex.renegotiate = true;
  server_seed(root / "tls12_server_rsa" / "rsa_key_transport", 0, run(kex).to_server, rsa);
  Run kex_no_ems = kex;
  kex_no_ems.client.cipher_suites = {tls::kRsaAes256GcmSha384};
  kex_no_ems.renegotiate = false;
  kex_no_ems.hook = [](msgs::ClientHello& hello) {
    drop_extension(hello, msgs::ExtensionType::extended_master_secret);
  };
  server_seed(root / "tls12_server_rsa" / "rsa_key_transport_no_ems", 3, run(kex_no_ems).to_server,
              rsa);
  Run ecdhe_rsa;
  ecdhe_rsa.server = rsa;
  server_seed(root / "tls12_server_rsa" / "ecdhe_rsa", 0, run(ecdhe_rsa).to_server, rsa);

  // ---- the client target: server bytes (its ClientHello is fixed, so only the server's
  // config varies) ----
  Run answer;
  answer.hello_request = true;
  Transcript reply = run(answer);
  client_seed(root / "tls12_client" / "full_handshake", 0, reply.to_client);
  client_seed(root / "tls12_client" / "full_handshake_chunks_of_7", 7, reply.to_client);
  Run answer_p384;
  answer_p384.server = fuzzing::tls12_server_config();
  answer_p384.server->groups = {tls::kSecp384r1};
  answer_p384.server->cipher_suites = {tls::kEcdheEcdsaAes256GcmSha384};
  client_seed(root / "tls12_client" / "p384_aes256", 0, run(answer_p384).to_client);
  Run answer_rsa;
  answer_rsa.server = rsa;
  answer_rsa.hello_request = true;
  client_seed(root / "tls12_client" / "ecdhe_rsa", 0, run(answer_rsa).to_client);
  // The client's RSA-encrypted pre-master secret is randomized by the padding, so this one
  // replays up to the server's Finished only.
  Run answer_kex;
  answer_kex.server = fuzzing::tls12_rsa_server_config();
  answer_kex.server->cipher_suites = {tls::kRsaAes128GcmSha256};
  client_seed(root / "tls12_client" / "rsa_key_transport", 0, run(answer_kex).to_client);
  return 0;
}
