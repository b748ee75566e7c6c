// SPDX-License-Identifier: Apache-2.0
// In-memory TLS 1.2 handshakes between tern's client and server: every suite, group and
// key type that fit together, in both roles and with either side also able to speak TLS 1.3;
// data, close_notify, the key log and exporters (checked against OpenSSL's PRF), the
// extended master secret, the downgrade sentinel, TLS_FALLBACK_SCSV and refused
// renegotiation.
#include <gtest/gtest.h>

#include <cctype>
#include <tuple>

#include "handshake/signing.h"
#include "tls12_test_util.h"

namespace tern::testing {
namespace {

using crypto::KeyType;
using msgs::ExtensionType;

bool is_rsa_key_transport(uint16_t suite) {
  return suite == tls::kRsaAes128GcmSha256 || suite == tls::kRsaAes256GcmSha384;
}

// ---- the matrix ----

// Which side is limited to TLS 1.2 (the other keeps the default, TLS 1.2 and 1.3).
enum class Mode { both_tls12, default_client, default_server };

struct Case {
  uint16_t suite;
  uint16_t group;
  KeyType key;
  Mode mode;
};

std::vector<Case> matrix() {
  const uint16_t ecdsa[] = {tls::kEcdheEcdsaAes128GcmSha256, tls::kEcdheEcdsaAes256GcmSha384,
                            tls::kEcdheEcdsaChacha20Poly1305};
  const uint16_t rsa[] = {tls::kEcdheRsaAes128GcmSha256, tls::kEcdheRsaAes256GcmSha384,
                          tls::kEcdheRsaChacha20Poly1305};
  const uint16_t groups[] = {tls::kX25519, tls::kSecp256r1, tls::kSecp384r1};
  std::vector<Case> out;
  for (Mode mode : {Mode::both_tls12, Mode::default_client, Mode::default_server}) {
    for (uint16_t group : groups) {
      for (uint16_t suite : ecdsa)
        for (KeyType key : {KeyType::ec_p256, KeyType::ec_p384, KeyType::ed25519})
          out.push_back({suite, group, key, mode});
      for (uint16_t suite : rsa)
        for (KeyType key : {KeyType::rsa, KeyType::rsa_pss}) out.push_back({suite, group, key, mode});
    }
    // Key transport has no group.
    for (uint16_t suite : {tls::kRsaAes128GcmSha256, tls::kRsaAes256GcmSha384})
      out.push_back({suite, tls::kX25519, KeyType::rsa, mode});
  }
  return out;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  const Case& c = info.param;
  std::string name = msgs::to_string(static_cast<msgs::CipherSuite>(c.suite));
  if (!is_rsa_key_transport(c.suite))
    name += "_" + msgs::to_string(static_cast<msgs::NamedGroup>(c.group));
  name += std::string("_") + crypto::key_type_name(c.key);
  name += c.mode == Mode::both_tls12       ? "_Both12"
          : c.mode == Mode::default_client ? "_DefaultClient"
                                           : "_DefaultServer";
  std::string clean;
  for (char ch : name) clean += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return clean;
}

class Tls12Matrix : public ::testing::TestWithParam<Case> {};

TEST_P(Tls12Matrix, HandshakeDataAndClose) {
  const Case c = GetParam();
  const bool key_transport = is_rsa_key_transport(c.suite);
  ClientConfig cc = test_client_config(c.key);
  auto sc = test_server_config(c.key);
  cc.legacy_rsa_key_exchange = key_transport;
  sc->legacy_rsa_key_exchange = key_transport;
  // RFC 8422 §5.1: supported_groups also names the curves the client accepts in ECDSA
  // certificates, so a client limited to one key exchange group lists its server's curve too.
  uint16_t curve = c.key == crypto::KeyType::ec_p256   ? tls::kSecp256r1
                   : c.key == crypto::KeyType::ec_p384 ? tls::kSecp384r1
                                                       : 0;
  if (c.mode != Mode::default_client) {
    cc.max_version = tls::kTls12;
    cc.cipher_suites = {c.suite};
    cc.groups = {c.group};
    if (curve && curve != c.group) cc.groups.push_back(curve);
  }
  if (c.mode != Mode::default_server) {
    sc->max_version = tls::kTls12;
    sc->cipher_suites = {c.suite};
  }
  sc->groups = {c.group};  // the case's group, whichever side keeps its defaults
  std::vector<std::string> client_log, server_log;
  cc.keylog = [&](const std::string& line) { client_log.push_back(line); };
  sc->keylog = [&](const std::string& line) { server_log.push_back(line); };
  auto pair = connect_pair(cc, sc);
  msgs::ClientHello hello = parse_client_hello(pair.client->pending_output());
  auto handshake = pump(*pair.client, *pair.server);
  ASSERT_TRUE(handshake) << handshake.error();
  ASSERT_TRUE(pair.client->handshake_done());
  ASSERT_TRUE(pair.server->handshake_done());

  // What was negotiated, seen alike from both sides.
  for (Connection* conn : {static_cast<Connection*>(pair.client.get()),
                           static_cast<Connection*>(pair.server.get())}) {
    EXPECT_EQ(conn->version(), tls::kTls12);
    EXPECT_EQ(conn->version_name(), "TLS 1.2");
    EXPECT_EQ(conn->cipher_suite(), c.suite);
    EXPECT_EQ(conn->group(), key_transport ? 0 : c.group);
    EXPECT_TRUE(conn->extended_master_secret());
    EXPECT_FALSE(conn->hello_retry_request());
    EXPECT_FALSE(conn->resumed());
  }
  EXPECT_EQ(pair.client->signature_scheme(), pair.server->signature_scheme());
  auto scheme = static_cast<msgs::SignatureScheme>(pair.client->signature_scheme());
  if (key_transport) {
    EXPECT_EQ(pair.client->signature_scheme(), 0);  // no ServerKeyExchange
  } else {
    EXPECT_TRUE(handshake::key_fits_tls12(scheme, c.key)) << msgs::to_string(scheme);
  }
  EXPECT_EQ(pair.client->peer_chain().size(), 2u);
  EXPECT_EQ(pair.server->server_name(), "localhost");

  // One key log line per side, the same, naming the ClientHello's random.
  ASSERT_EQ(client_log.size(), 1u);
  EXPECT_EQ(client_log, server_log);
  auto line = parse_client_random_line(client_log[0]);
  ASSERT_TRUE(line) << client_log[0];
  EXPECT_EQ(line->client_random, Bytes(hello.random.begin(), hello.random.end()));

  // Exporters agree (RFC 5705).
  auto ce = pair.client->export_keying_material("EXPORTER-tern", as_bytes("ctx"), 40);
  auto se = pair.server->export_keying_material("EXPORTER-tern", as_bytes("ctx"), 40);
  ASSERT_TRUE(ce);
  ASSERT_TRUE(se);
  EXPECT_EQ(*ce, *se);

  // A little data each way, then 100 KiB each way split over seven records.
  ASSERT_TRUE(pair.client->write(as_bytes("ping")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "ping");
  ASSERT_TRUE(pair.server->write(as_bytes("pong")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.client), "pong");

  std::string big(100 * 1024, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 23);
  // RFC 5288 §3: AES-GCM records carry an 8-byte explicit nonce; RFC 7905 §2: ChaCha20 none.
  const bool chacha = c.suite == tls::kEcdheEcdsaChacha20Poly1305 ||
                      c.suite == tls::kEcdheRsaChacha20Poly1305;
  const size_t explicit_nonce = chacha ? 0 : 8;
  for (Connection* from : {static_cast<Connection*>(pair.client.get()),
                           static_cast<Connection*>(pair.server.get())}) {
    Connection* to = from == pair.client.get() ? static_cast<Connection*>(pair.server.get())
                                               : static_cast<Connection*>(pair.client.get());
    ASSERT_TRUE(from->write(as_bytes(big)));
    auto records = split_records(from->pending_output());
    ASSERT_EQ(records.size(), 7u);
    for (size_t i = 0; i < records.size(); ++i) {
      EXPECT_EQ(records[i].type, 23);
      EXPECT_EQ(records[i].version, 0x0303);
      size_t plaintext = i < 6 ? 16384 : big.size() - 6 * 16384;
      EXPECT_EQ(records[i].fragment.size(), plaintext + explicit_nonce + 16) << i;
      if (explicit_nonce && i > 0) {
        EXPECT_FALSE(std::equal(records[i].fragment.begin(), records[i].fragment.begin() + 8,
                                records[i - 1].fragment.begin()))
            << "explicit nonce reused in record " << i;
      }
    }
    ASSERT_TRUE(transfer(*from, *to, 1000));  // records arrive in pieces
    EXPECT_EQ(read_all(*to), big);
  }

  // close_notify each way.
  pair.client->close();
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.server->peer_closed());
  EXPECT_FALSE(pair.server->closed());
  ASSERT_TRUE(pair.server->write(as_bytes("bye")));  // half-close
  pair.server->close();
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.client), "bye");
  EXPECT_TRUE(pair.client->closed());
  EXPECT_TRUE(pair.server->closed());
  EXPECT_FALSE(pair.client->error());
  EXPECT_FALSE(pair.server->error());
}

