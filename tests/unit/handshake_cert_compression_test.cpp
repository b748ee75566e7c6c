// SPDX-License-Identifier: Apache-2.0
// Certificate compression (RFC 8879): each algorithm's round trip, the decompressor's limits
// (bombs, lengths that lie, algorithms not offered), the extension codec, the server's cache,
// and tern client <-> tern server with each algorithm in both roles.
#include <gtest/gtest.h>

#include <thread>

#include "handshake/cert_compression/compressor.h"
#include "msgs/compressed_certificate.h"
#include "tls13_test_util.h"

namespace tern {
namespace {

namespace cc = handshake::cert_compression;
using namespace tern::testing;

constexpr uint16_t kAlgorithms[] = {tls::kCertCompressionZlib, tls::kCertCompressionBrotli,
                                    tls::kCertCompressionZstd};
const std::vector<uint16_t> kAll(std::begin(kAlgorithms), std::end(kAlgorithms));

// A Certificate message body of realistic content: the test chain.
Bytes certificate_message() {
  msgs::Certificate13 certificate;
  for (const Bytes& der : test_credentials(crypto::KeyType::ec_p256).certified.chain)
    certificate.certificate_list.push_back({der, {}});
  return certificate.encode();
}

// A CompressedCertificate body: `algorithm`, the announced length, the stream.
Bytes compressed_body(uint16_t algorithm, uint32_t announced, BytesView stream) {
  msgs::CompressedCertificate m{algorithm, announced, Bytes(stream.begin(), stream.end())};
  Bytes encoded = m.encode();
  return Bytes(encoded.begin() + 4, encoded.end());
}

TEST(CertCompression, EachAlgorithmRoundTripsAndShrinksTheChain) {
  Bytes message = certificate_message();
  BytesView body = BytesView(message).subspan(4);
  for (uint16_t a : kAlgorithms) {
    SCOPED_TRACE(msgs::certificate_compression_name(a));
    auto compressed = cc::compress_certificate(a, message);
    ASSERT_TRUE(compressed) << compressed.error().detail;
    EXPECT_LT(compressed->size(), message.size());
    auto view = msgs::split_handshake(*compressed);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->type, msgs::HandshakeType::compressed_certificate);
    auto back = cc::decompress_certificate(view->body, kAll);
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_TRUE(equal(*back, body));
  }
}

TEST(CertCompression, LengthOverTheLimitIsRefusedBeforeDecoding) {
  for (uint16_t a : kAlgorithms) {
    auto stream = cc::find_codec(a)->compress(Bytes(16, 0));
    ASSERT_TRUE(stream);
    for (uint32_t announced : {uint32_t(cc::kMaxUncompressedSize + 1), uint32_t(0xffffff), 0u}) {
      auto r = cc::decompress_certificate(compressed_body(a, announced, *stream), kAll);
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().alert, Alert::bad_certificate) << r.error().detail;
    }
  }
}

TEST(CertCompression, BombStopsAtTheAnnouncedLength) {
  // 100 KiB of zeros (within every decoder's window): decoding stops one byte past 1000.
  // 8 MiB (a window no Certificate needs): brotli's and zstd's memory caps refuse it.
  for (size_t size : {size_t(100) << 10, size_t(8) << 20}) {
    Bytes zeros(size, 0);
    for (uint16_t a : kAlgorithms) {
      SCOPED_TRACE(msgs::certificate_compression_name(a) + " " + std::to_string(size));
      auto stream = cc::find_codec(a)->compress(zeros);
      ASSERT_TRUE(stream);
      auto r = cc::decompress_certificate(compressed_body(a, 1000, *stream), kAll);
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().alert, Alert::bad_certificate);
      if (size < cc::kMaxUncompressedSize * 2) {
        EXPECT_NE(r.error().detail.find("more bytes than announced"), std::string::npos)
            << r.error().detail;
      }
    }
  }
}

