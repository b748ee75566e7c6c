// SPDX-License-Identifier: Apache-2.0
// The engine as strict peers (tlsfuzzer and the like) test it: record-layer limits that
// count padding (RFC 8446 §5.4, RFC 8449), records between handshake fragments (§5.1),
// floods of records that do nothing, hellos as large as their syntax allows, record versions
// (RFC 5246 Appendix E.1), and the rules for a second ClientHello (RFC 8446 §4.1.2). Each
// case feeds crafted bytes to an engine and checks the alert it answers with.
#include <gtest/gtest.h>

#include <map>

#include "handshake/key_schedule.h"
#include "tls12_test_util.h"

namespace tern::testing {
namespace {

using msgs::ExtensionType;

// Feeds `bytes`; the alert the engine failed with, Alert::none if it did not fail.
Alert alert_for(Connection& conn, BytesView bytes) {
  auto fed = conn.feed(bytes);
  if (fed) return Alert::none;
  EXPECT_TRUE(conn.closed());
  EXPECT_FALSE(fed.error().detail.empty());
  return fed.error().alert;
}

std::unique_ptr<ServerConnection> new_server(
    std::shared_ptr<const ServerConfig> config = test_server_config()) {
  auto server = ServerConnection::create(std::move(config));
  if (!server) throw std::runtime_error(server.error().detail);
  return std::move(*server);
}

msgs::ClientHello real_client_hello(ClientConfig config = test_client_config()) {
  auto client = ClientConnection::create(std::move(config));
  if (!client) throw std::runtime_error(client.error().detail);
  return first_client_hello(**client);
}

// A handshake message in as many plaintext records as it needs (2^14 bytes each).
Bytes handshake_records(BytesView message) {
  Bytes out;
  for (size_t at = 0; at < message.size(); at += record::kMaxPlaintext) {
    Bytes r = plaintext_record(22, message.subspan(at, std::min(record::kMaxPlaintext,
                                                                 message.size() - at)));
    out.insert(out.end(), r.begin(), r.end());
  }
  return out;
}

Bytes repeat(BytesView record, size_t times) {
  Bytes out;
  for (size_t i = 0; i < times; ++i) out.insert(out.end(), record.begin(), record.end());
  return out;
}

msgs::Extension* find(msgs::ClientHello& hello, ExtensionType type) {
  for (auto& ext : hello.extensions)
    if (ext.type == type) return &ext;
  return nullptr;
}

// Seals TLS 1.3 records around any inner plaintext (content, type and padding as given), as
// a peer that ignores the limits would; record::Cipher refuses to.
class RawSealer13 {
 public:
  explicit RawSealer13(BytesView secret) {
    const auto& provider = crypto::default_provider();
    auto keys = handshake::traffic_keys(provider, crypto::Hash::sha256, crypto::Aead::aes128_gcm,
                                        secret);
    if (!keys) throw std::runtime_error(keys.error().detail);
    auto ctx = provider.aead(crypto::Aead::aes128_gcm, keys->key.view());
    if (!ctx) throw std::runtime_error(ctx.error().detail);
    ctx_ = std::move(*ctx);
    iv_.assign(keys->iv.view().begin(), keys->iv.view().end());
  }

  Bytes seal(BytesView inner) {
    size_t length = inner.size() + crypto::kAeadTagSize;
    Bytes out = {23, 3, 3, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)};
    out.insert(out.end(), inner.begin(), inner.end());
    out.resize(record::kHeaderSize + length);
    Bytes nonce = iv_;
    for (int i = 0; i < 8; ++i) nonce[4 + i] ^= static_cast<uint8_t>(sequence_ >> (56 - 8 * i));
    ++sequence_;
    Bytes header(out.begin(), out.begin() + record::kHeaderSize);
    auto body = std::span<uint8_t>(out).subspan(record::kHeaderSize, inner.size());
    auto tag = std::span<uint8_t>(out).subspan(record::kHeaderSize + inner.size());
    if (!ctx_->seal(nonce, header, body, tag)) throw std::runtime_error("seal failed");
    return out;
  }

