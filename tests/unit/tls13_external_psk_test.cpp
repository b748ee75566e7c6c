// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 external PSKs (RFC 8446 §4.2.11), tern against tern: accepted, refused, mixed
// with certificates; and the PSK file loader's checks.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "tls12_test_util.h"
#include "tls13_test_util.h"

namespace tern::testing {
namespace {

ExternalPsk test_psk(std::string identity = "client1", uint8_t fill = 0x42) {
  ExternalPsk psk;
  psk.identity.assign(identity.begin(), identity.end());
  psk.key = SecretBuffer(Bytes(32, fill));
  return psk;
}

ClientConfig psk_client(ExternalPsk psk) {
  ClientConfig config = test_client_config();
  config.external_psk = std::move(psk);
  return config;
}

std::shared_ptr<ServerConfig> psk_only_server() {
  auto config = std::make_shared<ServerConfig>();
  config->external_psks.push_back(test_psk("other", 0x11));
  config->external_psks.push_back(test_psk());
  return config;
}

TEST(ExternalPsk, PskOnlyServerAndClientHandshakeWithoutCertificates) {
  auto pair = connect_pair(psk_client(test_psk()), psk_only_server());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->handshake_done());
  ASSERT_TRUE(pair.server->handshake_done());
  EXPECT_TRUE(pair.client->external_psk());
  EXPECT_TRUE(pair.server->external_psk());
  EXPECT_FALSE(pair.client->resumed());
  EXPECT_TRUE(pair.client->peer_chain().empty());
  EXPECT_EQ(pair.client->signature_scheme(), 0);
  EXPECT_NE(pair.client->group(), 0);  // psk_dhe_ke: (EC)DHE as well
  ASSERT_TRUE(pair.client->write(Bytes{'h', 'i'}));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "hi");
}

TEST(ExternalPsk, ClientHelloOffersExternalIdentityWithDheModeOnly) {
  auto client = ClientConnection::create(psk_client(test_psk()));
  ASSERT_TRUE(client);
  auto hello = first_client_hello(**client);
  auto* offer = hello.get<msgs::PreSharedKeyOffer>(msgs::ExtensionType::pre_shared_key);
  ASSERT_NE(offer, nullptr);
  ASSERT_EQ(offer->identities.size(), 1u);
  EXPECT_EQ(offer->identities[0].identity, Bytes({'c', 'l', 'i', 'e', 'n', 't', '1'}));
  EXPECT_EQ(offer->identities[0].obfuscated_ticket_age, 0u);
  auto* modes = hello.get<msgs::PskKeyExchangeModes>(msgs::ExtensionType::psk_key_exchange_modes);
  ASSERT_NE(modes, nullptr);
  EXPECT_EQ(modes->modes, std::vector{msgs::PskKeyExchangeMode::psk_dhe_ke});
  EXPECT_EQ(hello.extensions.back().type, msgs::ExtensionType::pre_shared_key);
}

TEST(ExternalPsk, WrongKeyIsDecryptError) {
  auto pair = connect_pair(psk_client(test_psk("client1", 0x43)), psk_only_server());
  auto result = pump(*pair.client, *pair.server);
  ASSERT_FALSE(result);
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, Alert::decrypt_error);
  EXPECT_NE(pair.server->error()->detail.find("binder"), std::string::npos);
  ASSERT_TRUE(pair.client->error());  // the alert reached it
  EXPECT_FALSE(pair.client->handshake_done());
}

TEST(ExternalPsk, UnknownIdentityOnPskOnlyServerIsHandshakeFailure) {
  auto pair = connect_pair(psk_client(test_psk("stranger")), psk_only_server());
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, Alert::handshake_failure);
  EXPECT_NE(pair.server->error()->detail.find("no external PSK"), std::string::npos);
}

TEST(ExternalPsk, ClientWithoutPskOnPskOnlyServerIsHandshakeFailure) {
  auto pair = connect_pair(test_client_config(), psk_only_server());
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  EXPECT_EQ(pair.server->error()->alert, Alert::handshake_failure);
}

TEST(ExternalPsk, UnknownIdentityFallsBackToCertificates) {
  auto server = test_server_config();
  server->external_psks.push_back(test_psk());
  auto pair = connect_pair(psk_client(test_psk("stranger")), server);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->handshake_done());
  EXPECT_FALSE(pair.client->external_psk());
  EXPECT_FALSE(pair.client->peer_chain().empty());  // certificate-authenticated
}

TEST(ExternalPsk, ServerWithCertificatesAcceptsPskAndSendsNoCertificate) {
  auto server = test_server_config();
  server->external_psks.push_back(test_psk());
  server->client_auth = ServerConfig::ClientAuth::require;  // the PSK stands in for it
  server->client_roots = client_pki().roots;
  auto pair = connect_pair(psk_client(test_psk()), server);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->handshake_done());
  EXPECT_TRUE(pair.client->external_psk());
  EXPECT_TRUE(pair.client->peer_chain().empty());
}

// RFC 8446 §9.2: signature_algorithms is needed for certificate authentication only. A
// client that sends none but offers a PSK the server knows is served; offering an unknown
// one, it gets missing_extension, on a server with certificates or without.
void drop_signature_algorithms(msgs::ClientHello& hello) {
  std::erase_if(hello.extensions, [](const msgs::Extension& e) {
    return e.type == msgs::ExtensionType::signature_algorithms;
  });
}

