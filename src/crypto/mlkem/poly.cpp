#include "crypto/mlkem/poly.h"

namespace tern::crypto::mlkem {
namespace {

constexpr int bit_reverse7(int i) {
  int r = 0;
  for (int b = 0; b < 7; ++b) r |= ((i >> b) & 1) << (6 - b);
  return r;
}

constexpr int32_t pow_mod(int32_t base, int exponent) {
  int64_t result = 1;
  for (int e = 0; e < exponent; ++e) result = result * base % kQ;
  return static_cast<int32_t>(result);
}

constexpr int16_t centred(int32_t x) {
  x %= kQ;
  if (x < 0) x += kQ;
  return static_cast<int16_t>(x > kQ / 2 ? x - kQ : x);
}

constexpr int32_t kMont = (1 << 16) % kQ;  // 2^16 mod q

struct Tables {
  int16_t zetas[128] = {};   // 17^BitRev7(i) * 2^16 mod q (Montgomery form)
  int16_t gammas[128] = {};  // 17^(2 BitRev7(i) + 1) * 2^16 mod q, for BaseCaseMultiply
  int16_t inv_ntt_scale = 0;  // 2^32 / 128 mod q: see inv_ntt
  int16_t mont_squared = 0;   // 2^32 mod q
};

constexpr Tables make_tables() {
  Tables t;
  for (int i = 0; i < 128; ++i) {
    t.zetas[i] = centred(pow_mod(17, bit_reverse7(i)) * kMont);
    t.gammas[i] = centred(pow_mod(17, 2 * bit_reverse7(i) + 1) * kMont);
  }
  constexpr int32_t kInv128 = 3303;  // 128 * 3303 = 1 mod q
  static_assert(128 * kInv128 % kQ == 1);
  t.mont_squared = centred(kMont * kMont);
  t.inv_ntt_scale = centred(kMont * kMont % kQ * kInv128);
  return t;
}

constexpr Tables kTables = make_tables();
static_assert(kTables.zetas[0] == centred(kMont));  // 17^0 = 1
static_assert(kTables.gammas[0] == centred(17 * kMont));

}  // namespace

void ntt(Poly& f) {
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
  poly_reduce(f);
}

void inv_ntt(Poly& f) {
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

void dot_ntt(Poly& out, const Poly* a, const Poly* b, int k) {
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

void poly_add(Poly& r, const Poly& a) {
  for (int i = 0; i < kN; ++i) r.c[i] = static_cast<int16_t>(r.c[i] + a.c[i]);
}

void poly_sub(Poly& r, const Poly& a, const Poly& b) {
  for (int i = 0; i < kN; ++i) r.c[i] = static_cast<int16_t>(a.c[i] - b.c[i]);
}

void poly_reduce(Poly& f) {
  for (int16_t& x : f.c) x = barrett_reduce(x);
}

void poly_to_unsigned(Poly& f) {
  for (int16_t& x : f.c) x = to_unsigned(x);
}

void poly_to_montgomery(Poly& f) {
  for (int16_t& x : f.c) x = fqmul(x, kTables.mont_squared);
}

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
  uint64_t acc = 0;
  int bits = 0;
  size_t o = 0;
  for (int i = 0; i < kN; ++i) {
    acc |= static_cast<uint64_t>(static_cast<uint16_t>(f.c[i])) << bits;
    bits += d;
    while (bits >= 8) {
      out[o++] = static_cast<uint8_t>(acc);
      acc >>= 8;
      bits -= 8;
    }
  }
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
  uint64_t acc = 0;
  int bits = 0;
  size_t pos = 0;
  const uint32_t mask = (1u << d) - 1;
  for (int i = 0; i < kN; ++i) {
    while (bits < d) {
      acc |= static_cast<uint64_t>(in[pos++]) << bits;
      bits += 8;
    }
    f.c[i] = static_cast<int16_t>(acc & mask);
    acc >>= d;
    bits -= d;
  }
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