INSTANTIATE_TEST_SUITE_P(SuitesGroupsKeys, Tls12Matrix, ::testing::ValuesIn(matrix()), case_name);

// ---- defaults ----

TEST(Tls12Engine, DefaultClientOffersBothVersionsAndDefaultPeersSpeakTls13) {
  auto pair = connect_pair(test_client_config(), test_server_config());
  msgs::ClientHello hello = parse_client_hello(pair.client->pending_output());
  auto* versions =
      hello.get<msgs::SupportedVersionsList>(ExtensionType::supported_versions);
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->versions, (std::vector<msgs::ProtocolVersion>{
                                    msgs::ProtocolVersion::tls13, msgs::ProtocolVersion::tls12}));
  EXPECT_TRUE(hello.find(ExtensionType::extended_master_secret));
  EXPECT_TRUE(hello.find(ExtensionType::renegotiation_info));
  EXPECT_TRUE(hello.offers(msgs::CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256));
  EXPECT_FALSE(hello.offers(msgs::CipherSuite::tls_rsa_with_aes_128_gcm_sha256));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(pair.client->version(), tls::kTls13);
  EXPECT_EQ(pair.server->version(), tls::kTls13);
}

TEST(Tls12Engine, Tls12OnlyClientHelloCarriesNoTls13Parts) {
  auto client = ClientConnection::create(tls12_client_config());
  ASSERT_TRUE(client);
  msgs::ClientHello hello = parse_client_hello((*client)->pending_output());
  EXPECT_EQ(hello.legacy_version, msgs::ProtocolVersion::tls12);
  EXPECT_FALSE(hello.find(ExtensionType::supported_versions));
  EXPECT_FALSE(hello.find(ExtensionType::key_share));
  EXPECT_TRUE(hello.legacy_session_id.empty());
  for (auto suite : hello.cipher_suites)
    EXPECT_TRUE(handshake::tls12_suite_info(suite)) << msgs::to_string(suite);
  auto* formats = hello.get<msgs::EcPointFormatList>(ExtensionType::ec_point_formats);
  ASSERT_TRUE(formats);
  EXPECT_EQ(formats->formats, std::vector<msgs::ECPointFormat>{msgs::ECPointFormat::uncompressed});
}

