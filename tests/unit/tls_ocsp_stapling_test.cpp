// SPDX-License-Identifier: Apache-2.0
// OCSP stapling through the engine, both versions: the server staples when asked, the
// client verifies the staple, refuses a revoked certificate, and with require_ocsp a
// missing staple.
#include <gtest/gtest.h>

#include "msgs/certificate_status.h"
#include "tls13_test_util.h"
#include "x509/certificate.h"
#include "x509/ocsp_builder.h"

namespace tern::testing {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

struct Stapling : ::testing::TestWithParam<uint16_t> {
  static void SetUpTestSuite() {
    auto made = x509::make_test_pki();
    ASSERT_TRUE(made.ok()) << made.error().detail;
    pki = new x509::TestPki(std::move(*made));
  }
  static x509::TestPki* pki;

  Bytes response(OcspCertStatus status, Bytes serial = {}) {
    auto issuer = Certificate::parse_all(pki->intermediate.der);
    auto leaf = Certificate::parse_all(pki->leaf.der);
    x509::OcspResponseSpec s;
    const auto& i = (*issuer)[0].internal();
    s.issuer_name.assign(i.subject.der.begin(), i.subject.der.end());
    s.issuer_spki.assign(i.spki.begin(), i.spki.end());
    BytesView leaf_serial = (*leaf)[0].internal().serial;
    if (leaf_serial.size() > 1 && leaf_serial[0] == 0) leaf_serial = leaf_serial.subspan(1);
    s.serial = serial.empty() ? Bytes(leaf_serial.begin(), leaf_serial.end()) : serial;
    s.status = status;
    s.revocation_time = 1704067200;
    if (status == OcspCertStatus::revoked) s.reason = 1;
    s.produced_at = s.this_update = kTestNow - 3600;
    s.next_update = kTestNow + 86400;
    auto der = x509::build_ocsp_response(s, *pki->intermediate.key);
    EXPECT_TRUE(der.ok());
    return *der;
  }

  ClientConfig client() {
    ClientConfig config;
    config.server_name = "localhost";
    auto store = std::make_shared<TrustStore>();
    store->add((*Certificate::parse_all(pki->root.der))[0], "test root");
    config.trust_store = store;
    config.now = [] { return kTestNow; };
    config.min_version = config.max_version = GetParam();
    return config;
  }
  std::shared_ptr<ServerConfig> server(Bytes staple) {
    auto config = std::make_shared<ServerConfig>();
    CertifiedKey certified;
    certified.chain = {pki->leaf.der, pki->intermediate.der};
    auto pkcs8 = pki->leaf.key->pkcs8();
    certified.private_key.assign(pkcs8->view().begin(), pkcs8->view().end());
    certified.ocsp_response = std::move(staple);
    config->certificates.push_back(std::move(certified));
    config->now = [] { return kTestNow; };
    return config;
  }

