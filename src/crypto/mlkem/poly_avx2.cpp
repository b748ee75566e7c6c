// SPDX-License-Identifier: Apache-2.0
// AVX2 versions of the polynomial arithmetic in poly.cpp, sixteen coefficients per
// register. Each gives exactly the values of the portable function (same reductions, in
// the same places), so the two paths are interchangeable mid-computation; the unit tests
// run everything on both. Compiled for AVX2 per function (target attribute), so the rest
// of the library stays baseline x86-64 and this is only entered after avx2_supported().
#include "crypto/mlkem/impl.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <immintrin.h>

#include "crypto/mlkem/ntt_tables.h"

namespace tern::crypto::mlkem::avx2 {
namespace {

using V = __m256i;
constexpr int16_t kQInv = -3327;  // q^-1 mod 2^16

constexpr int16_t times_qinv(int16_t z) { return static_cast<int16_t>(z * kQInv); }

// Zetas for the three layers that pair coefficients inside one register (len 8, 4, 2),
// laid out for the register pairs ntt() forms; see lane_layers_forward for the layout.
struct LaneZetas {
  int16_t z[8][16];
  int16_t zq[8][16];  // times q^-1, for the Montgomery multiply
};
struct AvxTables {
  LaneZetas fwd[3];  // len 8, 4, 2
  LaneZetas inv[3];
  int16_t gammas_odd[16][16];  // gamma of pair i at odd lane 2i + 1 of its register
};

constexpr int group_of_unit(int u) {  // 32-bit unit of the len-2 register -> 4-coefficient group
  constexpr int kOrder[4] = {0, 2, 1, 3};
  return 4 * (u / 4) + kOrder[u % 4];
}

constexpr AvxTables make_avx_tables() {
  AvxTables t{};
  for (int p = 0; p < 8; ++p) {
    for (int l = 0; l < 16; ++l) {
      const int idx8 = 2 * p + (l >= 8);              // 16-coefficient block
      const int idx4 = 4 * p + l / 4;                 // 8-coefficient block
      const int idx2 = 8 * p + group_of_unit(l / 2);  // 4-coefficient block
      const int fwd[3] = {16 + idx8, 32 + idx4, 64 + idx2};
      const int inv[3] = {31 - idx8, 63 - idx4, 127 - idx2};
      for (int layer = 0; layer < 3; ++layer) {
        t.fwd[layer].z[p][l] = kTables.zetas[fwd[layer]];
        t.fwd[layer].zq[p][l] = times_qinv(kTables.zetas[fwd[layer]]);
        t.inv[layer].z[p][l] = kTables.zetas[inv[layer]];
        t.inv[layer].zq[p][l] = times_qinv(kTables.zetas[inv[layer]]);
      }
    }
  }
  for (int m = 0; m < 16; ++m) {
    for (int l = 1; l < 16; l += 2) t.gammas_odd[m][l] = kTables.gammas[8 * m + l / 2];
  }
  return t;
}

constexpr AvxTables kAvx = make_avx_tables();

// For rejection sampling: for each 8-bit acceptance mask of eight 16-bit candidates, the
// pshufb indices that move the accepted ones to the front, in order, and their number.
struct CompressTable {
  uint8_t index[256][16];
  uint8_t count[256];
};

constexpr CompressTable make_compress_table() {
  CompressTable t{};
  for (int m = 0; m < 256; ++m) {
    int n = 0;
    for (int j = 0; j < 8; ++j) {
      if ((m >> j) & 1) {
        t.index[m][2 * n] = static_cast<uint8_t>(2 * j);
        t.index[m][2 * n + 1] = static_cast<uint8_t>(2 * j + 1);
        ++n;
      }
    }
    for (int b = 2 * n; b < 16; ++b) t.index[m][b] = 0x80;  // zero the rest
    t.count[m] = static_cast<uint8_t>(n);
  }
  return t;
}

constexpr CompressTable kCompress = make_compress_table();

// pshufb indices gathering, for 16-bit lane k of a 128-bit half, the two bytes that hold
// candidate k (the half starting 0 or 4 bytes into its 16-byte window).
struct GatherIndices {
  uint8_t index[32];
};

constexpr GatherIndices make_gather() {
  GatherIndices g{};
  for (int half = 0; half < 2; ++half) {
    for (int k = 0; k < 8; ++k) {
      const int lo = 4 * half + 3 * (k / 2) + (k & 1);
      g.index[16 * half + 2 * k] = static_cast<uint8_t>(lo);
      g.index[16 * half + 2 * k + 1] = static_cast<uint8_t>(lo + 1);
    }
  }
  return g;
}

constexpr GatherIndices kGather = make_gather();

TERN_AVX2_INLINE V load(const int16_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const V*>(p));
}
TERN_AVX2_INLINE void store(int16_t* p, V v) { _mm256_storeu_si256(reinterpret_cast<V*>(p), v); }
TERN_AVX2_INLINE V set1(int16_t x) { return _mm256_set1_epi16(x); }

// montgomery_reduce(a * b) lane-wise, with bq = b * q^-1 mod 2^16. The low halves of
// a b and t q agree, so the high halves' difference is the exact (a b - t q) / 2^16.
TERN_AVX2_INLINE V fqmul(V a, V b, V bq) {
  const V t = _mm256_mullo_epi16(a, bq);
  return _mm256_sub_epi16(_mm256_mulhi_epi16(a, b), _mm256_mulhi_epi16(t, set1(kQ)));
}

// barrett_reduce: t = (a v + 2^25) >> 26 as floor(floor(a v / 2^16) + 2^9) / 2^10), the
// second step being mulhrs by 2^5.
TERN_AVX2_INLINE V barrett(V a) {
  constexpr int16_t kV = ((1 << 26) + kQ / 2) / kQ;
  const V t = _mm256_mulhrs_epi16(_mm256_mulhi_epi16(a, set1(kV)), set1(32));
  return _mm256_sub_epi16(a, _mm256_mullo_epi16(t, set1(kQ)));
}

TERN_AVX2_INLINE void ct_butterfly(V& a, V& b, V z, V zq) {  // Algorithm 9's inner step
  const V t = fqmul(b, z, zq);
  b = _mm256_sub_epi16(a, t);
  a = _mm256_add_epi16(a, t);
}

TERN_AVX2_INLINE void gs_butterfly(V& a, V& b, V z, V zq) {  // Algorithm 10's inner step
  const V t = a;
  a = barrett(_mm256_add_epi16(t, b));
  b = fqmul(_mm256_sub_epi16(b, t), z, zq);
}

// The register shuffles that line butterfly partners up in two registers x, y, for the
// 32 coefficients of registers a (block 2p) and b (block 2p + 1):
//   len 8: x = a.lo | b.lo, y = a.hi | b.hi (128-bit halves);
//   len 4: per half, x = 4 coefficients j and y the 4 at j + 4 (64-bit unpack);
//   len 2: per half, 32-bit units reordered [0 2 1 3] then unpacked, so x holds the pairs
//          j, j + 1 and y those at j + 2.
TERN_AVX2_INLINE void to_len8(V& a, V& b) {
  const V x = _mm256_permute2x128_si256(a, b, 0x20);
  b = _mm256_permute2x128_si256(a, b, 0x31);
  a = x;
}
TERN_AVX2_INLINE void unpack64(V& x, V& y) {  // to len 4 from len 8, and back
  const V lo = _mm256_unpacklo_epi64(x, y);
  y = _mm256_unpackhi_epi64(x, y);
  x = lo;
}
TERN_AVX2_INLINE void to_len2(V& x, V& y) {
  const V xs = _mm256_shuffle_epi32(x, 0xd8);
  const V ys = _mm256_shuffle_epi32(y, 0xd8);
  x = _mm256_unpacklo_epi64(xs, ys);
  y = _mm256_unpackhi_epi64(xs, ys);
}
TERN_AVX2_INLINE void from_len2(V& x, V& y) {
  const V xs = _mm256_unpacklo_epi64(x, y);
  const V ys = _mm256_unpackhi_epi64(x, y);
  x = _mm256_shuffle_epi32(xs, 0xd8);
  y = _mm256_shuffle_epi32(ys, 0xd8);
}

TERN_AVX2_INLINE V zeta(const int16_t (&table)[8][16], int p) { return load(table[p]); }

TERN_AVX2_INLINE void lane_layers_forward(V& a, V& b, int p) {
  to_len8(a, b);
  ct_butterfly(a, b, zeta(kAvx.fwd[0].z, p), zeta(kAvx.fwd[0].zq, p));
  unpack64(a, b);
  ct_butterfly(a, b, zeta(kAvx.fwd[1].z, p), zeta(kAvx.fwd[1].zq, p));
  to_len2(a, b);
  ct_butterfly(a, b, zeta(kAvx.fwd[2].z, p), zeta(kAvx.fwd[2].zq, p));
  from_len2(a, b);
  unpack64(a, b);
  to_len8(a, b);  // its own inverse
}

TERN_AVX2_INLINE void lane_layers_inverse(V& a, V& b, int p) {
  to_len8(a, b);
  unpack64(a, b);
  to_len2(a, b);
  gs_butterfly(a, b, zeta(kAvx.inv[2].z, p), zeta(kAvx.inv[2].zq, p));
  from_len2(a, b);
  gs_butterfly(a, b, zeta(kAvx.inv[1].z, p), zeta(kAvx.inv[1].zq, p));
  unpack64(a, b);
  gs_butterfly(a, b, zeta(kAvx.inv[0].z, p), zeta(kAvx.inv[0].zq, p));
  to_len8(a, b);
}

}  // namespace

