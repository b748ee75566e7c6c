// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 0-RTT data (RFC 8446 §2.3, §4.2.10, §8): what both roles decide about it. The
// state machines call in from small hooks (Tls13Client::offer_early_data() and friends,
// Tls13Server::decide_early_data() and handle_end_of_early_data(), defined in
// early_data.cpp); the record engine's side is in src/tls/connection_early_data.cpp.
#pragma once

#include <string>

#include "handshake/key_schedule.h"
#include "tern/tls.h"

namespace tern::handshake {

// The most 0-RTT data a client sends, whatever the ticket allows: OpenSSL's default
// max_early_data_size, and as much as a client keeps to send again if it is declined.
inline constexpr size_t kMaxClientEarlyData = 16384;

// Client: whether a ClientHello resuming `session` may offer 0-RTT data.
bool may_offer_early_data(const ClientConfig& config, const SessionData& session);

// client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello).
Result<SecretBytes> client_early_traffic_secret(const KeySchedule13& early,
                                                BytesView client_hello_hash);

// Server: what decides whether the client's early data is accepted.
struct EarlyDataOffer {
  const SessionData* session = nullptr;  // the ticket resumed; null: none
  uint16_t psk_index = 0;                // which identity it was
  uint16_t suite = 0;                    // the suite negotiated
  const std::string* alpn = nullptr;     // the ALPN protocol negotiated
  int64_t age_skew_ms = 0;               // client's view of the ticket's age minus ours
  BytesView ticket;                      // the identity, for the anti-replay record
};

// Empty when the early data is accepted (and then recorded in `anti_replay`); otherwise why
// not, for the trace. `now` in unix seconds.
std::string refuse_early_data(const crypto::Provider& provider, const ServerConfig& config,
                              AntiReplay* anti_replay, const EarlyDataOffer& offer,
                              int64_t now);

}  // namespace tern::handshake
