// SPDX-License-Identifier: Apache-2.0
// The TLS 1.2 key schedule (RFC 5246 §5, §6.3, §7.4.9; RFC 7627 §4) against an independent
// implementation: OpenSSL's EVP_KDF "TLS1-PRF". No TLS 1.2 PRF vectors exist in reference/,
// so libcrypto is the oracle; inputs are pseudo-random (fixed seeds, so failures reproduce).
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <random>
#include <string>

#include "base/encoding.h"
#include "handshake/tls12_key_schedule.h"

namespace tern::testing {
namespace {

using crypto::Aead;
using crypto::Hash;

const crypto::Provider& provider() { return crypto::default_provider(); }

// PRF(secret, label, seed) by OpenSSL: TLS1-PRF with the label and seed as one seed.
Bytes openssl_prf(Hash hash, BytesView secret, std::string_view label, BytesView seed,
                  size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
  if (!kdf) throw std::runtime_error("EVP_KDF_fetch(TLS1-PRF) failed");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (!ctx) throw std::runtime_error("EVP_KDF_CTX_new failed");
  Bytes label_seed(label.begin(), label.end());
  label_seed.insert(label_seed.end(), seed.begin(), seed.end());
  std::string digest = hash == Hash::sha384 ? "SHA384" : "SHA256";
  // OSSL_PARAM takes non-const pointers; OpenSSL only reads them.
  Bytes secret_copy(secret.begin(), secret.end());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, secret_copy.data(),
                                        secret_copy.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, label_seed.data(), label_seed.size()),
      OSSL_PARAM_construct_end()};
  Bytes out(length);
  int rc = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (rc != 1) throw std::runtime_error("EVP_KDF_derive(TLS1-PRF) failed");
  return out;
}

