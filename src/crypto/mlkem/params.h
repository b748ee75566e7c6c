// SPDX-License-Identifier: Apache-2.0
// ML-KEM parameter sets (FIPS 203 §8, Table 2) and the sizes that follow from them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tern::crypto::mlkem {

constexpr int kN = 256;
constexpr int16_t kQ = 3329;
constexpr size_t kSymBytes = 32;      // seeds, hashes, messages, shared secrets
constexpr size_t kPolyBytes = 384;    // ByteEncode12 of one polynomial
constexpr int kMaxK = 4;

struct Params {
  int k;
  int eta1;
  int eta2;
  int du;
  int dv;

  constexpr size_t poly_vec_bytes() const { return kPolyBytes * k; }
  constexpr size_t encapsulation_key_size() const { return poly_vec_bytes() + kSymBytes; }
  constexpr size_t decapsulation_key_size() const { return 2 * poly_vec_bytes() + 3 * kSymBytes; }
  constexpr size_t ciphertext_size() const { return 32 * (du * k + dv); }
  constexpr size_t c1_size() const { return 32 * du * k; }
};

constexpr Params kMlKem512{2, 3, 2, 10, 4};
constexpr Params kMlKem768{3, 2, 2, 10, 4};
constexpr Params kMlKem1024{4, 2, 2, 11, 5};

}  // namespace tern::crypto::mlkem
