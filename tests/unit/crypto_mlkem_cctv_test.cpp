// SPDX-License-Identifier: Apache-2.0
// ML-KEM against the C2SP CCTV vectors (vectors/cctv/ML-KEM/README.md): intermediate
// values, "unlucky" SampleNTT seeds, strcmp ciphertexts, every modulus-check key, and the
// accumulated 10,000-test hashes of the pq-crystals generator.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/mlkem/mlkem.h"
#include "crypto/mlkem/params.h"
#include "crypto/mlkem/poly.h"
#include "crypto/sha3.h"
#include "crypto_mlkem_impl.h"
#include "crypto_test_util.h"

namespace tern::crypto::mlkem {
namespace {

TERN_MLKEM_SUITE(CryptoMlKemCctv);

using test::read_text;
using test::unhex;

struct Set {
  const char* name;
  Variant variant;
  Params params;
};
constexpr Set kSets[] = {{"ML-KEM-512", Variant::ml_kem_512, kMlKem512},
                         {"ML-KEM-768", Variant::ml_kem_768, kMlKem768},
                         {"ML-KEM-1024", Variant::ml_kem_1024, kMlKem1024}};

std::string cctv(const std::string& rel) {
  return test::reference_dir() + "/vectors/cctv/ML-KEM/" + rel;
}

// "name = value" lines, in order (names repeat in some files).
std::vector<std::pair<std::string, std::string>> read_pairs(const std::string& path) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    out.emplace_back(line.substr(0, eq), line.substr(eq + 3));
  }
  if (out.empty()) ADD_FAILURE() << "no values in " << path;
  return out;
}

std::string first(const std::vector<std::pair<std::string, std::string>>& pairs,
                  const std::string& key) {
  for (const auto& [k, v] : pairs) {
    if (k == key) return v;
  }
  ADD_FAILURE() << "missing " << key;
  return "";
}

// "{1, 2, 3}" -> polynomial
Poly decimal_poly(const std::string& text) {
  Poly p{};
  std::string digits = text;
  for (char& ch : digits) {
    if (ch == '{' || ch == '}' || ch == ',') ch = ' ';
  }
  std::istringstream in(digits);
  int value = 0;
  int i = 0;
  while (in >> value) {
    if (i < kN) p.c[i] = static_cast<int16_t>(value);
    ++i;
  }
  EXPECT_EQ(i, kN);
  return p;
}

void expect_poly_eq(const Poly& a, const Poly& b, const char* what) {
  for (int i = 0; i < kN; ++i) ASSERT_EQ(a.c[i], b.c[i]) << what << " coefficient " << i;
}

// Full KeyGen / Encaps / Decaps from d, z, m with every output compared. The CCTV files
// predate the final FIPS 203, whose only change on this path is G(d || k) in K-PKE.KeyGen,
// so keys come from the draft's derivation; Encaps and Decaps are the final ones.
void check_full(Variant v, const std::vector<std::pair<std::string, std::string>>& kv) {
  Bytes d = unhex(first(kv, "d"));
  Bytes z = unhex(first(kv, "z"));
  auto kp = keygen_internal_ipd(v, d, z);
  ASSERT_TRUE(kp.ok()) << kp.error();
  EXPECT_EQ(kp->encapsulation_key, unhex(first(kv, "ek")));
  EXPECT_TRUE(equal(kp->decapsulation_key.view(), unhex(first(kv, "dk"))));
  auto enc = encaps_internal(v, kp->encapsulation_key, unhex(first(kv, "m")));
  ASSERT_TRUE(enc.ok()) << enc.error();
  EXPECT_EQ(enc->ciphertext, unhex(first(kv, "c")));
  Bytes k = unhex(first(kv, "K"));
  EXPECT_TRUE(equal(enc->shared_secret.view(), k));
  auto dec = decaps(v, kp->decapsulation_key.view(), enc->ciphertext);
  ASSERT_TRUE(dec.ok()) << dec.error();
  EXPECT_TRUE(equal(dec->view(), k));
}

TEST_P(CryptoMlKemCctv, IntermediateValues) {
  for (const Set& s : kSets) {
    SCOPED_TRACE(s.name);
    auto kv = read_pairs(cctv(std::string("intermediate/") + s.name + ".txt"));
    check_full(s.variant, kv);

    // Individual steps, from the decimal arrays the file gives.
    Bytes rho = unhex(first(kv, "ρ"));
    ASSERT_EQ(rho.size(), kSymBytes);
    Poly a00;
    sample_ntt(a00, std::span<const uint8_t, kSymBytes>(rho.data(), kSymBytes), 0, 0);
    expect_poly_eq(a00, decimal_poly(first(kv, "A[0, 0]")), "A[0, 0]");

    Bytes sigma = unhex(first(kv, "σ"));
    Poly s0;
    sample_cbd(s0, std::span<const uint8_t, kSymBytes>(sigma.data(), kSymBytes), 0, s.params.eta1);
    poly_to_unsigned(s0);
    expect_poly_eq(s0, decimal_poly(first(kv, "s[0]")), "s[0]");

    Poly ntt_s0 = s0;
    ntt(ntt_s0);
    poly_to_unsigned(ntt_s0);
    expect_poly_eq(ntt_s0, decimal_poly(first(kv, "NTT(s[0])")), "NTT(s[0])");

    Poly u0 = decimal_poly(first(kv, "u[0]"));
    poly_compress(u0, s.params.du);
    expect_poly_eq(u0, decimal_poly(first(kv, "compress(u[0])")), "compress(u[0])");

    Poly v = decimal_poly(first(kv, "v"));
    poly_compress(v, s.params.dv);
    expect_poly_eq(v, decimal_poly(first(kv, "compress(v)")), "compress(v)");
  }
}