TERN_AVX2 void ntt(Poly& f) {
  V v[16];
  for (int m = 0; m < 16; ++m) v[m] = load(f.c + 16 * m);
  // len 128 .. 16: partners are whole registers L apart.
  for (int L = 8; L >= 1; L >>= 1) {
    for (int s = 0; s < 8 / L; ++s) {
      const int16_t z = kTables.zetas[8 / L + s];
      const V zv = set1(z), zq = set1(times_qinv(z));
      for (int m = 2 * L * s; m < 2 * L * s + L; ++m) ct_butterfly(v[m], v[m + L], zv, zq);
    }
  }
  for (int p = 0; p < 8; ++p) lane_layers_forward(v[2 * p], v[2 * p + 1], p);
  for (int m = 0; m < 16; ++m) store(f.c + 16 * m, barrett(v[m]));
}

TERN_AVX2 void inv_ntt(Poly& f) {
  V v[16];
  for (int m = 0; m < 16; ++m) v[m] = load(f.c + 16 * m);
  for (int p = 0; p < 8; ++p) lane_layers_inverse(v[2 * p], v[2 * p + 1], p);
  for (int L = 1; L <= 8; L <<= 1) {
    for (int s = 0; s < 8 / L; ++s) {
      const int16_t z = kTables.zetas[2 * (8 / L) - 1 - s];
      const V zv = set1(z), zq = set1(times_qinv(z));
      for (int m = 2 * L * s; m < 2 * L * s + L; ++m) gs_butterfly(v[m], v[m + L], zv, zq);
    }
  }
  const V scale = set1(kTables.inv_ntt_scale), scale_q = set1(times_qinv(kTables.inv_ntt_scale));
  for (int m = 0; m < 16; ++m) store(f.c + 16 * m, fqmul(v[m], scale, scale_q));
}

