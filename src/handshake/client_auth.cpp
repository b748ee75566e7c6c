// SPDX-License-Identifier: Apache-2.0
#include "handshake/client_auth.h"

#include <algorithm>

#include "handshake/peer_chain.h"
#include "x509/certificate.h"

namespace tern::handshake {

std::vector<Bytes> client_ca_names(const ServerConfig& config, std::string* skipped) {
  std::vector<Bytes> names;
  if (!config.send_client_ca_names || config.client_auth == ServerConfig::ClientAuth::none ||
      !config.client_roots)
    return names;
  size_t total = 0;
  for (const auto& [anchor, source] : config.client_roots->anchors()) {
    BytesView der = anchor.internal().subject.der;
    if (der.empty() || der.size() > 65535) continue;
    if (std::any_of(names.begin(), names.end(), [&](const Bytes& n) { return equal(n, der); }))
      continue;
    total += 2 + der.size();
    if (total > kMaxClientCaNamesSize) {
      if (skipped)
        *skipped = "the client CA names exceed " + std::to_string(kMaxClientCaNamesSize) +
                   " bytes; the CertificateRequest carries none";
      return {};
    }
    names.emplace_back(der.begin(), der.end());
  }
  return names;
}

Result<std::shared_ptr<const crypto::PublicKey>> verify_client_chain(
    const std::vector<BytesView>& chain, const ServerConfig& config, std::string& error) {
  auto verified = verify_peer_chain(chain, client_chain_check(config), "client");
  if (verified || config.client_auth != ServerConfig::ClientAuth::optional) return verified;
  error = verified.error().detail;
  return std::shared_ptr<const crypto::PublicKey>();
}

}  // namespace tern::handshake
