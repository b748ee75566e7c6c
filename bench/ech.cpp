// SPDX-License-Identifier: Apache-2.0
// What Encrypted Client Hello costs a server: one in-memory TLS 1.3 handshake, tern client
// against tern server (X25519, ECDSA P-256), with ECH accepted and without ECH (the client's
// GREASE only), the server's config shared by every connection as a real server's is.
//
//   build/release/bench/bench_ech --benchmark_repetitions=5
//
// `--callgrind server|both` runs one warm-up handshake and then one measured handshake with
// callgrind's instrumentation on only for the server's part (ServerConnection::create and
// what it is fed) or for both sides: instruction counts that do not depend on the machine.
//
//   valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=/tmp/ech.out
//       build/release/bench/bench_ech --callgrind server
//   callgrind_annotate /tmp/ech.out | head -30
#include <benchmark/benchmark.h>
#include <valgrind/callgrind.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "tern/ech.h"
#include "tern/tls.h"
#include "tern/x509.h"
#include "x509/builder.h"

namespace {

using namespace tern;

constexpr int64_t kNow = 1800000000;  // inside make_test_pki's default validity

struct Fixture {
  std::shared_ptr<TrustStore> roots = std::make_shared<TrustStore>();
  std::shared_ptr<ServerConfig> server = std::make_shared<ServerConfig>();
  std::shared_ptr<ServerConfig> server_without_ech;
  Bytes config_list;

  Fixture() {
    x509::TestPkiOptions options;
    options.leaf_names = {x509::GeneralNameSpec::dns("secret.test"),
                          x509::GeneralNameSpec::dns("public.test")};
    auto pki = x509::make_test_pki(options);
    if (!pki) throw std::runtime_error(pki.error().detail);
    roots->add((*Certificate::parse_all(pki->root.der))[0], "bench root");
    CertifiedKey certified;
    certified.chain = {pki->leaf.der, pki->intermediate.der};
    auto pkcs8 = pki->leaf.key->pkcs8();
    certified.private_key.assign(pkcs8->view().begin(), pkcs8->view().end());
    server->certificates.push_back(certified);
    server->now = [] { return kNow; };
    server->groups = {tls::kX25519};
    server->tickets = 0;  // the handshake alone
    server_without_ech = std::make_shared<ServerConfig>(*server);
    auto pair = generate_ech_key("public.test", 1);
    if (!pair) throw std::runtime_error(pair.error().detail);
    auto key = load_ech_key(pair->config, pair->private_key);
    if (!key) throw std::runtime_error(key.error().detail);
    server->ech_keys.push_back(*key);
    config_list = pair->config_list;
  }

  ClientConfig client(bool ech) const {
    ClientConfig c;
    c.server_name = "secret.test";
    c.trust_store = roots;
    c.now = [] { return kNow; };
    c.groups = {tls::kX25519};
    c.min_version = tls::kTls13;
    if (ech) c.ech_config_list = config_list;
    return c;
  }
};

const Fixture& fixture() {
  static Fixture f;
  return f;
}

// Bytes from one side to the other, all that is pending.
bool move_bytes(Connection& from, Connection& to, bool measure_to) {
  BytesView out = from.pending_output();
  if (out.empty()) return false;
  Bytes copy(out.begin(), out.end());
  from.consume_output(copy.size());
  if (measure_to) CALLGRIND_TOGGLE_COLLECT;
  auto fed = to.feed(copy);
  if (measure_to) CALLGRIND_TOGGLE_COLLECT;
  if (!fed) throw std::runtime_error(fed.error().detail);
  return true;
}

// One handshake; with `measure_server` callgrind collects only while the server works.
void handshake(bool ech, bool measure_server = false) {
  const Fixture& f = fixture();
  auto client = ClientConnection::create(f.client(ech));
  if (!client) throw std::runtime_error(client.error().detail);
  if (measure_server) CALLGRIND_TOGGLE_COLLECT;
  auto server = ServerConnection::create(ech ? f.server : f.server_without_ech);
  if (measure_server) CALLGRIND_TOGGLE_COLLECT;
  if (!server) throw std::runtime_error(server.error().detail);
  for (int round = 0; round < 10; ++round) {
    bool moved = move_bytes(**client, **server, measure_server);
    moved |= move_bytes(**server, **client, false);
    if (!moved) break;
  }
  if (!(*client)->handshake_done() || (*client)->ech_accepted() != ech)
    throw std::runtime_error("the handshake did not complete as expected");
}

void BM_HandshakeEchAccepted(benchmark::State& state) {
  for (auto _ : state) handshake(true);
}
BENCHMARK(BM_HandshakeEchAccepted)->Unit(benchmark::kMicrosecond);

void BM_HandshakeWithoutEch(benchmark::State& state) {
  for (auto _ : state) handshake(false);
}
BENCHMARK(BM_HandshakeWithoutEch)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--callgrind") == 0) {
    bool server_only = std::strcmp(argv[2], "server") == 0;
    if (!server_only && std::strcmp(argv[2], "both") != 0) {
      std::fprintf(stderr, "usage: bench_ech [--callgrind server|both]\n");
      return 2;
    }
    handshake(true);  // warm-up: the config's shared state, OpenSSL's lazy set-up
    if (server_only) {
      handshake(true, true);
    } else {
      CALLGRIND_TOGGLE_COLLECT;
      handshake(true);
      CALLGRIND_TOGGLE_COLLECT;
    }
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
