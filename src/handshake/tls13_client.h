// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 client state machine (RFC 8446 §2, §4): one handler per state. Its ClientHello
// offers TLS 1.2 too when the config allows; a TLS 1.2 ServerHello hands over to Tls12Client.
#pragma once

#include <functional>

#include "handshake/cert_compression/compressor.h"
#include "handshake/ech_client.h"
#include "handshake/tls13_common.h"

namespace tern::handshake {

class Tls13Client : public Tls13Machine {
 public:
  Tls13Client(const crypto::Provider& provider, const ClientConfig& config, HandshakeIo& io);

  Result<void> start() override;

  enum class State : uint8_t {
    wait_server_hello,
    wait_encrypted_extensions,
    wait_certificate,  // or CertificateRequest
    wait_certificate_verify,
    wait_finished,
    connected,
  };
  State state() const { return state_; }

  // For known-answer tests only: edits the ClientHello before it is encoded (the RFC 8448
  // traces carry extensions tern's config does not produce).
  void set_client_hello_hook(std::function<void(msgs::ClientHello&)> hook) {
    client_hello_hook_ = std::move(hook);
  }
  // For known-answer tests only: checks the server's CertificateVerify in place of the
  // certificate's key (RFC 8448 signs with a 1024-bit RSA key, which the provider refuses).
  using SignatureCheck =
      std::function<Result<void>(msgs::SignatureScheme, BytesView content, BytesView signature)>;
  void set_signature_check_hook(SignatureCheck check) { signature_check_hook_ = std::move(check); }

 protected:
  Result<void> on_handshake_message(const msgs::HandshakeMessage& message) override;
  Result<void> on_new_session_ticket(const msgs::NewSessionTicket13& ticket) override;

 private:
  Result<void> handle_server_hello(const msgs::HandshakeMessage& message);
  Result<void> handle_hello_retry_request(const msgs::ServerHello& hrr,
                                          const msgs::HandshakeMessage& message);
  Result<void> handle_encrypted_extensions(const msgs::HandshakeMessage& message);
  Result<void> handle_certificate(const msgs::HandshakeMessage& message);
  Result<void> handle_certificate_verify(const msgs::HandshakeMessage& message);
  Result<void> handle_finished(const msgs::HandshakeMessage& message);

  Result<void> send_client_hello();
  // The encoded hello to the transcript and the wire (through ech_ when ECH is on).
  Result<void> send_hello(const msgs::ClientHello& hello, const Bytes& encoded);
  // Whether a cached session can be offered with this config and server name: made under
  // auth_, for a version and suite we offer.
  bool usable_session(const SessionData& session) const;
  Result<void> hand_over_to_tls12(const msgs::ServerHello& hello,
                                  const msgs::HandshakeMessage& message);
  Result<void> verify_server_chain(const msgs::Certificate13& certificate);
  // external_psk_client.cpp: the config's external PSK fits the versions and suites enabled;
  // the server's acceptance of it (the suite's hash must be the PSK's).
  Result<void> check_external_psk_offer() const;
  // The psk_key_exchange_modes to offer: psk_dhe_ke for tickets and for an external PSK that
  // allows it, psk_ke for one that allows that.
  msgs::PskKeyExchangeModes psk_modes_to_offer() const;
  // A ServerHello without key_share: psk_ke, allowed only with our external PSK accepted
  // and configured for it.
  Result<void> check_psk_without_dhe() const;
  Result<void> accept_external_psk_selected(const msgs::ServerHello& hello,
                                            std::optional<SecretBytes>& psk);
  // Our Certificate (and CertificateVerify) in answer to a CertificateRequest.
  Result<void> send_client_certificate();
  // 0-RTT (early_data.cpp): after a ClientHello that offers it, the early keys; the
  // server's answer in EncryptedExtensions; EndOfEarlyData before our Finished.
  Result<void> offer_early_data(const SuiteInfo& suite, BytesView client_hello);
  Result<void> check_early_data_answer(const msgs::Extensions& encrypted_extensions);
  Result<void> send_end_of_early_data();
  Result<void> refuse_tls12_after_early_data() const;

  const ClientConfig& client_config_;
  State state_ = State::wait_server_hello;
  std::vector<msgs::CipherSuite> suites_;        // TLS 1.3
  std::vector<msgs::CipherSuite> tls12_suites_;  // offered too when TLS 1.2 is enabled
  bool offer_tls13_ = true, offer_tls12_ = false;
  std::vector<msgs::NamedGroup> groups_;
  std::vector<msgs::SignatureScheme> schemes_;
  std::vector<std::unique_ptr<crypto::KeyShare>> shares_;
  Bytes session_id_;
  bool sent_server_name_ = false;
  Bytes cookie_;
  std::optional<msgs::CipherSuite> hrr_suite_;
  std::shared_ptr<const crypto::PublicKey> server_key_;
  std::optional<Bytes> certificate_request_context_;
  std::vector<msgs::SignatureScheme> requested_schemes_;
  std::optional<SessionData> session_;  // the session offered for resumption
  // How this config authenticates the server (auth_context()): sessions are resumed and
  // stored only with it. Unset without a session cache or when it cannot be computed.
  std::optional<AuthContext> auth_;
  bool psk_offered_ = false;
  bool external_psk_offered_ = false;  // the PSK offered is the config's external one
  SecretBytes resumption_master_;  // kept after the handshake for NewSessionTickets
  std::function<void(msgs::ClientHello&)> client_hello_hook_;
  SignatureCheck signature_check_hook_;
  bool sent_change_cipher_spec_ = false;  // early, after the first ClientHello (0-RTT)
  cert_compression::Negotiation certificate_compression_;  // RFC 8879
  std::unique_ptr<EchClient> ech_;  // null: no ECH, not even GREASE
};

}  // namespace tern::handshake
