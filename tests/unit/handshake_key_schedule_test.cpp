// SPDX-License-Identifier: Apache-2.0
// The TLS 1.3 key schedule against RFC 8448 §3 (Simple 1-RTT Handshake), value by value.
#include <gtest/gtest.h>

#include "base/encoding.h"
#include "handshake/key_schedule.h"
#include "rfc8448.h"

namespace tern::handshake {
namespace {

using tern::testing::rfc8448;
constexpr const char* kSimple = "3.  Simple 1-RTT Handshake";

Bytes value(const char* step, const char* label) { return rfc8448(kSimple, step, label); }

class KeySchedule13Test : public ::testing::Test {
 protected:
  const crypto::Provider& p = crypto::default_provider();
  KeySchedule13 ks{p, Hash::sha256};

  Bytes transcript_hash(std::initializer_list<std::pair<const char*, const char*>> messages) {
    auto ctx = p.hash_context(Hash::sha256);
    for (auto [step, label] : messages) ctx->update(value(step, label));
    return ctx->peek();
  }
};

TEST_F(KeySchedule13Test, HandshakeAndApplicationSecrets) {
  ASSERT_TRUE(ks.start({}));
  ASSERT_TRUE(ks.advance_to_handshake(value("{server}  extract secret \"handshake\"", "IKM")));

  Bytes th = value("{server}  derive secret \"tls13 c hs traffic\"", "hash");
  auto c_hs = ks.derive_secret("c hs traffic", th);
  ASSERT_TRUE(c_hs);
  EXPECT_EQ(base::hex(c_hs->view()),
            base::hex(value("{server}  derive secret \"tls13 c hs traffic\"", "expanded")));
  auto s_hs = ks.derive_secret("s hs traffic", th);
  ASSERT_TRUE(s_hs);
  EXPECT_EQ(base::hex(s_hs->view()),
            base::hex(value("{server}  derive secret \"tls13 s hs traffic\"", "expanded")));

  // The transcript hash in the RFC is the hash of ClientHello..ServerHello.
  EXPECT_EQ(base::hex(th), base::hex(transcript_hash({
                               {"{client}  construct a ClientHello", "ClientHello"},
                               {"{server}  construct a ServerHello", "ServerHello"}})));

  auto keys = traffic_keys(p, Hash::sha256, crypto::Aead::aes128_gcm, s_hs->view());
  ASSERT_TRUE(keys);
  EXPECT_EQ(base::hex(keys->key.view()),
            base::hex(value("{server}  derive write traffic keys for handshake data", "key expanded")));
  EXPECT_EQ(base::hex(keys->iv.view()),
            base::hex(value("{server}  derive write traffic keys for handshake data", "iv expanded")));

  ASSERT_TRUE(ks.advance_to_master());
  Bytes th_app = value("{server}  derive secret \"tls13 c ap traffic\"", "hash");
  for (auto [label, step] : {std::pair{"c ap traffic", "{server}  derive secret \"tls13 c ap traffic\""},
                             std::pair{"s ap traffic", "{server}  derive secret \"tls13 s ap traffic\""},
                             std::pair{"exp master", "{server}  derive secret \"tls13 exp master\""}}) {
    auto secret = ks.derive_secret(label, th_app);
    ASSERT_TRUE(secret);
    EXPECT_EQ(base::hex(secret->view()), base::hex(value(step, "expanded"))) << label;
  }
}

TEST_F(KeySchedule13Test, ServerFinishedOverTheWholeTranscript) {
  ASSERT_TRUE(ks.start({}));
  ASSERT_TRUE(ks.advance_to_handshake(value("{server}  extract secret \"handshake\"", "IKM")));
  Bytes th = value("{server}  derive secret \"tls13 c hs traffic\"", "hash");
  auto s_hs = ks.derive_secret("s hs traffic", th);
  ASSERT_TRUE(s_hs);
  Bytes through_cv = transcript_hash({
      {"{client}  construct a ClientHello", "ClientHello"},
      {"{server}  construct a ServerHello", "ServerHello"},
      {"{server}  construct an EncryptedExtensions", "EncryptedExtensions"},
      {"{server}  construct a Certificate", "Certificate"},
      {"{server}  construct a CertificateVerify", "CertificateVerify"}});
  auto verify_data = finished_verify_data(p, Hash::sha256, s_hs->view(), through_cv);
  ASSERT_TRUE(verify_data);
  EXPECT_EQ(base::hex(verify_data->view()),
            base::hex(value("{server}  calculate finished \"tls13 finished\"", "finished")));
}

TEST_F(KeySchedule13Test, ResumptionPskFromTicketNonce) {
  Bytes res_master = value("{client}  derive secret \"tls13 res master\"", "expanded");
  // RFC 8448 §3: the ticket nonce is 00 00, and §4 starts its early secret from this PSK.
  Bytes nonce = {0x00, 0x00};
  auto psk = resumption_psk(p, Hash::sha256, res_master, nonce);
  ASSERT_TRUE(psk);
  EXPECT_EQ(base::hex(psk->view()),
            base::hex(rfc8448("4.  Resumed 0-RTT Handshake", "{client}  extract secret \"early\"", "IKM")));
}

TEST_F(KeySchedule13Test, OutOfOrderStagesAreRefused) {
  EXPECT_FALSE(ks.advance_to_master());
  ASSERT_TRUE(ks.start({}));
  EXPECT_FALSE(ks.advance_to_master());
}

}  // namespace
}  // namespace tern::handshake
