// SPDX-License-Identifier: Apache-2.0
// Record protection against RFC 8448 §3's protected records, and framing limits.
#include <gtest/gtest.h>

#include "base/encoding.h"
#include "handshake/key_schedule.h"
#include "record/record.h"
#include "rfc8448.h"

namespace tern::record {
namespace {

using tern::testing::rfc8448;
constexpr const char* kSimple = "3.  Simple 1-RTT Handshake";

Cipher cipher(Version version, crypto::Aead aead, const Bytes& key, const Bytes& iv) {
  auto c = Cipher::create(crypto::default_provider(), version, aead, key, iv);
  EXPECT_TRUE(c) << c.error();
  return std::move(c).value();
}

Cipher rfc_cipher(const char* keys_step) {
  return cipher(Version::tls13, crypto::Aead::aes128_gcm, rfc8448(kSimple, keys_step, "key expanded"),
                rfc8448(kSimple, keys_step, "iv expanded"));
}

constexpr const char* kClientAppKeys = "{client}  derive write traffic keys for application data";

TEST(Record13, OpensAndSealsRfc8448ApplicationData) {
  Bytes wire = rfc8448(kSimple, "{client}  send application_data record", "complete record");
  Bytes payload = rfc8448(kSimple, "{client}  send application_data record", "payload");

  Cipher opener = rfc_cipher(kClientAppKeys);
  Bytes buf = wire;
  auto rec = next_record(buf, kMaxCiphertext13);
  ASSERT_TRUE(rec);
  ASSERT_TRUE(rec->has_value());
  EXPECT_EQ((*rec)->size(), wire.size());
  auto opened = opener.open(**rec);
  ASSERT_TRUE(opened) << opened.error();
  EXPECT_EQ(opened->type, ContentType::application_data);
  EXPECT_EQ(base::hex(opened->data), base::hex(payload));
  EXPECT_EQ(opener.sequence(), 1u);

  // The client's alert that follows is record number 1 under the same key.
  Bytes alert = rfc8448(kSimple, "{client}  send alert record", "complete record");
  auto alert_rec = next_record(alert, kMaxCiphertext13);
  ASSERT_TRUE(alert_rec && alert_rec->has_value());
  auto alert_opened = opener.open(**alert_rec);
  ASSERT_TRUE(alert_opened);
  EXPECT_EQ(alert_opened->type, ContentType::alert);
  EXPECT_EQ(base::hex(alert_opened->data), "0100");

  Cipher sealer = rfc_cipher(kClientAppKeys);
  Bytes out(wire.size() + 64);
  std::copy(payload.begin(), payload.end(), out.begin() + static_cast<long>(sealer.plaintext_offset()));
  auto n = sealer.seal(ContentType::application_data, out, payload.size());
  ASSERT_TRUE(n);
  out.resize(*n);
  EXPECT_EQ(base::hex(out), base::hex(wire));
}

TEST(Record13, OpensTheServerHandshakeFlight) {
  // The server's first record is the plaintext ServerHello; the encrypted flight is the
  // 679-octet record after it.
  Bytes wire = rfc8448(kSimple, "complete record (679", "complete record");
  Cipher opener = rfc_cipher("{server}  derive write traffic keys for handshake data");
  auto rec = next_record(wire, kMaxCiphertext13);
  ASSERT_TRUE(rec && rec->has_value());
  auto opened = opener.open(**rec);
  ASSERT_TRUE(opened) << opened.error();
  EXPECT_EQ(opened->type, ContentType::handshake);
  Bytes expected;
  for (auto [step, label] : {std::pair{"{server}  construct an EncryptedExtensions", "EncryptedExtensions"},
                             std::pair{"{server}  construct a Certificate", "Certificate"},
                             std::pair{"{server}  construct a CertificateVerify", "CertificateVerify"},
                             std::pair{"{server}  construct a Finished", "Finished"}}) {
    Bytes m = rfc8448(kSimple, step, label);
    expected.insert(expected.end(), m.begin(), m.end());
  }
  EXPECT_EQ(base::hex(opened->data), base::hex(expected));
}

TEST(Record13, AFlippedBitIsBadRecordMac) {
  Bytes wire = rfc8448(kSimple, "{client}  send application_data record", "complete record");
  for (size_t i = kHeaderSize; i < wire.size(); i += 7) {
    Bytes bad = wire;
    bad[i] ^= 0x01;
    Cipher opener = rfc_cipher(kClientAppKeys);
    auto rec = next_record(bad, kMaxCiphertext13);
    ASSERT_TRUE(rec && rec->has_value());
    auto opened = opener.open(**rec);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().alert, Alert::bad_record_mac);
  }
}

TEST(Record13, PaddingIsStrippedAndAllZeroIsRejected) {
  Bytes key(16, 0x11), iv(12, 0x22);
  Cipher sealer = cipher(Version::tls13, crypto::Aead::aes128_gcm, key, iv);
  Cipher opener = cipher(Version::tls13, crypto::Aead::aes128_gcm, key, iv);
  Bytes buf(200);
  std::string msg = "hello";
  std::copy(msg.begin(), msg.end(), buf.begin() + kHeaderSize);
  auto n = sealer.seal(ContentType::handshake, buf, msg.size(), 40);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, kHeaderSize + msg.size() + 1 + 40 + 16);
  auto rec = next_record(std::span<uint8_t>(buf.data(), *n), kMaxCiphertext13);
  ASSERT_TRUE(rec && rec->has_value());
  auto opened = opener.open(**rec);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->type, ContentType::handshake);
  EXPECT_EQ(as_chars(opened->data), msg);

  // A record whose inner plaintext is all zeros has no content type (RFC 8446 §5.4).
  Bytes zeros(100);
  auto z = sealer.seal(ContentType::invalid, zeros, 0, 8);
  ASSERT_TRUE(z);
  auto zrec = next_record(std::span<uint8_t>(zeros.data(), *z), kMaxCiphertext13);
  ASSERT_TRUE(zrec && zrec->has_value());
  auto zopened = opener.open(**zrec);
  ASSERT_FALSE(zopened);
  EXPECT_EQ(zopened.error().alert, Alert::unexpected_message);
}

