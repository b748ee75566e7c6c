// SPDX-License-Identifier: Apache-2.0
#include "crypto/mlkem/poly.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <type_traits>

#include "base/secret.h"
#include "crypto/mlkem/impl.h"
#include "crypto/mlkem/ntt_tables.h"
#include "crypto/sha3.h"

namespace tern::crypto::mlkem {
namespace {

void poly_reduce_portable(Poly& f) {
  for (int16_t& x : f.c) x = barrett_reduce(x);
}

void ntt_portable(Poly& f) {
  // Algorithm 9. Each layer grows |f_i| by less than q, so seven layers stay below 8q,
  // inside int16, and one Barrett pass at the end suffices.
  int k = 1;
  for (int len = 128; len >= 2; len >>= 1) {
    for (int start = 0; start < kN; start += 2 * len) {
      const int16_t zeta = kTables.zetas[k++];
      for (int j = start; j < start + len; ++j) {
        int16_t t = fqmul(zeta, f.c[j + len]);
        f.c[j + len] = static_cast<int16_t>(f.c[j] - t);
        f.c[j] = static_cast<int16_t>(f.c[j] + t);
      }
    }
  }
  poly_reduce_portable(f);
}

void inv_ntt_portable(Poly& f) {
  // Algorithm 10. The final multiply by 2^32/128 (in Montgomery form) both divides by 128
  // and cancels the 2^-16 left by dot_ntt.
  int k = 127;
  for (int len = 2; len <= 128; len <<= 1) {
    for (int start = 0; start < kN; start += 2 * len) {
      const int16_t zeta = kTables.zetas[k--];
      for (int j = start; j < start + len; ++j) {
        int16_t t = f.c[j];
        f.c[j] = barrett_reduce(static_cast<int16_t>(t + f.c[j + len]));
        f.c[j + len] = fqmul(zeta, static_cast<int16_t>(f.c[j + len] - t));
      }
    }
  }
  for (int16_t& x : f.c) x = fqmul(x, kTables.inv_ntt_scale);
}

void dot_ntt_portable(Poly& out, const Poly* a, const Poly* b, int k) {
  // Algorithms 11 and 12, summed over the vector. Per term |a0 b0 + a1 b1 gamma| and
  // |a0 b1 + a1 b0| stay below 2 q^2, so four terms fit the Montgomery input bound.
  for (int i = 0; i < kN / 2; ++i) {
    int32_t c0 = 0;
    int32_t c1 = 0;
    for (int v = 0; v < k; ++v) {
      const int32_t a0 = a[v].c[2 * i], a1 = a[v].c[2 * i + 1];
      const int32_t b0 = b[v].c[2 * i], b1 = b[v].c[2 * i + 1];
      // fqmul leaves a1 b1 / 2^16; gamma is stored times 2^16, so the term is a1 b1 gamma.
      const int32_t a1b1 = fqmul(static_cast<int16_t>(a1), static_cast<int16_t>(b1));
      c0 += a0 * b0 + a1b1 * kTables.gammas[i];
      c1 += a0 * b1 + a1 * b0;
    }
    out.c[2 * i] = montgomery_reduce(c0);
    out.c[2 * i + 1] = montgomery_reduce(c1);
  }
}

void poly_add_portable(Poly& r, const Poly& a) {
  for (int i = 0; i < kN; ++i) r.c[i] = static_cast<int16_t>(r.c[i] + a.c[i]);
}

void poly_sub_portable(Poly& r, const Poly& a, const Poly& b) {
  for (int i = 0; i < kN; ++i) r.c[i] = static_cast<int16_t>(a.c[i] - b.c[i]);
}

void poly_to_unsigned_portable(Poly& f) {
  for (int16_t& x : f.c) x = to_unsigned(x);
}

void poly_to_montgomery_portable(Poly& f) {
  for (int16_t& x : f.c) x = fqmul(x, kTables.mont_squared);
}

// The path in use: AVX2 where the CPU has it, unless TERN_MLKEM_PORTABLE=1 says otherwise.
std::atomic<Implementation> g_implementation{[] {
  const char* env = std::getenv("TERN_MLKEM_PORTABLE");
  bool portable = env && env[0] == '1';
  return !portable && avx2_supported() ? Implementation::avx2 : Implementation::portable;
}()};

bool use_avx2() { return g_implementation.load(std::memory_order_relaxed) == Implementation::avx2; }

}  // namespace

const char* implementation_name(Implementation i) {
  return i == Implementation::avx2 ? "avx2" : "portable";
}

bool avx2_supported() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();  // may run from a static initialiser, before libgcc's own
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

bool set_implementation(Implementation i) {
  if (i == Implementation::avx2 && !avx2_supported()) return false;
  g_implementation.store(i, std::memory_order_relaxed);
  return true;
}

Implementation implementation() { return g_implementation.load(std::memory_order_relaxed); }

void ntt(Poly& f) { use_avx2() ? avx2::ntt(f) : ntt_portable(f); }
void inv_ntt(Poly& f) { use_avx2() ? avx2::inv_ntt(f) : inv_ntt_portable(f); }
void dot_ntt(Poly& out, const Poly* a, const Poly* b, int k) {
  use_avx2() ? avx2::dot_ntt(out, a, b, k) : dot_ntt_portable(out, a, b, k);
}
void poly_add(Poly& r, const Poly& a) {
  use_avx2() ? avx2::poly_add(r, a) : poly_add_portable(r, a);
}
void poly_sub(Poly& r, const Poly& a, const Poly& b) {
  use_avx2() ? avx2::poly_sub(r, a, b) : poly_sub_portable(r, a, b);
}
void poly_reduce(Poly& f) { use_avx2() ? avx2::poly_reduce(f) : poly_reduce_portable(f); }
void poly_to_unsigned(Poly& f) {
  use_avx2() ? avx2::poly_to_unsigned(f) : poly_to_unsigned_portable(f);
}
void poly_to_montgomery(Poly& f) {
  use_avx2() ? avx2::poly_to_montgomery(f) : poly_to_montgomery_portable(f);
}

void sample_ntt(Poly& out, std::span<const uint8_t, kSymBytes> rho, uint8_t j, uint8_t i) {
  sample_ntt_portable(out, rho, j, i);
}

void sample_cbd(Poly& out, std::span<const uint8_t, kSymBytes> seed, uint8_t nonce, int eta) {
  sample_cbd_portable(out, seed, nonce, eta);
}

void sample_ntt_many(Poly* const* out, std::span<const uint8_t, kSymBytes> rho, const uint8_t* j,
                     const uint8_t* i, int count) {
  int n = 0;
  if (use_avx2()) {
    // Four streams at once, a batch of fewer padded with repeats. An entry that needs more
    // than three blocks (about 1 in 100; the matrix is public) is redone on its own.
    for (; n < count; n += 4) {
      alignas(32) uint8_t seeds[4][kSymBytes + 2];
      alignas(32) uint8_t buf[4][3 * kShake128Rate];
      const uint8_t* ins[4];
      uint8_t* outs[4];
      for (int e = 0; e < 4; ++e) {
        const int src = std::min(n + e, count - 1);
        std::copy(rho.begin(), rho.end(), seeds[e]);
        seeds[e][kSymBytes] = j[src];
        seeds[e][kSymBytes + 1] = i[src];
        ins[e] = seeds[e];
        outs[e] = buf[e];
      }
      avx2::shake_x4(kShake128Rate, ins, kSymBytes + 2, outs, 3);
      for (int e = 0; e < 4 && n + e < count; ++e) {
        int16_t coeffs[kN + 16];
        if (avx2::rejection_sample(coeffs, 0, buf[e], sizeof buf[e]) == kN) {
          std::copy(coeffs, coeffs + kN, out[n + e]->c);
        } else {
          sample_ntt_portable(*out[n + e], rho, j[n + e], i[n + e]);
        }
      }
    }
  }
  for (; n < count; ++n) sample_ntt_portable(*out[n], rho, j[n], i[n]);
}

void sample_cbd_many(Poly* const* out, std::span<const uint8_t, kSymBytes> seed,
                     uint8_t first_nonce, int count, int eta) {
  int n = 0;
  if (use_avx2()) {
    // PRF_eta gives 64 eta bytes: one SHAKE256 block for eta = 2, two for eta = 3.
    const size_t blocks = eta == 2 ? 1 : 2;
    for (; n < count; n += 4) {
      alignas(32) uint8_t seeds[4][kSymBytes + 1];
      alignas(32) uint8_t buf[4][2 * kShake256Rate];
      const uint8_t* ins[4];
      uint8_t* outs[4];
      for (int e = 0; e < 4; ++e) {
        std::copy(seed.begin(), seed.end(), seeds[e]);
        seeds[e][kSymBytes] = static_cast<uint8_t>(first_nonce + std::min(n + e, count - 1));
        ins[e] = seeds[e];
        outs[e] = buf[e];
      }
      avx2::shake_x4(kShake256Rate, ins, kSymBytes + 1, outs, blocks);
      for (int e = 0; e < 4 && n + e < count; ++e) {
        eta == 2 ? avx2::cbd2(*out[n + e], buf[e]) : cbd_from_bytes(*out[n + e], buf[e], eta);
      }
      base::secure_zero(seeds, sizeof seeds);
      base::secure_zero(buf, sizeof buf);
    }
  }
  for (; n < count; ++n) {
    sample_cbd_portable(*out[n], seed, static_cast<uint8_t>(first_nonce + n), eta);
  }
}

namespace {

// ByteEncode_d / ByteDecode_d eight coefficients (d bytes) at a time. With D fixed the
// bit bookkeeping folds away at compile time; D = 0 takes d at run time.
template <int D>
void encode_bits(std::span<uint8_t> out, const Poly& f, int run_time_d = D) {
  const int d = D != 0 ? D : run_time_d;
  uint8_t* o = out.data();
  for (int g = 0; g < kN / 8; ++g) {
    uint64_t acc = 0;
    int bits = 0;
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
      acc |= static_cast<uint64_t>(static_cast<uint16_t>(f.c[8 * g + i])) << bits;
      bits += d;
      while (bits >= 8) {
        *o++ = static_cast<uint8_t>(acc);
        acc >>= 8;
        bits -= 8;
      }
    }
  }
}

template <int D>
void decode_bits(Poly& f, std::span<const uint8_t> in, int run_time_d = D) {
  const int d = D != 0 ? D : run_time_d;
  const uint8_t* p = in.data();
  const uint32_t mask = (1u << d) - 1;
  for (int g = 0; g < kN / 8; ++g) {
    uint64_t acc = 0;
    int bits = 0;
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
      while (bits < d) {
        acc |= static_cast<uint64_t>(*p++) << bits;
        bits += 8;
      }
      f.c[8 * g + i] = static_cast<int16_t>(acc & mask);
      acc >>= d;
      bits -= d;
    }
  }
}

