// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "base/encoding.h"
#include "base/reader.h"
#include "base/secret.h"
#include "base/writer.h"

namespace tern::base {
namespace {

Bytes B(std::initializer_list<uint8_t> v) { return Bytes(v); }

TEST(Reader, IntegersAreBigEndianAndBounded) {
  Bytes data = B({0x01, 0x02, 0x03, 0x04, 0x05, 0x06});
  Reader r(data);
  uint16_t a;
  uint32_t b;
  ASSERT_TRUE(r.u16(a));
  EXPECT_EQ(a, 0x0102);
  ASSERT_TRUE(r.u24(b));
  EXPECT_EQ(b, 0x030405u);
  EXPECT_FALSE(r.u16(a));  // one byte left
  EXPECT_EQ(r.remaining(), 1u);  // a failed read consumes nothing
}

TEST(Reader, VectorsRejectLengthsPastTheEnd) {
  Bytes ok = B({0x00, 0x02, 0xaa, 0xbb, 0xcc});
  Reader r(ok);
  BytesView v;
  ASSERT_TRUE(r.vec16(v));
  EXPECT_EQ(v.size(), 2u);
  Bytes bad = B({0x00, 0x05, 0xaa});
  Reader r2(bad);
  EXPECT_FALSE(r2.vec16(v));
  EXPECT_EQ(r2.remaining(), 3u);
}

TEST(Reader, DerAcceptsMinimalLengths) {
  Bytes shortform = B({0x30, 0x01, 0x05});
  Reader r(shortform);
  BytesView c;
  ASSERT_TRUE(r.der(der::kSequence, c));
  EXPECT_EQ(c.size(), 1u);
  Bytes longform(3 + 200, 0);
  longform[0] = 0x04, longform[1] = 0x81, longform[2] = 200;
  Reader r2(longform);
  ASSERT_TRUE(r2.der(der::kOctetString, c));
  EXPECT_EQ(c.size(), 200u);
}

TEST(Reader, DerRejectsBer) {
  BytesView c;
  for (Bytes bad : {B({0x30, 0x80, 0x00, 0x00}),   // indefinite length
                    B({0x30, 0x81, 0x01, 0x05}),   // long form for a short length
                    B({0x30, 0x82, 0x00, 0x81}),   // leading zero length byte
                    B({0x1f, 0x81, 0x01, 0x00}),   // high tag number
                    B({0x30, 0x05, 0x00}),         // length past the end
                    B({0x30, 0x85, 1, 0, 0, 0, 0})}) {  // absurd length
    Reader r(bad);
    EXPECT_FALSE(r.der(der::kSequence, c)) << hex(bad);
  }
}

TEST(Writer, NestedVectorsAndDer) {
  Writer w;
  ASSERT_TRUE(w.vec16([&] {
    w.u8(7);
    w.vec8([&] { w.bytes(B({1, 2})); });
  }));
  EXPECT_EQ(w.data(), B({0x00, 0x04, 0x07, 0x02, 0x01, 0x02}));

  Writer d;
  d.der(der::kSequence, [&] { d.der_uint(uint64_t{128}); });
  EXPECT_EQ(d.data(), B({0x30, 0x04, 0x02, 0x02, 0x00, 0x80}));

  Writer big;
  big.der(der::kOctetString, [&] { big.zeros(300); });
  EXPECT_EQ(big.data()[1], 0x82);
  Reader r(big.data());
  BytesView c;
  ASSERT_TRUE(r.der(der::kOctetString, c));
  EXPECT_EQ(c.size(), 300u);
}

TEST(Writer, VectorOverflowIsRefused) {
  Writer w;
  EXPECT_FALSE(w.vec8([&] { w.zeros(256); }));
  EXPECT_EQ(w.size(), 0u);
}

TEST(Encoding, HexRoundTrip) {
  EXPECT_EQ(hex(B({0x00, 0xab, 0xff})), "00abff");
  EXPECT_EQ(*unhex("00ABff"), B({0x00, 0xab, 0xff}));
  EXPECT_FALSE(unhex("abc"));
  EXPECT_FALSE(unhex("zz"));
  EXPECT_EQ(hex_colon(B({0x0a, 0xbc})), "0A:BC");
}

TEST(Encoding, Base64Rfc4648Vectors) {
  // RFC 4648 §10.
  EXPECT_EQ(base64(as_bytes("")), "");
  EXPECT_EQ(base64(as_bytes("f")), "Zg==");
  EXPECT_EQ(base64(as_bytes("fo")), "Zm8=");
  EXPECT_EQ(base64(as_bytes("foo")), "Zm9v");
  EXPECT_EQ(base64(as_bytes("foobar")), "Zm9vYmFy");
  EXPECT_EQ(as_chars(*unbase64("Zm9vYg==")), "foob");
  EXPECT_FALSE(unbase64("Zm9vYg="));   // wrong length
  EXPECT_FALSE(unbase64("Zm=vYg=="));  // padding in the middle
  EXPECT_FALSE(unbase64("Zh=="));      // non-zero bits under padding
}

TEST(Encoding, PemBundleWithCommentsAndCrlf) {
  std::string text =
      "subject=CN = test\r\n"
      "-----BEGIN CERTIFICATE-----\r\nZm9v\r\nYmFy\r\n-----END CERTIFICATE-----\r\n"
      "garbage between\n"
      "-----BEGIN X509 CRL-----\nZg==\n-----END X509 CRL-----\n";
  auto blocks = parse_pem(text);
  ASSERT_TRUE(blocks) << blocks.error();
  ASSERT_EQ(blocks->size(), 2u);
  EXPECT_EQ((*blocks)[0].label, "CERTIFICATE");
  EXPECT_EQ(as_chars((*blocks)[0].der), "foobar");
  EXPECT_EQ((*blocks)[1].label, "X509 CRL");
  auto again = parse_pem(to_pem("CERTIFICATE", as_bytes("foobar")));
  ASSERT_TRUE(again);
  EXPECT_EQ(as_chars((*again)[0].der), "foobar");
}

TEST(Encoding, PemErrorsNameTheProblem) {
  auto truncated = parse_pem("-----BEGIN CERTIFICATE-----\nZm9v\n");
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().detail.find("no END line"), std::string::npos);
  auto mismatched = parse_pem("-----BEGIN CERTIFICATE-----\nZm9v\n-----END X509 CRL-----\n");
  ASSERT_FALSE(mismatched);
  auto badb64 = parse_pem("-----BEGIN CERTIFICATE-----\nZm9v!\n-----END CERTIFICATE-----\n");
  ASSERT_FALSE(badb64);
  EXPECT_NE(badb64.error().detail.find("base64"), std::string::npos);
}

TEST(Secret, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal(B({1, 2, 3}), B({1, 2, 3})));
  EXPECT_FALSE(constant_time_equal(B({1, 2, 3}), B({1, 2, 4})));
  EXPECT_FALSE(constant_time_equal(B({1, 2}), B({1, 2, 3})));
  SecretBytes s(B({9, 9}));
  SecretBytes t = s.clone();
  EXPECT_TRUE(constant_time_equal(s.view(), t.view()));
  SecretBytes moved = std::move(s);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(moved.size(), 2u);

  SecretBytes grown;  // from empty: no copy out of a null buffer
  grown.resize(48);
  EXPECT_EQ(grown.size(), 48u);
  moved.resize(64);
  EXPECT_EQ(moved.view()[0], 9);
  EXPECT_EQ(moved.view()[63], 0);
  moved.resize(1);
  EXPECT_EQ(moved.size(), 1u);
}

TEST(Result, PropagatesErrors) {
  auto fails = []() -> Result<int> { return Error(Errc::decode, "bad", Alert::decode_error); };
  auto chain = [&]() -> Result<int> {
    TERN_TRY(int v, fails());
    return v + 1;
  };
  auto r = chain();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().alert, Alert::decode_error);
  auto good = []() -> Result<std::string> { return std::string("x"); }();
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, "x");
}

}  // namespace
}  // namespace tern::base