TEST(Tls12Engine, VersionRangesThatDoNotMeetAreProtocolVersion) {
  ClientConfig only13 = test_client_config();
  only13.min_version = tls::kTls13;
  auto pair = connect_pair(only13, tls12_server_config());
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, Alert::protocol_version);

  auto sc = test_server_config();
  sc->min_version = tls::kTls13;
  auto pair2 = connect_pair(tls12_client_config(), sc);
  ASSERT_FALSE(pump(*pair2.client, *pair2.server));
  ASSERT_TRUE(pair2.server->error());
  EXPECT_EQ(pair2.server->error()->alert, Alert::protocol_version);
}

TEST(Tls12Engine, KeyUpdateIsRefusedInTls12) {
  auto pair = connect_pair(tls12_client_config(), tls12_server_config());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  auto refused = pair.client->update_keys(false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::usage);
  ASSERT_TRUE(pair.client->write(as_bytes("still fine")));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), "still fine");
}

// ---- key log, master secret and exporters against OpenSSL ----

// Runs a TLS 1.2 handshake step by step, keeping each flight.
struct Flights {
  Bytes client_hello, server_flight, client_flight, server_finish;
};

template <typename C, typename S>
Flights run_flights(C& client, S& server) {
  Flights f;
  f.client_hello = take_output(client);
  EXPECT_TRUE(server.feed(f.client_hello));
  f.server_flight = take_output(server);
  EXPECT_TRUE(client.feed(f.server_flight));
  f.client_flight = take_output(client);
  EXPECT_TRUE(server.feed(f.client_flight));
  f.server_finish = take_output(server);
  EXPECT_TRUE(client.feed(f.server_finish));
  return f;
}

// Hash(ClientHello .. ClientKeyExchange): the session hash of RFC 7627 §3.
Bytes session_hash(crypto::Hash hash, const Flights& f) {
  Bytes all;
  for (BytesView flight : {BytesView(f.client_hello), BytesView(f.server_flight),
                           BytesView(f.client_flight)})
    for (const Bytes& m : plaintext_handshake_messages(flight)) all.insert(all.end(), m.begin(), m.end());
  return openssl_digest(hash, all);
}

