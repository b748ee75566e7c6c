// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 client against hand-made and mutated server messages.
#include <gtest/gtest.h>

#include "msgs/handshake.h"
#include "tls13_test_util.h"

namespace tern::testing {
namespace {


ClientConfig pinned_config() {
  ClientConfig config = test_client_config();
  config.middlebox_compat = false;  // empty legacy_session_id: easy to echo by hand
  config.random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0x5a); };
  config.key_share_private_key = pinned_key_shares(true, 0x07);
  return config;
}

std::unique_ptr<ClientConnection> started_client(ClientConfig config) {
  auto client = ClientConnection::create(std::move(config));
  if (!client) throw std::runtime_error(client.error().detail);
  (*client)->consume_output((*client)->pending_output().size());
  return std::move(*client);
}

msgs::ServerHello tls12_server_hello() {
  msgs::ServerHello hello;
  hello.legacy_version = msgs::ProtocolVersion::tls12;
  hello.random.fill(0x33);
  hello.cipher_suite = msgs::CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256;
  return hello;
}

TEST(Tls13Client, Tls12ServerIsProtocolVersionWhenTls12IsOff) {
  ClientConfig config = pinned_config();
  config.min_version = tls::kTls13;
  auto client = started_client(std::move(config));
  auto result = client->feed(plaintext_record(22, tls12_server_hello().encode()));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, Alert::protocol_version);
  EXPECT_NE(result.error().detail.find("configured for TLS 1.3"), std::string::npos)
      << result.error();
}

TEST(Tls13Client, DowngradeSentinelIsIllegalParameter) {
  auto client = started_client(pinned_config());
  msgs::ServerHello hello = tls12_server_hello();
  std::copy(msgs::kDowngradeTls12Sentinel.begin(), msgs::kDowngradeTls12Sentinel.end(),
            hello.random.begin() + 24);
  auto result = client->feed(plaintext_record(22, hello.encode()));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, Alert::illegal_parameter);
  EXPECT_NE(result.error().detail.find("downgrade"), std::string::npos) << result.error();
}

msgs::ServerHello hello_retry_request(msgs::NamedGroup group) {
  msgs::ServerHello hrr;
  hrr.random = msgs::kHelloRetryRequestRandom;
  hrr.cipher_suite = msgs::CipherSuite::tls_aes_128_gcm_sha256;
  hrr.extensions.push_back({msgs::ExtensionType::supported_versions,
                            msgs::SupportedVersionSelected{msgs::ProtocolVersion::tls13}});
  hrr.extensions.push_back(
      {msgs::ExtensionType::key_share, msgs::KeyShareHelloRetryRequest{group}});
  return hrr;
}

TEST(Tls13Client, SecondHelloRetryRequestIsUnexpected) {
  auto client = started_client(pinned_config());
  ASSERT_TRUE(client->feed(
      plaintext_record(22, hello_retry_request(msgs::NamedGroup::secp256r1).encode())));
  EXPECT_FALSE(client->pending_output().empty());  // the second ClientHello
  client->consume_output(client->pending_output().size());
  auto result =
      client->feed(plaintext_record(22, hello_retry_request(msgs::NamedGroup::secp384r1).encode()));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, Alert::unexpected_message);
  EXPECT_NE(result.error().detail.find("second HelloRetryRequest"), std::string::npos);
}

TEST(Tls13Client, HelloRetryRequestForSentGroupIsIllegal) {
  auto client = started_client(pinned_config());  // sent an X25519 share
  auto result =
      client->feed(plaintext_record(22, hello_retry_request(msgs::NamedGroup::x25519).encode()));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, Alert::illegal_parameter);
}

TEST(Tls13Client, ApplicationDataBeforeHandshakeIsUnexpected) {
  auto client = started_client(pinned_config());
  auto result = client->feed(plaintext_record(23, as_bytes("hello")));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, Alert::unexpected_message);
}

// Records a server flight for a pinned client, then replays it with each byte flipped in
// turn: every flip either fails the handshake cleanly (closed, with an alert queued) or
// hits a field TLS ignores (the legacy record version), in which case it completes, or
// lengthens a record, in which case the client waits for more bytes.
TEST(Tls13Client, EveryFlippedByteOfTheServerFlightFailsCleanly) {
  auto pair = connect_pair(pinned_config(), test_server_config());
  BytesView hello = pair.client->pending_output();
  ASSERT_TRUE(pair.server->feed(Bytes(hello.begin(), hello.end())));
  Bytes flight(pair.server->pending_output().begin(), pair.server->pending_output().end());
  ASSERT_GT(flight.size(), 300u);
  size_t failures = 0, completions = 0, waits = 0;
  for (size_t i = 0; i < flight.size(); i += 3) {
    auto client = started_client(pinned_config());
    Bytes mutated = flight;
    mutated[i] ^= 0x40;
    auto result = client->feed(mutated);
    if (result && !client->handshake_done()) {
      // A record length made longer: the client waits for the rest, as it must.
      EXPECT_TRUE(client->wants_read());
      ++waits;
    } else if (result) {
      ++completions;
    } else {
      EXPECT_TRUE(client->closed()) << "byte " << i;
      EXPECT_NE(result.error().alert, Alert::none) << "byte " << i << ": " << result.error();
      ++failures;
    }
  }
  EXPECT_GT(failures, 10 * completions);
  EXPECT_LE(waits, 4u);  // only the high bytes of the few record lengths
}

}  // namespace
}  // namespace tern::testing

namespace tern::testing {
namespace {

// RFC 6066 §3: a host given as an IP literal is not sent as SNI.
TEST(Tls13Client, IpLiteralServerNameSendsNoSni) {
  for (const char* name : {"127.0.0.1", "::1", "localhost"}) {
    ClientConfig config = test_client_config();
    config.server_name = name;
    auto client = ClientConnection::create(config);
    ASSERT_TRUE(client);
    auto hello = msgs::ClientHello::parse((*client)->pending_output().subspan(5 + 4));
    ASSERT_TRUE(hello);
    bool has_sni = hello->find(msgs::ExtensionType::server_name) != nullptr;
    EXPECT_EQ(has_sni, std::string(name) == "localhost") << name;
  }
}

}  // namespace
}  // namespace tern::testing
