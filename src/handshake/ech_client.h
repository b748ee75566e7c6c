// SPDX-License-Identifier: Apache-2.0
// Encrypted Client Hello, the client's side (RFC 9849 §6.1): the real hello (the inner one)
// travels HPKE-sealed inside an outer hello that names only the config's public_name. The
// transcript follows the inner hello until the server's confirmation says otherwise. Without
// a usable config the client sends GREASE ECH (§6.2) so ECH users do not stand out.
//
// Tls13Client calls in at a few points: mark_hello (the hello before encoding), send_hello
// (the encoded hello), on_hello_retry_request / on_server_hello (confirmation),
// on_encrypted_extensions (retry_configs), and rejection() once the handshake is done.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include "crypto/hpke.h"
#include "handshake/transcript.h"
#include "msgs/ech.h"
#include "tern/tls.h"

namespace tern::handshake {

class EchClient {
 public:
  using RandomFn = std::function<void(std::span<uint8_t>)>;
  // Null when ECH is off: no ech_config_list and no GREASE (or TLS 1.3 is not offered).
  // A list with no config tern can use fails, saying why.
  static Result<std::unique_ptr<EchClient>> create(const crypto::Provider& provider,
                                                   const ClientConfig& config, RandomFn random);

  bool grease() const { return !config_; }
  bool accepted() const { return decision_ == Decision::accepted; }
  bool rejected() const { return decision_ == Decision::rejected; }
  // The name the server's certificate must match once ECH was rejected.
  const std::string& public_name() const { return config_->public_name; }

  // Adds encrypted_client_hello to the hello about to be encoded: the inner marker, or for
  // GREASE a random outer extension.
  void mark_hello(msgs::ClientHello& hello);
  // The encoded hello (PSK binders in place) to its transcript and the wire: for GREASE the
  // same bytes; with a config, the outer hello sealing `inner`, returned for the wire, while
  // the transcript gets the inner one.
  Result<Bytes> send_hello(const msgs::ClientHello& inner, const Bytes& inner_encoded,
                           Transcript& transcript);
  // After the transcript is started, replaced by message_hash and before the HRR is added.
  Result<void> on_hello_retry_request(const msgs::ServerHello& hrr, BytesView hrr_encoded,
                                      Transcript& transcript, msgs::Random& client_random);
  // After the transcript is started and before the ServerHello is added: checks the
  // acceptance confirmation; on rejection the transcript and random become the outer ones.
  Result<void> on_server_hello(BytesView server_hello_encoded, Transcript& transcript,
                               msgs::Random& client_random);
  // retry_configs in EncryptedExtensions (kept when ECH was rejected).
  Result<void> on_encrypted_extensions(const msgs::Extensions& extensions);
  // The error that ends a handshake whose ECH was rejected (ech_required), carrying the
  // server's retry_configs when it sent some.
  Error rejection() const;
  // For traces: what the outer hello hides (Observer::on_key_schedule).
  std::string sealed_stage() const {
    return "ECH: the inner ClientHello, SNI " + (inner_server_name_.empty() ? "(none)" : inner_server_name_) +
           ", sealed in an outer one for " + config_->public_name;
  }
  // The ECHConfigList the rejecting server sent (empty if none).
  const Bytes& retry_configs() const { return retry_configs_; }

 private:
  enum class Decision : uint8_t { undecided, accepted, rejected };
  EchClient(const crypto::Provider& provider, RandomFn random)
      : provider_(provider), random_(std::move(random)) {}
  // The outer hello's stand-in for the inner hello's pre_shared_key (§6.1.2).
  msgs::PreSharedKeyOffer grease_psk(const msgs::PreSharedKeyOffer& inner);
  Result<bool> confirmed(std::string_view label, BytesView inner_random, BytesView transcript_hash,
                         BytesView confirmation, crypto::Hash hash) const;

  const crypto::Provider& provider_;
  RandomFn random_;
  std::optional<msgs::EchConfig> config_;  // unset: GREASE
  msgs::HpkeSymmetricSuite suite_;
  std::unique_ptr<crypto::hpke::Context> hpke_;
  std::string inner_server_name_;
  msgs::Random outer_random_{};
  Bytes enc_;  // the HPKE encapsulated key, sent in the first hello only
  Bytes outer_hello1_, hrr_;  // for rebuilding the outer transcript
  Bytes outer_hello_;         // the latest outer hello
  bool after_hrr_ = false;
  Decision decision_ = Decision::undecided;
  Bytes retry_configs_;
  msgs::PreSharedKeyOffer grease_psk_;  // kept for a second hello
};

}  // namespace tern::handshake