// Runs fn with the width as a compile-time constant for the widths ML-KEM uses (d_u, d_v
// and the message bit), or as 0 (taken at run time) for any other.
template <class Fn>
void with_width(int d, Fn&& fn) {
  switch (d) {
    case 1: return fn(std::integral_constant<int, 1>{});
    case 4: return fn(std::integral_constant<int, 4>{});
    case 5: return fn(std::integral_constant<int, 5>{});
    case 10: return fn(std::integral_constant<int, 10>{});
    case 11: return fn(std::integral_constant<int, 11>{});
  }
  fn(std::integral_constant<int, 0>{});
}

}  // namespace

void encode(std::span<uint8_t> out, const Poly& f, int d) {
  if (d == 12) {  // keys: two coefficients per three bytes, the hot case
    for (int i = 0; i < kN / 2; ++i) {
      const auto a = static_cast<uint16_t>(f.c[2 * i]);
      const auto b = static_cast<uint16_t>(f.c[2 * i + 1]);
      out[3 * i] = static_cast<uint8_t>(a);
      out[3 * i + 1] = static_cast<uint8_t>((a >> 8) | (b << 4));
      out[3 * i + 2] = static_cast<uint8_t>(b >> 4);
    }
    return;
  }
  with_width(d, [&](auto width) { encode_bits<decltype(width)::value>(out, f, d); });
}