TERN_AVX2 void dot_ntt(Poly& out, const Poly* a, const Poly* b, int k) {
  // Per pair (a0, a1), (b0, b1): c0 = a0 b0 + fqmul(a1, b1) gamma and c1 = a0 b1 + a1 b0,
  // each a madd of two interleaved registers, summed in 32 bits over the vector and then
  // Montgomery-reduced, as dot_ntt_portable does.
  const V qinv = set1(kQInv), q = set1(kQ);
  for (int m = 0; m < 16; ++m) {
    const V gam = load(kAvx.gammas_odd[m]);
    V c0 = _mm256_setzero_si256(), c1 = _mm256_setzero_si256();
    for (int v = 0; v < k; ++v) {
      const V av = load(a[v].c + 16 * m), bv = load(b[v].c + 16 * m);
      const V prod = fqmul(av, bv, _mm256_mullo_epi16(bv, qinv));  // a1 b1 / 2^16 at odd lanes
      const V x = _mm256_blend_epi16(av, prod, 0xaa);
      const V y = _mm256_blend_epi16(bv, gam, 0xaa);
      c0 = _mm256_add_epi32(c0, _mm256_madd_epi16(x, y));
      const V b_swapped = _mm256_or_si256(_mm256_slli_epi32(bv, 16), _mm256_srli_epi32(bv, 16));
      c1 = _mm256_add_epi32(c1, _mm256_madd_epi16(av, b_swapped));
    }
    // montgomery_reduce on 32-bit lanes, leaving the result in the high 16 bits.
    const V t0 = _mm256_mullo_epi16(c0, qinv), t1 = _mm256_mullo_epi16(c1, qinv);
    const V r0 = _mm256_sub_epi16(c0, _mm256_slli_epi32(_mm256_mulhi_epi16(t0, q), 16));
    const V r1 = _mm256_sub_epi16(c1, _mm256_slli_epi32(_mm256_mulhi_epi16(t1, q), 16));
    store(out.c + 16 * m, _mm256_blend_epi16(_mm256_srli_epi32(r0, 16), r1, 0xaa));
  }
}