 private:
  std::unique_ptr<crypto::AeadContext> ctx_;
  Bytes iv_;
  uint64_t sequence_ = 0;
};

// TLSInnerPlaintext: content, type, then zeros up to `total` bytes.
Bytes inner_plaintext(BytesView content, msgs::ContentType type, size_t total) {
  Bytes out(content.begin(), content.end());
  out.push_back(static_cast<uint8_t>(type));
  if (out.size() < total) out.resize(total, 0);
  return out;
}

// A TLS 1.3 handshake up to the client's Finished, held back: the client's secrets from its
// key log, and its Finished message opened from its flight.
struct HeldFinished {
  std::unique_ptr<ClientConnection> client;
  std::unique_ptr<ServerConnection> server;
  std::shared_ptr<std::map<std::string, Bytes>> secrets =
      std::make_shared<std::map<std::string, Bytes>>();
  Bytes finished;

  RawSealer13 sealer(const std::string& label) const { return RawSealer13(secrets->at(label)); }
};

HeldFinished hold_client_finished(ClientConfig cc = test_client_config(),
                                  std::shared_ptr<ServerConfig> sc = test_server_config()) {
  HeldFinished h;
  auto secrets = h.secrets;
  cc.keylog = [secrets](const std::string& line) {
    auto label_end = line.find(' ');
    (*secrets)[line.substr(0, label_end)] = *base::unhex(line.substr(line.rfind(' ') + 1));
  };
  auto pair = connect_pair(cc, sc);
  h.client = std::move(pair.client);
  h.server = std::move(pair.server);
  EXPECT_TRUE(transfer(*h.client, *h.server));
  EXPECT_TRUE(transfer(*h.server, *h.client));
  auto flight = split_records(take_output(*h.client));
  EXPECT_FALSE(flight.empty());
  const auto& provider = crypto::default_provider();
  auto keys = handshake::traffic_keys(provider, crypto::Hash::sha256, crypto::Aead::aes128_gcm,
                                      secrets->at("CLIENT_HANDSHAKE_TRAFFIC_SECRET"));
  auto cipher = record::Cipher::create(provider, record::Version::tls13, crypto::Aead::aes128_gcm,
                                       keys->key.view(), keys->iv.view());
  auto opened = open_record(*cipher, flight.back());
  EXPECT_TRUE(opened && opened->first == msgs::ContentType::handshake);
  if (opened) h.finished = opened->second;
  return h;
}

// ---- item 9: padding counts against the record limits ----

TEST(StrictPeer, PaddedInnerPlaintextOver2To14Plus1IsRecordOverflow) {
  auto h = hold_client_finished();
  auto sealer = h.sealer("CLIENT_HANDSHAKE_TRAFFIC_SECRET");
  // The Finished (36 bytes) fits; with its padding the inner plaintext is 2^14 + 2.
  Bytes inner = inner_plaintext(h.finished, msgs::ContentType::handshake, (1 << 14) + 2);
  EXPECT_EQ(alert_for(*h.server, sealer.seal(inner)), Alert::record_overflow);

  auto exact = hold_client_finished();
  auto exact_sealer = exact.sealer("CLIENT_HANDSHAKE_TRAFFIC_SECRET");
  Bytes fits = inner_plaintext(exact.finished, msgs::ContentType::handshake, (1 << 14) + 1);
  EXPECT_EQ(alert_for(*exact.server, exact_sealer.seal(fits)), Alert::none);
  EXPECT_TRUE(exact.server->handshake_done());
}

TEST(StrictPeer, PaddedInnerPlaintextOverTheNegotiatedRecordSizeLimitIsRecordOverflow) {
  ClientConfig cc = test_client_config();
  cc.record_size_limit = 4000;  // offered, so the server answers with its own
  auto sc = test_server_config();
  sc->record_size_limit = 1000;
  {
    auto h = hold_client_finished(cc, sc);
    auto sealer = h.sealer("CLIENT_HANDSHAKE_TRAFFIC_SECRET");
    Bytes inner = inner_plaintext(h.finished, msgs::ContentType::handshake, 1001);
    EXPECT_EQ(alert_for(*h.server, sealer.seal(inner)), Alert::record_overflow);
  }
  auto h = hold_client_finished(cc, sc);
  auto sealer = h.sealer("CLIENT_HANDSHAKE_TRAFFIC_SECRET");
  Bytes inner = inner_plaintext(h.finished, msgs::ContentType::handshake, 1000);
  EXPECT_EQ(alert_for(*h.server, sealer.seal(inner)), Alert::none);
  EXPECT_TRUE(h.server->handshake_done());
  // Application data under the same limit.
  auto app = h.sealer("CLIENT_TRAFFIC_SECRET_0");
  EXPECT_EQ(alert_for(*h.server, app.seal(inner_plaintext(Bytes(999, 'a'),
                                                          msgs::ContentType::application_data,
                                                          1000))),
            Alert::none);
  EXPECT_EQ(alert_for(*h.server, app.seal(inner_plaintext(Bytes(10, 'a'),
                                                          msgs::ContentType::application_data,
                                                          1001))),
            Alert::record_overflow);
}

// ---- item 10: nothing between the fragments of a handshake message ----

TEST(StrictPeer, RecordBetweenClientHelloFragmentsIsUnexpected) {
  Bytes hello = real_client_hello().encode();
  BytesView first = BytesView(hello).first(100), rest = BytesView(hello).subspan(100);
  const Bytes between[] = {plaintext_record(20, Bytes{1}), plaintext_record(21, Bytes{1, 90}),
                           plaintext_record(21, Bytes{2, 40})};
  for (const Bytes& other : between) {
    auto server = new_server();
    ASSERT_EQ(alert_for(*server, plaintext_record(22, first)), Alert::none);
    EXPECT_EQ(alert_for(*server, concat({other, plaintext_record(22, rest)})),
              Alert::unexpected_message)
        << int(other[0]);
  }
}

TEST(StrictPeer, HandshakeMessageAcrossAKeyChangeIsUnexpected) {
  // Server: the ClientHello and the start of another message in one record; the rest would
  // come under the handshake keys.
  Bytes hello = real_client_hello().encode();
  Bytes straddling = concat({hello, Bytes{20, 0, 0}});
  auto server = new_server();
  EXPECT_EQ(alert_for(*server, plaintext_record(22, straddling)), Alert::unexpected_message);

  // Client: the ServerHello's record carries the first bytes of EncryptedExtensions.
  auto pair = connect_pair(test_client_config(), test_server_config());
  ASSERT_TRUE(transfer(*pair.client, *pair.server));
  auto flight = split_records(take_output(*pair.server));
  ASSERT_EQ(flight.at(0).type, 22);
  flight.at(0).fragment.insert(flight.at(0).fragment.end(), {8, 0});
  EXPECT_EQ(alert_for(*pair.client, flight.at(0).encode()), Alert::unexpected_message);
}

// ---- item 11: floods of records that do nothing ----

TEST(StrictPeer, SecondChangeCipherSpecIsUnexpected) {
  auto server = new_server();
  ASSERT_EQ(alert_for(*server, plaintext_record(22, real_client_hello().encode())), Alert::none);
  Bytes ccs = plaintext_record(20, Bytes{1});
  ASSERT_EQ(alert_for(*server, ccs), Alert::none);  // the one middlebox compatibility sends
  EXPECT_EQ(alert_for(*server, ccs), Alert::unexpected_message);

  // 200,000 of them in one go stop at the second.
  auto flooded = new_server();
  ASSERT_EQ(alert_for(*flooded, plaintext_record(22, real_client_hello().encode())), Alert::none);
  EXPECT_EQ(alert_for(*flooded, repeat(ccs, 200000)), Alert::unexpected_message);
}

TEST(StrictPeer, PlaintextAlertAfterHandshakeKeysIsUnexpected) {
  auto server = new_server();
  ASSERT_EQ(alert_for(*server, plaintext_record(22, real_client_hello().encode())), Alert::none);
  EXPECT_EQ(alert_for(*server, plaintext_record(21, Bytes{1, 90})), Alert::unexpected_message);
}

TEST(StrictPeer, WarningAlertFloodIsUnexpected) {
  // TLS 1.3: user_canceled, encrypted as it must be once the keys are in place.
  auto h = hold_client_finished();
  auto sealer = h.sealer("CLIENT_HANDSHAKE_TRAFFIC_SECRET");
  Bytes canceled = inner_plaintext(Bytes{1, 90}, msgs::ContentType::alert, 3);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(alert_for(*h.server, sealer.seal(canceled)), Alert::none);
  EXPECT_EQ(alert_for(*h.server, sealer.seal(canceled)), Alert::unexpected_message);

  // TLS 1.2, before the keys: plaintext warnings, user_canceled among them.
  auto server = new_server(tls12_server_config());
  auto hello = parse_client_hello((*ClientConnection::create(tls12_client_config()))->pending_output());
  ASSERT_EQ(alert_for(*server, plaintext_record(22, hello.encode())), Alert::none);
  Bytes warnings = concat({repeat(plaintext_record(21, Bytes{1, 90}), 3),
                           repeat(plaintext_record(21, Bytes{1, 112}), 2)});
  ASSERT_EQ(alert_for(*server, warnings), Alert::none);
  EXPECT_EQ(alert_for(*server, repeat(plaintext_record(21, Bytes{1, 90}), 200000)),
            Alert::unexpected_message);
}

TEST(StrictPeer, EmptyRecordFloodIsUnexpected) {
  auto h = hold_client_finished();
  ASSERT_EQ(alert_for(*h.server, h.sealer("CLIENT_HANDSHAKE_TRAFFIC_SECRET")
                                     .seal(inner_plaintext(h.finished, msgs::ContentType::handshake,
                                                           0))),
            Alert::none);
  ASSERT_TRUE(h.server->handshake_done());
  auto app = h.sealer("CLIENT_TRAFFIC_SECRET_0");
  Bytes empty = inner_plaintext({}, msgs::ContentType::application_data, 0);
  // Data in between resets the count: empty records are allowed, endless ones are not.
  for (int i = 0; i < 32; ++i) ASSERT_EQ(alert_for(*h.server, app.seal(empty)), Alert::none) << i;
  ASSERT_EQ(alert_for(*h.server, app.seal(inner_plaintext(Bytes{'x'},
                                                          msgs::ContentType::application_data, 0))),
            Alert::none);
  for (int i = 0; i < 32; ++i) ASSERT_EQ(alert_for(*h.server, app.seal(empty)), Alert::none) << i;
  EXPECT_EQ(alert_for(*h.server, app.seal(empty)), Alert::unexpected_message);
}

TEST(StrictPeer, EmptyRecordFloodOfDeclinedEarlyDataIsRefused) {
  auto hello = real_client_hello();
  hello.extensions.insert(hello.extensions.end() - 1,
                          {ExtensionType::early_data, msgs::EmptyExtension{}});
  auto server = new_server();
  ASSERT_EQ(alert_for(*server, plaintext_record(22, hello.encode())), Alert::none);
  // Undecryptable 0-RTT records of no data (tag and content type only) are skipped, but
  // not without end: each counts at least one byte against the 16 KiB skipped at most.
  Bytes empty_early = plaintext_record(23, Bytes(17, 0x5a));
  EXPECT_EQ(alert_for(*server, repeat(empty_early, 20000)), Alert::bad_record_mac);
}

// ---- item 12: hellos as large as their syntax allows ----

TEST(StrictPeer, HundredsOfKeySharesForUnknownGroupsAreIgnored) {
  auto hello = real_client_hello();
  auto& groups =
      std::get<msgs::NamedGroupList>(find(hello, ExtensionType::supported_groups)->body).groups;
  auto& shares = std::get<msgs::KeyShareClientHello>(find(hello, ExtensionType::key_share)->body);
  for (uint16_t i = 0; i < 500; ++i) {
    auto unknown = static_cast<msgs::NamedGroup>(0x2000 + i);
    groups.insert(groups.begin(), unknown);
    shares.shares.insert(shares.shares.begin(), {unknown, Bytes(i % 3, 7)});  // even empty
  }
  auto server = new_server();
  EXPECT_EQ(alert_for(*server, handshake_records(hello.encode())), Alert::none);
  EXPECT_TRUE(server->wants_write());  // the server flight, for the known share
}

TEST(StrictPeer, ClientHelloOf30000SuitesAndA65000ByteExtensionIsAccepted) {
  auto hello = real_client_hello();
  std::vector<msgs::CipherSuite> suites;
  for (uint16_t i = 0; i < 30000; ++i) suites.push_back(static_cast<msgs::CipherSuite>(0x5a00 + i));
  hello.cipher_suites.insert(hello.cipher_suites.begin(), suites.begin(), suites.end());
  hello.extensions.insert(hello.extensions.begin(),
                          {static_cast<ExtensionType>(0x7a7a), msgs::RawExtension{Bytes(62000, 1)}});
  Bytes message = hello.encode();
  ASSERT_GT(message.size(), 120000u);  // over the 64 KiB other messages may have
  auto server = new_server();
  EXPECT_EQ(alert_for(*server, handshake_records(message)), Alert::none);
  EXPECT_TRUE(server->wants_write());
}

TEST(StrictPeer, ClientHelloLongerThanItsSyntaxAllowsIsDecodeError) {
  size_t length = msgs::kMaxClientHelloSize + 1;
  Bytes header = {1, static_cast<uint8_t>(length >> 16), static_cast<uint8_t>(length >> 8),
                  static_cast<uint8_t>(length)};
  auto server = new_server();
  EXPECT_EQ(alert_for(*server, plaintext_record(22, header)), Alert::decode_error);
}

// ---- item 13: record versions ----

TEST(StrictPeer, ClientHelloRecordVersionIsAny03xx) {
  Bytes hello = real_client_hello().encode();
  for (uint8_t minor : {0x00, 0x01, 0x03, 0x05, 0xfe, 0xff}) {
    Bytes rec = plaintext_record(22, hello);
    rec[2] = minor;
    auto server = new_server();
    EXPECT_EQ(alert_for(*server, rec), Alert::none) << int(minor);
    // Once the version is agreed, a record must say SSL 3.0 to TLS 1.3.
    Bytes ccs = plaintext_record(20, Bytes{1});
    ccs[2] = 0xfe;
    EXPECT_EQ(alert_for(*server, ccs), Alert::protocol_version) << int(minor);
  }
  Bytes not_tls = plaintext_record(22, hello);
  not_tls[1] = 4;
  auto server = new_server();
  EXPECT_EQ(alert_for(*server, not_tls), Alert::protocol_version);
}

// ---- item 14: malformed ChangeCipherSpec and empty key shares ----

TEST(StrictPeer, ChangeCipherSpecOfTwoBytesIsUnexpected) {
  for (Bytes body : {Bytes{1, 1}, Bytes{1, 0}, Bytes{}}) {
    auto server = new_server();
    ASSERT_EQ(alert_for(*server, plaintext_record(22, real_client_hello().encode())), Alert::none);
    EXPECT_EQ(alert_for(*server, plaintext_record(20, body)), Alert::unexpected_message)
        << body.size();
  }
}

TEST(StrictPeer, KeySharesOfTheWrongLengthAreIllegalParameter) {
  const struct {
    msgs::NamedGroup group;
    size_t length;
  } cases[] = {{msgs::NamedGroup::x25519, 0},           {msgs::NamedGroup::x25519, 33},
               {msgs::NamedGroup::secp256r1, 0},        {msgs::NamedGroup::secp256r1, 64},
               {msgs::NamedGroup::secp256r1, 66},       {msgs::NamedGroup::x25519_mlkem768, 0},
               {msgs::NamedGroup::x25519_mlkem768, 1217}, {msgs::NamedGroup::secp256r1_mlkem768, 0},
               {msgs::NamedGroup::secp256r1_mlkem768, 1248}};
  for (const auto& c : cases) {
    ClientConfig every_group = test_client_config();
    every_group.groups = {tls::kX25519, tls::kSecp256r1, tls::kX25519Mlkem768,
                          tls::kSecp256r1Mlkem768};
    auto hello = real_client_hello(every_group);
    std::get<msgs::KeyShareClientHello>(find(hello, ExtensionType::key_share)->body).shares = {
        {c.group, Bytes(c.length, 4)}};
    auto config = test_server_config();
    config->groups = every_group.groups;
    auto server = new_server(config);
    EXPECT_EQ(alert_for(*server, handshake_records(hello.encode())), Alert::illegal_parameter)
        << msgs::to_string(c.group) << " of " << c.length << " bytes";
  }
}

// ---- item 15: the second ClientHello repeats the first ----

std::shared_ptr<ServerConfig> x25519_only_config() {
  auto config = test_server_config();
  config->groups = {tls::kX25519};
  return config;
}

// A first ClientHello with a P-384 share only, so an X25519-only server asks again.
msgs::ClientHello first_hello_for_retry() {
  ClientConfig config = test_client_config();
  config.key_share_groups = {tls::kSecp384r1};
  return real_client_hello(config);
}

// The second ClientHello as RFC 8446 §4.1.2 has it: the first with an X25519 share.
msgs::ClientHello retried(msgs::ClientHello hello) {
  auto x25519 = real_client_hello();
  *find(hello, ExtensionType::key_share) = *find(x25519, ExtensionType::key_share);
  return hello;
}

Alert alert_for_second_hello(const msgs::ClientHello& first, const msgs::ClientHello& second) {
  auto server = new_server(x25519_only_config());
  EXPECT_EQ(alert_for(*server, handshake_records(first.encode())), Alert::none);
  EXPECT_TRUE(server->wants_write());  // the HelloRetryRequest
  server->consume_output(server->pending_output().size());
  return alert_for(*server, handshake_records(second.encode()));
}

TEST(StrictPeer, SecondClientHelloMayChangeOnlyWhatTheRetryAllows) {
  auto first = first_hello_for_retry();
  EXPECT_EQ(alert_for_second_hello(first, retried(first)), Alert::none);
  auto padded = retried(first);
  padded.extensions.insert(padded.extensions.end() - 1,
                           {ExtensionType::padding, msgs::Padding{Bytes(100, 0)}});
  EXPECT_EQ(alert_for_second_hello(first, padded), Alert::none);
  // The same extensions in another order are still the same.
  auto reordered = retried(first);
  std::swap(reordered.extensions[0], reordered.extensions[1]);
  EXPECT_EQ(alert_for_second_hello(first, reordered), Alert::none);
}

TEST(StrictPeer, SecondClientHelloThatAddsChangesOrDropsAnExtensionIsIllegalParameter) {
  auto first = first_hello_for_retry();
  msgs::Extension limit{ExtensionType::record_size_limit, msgs::RecordSizeLimit{2000}};

  auto adds = retried(first);
  adds.extensions.insert(adds.extensions.begin(), limit);
  EXPECT_EQ(alert_for_second_hello(first, adds), Alert::illegal_parameter);

  auto with_limit = first;
  with_limit.extensions.insert(with_limit.extensions.begin(), limit);
  auto changes = retried(with_limit);
  std::get<msgs::RecordSizeLimit>(changes.extensions.front().body).limit = 3000;
  EXPECT_EQ(alert_for_second_hello(with_limit, changes), Alert::illegal_parameter);
  auto drops = retried(with_limit);
  drops.extensions.erase(drops.extensions.begin());
  EXPECT_EQ(alert_for_second_hello(with_limit, drops), Alert::illegal_parameter);

  auto other_random = retried(first);
  other_random.random[0] ^= 1;
  EXPECT_EQ(alert_for_second_hello(first, other_random), Alert::illegal_parameter);
  auto other_suites = retried(first);
  other_suites.cipher_suites.push_back(static_cast<msgs::CipherSuite>(0x5a5a));
  EXPECT_EQ(alert_for_second_hello(first, other_suites), Alert::illegal_parameter);
}

// ---- item 15: record_size_limit in TLS 1.2 ----

std::optional<uint16_t> server_hello_record_size_limit(BytesView server_output) {
  auto sh = parse_server_hello(server_output);
  auto* limit =
      msgs::find_extension_body<msgs::RecordSizeLimit>(sh.extensions, ExtensionType::record_size_limit);
  if (!limit) return std::nullopt;
  return limit->limit;
}

TEST(StrictPeer, Tls12ServerNegotiatesRecordSizeLimit) {
  ClientConfig cc = tls12_client_config();
  cc.record_size_limit = 1000;
  auto pair = connect_pair(cc, tls12_server_config());
  ASSERT_TRUE(transfer(*pair.client, *pair.server));
  // The server's own limit, capped at TLS 1.2's 2^14.
  EXPECT_EQ(server_hello_record_size_limit(pair.server->pending_output()), 1 << 14);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->handshake_done());
  // And it keeps to the client's: 5000 bytes go out in records of at most 1000.
  ASSERT_TRUE(pair.server->write(Bytes(5000, 'z')));
  auto records = split_records(pair.server->pending_output());
  EXPECT_EQ(records.size(), 5u);
  for (const auto& r : records) EXPECT_LE(r.fragment.size(), 1000u + 8 + 16);
  ASSERT_TRUE(transfer(*pair.server, *pair.client));
  EXPECT_EQ(read_all(*pair.client), std::string(5000, 'z'));

