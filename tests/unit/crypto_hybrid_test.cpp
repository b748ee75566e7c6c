// SPDX-License-Identifier: Apache-2.0
// The ML-KEM hybrid groups of RFC 10024: sizes and part order of each share, the shared
// secret as the concatenation of independently computed parts, and the alerts for bad
// peer values (§4.2).
#include <gtest/gtest.h>

#include "crypto/hybrid.h"
#include "crypto/mlkem/mlkem.h"
#include "crypto/provider.h"

namespace tern::crypto {
namespace {

const Provider& P() { return default_provider(); }

struct Case {
  Group group, ecdh;
  mlkem::Variant kem;
  bool kem_first;
  size_t client_share, server_share, secret, ecdh_share, ecdh_secret;
};

// RFC 10024 §4.1-§4.3.
const Case kCases[] = {
    {Group::x25519_mlkem768, Group::x25519, mlkem::Variant::ml_kem_768, true, 1216, 1120, 64,
     32, 32},
    {Group::secp256r1_mlkem768, Group::secp256r1, mlkem::Variant::ml_kem_768, false, 1249, 1153,
     64, 65, 32},
    {Group::secp384r1_mlkem1024, Group::secp384r1, mlkem::Variant::ml_kem_1024, false, 1665, 1665,
     80, 97, 48},
};

Bytes filled(size_t n, uint8_t v) { return Bytes(n, v); }
Bytes cat(BytesView a, BytesView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}
// A valid scalar for any of the three curves: 0x01 repeated is below every group order.
Bytes scalar(const Case& c) { return filled(c.ecdh_secret, 0x01); }

TEST(CryptoHybrid, RoundTripSizesForEveryGroup) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(group_name(c.group));
    ASSERT_TRUE(P().supports(c.group));
    EXPECT_TRUE(hybrid::is_hybrid(c.group));
    EXPECT_EQ(hybrid::classical_part(c.group), c.ecdh);
    auto client = P().generate_key_share(c.group);
    ASSERT_TRUE(client.ok()) << client.error();
    EXPECT_EQ((*client)->group(), c.group);
    ASSERT_EQ((*client)->public_key().size(), c.client_share);
    auto server = P().encapsulate(c.group, (*client)->public_key());
    ASSERT_TRUE(server.ok()) << server.error();
    ASSERT_EQ(server->ciphertext.size(), c.server_share);
    auto secret = (*client)->decapsulate(server->ciphertext);
    ASSERT_TRUE(secret.ok()) << secret.error();
    ASSERT_EQ(secret->size(), c.secret);
    EXPECT_TRUE(equal(secret->view(), server->shared_secret.view()));
  }
}

// Every part where RFC 10024 puts it: the client share, the server share and the secret
// rebuilt from ML-KEM and ECDHE run separately on the same pinned inputs.
TEST(CryptoHybrid, PartsAreInRfcOrder) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(group_name(c.group));
    const Bytes d = filled(32, 0xd1), z = filled(32, 0x2e), m = filled(32, 0x3a);
    const Bytes client_scalar = scalar(c), server_scalar = filled(c.ecdh_secret, 0x02);
    auto client = P().key_share_from_private(c.group, cat(cat(d, z), client_scalar));
    ASSERT_TRUE(client.ok()) << client.error();
    auto kem_keys = mlkem::keygen_internal(c.kem, d, z);
    auto client_ecdh = P().key_share_from_private(c.ecdh, client_scalar);
    ASSERT_TRUE(kem_keys.ok() && client_ecdh.ok());
    const Bytes& ek = kem_keys->encapsulation_key;
    BytesView ecdh_pub = (*client_ecdh)->public_key();
    EXPECT_TRUE(equal((*client)->public_key(), c.kem_first ? cat(ek, ecdh_pub) : cat(ecdh_pub, ek)));

    auto server = P().encapsulate_with(c.group, (*client)->public_key(), cat(m, server_scalar));
    ASSERT_TRUE(server.ok()) << server.error();
    auto kem = mlkem::encaps_internal(c.kem, ek, m);
    auto server_ecdh = P().encapsulate_with(c.ecdh, ecdh_pub, server_scalar);
    ASSERT_TRUE(kem.ok() && server_ecdh.ok());
    EXPECT_TRUE(equal(server->ciphertext, c.kem_first ? cat(kem->ciphertext, server_ecdh->ciphertext)
                                                      : cat(server_ecdh->ciphertext, kem->ciphertext)));
    BytesView ks = kem->shared_secret.view(), es = server_ecdh->shared_secret.view();
    EXPECT_EQ(es.size(), c.ecdh_secret);
    const Bytes expected = c.kem_first ? cat(ks, es) : cat(es, ks);
    EXPECT_TRUE(equal(server->shared_secret.view(), expected));
    auto secret = (*client)->decapsulate(server->ciphertext);
    ASSERT_TRUE(secret.ok()) << secret.error();
    EXPECT_TRUE(equal(secret->view(), expected));
  }
}

