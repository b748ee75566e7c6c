// SPDX-License-Identifier: Apache-2.0
// Four Keccak-f[1600] permutations at once in AVX2 registers (register i holds lane i of
// the four states), for ML-KEM's batches of SampleNTT and PRF calls. The same step
// mappings as keccak_f1600 in crypto/sha3.cpp; no data-dependent branch or index, so it
// is fine for secret inputs (the CBD seeds). Only entered after avx2_supported().
#include "crypto/mlkem/impl.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <immintrin.h>

#include <cstring>
#include <utility>

#include "base/secret.h"
#include "crypto/sha3.h"

namespace tern::crypto::mlkem::avx2 {
namespace {

using V = __m256i;

template <int n>
TERN_AVX2_INLINE V rotl(V v) {
  if constexpr (n == 0) {
    return v;
  } else {
    return _mm256_or_si256(_mm256_slli_epi64(v, n), _mm256_srli_epi64(v, 64 - n));
  }
}

template <int i>
TERN_AVX2_INLINE void rho_pi(V* b, const V* a, const V* d) {
  constexpr int x = i % 5, y = i / 5;
  b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl<keccak::kConstants.rho[i]>(_mm256_xor_si256(a[i], d[x]));
}

template <int... i>
TERN_AVX2_INLINE void rho_pi_all(V* b, const V* a, const V* d, std::integer_sequence<int, i...>) {
  (rho_pi<i>(b, a, d), ...);
}

TERN_AVX2 void permute_x4(V a[25]) {
  for (int round = 0; round < 24; ++round) {
    V c[5], d[5], b[25];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) {
      c[x] = _mm256_xor_si256(_mm256_xor_si256(a[x], a[x + 5]),
                              _mm256_xor_si256(_mm256_xor_si256(a[x + 10], a[x + 15]), a[x + 20]));
    }
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) d[x] = _mm256_xor_si256(c[(x + 4) % 5], rotl<1>(c[(x + 1) % 5]));
    rho_pi_all(b, a, d, std::make_integer_sequence<int, 25>());
#pragma GCC unroll 25
    for (int i = 0; i < 25; ++i) {
      const int x = i % 5, y5 = i - x;
      a[i] = _mm256_xor_si256(b[i], _mm256_andnot_si256(b[y5 + (x + 1) % 5], b[y5 + (x + 2) % 5]));
    }
    a[0] = _mm256_xor_si256(
        a[0], _mm256_set1_epi64x(static_cast<long long>(keccak::kConstants.iota[round])));
  }
}

uint64_t load_le64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);  // x86-64 is little-endian, as Keccak's lanes are
  return v;
}

}  // namespace

TERN_AVX2 void shake_x4(size_t rate, const uint8_t* const* in, size_t in_len, uint8_t* const* out,
                        size_t blocks) {
  // One absorbed block per state: the inputs (shorter than the rate), then SHAKE's 0x1f
  // and pad10*1's final bit.
  alignas(32) uint8_t block[4][200] = {};
  for (int n = 0; n < 4; ++n) {
    std::memcpy(block[n], in[n], in_len);
    block[n][in_len] = 0x1f;
    block[n][rate - 1] |= 0x80;
  }
  V s[25];
  for (int i = 0; i < 25; ++i) {
    s[i] = _mm256_set_epi64x(static_cast<long long>(load_le64(block[3] + 8 * i)),
                             static_cast<long long>(load_le64(block[2] + 8 * i)),
                             static_cast<long long>(load_le64(block[1] + 8 * i)),
                             static_cast<long long>(load_le64(block[0] + 8 * i)));
  }
  const size_t lanes = rate / 8;
  for (size_t blk = 0; blk < blocks; ++blk) {
    permute_x4(s);
    for (size_t i = 0; i < lanes; ++i) {
      alignas(32) uint64_t t[4];
      _mm256_store_si256(reinterpret_cast<V*>(t), s[i]);
      for (int n = 0; n < 4; ++n) std::memcpy(out[n] + blk * rate + 8 * i, &t[n], 8);
    }
  }
  base::secure_zero(block, sizeof block);
  base::secure_zero(s, sizeof s);
}

}  // namespace tern::crypto::mlkem::avx2

#else

#include <cstdlib>

namespace tern::crypto::mlkem::avx2 {
void shake_x4(size_t, const uint8_t* const*, size_t, uint8_t* const*, size_t) { std::abort(); }
}  // namespace tern::crypto::mlkem::avx2

#endif