TEST(CertCompression, ShorterThanAnnouncedTruncatedOrTrailingIsBadCertificate) {
  Bytes message = certificate_message();
  BytesView body = BytesView(message).subspan(4);
  for (uint16_t a : kAlgorithms) {
    SCOPED_TRACE(msgs::certificate_compression_name(a));
    auto stream = cc::find_codec(a)->compress(body);
    ASSERT_TRUE(stream);
    auto longer = cc::decompress_certificate(
        compressed_body(a, static_cast<uint32_t>(body.size() + 1), *stream), kAll);
    ASSERT_FALSE(longer);
    EXPECT_EQ(longer.error().alert, Alert::bad_certificate);
    Bytes truncated(stream->begin(), stream->end() - 4);
    auto cut = cc::decompress_certificate(
        compressed_body(a, static_cast<uint32_t>(body.size()), truncated), kAll);
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().alert, Alert::bad_certificate) << cut.error().detail;
    Bytes trailing = *stream;
    trailing.push_back(0);
    auto extra = cc::decompress_certificate(
        compressed_body(a, static_cast<uint32_t>(body.size()), trailing), kAll);
    ASSERT_FALSE(extra);
    EXPECT_EQ(extra.error().alert, Alert::bad_certificate) << extra.error().detail;
    Bytes garbage(64, 0xa5);
    auto junk = cc::decompress_certificate(compressed_body(a, 100, garbage), kAll);
    ASSERT_FALSE(junk);
    EXPECT_EQ(junk.error().alert, Alert::bad_certificate) << junk.error().detail;
  }
}

TEST(CertCompression, AlgorithmNotOfferedOrUnknownIsIllegalParameter) {
  auto stream = cc::find_codec(tls::kCertCompressionZlib)->compress(Bytes(8, 0));
  ASSERT_TRUE(stream);
  auto not_offered = cc::decompress_certificate(
      compressed_body(tls::kCertCompressionZlib, 8, *stream), {tls::kCertCompressionBrotli});
  ASSERT_FALSE(not_offered);
  EXPECT_EQ(not_offered.error().alert, Alert::illegal_parameter);
  auto unknown = cc::decompress_certificate(compressed_body(0x4242, 8, *stream), {0x4242});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().alert, Alert::illegal_parameter);
}

TEST(CertCompression, MessageAndExtensionCodec) {
  EXPECT_FALSE(msgs::CompressedCertificate::parse(Bytes{0, 2, 0, 0, 8, 0, 0, 0}));  // empty
  EXPECT_FALSE(msgs::CompressedCertificate::parse(Bytes{0, 2, 0, 0, 8, 0, 0, 2, 1}));
  EXPECT_FALSE(msgs::CompressedCertificate::parse(Bytes{0, 2, 0, 0, 8, 0, 0, 1, 1, 9}));
  EXPECT_TRUE(msgs::CompressedCertificate::parse(Bytes{0, 2, 0, 0, 8, 0, 0, 1, 1}));
  using List = msgs::CertificateCompressionAlgorithms;
  EXPECT_FALSE(List::parse(Bytes{0}));
  EXPECT_FALSE(List::parse(Bytes{3, 0, 2, 0}));
  EXPECT_FALSE(List::parse(Bytes{2, 0, 2, 9}));
  auto dup = List::parse(Bytes{4, 0, 2, 0, 2});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().alert, Alert::illegal_parameter);
  auto ok = List::parse(Bytes{4, 0, 2, 0x1a, 0x1a});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->algorithms, (std::vector<uint16_t>{2, 0x1a1a}));
  EXPECT_EQ(ok->encode(), (Bytes{4, 0, 2, 0x1a, 0x1a}));
}

TEST(CertCompression, CacheCompressesOncePerAlgorithmAndMessage) {
  cc::Cache cache;
  Bytes message = certificate_message();
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 50; ++j) ASSERT_TRUE(cache.get(tls::kCertCompressionBrotli, message));
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_LE(cache.compressions(), 4u);  // racing first lookups may each compress, once
  size_t before = cache.compressions();
  ASSERT_TRUE(cache.get(tls::kCertCompressionBrotli, message));
  EXPECT_EQ(cache.compressions(), before);
  // Other bytes (an OCSP staple added to an entry, say) are compressed anew.
  Bytes changed = message;
  changed.back() ^= 1;
  ASSERT_TRUE(cache.get(tls::kCertCompressionBrotli, changed));
  ASSERT_TRUE(cache.get(tls::kCertCompressionZstd, message));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.compressions(), before + 2);
}

// Records the handshake message types each way.
class Types : public Observer {
 public:
  void on_handshake_message(Direction d, Protection, uint8_t type, BytesView,
                            const std::string& describe) override {
    (d == Direction::sent ? sent : received).push_back(type);
    if (type == 25) descriptions.push_back(describe);
  }
  bool sent_type(uint8_t t) const { return std::find(sent.begin(), sent.end(), t) != sent.end(); }
  bool received_type(uint8_t t) const {
    return std::find(received.begin(), received.end(), t) != received.end();
  }
  std::vector<uint8_t> sent, received;
  std::vector<std::string> descriptions;
};

constexpr uint8_t kCertificate = 11, kCompressed = 25;

