// SPDX-License-Identifier: Apache-2.0
// Client certificates on the server, shared by TLS 1.3 and TLS 1.2: the CA names the
// CertificateRequest carries, and ClientAuth::optional's leniency towards a bad chain.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crypto/provider.h"
#include "tern/tls.h"

namespace tern::handshake {

// At most this many bytes of names (each with its 2-byte length) in a CertificateRequest:
// more would bloat every handshake (a system trust store is ~15 KB of names).
inline constexpr size_t kMaxClientCaNamesSize = 16384;

// The DER subjects of config.client_roots, deduplicated, in the order loaded; empty when
// send_client_ca_names is off, no client certificate is asked for, or the names exceed
// kMaxClientCaNamesSize (`skipped` then says so, if given).
std::vector<Bytes> client_ca_names(const ServerConfig& config, std::string* skipped = nullptr);

// Verifies the client's chain for config.client_auth. With ClientAuth::optional a rejected
// chain is no error: the result is null and `error` says why (the client is then served
// unauthenticated, its CertificateVerify taken unchecked).
Result<std::shared_ptr<const crypto::PublicKey>> verify_client_chain(
    const std::vector<BytesView>& chain, const ServerConfig& config, std::string& error);

}  // namespace tern::handshake