TEST_P(CryptoMlKemCctv, UnluckySampleNtt) {
  for (const Set& s : kSets) {
    SCOPED_TRACE(s.name);
    check_full(s.variant, read_pairs(cctv(std::string("unluckysample/") + s.name + ".txt")));
  }
}

TEST_P(CryptoMlKemCctv, StrcmpDecaps) {
  for (const Set& s : kSets) {
    SCOPED_TRACE(s.name);
    auto kv = read_pairs(cctv(std::string("strcmp/") + s.name + ".txt"));
    ASSERT_EQ(kv.size(), 3u);
    auto k = decaps(s.variant, unhex(first(kv, "dk")), unhex(first(kv, "c")));
    ASSERT_TRUE(k.ok()) << k.error();
    EXPECT_TRUE(equal(k->view(), unhex(first(kv, "K"))));
  }
}

using test::gunzip;

TEST_P(CryptoMlKemCctv, ModulusCheckRejectsEveryKey) {
  const size_t kLines[] = {775, 780, 1040};  // lines in the three files
  int set = 0;
  for (const Set& s : kSets) {
    SCOPED_TRACE(s.name);
    std::istringstream in(gunzip(cctv(std::string("modulus/") + s.name + ".txt.gz")));
    std::string line;
    size_t count = 0;
    const Bytes m(32, 0x42);
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      Bytes ek = unhex(line);
      ASSERT_EQ(ek.size(), encapsulation_key_size(s.variant)) << "line " << count;
      EXPECT_FALSE(check_encapsulation_key(s.variant, ek).ok()) << "line " << count;
      EXPECT_FALSE(encaps_internal(s.variant, ek, m).ok()) << "line " << count;
      ++count;
    }
    EXPECT_EQ(count, kLines[set++]);
  }
}

// The pq-crystals generator's 10,000 tests, regenerated from the deterministic SHAKE-128
// stream and checked through the running SHAKE-128 hash the README gives.
void accumulated(const Set& s, const char* expected_hex) {
  constexpr int kTests = 10000;
  const size_t ct_size = ciphertext_size(s.variant);
  const size_t per_test = 3 * kSeedSize + ct_size;
  std::vector<uint8_t> stream(per_test * kTests);
  shake128({}, stream);
  Shake out(Shake::Strength::shake128);
  BytesView rng(stream);
  for (int i = 0; i < kTests; ++i) {
    BytesView t = rng.subspan(per_test * static_cast<size_t>(i), per_test);
    auto kp = keygen_internal_ipd(s.variant, t.first(32), t.subspan(32, 32));
    ASSERT_TRUE(kp.ok());
    auto enc = encaps_internal(s.variant, kp->encapsulation_key, t.subspan(64, 32));
    ASSERT_TRUE(enc.ok());
    auto dec = decaps(s.variant, kp->decapsulation_key.view(), enc->ciphertext);
    ASSERT_TRUE(dec.ok());
    ASSERT_TRUE(equal(dec->view(), enc->shared_secret.view())) << "test " << i;
    auto rejected = decaps(s.variant, kp->decapsulation_key.view(), t.subspan(96, ct_size));
    ASSERT_TRUE(rejected.ok());
    out.absorb(kp->encapsulation_key);
    out.absorb(kp->decapsulation_key.view());
    out.absorb(enc->ciphertext);
    out.absorb(enc->shared_secret.view());
    out.absorb(rejected->view());
  }
  Bytes digest(32);
  out.finish(digest);
  EXPECT_EQ(digest, unhex(expected_hex));
}

TEST_P(CryptoMlKemCctv, StreamStartsAsReadmeSays) {
  Bytes start(16);
  shake128({}, start);
  EXPECT_EQ(start, unhex("7f9c2ba4e88f827d616045507605853e"));
}

TEST_P(CryptoMlKemCctv, Accumulated10000MlKem512) {
  accumulated(kSets[0], "845913ea5a308b803c764a9ed8e9d814ca1fd9c82ba43c7b1e64b79c7a6ec8e4");
}
TEST_P(CryptoMlKemCctv, Accumulated10000MlKem768) {
  accumulated(kSets[1], "f7db260e1137a742e05fe0db9525012812b004d29040a5b606aad3d134b548d3");
}
TEST_P(CryptoMlKemCctv, Accumulated10000MlKem1024) {
  accumulated(kSets[2], "47ac888fe61544efc0518f46094b4f8a600965fc89822acb06dc7169d24f3543");
}

}  // namespace
}  // namespace tern::crypto::mlkem
