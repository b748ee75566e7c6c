// SPDX-License-Identifier: Apache-2.0
// Checking the certificate chain a peer sent, for both versions and both roles: parse each
// certificate, build and verify a path to the configured roots (or the system store), tell
// the observer, and hand back the leaf's public key for the signature that follows.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "crypto/provider.h"
#include "tern/tls.h"

namespace tern::handshake {

class StapleCheck;

struct PeerChainCheck {
  std::shared_ptr<const TrustStore> roots;  // null: the system trust store
  bool skip_verify = false;                 // --insecure: parse only
  std::string hostname;                     // empty: no name check
  Purpose purpose = Purpose::server;
  const std::function<int64_t()>* now = nullptr;
  Observer* observer = nullptr;
  bool key_optional = false;  // known-answer tests check signatures another way
  bool require_ocsp = false;          // a client that must see a good staple
  StapleCheck* staple = nullptr;  // told the verified leaf and issuer (ocsp_staple.h)
};

// A client checking its server: the config's roots, host name and clock.
PeerChainCheck server_chain_check(const ClientConfig& config);

// A server checking a client certificate: clientAuth against the config's client roots.
PeerChainCheck client_chain_check(const ServerConfig& config);

// `who` names the peer in errors ("server", "client"). Fails with bad_certificate (or the
// validator's alert) and a sentence naming the certificate and the rule.
Result<std::shared_ptr<const crypto::PublicKey>> verify_peer_chain(
    const std::vector<BytesView>& chain, const PeerChainCheck& check, const char* who);

}  // namespace tern::handshake
