// SPDX-License-Identifier: Apache-2.0
// Tls13Server's handshake in psk_ke: an external PSK without (EC)DHE (RFC 8446 §4.2.9),
// only for keys configured to allow it (ExternalPsk::key_exchange).
#include "handshake/external_psk.h"
#include "handshake/tls13_server.h"

namespace tern::handshake {

Result<bool> Tls13Server::answer_psk_without_dhe(const msgs::ClientHello& hello,
                                                 const msgs::HandshakeMessage& message,
                                                 bool offers_early_data) {
  psk_.reset();
  schedule_.reset();
  if (!transcript_.started()) transcript_.start(suite_info_.hash);
  TERN_TRY(auto external, accept_external_psk(provider_, server_config_, hello, message.encoded,
                                              transcript_, suite_info_.hash, true, schedule_));
  if (!external) return false;  // e.g. the key's hash is not the suite's: (EC)DHE as usual
  psk_index_ = *external;
  psk_ = std::make_unique<SessionData>();  // its secret is in schedule_ already
  negotiated_.external_psk = true;
  negotiated_.group = msgs::NamedGroup{};  // none
  transcript_.add(message.encoded);
  // An external PSK carries no max_early_data: 0-RTT is never accepted with one.
  if (offers_early_data) io_.skip_early_data(HandshakeIo::EarlyDataSkip::undecryptable);
  TERN_CHECK(send_server_flight(hello, nullptr));
  return true;
}

}  // namespace tern::handshake
