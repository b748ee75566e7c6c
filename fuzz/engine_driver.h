// SPDX-License-Identifier: Apache-2.0
// What every engine fuzz target does with its input: the first byte picks a chunk size, the
// rest is fed to the connection in chunks of it, everything it wants to send is dropped.
// Must never crash, hang or read out of bounds, and every failure must leave the connection
// closed. After a handshake it also reads, writes and closes, so the record paths run on
// fuzzed state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tern/tls.h"

namespace tern::fuzzing {

inline void drive_engine(Connection& conn, const uint8_t* data, size_t size) {
  conn.consume_output(conn.pending_output().size());  // a client's ClientHello
  size_t chunk = data[0] ? data[0] : size;
  BytesView input(data + 1, size - 1);
  while (!input.empty()) {
    size_t n = std::min(chunk, input.size());
    auto fed = conn.feed(input.first(n));
    input = input.subspan(n);
    conn.consume_output(conn.pending_output().size());
    if (!fed) {
      if (!conn.closed()) abort();
      return;
    }
  }
  uint8_t buf[256];
  while (conn.read(buf) != 0) {
  }
  if (conn.handshake_done() && !conn.closed()) {
    const uint8_t reply[] = {'o', 'k'};
    (void)conn.write(reply);
    conn.close();
  }
}

}  // namespace tern::fuzzing
