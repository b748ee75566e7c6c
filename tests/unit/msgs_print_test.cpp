// SPDX-License-Identifier: Apache-2.0
// Descriptions for `tern trace`, alerts and change_cipher_spec.
#include <gtest/gtest.h>

#include "msgs/content.h"
#include "msgs/print.h"

namespace tern::msgs {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MsgsPrint, HelloRetryRequestIsNamedAndFieldsAreReadable) {
  ServerHello hrr;
  hrr.random = kHelloRetryRequestRandom;
  hrr.cipher_suite = CipherSuite::tls_aes_256_gcm_sha384;
  hrr.extensions = {
      {ExtensionType::key_share, KeyShareHelloRetryRequest{NamedGroup::secp384r1}},
      {ExtensionType::supported_versions, SupportedVersionSelected{ProtocolVersion::tls13}}};
  std::string text = describe_handshake(hrr.encode());
  EXPECT_TRUE(contains(text, "HelloRetryRequest (")) << text;
  EXPECT_TRUE(contains(text, "cipher_suite: TLS_AES_256_GCM_SHA384")) << text;
  EXPECT_TRUE(contains(text, "key_share: selected secp384r1")) << text;
  EXPECT_TRUE(contains(text, "supported_versions: TLSv1.3")) << text;
}

TEST(MsgsPrint, VersionPicksTheForm) {
  Certificate12 chain;
  chain.certificate_list = {Bytes(40, 0x30), Bytes(20, 0x31)};
  DescribeOptions tls12{ProtocolVersion::tls12, false};
  std::string text = describe_handshake(chain.encode(), tls12);
  EXPECT_TRUE(contains(text, "certificates: 2")) << text;
  EXPECT_TRUE(contains(text, "(40 bytes)")) << text;
  // Read as TLS 1.3 the same bytes are not a valid Certificate.
  EXPECT_TRUE(contains(describe_handshake(chain.encode()), "malformed"));

  ClientKeyExchangeRsa rsa{Bytes(256, 1)};
  DescribeOptions rsa_kex{ProtocolVersion::tls12, true};
  EXPECT_TRUE(contains(describe_handshake(rsa.encode(), rsa_kex), "encrypted_pre_master_secret"));
}

TEST(MsgsPrint, MalformedAndUnknownMessagesStillDescribe) {
  std::string text = describe_handshake(Bytes{24, 0, 0, 1, 9});
  EXPECT_TRUE(contains(text, "KeyUpdate (5 bytes, malformed): KeyUpdate: request_update 9"))
      << text;
  EXPECT_TRUE(contains(describe_handshake(Bytes{1, 0, 0}), "malformed handshake message"));
  EXPECT_TRUE(contains(describe_handshake(Bytes{99, 0, 0, 1, 0xab}), "unknown(0x63)"));
}

TEST(MsgsPrint, ClientHelloListsCodePointsByName) {
  ClientHello hello;
  hello.cipher_suites = {CipherSuite::tls_chacha20_poly1305_sha256,
                         static_cast<CipherSuite>(0xdada)};
  hello.extensions = {
      {ExtensionType::supported_groups,
       NamedGroupList{{NamedGroup::x25519_mlkem768, NamedGroup::x25519}}},
      {ExtensionType::signature_algorithms,
       SignatureSchemeList{{SignatureScheme::ed25519, SignatureScheme::rsa_pss_pss_sha384}}}};
  std::string text = describe(hello);
  EXPECT_TRUE(contains(text, "cipher_suites: TLS_CHACHA20_POLY1305_SHA256, GREASE(0xdada)"))
      << text;
  EXPECT_TRUE(contains(text, "supported_groups: X25519MLKEM768, x25519")) << text;
  EXPECT_TRUE(contains(text, "signature_algorithms: ed25519, rsa_pss_pss_sha384")) << text;
}

TEST(MsgsContent, Alerts) {
  auto alert = AlertMessage::parse(Bytes{2, 40});
  ASSERT_TRUE(alert.ok());
  EXPECT_EQ(alert->level, AlertLevel::fatal);
  EXPECT_EQ(alert->description, Alert::handshake_failure);
  EXPECT_EQ(to_string(*alert), "fatal handshake_failure");
  EXPECT_EQ(alert->encode(), (Bytes{2, 40}));
  auto unknown = AlertMessage::parse(Bytes{1, 200});
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(to_string(*unknown), "warning unknown(0xc8)");
  EXPECT_EQ(AlertMessage::parse(Bytes{2}).error().alert, Alert::decode_error);
  EXPECT_EQ(AlertMessage::parse(Bytes{2, 40, 0}).error().alert, Alert::decode_error);
}

TEST(MsgsContent, ChangeCipherSpec) {
  EXPECT_TRUE(parse_change_cipher_spec(Bytes{1}).ok());
  EXPECT_FALSE(parse_change_cipher_spec(Bytes{2}).ok());
  EXPECT_FALSE(parse_change_cipher_spec(Bytes{1, 1}).ok());
  EXPECT_FALSE(parse_change_cipher_spec(Bytes{}).ok());
}

TEST(MsgsContent, HelloRequest) {
  EXPECT_TRUE(HelloRequest::parse(Bytes{}).ok());
  EXPECT_EQ(HelloRequest{}.encode(), (Bytes{0, 0, 0, 0}));
  EXPECT_EQ(HelloRequest::parse(Bytes{0}).error().alert, Alert::decode_error);
}

}  // namespace
}  // namespace tern::msgs
