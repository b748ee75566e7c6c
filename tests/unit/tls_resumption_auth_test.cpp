// SPDX-License-Identifier: Apache-2.0
// Resumption never outlives the trust that made the session: a client resumes only a session
// made under the same authentication context (verified or not, the same roots, the same
// name), a server only a ticket or session ID issued under the same client-auth mode and
// client roots. Each case in TLS 1.3 (tickets), TLS 1.2 tickets and TLS 1.2 session IDs.
#include <gtest/gtest.h>

#include "tls13_test_util.h"

namespace tern::testing {
namespace {

struct Flavour {
  uint16_t version;
  bool tickets;  // TLS 1.2 without tickets resumes by session ID
  const char* name;
};

// A root that the test PKIs' certificates do not chain to.
Certificate unrelated_root() {
  static const Certificate root = [] {
    auto pki = x509::make_test_pki({});
    if (!pki) throw std::runtime_error(pki.error().detail);
    return Certificate::parse_all(pki->root.der).value()[0];
  }();
  return root;
}

// A new TrustStore object holding `roots`: equal content, another object.
std::shared_ptr<const TrustStore> store_of(const std::vector<Certificate>& roots) {
  auto store = std::make_shared<TrustStore>();
  for (const Certificate& root : roots) store->add(root, "test");
  return store;
}

Certificate server_root() { return test_client_config().trust_store->anchors()[0].first; }

TEST(TrustStoreFingerprint, NamesTheSetOfRootsWhateverTheOrder) {
  auto both = store_of({server_root(), unrelated_root()});
  EXPECT_EQ(both->fingerprint().size(), AuthContext::kFingerprintSize);
  EXPECT_EQ(both->fingerprint(), store_of({unrelated_root(), server_root()})->fingerprint());
  EXPECT_NE(both->fingerprint(), store_of({server_root()})->fingerprint());
  TrustStore growing;
  growing.add(server_root(), "a");
  Bytes one = growing.fingerprint();
  EXPECT_EQ(one, store_of({server_root()})->fingerprint());
  growing.add(unrelated_root(), "b");  // computed again after add()
  EXPECT_EQ(growing.fingerprint(), both->fingerprint());
}

class ResumptionAuth : public ::testing::TestWithParam<Flavour> {
 protected:
  std::shared_ptr<ClientSessionCache> cache = std::make_shared<ClientSessionCache>();
  std::shared_ptr<TicketKeys> keys = TicketKeys::generate().value();
  std::shared_ptr<ServerSessionCache> ids = std::make_shared<ServerSessionCache>();

