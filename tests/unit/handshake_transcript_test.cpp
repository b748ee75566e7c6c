// SPDX-License-Identifier: Apache-2.0
// The transcript hash against RFC 8448, including the HelloRetryRequest rewrite (§5).
#include <gtest/gtest.h>

#include "base/encoding.h"
#include "handshake/transcript.h"
#include "rfc8448.h"

namespace tern::handshake {
namespace {

using tern::testing::rfc8448;

TEST(Transcript, BuffersUntilTheHashIsKnown) {
  constexpr const char* kSimple = "3.  Simple 1-RTT Handshake";
  Transcript t(crypto::default_provider());
  t.add(rfc8448(kSimple, "{client}  construct a ClientHello", "ClientHello"));
  t.add(rfc8448(kSimple, "{server}  construct a ServerHello", "ServerHello"));
  t.start(crypto::Hash::sha256);
  EXPECT_TRUE(t.buffered().empty());
  EXPECT_EQ(base::hex(t.current()),
            base::hex(rfc8448(kSimple, "{server}  derive secret \"tls13 c hs traffic\"", "hash")));
}

TEST(Transcript, HelloRetryRequestReplacesClientHello1) {
  constexpr const char* kHrr = "5.  HelloRetryRequest";
  Transcript t(crypto::default_provider());
  t.add(rfc8448(kHrr, "ClientHello (180", "ClientHello"));
  t.start(crypto::Hash::sha256, /*keep_buffer=*/true);
  t.replace_with_message_hash();
  EXPECT_EQ(t.buffered().size(), 4u + 32u);
  EXPECT_EQ(t.buffered()[0], 254);
  t.add(rfc8448(kHrr, "ServerHello (176", "ServerHello"));
  t.add(rfc8448(kHrr, "ClientHello (512", "ClientHello"));
  t.add(rfc8448(kHrr, "ServerHello (123", "ServerHello"));
  EXPECT_EQ(base::hex(t.current()),
            base::hex(rfc8448(kHrr, "{server}  derive secret \"tls13 c hs traffic\"", "hash")));
}

}  // namespace
}  // namespace tern::handshake
