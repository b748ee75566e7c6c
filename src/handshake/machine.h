// SPDX-License-Identifier: Apache-2.0
// What every handshake state machine (TLS 1.3 and TLS 1.2, client and server) shares: the
// interface to the record engine below (HandshakeIo), the negotiated parameters, and the
// Machine base the engine drives. A machine that learns from the peer's hello that the
// other version is spoken hands the handshake to a successor (take_successor()).
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "crypto/provider.h"
#include "handshake/negotiation.h"
#include "handshake/transcript.h"
#include "msgs/handshake.h"
#include "msgs/print.h"
#include "msgs/reassembler.h"
#include "tern/tls.h"

namespace tern::handshake {

using base::SecretBytes;

// Implemented by the connection engine (src/tls): sending messages, switching keys.
class HandshakeIo {
 public:
  virtual ~HandshakeIo() = default;
  // Queues one whole handshake message under the current write keys. Messages are
  // coalesced into as few records as possible.
  virtual void send_handshake(BytesView message) = 0;
  // The keys a message queued now goes out under (what observers are told it was sent
  // under): the record layer knows; the handshake's own state can only guess.
  virtual Protection write_protection() const = 0;
  virtual void send_change_cipher_spec() = 0;
  // TLS 1.3: new keys for one direction, from a traffic secret. Pending handshake messages
  // go out under the old keys first; reading fails if a partial message straddles the change.
  virtual Result<void> set_write_secret(const SuiteInfo& suite, BytesView secret,
                                        Protection protection) = 0;
  virtual Result<void> set_read_secret(const SuiteInfo& suite, BytesView secret,
                                       Protection protection) = 0;
  // TLS 1.2: keys from the key block; records from then on follow TLS 1.2's AEAD rules.
  virtual Result<void> set_write_keys12(crypto::Aead aead, BytesView key, BytesView iv) = 0;
  virtual Result<void> set_read_keys12(crypto::Aead aead, BytesView key, BytesView iv) = 0;
  // A warning alert that leaves the connection open (TLS 1.2 no_renegotiation).
  virtual void send_warning_alert(Alert alert) = 0;
  // The peer's record_size_limit (plaintext bytes per record, content type included).
  virtual void set_peer_record_size_limit(uint16_t limit) = 0;
  // Our own record_size_limit, once the peer has agreed to it: protected records that
  // bring more plaintext are record_overflow (RFC 8449 §4).
  virtual void set_own_record_size_limit(uint16_t limit) = 0;
  // Server: the client offered 0-RTT data, which is declined, so its early records are
  // dropped (RFC 8446 §4.2.10): after a HelloRetryRequest every encrypted record before
  // the second ClientHello, otherwise records the handshake keys cannot open.
  enum class EarlyDataSkip : uint8_t { none, until_client_hello, undecryptable };
  virtual void skip_early_data(EarlyDataSkip how) = 0;
  // TLS 1.3 0-RTT, accepted or attempted (handshake/early_data.h). Client: keys for
  // write_early(), with `room` bytes of it allowed; close_early_write() once the server has
  // answered; send_end_of_early_data() seals that message under the early keys and drops
  // them. Server: application data may arrive under the current read keys (the early ones)
  // before the handshake is done, `limit` bytes at most, until the read keys change.
  virtual Result<void> set_early_write_secret(const SuiteInfo& suite, BytesView secret,
                                              size_t room) = 0;
  virtual void close_early_write() = 0;
  virtual Result<void> send_end_of_early_data(BytesView message) = 0;
  virtual void accept_early_data(size_t limit) = 0;
};

// What became of 0-RTT data.
enum class EarlyData : uint8_t { none, offered, accepted, rejected };

struct Negotiated {
  uint16_t version = 0;  // 0x0304 or 0x0303 once the hellos are exchanged
  msgs::CipherSuite suite{};
  msgs::NamedGroup group{};  // 0 for TLS 1.2 RSA key transport
  msgs::SignatureScheme scheme{};
  std::string alpn;
  std::string server_name;
  bool hello_retry_request = false;
  bool resumed = false;
  bool extended_master_secret = false;  // TLS 1.2 (always true in TLS 1.3's terms)
  EarlyData early_data = EarlyData::none;
  std::vector<Bytes> peer_chain;
  bool external_psk = false;             // TLS 1.3: an external PSK authenticated both sides
  std::string client_certificate_error;  // ClientAuth::optional: why the chain was not taken
  bool ech_accepted = false;  // RFC 9849: the server decrypted our inner ClientHello
  Bytes ech_retry_configs;    // client: the ECHConfigList a server that rejected ECH sent
  std::optional<OcspStatus> ocsp_status;  // client: the server's staple, checked (ocsp_staple.h)
};

class Machine {
 public:
  Machine(const crypto::Provider& provider, const CommonConfig& config, HandshakeIo& io,
          bool is_server)
      : provider_(provider), config_(config), io_(io), is_server_(is_server),
        transcript_(provider) {}
  virtual ~Machine() = default;
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Client: queue the ClientHello. Server: nothing.
  virtual Result<void> start() = 0;
  // One whole handshake message in the order received.
  virtual Result<void> on_message(const msgs::HandshakeMessage& message,
                                  Protection protection) = 0;
  // A change_cipher_spec record, delivered only once version() is TLS 1.2.
  virtual Result<void> on_change_cipher_spec();
  virtual bool done() const = 0;
  virtual Result<void> update_keys(bool request_peer) = 0;
  virtual Result<SecretBytes> export_keying_material(std::string_view label, BytesView context,
                                                     size_t length) const = 0;

  uint16_t version() const { return negotiated_.version; }
  const Negotiated& negotiated() const { return negotiated_; }
  // The machine that continues this handshake in another version, once there is one.
  std::unique_ptr<Machine> take_successor() { return std::move(successor_); }

 protected:
  void random(std::span<uint8_t> out) const;
  // Seconds since 1970, from the config's clock (the system clock by default).
  int64_t now() const;
  Result<std::unique_ptr<crypto::KeyShare>> make_key_share(msgs::NamedGroup group) const;
  // Adds a message to the transcript and queues it, telling the observer.
  void send_message(const Bytes& message);
  // The observer calls (config_.observer), for messages sent and received.
  void observe_sent(BytesView message) const;
  void observe_received(const msgs::HandshakeMessage& message, Protection protection) const;
  // How to describe messages for the observer: the version and key exchange negotiated.
  msgs::DescribeOptions describe_options() const;
  void observe_stage(const std::string& stage) const;
  // An NSS key log line: LABEL <client random> <secret>.
  void keylog(const char* label, BytesView secret) const;
  // Server: the first of the config's ALPN protocols that the client offers, into
  // negotiated_; no_application_protocol when there is none in common (RFC 7301 §3.2).
  Result<void> choose_alpn(const msgs::ClientHello& hello);

  const crypto::Provider& provider_;
  const CommonConfig& config_;
  HandshakeIo& io_;
  bool is_server_;
  msgs::Random client_random_{};
  Negotiated negotiated_;
  Transcript transcript_;
  std::unique_ptr<Machine> successor_;
};

std::string hex_lower(BytesView b);

// "the server sent X where Y was expected" and the like: unexpected_message.
Error unexpected(bool from_server, msgs::HandshakeType got, const char* expected);
// A value the peer may not send here: illegal_parameter.
Error illegal(std::string what);

template <typename T>
bool contains(const std::vector<T>& list, T value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace tern::handshake