  // Records the steps the client reports.
  struct Steps : Observer {
    std::vector<VerifyStep> steps;
    std::vector<uint8_t> types;
    void on_verification_step(const VerifyStep& step) override { steps.push_back(step); }
    void on_handshake_message(Direction d, Protection, uint8_t type, BytesView,
                              const std::string&) override {
      if (d == Direction::received) types.push_back(type);
    }
  };
};
x509::TestPki* Stapling::pki = nullptr;

TEST_P(Stapling, GoodStapleIsVerified) {
  Steps steps;
  ClientConfig config = client();
  config.observer = &steps;
  config.require_ocsp = true;
  auto pair = connect_pair(config, server(response(OcspCertStatus::good)));
  auto result = pump(*pair.client, *pair.server);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  ASSERT_TRUE(pair.client->handshake_done());
  bool seen = false;
  for (const auto& step : steps.steps)
    if (step.check == VerifyCheck::ocsp) {
      seen = true;
      EXPECT_TRUE(step.ok);
      EXPECT_TRUE(contains(step.detail, "stapled OCSP response: good (thisUpdate")) << step.detail;
    }
  EXPECT_TRUE(seen);
  ASSERT_TRUE(pair.client->ocsp_status());
  EXPECT_EQ(pair.client->ocsp_status()->status, OcspCertStatus::good);
  EXPECT_EQ(pair.client->ocsp_status()->signer, "the issuer");
  bool certificate_status = std::count(steps.types.begin(), steps.types.end(), 22) == 1;
  EXPECT_EQ(certificate_status, GetParam() == tls::kTls12);
}

TEST_P(Stapling, RevokedStapleIsRefused) {
  auto pair = connect_pair(client(), server(response(OcspCertStatus::revoked)));
  auto result = pump(*pair.client, *pair.server);
  ASSERT_FALSE(result.ok());
  ASSERT_TRUE(pair.client->error());
  const Error& e = *pair.client->error();
  EXPECT_EQ(e.alert, Alert::certificate_revoked);
  EXPECT_TRUE(contains(e.detail, "the server's certificate was revoked on 2024-01-01 00:00:00 UTC "
                                 "(reason keyCompromise) according to its stapled OCSP response"))
      << e.detail;
}

TEST_P(Stapling, StapleForAnotherCertificateIsRefused) {
  auto pair = connect_pair(client(), server(response(OcspCertStatus::good, Bytes{0x42})));
  ASSERT_FALSE(pump(*pair.client, *pair.server).ok());
  const Error& e = *pair.client->error();
  EXPECT_EQ(e.alert, Alert::bad_certificate_status_response);
  EXPECT_TRUE(contains(e.detail, "is for another certificate")) << e.detail;
}

TEST_P(Stapling, GarbageStapleIsRefused) {
  auto pair = connect_pair(client(), server(Bytes{0x30, 0x03, 0x01, 0x02}));
  ASSERT_FALSE(pump(*pair.client, *pair.server).ok());
  EXPECT_EQ(pair.client->error()->alert, Alert::bad_certificate_status_response);
}

TEST_P(Stapling, MissingStapleIsFineUnlessRequired) {
  auto plain = connect_pair(client(), server({}));
  EXPECT_TRUE(pump(*plain.client, *plain.server).ok());
  ClientConfig config = client();
  config.require_ocsp = true;
  auto required = connect_pair(config, server({}));
  ASSERT_FALSE(pump(*required.client, *required.server).ok());
  EXPECT_TRUE(contains(required.client->error()->detail, "stapled no OCSP response"))
      << required.client->error()->detail;
}

TEST_P(Stapling, NoStapleWhenTheClientDoesNotAsk) {
  Steps steps;
  ClientConfig config = client();
  config.request_ocsp = false;
  config.observer = &steps;
  auto pair = connect_pair(config, server(response(OcspCertStatus::revoked)));
  ASSERT_TRUE(pump(*pair.client, *pair.server).ok());  // never sent, so never seen
  EXPECT_EQ(std::count(steps.types.begin(), steps.types.end(), 22), 0);
}

TEST_P(Stapling, SourceIsAskedOnEachHandshake) {
  auto config = server({});
  int calls = 0;
  Bytes good = response(OcspCertStatus::good);
  config->certificates[0].ocsp_response_source = [&] {
    ++calls;
    return std::make_shared<const Bytes>(good);
  };
  ClientConfig c = client();
  c.require_ocsp = true;
  auto pair = connect_pair(c, config);
  ASSERT_TRUE(pump(*pair.client, *pair.server).ok());
  EXPECT_EQ(calls, 1);
}

// A resumption brings no certificate and so no staple: a session made without require_ocsp
// is not resumed under it (the full handshake then insists on a staple), while one made
// under it resumes.
TEST_P(Stapling, RequireOcspResumesOnlySessionsMadeUnderIt) {
  auto cache = std::make_shared<ClientSessionCache>();
  auto keys = TicketKeys::generate().value();
  auto stapling = server(response(OcspCertStatus::good));
  auto bare = server({});
  stapling->ticket_keys = bare->ticket_keys = keys;
  stapling->session_cache = bare->session_cache = std::make_shared<ServerSessionCache>();
  auto run = [&](bool require_ocsp, std::shared_ptr<ServerConfig> srv) {
    ClientConfig config = client();
    config.session_cache = cache;
    config.require_ocsp = require_ocsp;
    Pair pair = connect_pair(config, srv);
    (void)pump(*pair.client, *pair.server);
    return pair;
  };
  Pair lax = run(false, bare);
  ASSERT_TRUE(lax.client->handshake_done());
  EXPECT_FALSE(lax.client->ocsp_status());
  Pair strict = run(true, bare);  // does not resume lax's session: needs a staple, gets none
  ASSERT_TRUE(strict.client->error());
  EXPECT_TRUE(contains(strict.client->error()->detail, "stapled no OCSP response"))
      << strict.client->error()->detail;
  Pair stapled = run(true, stapling);
  ASSERT_TRUE(stapled.client->handshake_done());
  EXPECT_FALSE(stapled.client->resumed());
  EXPECT_TRUE(stapled.client->ocsp_status());
  Pair resumed = run(true, bare);  // made under require_ocsp: resumes without a staple
  ASSERT_TRUE(resumed.client->handshake_done()) << resumed.client->error()->detail;
  EXPECT_TRUE(resumed.client->resumed());
  EXPECT_FALSE(resumed.client->ocsp_status());
}

INSTANTIATE_TEST_SUITE_P(Versions, Stapling, ::testing::Values(tls::kTls13, tls::kTls12),
                         [](const auto& param_info) {
                           return std::string(param_info.param == tls::kTls13 ? "Tls13"
                                                                                : "Tls12");
                         });

TEST(CertificateStatusMessage, RoundTripAndStrictParse) {
  msgs::CertificateStatusMessage message{Bytes{0x30, 0x00}};
  Bytes encoded = message.encode();
  auto parsed = msgs::CertificateStatusMessage::parse(BytesView(encoded).subspan(4));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->ocsp_response, (Bytes{0x30, 0x00}));
  EXPECT_FALSE(msgs::CertificateStatusMessage::parse(Bytes{1, 0, 0, 0}).ok());     // empty
  EXPECT_FALSE(msgs::CertificateStatusMessage::parse(Bytes{2, 0, 0, 1, 0}).ok());  // not ocsp
  EXPECT_FALSE(msgs::CertificateStatusMessage::parse(Bytes{1, 0, 0, 2, 0}).ok());  // short
}

}  // namespace
}  // namespace tern::testing
