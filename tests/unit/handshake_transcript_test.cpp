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

// A PSK binder's hash covers the ClientHello up to its binders; the state after that
// prefix is reused when the whole ClientHello is added, before or after the hash is known,
// and the transcript ends up the same as one that never hashed a prefix.
TEST(Transcript, PrefixHashedForABinderLeavesTheSameTranscript) {
  constexpr const char* kSimple = "3.  Simple 1-RTT Handshake";
  const Bytes hello = rfc8448(kSimple, "{client}  construct a ClientHello", "ClientHello");
  const Bytes server_hello = rfc8448(kSimple, "{server}  construct a ServerHello", "ServerHello");
  const BytesView prefix = BytesView(hello).first(hello.size() - 35);
  const auto& provider = crypto::default_provider();
  Transcript plain(provider);
  plain.add(hello);
  plain.add(server_hello);
  plain.start(crypto::Hash::sha256);

  Transcript before_start(provider);  // a client: the hash is not fixed yet
  EXPECT_EQ(before_start.current_with_prefix(crypto::Hash::sha256, prefix),
            provider.hash(crypto::Hash::sha256, prefix));
  before_start.add(hello);
  before_start.add(server_hello);
  before_start.start(crypto::Hash::sha256);
  EXPECT_EQ(base::hex(before_start.current()), base::hex(plain.current()));

  Transcript started(provider);  // a server, or a client after a HelloRetryRequest
  started.start(crypto::Hash::sha256);
  EXPECT_EQ(started.current_with_prefix(crypto::Hash::sha256, prefix),
            provider.hash(crypto::Hash::sha256, prefix));
  started.add(hello);
  started.add(server_hello);
  EXPECT_EQ(base::hex(started.current()), base::hex(plain.current()));

  // A message that does not go on from the prefix is hashed whole.
  Bytes other = hello;
  other[10] ^= 1;
  Transcript changed(provider), changed_plain(provider);
  changed.start(crypto::Hash::sha256);
  changed_plain.start(crypto::Hash::sha256);
  changed.current_with_prefix(crypto::Hash::sha256, prefix);
  changed.add(other);
  changed_plain.add(other);
  EXPECT_EQ(base::hex(changed.current()), base::hex(changed_plain.current()));
  Transcript other_hash(provider);
  other_hash.current_with_prefix(crypto::Hash::sha384, prefix);
  other_hash.add(hello);
  other_hash.add(server_hello);
  other_hash.start(crypto::Hash::sha256);
  EXPECT_EQ(base::hex(other_hash.current()), base::hex(plain.current()));
}

}  // namespace
}  // namespace tern::handshake
