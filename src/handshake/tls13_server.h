// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 server state machine (RFC 8446 §2, §4): one handler per state. It reads every
// first ClientHello and hands those that settle on TLS 1.2 to Tls12Server.
#pragma once

#include "handshake/credentials.h"
#include "handshake/ech_server.h"
#include "handshake/tls13_common.h"

namespace tern::handshake {

class Tls13Server : public Tls13Machine {
 public:
  Tls13Server(const crypto::Provider& provider, const ServerConfig& config, HandshakeIo& io,
              std::shared_ptr<const ServerContext> context);

  Result<void> start() override { return ok(); }

  enum class State : uint8_t {
    wait_client_hello,
    wait_client_hello_after_retry,
    wait_client_certificate,
    wait_client_certificate_verify,
    wait_finished,
    connected,
  };
  State state() const { return state_; }

 protected:
  Result<void> on_handshake_message(const msgs::HandshakeMessage& message) override;

 private:
  Result<void> handle_client_hello(const msgs::HandshakeMessage& message);
  Result<void> handle_client_certificate(const msgs::HandshakeMessage& message);
  Result<void> handle_client_certificate_verify(const msgs::HandshakeMessage& message);
  Result<void> handle_finished(const msgs::HandshakeMessage& message);

  // Everything decided from a ClientHello; fails with the alert to send.
  Result<void> negotiate(const msgs::ClientHello& hello);
  Result<void> send_hello_retry_request(const msgs::ClientHello& hello);
  // A ticket from the client's pre_shared_key offer that decrypts, fits and whose binder
  // verifies (a bad binder is decrypt_error); none is no error, just a full handshake.
  Result<void> accept_psk(const msgs::ClientHello& hello, const msgs::HandshakeMessage& message);
  // Without an accepted PSK the server authenticates with its certificate: fails when it has
  // none, or the client cannot check its signature (credential_error_).
  Result<void> certificate_authentication() const;
  Result<void> send_tickets(const SecretBytes& resumption_master_secret);
  Result<void> hand_over_to_tls12(const msgs::ClientHello& hello,
                                  const msgs::HandshakeMessage& message);
  // The server's key share for the client's: encapsulate(), or encapsulate_with() the
  // config's pinned randomness for the group if it has some.
  Result<crypto::Encapsulation> answer_key_share(const msgs::KeyShareEntry& share) const;
  // `share` null: psk_ke, no (EC)DHE.
  Result<void> send_server_flight(const msgs::ClientHello& hello, const msgs::KeyShareEntry* share);
  // external_psk_server.cpp: a handshake in psk_ke (wants_psk_without_dhe()); false when no
  // identity the client offers is a key this server may use without (EC)DHE.
  Result<bool> answer_psk_without_dhe(const msgs::ClientHello& hello,
                                      const msgs::HandshakeMessage& message,
                                      bool offers_early_data);
  // 0-RTT (early_data.cpp): accept or skip the client's early data; read it under the early
  // keys until its EndOfEarlyData.
  Result<void> decide_early_data(const msgs::ClientHello& hello);
  Result<void> start_reading_early_data();
  Result<void> handle_end_of_early_data(const msgs::HandshakeMessage& message);

  const ServerConfig& server_config_;
  // Shared by every connection of the config; released once the handshake is done.
  std::shared_ptr<const ServerContext> context_;
  State state_ = State::wait_client_hello;
  std::vector<msgs::CipherSuite> suites_;
  std::vector<msgs::NamedGroup> groups_;
  std::vector<msgs::SignatureScheme> schemes_;
  const ServerCredential* credential_ = nullptr;
  // Why no credential suits the client (no signature_algorithms, or none fits the key):
  // fatal only if no PSK is accepted, since a PSK handshake signs nothing (RFC 8446 §9.2).
  std::optional<Error> credential_error_;
  bool client_sent_record_size_limit_ = false;
  std::shared_ptr<const crypto::PublicKey> client_key_;
  std::unique_ptr<SessionData> psk_;  // the session being resumed, until the keys are set
  uint16_t psk_index_ = 0;
  bool client_psk_dhe_ = false;  // the client can resume with psk_dhe_ke
  // The ClientHello answered with a HelloRetryRequest, which the second one must repeat.
  std::unique_ptr<msgs::ClientHello> first_hello_;
  int64_t psk_age_skew_ms_ = 0;  // the client's view of the ticket's age minus ours
  SecretBytes client_early_secret_;
  bool early_data_ended_ = false;
  cert_compression::Negotiation certificate_compression_;  // RFC 8879
  std::unique_ptr<EchServer> ech_;  // with ServerConfig::ech_keys only (context_->ech)
};

}  // namespace tern::handshake