// RFC 8446 §5.4 / RFC 8449 §4: the limit is on the whole inner plaintext, padding included.
TEST(Record13, PaddingCountsAgainstThePlaintextLimit) {
  Bytes key(16, 0x11), iv(12, 0x22);
  Cipher sealer = cipher(Version::tls13, crypto::Aead::aes128_gcm, key, iv);
  Bytes big(kHeaderSize + kMaxPlaintext + 300);
  // 16,000 bytes of content fit, but not with 385 bytes of padding (16,386 inside).
  EXPECT_FALSE(sealer.seal(ContentType::application_data, big, 16000, 385));
  auto n = sealer.seal(ContentType::application_data, big, 16000, 384);
  ASSERT_TRUE(n);

  Cipher opener = cipher(Version::tls13, crypto::Aead::aes128_gcm, key, iv);
  opener.limit_plaintext(1000);  // a negotiated record_size_limit
  auto rec = next_record(std::span<uint8_t>(big.data(), *n), kMaxCiphertext13);
  ASSERT_TRUE(rec && rec->has_value());
  auto opened = opener.open(**rec);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().alert, Alert::record_overflow);

  // Exactly at the limit: 998 bytes, the type and one byte of padding.
  Cipher small_sealer = cipher(Version::tls13, crypto::Aead::aes128_gcm, key, iv);
  Cipher small_opener = cipher(Version::tls13, crypto::Aead::aes128_gcm, key, iv);
  small_opener.limit_plaintext(1000);
  Bytes small(kHeaderSize + 1000 + 16);
  auto m = small_sealer.seal(ContentType::application_data, small, 998, 1);
  ASSERT_TRUE(m);
  auto small_rec = next_record(std::span<uint8_t>(small.data(), *m), kMaxCiphertext13);
  ASSERT_TRUE(small_rec && small_rec->has_value());
  auto small_opened = small_opener.open(**small_rec);
  ASSERT_TRUE(small_opened) << small_opened.error();
  EXPECT_EQ(small_opened->data.size(), 998u);
}

TEST(Record12, GcmAndChachaRoundTrip) {
  for (auto aead : {crypto::Aead::aes128_gcm, crypto::Aead::aes256_gcm, crypto::Aead::chacha20_poly1305}) {
    Bytes key(crypto::aead_key_size(aead), 0x33);
    Bytes iv(aead == crypto::Aead::chacha20_poly1305 ? 12 : 4, 0x44);
    Cipher sealer = cipher(Version::tls12, aead, key, iv);
    Cipher opener = cipher(Version::tls12, aead, key, iv);
    for (int i = 0; i < 3; ++i) {
      Bytes buf(100);
      std::string msg = "record " + std::to_string(i);
      std::copy(msg.begin(), msg.end(), buf.begin() + static_cast<long>(sealer.plaintext_offset()));
      auto n = sealer.seal(ContentType::application_data, buf, msg.size());
      ASSERT_TRUE(n);
      EXPECT_EQ(*n, sealer.overhead() + msg.size());
      EXPECT_EQ(buf[0], 23);  // TLS 1.2 keeps the real content type outside
      auto rec = next_record(std::span<uint8_t>(buf.data(), *n), kMaxCiphertext12);
      ASSERT_TRUE(rec && rec->has_value());
      auto opened = opener.open(**rec);
      ASSERT_TRUE(opened) << opened.error();
      EXPECT_EQ(as_chars(opened->data), msg);
    }
  }
}

TEST(Framing, HeaderChecks) {
  Bytes partial = {0x17, 0x03, 0x03};
  auto r = next_record(partial, kMaxCiphertext13);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_value());

  Bytes http = {'G', 'E', 'T', ' ', '/', ' '};
  auto g = next_record(http, kMaxCiphertext13);
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().alert, Alert::unexpected_message);

  Bytes huge = {0x17, 0x03, 0x03, 0x48, 0x01};
  auto h = next_record(huge, kMaxCiphertext13);
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().alert, Alert::record_overflow);

  Bytes badver = {0x16, 0x02, 0x00, 0x00, 0x01, 0x00};
  auto v = next_record(badver, kMaxCiphertext13);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().alert, Alert::protocol_version);

  // {03,XX}: any minor version before a version is agreed (RFC 5246 Appendix E.1), SSL 3.0
  // to TLS 1.3 after.
  Bytes future = {0x16, 0x03, 0xfe, 0x00, 0x01, 0x00};
  auto any = next_record(future, kMaxCiphertext13, RecordVersions::any_tls);
  ASSERT_TRUE(any) << any.error();
  EXPECT_TRUE(any->has_value());
  auto known = next_record(future, kMaxCiphertext13, RecordVersions::known);
  ASSERT_FALSE(known);
  EXPECT_EQ(known.error().alert, Alert::protocol_version);
  auto still_not_tls = next_record(badver, kMaxCiphertext13, RecordVersions::any_tls);
  ASSERT_FALSE(still_not_tls);
}

}  // namespace
}  // namespace tern::record
