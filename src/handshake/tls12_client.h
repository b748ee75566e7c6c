// SPDX-License-Identifier: Apache-2.0
// The TLS 1.2 client state machine (RFC 5246 §7.3, RFC 8422): one handler per state. The
// ClientHello is Tls13Client's, which offers both versions; a TLS 1.2 ServerHello hands
// the handshake over to this machine with what the ClientHello offered.
#pragma once

#include "handshake/ocsp_staple.h"
#include "handshake/tls12_common.h"

namespace tern::handshake {

class Tls12Client : public Tls12Machine {
 public:
  // What the ClientHello offered, and the transcript holding it.
  struct Offer {
    msgs::Random client_random{};
    Bytes session_id;
    std::vector<msgs::CipherSuite> suites;  // the TLS 1.2 ones
    std::vector<msgs::NamedGroup> groups;
    std::vector<msgs::SignatureScheme> schemes;
    Transcript transcript;
    std::optional<SessionData> session;  // a TLS 1.2 session offered for resumption
    bool asked_for_ticket = false;       // sent the session_ticket extension
    bool sent_server_name = false;  // whether the ClientHello carried SNI
    std::optional<AuthContext> auth;  // recorded in the session stored; unset: none stored
  };

  Tls12Client(const crypto::Provider& provider, const ClientConfig& config, HandshakeIo& io,
              Offer offer);

  // The ServerHello that chose TLS 1.2 (its downgrade sentinel already checked).
  Result<void> take_server_hello(const msgs::ServerHello& hello,
                                 const msgs::HandshakeMessage& message);

  enum class State : uint8_t {
    wait_certificate,
    wait_server_key_exchange,
    wait_server_hello_done,  // or CertificateRequest
    wait_change_cipher_spec,
    wait_finished,
    connected,
  };
  State state() const { return state_; }

  Result<void> on_change_cipher_spec() override;

 protected:
  Result<void> on_handshake_message(const msgs::HandshakeMessage& message) override;

 private:
  Result<void> handle_certificate(const msgs::HandshakeMessage& message);
  Result<void> handle_server_key_exchange(const msgs::HandshakeMessage& message);
  Result<void> handle_certificate_request(const msgs::HandshakeMessage& message);
  Result<void> handle_server_hello_done(const msgs::HandshakeMessage& message);
  Result<void> handle_finished(const msgs::HandshakeMessage& message);
  Result<void> check_server_hello_extensions(const msgs::ServerHello& hello);
  Result<void> handle_new_session_ticket(const msgs::HandshakeMessage& message);
  // Puts the session into the config's cache (full handshakes, and renewed tickets).
  void store_session();

  const ClientConfig& client_config_;
  Offer offer_;
  State state_ = State::wait_certificate;
  std::shared_ptr<const crypto::PublicKey> server_key_;
  Bytes server_public_;  // the ECDHE share from ServerKeyExchange
  bool certificate_requested_ = false;
  bool ticket_expected_ = false;  // the ServerHello promised a NewSessionTicket
  bool got_ticket_ = false;
  Bytes ticket_;
  uint32_t ticket_lifetime_ = 0;
  Bytes server_session_id_;
  std::vector<msgs::SignatureScheme> requested_schemes_;
  StapleCheck staple_{negotiated_.ocsp_status};  // the stapled OCSP response (CertificateStatus)
};

}  // namespace tern::handshake
