#include "handshake/tls13_server.h"
#include "tls/connection_impl.h"

namespace tern {

namespace {

// Keeps the shared config alive for as long as the connection.
class ServerImpl : public ConnectionImpl {
 public:
  explicit ServerImpl(std::shared_ptr<const ServerConfig> config)
      : ConnectionImpl(crypto::default_provider(), *config), config_(std::move(config)) {}
  std::shared_ptr<const ServerConfig> config_;
};

}  // namespace

Result<std::unique_ptr<ServerConnection>> ServerConnection::create(
    std::shared_ptr<const ServerConfig> config) {
  if (!config) return Error(Errc::usage, "ServerConnection::create: no config");
  const crypto::Provider& provider = crypto::default_provider();
  TERN_TRY(auto credentials, handshake::load_credentials(provider, *config));
  auto impl = std::make_unique<ServerImpl>(config);
  impl->set_machine(std::make_unique<handshake::Tls13Server>(provider, *impl->config_, *impl,
                                                             std::move(credentials)));
  if (auto started = impl->start(); !started) return std::move(started).error();
  return std::unique_ptr<ServerConnection>(new ServerConnection(std::move(impl)));
}

}  // namespace tern
