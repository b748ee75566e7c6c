// SPDX-License-Identifier: Apache-2.0
// Encrypted Client Hello, the server's side (RFC 9849 §7): a ClientHelloOuter whose payload
// decrypts under one of ServerConfig::ech_keys is replaced by its ClientHelloInner, and the
// ServerHello (or HelloRetryRequest) carries the acceptance confirmation. One that does not
// decrypt (or GREASE) is answered as it stands, for the public name, with retry_configs in
// EncryptedExtensions.
//
// Tls13Server calls in at open() (each ClientHello), confirm_server_hello /
// confirm_hello_retry_request (the encoded message before it is sent), and
// add_retry_configs (EncryptedExtensions). The keys are prepared once per server config
// (load_keys, from make_server_context) and shared read-only by its connections.
#pragma once
#include <memory>
#include <optional>
#include <vector>
#include "crypto/hpke.h"
#include "handshake/transcript.h"
#include "msgs/ech.h"
#include "msgs/reassembler.h"
#include "tern/tls.h"

namespace tern::handshake {

// One usable ECH key, ready for every connection: nothing in it depends on a client.
struct EchServerKey {
  msgs::EchConfig config;                               // parsed and checked
  Bytes hpke_info;                                      // "tls ech" || 0x00 || ECHConfig
  std::shared_ptr<const crypto::KeyShare> private_key;  // loaded, its public key derived
  bool retry = true;                                    // offered in retry_configs
};

// ServerConfig::ech_keys, prepared.
struct EchServerKeys {
  std::vector<EchServerKey> keys;
  Bytes retry_configs;  // the ECHConfigList of the keys marked retry, encoded; empty: none
};

class EchServer {
 public:
  // `keys` (non-empty) must outlive the EchServer: the server context's.
  EchServer(const crypto::Provider& provider, const EchServerKeys& keys)
      : provider_(provider), keys_(keys) {}

  // A ClientHello (`retry`: the second one, after a HelloRetryRequest). Returns the
  // ClientHelloInner to handshake with when the hello's ECH decrypts; nothing to go on
  // with the hello as it came. Fails only on what RFC 9849 makes fatal (a malformed
  // extension, an inner hello that breaks §5.1 or §7.1, a second hello that no longer
  // decrypts).
  Result<std::optional<msgs::HandshakeMessage>> open(const msgs::ClientHello& hello,
                                                     const msgs::HandshakeMessage& message,
                                                     bool retry);
  bool accepted() const { return accepted_; }
  // The client sent an outer encrypted_client_hello (real or GREASE).
  bool offered() const { return offered_; }

  // Writes the confirmation (§7.2) into the last 8 bytes of the encoded ServerHello's
  // random, given the transcript through the ClientHelloInner.
  Result<void> confirm_server_hello(Bytes& server_hello, BytesView inner_random,
                                    const Transcript& transcript) const;
  // Appends encrypted_client_hello with its confirmation to the HelloRetryRequest (whose
  // transcript already holds message_hash(ClientHelloInner1)); returns the encoding.
  Result<Bytes> encode_hello_retry_request(msgs::ServerHello hrr, BytesView inner_random,
                                           const Transcript& transcript) const;
  // retry_configs in EncryptedExtensions when ECH was offered and not accepted.
  Result<void> add_retry_configs(msgs::Extensions& extensions) const;

  // Parses, checks (each config's public key must be its private key's) and prepares
  // ServerConfig::ech_keys: once per config (make_server_context), and what load_ech_key
  // (`tern serve` at start-up) checks a key with.
  static Result<EchServerKeys> load_keys(const crypto::Provider& provider,
                                         const ServerConfig& config);

 private:
  Result<std::optional<Bytes>> try_decrypt(const msgs::EchClientHello& ech, BytesView aad);

  const crypto::Provider& provider_;
  const EchServerKeys& keys_;
  std::unique_ptr<crypto::hpke::Context> hpke_;
  msgs::EchClientHello first_;  // the accepted first offer (config and suite)
  bool offered_ = false, accepted_ = false;
};

}  // namespace tern::handshake
