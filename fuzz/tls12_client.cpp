// SPDX-License-Identifier: Apache-2.0
// Fuzzes the TLS 1.2 client engine with arbitrary server bytes: after the ClientHello (fixed:
// pinned randomness) it is fed the input in chunks whose sizes come from the first byte.
// Must never crash, hang or read out of bounds; every failure must leave the connection
// closed. After a handshake it also writes and closes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "engine_driver.h"
#include "tls12_configs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  if (size == 0) return 0;
  auto client = ClientConnection::create(fuzzing::tls12_client_config());
  if (!client) abort();
  fuzzing::drive_engine(**client, data, size);
  return 0;
}
