// SPDX-License-Identifier: Apache-2.0
// In-memory client<->server plumbing for the TLS 1.3 engine tests.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>

#include "crypto/provider.h"
#include "msgs/handshake.h"
#include "tern/tls.h"
#include "x509/builder.h"

namespace tern::testing {

inline constexpr int64_t kTestNow = 1800000000;  // inside make_test_pki's validity

// Pinned key-share secrets for CommonConfig::key_share_private_key, the right size for
// every group: `fill` repeated as the ECDHE scalar, after ML-KEM's seeds for a hybrid
// (d || z on the client, m on the server).
inline std::function<Bytes(uint16_t)> pinned_key_shares(bool client, uint8_t fill) {
  return [client, fill](uint16_t group) {
    const bool p384 = group == tls::kSecp384r1 || group == tls::kSecp384r1Mlkem1024;
    const bool hybrid = group == tls::kX25519Mlkem768 || group == tls::kSecp256r1Mlkem768 ||
                        group == tls::kSecp384r1Mlkem1024;
    return Bytes((hybrid ? (client ? 64 : 32) : 0) + (p384 ? 48 : 32), fill);
  };
}

struct TestCredentials {
  std::shared_ptr<const TrustStore> roots;
  CertifiedKey certified;
};

// One test PKI per key type, made once (RSA keys are slow to generate).
inline const TestCredentials& test_credentials(crypto::KeyType type) {
  static std::map<crypto::KeyType, TestCredentials> cache;
  auto it = cache.find(type);
  if (it != cache.end()) return it->second;
  x509::TestPkiOptions options;
  options.key_type = type;
  auto pki = x509::make_test_pki(options);
  if (!pki) throw std::runtime_error("make_test_pki: " + pki.error().detail);
  TestCredentials creds;
  auto store = std::make_shared<TrustStore>();
  auto root = Certificate::parse_all(pki->root.der);
  if (!root) throw std::runtime_error("root: " + root.error().detail);
  store->add((*root)[0], "test root");
  creds.roots = store;
  creds.certified.chain = {pki->leaf.der, pki->intermediate.der};
  auto pkcs8 = pki->leaf.key->pkcs8();
  if (!pkcs8) throw std::runtime_error("pkcs8: " + pkcs8.error().detail);
  creds.certified.private_key.assign(pkcs8->view().begin(), pkcs8->view().end());
  creds.certified.names = {"localhost"};
  return cache.emplace(type, std::move(creds)).first->second;
}

inline ClientConfig test_client_config(crypto::KeyType type = crypto::KeyType::ec_p256) {
  ClientConfig config;
  config.server_name = "localhost";
  config.trust_store = test_credentials(type).roots;
  config.now = [] { return kTestNow; };
  return config;
}

inline std::shared_ptr<ServerConfig> test_server_config(
    crypto::KeyType type = crypto::KeyType::ec_p256) {
  auto config = std::make_shared<ServerConfig>();
  config->certificates.push_back(test_credentials(type).certified);
  return config;
}

// Moves bytes from `from` to `to`, at most `chunk` bytes per feed (0 = all at once).
inline Result<void> transfer(Connection& from, Connection& to, size_t chunk = 0) {
  while (!from.pending_output().empty()) {
    BytesView out = from.pending_output();
    size_t n = chunk ? std::min(chunk, out.size()) : out.size();
    Bytes copy(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
    from.consume_output(n);
    if (auto fed = to.feed(copy); !fed) {
      while (!from.pending_output().empty()) from.consume_output(from.pending_output().size());
      return fed;
    }
  }
  return ok();
}

// Runs both sides until neither has anything to send, delivering alerts after a failure
// too. Returns the first error either side reported.
inline Result<void> pump(Connection& client, Connection& server, size_t chunk = 0) {
  Result<void> first;
  for (int round = 0; round < 100; ++round) {
    if (client.pending_output().empty() && server.pending_output().empty()) return first;
    auto a = transfer(client, server, chunk);
    if (!a && first) first = std::move(a).error();
    auto b = transfer(server, client, chunk);
    if (!b && first) first = std::move(b).error();
  }
  return Error(Errc::internal, "pump: no quiescence after 100 rounds");
}

struct Pair {
  std::unique_ptr<ClientConnection> client;
  std::unique_ptr<ServerConnection> server;
};

inline Pair connect_pair(ClientConfig client_config,
                         std::shared_ptr<const ServerConfig> server_config) {
  auto client = ClientConnection::create(std::move(client_config));
  auto server = ServerConnection::create(std::move(server_config));
  if (!client) throw std::runtime_error("client: " + client.error().detail);
  if (!server) throw std::runtime_error("server: " + server.error().detail);
  return {std::move(*client), std::move(*server)};
}

// A plaintext record (legacy version TLS 1.2) around `body`.
inline Bytes plaintext_record(uint8_t type, BytesView body) {
  Bytes out = {type, 3, 3, static_cast<uint8_t>(body.size() >> 8),
               static_cast<uint8_t>(body.size())};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// The body of the ClientHello a client's first record carries (record and message headers
// skipped); throws if it does not parse.
inline msgs::ClientHello first_client_hello(const ClientConnection& client) {
  auto hello = msgs::ClientHello::parse(client.pending_output().subspan(5 + 4));
  if (!hello) throw std::runtime_error("ClientHello: " + hello.error().detail);
  return std::move(*hello);
}

inline std::string read_all(Connection& conn) {
  std::string out;
  uint8_t buf[4096];
  while (size_t n = conn.read(buf)) out.append(reinterpret_cast<char*>(buf), n);
  return out;
}

// A client certificate (clientAuth, no names) with its intermediate, and its root, for
// mutual TLS: the root alone and in a trust store.
struct ClientPki {
  CertifiedKey certified;
  Certificate root;
  std::shared_ptr<TrustStore> roots;
};

inline const ClientPki& client_pki() {
  static const ClientPki made = [] {
    x509::TestPkiOptions options;
    options.leaf_name = "CN=tern test client";
    options.leaf_names = {};
    options.leaf_ekus = {x509::build_oid::kEkuClientAuth};
    auto pki = x509::make_test_pki(options);
    if (!pki) throw std::runtime_error(pki.error().detail);
    auto key = pki->leaf.key->pkcs8();
    if (!key) throw std::runtime_error(key.error().detail);
    auto root = Certificate::parse_all(pki->root.der);
    if (!root) throw std::runtime_error(root.error().detail);
    CertifiedKey certified;
    certified.chain = {pki->leaf.der, pki->intermediate.der};
    certified.private_key = Bytes(key->view().begin(), key->view().end());
    ClientPki out{std::move(certified), (*root)[0], std::make_shared<TrustStore>()};
    out.roots->add(out.root, "client root");
    return out;
  }();
  return made;
}

// A server that takes 0-RTT data and clients that send it: prime() makes the tickets.
struct EarlyPeers {
  int64_t now = kTestNow;
  std::shared_ptr<ClientSessionCache> cache = std::make_shared<ClientSessionCache>();
  std::shared_ptr<ServerConfig> server = test_server_config();

  EarlyPeers() {
    server->now = [this] { return now; };
    server->max_early_data = 4096;
    server->ticket_keys = *TicketKeys::generate();  // copies of the config resume its tickets
  }
  ClientConfig client() {
    ClientConfig config = test_client_config();
    config.now = [this] { return now; };
    config.session_cache = cache;
    config.early_data = true;
    return config;
  }
  // A full handshake that leaves tickets in the cache.
  void prime() {
    Pair pair = connect_pair(client(), server);
    ASSERT_TRUE(pump(*pair.client, *pair.server));
    ASSERT_TRUE(pair.client->handshake_done());
    ASSERT_FALSE(pair.client->early_data_accepted());
    ASSERT_GE(cache->sessions("localhost"), 1u);
  }
};

}  // namespace tern::testing
