// A server's certificate chains with their parsed private keys, shared by every connection
// of a config, and the choice among them by the client's server name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crypto/provider.h"
#include "tern/tls.h"

namespace tern::handshake {

struct ServerCredential {
  const CertifiedKey* certified = nullptr;
  std::shared_ptr<const crypto::PrivateKey> key;
};

using ServerCredentials = std::vector<ServerCredential>;

// Parses every key of the config; errors name the chain.
Result<ServerCredentials> load_credentials(const crypto::Provider& provider,
                                           const ServerConfig& config);

// The chain whose names match `server_name` (SNI), else the first.
const ServerCredential& credential_for(const ServerCredentials& credentials,
                                       const std::string& server_name);

}  // namespace tern::handshake