  // Server configs share ticket keys and the session-ID cache: only what the test changes
  // differs between them.
  std::shared_ptr<ServerConfig> server() {
    auto config = test_server_config();
    config->max_version = GetParam().version;
    config->tickets = GetParam().tickets ? 2 : 0;
    config->ticket_keys = keys;
    config->session_cache = ids;
    return config;
  }
  std::shared_ptr<ServerConfig> mtls_server(ServerConfig::ClientAuth mode,
                                            std::vector<Certificate> roots) {
    auto config = server();
    config->client_auth = mode;
    config->client_roots = store_of(roots);
    return config;
  }
  ClientConfig client() {
    ClientConfig config = test_client_config();
    config.trust_store = store_of({server_root()});
    config.session_cache = cache;
    return config;
  }
  // A handshake that must succeed; the pair for inspection.
  Pair run(ClientConfig config, std::shared_ptr<const ServerConfig> server_config) {
    Pair pair = connect_pair(std::move(config), std::move(server_config));
    auto pumped = pump(*pair.client, *pair.server);
    EXPECT_TRUE(pumped) << pumped.error();
    EXPECT_TRUE(pair.client->handshake_done());
    EXPECT_TRUE(pair.server->handshake_done());
    EXPECT_EQ(pair.client->version(), GetParam().version);
    EXPECT_EQ(pair.client->resumed(), pair.server->resumed());
    return pair;
  }
  // The context of the newest session the client holds (put back for the next handshake).
  AuthContext stored_auth() {
    auto session = cache->take("localhost", kTestNow);
    EXPECT_TRUE(session);
    if (!session) return {};
    AuthContext auth = session->auth;
    cache->put("localhost", std::move(*session));
    return auth;
  }
};

// ---- the client ----

TEST_P(ResumptionAuth, SameTrustResumesUnderAnotherConfigObject) {
  auto srv = server();
  EXPECT_FALSE(run(client(), srv).client->resumed());
  AuthContext auth = stored_auth();
  EXPECT_EQ(auth.mode, AuthContext::Mode::verified);
  EXPECT_EQ(auth.hostname, "localhost");
  EXPECT_EQ(auth.roots, store_of({server_root()})->fingerprint());
  EXPECT_TRUE(run(client(), srv).client->resumed());  // a new store, the same roots
}

TEST_P(ResumptionAuth, InsecureSessionIsNotResumedByAVerifyingClient) {
  auto srv = server();
  ClientConfig insecure = client();
  insecure.insecure_skip_verify = true;
  insecure.trust_store = store_of({});  // would verify nothing
  run(insecure, srv);
  EXPECT_EQ(stored_auth().mode, AuthContext::Mode::none);
  Pair strict = run(client(), srv);
  EXPECT_FALSE(strict.client->resumed());
  EXPECT_NE(strict.client->signature_scheme(), 0);  // the server proved its key again
  EXPECT_EQ(stored_auth().mode, AuthContext::Mode::verified);
}

TEST_P(ResumptionAuth, InsecureClientResumesItsOwnSessions) {
  auto srv = server();
  ClientConfig insecure = client();
  insecure.insecure_skip_verify = true;
  run(insecure, srv);
  EXPECT_TRUE(run(insecure, srv).client->resumed());
  // A verified session is not resumed by a -k config either: the contexts differ.
  run(client(), srv);
  EXPECT_FALSE(run(insecure, srv).client->resumed());
}

TEST_P(ResumptionAuth, SessionVerifiedAgainstOtherRootsIsNotResumed) {
  auto srv = server();
  run(client(), srv);
  ClientConfig other_roots = client();
  other_roots.trust_store = store_of({server_root(), unrelated_root()});  // still verifies
  Pair pair = run(other_roots, srv);
  EXPECT_FALSE(pair.client->resumed());
  // The full handshake's session is for the new roots, and resumes under them.
  EXPECT_TRUE(run(other_roots, srv).client->resumed());
}

TEST_P(ResumptionAuth, SessionVerifiedForAnotherNameIsNotResumed) {
  auto srv = server();
  run(client(), srv);
  // The same server name but a context that names another host (a session file for
  // another name, edited): the context decides on its own.
  auto session = cache->take("localhost", kTestNow);
  ASSERT_TRUE(session);
  session->auth.hostname = "other.example";
  cache->put("localhost", std::move(*session));
  EXPECT_FALSE(run(client(), srv).client->resumed());
}

// ---- the server ----

TEST_P(ResumptionAuth, ServerResumesUnderTheSameClientAuthAndKeepsTheClientIdentity) {
  using ClientAuth = ServerConfig::ClientAuth;
  ClientConfig mine = client();
  mine.client_certificate = client_pki().certified;
  run(mine, mtls_server(ClientAuth::request, {client_pki().root}));
  Pair again = run(mine, mtls_server(ClientAuth::request, {client_pki().root}));
  EXPECT_TRUE(again.server->resumed());
  ASSERT_EQ(again.server->peer_chain().size(), 2u);
  EXPECT_EQ(again.server->peer_chain()[0], client_pki().certified.chain[0]);
}

TEST_P(ResumptionAuth, ServerDoesNotResumeUnderOtherClientRoots) {
  using ClientAuth = ServerConfig::ClientAuth;
  ClientConfig mine = client();
  mine.client_certificate = client_pki().certified;
  run(mine, mtls_server(ClientAuth::request, {client_pki().root}));
  Pair again = run(mine, mtls_server(ClientAuth::request, {client_pki().root, unrelated_root()}));
  EXPECT_FALSE(again.server->resumed());
  ASSERT_EQ(again.server->peer_chain().size(), 2u);  // verified again, in full
}

TEST_P(ResumptionAuth, ServerDoesNotResumeUnderAnotherClientAuthMode) {
  using ClientAuth = ServerConfig::ClientAuth;
  ClientConfig mine = client();
  mine.client_certificate = client_pki().certified;
  // none -> request, request -> require: full handshakes, the certificate checked again.
  run(mine, server());
  Pair requested = run(mine, mtls_server(ClientAuth::request, {client_pki().root}));
  EXPECT_FALSE(requested.server->resumed());
  EXPECT_EQ(requested.server->peer_chain().size(), 2u);
  Pair required = run(mine, mtls_server(ClientAuth::require, {client_pki().root}));
  EXPECT_FALSE(required.server->resumed());
  EXPECT_EQ(required.server->peer_chain().size(), 2u);
  // require -> none: the server no longer asks, and does not resume either.
  EXPECT_FALSE(run(mine, server()).server->resumed());
}

TEST_P(ResumptionAuth, TicketOfAnUnauthenticatedClientIsRefusedWhenAuthIsRequired) {
  using ClientAuth = ServerConfig::ClientAuth;
  // The client has no certificate: accepted under `request`, with no identity.
  run(client(), mtls_server(ClientAuth::request, {client_pki().root}));
  Pair again = run(client(), mtls_server(ClientAuth::request, {client_pki().root}));
  EXPECT_TRUE(again.server->resumed());
  EXPECT_TRUE(again.server->peer_chain().empty());
  // Under `require` it is not resumed: the full handshake refuses the client.
  Pair pair = connect_pair(client(), mtls_server(ClientAuth::require, {client_pki().root}));
  EXPECT_FALSE(pump(*pair.client, *pair.server));
  EXPECT_FALSE(pair.server->resumed());
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, GetParam().version == tls::kTls13
                                             ? Alert::certificate_required
                                             : Alert::handshake_failure);
}

INSTANTIATE_TEST_SUITE_P(Flavours, ResumptionAuth,
                         ::testing::Values(Flavour{tls::kTls13, true, "Tls13"},
                                           Flavour{tls::kTls12, true, "Tls12Ticket"},
                                           Flavour{tls::kTls12, false, "Tls12SessionId"}),
                         [](const auto& param_info) {
                           return std::string(param_info.param.name);
                         });

}  // namespace
}  // namespace tern::testing
