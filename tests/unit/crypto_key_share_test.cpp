// SPDX-License-Identifier: Apache-2.0
// ECDHE key shares (X25519, P-256, P-384): round trips, rejection of malformed peer
// values, and every Wycheproof case of the X25519 and ECDH files.
#include <gtest/gtest.h>

#include "base/reader.h"
#include "crypto/provider.h"
#include "crypto_test_util.h"

namespace tern::crypto {
namespace {

using test::describe;
using test::has_flag;
using test::jhex;
using test::Tally;
using test::unhex;

const Provider& P() { return default_provider(); }

TEST(CryptoKeyShare, RoundTripForEveryGroup) {
  for (Group g : {Group::x25519, Group::secp256r1, Group::secp384r1}) {
    SCOPED_TRACE(group_name(g));
    ASSERT_TRUE(P().supports(g));
    auto client = P().generate_key_share(g);
    ASSERT_TRUE(client.ok()) << client.error();
    EXPECT_EQ((*client)->group(), g);
    const size_t share_len = g == Group::x25519 ? 32 : g == Group::secp256r1 ? 65 : 97;
    ASSERT_EQ((*client)->public_key().size(), share_len);
    if (g != Group::x25519) {
      EXPECT_EQ((*client)->public_key()[0], 0x04);  // uncompressed X9.62
    }
    auto server = P().encapsulate(g, (*client)->public_key());
    ASSERT_TRUE(server.ok()) << server.error();
    EXPECT_EQ(server->ciphertext.size(), share_len);
    auto secret = (*client)->decapsulate(server->ciphertext);
    ASSERT_TRUE(secret.ok()) << secret.error();
    EXPECT_EQ(secret->size(), g == Group::secp384r1 ? 48u : 32u);
    EXPECT_TRUE(base::constant_time_equal(secret->view(), server->shared_secret.view()));
    // Fresh shares differ.
    auto other = P().generate_key_share(g);
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(equal((*other)->public_key(), (*client)->public_key()));
  }
}

void expect_illegal(const Result<SecretBytes>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().code == Errc::crypto || r.error().code == Errc::decode) << r.error();
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter) << r.error();
  EXPECT_FALSE(r.error().detail.empty());
}

TEST(CryptoKeyShare, RejectsMalformedPeerValues) {
  auto x = P().generate_key_share(Group::x25519);
  auto p256 = P().generate_key_share(Group::secp256r1);
  auto p384 = P().generate_key_share(Group::secp384r1);
  ASSERT_TRUE(x.ok() && p256.ok() && p384.ok());

  // Wrong lengths.
  expect_illegal((*x)->decapsulate(Bytes(31, 9)));
  expect_illegal((*x)->decapsulate(Bytes(33, 9)));
  expect_illegal((*x)->decapsulate({}));
  expect_illegal((*p256)->decapsulate((*p384)->public_key()));
  expect_illegal((*p384)->decapsulate((*p256)->public_key()));
  // X25519 small-order point (u = 0) gives the all-zero secret.
  expect_illegal((*x)->decapsulate(Bytes(32, 0)));
  // The point at infinity, and a compressed point.
  expect_illegal((*p256)->decapsulate(Bytes{0x00}));
  Bytes compressed((*p256)->public_key().begin(), (*p256)->public_key().begin() + 33);
  compressed[0] = static_cast<uint8_t>(0x02 | ((*p256)->public_key()[64] & 1));
  expect_illegal((*p256)->decapsulate(compressed));
  // An uncompressed encoding whose coordinates are not on the curve.
  Bytes off_curve((*p256)->public_key().begin(), (*p256)->public_key().end());
  off_curve[64] ^= 1;
  expect_illegal((*p256)->decapsulate(off_curve));
  Bytes zeros(65, 0);
  zeros[0] = 0x04;
  expect_illegal((*p256)->decapsulate(zeros));
  // A hybrid-sized value handed to a plain group.
  auto enc = P().encapsulate(Group::x25519, Bytes(1120, 1));
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.error().alert, Alert::illegal_parameter);
}

TEST(CryptoKeyShare, FromPrivateKeyIsDeterministic) {
  Bytes scalar(32, 0x5a);
  auto a = P().key_share_from_private(Group::x25519, scalar);
  auto b = P().key_share_from_private(Group::x25519, scalar);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(equal((*a)->public_key(), (*b)->public_key()));
  auto p = P().key_share_from_private(Group::secp256r1, scalar);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ((*p)->public_key().size(), 65u);
  EXPECT_FALSE(P().key_share_from_private(Group::secp256r1, Bytes(32, 0)).ok());     // zero
  EXPECT_FALSE(P().key_share_from_private(Group::secp256r1, Bytes(32, 0xff)).ok());  // >= n
  EXPECT_FALSE(P().key_share_from_private(Group::secp384r1, scalar).ok());           // wrong size
}

