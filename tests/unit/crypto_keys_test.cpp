// SPDX-License-Identifier: Apache-2.0
// Keys: generation, sign/verify round trips for every key type, PKCS#8 / SEC1 / PKCS#1
// parsing, SubjectPublicKeyInfo rejections with their messages, and the constant shape of
// implicit-rejection RSA decryption.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "base/reader.h"
#include "base/writer.h"
#include "crypto/provider.h"
#include "crypto_test_util.h"

namespace tern::crypto {
namespace {

using test::jhex;
namespace der = base::der;

const Provider& P() { return default_provider(); }

constexpr uint8_t kOidRsaEncryption[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
constexpr uint8_t kOidEcPublicKey[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
constexpr uint8_t kOidSecp256k1[] = {0x2b, 0x81, 0x04, 0x00, 0x0a};
constexpr uint8_t kOidPrime256v1[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};

// Generating RSA keys is slow; each key type is generated once for the whole binary.
const PrivateKey& key_of(KeyType t) {
  static std::map<KeyType, std::unique_ptr<PrivateKey>> keys;
  auto& slot = keys[t];
  if (!slot) {
    auto k = P().generate_private_key(t, 2048);
    if (!k.ok()) {
      ADD_FAILURE() << "generating " << key_type_name(t) << " failed: " << k.error();
      std::abort();  // every test below needs the key
    }
    slot = std::move(k).value();
  }
  return *slot;
}

struct Case {
  KeyType type;
  SignatureAlgorithm alg;
  size_t bits;
};

const Case kCases[] = {
    {KeyType::ec_p256, {SigKind::ecdsa, Hash::sha256, 0}, 256},
    {KeyType::ec_p384, {SigKind::ecdsa, Hash::sha384, 0}, 384},
    {KeyType::ec_p521, {SigKind::ecdsa, Hash::sha512, 0}, 521},
    {KeyType::ed25519, {SigKind::ed25519, Hash::sha256, 0}, 256},
    {KeyType::rsa, {SigKind::rsa_pkcs1, Hash::sha256, 0}, 2048},
    {KeyType::rsa, {SigKind::rsa_pkcs1, Hash::sha1, 0}, 2048},
    {KeyType::rsa, {SigKind::rsa_pss, Hash::sha256, 32}, 2048},
    {KeyType::rsa, {SigKind::rsa_pss, Hash::sha384, 0}, 2048},
    {KeyType::rsa_pss, {SigKind::rsa_pss, Hash::sha256, 32}, 2048},
};

TEST(CryptoKeys, GenerateSignVerifyRoundTripForEveryKeyType) {
  const Bytes message = {'t', 'e', 'r', 'n', ' ', 'r', 'o', 'u', 'n', 'd', ' ', 't', 'r', 'i', 'p'};
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(key_type_name(c.type)) + " / " + signature_algorithm_name(c.alg));
    const PrivateKey& key = key_of(c.type);
    EXPECT_EQ(key.type(), c.type);
    EXPECT_EQ(key.bits(), c.bits);
    auto sig = key.sign(c.alg, message);
    ASSERT_TRUE(sig.ok()) << sig.error();
    auto pub = key.public_key();
    ASSERT_TRUE(pub);
    EXPECT_EQ(pub->type(), c.type);
    EXPECT_EQ(pub->bits(), c.bits);
    EXPECT_TRUE(pub->verify(c.alg, message, *sig).ok());

    // The SPKI re-parses to an equivalent key.
    auto reparsed = P().parse_public_key(pub->spki());
    ASSERT_TRUE(reparsed.ok()) << reparsed.error();
    EXPECT_EQ((*reparsed)->spki(), pub->spki());
    EXPECT_TRUE((*reparsed)->verify(c.alg, message, *sig).ok());

    // Another message, a flipped signature bit, another hash: all fail.
    Bytes other = message;
    other[0] ^= 1;
    auto bad = pub->verify(c.alg, other, *sig);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, Errc::crypto);
    Bytes flipped = *sig;
    flipped[flipped.size() / 2] ^= 0x10;
    EXPECT_FALSE(pub->verify(c.alg, message, flipped).ok());
    if (c.alg.kind != SigKind::ed25519) {
      SignatureAlgorithm other_hash = c.alg;
      other_hash.hash = c.alg.hash == Hash::sha256 ? Hash::sha512 : Hash::sha256;
      EXPECT_FALSE(pub->verify(other_hash, message, *sig).ok());
    }
  }
}

TEST(CryptoKeys, PssSaltLengthIsHonoured) {
  const PrivateKey& key = key_of(KeyType::rsa);
  const Bytes message = {1, 2, 3};
  auto sig = key.sign({SigKind::rsa_pss, Hash::sha256, 32}, message);
  ASSERT_TRUE(sig.ok());
  auto pub = key.public_key();
  ASSERT_TRUE(pub);
  EXPECT_TRUE(pub->verify({SigKind::rsa_pss, Hash::sha256, 32}, message, *sig).ok());
  EXPECT_FALSE(pub->verify({SigKind::rsa_pss, Hash::sha256, 20}, message, *sig).ok());
  EXPECT_FALSE(pub->verify({SigKind::rsa_pkcs1, Hash::sha256, 0}, message, *sig).ok());
}

TEST(CryptoKeys, SignatureKindMustMatchKeyType) {
  const Bytes message = {1, 2, 3};
  auto r = key_of(KeyType::ec_p256).sign({SigKind::rsa_pss, Hash::sha256, 32}, message);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("ECDSA P-256"), std::string::npos) << r.error();
  // RSA-PSS keys (id-RSASSA-PSS) must not make PKCS#1 v1.5 signatures.
  EXPECT_FALSE(key_of(KeyType::rsa_pss).sign({SigKind::rsa_pkcs1, Hash::sha256, 0}, message).ok());
  EXPECT_FALSE(key_of(KeyType::ed25519).sign({SigKind::ecdsa, Hash::sha256, 0}, message).ok());
  auto pss_pub = key_of(KeyType::rsa_pss).public_key();
  ASSERT_TRUE(pss_pub);
  auto sig = key_of(KeyType::rsa).sign({SigKind::rsa_pkcs1, Hash::sha256, 0}, message);
  ASSERT_TRUE(sig.ok());
  EXPECT_FALSE(pss_pub->verify({SigKind::rsa_pkcs1, Hash::sha256, 0}, message, *sig).ok());
}

