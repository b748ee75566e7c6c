// SPDX-License-Identifier: Apache-2.0
// Fuzzes the TLS 1.2 server engine (RSA certificate: ECDHE_RSA and RSA key transport,
// clients without EMS allowed) with arbitrary client bytes,
// in chunks whose sizes come from the first byte. Must never crash, hang or read out of
// bounds; every failure must leave the connection closed. After a handshake it also writes
// and closes, so the sealing path runs on fuzzed state.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "engine_driver.h"
#include "tls12_configs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  static const std::shared_ptr<const ServerConfig> config = fuzzing::tls12_rsa_server_config();
  if (size == 0) return 0;
  auto server = ServerConnection::create(config);
  if (!server) abort();
  fuzzing::drive_engine(**server, data, size);
  return 0;
}