TEST(ExternalPsk, AcceptedWithoutSignatureAlgorithms) {
  for (bool certificates : {false, true}) {
    auto server_config = certificates ? test_server_config() : psk_only_server();
    server_config->external_psks = psk_only_server()->external_psks;
    auto client = raw_client(psk_client(test_psk()), drop_signature_algorithms);
    auto server = ServerConnection::create(server_config);
    ASSERT_TRUE(server);
    auto pumped = pump_any(*client.conn, **server);
    ASSERT_TRUE(pumped) << pumped.error();
    EXPECT_TRUE((*server)->handshake_done()) << certificates;
    EXPECT_TRUE((*server)->external_psk());
  }
}

TEST(ExternalPsk, UnknownPskWithoutSignatureAlgorithmsIsMissingExtension) {
  auto server_config = test_server_config();
  server_config->external_psks = psk_only_server()->external_psks;
  auto client = raw_client(psk_client(test_psk("stranger")), drop_signature_algorithms);
  auto server = ServerConnection::create(server_config);
  ASSERT_TRUE(server);
  ASSERT_FALSE(pump_any(*client.conn, **server));
  ASSERT_TRUE((*server)->error());
  EXPECT_EQ((*server)->error()->alert, Alert::missing_extension);
  EXPECT_NE((*server)->error()->detail.find("no signature_algorithms"), std::string::npos)
      << (*server)->error()->detail;
}

TEST(ExternalPsk, HashMismatchIsNotAccepted) {
  auto server = test_server_config();
  ExternalPsk sha384 = test_psk();
  sha384.hash = ExternalPsk::Hash::sha384;
  server->external_psks.push_back(std::move(sha384));
  // The client's PSK is SHA-256's; the server's entry of that name is SHA-384's.
  auto pair = connect_pair(psk_client(test_psk()), server);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_FALSE(pair.client->external_psk());
}

TEST(ExternalPsk, Sha384PskNegotiatesASha384Suite) {
  ExternalPsk psk = test_psk();
  psk.hash = ExternalPsk::Hash::sha384;
  auto server = std::make_shared<ServerConfig>();
  server->external_psks.push_back(psk);
  server->cipher_suites = {tls::kAes256GcmSha384};
  auto pair = connect_pair(psk_client(psk), server);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.client->external_psk());
  EXPECT_EQ(pair.client->cipher_suite(), tls::kAes256GcmSha384);
}

TEST(ExternalPsk, PskSurvivesHelloRetryRequest) {
  ClientConfig client = psk_client(test_psk());
  client.key_share_groups = {tls::kSecp384r1};
  auto server = psk_only_server();
  server->groups = {tls::kX25519};
  auto pair = connect_pair(std::move(client), server);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.client->hello_retry_request());
  EXPECT_TRUE(pair.server->external_psk());
}

TEST(ExternalPsk, NoTicketsAfterExternalPsk) {
  ClientConfig client = psk_client(test_psk());
  client.session_cache = std::make_shared<ClientSessionCache>();
  auto pair = connect_pair(client, psk_only_server());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->external_psk());
  EXPECT_FALSE(client.session_cache->take("localhost", kTestNow));
}

TEST(ExternalPsk, TlsTwelveOnlyClientOnPskOnlyServerIsRefused) {
  ClientConfig client = test_client_config();
  client.max_version = tls::kTls12;
  auto pair = connect_pair(client, psk_only_server());
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  EXPECT_EQ(pair.server->error()->alert, Alert::protocol_version);
}

TEST(ExternalPsk, ConfigChecks) {
  ExternalPsk short_key = test_psk();
  short_key.key = SecretBuffer(Bytes(15, 1));
  EXPECT_FALSE(short_key.check());
  ExternalPsk no_identity = test_psk();
  no_identity.identity.clear();
  EXPECT_FALSE(no_identity.check());
  EXPECT_FALSE(ClientConnection::create(psk_client(short_key)));
  ClientConfig tls12 = psk_client(test_psk());
  tls12.max_version = tls::kTls12;
  EXPECT_FALSE(ClientConnection::create(tls12));
  auto server = std::make_shared<ServerConfig>();
  server->external_psks.push_back(short_key);
  EXPECT_FALSE(ServerConnection::create(server));
}

std::string temp_file(const std::string& contents, mode_t mode) {
  char path[] = "/tmp/tern-psk-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, contents.data(), contents.size()), static_cast<ssize_t>(contents.size()));
  close(fd);
  chmod(path, mode);
  return path;
}

TEST(ExternalPsk, LoadsHexAndRawKeysAndRefusesReadableFiles) {
  std::string hex = temp_file("  00112233445566778899aabbccddeeff0011\n", 0600);
  auto psk = ExternalPsk::load("id", hex);
  ASSERT_TRUE(psk) << psk.error().detail;
  EXPECT_EQ(psk->key.size(), 18u);
  EXPECT_EQ(psk->key.view()[1], 0x11);
  std::string raw = temp_file(std::string("\x01\x02zzzzzzzzzzzzzzzzzzz", 21), 0600);
  auto raw_psk = ExternalPsk::load("id", raw);
  ASSERT_TRUE(raw_psk);
  EXPECT_EQ(raw_psk->key.size(), 21u);
  std::string readable = temp_file("00112233445566778899aabbccddeeff", 0644);
  auto refused = ExternalPsk::load("id", readable);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("chmod"), std::string::npos) << refused.error().detail;
  EXPECT_EQ(refused.error().detail.find("00112233"), std::string::npos);  // never echoed
  std::string tiny = temp_file("0011", 0600);
  EXPECT_FALSE(ExternalPsk::load("id", tiny));
  for (const auto& p : {hex, raw, readable, tiny}) std::remove(p.c_str());
}

}  // namespace
}  // namespace tern::testing