TERN_AVX2 size_t rejection_sample(int16_t* out, size_t count, const uint8_t* buf, size_t len) {
  // Sixteen candidates from 24 bytes per step: bytes 0-15 to the low half and 8-23 to the
  // high one, each candidate's two bytes gathered into its 16-bit lane, odd ones shifted
  // down 4 bits. The matrix is public, so indexing the table by the acceptance mask is
  // fine. Values past kN are written to the slack and dropped.
  const V gather = _mm256_loadu_si256(reinterpret_cast<const V*>(kGather.index));
  const V q = set1(kQ), low12 = set1(0x0fff);
  size_t pos = 0;
  while (count < kN && pos + 32 <= len) {
    V v = _mm256_loadu_si256(reinterpret_cast<const V*>(buf + pos));
    v = _mm256_permute4x64_epi64(v, 0x94);  // 64-bit words 0 1 | 1 2
    v = _mm256_shuffle_epi8(v, gather);
    v = _mm256_and_si256(_mm256_blend_epi16(v, _mm256_srli_epi16(v, 4), 0xaa), low12);
    const V good = _mm256_cmpgt_epi16(q, v);
    const uint32_t bits =
        static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_packs_epi16(good, good)));
    const uint32_t m0 = bits & 0xff, m1 = (bits >> 16) & 0xff;
    const __m128i lo = _mm256_castsi256_si128(v), hi = _mm256_extracti128_si256(v, 1);
    _mm_storeu_si128(
        reinterpret_cast<__m128i*>(out + count),
        _mm_shuffle_epi8(lo,
                         _mm_loadu_si128(reinterpret_cast<const __m128i*>(kCompress.index[m0]))));
    count += kCompress.count[m0];
    _mm_storeu_si128(
        reinterpret_cast<__m128i*>(out + count),
        _mm_shuffle_epi8(hi,
                         _mm_loadu_si128(reinterpret_cast<const __m128i*>(kCompress.index[m1]))));
    count += kCompress.count[m1];
    pos += 24;
  }
  if (count >= kN) return kN;
  return mlkem::rejection_sample(out, count, buf + pos, len - pos);
}

