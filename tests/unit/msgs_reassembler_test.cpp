// SPDX-License-Identifier: Apache-2.0
// HandshakeReassembler: whole messages out, whatever the record boundaries were.
#include <gtest/gtest.h>

#include <random>

#include "base/encoding.h"
#include "msgs/handshake.h"
#include "msgs/reassembler.h"

namespace tern::msgs {
namespace {

// A flight of five messages of different sizes, including an empty body.
std::vector<Bytes> sample_flight() {
  ServerHello hello;
  hello.random.fill(0x33);
  hello.cipher_suite = CipherSuite::tls_aes_128_gcm_sha256;
  hello.extensions = {
      {ExtensionType::supported_versions, SupportedVersionSelected{ProtocolVersion::tls13}}};
  Certificate13 cert;
  cert.certificate_list.push_back({Bytes(300, 0x30), {}});
  return {hello.encode(), EncryptedExtensions{}.encode(), cert.encode(), EndOfEarlyData{}.encode(),
          Finished{Bytes(32, 0xf1)}.encode()};
}

Bytes concat(const std::vector<Bytes>& messages) {
  Bytes out;
  for (const Bytes& m : messages) out.insert(out.end(), m.begin(), m.end());
  return out;
}

// Feeds `stream` cut at `cuts` (sorted offsets) and collects what comes out.
std::vector<Bytes> feed(const Bytes& stream, const std::vector<size_t>& cuts,
                        HandshakeReassembler& reassembler) {
  std::vector<Bytes> out;
  size_t start = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(stream.size());
  for (size_t end : ends) {
    auto added = reassembler.add(BytesView(stream).subspan(start, end - start));
    EXPECT_TRUE(added.ok()) << added.error();
    while (auto message = reassembler.next()) {
      EXPECT_EQ(message->body().size(), message->encoded.size() - kHandshakeHeaderSize);
      out.push_back(message->encoded);
    }
    start = end;
  }
  return out;
}

TEST(MsgsReassembler, WholeFlightInOneFragment) {
  auto flight = sample_flight();
  HandshakeReassembler reassembler;
  EXPECT_EQ(feed(concat(flight), {}, reassembler), flight);
  EXPECT_TRUE(reassembler.empty());
}

TEST(MsgsReassembler, SplitAtEveryBoundary) {
  auto flight = sample_flight();
  Bytes stream = concat(flight);
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    HandshakeReassembler reassembler;
    ASSERT_EQ(feed(stream, {cut}, reassembler), flight) << "cut at " << cut;
    EXPECT_TRUE(reassembler.empty());
  }
}

TEST(MsgsReassembler, SplitAtEveryPairOfBoundaries) {
  // Three fragments with both cut points anywhere, on a smaller flight to stay quick.
  std::vector<Bytes> flight = {EndOfEarlyData{}.encode(), Finished{Bytes(40, 7)}.encode(),
                               KeyUpdate{}.encode()};
  Bytes stream = concat(flight);
  for (size_t a = 0; a <= stream.size(); ++a) {
    for (size_t b = a; b <= stream.size(); ++b) {
      HandshakeReassembler reassembler;
      ASSERT_EQ(feed(stream, {a, b}, reassembler), flight) << "cuts " << a << ", " << b;
      EXPECT_TRUE(reassembler.empty());
    }
  }
}

TEST(MsgsReassembler, OneByteAtATimeAndRandomSplits) {
  auto flight = sample_flight();
  Bytes stream = concat(flight);
  std::vector<size_t> every_byte;
  for (size_t i = 1; i < stream.size(); ++i) every_byte.push_back(i);
  HandshakeReassembler bytewise;
  EXPECT_EQ(feed(stream, every_byte, bytewise), flight);

  std::mt19937 rng(8448);  // fixed seed: the same splits every run
  for (int round = 0; round < 200; ++round) {
    std::vector<size_t> cuts;
    std::uniform_int_distribution<size_t> pick(0, stream.size());
    for (int i = 0; i < 6; ++i) cuts.push_back(pick(rng));
    std::sort(cuts.begin(), cuts.end());
    HandshakeReassembler reassembler;
    ASSERT_EQ(feed(stream, cuts, reassembler), flight) << "round " << round;
  }
}

TEST(MsgsReassembler, PartialMessageStaysBuffered) {
  Bytes finished = Finished{Bytes(32, 1)}.encode();
  HandshakeReassembler reassembler;
  ASSERT_TRUE(reassembler.add(BytesView(finished).first(10)).ok());
  EXPECT_FALSE(reassembler.next());
  EXPECT_EQ(reassembler.buffered(), 10u);
  ASSERT_TRUE(reassembler.add(BytesView(finished).subspan(10)).ok());
  auto message = reassembler.next();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->type, HandshakeType::finished);
  EXPECT_EQ(message->encoded, finished);
  EXPECT_TRUE(reassembler.empty());
  EXPECT_FALSE(reassembler.next());
}

TEST(MsgsReassembler, OversizedHeaderFailsBeforeTheBodyArrives) {
  HandshakeReassembler reassembler(1000);
  // A header announcing 1001 bytes fails as soon as its 4 bytes are in.
  ASSERT_TRUE(reassembler.add(Bytes{11, 0, 3}).ok());
  auto added = reassembler.add(Bytes{0xe9});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().alert, Alert::illegal_parameter);
  EXPECT_NE(added.error().detail.find("Certificate of 1001 bytes exceeds the limit of 1000"),
            std::string::npos)
      << added.error();
  EXPECT_FALSE(reassembler.add(Bytes{0}).ok());  // unusable after an error
  EXPECT_FALSE(reassembler.next());
}

// A ClientHello may be as long as its own length fields allow, whatever the limit for other
// messages; longer cannot be a ClientHello at all (decode_error).
TEST(MsgsReassembler, ClientHelloUpToItsSyntacticMaximum) {
  HandshakeReassembler reassembler(1000);
  EXPECT_EQ(reassembler.max_message_size(HandshakeType::client_hello), kMaxClientHelloSize);
  EXPECT_EQ(reassembler.max_message_size(HandshakeType::certificate), 1000u);
  Bytes hello = {1, 0x01, 0x86, 0xa0};  // 100,000 bytes
  hello.resize(4 + 100000, 7);
  ASSERT_TRUE(reassembler.add(hello).ok());
  auto message = reassembler.next();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->body().size(), 100000u);

  size_t too_long = kMaxClientHelloSize + 1;
  auto added = reassembler.add(Bytes{1, static_cast<uint8_t>(too_long >> 16),
                                     static_cast<uint8_t>(too_long >> 8),
                                     static_cast<uint8_t>(too_long)});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().alert, Alert::decode_error);
}

TEST(MsgsReassembler, OversizedSecondMessageInTheSameFragment) {
  HandshakeReassembler reassembler(64);
  Bytes stream = EndOfEarlyData{}.encode();
  Bytes big_header = {20, 0, 0, 65};
  stream.insert(stream.end(), big_header.begin(), big_header.end());
  EXPECT_FALSE(reassembler.add(stream).ok());
}

TEST(MsgsReassembler, MessageAtTheLimitIsAccepted) {
  HandshakeReassembler reassembler(64);
  Bytes at_limit = Finished{Bytes(64, 2)}.encode();
  ASSERT_TRUE(reassembler.add(at_limit).ok());
  auto message = reassembler.next();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->body().size(), 64u);
}

}  // namespace
}  // namespace tern::msgs