void decode(Poly& f, std::span<const uint8_t> in, int d) {
  if (d == 12) {  // reduced mod q as ByteDecode_12 requires, without a branch
    for (int i = 0; i < kN / 2; ++i) {
      const uint8_t* p = &in[3 * static_cast<size_t>(i)];
      auto a = static_cast<int16_t>(p[0] | ((p[1] & 0x0f) << 8));
      auto b = static_cast<int16_t>((p[1] >> 4) | (p[2] << 4));
      a = static_cast<int16_t>(a - kQ);
      b = static_cast<int16_t>(b - kQ);
      f.c[2 * i] = static_cast<int16_t>(a + ((a >> 15) & kQ));
      f.c[2 * i + 1] = static_cast<int16_t>(b + ((b >> 15) & kQ));
    }
    return;
  }
  with_width(d, [&](auto width) { decode_bits<decltype(width)::value>(f, in, d); });
}

bool coefficients_reduced(std::span<const uint8_t> in) {
  // Public data (an encapsulation key), so an early exit is fine.
  for (size_t p = 0; p + 3 <= in.size(); p += 3) {
    uint16_t x0 = static_cast<uint16_t>(in[p] | ((in[p + 1] & 0x0f) << 8));
    uint16_t x1 = static_cast<uint16_t>((in[p + 1] >> 4) | (in[p + 2] << 4));
    if (x0 >= kQ || x1 >= kQ) return false;
  }
  return true;
}

void poly_compress(Poly& f, int d) {
  for (int16_t& x : f.c) x = static_cast<int16_t>(compress(static_cast<uint16_t>(x), d));
}

void poly_decompress(Poly& f, int d) {
  for (int16_t& x : f.c) x = static_cast<int16_t>(decompress(static_cast<uint16_t>(x), d));
}

}  // namespace tern::crypto::mlkem