TEST(Tls12Engine, MasterSecretOfX25519HandshakeMatchesOpenSsl) {
  for (uint16_t suite : {tls::kEcdheEcdsaAes128GcmSha256, tls::kEcdheEcdsaAes256GcmSha384}) {
    const Bytes client_private(32, 0x11), server_private(32, 0x22);
    ClientConfig cc = tls12_client_config();
    cc.cipher_suites = {suite};
    cc.groups = {tls::kX25519, tls::kSecp256r1};  // P-256: the certificate's curve
    cc.key_share_private_key = [&](uint16_t) { return client_private; };
    std::vector<std::string> log;
    cc.keylog = [&](const std::string& line) { log.push_back(line); };
    auto sc = tls12_server_config();
    sc->key_share_private_key = [&](uint16_t) { return server_private; };
    auto pair = connect_pair(cc, sc);
    Flights f = run_flights(*pair.client, *pair.server);
    ASSERT_TRUE(pair.client->handshake_done());
    ASSERT_EQ(log.size(), 1u);
    auto line = parse_client_random_line(log[0]);
    ASSERT_TRUE(line);

    auto server_messages = plaintext_handshake_messages(f.server_flight);
    ASSERT_EQ(server_messages.size(), 4u);  // ServerHello, Certificate, SKE, ServerHelloDone
    ASSERT_EQ(server_messages[2][0], 12);
    auto ske = msgs::ServerKeyExchangeEcdhe::parse(BytesView(server_messages[2]).subspan(4));
    ASSERT_TRUE(ske);
    Bytes pre_master = openssl_x25519(client_private, ske->public_key);
    // The client's share is the public value of its pinned scalar.
    auto client_messages = plaintext_handshake_messages(f.client_flight);
    ASSERT_EQ(client_messages.size(), 1u);  // ClientKeyExchange; then CCS
    auto cke = msgs::ClientKeyExchangeEcdhe::parse(BytesView(client_messages[0]).subspan(4));
    ASSERT_TRUE(cke);
    EXPECT_EQ(openssl_x25519(server_private, cke->public_key), pre_master);

    crypto::Hash hash = suite == tls::kEcdheEcdsaAes256GcmSha384 ? crypto::Hash::sha384
                                                                  : crypto::Hash::sha256;
    Bytes expected =
        openssl_tls12_prf(hash, pre_master, "extended master secret", session_hash(hash, f), 48);
    EXPECT_EQ(line->master_secret, expected) << msgs::to_string(static_cast<msgs::CipherSuite>(suite));
  }
}

TEST(Tls12Engine, MasterSecretOfRsaKeyTransportMatchesOpenSslWithAndWithoutEms) {
  for (bool ems : {true, false}) {
    ClientConfig cc = tls12_client_config(KeyType::rsa);
    cc.legacy_rsa_key_exchange = true;
    cc.cipher_suites = {tls::kRsaAes128GcmSha256};
    cc.allow_no_extended_master_secret = !ems;
    // The client's randomness is pinned, so its pre-master secret is known: the ClientHello's
    // version (RFC 5246 §7.4.7.1) and then 46 pinned bytes.
    cc.random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0x5a); };
    std::vector<std::string> log;
    cc.keylog = [&](const std::string& line) { log.push_back(line); };
    auto sc = tls12_server_config(KeyType::rsa);
    sc->legacy_rsa_key_exchange = true;
    sc->allow_no_extended_master_secret = !ems;
    auto client = raw_client(cc, [&](msgs::ClientHello& hello) {
      if (!ems) {
        std::erase_if(hello.extensions, [](const msgs::Extension& e) {
          return e.type == ExtensionType::extended_master_secret;
        });
      }
    });
    auto server = ServerConnection::create(sc);
    ASSERT_TRUE(server);
    Flights f = run_flights(*client.conn, **server);
    ASSERT_TRUE(client.conn->handshake_done());
    ASSERT_TRUE((*server)->handshake_done());
    EXPECT_EQ((*server)->extended_master_secret(), ems);
    EXPECT_EQ(client.conn->machine().negotiated().extended_master_secret, ems);
    ASSERT_EQ(log.size(), 1u);
    auto line = parse_client_random_line(log[0]);
    ASSERT_TRUE(line);

    Bytes pre_master(48, 0x5a);
    pre_master[0] = 0x03;
    pre_master[1] = 0x03;
    msgs::Random server_random = parse_server_hello(f.server_flight).random;
    Bytes expected =
        ems ? openssl_tls12_prf(crypto::Hash::sha256, pre_master, "extended master secret",
                                session_hash(crypto::Hash::sha256, f), 48)
            : openssl_tls12_prf(crypto::Hash::sha256, pre_master, "master secret",
                                concat({Bytes(32, 0x5a), server_random}), 48);
    EXPECT_EQ(line->master_secret, expected) << (ems ? "EMS" : "no EMS");
  }
}