// RFC 7748 §6.1: Alice and Bob, read from the RFC text (the hex line after each label).
TEST(CryptoKeyShare, Rfc7748Section61) {
  const std::string text = test::read_text(test::reference_dir() + "/rfc/rfc7748.txt");
  ASSERT_FALSE(text.empty());
  const size_t section = text.find("\n6.1.  Curve25519\n");
  ASSERT_NE(section, std::string::npos);
  auto value_after = [&](const std::string& label) {
    size_t at = text.find(label, section);
    EXPECT_NE(at, std::string::npos) << label;
    if (at == std::string::npos) return Bytes();
    size_t start = text.find('\n', at) + 1;
    std::string line = text.substr(start, text.find('\n', start) - start);
    line.erase(0, line.find_first_not_of(' '));
    return unhex(line);
  };
  const Bytes a = value_after("Alice's private key, a:");
  const Bytes ka = value_after("Alice's public key, X25519(a, 9):");
  const Bytes b = value_after("Bob's private key, b:");
  const Bytes kb = value_after("Bob's public key, X25519(b, 9):");
  const Bytes k = value_after("Their shared secret, K:");
  ASSERT_EQ(k.size(), 32u);
  auto alice = P().key_share_from_private(Group::x25519, a);
  auto bob = P().key_share_from_private(Group::x25519, b);
  ASSERT_TRUE(alice.ok() && bob.ok());
  EXPECT_TRUE(equal((*alice)->public_key(), ka));
  EXPECT_TRUE(equal((*bob)->public_key(), kb));
  auto k1 = (*alice)->decapsulate(kb);
  auto k2 = (*bob)->decapsulate(ka);
  ASSERT_TRUE(k1.ok() && k2.ok());
  EXPECT_TRUE(equal(k1->view(), k)) << base::hex(k1->view());
  EXPECT_TRUE(equal(k2->view(), k));
}

// ---------------------------------------------------------------------------------------
// Wycheproof

// A Wycheproof private scalar (a big-endian integer, sometimes with a sign byte or fewer
// bytes) as the fixed-size scalar key_share_from_private takes.
Bytes scalar_of_size(Bytes in, size_t size) {
  while (in.size() > size && in.front() == 0) in.erase(in.begin());
  if (in.size() < size) in.insert(in.begin(), size - in.size(), 0);
  return in;
}

// X25519: all 518 cases run. "acceptable" cases: the ones flagged ZeroSharedSecret (a
// low-order public value) must be rejected, because RFC 8446 §7.4.2 requires refusing the
// all-zero secret; the rest (twist points, non-canonical u, edge-case multiplications)
// are values RFC 7748 says to accept, and must produce the given secret.
TEST(CryptoWycheproof, X25519) {
  auto file = test::wycheproof("x25519_test");
  ASSERT_FALSE(file.is_discarded());
  Tally tally;
  size_t rejected_zero = 0;
  for (const auto& group : file["testGroups"]) {
    ASSERT_EQ(group["curve"], "curve25519");
    for (const auto& t : group["tests"]) {
      ++tally.run;
      SCOPED_TRACE(describe(t));
      auto share = P().key_share_from_private(Group::x25519, jhex(t["private"]));
      ASSERT_TRUE(share.ok()) << share.error();
      auto secret = (*share)->decapsulate(jhex(t["public"]));
      const bool must_fail = t["result"] == "invalid" || has_flag(t, "ZeroSharedSecret");
      if (must_fail) {
        expect_illegal(secret);
        ++rejected_zero;
      } else {
        ASSERT_TRUE(secret.ok()) << secret.error();
        EXPECT_EQ(base::hex(secret->view()), t["shared"].get<std::string>());
      }
    }
  }
  EXPECT_EQ(tally.run, 518u);
  EXPECT_EQ(tally.run, test::number_of_tests(file));
  EXPECT_EQ(rejected_zero, 31u);
}

