// SPDX-License-Identifier: Apache-2.0
// What the TLS 1.2 client and server state machines share (RFC 5246 §7.3): the suite, the
// master secret and key block, ChangeCipherSpec and Finished in each direction, and what
// follows the handshake (renegotiation refused, exporters).
#pragma once

#include <optional>

#include "handshake/machine.h"
#include "handshake/tls12_key_schedule.h"

namespace tern::handshake {

class Tls12Machine : public Machine {
 public:
  Tls12Machine(const crypto::Provider& provider, const CommonConfig& config, HandshakeIo& io,
               bool is_server)
      : Machine(provider, config, io, is_server) {}

  Result<void> start() override { return ok(); }
  Result<void> on_message(const msgs::HandshakeMessage& message, Protection protection) override;
  bool done() const override { return connected_; }
  Result<void> update_keys(bool request_peer) override;
  // RFC 5705: PRF(master, label, client_random + server_random [+ u16 length + context]);
  // an empty context counts as none.
  Result<SecretBytes> export_keying_material(std::string_view label, BytesView context,
                                             size_t length) const override;

 protected:
  virtual Result<void> on_handshake_message(const msgs::HandshakeMessage& message) = 0;

  // Fixes the suite: its parameters, and the transcript's hash.
  void set_suite(msgs::CipherSuite suite, bool keep_transcript_buffer);
  // Master secret (extended when negotiated: over the transcript so far) and key block.
  Result<void> derive_keys(BytesView pre_master);
  // The key block from master_secret_ (set by derive_keys, or a resumed session's).
  Result<void> derive_key_block();
  // The session as a ticket or cache entry holds it.
  SessionData session_data(uint32_t lifetime, const AuthContext& auth) const;
  // Sends ChangeCipherSpec and switches our write keys.
  Result<void> send_change_cipher_spec();
  // The peer's ChangeCipherSpec: switches its keys (the engine checked the record).
  Result<void> switch_read_keys();
  Result<void> send_finished();
  // The peer's Finished against the transcript so far (decode_error for a wrong length,
  // decrypt_error for wrong contents); adds it to the transcript.
  Result<void> check_peer_finished(const msgs::HandshakeMessage& message);
  // Drops what only the handshake needed; keeps the master secret (exporters, tickets).
  void finish_handshake();
  // "the extended master secret" refusal, as both roles word it.
  Error no_extended_master_secret(const char* peer) const;

  void send(const Bytes& message) { send_message(message); }

  Tls12SuiteInfo suite_info_{};
  msgs::Random server_random_{};
  SecretBytes master_secret_;
  std::optional<Tls12Keys> keys_;
  bool connected_ = false;
  size_t warnings_ = 0;
};

}  // namespace tern::handshake
