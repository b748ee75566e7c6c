// SPDX-License-Identifier: Apache-2.0
#include <mutex>

#include "handshake/tls13_server.h"
#include "tls/connection_impl.h"

namespace tern {

namespace {

// Keeps the shared config alive for as long as the connection: the one the engine reads
// (a copy for a traced connection) and the one the shared context was made from, into
// which its credentials point.
class ServerImpl : public ConnectionImpl {
 public:
  ServerImpl(std::shared_ptr<const ServerConfig> config,
             std::shared_ptr<const ServerConfig> context_config)
      : ConnectionImpl(crypto::default_provider(), *config),
        config_(std::move(config)),
        context_config_(std::move(context_config)) {
    set_early_skip_limit(config_->max_early_data);
  }
  std::shared_ptr<const ServerConfig> config_;
  std::shared_ptr<const ServerConfig> context_config_;
};

// A copy of a config with another observer: only for traced connections, which pay for the
// copy (the parsed keys and resumption state still come from the original's context).
std::shared_ptr<const ServerConfig> with_observer(const ServerConfig& config, Observer* observer) {
  auto copy = std::make_shared<ServerConfig>(config);
  copy->observer = observer;
  return copy;
}

// Per config: its parsed private keys (parsing an RSA key costs more than a whole ECDSA
// handshake, so a server pays it once per config rather than once per connection) and its
// resumption state. Entries of configs that are gone are dropped on the next lookup.
class ContextCache {
 public:
  Result<std::shared_ptr<const handshake::ServerContext>> get(
      const crypto::Provider& provider, const std::shared_ptr<const ServerConfig>& config) {
    std::lock_guard lock(mutex_);
    std::shared_ptr<const handshake::ServerContext> found;
    std::erase_if(entries_, [&](const Entry& entry) {
      auto live = entry.config.lock();
      if (live == config) found = entry.context;
      return live == nullptr;
    });
    if (found) return found;
    TERN_TRY(auto parsed, handshake::make_server_context(provider, *config));
    found = std::make_shared<const handshake::ServerContext>(std::move(parsed));
    entries_.push_back({config, found});
    return found;
  }

 private:
  struct Entry {
    std::weak_ptr<const ServerConfig> config;
    std::shared_ptr<const handshake::ServerContext> context;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

ContextCache& context_cache() {
  static ContextCache cache;
  return cache;
}

}  // namespace

Result<std::unique_ptr<ServerConnection>> ServerConnection::create(
    std::shared_ptr<const ServerConfig> config) {
  return create(std::move(config), nullptr);
}

Result<std::unique_ptr<ServerConnection>> ServerConnection::create(
    std::shared_ptr<const ServerConfig> config, Observer* observer) {
  if (!config) return Error(Errc::usage, "ServerConnection::create: no config");
  if (config->client_auth != ServerConfig::ClientAuth::none && !config->client_roots)
    return Error(Errc::usage,
                 "client certificates are requested but no client_roots are set to check them");
  const crypto::Provider& provider = crypto::default_provider();
  TERN_TRY(auto context, context_cache().get(provider, config));
  auto impl =
      std::make_unique<ServerImpl>(observer ? with_observer(*config, observer) : config, config);
  impl->set_machine(std::make_unique<handshake::Tls13Server>(provider, *impl->config_, *impl,
                                                             std::move(context)));
  if (auto started = impl->start(); !started) return std::move(started).error();
  return std::unique_ptr<ServerConnection>(new ServerConnection(std::move(impl)));
}

}  // namespace tern
