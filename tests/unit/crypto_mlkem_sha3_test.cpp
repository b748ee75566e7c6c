// SPDX-License-Identifier: Apache-2.0
// Our Keccak (crypto/sha3.h, used by ML-KEM) against libcrypto's SHA-3 and SHAKE for every
// input length across several blocks, split absorbs and squeezes of every size.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>

#include "crypto/sha3.h"

namespace tern::crypto {
namespace {

Bytes openssl(const char* name, BytesView in, size_t out_len) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Bytes out(out_len);
  bool ok = md && ctx && EVP_DigestInit_ex2(ctx, md, nullptr) == 1 &&
            EVP_DigestUpdate(ctx, in.data(), in.size()) == 1;
  if (md && (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF)) {
    ok = ok && EVP_DigestFinalXOF(ctx, out.data(), out.size()) == 1;
  } else {
    ok = ok && EVP_DigestFinal_ex(ctx, out.data(), nullptr) == 1;
  }
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  EXPECT_TRUE(ok) << name;
  return out;
}

Bytes random_bytes(std::mt19937& rng, size_t n) {
  Bytes b(n);
  for (uint8_t& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

TEST(CryptoMlKemSha3, OneShotMatchesLibcrypto) {
  std::mt19937 rng(5);
  for (size_t len = 0; len <= 3 * 168 + 1; ++len) {
    SCOPED_TRACE(len);
    Bytes in = random_bytes(rng, len);
    // Split the input in two parts to exercise the part list.
    BytesView a = BytesView(in).first(len / 3), b = BytesView(in).subspan(len / 3);
    Bytes out256(32), out512(64), s128(2 * 168 + 5), s256(2 * 136 + 7);
    sha3_256({a, b}, std::span<uint8_t, 32>(out256.data(), 32));
    sha3_512({a, b}, std::span<uint8_t, 64>(out512.data(), 64));
    shake128({a, b}, s128);
    shake256({a, b}, s256);
    ASSERT_EQ(out256, openssl("SHA3-256", in, 32));
    ASSERT_EQ(out512, openssl("SHA3-512", in, 64));
    ASSERT_EQ(s128, openssl("SHAKE128", in, s128.size()));
    ASSERT_EQ(s256, openssl("SHAKE256", in, s256.size()));
  }
}

TEST(CryptoMlKemSha3, IncrementalAbsorbAndSqueeze) {
  std::mt19937 rng(9);
  Bytes in = random_bytes(rng, 1000);
  for (auto strength : {Shake::Strength::shake128, Shake::Strength::shake256}) {
    const char* name = strength == Shake::Strength::shake128 ? "SHAKE128" : "SHAKE256";
    Bytes expected = openssl(name, in, 1200);
    for (size_t step = 1; step <= 200; step += 13) {
      SCOPED_TRACE(step);
      Shake shake(strength);
      for (size_t p = 0; p < in.size(); p += step) {
        shake.absorb(BytesView(in).subspan(p, std::min(step, in.size() - p)));
      }
      Bytes out(expected.size());
      for (size_t p = 0; p < out.size(); p += step + 1) {
        shake.squeeze(std::span<uint8_t>(out).subspan(p, std::min(step + 1, out.size() - p)));
      }
      ASSERT_EQ(out, expected);
    }
  }
  // Whole blocks, as rejection sampling reads them.
  KeccakSponge sponge(kShake128Rate, 0x1f);
  sponge.absorb(BytesView(in).first(34));
  Bytes blocks(5 * kShake128Rate);
  sponge.squeeze_blocks(blocks.data(), 3);
  sponge.squeeze_blocks(blocks.data() + 3 * kShake128Rate, 2);
  EXPECT_EQ(blocks, openssl("SHAKE128", BytesView(in).first(34), blocks.size()));
}

}  // namespace
}  // namespace tern::crypto