// RFC 5705 §4: PRF(master_secret, label, client_random + server_random [+ context_length +
// context]), computed here by OpenSSL from the key log.
TEST(Tls12Engine, ExportersMatchOpenSslFromTheKeyLog) {
  for (uint16_t suite : {tls::kEcdheEcdsaAes128GcmSha256, tls::kEcdheEcdsaAes256GcmSha384}) {
    ClientConfig cc = tls12_client_config();
    cc.cipher_suites = {suite};
    std::vector<std::string> log;
    cc.keylog = [&](const std::string& line) { log.push_back(line); };
    auto pair = connect_pair(cc, tls12_server_config());
    auto client = pair.client.get();
    auto before = client->export_keying_material("EXPORTER-early", {}, 16);
    EXPECT_FALSE(before);  // not before the handshake
    Flights f = run_flights(*pair.client, *pair.server);
    ASSERT_TRUE(pair.server->handshake_done());
    auto line = parse_client_random_line(log.at(0));
    ASSERT_TRUE(line);
    msgs::Random server_random = parse_server_hello(f.server_flight).random;
    crypto::Hash hash = suite == tls::kEcdheEcdsaAes256GcmSha384 ? crypto::Hash::sha384
                                                                  : crypto::Hash::sha256;
    Bytes randoms = concat({line->client_random, server_random});
    const Bytes context = {'c', 't', 'x', 0, 1};
    Bytes with_context = concat({randoms, Bytes{0, static_cast<uint8_t>(context.size())}, context});
    for (size_t length : {1u, 32u, 100u}) {
      auto c1 = pair.client->export_keying_material("EXPORTER-Channel-Binding", {}, length);
      auto s1 = pair.server->export_keying_material("EXPORTER-Channel-Binding", {}, length);
      ASSERT_TRUE(c1);
      ASSERT_TRUE(s1);
      EXPECT_EQ(*c1, *s1);
      EXPECT_EQ(*c1, openssl_tls12_prf(hash, line->master_secret, "EXPORTER-Channel-Binding",
                                       randoms, length));
      auto c2 = pair.client->export_keying_material("EXPORTER-tern", context, length);
      auto s2 = pair.server->export_keying_material("EXPORTER-tern", context, length);
      ASSERT_TRUE(c2);
      ASSERT_TRUE(s2);
      EXPECT_EQ(*c2, *s2);
      EXPECT_EQ(*c2, openssl_tls12_prf(hash, line->master_secret, "EXPORTER-tern", with_context,
                                       length));
    }
  }
}

// ---- the extended master secret (RFC 7627) ----

void drop_ems(msgs::ClientHello& hello) {
  std::erase_if(hello.extensions, [](const msgs::Extension& e) {
    return e.type == ExtensionType::extended_master_secret;
  });
}

TEST(Tls12Engine, ClientWithoutEmsIsRefusedByDefault) {
  ClientConfig cc = tls12_client_config();
  cc.allow_no_extended_master_secret = true;  // the client would go along
  auto client = raw_client(cc, drop_ems);
  auto server = ServerConnection::create(tls12_server_config());
  ASSERT_TRUE(server);
  ASSERT_FALSE(pump_any(*client.conn, **server));
  ASSERT_TRUE((*server)->error());
  EXPECT_EQ((*server)->error()->alert, Alert::handshake_failure);
  EXPECT_NE((*server)->error()->detail.find("extended master secret"), std::string::npos);
  ASSERT_TRUE(client.conn->error());  // it got the alert
  EXPECT_NE(client.conn->error()->detail.find("handshake_failure"), std::string::npos)
      << client.conn->error()->detail;
}

TEST(Tls12Engine, ClientWithoutEmsIsAcceptedWithTheSwitch) {
  ClientConfig cc = tls12_client_config();
  cc.allow_no_extended_master_secret = true;
  auto client = raw_client(cc, drop_ems);
  auto sc = tls12_server_config();
  sc->allow_no_extended_master_secret = true;
  auto server = ServerConnection::create(sc);
  ASSERT_TRUE(server);
  ASSERT_TRUE(pump_any(*client.conn, **server));
  ASSERT_TRUE((*server)->handshake_done());
  ASSERT_TRUE(client.conn->handshake_done());
  EXPECT_FALSE((*server)->extended_master_secret());
  EXPECT_FALSE(client.conn->machine().negotiated().extended_master_secret);
  ASSERT_TRUE(client.conn->write(as_bytes("no ems")));
  ASSERT_TRUE(pump_any(*client.conn, **server));
  EXPECT_EQ(read_all(**server), "no ems");
}

// The server does without EMS (allowed there) because the client's hello lacks it; the
// client itself has not allowed that, so it refuses the ServerHello.
TEST(Tls12Engine, ServerWithoutEmsIsRefusedByTheClientByDefault) {
  auto client = raw_client(tls12_client_config(), drop_ems);
  auto sc = tls12_server_config();
  sc->allow_no_extended_master_secret = true;
  auto server = ServerConnection::create(sc);
  ASSERT_TRUE(server);
  ASSERT_FALSE(pump_any(*client.conn, **server));
  ASSERT_TRUE(client.conn->error());
  EXPECT_EQ(client.conn->error()->alert, Alert::handshake_failure);
  EXPECT_NE(client.conn->error()->detail.find("extended master secret"), std::string::npos);
  EXPECT_FALSE((*server)->handshake_done());
}

// ---- the downgrade sentinel (RFC 8446 §4.1.3) ----

const Bytes kDowngradeTls12 = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01};  // "DOWNGRD\1"
const Bytes kDowngradeTls11 = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00};  // "DOWNGRD\0"

Bytes random_tail(const msgs::ServerHello& hello) {
  return Bytes(hello.random.begin() + 24, hello.random.end());
}

