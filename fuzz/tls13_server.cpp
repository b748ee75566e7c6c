// SPDX-License-Identifier: Apache-2.0
// Fuzzes the TLS 1.3 server engine with arbitrary client bytes, in chunks whose sizes come
// from the first byte. Must never crash, hang or read out of bounds; every failure must
// leave the connection closed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "engine_driver.h"
#include "tls13_configs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  static const std::shared_ptr<const ServerConfig> config = fuzzing::server_config();
  if (size == 0) return 0;
  auto server = ServerConnection::create(config);
  if (!server) abort();
  fuzzing::drive_engine(**server, data, size);
  return 0;
}