TEST(CertCompression, ServerCertificateCompressedWithEachAlgorithm) {
  for (uint16_t a : kAlgorithms) {
    SCOPED_TRACE(msgs::certificate_compression_name(a));
    Types client_seen, server_seen;
    ClientConfig client = test_client_config();
    client.certificate_compression = {a};
    client.observer = &client_seen;
    auto server = test_server_config();
    server->observer = &server_seen;
    Pair pair = connect_pair(client, server);
    ASSERT_TRUE(pump(*pair.client, *pair.server));
    ASSERT_TRUE(pair.client->handshake_done());
    ASSERT_TRUE(pair.server->handshake_done());
    EXPECT_TRUE(server_seen.sent_type(kCompressed));
    EXPECT_FALSE(server_seen.sent_type(kCertificate));
    EXPECT_TRUE(client_seen.received_type(kCompressed));
    EXPECT_EQ(pair.client->peer_chain(),
              test_credentials(crypto::KeyType::ec_p256).certified.chain);
    ASSERT_EQ(server_seen.descriptions.size(), 1u);
    EXPECT_NE(
        server_seen.descriptions[0].find("algorithm: " + msgs::certificate_compression_name(a)),
        std::string::npos)
        << server_seen.descriptions[0];
  }
}

TEST(CertCompression, ServerUsesItsPreferenceAmongTheClientsOffer) {
  Types server_seen;
  ClientConfig client = test_client_config();
  client.certificate_compression = {tls::kCertCompressionZlib, tls::kCertCompressionZstd};
  auto server = test_server_config();
  server->certificate_compression = {tls::kCertCompressionBrotli, tls::kCertCompressionZstd,
                                     tls::kCertCompressionZlib};
  server->observer = &server_seen;
  Pair pair = connect_pair(client, server);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_EQ(server_seen.descriptions.size(), 1u);
  EXPECT_NE(server_seen.descriptions[0].find("algorithm: zstd"), std::string::npos);
}

TEST(CertCompression, OffOnEitherSideSendsAPlainCertificate) {
  for (int off_side = 0; off_side < 2; ++off_side) {
    Types server_seen;
    ClientConfig client = test_client_config();
    auto server = test_server_config();
    (off_side == 0 ? client.certificate_compression : server->certificate_compression).clear();
    server->observer = &server_seen;
    Pair pair = connect_pair(client, server);
    ASSERT_TRUE(pump(*pair.client, *pair.server));
    ASSERT_TRUE(pair.client->handshake_done());
    EXPECT_TRUE(server_seen.sent_type(kCertificate));
    EXPECT_FALSE(server_seen.sent_type(kCompressed));
  }
  // TLS 1.2 ignores the extension (RFC 8879 §3).
  auto tls12_server = test_server_config();
  tls12_server->max_version = tls::kTls12;
  Pair pair = connect_pair(test_client_config(), tls12_server);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.client->handshake_done());
  EXPECT_EQ(pair.client->version(), tls::kTls12);
}

TEST(CertCompression, ClientCertificateCompressedWithEachAlgorithm) {
  for (uint16_t a : kAlgorithms) {
    SCOPED_TRACE(msgs::certificate_compression_name(a));
    Types client_seen, server_seen;
    ClientConfig client = test_client_config();
    client.certificate_compression = {a};
    client.client_certificate = client_pki().certified;
    client.observer = &client_seen;
    auto server = test_server_config();
    server->client_auth = ServerConfig::ClientAuth::require;
    server->client_roots = client_pki().roots;
    server->certificate_compression = {a};
    server->observer = &server_seen;
    Pair pair = connect_pair(client, server);
    auto pumped = pump(*pair.client, *pair.server);
    ASSERT_TRUE(pumped) << pumped.error().detail;
    ASSERT_TRUE(pair.server->handshake_done());
    EXPECT_TRUE(client_seen.sent_type(kCompressed));
    EXPECT_TRUE(server_seen.received_type(kCompressed));
    EXPECT_EQ(server_seen.descriptions.size(), 2u);  // its own and the client's
    EXPECT_EQ(pair.server->peer_chain(), client_pki().certified.chain);
  }
}

TEST(CertCompression, ClientCompressesOnlyWhenTheServerOffers) {
  Types client_seen;
  ClientConfig client = test_client_config();
  client.client_certificate = client_pki().certified;
  client.observer = &client_seen;
  auto server = test_server_config();
  server->client_auth = ServerConfig::ClientAuth::require;
  server->client_roots = client_pki().roots;
  server->certificate_compression.clear();
  Pair pair = connect_pair(client, server);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->handshake_done());
  EXPECT_TRUE(client_seen.sent_type(kCertificate));
  EXPECT_FALSE(client_seen.sent_type(kCompressed));
}

}  // namespace
}  // namespace tern
