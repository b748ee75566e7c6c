// SPDX-License-Identifier: Apache-2.0
// tern's side: ClientConfig/ServerConfig made once per case, connections created per
// handshake and pumped against each other in memory (each side's pending_output() fed
// straight into the other, no copy by the harness).
#include <memory>
#include <string>

#include "bench.h"
#include "tern/tls.h"
#include "tern/x509.h"

namespace tern_bench {
namespace {

// Moves everything pending between the two until neither has anything to send.
bool pump(tern::Connection& client, tern::Connection& server, std::string& error) {
  for (int round = 0; round < 64; ++round) {
    bool moved = false;
    for (int dir = 0; dir < 2; ++dir) {
      tern::Connection& from = dir == 0 ? client : server;
      tern::Connection& to = dir == 0 ? server : client;
      tern::BytesView out = from.pending_output();
      if (out.empty()) continue;
      moved = true;
      auto fed = to.feed(out);
      from.consume_output(out.size());
      if (!fed) {
        error = std::string(dir == 0 ? "server: " : "client: ") + fed.error().detail;
        return false;
      }
    }
    if (!moved) return true;
  }
  error = "no quiescence after 64 rounds";
  return false;
}

class TernPair : public Pair {
 public:
  TernPair(std::unique_ptr<tern::ClientConnection> client,
           std::unique_ptr<tern::ServerConnection> server)
      : client_(std::move(client)), server_(std::move(server)) {}

  bool pump(std::string& error) { return tern_bench::pump(*client_, *server_, error); }
  tern::ClientConnection& client() { return *client_; }
  tern::ServerConnection& server() { return *server_; }

  bool exchange(std::string& error) override {
    static const uint8_t kPing[] = {'p', 'i', 'n', 'g'}, kPong[] = {'p', 'o', 'n', 'g'};
    uint8_t buf[16];
    if (auto w = client_->write(kPing); !w) return fail(error, "client write", w.error());
    if (!pump(error)) return false;
    if (server_->read(buf) != 4) return fail(error, "server read", {});
    if (auto w = server_->write(kPong); !w) return fail(error, "server write", w.error());
    if (!pump(error)) return false;
    if (client_->read(buf) != 4) return fail(error, "client read", {});
    return true;
  }

  bool send(const uint8_t* data, size_t size, std::string& error) override {
    if (auto w = client_->write(tern::BytesView(data, size)); !w)
      return fail(error, "client write", w.error());
    size_t got = 0;
    while (got < size) {
      tern::BytesView out = client_->pending_output();
      if (!out.empty()) {
        auto fed = server_->feed(out);
        client_->consume_output(out.size());
        if (!fed) return fail(error, "server feed", fed.error());
      }
      size_t n = server_->read(std::span<uint8_t>(buf_, sizeof buf_));
      if (n == 0 && out.empty()) return fail(error, "server read: short", {});
      got += n;
    }
    return true;
  }

  void free_client() override { client_.reset(); }
  void free_server() override { server_.reset(); }

 private:
  static bool fail(std::string& error, const char* what, const tern::Error& e) {
    error = std::string(what) + (e.detail.empty() ? "" : ": " + e.detail);
    return false;
  }
  std::unique_ptr<tern::ClientConnection> client_;
  std::unique_ptr<tern::ServerConnection> server_;
  static inline uint8_t buf_[16384];  // not per pair: a Pair is allocated in case 4's window
};

class TernDriver : public Driver {
 public:
  explicit TernDriver(const HandshakeParams& params) : params_(params) {
    const Pki& p = pki(params.key);
    auto root = tern::Certificate::parse_all(p.root_der);
    if (root) {
      auto store = std::make_shared<tern::TrustStore>();
      store->add((*root)[0], "tern-bench root");
      client_.trust_store = store;
    } else {
      setup_error_ = "root: " + root.error().detail;
    }
    client_.server_name = kServerName;
    restrict(client_);
    auto server = std::make_shared<tern::ServerConfig>();
    restrict(*server);
    tern::CertifiedKey certified;
    certified.chain = {p.leaf_der};
    certified.private_key = p.leaf_key_pkcs8;
    certified.names = {kServerName};
    server->certificates.push_back(std::move(certified));
    if (params.resume) {
      client_.session_cache = std::make_shared<tern::ClientSessionCache>();
      server->resumption = true;
      server->tickets = 1;
      auto keys = tern::TicketKeys::generate();
      if (keys) server->ticket_keys = *keys;
      else setup_error_ = "ticket keys: " + keys.error().detail;
    } else {
      server->resumption = false;
      server->tickets = 0;
    }
    server_ = server;
  }

  const std::string& setup_error() const { return setup_error_; }

  std::unique_ptr<Pair> connect(std::string& error) override {
    auto client = tern::ClientConnection::create(client_);
    if (!client) {
      error = "ClientConnection::create: " + client.error().detail;
      return nullptr;
    }
    auto server = tern::ServerConnection::create(server_);
    if (!server) {
      error = "ServerConnection::create: " + server.error().detail;
      return nullptr;
    }
    auto pair = std::make_unique<TernPair>(std::move(*client), std::move(*server));
    if (!pair->pump(error)) return nullptr;
    if (!pair->client().handshake_done() || !pair->server().handshake_done()) {
      error = "handshake did not complete";
      return nullptr;
    }
    if (params_.resume && primed_ && !pair->client().resumed()) {
      error = "the session was not resumed";
      return nullptr;
    }
    if (pair->client().group() != params_.group && !(params_.resume && params_.version == 0x0303)) {
      error = "negotiated group " + pair->client().group_name();
      return nullptr;
    }
    primed_ = true;
    return pair;
  }

 private:
  void restrict(tern::CommonConfig& config) const {
    config.min_version = config.max_version = params_.version;
    config.groups = offered_groups(params_);
    config.cipher_suites = {params_.suite};
    config.signature_schemes = {params_.scheme};
  }

  HandshakeParams params_;
  tern::ClientConfig client_;
  std::shared_ptr<const tern::ServerConfig> server_;
  std::string setup_error_;
  bool primed_ = false;
};

}  // namespace

std::unique_ptr<Driver> make_tern_driver(const HandshakeParams& params, std::string& error,
                                         bool& unsupported) {
  unsupported = false;
  auto driver = std::make_unique<TernDriver>(params);
  if (!driver->setup_error().empty()) {
    error = driver->setup_error();
    return nullptr;
  }
  // One handshake to check the configuration (and, for resumption, to get a session).
  if (!driver->handshake(error)) {
    unsupported = params.group == 0x11ec;
    return nullptr;
  }
  return driver;
}

}  // namespace tern_bench
