// SPDX-License-Identifier: Apache-2.0
#include "handshake/credentials.h"

#include "handshake/client_auth.h"
#include "x509/hostname.h"

namespace tern::handshake {

Result<ServerCredentials> load_credentials(const crypto::Provider& provider,
                                           const ServerConfig& config) {
  if (config.certificates.empty() && config.external_psks.empty())
    return Error(Errc::usage, "the server config has no certificate chain");
  for (const ExternalPsk& psk : config.external_psks) TERN_CHECK(psk.check());
  ServerCredentials out;
  for (size_t i = 0; i < config.certificates.size(); ++i) {
    const CertifiedKey& c = config.certificates[i];
    if (c.chain.empty())
      return Error(Errc::usage, "certificate chain " + std::to_string(i) + " is empty");
    auto key = provider.parse_private_key(c.private_key);
    if (!key)
      return Error(Errc::usage, "the private key of certificate chain " + std::to_string(i) +
                                    " does not parse: " + key.error().detail);
    out.push_back({&c, std::shared_ptr<const crypto::PrivateKey>(std::move(*key))});
  }
  return out;
}

Result<ServerContext> make_server_context(const crypto::Provider& provider,
                                          const ServerConfig& config) {
  ServerContext context;
  TERN_TRY(context.credentials, load_credentials(provider, config));
  context.client_ca_names = client_ca_names(config);
  TERN_TRY(context.ech, EchServer::load_keys(provider, config));
  if (!config.resumption) return context;
  context.client_auth = auth_context(config);
  context.ticket_keys = config.ticket_keys;
  if (!context.ticket_keys) {
    TERN_TRY(context.ticket_keys, TicketKeys::generate());
  }
  if (config.ticket_lifetime > context.ticket_keys->rotation_period())
    return Error(Errc::usage, "ticket_lifetime (" + std::to_string(config.ticket_lifetime) +
                                  " s) exceeds the ticket keys' rotation period (" +
                                  std::to_string(context.ticket_keys->rotation_period()) +
                                  " s): tickets would outlive their keys");
  context.session_cache = config.session_cache;
  if (!context.session_cache) context.session_cache = std::make_shared<ServerSessionCache>();
  if (config.max_early_data > 0) {
    context.anti_replay = config.anti_replay;
    if (!context.anti_replay) context.anti_replay = std::make_shared<AntiReplay>();
  }
  return context;
}

const ServerCredential& credential_for(const ServerCredentials& credentials,
                                       const std::string& server_name) {
  if (!server_name.empty())
    for (const auto& c : credentials)
      for (const auto& name : c.certified->names)
        if (x509::dns_name_matches(name, server_name)) return c;
  return credentials.front();
}

}  // namespace tern::handshake