Bytes random_bytes(std::mt19937& rng, size_t n) {
  Bytes out(n);
  for (auto& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

msgs::Random random_hello_random(std::mt19937& rng) {
  msgs::Random r;
  for (auto& b : r) b = static_cast<uint8_t>(rng());
  return r;
}

Bytes concat(BytesView a, BytesView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes bytes_of(const base::SecretBytes& s) { return Bytes(s.view().begin(), s.view().end()); }

const char* name(Hash h) { return h == Hash::sha384 ? "SHA-384" : "SHA-256"; }

class Tls12KeySchedule : public ::testing::TestWithParam<Hash> {};

TEST_P(Tls12KeySchedule, PrfMatchesOpenSsl) {
  const Hash hash = GetParam();
  std::mt19937 rng(hash == Hash::sha384 ? 384 : 256);
  int checked = 0;
  // Secrets shorter and longer than the HMAC block (64 / 128 bytes), seeds of many sizes.
  for (size_t secret_len : {1u, 13u, 32u, 48u, 64u, 129u, 200u}) {
    for (size_t seed_len : {0u, 1u, 32u, 64u, 77u}) {
      for (size_t length : {1u, 12u, 48u, 100u, 200u}) {
        Bytes secret = random_bytes(rng, secret_len);
        Bytes seed = random_bytes(rng, seed_len);
        std::string label = "test label " + std::to_string(checked);
        auto ours = handshake::tls12_prf(provider(), hash, secret, label, seed, length);
        ASSERT_TRUE(ours) << ours.error();
        ASSERT_EQ(ours->size(), length);
        EXPECT_EQ(bytes_of(*ours), openssl_prf(hash, secret, label, seed, length))
            << name(hash) << " secret " << secret_len << " seed " << seed_len << " length "
            << length << "\nsecret " << base::hex(secret) << "\nseed " << base::hex(seed);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 7 * 5 * 5);
}

// Longer outputs are prefixes of one P_hash stream: each length is a prefix of the next.
TEST_P(Tls12KeySchedule, PrfOutputsArePrefixesOfOneStream) {
  const Hash hash = GetParam();
  std::mt19937 rng(7);
  Bytes secret = random_bytes(rng, 48), seed = random_bytes(rng, 64);
  auto longest = handshake::tls12_prf(provider(), hash, secret, "key expansion", seed, 200);
  ASSERT_TRUE(longest);
  for (size_t length : {1u, 12u, 47u, 48u, 49u, 100u}) {
    auto shorter = handshake::tls12_prf(provider(), hash, secret, "key expansion", seed, length);
    ASSERT_TRUE(shorter);
    EXPECT_EQ(bytes_of(*shorter), Bytes(longest->view().begin(), longest->view().begin() +
                                                                    static_cast<ptrdiff_t>(length)))
        << length;
  }
  auto empty = handshake::tls12_prf(provider(), hash, secret, "key expansion", seed, 0);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->size(), 0u);
}

TEST_P(Tls12KeySchedule, MasterSecretMatchesOpenSsl) {
  const Hash hash = GetParam();
  std::mt19937 rng(hash == Hash::sha384 ? 1384 : 1256);
  for (int round = 0; round < 20; ++round) {
    // ECDHE pre-master secrets are the x-coordinate (32 or 48 bytes), RSA ones 48 bytes.
    Bytes pre_master = random_bytes(rng, round % 2 ? 48 : 32);
    msgs::Random client_random = random_hello_random(rng);
    msgs::Random server_random = random_hello_random(rng);

    // RFC 5246 §8.1: PRF(pre_master, "master secret", client_random + server_random)[0..47].
    auto classic = handshake::tls12_master_secret(provider(), hash, pre_master, client_random,
                                                  server_random, nullptr);
    ASSERT_TRUE(classic);
    EXPECT_EQ(bytes_of(*classic), openssl_prf(hash, pre_master, "master secret",
                                              concat(client_random, server_random), 48))
        << round;

    // RFC 7627 §4: PRF(pre_master, "extended master secret", session_hash)[0..47].
    Bytes session_hash = random_bytes(rng, crypto::hash_size(hash));
    auto extended = handshake::tls12_master_secret(provider(), hash, pre_master, client_random,
                                                   server_random, &session_hash);
    ASSERT_TRUE(extended);
    EXPECT_EQ(bytes_of(*extended),
              openssl_prf(hash, pre_master, "extended master secret", session_hash, 48))
        << round;
    EXPECT_NE(bytes_of(*extended), bytes_of(*classic));
    EXPECT_EQ(extended->size(), handshake::kTls12MasterSecretSize);
  }
}

// RFC 5246 §6.3: key_block = PRF(master, "key expansion", server_random + client_random),
// cut into client_write_key, server_write_key, client_write_IV, server_write_IV (AEAD suites
// have no MAC keys). The IV is the 4-byte GCM salt (RFC 5288 §3) or ChaCha20-Poly1305's
// 12-byte nonce mask (RFC 7905 §2).
TEST_P(Tls12KeySchedule, KeyBlockMatchesOpenSsl) {
  const Hash hash = GetParam();
  std::mt19937 rng(hash == Hash::sha384 ? 2384 : 2256);
  struct {
    Aead aead;
    size_t key, iv;
  } layouts[] = {{Aead::aes128_gcm, 16, 4}, {Aead::aes256_gcm, 32, 4},
                 {Aead::chacha20_poly1305, 32, 12}};
  for (const auto& layout : layouts) {
    for (int round = 0; round < 5; ++round) {
      Bytes master = random_bytes(rng, 48);
      msgs::Random client_random = random_hello_random(rng);
      msgs::Random server_random = random_hello_random(rng);
      auto keys = handshake::tls12_key_block(provider(), hash, layout.aead, master, client_random,
                                             server_random);
      ASSERT_TRUE(keys);
      Bytes block = openssl_prf(hash, master, "key expansion",
                                concat(server_random, client_random),
                                2 * (layout.key + layout.iv));
      auto part = [&](size_t at, size_t n) {
        return Bytes(block.begin() + static_cast<ptrdiff_t>(at),
                     block.begin() + static_cast<ptrdiff_t>(at + n));
      };
      EXPECT_EQ(bytes_of(keys->client_key), part(0, layout.key));
      EXPECT_EQ(bytes_of(keys->server_key), part(layout.key, layout.key));
      EXPECT_EQ(bytes_of(keys->client_iv), part(2 * layout.key, layout.iv));
      EXPECT_EQ(bytes_of(keys->server_iv), part(2 * layout.key + layout.iv, layout.iv));
    }
  }
}

// RFC 5246 §7.4.9: verify_data = PRF(master, finished_label, Hash(handshake_messages))[0..11].
TEST_P(Tls12KeySchedule, FinishedMatchesOpenSsl) {
  const Hash hash = GetParam();
  std::mt19937 rng(hash == Hash::sha384 ? 3384 : 3256);
  for (int round = 0; round < 10; ++round) {
    Bytes master = random_bytes(rng, 48);
    Bytes transcript_hash = random_bytes(rng, crypto::hash_size(hash));
    auto client = handshake::tls12_finished(provider(), hash, master, false, transcript_hash);
    auto server = handshake::tls12_finished(provider(), hash, master, true, transcript_hash);
    ASSERT_TRUE(client);
    ASSERT_TRUE(server);
    EXPECT_EQ(client->size(), handshake::kTls12VerifyDataSize);
    EXPECT_EQ(bytes_of(*client), openssl_prf(hash, master, "client finished", transcript_hash, 12));
    EXPECT_EQ(bytes_of(*server), openssl_prf(hash, master, "server finished", transcript_hash, 12));
    EXPECT_NE(bytes_of(*client), bytes_of(*server));
  }
}

INSTANTIATE_TEST_SUITE_P(Sha256AndSha384, Tls12KeySchedule,
                         ::testing::Values(Hash::sha256, Hash::sha384),
                         [](const ::testing::TestParamInfo<Hash>& param) {
                           return std::string(param.param == Hash::sha384 ? "Sha384" : "Sha256");
                         });

}  // namespace
}  // namespace tern::testing