  // A client without the extension gets none back.
  auto plain = connect_pair(tls12_client_config(), tls12_server_config());
  ASSERT_TRUE(transfer(*plain.client, *plain.server));
  EXPECT_EQ(server_hello_record_size_limit(plain.server->pending_output()), std::nullopt);
}

TEST(StrictPeer, Tls12ServerEnforcesItsRecordSizeLimit) {
  for (size_t size : {1000u, 1001u}) {
    auto keylog = std::make_shared<std::vector<std::string>>();
    ClientConfig cc = tls12_client_config();
    cc.record_size_limit = 4000;
    cc.keylog = [keylog](const std::string& line) { keylog->push_back(line); };
    auto sc = tls12_server_config();
    sc->record_size_limit = 1000;
    auto pair = connect_pair(cc, sc);
    ASSERT_TRUE(transfer(*pair.client, *pair.server));
    Bytes server_flight = take_output(*pair.server);
    ASSERT_EQ(server_hello_record_size_limit(server_flight), 1000);
    ASSERT_TRUE(pair.client->feed(server_flight));
    ASSERT_TRUE(pump(*pair.client, *pair.server));
    ASSERT_TRUE(pair.server->handshake_done());
    // The client's write key from the key log; its Finished took sequence number 0.
    auto line = parse_client_random_line(keylog->at(0));
    ASSERT_TRUE(line);
    auto sh = parse_server_hello(server_flight);
    auto cipher = Tls12Session(sh.cipher_suite, line->master_secret,
                               to_random(line->client_random), sh.random)
                      .cipher(false);
    (void)seal_record(cipher, msgs::ContentType::handshake, Bytes(16, 0));
    Bytes data = seal_record(cipher, msgs::ContentType::application_data, Bytes(size, 'q'));
    EXPECT_EQ(alert_for(*pair.server, data), size > 1000 ? Alert::record_overflow : Alert::none)
        << size;
  }
}

TEST(StrictPeer, Tls12ClientAppliesTheServersRecordSizeLimit) {
  ClientConfig cc = tls12_client_config();
  cc.record_size_limit = 2000;
  auto sc = tls12_server_config();
  sc->record_size_limit = 700;
  auto pair = connect_pair(cc, sc);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.client->handshake_done());
  ASSERT_TRUE(pair.client->write(Bytes(2100, 'c')));
  auto records = split_records(pair.client->pending_output());
  EXPECT_EQ(records.size(), 3u);
  ASSERT_TRUE(transfer(*pair.client, *pair.server));
  EXPECT_EQ(read_all(*pair.server), std::string(2100, 'c'));
}

}  // namespace
}  // namespace tern::testing