TEST(CryptoKeys, Pkcs8ExportParsesBackToTheSameKey) {
  for (KeyType t : {KeyType::ec_p256, KeyType::ec_p384, KeyType::ec_p521, KeyType::ed25519,
                    KeyType::rsa, KeyType::rsa_pss}) {
    SCOPED_TRACE(key_type_name(t));
    auto der = key_of(t).pkcs8();
    ASSERT_TRUE(der.ok()) << der.error();
    auto back = P().parse_private_key(der->view());
    ASSERT_TRUE(back.ok()) << back.error();
    EXPECT_EQ((*back)->type(), t);
    EXPECT_EQ((*back)->public_key()->spki(), key_of(t).public_key()->spki());
    // Trailing garbage is refused.
    Bytes longer(der->view().begin(), der->view().end());
    longer.push_back(0);
    EXPECT_FALSE(P().parse_private_key(longer).ok());
  }
  EXPECT_FALSE(P().parse_private_key({}).ok());
  EXPECT_FALSE(P().parse_private_key(Bytes{0x30, 0x03, 0x02, 0x01, 0x00}).ok());
}

// The privateKey OCTET STRING inside a PKCS#8 PrivateKeyInfo.
Bytes pkcs8_inner(BytesView pkcs8) {
  base::Reader r(pkcs8), seq;
  BytesView version, alg, inner;
  EXPECT_TRUE(r.der(der::kSequence, seq));
  EXPECT_TRUE(seq.der(der::kInteger, version));
  EXPECT_TRUE(seq.der(der::kSequence, alg));
  EXPECT_TRUE(seq.der(der::kOctetString, inner));
  return Bytes(inner.begin(), inner.end());
}

TEST(CryptoKeys, ParsesPkcs1RsaPrivateKey) {
  auto der = key_of(KeyType::rsa).pkcs8();
  ASSERT_TRUE(der.ok());
  Bytes pkcs1 = pkcs8_inner(der->view());  // for rsaEncryption this is RSAPrivateKey
  auto key = P().parse_private_key(pkcs1);
  ASSERT_TRUE(key.ok()) << key.error();
  EXPECT_EQ((*key)->type(), KeyType::rsa);
  EXPECT_EQ((*key)->public_key()->spki(), key_of(KeyType::rsa).public_key()->spki());
}

