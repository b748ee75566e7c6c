// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 external PSKs with and without (EC)DHE (RFC 8446 §4.2.9): psk_ke only where a key
// allows it, and psk_dhe_ke whenever both sides allow that.
#include <gtest/gtest.h>

#include <algorithm>
#include <span>

#include "tls13_test_util.h"

namespace tern::testing {
namespace {

using KeyExchange = ExternalPsk::KeyExchange;

ExternalPsk psk_with(KeyExchange mode, uint8_t fill = 0x42) {
  ExternalPsk psk;
  psk.identity = Bytes{'c', 'l', 'i', 'e', 'n', 't', '1'};
  psk.key = SecretBuffer(Bytes(32, fill));
  psk.key_exchange = mode;
  return psk;
}

ClientConfig client_with(KeyExchange mode, uint8_t fill = 0x42) {
  ClientConfig config = test_client_config();
  config.external_psk = psk_with(mode, fill);
  return config;
}

std::shared_ptr<ServerConfig> psk_only_server(KeyExchange mode) {
  auto config = std::make_shared<ServerConfig>();
  config->external_psks.push_back(psk_with(mode));
  return config;
}

std::vector<msgs::PskKeyExchangeMode> offered_modes(KeyExchange mode) {
  auto client = ClientConnection::create(client_with(mode));
  EXPECT_TRUE(client);
  auto hello = first_client_hello(**client);
  auto* modes = hello.get<msgs::PskKeyExchangeModes>(msgs::ExtensionType::psk_key_exchange_modes);
  return modes ? modes->modes : std::vector<msgs::PskKeyExchangeMode>{};
}

TEST(ExternalPskModes, ClientOffersTheModesItsKeyAllowsDheFirst) {
  using M = msgs::PskKeyExchangeMode;
  EXPECT_EQ(offered_modes(KeyExchange::with_dhe), std::vector{M::psk_dhe_ke});
  EXPECT_EQ(offered_modes(KeyExchange::dhe_or_none), (std::vector{M::psk_dhe_ke, M::psk_ke}));
  EXPECT_EQ(offered_modes(KeyExchange::without_dhe), std::vector{M::psk_ke});
}

TEST(ExternalPskModes, WithoutDheBothSidesHandshakeWithNoKeyExchange) {
  auto pair = connect_pair(client_with(KeyExchange::without_dhe),
                           psk_only_server(KeyExchange::without_dhe));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->handshake_done());
  EXPECT_TRUE(pair.client->external_psk());
  EXPECT_TRUE(pair.server->external_psk());
  EXPECT_EQ(pair.client->group(), 0);  // psk_ke: no (EC)DHE
  EXPECT_EQ(pair.server->group(), 0);
  ASSERT_TRUE(pair.client->write(Bytes{'h', 'i'}));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "hi");
}

TEST(ExternalPskModes, ServerPrefersDheWhenTheClientOffersBoth) {
  auto pair = connect_pair(client_with(KeyExchange::dhe_or_none),
                           psk_only_server(KeyExchange::dhe_or_none));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.client->external_psk());
  EXPECT_NE(pair.client->group(), 0);
}

TEST(ExternalPskModes, ServerWithoutDheAnswersAClientOfferingBothInPskKe) {
  auto pair = connect_pair(client_with(KeyExchange::dhe_or_none),
                           psk_only_server(KeyExchange::without_dhe));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.client->external_psk());
  EXPECT_EQ(pair.client->group(), 0);
}

TEST(ExternalPskModes, DefaultServerNeverSpeaksPskKe) {
  // The client would take psk_ke only; the server's key is psk_dhe_ke only: no PSK, and a
  // PSK-only server has nothing else to offer.
  auto pair =
      connect_pair(client_with(KeyExchange::without_dhe), psk_only_server(KeyExchange::with_dhe));
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, Alert::handshake_failure);
}

TEST(ExternalPskModes, WrongKeyWithoutDheIsDecryptError) {
  auto pair = connect_pair(client_with(KeyExchange::without_dhe, 0x43),
                           psk_only_server(KeyExchange::without_dhe));
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, Alert::decrypt_error);
  EXPECT_FALSE(pair.client->handshake_done());
}

TEST(ExternalPskModes, ClientRefusesAServerHelloWithoutKeyShareUnlessItOfferedPskKe) {
  // A server's psk_ke ServerHello (made for a psk_ke client) fed to a client whose key
  // allows only psk_dhe_ke.
  // The same random hook for both clients: the same legacy_session_id, which the ServerHello
  // echoes (checked before its extensions).
  auto same_random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 7); };
  ClientConfig psk_ke_client = client_with(KeyExchange::without_dhe);
  psk_ke_client.random = same_random;
  ClientConfig dhe_client = client_with(KeyExchange::with_dhe);
  dhe_client.random = same_random;
  auto pair = connect_pair(psk_ke_client, psk_only_server(KeyExchange::without_dhe));
  auto strict = ClientConnection::create(dhe_client);
  ASSERT_TRUE(strict);
  ASSERT_TRUE(pair.server->feed(pair.client->pending_output()));
  Bytes server_flight(pair.server->pending_output().begin(), pair.server->pending_output().end());
  // The ServerHello is read before anything depends on the ClientHello it answers.
  auto fed = (*strict)->feed(server_flight);
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().alert, Alert::missing_extension);
  EXPECT_NE(fed.error().detail.find("no key_share"), std::string::npos) << fed.error().detail;
  EXPECT_FALSE((*strict)->handshake_done());
}

}  // namespace
}  // namespace tern::testing
