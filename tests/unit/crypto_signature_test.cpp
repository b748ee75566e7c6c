// SPDX-License-Identifier: Apache-2.0
// Signature verification and RSA key transport against Wycheproof: ECDSA P-256/P-384,
// Ed25519, RSA-PSS, RSA PKCS#1 v1.5 signatures, and RSAES-PKCS1-v1_5 decryption through
// the implicit-rejection interface.
#include <gtest/gtest.h>

#include <functional>

#include "crypto/provider.h"
#include "crypto_test_util.h"

namespace tern::crypto {
namespace {

using test::describe;
using test::has_flag;
using test::jhex;
using test::Tally;

const Provider& P() { return default_provider(); }

Hash hash_named(const std::string& name) {
  if (name == "SHA-256") return Hash::sha256;
  if (name == "SHA-384") return Hash::sha384;
  if (name == "SHA-512") return Hash::sha512;
  ADD_FAILURE() << "unexpected hash " << name;
  return Hash::sha1;
}

// Runs every case of a signature file. `key_field` names the group's DER SPKI. Returns the
// number of cases run; `acceptable_is_valid` says how "acceptable" cases are judged.
size_t run_signature_file(const std::string& name, KeyType expected_type,
                          const std::function<SignatureAlgorithm(const nlohmann::json&)>& alg_of,
                          bool acceptable_is_valid) {
  auto file = test::wycheproof(name);
  EXPECT_FALSE(file.is_discarded());
  Tally tally;
  for (const auto& group : file["testGroups"]) {
    auto key = P().parse_public_key(jhex(group["publicKeyDer"]));
    EXPECT_TRUE(key.ok()) << key.error();
    if (!key.ok()) continue;
    EXPECT_EQ((*key)->type(), expected_type);
    const SignatureAlgorithm alg = alg_of(group);
    for (const auto& t : group["tests"]) {
      ++tally.run;
      SCOPED_TRACE(describe(t));
      auto r = (*key)->verify(alg, jhex(t["msg"]), jhex(t["sig"]));
      const std::string result = t["result"];
      const bool expect_ok = result == "valid" || (result == "acceptable" && acceptable_is_valid);
      if (expect_ok) {
        EXPECT_TRUE(r.ok()) << r.error();
      } else {
        EXPECT_FALSE(r.ok());
        if (r.ok()) continue;
        EXPECT_EQ(r.error().code, Errc::crypto);
        EXPECT_EQ(r.error().alert, Alert::decrypt_error);
      }
    }
  }
  EXPECT_EQ(tally.run, test::number_of_tests(file));
  return tally.run;
}

SignatureAlgorithm ecdsa_of(const nlohmann::json& group) {
  return {SigKind::ecdsa, hash_named(group["sha"]), 0};
}

// ECDSA signatures are DER; BER variants (BerEncodedSignature, all "invalid") must fail.
TEST(CryptoWycheproof, EcdsaP256Sha256) {
  EXPECT_EQ(run_signature_file("ecdsa_secp256r1_sha256_test", KeyType::ec_p256, ecdsa_of, false),
            484u);
}
TEST(CryptoWycheproof, EcdsaP384Sha384) {
  EXPECT_EQ(run_signature_file("ecdsa_secp384r1_sha384_test", KeyType::ec_p384, ecdsa_of, false),
            504u);
}

TEST(CryptoWycheproof, Ed25519) {
  EXPECT_EQ(run_signature_file(
                "ed25519_test", KeyType::ed25519,
                [](const nlohmann::json&) {
                  return SignatureAlgorithm{SigKind::ed25519, Hash::sha256, 0};
                },
                false),
            151u);
}

TEST(CryptoWycheproof, RsaPss2048Sha256Mgf1Salt32) {
  EXPECT_EQ(run_signature_file(
                "rsa_pss_2048_sha256_mgf1_32_test", KeyType::rsa,
                [](const nlohmann::json& group) {
                  EXPECT_EQ(group["mgf"], "MGF1");
                  EXPECT_EQ(group["mgfSha"], group["sha"]);
                  return SignatureAlgorithm{SigKind::rsa_pss, hash_named(group["sha"]),
                                            group["sLen"].get<size_t>()};
                },
                false),
            108u);
}

// "acceptable": the one MissingNull case (a DigestInfo whose AlgorithmIdentifier omits
// the NULL parameters) is rejected. RFC 8017 §9.2 defines a single encoding, with NULL;
// verifying by re-encoding and comparing, as tern does, is the robust choice.
TEST(CryptoWycheproof, RsaPkcs1Signature2048Sha256) {
  EXPECT_EQ(run_signature_file(
                "rsa_signature_2048_sha256_test", KeyType::rsa,
                [](const nlohmann::json& group) {
                  return SignatureAlgorithm{SigKind::rsa_pkcs1, hash_named(group["sha"]), 0};
                },
                false),
            259u);
}

// RSAES-PKCS1-v1_5 through rsa_decrypt_implicit: a valid ciphertext yields its message
// when the expected length matches, and the fallback when it does not; an invalid one
// yields the fallback whatever length is expected. All 67 cases run.
TEST(CryptoWycheproof, RsaPkcs1Decrypt2048) {
  auto file = test::wycheproof("rsa_pkcs1_2048_test");
  ASSERT_FALSE(file.is_discarded());
  Tally tally;
  auto fallback_of = [](size_t n) {
    SecretBytes f(n);
    for (size_t i = 0; i < n; ++i) f.data()[i] = static_cast<uint8_t>(0xa5 ^ (i * 7));
    return f;
  };
  for (const auto& group : file["testGroups"]) {
    auto key = P().parse_private_key(jhex(group["privateKeyPkcs8"]));
    ASSERT_TRUE(key.ok()) << key.error();
    ASSERT_EQ((*key)->type(), KeyType::rsa);
    const size_t k = ((*key)->bits() + 7) / 8;
    for (const auto& t : group["tests"]) {
      ++tally.run;
      SCOPED_TRACE(describe(t));
      const Bytes ct = jhex(t["ct"]), msg = jhex(t["msg"]);
      if (t["result"] == "valid") {
        SecretBytes fallback = fallback_of(msg.size());
        if (!msg.empty()) {
          ASSERT_FALSE(equal(fallback.view(), msg));  // so the check below means something
        }
        auto r = (*key)->rsa_decrypt_implicit(ct, fallback);
        ASSERT_TRUE(r.ok()) << r.error();
        EXPECT_EQ(base::hex(r->view()), t["msg"].get<std::string>());
        // Any other expected length gives the fallback, of that length.
        for (size_t other : {msg.size() + 1, msg.size() > 0 ? msg.size() - 1 : size_t{48}}) {
          if (other + 11 > k) continue;
          SecretBytes f = fallback_of(other);
          auto wrong = (*key)->rsa_decrypt_implicit(ct, f);
          ASSERT_TRUE(wrong.ok());
          EXPECT_TRUE(equal(wrong->view(), f.view())) << "expected length " << other;
        }
      } else {
        ASSERT_EQ(t["result"], "invalid");
        for (size_t len : {msg.size(), size_t{0}, size_t{32}, size_t{48}}) {
          SecretBytes fallback = fallback_of(len);
          auto r = (*key)->rsa_decrypt_implicit(ct, fallback);
          ASSERT_TRUE(r.ok()) << r.error();
          EXPECT_TRUE(equal(r->view(), fallback.view())) << "expected length " << len;
        }
      }
    }
  }
  EXPECT_EQ(tally.run, 67u);
  EXPECT_EQ(tally.run, test::number_of_tests(file));
}

// Wrong key type for the algorithm: an error value, never a crash or a pass.
TEST(CryptoSignature, WrongKeyTypeIsAnError) {
  auto file = test::wycheproof("ecdsa_secp256r1_sha256_test");
  ASSERT_FALSE(file.is_discarded());
  const auto& group = file["testGroups"][0];
  auto key = P().parse_public_key(jhex(group["publicKeyDer"]));
  ASSERT_TRUE(key.ok());
  const auto& t = group["tests"][0];
  ASSERT_EQ(t["result"], "valid");
  const Bytes msg = jhex(t["msg"]), sig = jhex(t["sig"]);
  ASSERT_TRUE((*key)->verify({SigKind::ecdsa, Hash::sha256, 0}, msg, sig).ok());
  for (SigKind kind : {SigKind::rsa_pkcs1, SigKind::rsa_pss, SigKind::ed25519}) {
    auto r = (*key)->verify({kind, Hash::sha256, 32}, msg, sig);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::crypto);
    EXPECT_NE(r.error().detail.find("ECDSA P-256"), std::string::npos) << r.error();
  }
  // The right scheme with the wrong hash fails as a bad signature.
  EXPECT_FALSE((*key)->verify({SigKind::ecdsa, Hash::sha384, 0}, msg, sig).ok());
}

}  // namespace
}  // namespace tern::crypto