TEST(Tls12Engine, ServerMarksItsRandomOnlyWhenItCouldHaveSpokenTls13) {
  struct {
    const char* what;
    ClientConfig client;
    std::shared_ptr<ServerConfig> server;
    bool marked;
  } cases[] = {
      {"TLS 1.2 client, TLS 1.3-capable server", tls12_client_config(), test_server_config(), true},
      {"TLS 1.2 client, TLS 1.2-only server", tls12_client_config(), tls12_server_config(), false},
      {"default client, TLS 1.2-only server", test_client_config(), tls12_server_config(), false},
  };
  for (auto& c : cases) {
    auto pair = connect_pair(c.client, c.server);
    ASSERT_TRUE(transfer(*pair.client, *pair.server)) << c.what;
    msgs::ServerHello hello = parse_server_hello(pair.server->pending_output());
    EXPECT_EQ(hello.legacy_version, msgs::ProtocolVersion::tls12) << c.what;
    if (c.marked) {
      EXPECT_EQ(random_tail(hello), kDowngradeTls12) << c.what;
    } else {
      EXPECT_NE(random_tail(hello), kDowngradeTls12) << c.what;
      EXPECT_NE(random_tail(hello), kDowngradeTls11) << c.what;
    }
    // In all three the client accepts: only a client that offered TLS 1.3 checks the mark.
    ASSERT_TRUE(pump(*pair.client, *pair.server)) << c.what;
    EXPECT_TRUE(pair.client->handshake_done()) << c.what;
    EXPECT_EQ(pair.client->version(), tls::kTls12) << c.what;
  }
}

msgs::ServerHello crafted_tls12_server_hello() {
  msgs::ServerHello hello;
  hello.legacy_version = msgs::ProtocolVersion::tls12;
  hello.random.fill(0x33);
  hello.cipher_suite = msgs::CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256;
  hello.extensions.push_back({ExtensionType::renegotiation_info, msgs::RenegotiationInfo{}});
  hello.extensions.push_back({ExtensionType::extended_master_secret, msgs::EmptyExtension{}});
  hello.extensions.push_back({ExtensionType::ec_point_formats,
                              msgs::EcPointFormatList{{msgs::ECPointFormat::uncompressed}}});
  return hello;
}

Result<void> feed_server_hello(ClientConfig config, const msgs::ServerHello& hello) {
  auto client = ClientConnection::create(std::move(config));
  if (!client) throw std::runtime_error(client.error().detail);
  (*client)->consume_output((*client)->pending_output().size());
  auto fed = (*client)->feed(handshake_record(hello.encode()));
  if (!fed) {
    EXPECT_TRUE((*client)->closed());
  }
  return fed;
}

TEST(Tls12Engine, DefaultClientRefusesAMarkedTls12ServerHello) {
  msgs::ServerHello hello = crafted_tls12_server_hello();
  EXPECT_TRUE(feed_server_hello(test_client_config(), hello));  // unmarked: fine so far
  std::copy(kDowngradeTls12.begin(), kDowngradeTls12.end(), hello.random.begin() + 24);
  auto refused = feed_server_hello(test_client_config(), hello);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().alert, Alert::illegal_parameter);
  EXPECT_NE(refused.error().detail.find("downgrade"), std::string::npos);
  // A client that offered TLS 1.2 only has nothing to be downgraded from.
  EXPECT_TRUE(feed_server_hello(tls12_client_config(), hello));
}

// ---- TLS_FALLBACK_SCSV (RFC 7507) ----

msgs::ClientHello tls12_client_hello_with_fallback_scsv() {
  auto client = ClientConnection::create(tls12_client_config());
  if (!client) throw std::runtime_error(client.error().detail);
  msgs::ClientHello hello = parse_client_hello((*client)->pending_output());
  hello.cipher_suites.push_back(msgs::CipherSuite::tls_fallback_scsv);
  return hello;
}

TEST(Tls12Engine, FallbackScsvToATls13ServerIsInappropriateFallback) {
  auto server = ServerConnection::create(test_server_config());
  ASSERT_TRUE(server);
  auto fed = (*server)->feed(handshake_record(tls12_client_hello_with_fallback_scsv().encode()));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().alert, Alert::inappropriate_fallback);
  const Bytes alert = {21, 3, 3, 0, 2, 2, 86};
  EXPECT_EQ(take_output(**server), alert);
}

TEST(Tls12Engine, FallbackScsvToATls12OnlyServerIsAccepted) {
  auto server = ServerConnection::create(tls12_server_config());
  ASSERT_TRUE(server);
  ASSERT_TRUE((*server)->feed(handshake_record(tls12_client_hello_with_fallback_scsv().encode())));
  EXPECT_EQ(parse_server_hello((*server)->pending_output()).legacy_version,
            msgs::ProtocolVersion::tls12);

  // And a whole handshake from a client that adds the SCSV.
  auto client = raw_client(tls12_client_config(), [](msgs::ClientHello& hello) {
    hello.cipher_suites.push_back(msgs::CipherSuite::tls_fallback_scsv);
  });
  auto server2 = ServerConnection::create(tls12_server_config());
  ASSERT_TRUE(server2);
  ASSERT_TRUE(pump_any(*client.conn, **server2));
  EXPECT_TRUE((*server2)->handshake_done());
  EXPECT_TRUE(client.conn->handshake_done());
}

