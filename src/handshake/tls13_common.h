// What the TLS 1.3 client and server state machines share: the interface to the record
// engine below them (HandshakeIo), the negotiated parameters, and the post-handshake part
// (KeyUpdate, exporters, keylog), which is the same for both roles.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/provider.h"
#include "handshake/key_schedule.h"
#include "handshake/negotiation.h"
#include "handshake/transcript.h"
#include "msgs/handshake.h"
#include "msgs/reassembler.h"
#include "tern/tls.h"

namespace tern::handshake {

// Implemented by the connection engine (src/tls): sending messages, switching keys.
class HandshakeIo {
 public:
  virtual ~HandshakeIo() = default;
  // Queues one whole handshake message under the current write keys. Messages are
  // coalesced into as few records as possible.
  virtual void send_handshake(BytesView message) = 0;
  virtual void send_change_cipher_spec() = 0;
  // New keys for one direction, from a traffic secret. Pending handshake messages go out
  // under the old keys first; reading fails if a partial message straddles the change.
  virtual Result<void> set_write_secret(const SuiteInfo& suite, BytesView secret,
                                        Protection protection) = 0;
  virtual Result<void> set_read_secret(const SuiteInfo& suite, BytesView secret,
                                       Protection protection) = 0;
  // The peer's record_size_limit (plaintext bytes per record, content type included).
  virtual void set_peer_record_size_limit(uint16_t limit) = 0;
  // Server: the client offered 0-RTT data, which is declined, so its early records are
  // dropped (RFC 8446 §4.2.10): after a HelloRetryRequest every encrypted record before
  // the second ClientHello, otherwise records the handshake keys cannot open.
  enum class EarlyDataSkip : uint8_t { none, until_client_hello, undecryptable };
  virtual void skip_early_data(EarlyDataSkip how) = 0;
};

struct Negotiated {
  msgs::CipherSuite suite{};
  msgs::NamedGroup group{};
  msgs::SignatureScheme scheme{};
  std::string alpn;
  std::string server_name;
  bool hello_retry_request = false;
  std::vector<Bytes> peer_chain;
};

// Base of both roles: holds the config hooks, the key schedule and the application
// traffic secrets after the handshake.
class Tls13Machine {
 public:
  Tls13Machine(const crypto::Provider& provider, const CommonConfig& config, HandshakeIo& io,
               bool is_server);
  virtual ~Tls13Machine() = default;

  // Client: queue the ClientHello. Server: nothing.
  virtual Result<void> start() = 0;
  // One whole handshake message in the order received.
  Result<void> on_message(const msgs::HandshakeMessage& message, Protection protection);
  bool done() const { return connected_; }

  Result<void> update_keys(bool request_peer);
  Result<SecretBytes> export_keying_material(std::string_view label, BytesView context,
                                             size_t length) const;

  const Negotiated& negotiated() const { return negotiated_; }

 protected:
  // Handshake messages before the connection is established (one handler per state in
  // each role).
  virtual Result<void> on_handshake_message(const msgs::HandshakeMessage& message) = 0;

  void random(std::span<uint8_t> out) const;
  Result<std::unique_ptr<crypto::KeyShare>> make_key_share(msgs::NamedGroup group) const;
  // Sends a message and adds it to the transcript, telling the observer.
  void send(const Bytes& message);
  // Tells the observer about a received message.
  void observe_received(const msgs::HandshakeMessage& message, Protection protection) const;
  void observe_stage(const std::string& stage) const;
  void keylog(const char* label, BytesView secret) const;

  // Derives the handshake traffic secrets (after ServerHello) and sets the keys.
  Result<void> derive_handshake_secrets();
  // Derives the application secrets (transcript through server Finished).
  Result<void> derive_application_secrets();
  Result<SecretBytes> finished_for(bool server_side) const;
  // The peer's Finished against the transcript so far: decode_error for a wrong length,
  // decrypt_error for wrong contents.
  Result<void> check_peer_finished(const msgs::HandshakeMessage& message) const;
  // Drops the transcript and handshake secrets once the handshake is over.
  void finish_handshake();

  const crypto::Provider& provider_;
  const CommonConfig& config_;
  HandshakeIo& io_;
  bool is_server_;
  msgs::Random client_random_{};
  SuiteInfo suite_info_{};
  Negotiated negotiated_;
  Transcript transcript_;
  std::optional<KeySchedule13> schedule_;
  SecretBytes client_hs_secret_, server_hs_secret_;
  SecretBytes client_app_secret_, server_app_secret_, exporter_secret_;
  bool connected_ = false;
  Protection read_protection_ = Protection::plaintext;

 private:
  Result<void> on_post_handshake(const msgs::HandshakeMessage& message);
  Result<void> send_key_update(bool request_peer);
};

std::string hex_lower(BytesView b);

}  // namespace tern::handshake
