// SPDX-License-Identifier: Apache-2.0
// Fuzzes 0-RTT on the TLS 1.3 server: a genuine resuming ClientHello that offers early data
// (from a ticket made once per process), followed by early data whose plaintext comes from
// the input, then raw input bytes where the client's records would go (garbage under the
// early keys, an over-long flight, a replay of the whole flight to a second connection of
// the same config). Must never crash, hang or read out of bounds; every failure must leave
// the connection closed; a replayed flight must never have its early data accepted.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>

#include "tls13_configs.h"

namespace {

using namespace tern;

struct Setup {
  std::shared_ptr<ServerConfig> config;
  SessionData session;
};

// A server config with early data on and fixed ticket keys (copies resume its tickets), and
// one TLS 1.3 session from a full handshake with it.
const Setup& setup() {
  static const Setup made = [] {
    Setup s;
    s.config = fuzzing::server_config();
    s.config->max_early_data = 1024;
    auto keys = TicketKeys::generate();
    if (!keys) abort();
    s.config->ticket_keys = *keys;
    ClientConfig client_config = fuzzing::client_config();
    client_config.alpn = {"h2"};
    client_config.session_cache = std::make_shared<ClientSessionCache>();
    auto client = ClientConnection::create(client_config);
    auto server = ServerConnection::create(s.config);
    if (!client || !server) abort();
    for (int round = 0; round < 10; ++round) {
      Bytes a((*client)->pending_output().begin(), (*client)->pending_output().end());
      (*client)->consume_output(a.size());
      if (!a.empty() && !(*server)->feed(a)) abort();
      Bytes b((*server)->pending_output().begin(), (*server)->pending_output().end());
      (*server)->consume_output(b.size());
      if (!b.empty() && !(*client)->feed(b)) abort();
    }
    auto session = client_config.session_cache->take("localhost", std::time(nullptr));
    if (!session || session->max_early_data != 1024) abort();
    s.session = std::move(*session);
    return s;
  }();
  return made;
}

void feed_all(ServerConnection& server, BytesView bytes, size_t chunk) {
  while (!bytes.empty()) {
    size_t n = std::min(chunk, bytes.size());
    auto fed = server.feed(bytes.first(n));
    bytes = bytes.subspan(n);
    server.consume_output(server.pending_output().size());
    if (!fed) {
      if (!server.closed()) abort();
      return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const Setup& s = setup();
  // A fresh anti-replay record per input (a config copy), so each input's first flight can
  // be accepted and its replay must not be.
  auto config = std::make_shared<ServerConfig>(*s.config);
  config->anti_replay = std::make_shared<AntiReplay>(16, 10);
  if (data[0] & 1) config->max_early_data = 16;  // below the ticket's: the limit check
  size_t chunk = data[1] ? data[1] : size;
  size_t early = std::min<size_t>(data[2], size - 3);
  BytesView early_data(data + 3, early), raw(data + 3 + early, size - 3 - early);

  ClientConfig client_config = fuzzing::client_config();
  client_config.alpn = {"h2"};
  client_config.early_data = true;
  client_config.session_cache = std::make_shared<ClientSessionCache>();
  client_config.session_cache->put("localhost", s.session);
  auto client = ClientConnection::create(client_config);
  if (!client) abort();
  if (!early_data.empty() && !(*client)->write_early(early_data)) abort();
  Bytes flight((*client)->pending_output().begin(), (*client)->pending_output().end());
  flight.insert(flight.end(), raw.begin(), raw.end());

  for (int attempt = 0; attempt < 2; ++attempt) {
    auto server = ServerConnection::create(config);
    if (!server) abort();
    feed_all(**server, flight, chunk);
    if (attempt == 1 && (*server)->early_data_accepted()) abort();  // a replay got through
    uint8_t buf[256];
    while ((*server)->read(buf) != 0) {
    }
    if (!(data[0] & 2)) break;
  }
  return 0;
}