void expect_alert(const Result<Encapsulation>& r, Alert alert) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, alert) << r.error();
  EXPECT_FALSE(r.error().detail.empty());
}
void expect_alert(const Result<SecretBytes>& r, Alert alert) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, alert) << r.error();
  EXPECT_FALSE(r.error().detail.empty());
}

TEST(CryptoHybrid, BadPeerValuesAreIllegalParameter) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(group_name(c.group));
    auto client = P().generate_key_share(c.group);
    ASSERT_TRUE(client.ok());
    const Bytes share((*client)->public_key().begin(), (*client)->public_key().end());
    const size_t kem_at = c.kem_first ? 0 : c.ecdh_share;
    const size_t ecdh_at = c.kem_first ? share.size() - c.ecdh_share : 0;

    // Server side: lengths, the encapsulation key's modulus check, a bad ECDHE part.
    expect_alert(P().encapsulate(c.group, BytesView(share).first(share.size() - 1)),
                 Alert::illegal_parameter);
    expect_alert(P().encapsulate(c.group, cat(share, Bytes{0})), Alert::illegal_parameter);
    expect_alert(P().encapsulate(c.group, {}), Alert::illegal_parameter);
    Bytes unreduced = share;
    unreduced[kem_at] = 0xff;  // the first 12-bit coefficient becomes >= q = 3329
    unreduced[kem_at + 1] |= 0x0f;
    expect_alert(P().encapsulate(c.group, unreduced), Alert::illegal_parameter);
    Bytes bad_ecdh = share;
    if (c.ecdh == Group::x25519) {
      std::fill_n(bad_ecdh.begin() + static_cast<ptrdiff_t>(ecdh_at), 32, 0);  // small order
    } else {
      bad_ecdh[ecdh_at + c.ecdh_share - 1] ^= 1;  // off the curve
    }
    expect_alert(P().encapsulate(c.group, bad_ecdh), Alert::illegal_parameter);

    // Client side: the ciphertext length, a bad ECDHE part.
    auto server = P().encapsulate(c.group, share);
    ASSERT_TRUE(server.ok());
    const Bytes& ct = server->ciphertext;
    expect_alert((*client)->decapsulate(BytesView(ct).first(ct.size() - 1)),
                 Alert::illegal_parameter);
    expect_alert((*client)->decapsulate(cat(ct, Bytes{0})), Alert::illegal_parameter);
    Bytes bad_server = ct;
    const size_t server_ecdh_at = c.kem_first ? ct.size() - c.ecdh_share : 0;
    if (c.ecdh == Group::x25519) {
      std::fill_n(bad_server.begin() + static_cast<ptrdiff_t>(server_ecdh_at), 32, 0);
    } else {
      bad_server[server_ecdh_at] = 0x02;  // compressed form is not allowed
    }
    expect_alert((*client)->decapsulate(bad_server), Alert::illegal_parameter);

    // A tampered ML-KEM ciphertext is no error: implicit rejection gives another secret,
    // so the handshake fails later, at Finished.
    Bytes tampered = ct;
    tampered[c.kem_first ? 0 : c.ecdh_share] ^= 1;
    auto rejected = (*client)->decapsulate(tampered);
    ASSERT_TRUE(rejected.ok()) << rejected.error();
    EXPECT_FALSE(equal(rejected->view(), server->shared_secret.view()));
  }
}

TEST(CryptoHybrid, PinnedInputsMustHaveTheirSize) {
  EXPECT_FALSE(P().key_share_from_private(Group::x25519_mlkem768, Bytes(64, 1)).ok());
  EXPECT_FALSE(P().key_share_from_private(Group::x25519_mlkem768, Bytes(64 + 31, 1)).ok());
  auto client = P().generate_key_share(Group::x25519_mlkem768);
  ASSERT_TRUE(client.ok());
  EXPECT_FALSE(P().encapsulate_with(Group::x25519_mlkem768, (*client)->public_key(), Bytes(32, 1)).ok());
  EXPECT_FALSE(hybrid::is_hybrid(Group::x25519));
  EXPECT_EQ(hybrid::classical_part(Group::secp256r1), Group::secp256r1);
}

}  // namespace
}  // namespace tern::crypto
