// SPDX-License-Identifier: Apache-2.0
// What every connection of a server config shares: its certificate chains with their
// parsed private keys (and the choice among them by the client's server name), its ECH keys
// ready to decrypt with, and the resumption state (ticket keys, TLS 1.2 session-ID cache).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crypto/provider.h"
#include "handshake/cert_compression/compressor.h"
#include "handshake/ech_server.h"
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

struct ServerContext {
  ServerCredentials credentials;
  std::shared_ptr<TicketKeys> ticket_keys;            // null: resumption off
  std::shared_ptr<ServerSessionCache> session_cache;  // null: resumption off
  // How the config authenticates clients (auth_context()): recorded in every session it
  // makes and required of every session it resumes.
  AuthContext client_auth;
  // 0-RTT replay protection (ServerConfig::anti_replay, or one for this config); null when
  // the config accepts no early data.
  std::shared_ptr<AntiReplay> anti_replay;
  // Compressed Certificate messages (RFC 8879), compressed once for every connection.
  std::shared_ptr<cert_compression::Cache> compressed_certificates =
      std::make_shared<cert_compression::Cache>();
  // The CA names CertificateRequests carry (client_auth.h), made once.
  std::vector<Bytes> client_ca_names;
  // ServerConfig::ech_keys parsed, checked and loaded once (ech_server.h); empty: ECH off.
  EchServerKeys ech;
};

// The credentials plus the config's resumption state (made here when the config has none).
Result<ServerContext> make_server_context(const crypto::Provider& provider,
                                          const ServerConfig& config);

// The chain whose names match `server_name` (SNI), else the first.
const ServerCredential& credential_for(const ServerCredentials& credentials,
                                       const std::string& server_name);

}  // namespace tern::handshake