TEST(CryptoKeys, ParsesSec1EcPrivateKey) {
  auto der = key_of(KeyType::ec_p256).pkcs8();
  ASSERT_TRUE(der.ok());
  // Rebuild the inner ECPrivateKey with its curve named, as SEC1 files carry it.
  Bytes inner = pkcs8_inner(der->view());
  base::Reader r(inner), seq;
  BytesView version, scalar;
  ASSERT_TRUE(r.der(der::kSequence, seq));
  ASSERT_TRUE(seq.der(der::kInteger, version));
  ASSERT_TRUE(seq.der(der::kOctetString, scalar));
  base::Writer w;
  w.der(der::kSequence, [&] {
    w.der_uint(1);
    w.der_bytes(der::kOctetString, scalar);
    w.der(der::context(0, true), [&] { w.der_bytes(der::kOid, kOidPrime256v1); });
  });
  auto key = P().parse_private_key(w.data());
  ASSERT_TRUE(key.ok()) << key.error();
  EXPECT_EQ((*key)->type(), KeyType::ec_p256);
  EXPECT_EQ((*key)->public_key()->spki(), key_of(KeyType::ec_p256).public_key()->spki());
}

TEST(CryptoKeys, GenerationRejectsWeakOrNonSigningTypes) {
  auto weak = P().generate_private_key(KeyType::rsa, 1024);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().code, Errc::unsupported);
  EXPECT_FALSE(P().generate_private_key(KeyType::x25519).ok());
  EXPECT_FALSE(P().generate_private_key(KeyType::unknown).ok());
}

// ---------------------------------------------------------------------------------------
// RFC 8032 §7.1, read from the RFC text: Ed25519 signatures are deterministic, so signing
// with the given secret key must reproduce each signature byte for byte. The last case
// ("TEST SHA(abc)") signs SHA-512("abc"), which doubles as a SHA-512 known answer.

struct Rfc8032Case {
  std::string name;
  Bytes secret, public_key, message, signature;
};

std::vector<Rfc8032Case> rfc8032_ed25519_cases() {
  const std::string text = test::read_text(test::reference_dir() + "/rfc/rfc8032.txt");
  const size_t begin = text.find("\n7.1.  Test Vectors for Ed25519\n");
  const size_t end = text.find("\n7.2.  Test Vectors for Ed25519ctx\n");
  EXPECT_NE(begin, std::string::npos);
  EXPECT_NE(end, std::string::npos);
  if (begin == std::string::npos || end == std::string::npos) return {};
  std::istringstream section(text.substr(begin, end - begin));
  std::vector<Rfc8032Case> cases;
  std::string line, hex;
  Bytes* field = nullptr;
  auto flush = [&] {
    if (field) *field = test::unhex(hex);
    field = nullptr;
    hex.clear();
  };
  while (std::getline(section, line)) {
    line.erase(0, line.find_first_not_of(" \f"));
    line.erase(line.find_last_not_of(" \r") + 1);
    if (line.rfind("-----TEST ", 0) == 0) {
      flush();
      cases.push_back({line.substr(10), {}, {}, {}, {}});
    } else if (cases.empty()) {
      continue;
    } else if (line == "SECRET KEY:") {
      flush();
      field = &cases.back().secret;
    } else if (line == "PUBLIC KEY:") {
      flush();
      field = &cases.back().public_key;
    } else if (line.rfind("MESSAGE (", 0) == 0) {
      flush();
      field = &cases.back().message;
    } else if (line == "SIGNATURE:") {
      flush();
      field = &cases.back().signature;
    } else if (line == "ALGORITHM:") {
      flush();
    } else if (field && !line.empty() &&
               line.find_first_not_of("0123456789abcdef") == std::string::npos) {
      hex += line;  // page headers, footers and blank lines are skipped
    }
  }
  flush();
  return cases;
}

// PKCS#8 PrivateKeyInfo for an Ed25519 seed (RFC 8410 §7).
Bytes ed25519_pkcs8(BytesView seed) {
  const uint8_t oid_ed25519[] = {0x2b, 0x65, 0x70};
  base::Writer w;
  w.der(der::kSequence, [&] {
    w.der_uint(0);
    w.der(der::kSequence, [&] { w.der_bytes(der::kOid, oid_ed25519); });
    w.der(der::kOctetString, [&] { w.der_bytes(der::kOctetString, seed); });
  });
  return w.take();
}

