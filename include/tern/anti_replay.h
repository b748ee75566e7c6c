// SPDX-License-Identifier: Apache-2.0
/// @file
/// The anti-replay record of a server that accepts TLS 1.3 0-RTT data (RFC 8446 §8).
///
/// 0-RTT data is not protected against replay by the protocol: whoever captured a client's
/// first flight can send it again. A server that accepts early data therefore remembers
/// each ticket it accepted early data with, for as long as the same ClientHello could still
/// pass the ticket-age check (RFC 8446 §8.3: a replay outside that window fails the check),
/// and accepts early data with a ticket only the first time it sees it. Every worker of a
/// server must share one record (ServerConfig::anti_replay), or a replay sent to another
/// worker would be accepted.
///
/// The record is bounded: when it holds `max_entries` live entries, early data is refused
/// (the handshake goes on in 1-RTT) rather than an entry forgotten early, which would let a
/// replay through. Nothing here touches a clock: times are parameters (unix seconds).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "tern/export.h"
#include "tern/bytes.h"

namespace tern {

/// A bounded, thread-safe record of the tickets 0-RTT data was accepted with.
class TERN_API AntiReplay {
 public:
  /// Entries kept at most by default (about 100 bytes each).
  static constexpr size_t kDefaultMaxEntries = 100000;
  /// The default ticket-age window, seconds: how far the client's view of a ticket's age
  /// may differ from the server's for early data to be accepted.
  static constexpr uint32_t kDefaultWindow = 10;
  /// Longest key, bytes (a SHA-384 digest); first_use() refuses longer ones.
  static constexpr size_t kMaxKey = 48;

  /// A record of at most `max_entries` keys (0 refuses all early data), each remembered for
  /// twice `window_seconds` (a replay may come up to one window after the original, whose
  /// own age may be one window off). `window_seconds` is at least 1.
  explicit AntiReplay(size_t max_entries = kDefaultMaxEntries,
                      uint32_t window_seconds = kDefaultWindow);
  ~AntiReplay();
  AntiReplay(const AntiReplay&) = delete;
  AntiReplay& operator=(const AntiReplay&) = delete;

  /// Records `key` (the digest of a ticket) at `now`. True the first time within the
  /// remembering period; false for a key already recorded (a replay, or a second use of the
  /// ticket), when the record is full and for an empty or over-long key. Expired entries
  /// are dropped on the way.
  bool first_use(BytesView key, int64_t now);
  /// The ticket-age window, seconds.
  uint32_t window() const { return window_; }
  /// How many keys are remembered now (expired ones included until the next first_use()).
  size_t size() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  uint32_t window_;
};

}  // namespace tern