TEST(Tls12Engine, FallbackScsvInATls13HelloIsHarmless) {
  // The client offers the server's highest version, so there is no fallback to object to.
  auto client = raw_client(test_client_config(), [](msgs::ClientHello& hello) {
    hello.cipher_suites.push_back(msgs::CipherSuite::tls_fallback_scsv);
  });
  auto server = ServerConnection::create(test_server_config());
  ASSERT_TRUE(server);
  ASSERT_TRUE(pump_any(*client.conn, **server));
  EXPECT_EQ((*server)->version(), tls::kTls13);
}

// ---- renegotiation is refused (RFC 5246 §7.4.1.2, RFC 5746 §4.4) ----

TEST(Tls12Engine, ClientInitiatedRenegotiationGetsAWarningAndTheConnectionGoesOn) {
  AlertRecorder client_alerts, server_alerts;
  ClientConfig cc = tls12_client_config();
  cc.observer = &client_alerts;
  auto client = raw_client(cc);
  Bytes first_hello(client.conn->pending_output().begin(), client.conn->pending_output().end());
  auto sc = tls12_server_config();
  sc->observer = &server_alerts;
  auto server = ServerConnection::create(sc);
  ASSERT_TRUE(server);
  ASSERT_TRUE(pump_any(*client.conn, **server));
  ASSERT_TRUE((*server)->handshake_done());

  // A new ClientHello under the client's keys, as many times as the client takes warnings
  // in a row (5, as OpenSSL: more would be a flood, see strict_peer_test.cpp).
  msgs::ClientHello again = parse_client_hello(first_hello);
  for (int attempt = 1; attempt <= 5; ++attempt) {
    ASSERT_TRUE(send_handshake_now(*client.conn, again.encode()));
    auto records = split_records(client.conn->pending_output());
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].type, 22);  // a (sealed) handshake record
    ASSERT_TRUE(move_bytes(*client.conn, **server)) << attempt;
    ASSERT_TRUE(move_bytes(**server, *client.conn)) << attempt;
    EXPECT_EQ(server_alerts.count(Direction::sent, 1, Alert::no_renegotiation),
              static_cast<size_t>(attempt));
    EXPECT_EQ(client_alerts.count(Direction::received, 1, Alert::no_renegotiation),
              static_cast<size_t>(attempt));
    EXPECT_FALSE((*server)->closed());
    EXPECT_FALSE(client.conn->closed());
  }
  ASSERT_TRUE(client.conn->write(as_bytes("after renegotiation attempts")));
  ASSERT_TRUE(pump_any(*client.conn, **server));
  EXPECT_EQ(read_all(**server), "after renegotiation attempts");
  ASSERT_TRUE((*server)->write(as_bytes("still here")));
  ASSERT_TRUE(pump_any(*client.conn, **server));
  Bytes got(client.conn->readable());
  client.conn->read(got);
  EXPECT_EQ(as_chars(got), "still here");

  // A client that keeps insisting is cut off.
  ASSERT_TRUE(send_handshake_now(*client.conn, again.encode()));
  auto fed = move_bytes(*client.conn, **server);
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().alert, Alert::no_renegotiation);
  EXPECT_TRUE((*server)->closed());
  EXPECT_EQ(server_alerts.count(Direction::sent, 2, Alert::no_renegotiation), 1u);
}

TEST(Tls12Engine, HelloRequestGetsAWarningAndTheConnectionGoesOn) {
  AlertRecorder client_alerts, server_alerts;
  ClientConfig cc = tls12_client_config();
  cc.observer = &client_alerts;
  auto client = ClientConnection::create(cc);
  ASSERT_TRUE(client);
  auto sc = tls12_server_config();
  sc->observer = &server_alerts;
  auto server = raw_server(sc);
  ASSERT_TRUE(pump_any(**client, *server.conn));
  ASSERT_TRUE((*client)->handshake_done());
  ASSERT_TRUE(server.conn->handshake_done());

  ASSERT_TRUE(send_handshake_now(*server.conn, msgs::HelloRequest{}.encode()));
  ASSERT_TRUE(move_bytes(*server.conn, **client));
  auto answer = split_records((*client)->pending_output());
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(answer[0].type, 21);  // a sealed alert
  EXPECT_EQ(client_alerts.count(Direction::sent, 1, Alert::no_renegotiation), 1u);
  ASSERT_TRUE(move_bytes(**client, *server.conn));
  EXPECT_EQ(server_alerts.count(Direction::received, 1, Alert::no_renegotiation), 1u);

  ASSERT_TRUE((*client)->write(as_bytes("ok")));
  ASSERT_TRUE(pump_any(**client, *server.conn));
  Bytes got(server.conn->readable());
  server.conn->read(got);
  EXPECT_EQ(as_chars(got), "ok");
  ASSERT_TRUE(server.conn->write(as_bytes("ok too")));
  ASSERT_TRUE(pump_any(**client, *server.conn));
  EXPECT_EQ(read_all(**client), "ok too");
  EXPECT_FALSE((*client)->closed());
}