TERN_AVX2 void cbd2(Poly& out, const uint8_t* prf) {
  // Per byte, the 2-bit sums x0 y0 x1 y1; (x | 4) - y per nibble is 4 + x - y without
  // borrows, so each nibble gives a coefficient plus 4. All lane-wise, no secret indices.
  const __m128i m55 = _mm_set1_epi8(0x55), m33 = _mm_set1_epi8(0x33), m0f = _mm_set1_epi8(0x0f);
  const __m128i four = _mm_set1_epi8(0x44);
  for (int g = 0; g < 8; ++g) {
    const __m128i t = _mm_loadu_si128(reinterpret_cast<const __m128i*>(prf + 16 * g));
    const __m128i sums =
        _mm_add_epi8(_mm_and_si128(t, m55), _mm_and_si128(_mm_srli_epi16(t, 1), m55));
    const __m128i x = _mm_and_si128(sums, m33), y = _mm_and_si128(_mm_srli_epi16(sums, 2), m33);
    const __m128i d = _mm_sub_epi8(_mm_or_si128(x, four), y);
    const __m128i lo = _mm_and_si128(d, m0f), hi = _mm_and_si128(_mm_srli_epi16(d, 4), m0f);
    const V c0 = _mm256_cvtepi8_epi16(_mm_unpacklo_epi8(lo, hi));
    const V c1 = _mm256_cvtepi8_epi16(_mm_unpackhi_epi8(lo, hi));
    store(out.c + 32 * g, _mm256_sub_epi16(c0, set1(4)));
    store(out.c + 32 * g + 16, _mm256_sub_epi16(c1, set1(4)));
  }
}

TERN_AVX2 void poly_add(Poly& r, const Poly& a) {
  for (int m = 0; m < 16; ++m) {
    store(r.c + 16 * m, _mm256_add_epi16(load(r.c + 16 * m), load(a.c + 16 * m)));
  }
}

TERN_AVX2 void poly_sub(Poly& r, const Poly& a, const Poly& b) {
  for (int m = 0; m < 16; ++m) {
    store(r.c + 16 * m, _mm256_sub_epi16(load(a.c + 16 * m), load(b.c + 16 * m)));
  }
}

TERN_AVX2 void poly_reduce(Poly& f) {
  for (int m = 0; m < 16; ++m) store(f.c + 16 * m, barrett(load(f.c + 16 * m)));
}

TERN_AVX2 void poly_to_unsigned(Poly& f) {
  for (int m = 0; m < 16; ++m) {
    const V a = barrett(load(f.c + 16 * m));
    store(f.c + 16 * m, _mm256_add_epi16(a, _mm256_and_si256(_mm256_srai_epi16(a, 15), set1(kQ))));
  }
}

TERN_AVX2 void poly_to_montgomery(Poly& f) {
  const V z = set1(kTables.mont_squared), zq = set1(times_qinv(kTables.mont_squared));
  for (int m = 0; m < 16; ++m) store(f.c + 16 * m, fqmul(load(f.c + 16 * m), z, zq));
}

}  // namespace tern::crypto::mlkem::avx2

#else

#include <cstdlib>

// Not x86-64: avx2_supported() is false and these are never called.
namespace tern::crypto::mlkem::avx2 {
void ntt(Poly&) { std::abort(); }
void inv_ntt(Poly&) { std::abort(); }
void dot_ntt(Poly&, const Poly*, const Poly*, int) { std::abort(); }
void poly_add(Poly&, const Poly&) { std::abort(); }
void poly_sub(Poly&, const Poly&, const Poly&) { std::abort(); }
void poly_reduce(Poly&) { std::abort(); }
void poly_to_unsigned(Poly&) { std::abort(); }
void poly_to_montgomery(Poly&) { std::abort(); }
size_t rejection_sample(int16_t*, size_t, const uint8_t*, size_t) { std::abort(); }
void cbd2(Poly&, const uint8_t*) { std::abort(); }
}  // namespace tern::crypto::mlkem::avx2

#endif