TEST(CryptoKeys, Rfc8032Ed25519Vectors) {
  auto cases = rfc8032_ed25519_cases();
  ASSERT_EQ(cases.size(), 5u);
  for (const auto& c : cases) {
    SCOPED_TRACE("TEST " + c.name);
    ASSERT_EQ(c.secret.size(), 32u);
    ASSERT_EQ(c.public_key.size(), 32u);
    ASSERT_EQ(c.signature.size(), 64u);
    auto key = P().parse_private_key(ed25519_pkcs8(c.secret));
    ASSERT_TRUE(key.ok()) << key.error();
    ASSERT_EQ((*key)->type(), KeyType::ed25519);
    auto pub = (*key)->public_key();
    ASSERT_TRUE(pub);
    Bytes spki = pub->spki();
    EXPECT_TRUE(equal(BytesView(spki).last(32), c.public_key));
    const SignatureAlgorithm alg{SigKind::ed25519, Hash::sha256, 0};
    auto sig = (*key)->sign(alg, c.message);
    ASSERT_TRUE(sig.ok()) << sig.error();
    EXPECT_EQ(*sig, c.signature);
    EXPECT_TRUE(pub->verify(alg, c.message, c.signature).ok());
  }
  EXPECT_EQ(cases[3].message.size(), 1023u);  // TEST 1024 spans two pages
  ASSERT_EQ(cases[4].name, "SHA(abc)");
  EXPECT_EQ(P().hash(Hash::sha512, as_bytes("abc")), cases[4].message);
}

// ---------------------------------------------------------------------------------------
// SubjectPublicKeyInfo rejections

Bytes spki(BytesView alg_oid, const std::function<void(base::Writer&)>& params,
           BytesView key_bits) {
  base::Writer w;
  w.der(der::kSequence, [&] {
    w.der(der::kSequence, [&] {
      w.der_bytes(der::kOid, alg_oid);
      params(w);
    });
    w.der(der::kBitString, [&] {
      w.u8(0);
      w.bytes(key_bits);
    });
  });
  return w.take();
}

Bytes rsa_public_key_bits(size_t modulus_bits) {
  Bytes n(modulus_bits / 8, 0x5b);
  n[0] = 0xc1;
  n.back() = 0x01;
  base::Writer w;
  w.der(der::kSequence, [&] {
    w.der_uint(n);
    w.der_uint(65537);
  });
  return w.take();
}

TEST(CryptoKeys, RejectsSmallRsaKeysWithAClearMessage) {
  auto null_params = [](base::Writer& w) { w.der_bytes(der::kNull, {}); };
  auto small =
      P().parse_public_key(spki(kOidRsaEncryption, null_params, rsa_public_key_bits(1024)));
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error().code, Errc::unsupported);
  EXPECT_EQ(small.error().detail,
            "RSA key of 1024 bits is too small; at least 2048 bits are required");
  // The same construction at 2048 bits is accepted.
  auto ok = P().parse_public_key(spki(kOidRsaEncryption, null_params, rsa_public_key_bits(2048)));
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ((*ok)->type(), KeyType::rsa);
  EXPECT_EQ((*ok)->bits(), 2048u);
}

