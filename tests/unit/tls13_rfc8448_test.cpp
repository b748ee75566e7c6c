// SPDX-License-Identifier: Apache-2.0
// RFC 8448 §3 "Simple 1-RTT Handshake" replayed through tern's TLS 1.3 client: with the
// RFC's client random and X25519 key, fed the RFC's server records, the client must produce
// the RFC's records byte for byte (ClientHello, Finished, application data, alert).
#include <gtest/gtest.h>

#include "handshake/signing.h"
#include "handshake/tls13_client.h"
#include "handshake/tls13_common.h"
#include "rfc8448.h"
#include "tls/connection_impl.h"

namespace tern::testing {
namespace {

constexpr std::string_view kSimple = "3.  Simple 1-RTT Handshake";

Bytes simple(std::string_view step, std::string_view label) {
  return rfc8448(kSimple, step, label);
}

Bytes take_output(ConnectionImpl& conn) {
  Bytes out(conn.pending_output().begin(), conn.pending_output().end());
  conn.consume_output(out.size());
  return out;
}

TEST(Tls13Rfc8448, SimpleHandshakeClientSide) {
  Bytes hello_message = simple("{client}  construct a ClientHello", "ClientHello");
  auto rfc_hello = msgs::ClientHello::parse(BytesView(hello_message).subspan(4));
  ASSERT_TRUE(rfc_hello) << rfc_hello.error();
  Bytes private_key = simple("{client}  create an ephemeral x25519", "private key");

  ClientConfig config;
  config.middlebox_compat = false;     // the trace has an empty legacy_session_id and no CCS
  config.certificate_compression.clear();  // the trace predates RFC 8879
  config.ech_grease = false;           // nor an encrypted_client_hello
  config.insecure_skip_verify = true;  // the chain is not what this trace tests
  config.request_ocsp = false;         // the trace's ClientHello has no status_request
  config.random = [&](std::span<uint8_t> out) {
    ASSERT_EQ(out.size(), 32u);  // only the client random is drawn
    std::copy(rfc_hello->random.begin(), rfc_hello->random.end(), out.begin());
  };
  config.key_share_private_key = [&](uint16_t group) {
    return group == tls::kX25519 ? private_key : Bytes();
  };
  std::vector<std::string> keylog;
  config.keylog = [&](const std::string& line) { keylog.push_back(line); };

  const crypto::Provider& provider = crypto::default_provider();
  ConnectionImpl conn(provider, config);
  conn.set_client();
  auto machine = std::make_unique<handshake::Tls13Client>(provider, config, conn);
  // The trace's suite order and extensions (renegotiation_info, session_ticket, ...).
  machine->set_client_hello_hook([&](msgs::ClientHello& hello) {
    hello.cipher_suites = rfc_hello->cipher_suites;
    hello.extensions = rfc_hello->extensions;
  });
  // The trace's server key is 1024-bit RSA, which the provider refuses to load, so the
  // CertificateVerify is checked against the RFC's own message and transcript instead.
  int signature_checks = 0;
  machine->set_signature_check_hook(
      [&](msgs::SignatureScheme scheme, BytesView content, BytesView signature) -> Result<void> {
        ++signature_checks;
        EXPECT_EQ(scheme, msgs::SignatureScheme::rsa_pss_rsae_sha256);
        Bytes transcript = hello_message;
        for (auto [step, label] :
             {std::pair{"{server}  construct a ServerHello", "ServerHello"},
              std::pair{"{server}  construct an EncryptedExtensions", "EncryptedExtensions"},
              std::pair{"{server}  construct a Certificate handshake", "Certificate"}}) {
          Bytes m = simple(step, label);
          transcript.insert(transcript.end(), m.begin(), m.end());
        }
        Bytes expected_content = handshake::certificate_verify_content(
            true, crypto::default_provider().hash(crypto::Hash::sha256, transcript));
        EXPECT_EQ(Bytes(content.begin(), content.end()), expected_content);
        Bytes cv = simple("{server}  construct a CertificateVerify", "CertificateVerify");
        EXPECT_EQ(Bytes(signature.begin(), signature.end()), Bytes(cv.begin() + 8, cv.end()));
        return ok();
      });
  conn.set_machine(std::move(machine));
  ASSERT_TRUE(conn.start());
  EXPECT_EQ(take_output(conn), simple("{client}  construct a ClientHello", "complete record"));

  auto sh = conn.feed(simple("{server}  construct a ServerHello", "complete record"));
  ASSERT_TRUE(sh) << sh.error();
  EXPECT_TRUE(conn.pending_output().empty());
  auto flight = conn.feed(simple("{server}  construct a Finished", "complete record"));
  ASSERT_TRUE(flight) << flight.error();
  ASSERT_TRUE(conn.handshake_done());
  EXPECT_EQ(signature_checks, 1);
  EXPECT_EQ(take_output(conn), simple("{client}  construct a Finished", "complete record"));

  const auto& negotiated = conn.machine().negotiated();
  EXPECT_EQ(negotiated.suite, msgs::CipherSuite::tls_aes_128_gcm_sha256);
  EXPECT_EQ(negotiated.group, msgs::NamedGroup::x25519);
  EXPECT_EQ(negotiated.scheme, msgs::SignatureScheme::rsa_pss_rsae_sha256);

  ASSERT_EQ(keylog.size(), 5u);
  std::string random_hex = handshake::hex_lower(rfc_hello->random);
  EXPECT_EQ(keylog[0], "CLIENT_HANDSHAKE_TRAFFIC_SECRET " + random_hex + " " +
                           handshake::hex_lower(simple(
                               "{server}  derive secret \"tls13 c hs traffic\"", "expanded")));
  EXPECT_EQ(keylog[3], "SERVER_TRAFFIC_SECRET_0 " + random_hex + " " +
                           handshake::hex_lower(simple(
                               "{server}  derive secret \"tls13 s ap traffic\"", "expanded")));

  // The session ticket is accepted (and dropped: resumption is a later step).
  ASSERT_TRUE(conn.feed(simple("{server}  construct a NewSessionTicket", "complete record")));
  EXPECT_TRUE(conn.pending_output().empty());

  Bytes client_data = simple("{client}  send application_data record", "payload");
  ASSERT_TRUE(conn.write(client_data));
  EXPECT_EQ(take_output(conn), simple("{client}  send application_data record", "complete record"));

  ASSERT_TRUE(conn.feed(simple("{server}  send application_data record", "complete record")));
  Bytes received(conn.readable());
  ASSERT_EQ(conn.read(received), received.size());
  EXPECT_EQ(received, simple("{server}  send application_data record", "payload"));

  conn.close();
  EXPECT_EQ(take_output(conn), simple("{client}  send alert record", "complete record"));
  ASSERT_TRUE(conn.feed(simple("{server}  send alert record", "complete record")));
  EXPECT_TRUE(conn.peer_closed());
  EXPECT_TRUE(conn.closed());
}

constexpr std::string_view kRetry = "5.  HelloRetryRequest";

Bytes retry(std::string_view step, std::string_view label) { return rfc8448(kRetry, step, label); }

TEST(Tls13Rfc8448, HelloRetryRequestClientSide) {
  Bytes hello1 = retry("{client}  construct a ClientHello", "ClientHello");
  Bytes hello2 = retry("{client}  create an ephemeral P-256 key pair", "ClientHello");
  auto rfc_hello1 = msgs::ClientHello::parse(BytesView(hello1).subspan(4));
  auto rfc_hello2 = msgs::ClientHello::parse(BytesView(hello2).subspan(4));
  ASSERT_TRUE(rfc_hello1) << rfc_hello1.error();
  ASSERT_TRUE(rfc_hello2) << rfc_hello2.error();
  Bytes x25519_key = retry("{client}  create an ephemeral x25519", "private key");
  Bytes p256_key = retry("{client}  create an ephemeral P-256", "private key");

  ClientConfig config;
  config.middlebox_compat = false;
  config.certificate_compression.clear();
  config.ech_grease = false;  // the trace has no encrypted_client_hello
  config.insecure_skip_verify = true;
  config.request_ocsp = false;  // the trace's ClientHello has no status_request
  config.random = [&](std::span<uint8_t> out) {
    ASSERT_EQ(out.size(), 32u);
    std::copy(rfc_hello1->random.begin(), rfc_hello1->random.end(), out.begin());
  };
  config.key_share_private_key = [&](uint16_t group) {
    return group == tls::kX25519 ? x25519_key : group == tls::kSecp256r1 ? p256_key : Bytes();
  };
  const crypto::Provider& provider = crypto::default_provider();
  ConnectionImpl conn(provider, config);
  conn.set_client();
  auto machine = std::make_unique<handshake::Tls13Client>(provider, config, conn);
  int hellos = 0;
  machine->set_client_hello_hook([&](msgs::ClientHello& hello) {
    const msgs::ClientHello& rfc = ++hellos == 1 ? *rfc_hello1 : *rfc_hello2;
    if (hellos == 2) {
      // What tern itself put in the second hello: the requested share, the echoed cookie.
      auto* ours = hello.get<msgs::KeyShareClientHello>(msgs::ExtensionType::key_share);
      auto* theirs = rfc.get<msgs::KeyShareClientHello>(msgs::ExtensionType::key_share);
      ASSERT_TRUE(ours && theirs);
      ASSERT_EQ(ours->shares.size(), 1u);
      EXPECT_EQ(ours->shares[0].group, msgs::NamedGroup::secp256r1);
      EXPECT_EQ(ours->shares[0].key_exchange, theirs->shares[0].key_exchange);
      auto* cookie = hello.get<msgs::Cookie>(msgs::ExtensionType::cookie);
      auto* rfc_cookie = rfc.get<msgs::Cookie>(msgs::ExtensionType::cookie);
      ASSERT_TRUE(cookie && rfc_cookie);
      EXPECT_EQ(cookie->cookie, rfc_cookie->cookie);
    }
    hello.cipher_suites = rfc.cipher_suites;
    hello.extensions = rfc.extensions;
  });
  machine->set_signature_check_hook(
      [](msgs::SignatureScheme, BytesView, BytesView) -> Result<void> { return ok(); });
  conn.set_machine(std::move(machine));
  ASSERT_TRUE(conn.start());
  EXPECT_EQ(take_output(conn), retry("{client}  construct a ClientHello", "complete record"));

  auto hrr = conn.feed(retry("{server}  construct a ServerHello", "complete record"));
  ASSERT_TRUE(hrr) << hrr.error();
  EXPECT_EQ(take_output(conn),
            retry("{client}  create an ephemeral P-256 key pair", "complete record"));
  auto sh = conn.feed(retry("{server}  create an ephemeral P-256", "complete record"));
  ASSERT_TRUE(sh) << sh.error();
  auto flight = conn.feed(retry("{server}  construct a Finished", "complete record"));
  ASSERT_TRUE(flight) << flight.error();
  ASSERT_TRUE(conn.handshake_done());
  EXPECT_TRUE(conn.machine().negotiated().hello_retry_request);
  EXPECT_EQ(conn.machine().negotiated().group, msgs::NamedGroup::secp256r1);
  EXPECT_EQ(take_output(conn), retry("{client}  construct a Finished", "complete record"));
  conn.close();
  EXPECT_EQ(take_output(conn), retry("{client}  send alert record", "complete record"));
}

}  // namespace
}  // namespace tern::testing