TEST(Tls12Engine, OtherHandshakeMessagesAfterTheHandshakeAreUnexpected) {
  auto client = ClientConnection::create(tls12_client_config());
  ASSERT_TRUE(client);
  auto server = raw_server(tls12_server_config());
  ASSERT_TRUE(pump_any(**client, *server.conn));
  ASSERT_TRUE(send_handshake_now(*server.conn, msgs::ServerHelloDone{}.encode()));
  auto fed = move_bytes(*server.conn, **client);
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().alert, Alert::unexpected_message);
  EXPECT_TRUE((*client)->closed());
}

// ---- RSA key transport is opt-in on both sides ----

TEST(Tls12Engine, RsaKeyTransportNeedsTheSwitchOnBothSides) {
  ClientConfig cc = tls12_client_config(KeyType::rsa);
  cc.cipher_suites = {tls::kRsaAes128GcmSha256};
  auto refused = ClientConnection::create(cc);  // not without legacy_rsa_key_exchange
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::usage);

  cc.legacy_rsa_key_exchange = true;
  auto pair = connect_pair(cc, tls12_server_config(KeyType::rsa));  // the server's is off
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, Alert::handshake_failure);
  ASSERT_TRUE(pair.client->error());
  EXPECT_FALSE(pair.client->handshake_done());
}

TEST(Tls12Engine, RsaKeyTransportOnlyWhenNothingBetterIsOffered) {
  ClientConfig cc = tls12_client_config(KeyType::rsa);
  cc.legacy_rsa_key_exchange = true;  // offers ECDHE and key transport
  auto sc = tls12_server_config(KeyType::rsa);
  sc->legacy_rsa_key_exchange = true;
  auto pair = connect_pair(cc, sc);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(pair.client->cipher_suite(), tls::kEcdheRsaAes128GcmSha256);
}

TEST(Tls12Engine, RsaKeyTransportNeedsAnRsaCertificate) {
  ClientConfig cc = tls12_client_config();
  cc.legacy_rsa_key_exchange = true;
  cc.cipher_suites = {tls::kRsaAes128GcmSha256, tls::kRsaAes256GcmSha384};
  auto sc = tls12_server_config(KeyType::ec_p256);
  sc->legacy_rsa_key_exchange = true;
  auto pair = connect_pair(cc, sc);
  ASSERT_FALSE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->error());
  EXPECT_EQ(pair.server->error()->alert, Alert::handshake_failure);
}

TEST(Tls12Engine, AlpnAndSni) {
  ClientConfig cc = tls12_client_config();
  cc.alpn = {"http/1.1", "h2"};
  auto sc = tls12_server_config();
  sc->alpn = {"h2", "http/1.1"};
  auto pair = connect_pair(cc, sc);
  ASSERT_TRUE(transfer(*pair.client, *pair.server));
  msgs::ServerHello hello = parse_server_hello(pair.server->pending_output());
  EXPECT_TRUE(hello.find(ExtensionType::server_name));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(pair.client->alpn(), "h2");
  EXPECT_EQ(pair.server->alpn(), "h2");
  EXPECT_EQ(pair.server->server_name(), "localhost");
}

// RFC 8449: the TLS 1.2 server does not negotiate record_size_limit, so a client that
// offered one must take full-size records.
TEST(Tls12Engine, UnacknowledgedRecordSizeLimit) {
  ClientConfig cc = tls12_client_config();
  cc.record_size_limit = 64;
  auto pair = connect_pair(cc, tls12_server_config());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  std::string big(16384, 'r');
  ASSERT_TRUE(pair.server->write(as_bytes(big)));
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.client), big);
}

TEST(Tls12Engine, HandshakeOneByteAtATime) {
  auto pair = connect_pair(tls12_client_config(KeyType::rsa), tls12_server_config(KeyType::rsa));
  ASSERT_TRUE(pump(*pair.client, *pair.server, 1));
  ASSERT_TRUE(pair.client->handshake_done());
  ASSERT_TRUE(pair.server->handshake_done());
  ASSERT_TRUE(pair.client->write(as_bytes("split")));
  ASSERT_TRUE(pump(*pair.client, *pair.server, 1));
  EXPECT_EQ(read_all(*pair.server), "split");
}

TEST(Tls12Engine, FlippedByteIsBadRecordMac) {
  auto pair = connect_pair(tls12_client_config(), tls12_server_config());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->write(as_bytes("payload")));
  Bytes wire = take_output(*pair.client);
  wire[wire.size() - 3] ^= 0x01;
  auto result = pair.server->feed(wire);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, Alert::bad_record_mac);
  EXPECT_TRUE(pair.server->closed());
}

}  // namespace
}  // namespace tern::testing
