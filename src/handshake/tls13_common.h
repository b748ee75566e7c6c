// SPDX-License-Identifier: Apache-2.0
// What the TLS 1.3 client and server state machines share: the key schedule and the
// post-handshake part (KeyUpdate, exporters, keylog), which is the same for both roles.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "handshake/key_schedule.h"
#include "handshake/machine.h"

namespace tern::handshake {

// Base of both roles: holds the config hooks, the key schedule and the application
// traffic secrets after the handshake.
class Tls13Machine : public Machine {
 public:
  Tls13Machine(const crypto::Provider& provider, const CommonConfig& config, HandshakeIo& io,
               bool is_server);

  Result<void> on_message(const msgs::HandshakeMessage& message, Protection protection) override;
  bool done() const override { return connected_; }
  Result<void> update_keys(bool request_peer) override;
  Result<SecretBytes> export_keying_material(std::string_view label, BytesView context,
                                             size_t length) const override;

 protected:
  // Handshake messages before the connection is established (one handler per state in
  // each role).
  virtual Result<void> on_handshake_message(const msgs::HandshakeMessage& message) = 0;
  // A NewSessionTicket after the handshake (clients only; the server never gets here).
  virtual Result<void> on_new_session_ticket(const msgs::NewSessionTicket13&) { return ok(); }

  // Sends a message (into the transcript until the handshake is done), telling the observer
  // which keys protect it.
  void send(const Bytes& message);

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

  SuiteInfo suite_info_{};
  std::optional<KeySchedule13> schedule_;
  SecretBytes client_hs_secret_, server_hs_secret_;
  SecretBytes client_app_secret_, server_app_secret_, exporter_secret_;
  bool connected_ = false;
  Protection read_protection_ = Protection::plaintext;

 private:
  Result<void> on_post_handshake(const msgs::HandshakeMessage& message);
  Result<void> send_key_update(bool request_peer);
};

}  // namespace tern::handshake
