// SPDX-License-Identifier: Apache-2.0
// ML-KEM against every Wycheproof ML-KEM file: keygen from seeds, decapsulation (with
// implicit rejection and the length checks), encapsulation with the modulus check, and
// the semi-expanded decapsulation-key checks. Test counts are asserted.
#include <gtest/gtest.h>

#include <string>

#include "crypto/mlkem/mlkem.h"
#include "crypto_mlkem_impl.h"
#include "crypto_test_util.h"

namespace tern::crypto::mlkem {
namespace {

TERN_MLKEM_SUITE(CryptoMlKemWycheproof);

using test::jhex;
using test::wycheproof;

struct File {
  int bits;
  Variant variant;
};
constexpr File kFiles[] = {{512, Variant::ml_kem_512},
                           {768, Variant::ml_kem_768},
                           {1024, Variant::ml_kem_1024}};

std::string name(const File& f, const char* kind) {
  return "mlkem_" + std::to_string(f.bits) + "_" + kind;
}

std::string id(const nlohmann::json& t) { return "tcId " + std::to_string(t["tcId"].get<int>()); }

// Runs every test of a file and returns how many ran, checking the header's count.
template <typename Fn>
int for_each_test(const std::string& file, Fn fn) {
  nlohmann::json j = wycheproof(file);
  int count = 0;
  for (const auto& group : j["testGroups"]) {
    for (const auto& t : group["tests"]) {
      SCOPED_TRACE(file + " " + id(t));
      fn(t);
      ++count;
    }
  }
  EXPECT_EQ(count, j["numberOfTests"].get<int>()) << file;
  return count;
}

TEST_P(CryptoMlKemWycheproof, KeygenSeed) {
  for (const File& f : kFiles) {
    int n = for_each_test(name(f, "keygen_seed_test"), [&](const nlohmann::json& t) {
      Bytes seed = jhex(t["seed"]);
      ASSERT_EQ(seed.size(), 64u);
      auto kp = keygen_internal(f.variant, BytesView(seed).first(32), BytesView(seed).subspan(32));
      ASSERT_TRUE(kp.ok()) << kp.error();
      EXPECT_EQ(kp->encapsulation_key, jhex(t["ek"]));
      EXPECT_TRUE(equal(kp->decapsulation_key.view(), jhex(t["dk"])));
      EXPECT_EQ(t["result"], "valid");
    });
    EXPECT_EQ(n, 100);
  }
}

// keygen from seed, compare ek, decapsulate c and compare K. Invalid tests have a seed or
// ciphertext of the wrong length.
TEST_P(CryptoMlKemWycheproof, KeygenAndDecaps) {
  for (const File& f : kFiles) {
    int valid = 0;
    int invalid = 0;
    int n = for_each_test(name(f, "test"), [&](const nlohmann::json& t) {
      Bytes seed = jhex(t["seed"]);
      Bytes c = jhex(t["c"]);
      bool expect_valid = t["result"] == "valid";
      BytesView s(seed);
      auto kp = seed.size() == 64 ? keygen_internal(f.variant, s.first(32), s.subspan(32))
                                  : keygen_internal(f.variant, s.first(seed.size() / 2),
                                                    s.subspan(seed.size() / 2));
      if (!kp.ok()) {
        EXPECT_FALSE(expect_valid) << kp.error();
        EXPECT_NE(seed.size(), 64u);
        ++invalid;
        return;
      }
      if (t.contains("ek")) {
        EXPECT_EQ(kp->encapsulation_key, jhex(t["ek"]));
      }
      auto k = decaps(f.variant, kp->decapsulation_key.view(), c);
      if (!expect_valid) {
        EXPECT_FALSE(k.ok());
        EXPECT_NE(c.size(), ciphertext_size(f.variant));
        ++invalid;
        return;
      }
      ASSERT_TRUE(k.ok()) << k.error();
      EXPECT_TRUE(equal(k->view(), jhex(t["K"])));
      ++valid;
    });
    EXPECT_EQ(n, 193);
    EXPECT_EQ(valid, 153);
    EXPECT_EQ(invalid, 40);
  }
}

TEST_P(CryptoMlKemWycheproof, Encaps) {
  const int kCounts[] = {261, 265, 269};
  int file = 0;
  for (const File& f : kFiles) {
    int invalid = 0;
    int n = for_each_test(name(f, "encaps_test"), [&](const nlohmann::json& t) {
      Bytes ek = jhex(t["ek"]);
      auto r = encaps_internal(f.variant, ek, jhex(t["m"]));
      if (t["result"] != "valid") {
        EXPECT_FALSE(r.ok());
        EXPECT_FALSE(check_encapsulation_key(f.variant, ek).ok());
        ++invalid;
        return;
      }
      ASSERT_TRUE(r.ok()) << r.error();
      EXPECT_EQ(r->ciphertext, jhex(t["c"]));
      EXPECT_TRUE(equal(r->shared_secret.view(), jhex(t["K"])));
    });
    EXPECT_EQ(n, kCounts[file++]);
    EXPECT_GT(invalid, 100);
  }
}

TEST_P(CryptoMlKemWycheproof, SemiExpandedDecaps) {
  for (const File& f : kFiles) {
    int n = for_each_test(name(f, "semi_expanded_decaps_test"), [&](const nlohmann::json& t) {
      Bytes dk = jhex(t["dk"]);
      auto k = decaps(f.variant, dk, jhex(t["c"]));
      if (t["result"] != "valid") {
        EXPECT_FALSE(k.ok());
        return;
      }
      ASSERT_TRUE(k.ok()) << k.error();
      EXPECT_TRUE(equal(k->view(), jhex(t["K"])));
      EXPECT_TRUE(check_decapsulation_key(f.variant, dk).ok());
      // The ek inside dk is the one given.
      EXPECT_TRUE(equal(BytesView(dk).subspan(384 * (f.bits / 256), jhex(t["ek"]).size()),
                        jhex(t["ek"])));
    });
    EXPECT_EQ(n, 9);
  }
}

}  // namespace
}  // namespace tern::crypto::mlkem