TEST(CryptoKeys, RejectsOtherCurvesAndExplicitParameters) {
  Bytes point(65, 0x11);
  point[0] = 0x04;
  auto k1 = P().parse_public_key(spki(
      kOidEcPublicKey, [](base::Writer& w) { w.der_bytes(der::kOid, kOidSecp256k1); }, point));
  ASSERT_FALSE(k1.ok());
  EXPECT_EQ(k1.error().code, Errc::unsupported);
  EXPECT_NE(k1.error().detail.find("1.3.132.0.10"), std::string::npos) << k1.error();

  auto explicit_params = P().parse_public_key(spki(
      kOidEcPublicKey, [](base::Writer& w) { w.der(der::kSequence, [&] { w.der_uint(1); }); },
      point));
  ASSERT_FALSE(explicit_params.ok());
  EXPECT_EQ(explicit_params.error().code, Errc::unsupported);
  EXPECT_NE(explicit_params.error().detail.find("explicit curve parameters"), std::string::npos);

  // A named P-256 curve but a point that is not on it.
  auto off_curve = P().parse_public_key(spki(
      kOidEcPublicKey, [](base::Writer& w) { w.der_bytes(der::kOid, kOidPrime256v1); }, point));
  ASSERT_FALSE(off_curve.ok());
  EXPECT_EQ(off_curve.error().code, Errc::decode);

  // An unknown algorithm, and structural garbage.
  const uint8_t dsa[] = {0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01};
  auto unknown = P().parse_public_key(spki(
      dsa, [](base::Writer&) {}, point));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, Errc::unsupported);
  EXPECT_NE(unknown.error().detail.find("1.2.840.10040.4.1"), std::string::npos);
  EXPECT_FALSE(P().parse_public_key({}).ok());
  EXPECT_FALSE(P().parse_public_key(Bytes{0x30, 0x00}).ok());
}

TEST(CryptoKeys, RejectsCompressedPointsAndTrailingBytes) {
  auto good = key_of(KeyType::ec_p256).public_key();
  ASSERT_TRUE(good);
  Bytes der = good->spki();
  der.push_back(0x00);
  EXPECT_FALSE(P().parse_public_key(der).ok());
  Bytes compressed(33, 0x22);
  compressed[0] = 0x02;
  auto c = P().parse_public_key(spki(
      kOidEcPublicKey, [](base::Writer& w) { w.der_bytes(der::kOid, kOidPrime256v1); },
      compressed));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::unsupported);
}

// ---------------------------------------------------------------------------------------
// Implicit rejection: whatever the ciphertext, the result has the fallback's size, and a
// ciphertext that is not a correctly padded message of that size yields the fallback.

TEST(CryptoKeys, RsaDecryptImplicitIsConstantShape) {
  auto file = test::wycheproof("rsa_pkcs1_2048_test");
  ASSERT_FALSE(file.is_discarded());
  const auto& group = file["testGroups"][0];
  auto key = P().parse_private_key(jhex(group["privateKeyPkcs8"]));
  ASSERT_TRUE(key.ok());
  // A valid ciphertext of a non-empty message, from the vectors.
  const nlohmann::json* valid = nullptr;
  for (const auto& t : group["tests"]) {
    if (t["result"] == "valid" && !t["msg"].get<std::string>().empty()) {
      valid = &t;
      break;
    }
  }
  ASSERT_NE(valid, nullptr);
  const Bytes ct = jhex((*valid)["ct"]), msg = jhex((*valid)["msg"]);

  SecretBytes fallback(48);
  ASSERT_TRUE(P().random(fallback.span()).ok());
  Bytes garbage(256);
  for (int i = 0; i < 16; ++i) {
    ASSERT_TRUE(P().random(garbage).ok());
    garbage[0] = 0x00;  // keep it below the modulus so the raw RSA step succeeds
    auto r = (*key)->rsa_decrypt_implicit(garbage, fallback);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->size(), fallback.size());
    EXPECT_TRUE(equal(r->view(), fallback.view()));
  }
  for (size_t len : {size_t{0}, size_t{1}, size_t{255}, size_t{257}}) {
    auto r = (*key)->rsa_decrypt_implicit(Bytes(len, 0x42), fallback);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(equal(r->view(), fallback.view()));
  }
  // The valid ciphertext: its message at the right length, else the fallback.
  SecretBytes right(msg.size());
  auto good = (*key)->rsa_decrypt_implicit(ct, right);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(equal(good->view(), msg));
  auto wrong = (*key)->rsa_decrypt_implicit(ct, fallback);
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->size(), fallback.size());
  EXPECT_TRUE(equal(wrong->view(), fallback.view()));
  // An expected length too large for any padding.
  SecretBytes huge(250);
  auto h = (*key)->rsa_decrypt_implicit(ct, huge);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->size(), 250u);

  // Not an RSA encryption key: an error, not a fallback.
  EXPECT_FALSE(key_of(KeyType::ec_p256).rsa_decrypt_implicit(ct, fallback).ok());
  EXPECT_FALSE(key_of(KeyType::rsa_pss).rsa_decrypt_implicit(ct, fallback).ok());
}

}  // namespace
}  // namespace tern::crypto
