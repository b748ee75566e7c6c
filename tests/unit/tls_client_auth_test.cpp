// SPDX-License-Identifier: Apache-2.0
// Client certificates on the server: the CA names its CertificateRequest carries (TLS 1.3
// and 1.2) and ClientAuth::optional against required with a chain that does not verify.
#include <gtest/gtest.h>

#include "tls13_test_util.h"
#include "x509/certificate.h"

namespace tern::testing {
namespace {

// Records the CertificateRequest the client receives.
struct RequestSpy : Observer {
  Bytes request;
  void on_handshake_message(Direction direction, Protection, uint8_t type, BytesView message,
                            const std::string&) override {
    if (direction == Direction::received && type == 13)
      request.assign(message.begin(), message.end());
  }
};

std::shared_ptr<ServerConfig> mtls_server(ServerConfig::ClientAuth mode, uint16_t version) {
  auto config = test_server_config();
  config->client_auth = mode;
  config->client_roots = client_pki().roots;
  config->max_version = version;
  return config;
}

Bytes client_root_subject() {
  BytesView der = client_pki().root.internal().subject.der;
  return Bytes(der.begin(), der.end());
}

class ClientAuthVersions : public ::testing::TestWithParam<uint16_t> {};

TEST_P(ClientAuthVersions, CertificateRequestNamesTheClientRoots) {
  RequestSpy spy;
  ClientConfig client = test_client_config();
  client.max_version = GetParam();
  client.client_certificate = client_pki().certified;
  client.observer = &spy;
  auto pair = connect_pair(client, mtls_server(ServerConfig::ClientAuth::require, GetParam()));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->handshake_done());
  ASSERT_GT(spy.request.size(), 4u);
  BytesView body = BytesView(spy.request).subspan(4);
  std::vector<Bytes> names;
  if (GetParam() == tls::kTls13) {
    auto request = msgs::CertificateRequest13::parse(body);
    ASSERT_TRUE(request);
    auto* cas = msgs::find_extension_body<msgs::CertificateAuthorities>(
        request->extensions, msgs::ExtensionType::certificate_authorities);
    ASSERT_NE(cas, nullptr);
    names = cas->names;
  } else {
    auto request = msgs::CertificateRequest12::parse(body);
    ASSERT_TRUE(request);
    names = request->certificate_authorities;
  }
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0], client_root_subject());
  EXPECT_EQ(pair.server->peer_chain().size(), 2u);
}

TEST_P(ClientAuthVersions, NoCaNamesWhenSwitchedOff) {
  RequestSpy spy;
  ClientConfig client = test_client_config();
  client.max_version = GetParam();
  client.observer = &spy;
  auto server = mtls_server(ServerConfig::ClientAuth::request, GetParam());
  server->send_client_ca_names = false;
  auto pair = connect_pair(client, server);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  BytesView body = BytesView(spy.request).subspan(4);
  if (GetParam() == tls::kTls13) {
    auto request = msgs::CertificateRequest13::parse(body);
    ASSERT_TRUE(request);
    EXPECT_EQ(
        msgs::find_extension(request->extensions, msgs::ExtensionType::certificate_authorities),
        nullptr);
  } else {
    auto request = msgs::CertificateRequest12::parse(body);
    ASSERT_TRUE(request);
    EXPECT_TRUE(request->certificate_authorities.empty());
  }
}

// A client whose chain the server's roots do not know (the server chain's roots).
ClientConfig client_with_untrusted_certificate(uint16_t version) {
  ClientConfig client = test_client_config();
  client.max_version = version;
  client.client_certificate = client_pki().certified;
  return client;
}

std::shared_ptr<ServerConfig> server_with_other_roots(ServerConfig::ClientAuth mode,
                                                      uint16_t version) {
  auto config = mtls_server(mode, version);
  config->client_roots = test_credentials(crypto::KeyType::ec_p256).roots;
  return config;
}

TEST_P(ClientAuthVersions, OptionalServesABadCertificateUnauthenticated) {
  auto pair = connect_pair(client_with_untrusted_certificate(GetParam()),
                           server_with_other_roots(ServerConfig::ClientAuth::optional, GetParam()));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->handshake_done());
  ASSERT_TRUE(pair.client->handshake_done());
  EXPECT_EQ(pair.server->version(), GetParam());
  EXPECT_TRUE(pair.server->peer_chain().empty());
  EXPECT_NE(pair.server->client_certificate_error().find("client certificate rejected"),
            std::string::npos)
      << pair.server->client_certificate_error();
  ASSERT_TRUE(pair.client->write(Bytes{'o', 'k'}));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "ok");
}

TEST_P(ClientAuthVersions, OptionalKeepsAGoodCertificate) {
  ClientConfig client = test_client_config();
  client.max_version = GetParam();
  client.client_certificate = client_pki().certified;
  auto pair = connect_pair(client, mtls_server(ServerConfig::ClientAuth::optional, GetParam()));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(pair.server->peer_chain().size(), 2u);
  EXPECT_TRUE(pair.server->client_certificate_error().empty());
}

TEST_P(ClientAuthVersions, RequiredRefusesABadCertificate) {
  auto pair = connect_pair(client_with_untrusted_certificate(GetParam()),
                           server_with_other_roots(ServerConfig::ClientAuth::require, GetParam()));
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->error());
  EXPECT_FALSE(pair.server->handshake_done());
  EXPECT_EQ(pair.server->error()->code, Errc::certificate);
}

INSTANTIATE_TEST_SUITE_P(Versions, ClientAuthVersions, ::testing::Values(tls::kTls13, tls::kTls12),
                         [](const auto& p) { return p.param == tls::kTls13 ? "Tls13" : "Tls12"; });

}  // namespace
}  // namespace tern::testing
