// SPDX-License-Identifier: Apache-2.0
// The TLS 1.2 server state machine (RFC 5246 §7.3, RFC 8422, RFC 7627, RFC 5746): one
// handler per state. Tls13Server reads every ClientHello first and hands the ones that
// settle on TLS 1.2 to this machine.
#pragma once

#include "handshake/credentials.h"
#include "handshake/tls12_common.h"

namespace tern::handshake {

class Tls12Server : public Tls12Machine {
 public:
  Tls12Server(const crypto::Provider& provider, const ServerConfig& config, HandshakeIo& io,
              std::shared_ptr<const ServerContext> context);

  Result<void> take_client_hello(const msgs::ClientHello& hello,
                                 const msgs::HandshakeMessage& message);

  enum class State : uint8_t {
    wait_client_hello,
    wait_client_certificate,
    wait_client_key_exchange,
    wait_client_certificate_verify,
    wait_change_cipher_spec,
    wait_finished,
    connected,
  };
  State state() const { return state_; }

  Result<void> on_change_cipher_spec() override;

 protected:
  Result<void> on_handshake_message(const msgs::HandshakeMessage& message) override;

 private:
  // Everything decided from the ClientHello; fails with the alert to send.
  Result<void> negotiate(const msgs::ClientHello& hello);
  // A session from the client's ticket or session ID that this handshake may resume.
  enum class Resumption : uint8_t { none, resumed, refused };
  Resumption try_resume(const msgs::ClientHello& hello);
  Result<void> send_server_flight();
  Result<void> send_resumed_flight();
  Result<void> handle_client_certificate(const msgs::HandshakeMessage& message);
  Result<void> handle_client_key_exchange(const msgs::HandshakeMessage& message);
  Result<void> handle_client_certificate_verify(const msgs::HandshakeMessage& message);
  Result<void> handle_finished(const msgs::HandshakeMessage& message);
  // RSA key transport without an oracle: a bad padding, length or version all yield a
  // random pre-master, in constant time (RFC 5246 §7.4.7.1).
  Result<SecretBytes> rsa_pre_master(BytesView encrypted) const;

  const ServerConfig& server_config_;
  std::shared_ptr<const ServerContext> context_;
  const ServerCredential* credential_ = nullptr;
  std::shared_ptr<const Bytes> ocsp_staple_;  // sent in CertificateStatus (ocsp_staple.h)
  State state_ = State::wait_client_hello;
  msgs::ProtocolVersion client_version_{};
  bool secure_renegotiation_ = false;
  bool client_sent_point_formats_ = false;
  bool client_sent_record_size_limit_ = false;
  std::unique_ptr<crypto::KeyShare> share_;
  std::vector<msgs::SignatureScheme> schemes_;  // ours, for ServerKeyExchange and clients
  std::shared_ptr<const crypto::PublicKey> client_key_;
  bool client_certificate_unchecked_ = false;  // ClientAuth::optional did not take the chain
  Bytes client_session_id_;
  Bytes session_id_;           // ours for a new session (session-ID resumption)
  bool issue_ticket_ = false;  // RFC 5077: the client asked for a ticket
};

}  // namespace tern::handshake