// ECDH with X9.62 points. "acceptable": the one compressed-point case is rejected, as RFC
// 8446 §4.2.8.2 allows only the uncompressed form.
void run_ecpoint_file(const std::string& name, Group g, size_t field_len, size_t expect_run) {
  auto file = test::wycheproof(name);
  ASSERT_FALSE(file.is_discarded());
  Tally tally;
  for (const auto& group : file["testGroups"]) {
    for (const auto& t : group["tests"]) {
      ++tally.run;
      SCOPED_TRACE(describe(t));
      auto share = P().key_share_from_private(g, scalar_of_size(jhex(t["private"]), field_len));
      ASSERT_TRUE(share.ok()) << share.error();
      auto secret = (*share)->decapsulate(jhex(t["public"]));
      if (t["result"] == "valid") {
        ASSERT_TRUE(secret.ok()) << secret.error();
        EXPECT_EQ(base::hex(secret->view()), t["shared"].get<std::string>());
      } else {
        if (t["result"] == "acceptable") {
          ASSERT_TRUE(has_flag(t, "CompressedPoint"));
        }
        expect_illegal(secret);
      }
    }
  }
  EXPECT_EQ(tally.run, expect_run);
  EXPECT_EQ(tally.run, test::number_of_tests(file));
}

TEST(CryptoWycheproof, EcdhP256Ecpoint) {
  run_ecpoint_file("ecdh_secp256r1_ecpoint_test", Group::secp256r1, 32, 355);
}
TEST(CryptoWycheproof, EcdhP384Ecpoint) {
  run_ecpoint_file("ecdh_secp384r1_ecpoint_test", Group::secp384r1, 48, 790);
}

// ECDH with the peer key as a SubjectPublicKeyInfo. The route: parse_public_key (the
// X.509 path, which insists on strict DER and a named P-256 curve), then the point from
// the SPKI's BIT STRING into the KEM path. "acceptable" cases are all rejected: BER
// encodings (InvalidAsn) fail strict DER, explicit curve parameters (UnnamedCurve) are
// unsupported, and compressed points are not allowed in TLS.
TEST(CryptoWycheproof, EcdhP256Spki) {
  auto file = test::wycheproof("ecdh_secp256r1_test");
  ASSERT_FALSE(file.is_discarded());
  Tally tally;
  size_t rejected_by_spki = 0, rejected_other_curve = 0;
  for (const auto& group : file["testGroups"]) {
    for (const auto& t : group["tests"]) {
      ++tally.run;
      SCOPED_TRACE(describe(t));
      const Bytes spki = jhex(t["public"]);
      Result<SecretBytes> secret = Error(Errc::internal, "not reached");
      auto key = P().parse_public_key(spki);
      if (!key.ok()) {
        secret = Error(key.error().code, key.error().detail, Alert::illegal_parameter);
        ++rejected_by_spki;
      } else if ((*key)->type() != KeyType::ec_p256) {
        secret = Error(Errc::crypto, "not a P-256 key", Alert::illegal_parameter);
        ++rejected_other_curve;
      } else {
        // SEQUENCE { AlgorithmIdentifier, BIT STRING { 0x00, point } }
        base::Reader r(spki), seq;
        BytesView alg, bits;
        ASSERT_TRUE(r.der(base::der::kSequence, seq));
        ASSERT_TRUE(seq.der(base::der::kSequence, alg));
        ASSERT_TRUE(seq.der(base::der::kBitString, bits));
        ASSERT_FALSE(bits.empty());
        auto share =
            P().key_share_from_private(Group::secp256r1, scalar_of_size(jhex(t["private"]), 32));
        ASSERT_TRUE(share.ok()) << share.error();
        secret = (*share)->decapsulate(bits.subspan(1));
      }
      if (t["result"] == "valid") {
        ASSERT_TRUE(secret.ok()) << secret.error();
        EXPECT_EQ(base::hex(secret->view()), t["shared"].get<std::string>());
      } else {
        // Unsupported (other curves, explicit parameters, compressed points) is fine too.
        ASSERT_FALSE(secret.ok());
        EXPECT_EQ(secret.error().alert, Alert::illegal_parameter);
      }
    }
  }
  EXPECT_EQ(tally.run, 612u);
  EXPECT_EQ(tally.run, test::number_of_tests(file));
  // Of the 282 non-valid cases, 280 fail in parse_public_key and 2 are keys on another
  // supported curve (P-384/P-521); none reaches the key share with a bad point.
  EXPECT_EQ(rejected_by_spki, 280u);
  EXPECT_EQ(rejected_other_curve, 2u);
}

}  // namespace
}  // namespace tern::crypto
