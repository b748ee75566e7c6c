// SPDX-License-Identifier: Apache-2.0
// ECDSA P-256 verification: u1·G + u2·Q by Straus's interleaving (one chain of doublings
// for both), G's multiples from the precomputed table with a width-10 NAF, Q's computed per
// call with a width-5 NAF. No field inversion: x(R) = X/Z^2 is compared with r as
// X == r·Z^2, and with r + n as well when r + n < p (x(R) mod n == r).
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "crypto/cpu.h"
#include "crypto/p256/field_adx.h"
#include "crypto/p256/impl.h"
#include "crypto/p256/p256.h"
#include "crypto/p256/scalar.h"

namespace tern::crypto::p256 {
namespace {

constexpr int kKeyWindow = 5;
constexpr int kKeyTableSize = 1 << (kKeyWindow - 2);  // Q, 3Q, ..., 15Q

// TERN_P256_IMPL=portable forces the portable path; =adx the ADX path where CPUID shows
// ADX, and under valgrind, which hides the bit (see crypto/cpu.h).
std::atomic<Implementation> g_implementation{[] {
  const char* env = std::getenv("TERN_P256_IMPL");
  if (env && std::strcmp(env, "portable") == 0) return Implementation::portable;
  if (env && std::strcmp(env, "adx") == 0 && cpu_under_valgrind()) return Implementation::adx;
  return adx_supported() ? Implementation::adx : Implementation::portable;
}()};

Fe to_montgomery(const uint64_t plain[4]) {
  Fe a{{plain[0], plain[1], plain[2], plain[3]}}, r;
  fe_mul_portable(r, a, kRR);
  return r;
}

template <class C>
bool verify_with(const Scalar& u1, const Scalar& u2, const Scalar& r, const PublicPoint& key) {
  int16_t naf_g[257], naf_q[257];
  const int len_g = wnaf(naf_g, u1.v, kGeneratorWindow);
  const int len_q = wnaf(naf_q, u2.v, kKeyWindow);

  // Q's odd multiples, Jacobian (converting them to affine would cost an inversion), with
  // their Z^2 and Z^3 kept for the many additions.
  // 3Q = 2Q + Q with Q affine, then each next one plus 2Q (cached).
  const Affine q{key.x, key.y};
  Jacobian q_odd{key.x, key.y, kOne}, q2;
  Cached q_table[kKeyTableSize];
  q_table[0] = Cached{key.x, key.y, kOne, kOne, kOne};
  C::dbl(q2, q_odd);
  const Cached q2_cached = C::cache(q2);
  C::add_affine(q_odd, q2, q, false);
  q_table[1] = C::cache(q_odd);
  for (int i = 2; i < kKeyTableSize; ++i) {
    C::add_cached(q_odd, q_odd, q2_cached, false);
    q_table[i] = C::cache(q_odd);
  }

  const Affine* g_table = generator_table();
  Jacobian acc{};
  for (int i = (len_g > len_q ? len_g : len_q) - 1; i >= 0; --i) {
    if (!C::is_infinity(acc)) C::dbl(acc, acc);
    if (i < len_q && naf_q[i]) {
      const int d = naf_q[i];
      C::add_cached(acc, acc, q_table[(d < 0 ? -d : d) >> 1], d < 0);
    }
    if (i < len_g && naf_g[i]) {
      const int d = naf_g[i];
      C::add_affine(acc, acc, g_table[(d < 0 ? -d : d) >> 1], d < 0);
    }
  }
  if (C::is_infinity(acc)) return false;

  // x(R) mod n == r, with x(R) = X/Z^2 in [0, p): x(R) is r or, if r + n < p, r + n.
  Fe zz, candidate, rz;
  C::sqr(zz, acc.z);
  candidate = to_montgomery(r.v);
  C::mul(rz, candidate, zz);
  if (fe_equal(rz, acc.x)) return true;
  uint64_t r_plus_n[4];
  if (add256(r_plus_n, r.v, kN.v) || !less256(r_plus_n, kP.v)) return false;
  candidate = to_montgomery(r_plus_n);
  C::mul(rz, candidate, zz);
  return fe_equal(rz, acc.x);
}

using PortableCurve = Curve<fe_mul_portable, fe_sqr_portable>;
#if defined(TERN_P256_HAVE_ADX_ASM)
using AdxCurve = Curve<fe_mul_adx_inline, fe_sqr_adx_inline>;  // inlined (field_adx.h)
#else
using AdxCurve = Curve<fe_mul_adx, fe_sqr_adx>;
#endif

bool is_zero(const Scalar& a) { return (a.v[0] | a.v[1] | a.v[2] | a.v[3]) == 0; }

// One DER INTEGER (short-form length, positive, minimal) into 32 big-endian bytes.
bool parse_der_integer(std::span<const uint8_t>& in, uint8_t out[32]) {
  if (in.size() < 2 || in[0] != 0x02) return false;
  const size_t len = in[1];
  if (len == 0 || len > 33 || in.size() < 2 + len) return false;
  std::span<const uint8_t> value = in.subspan(2, len);
  in = in.subspan(2 + len);
  if (value[0] & 0x80) return false;  // negative
  if (value[0] == 0 && len > 1) {
    if (!(value[1] & 0x80)) return false;  // a zero byte that is not needed for the sign
    value = value.subspan(1);
  }
  if (value.size() > 32) return false;
  std::memset(out, 0, 32);
  std::memcpy(out + 32 - value.size(), value.data(), value.size());
  return true;
}

}  // namespace

const char* implementation_name(Implementation i) {
  return i == Implementation::adx ? "adx" : "portable";
}

bool adx_supported() { return cpu_has_bmi2_adx(); }

bool set_implementation(Implementation i) {
  if (i == Implementation::adx && !adx_supported()) return false;
  g_implementation.store(i, std::memory_order_relaxed);
  return true;
}

void force_adx_for_valgrind() {
  g_implementation.store(Implementation::adx, std::memory_order_relaxed);
}

Implementation implementation() { return g_implementation.load(std::memory_order_relaxed); }

int wnaf(int16_t digits[257], const uint64_t k[4], int w) {
  // k in five limbs: subtracting a negative digit can carry into bit 256.
  uint64_t x[5] = {k[0], k[1], k[2], k[3], 0};
  const int window = 1 << w;
  int len = 0;
  auto shift_right = [&x](int n) {  // 0 < n < 64
    for (int i = 0; i < 4; ++i) x[i] = (x[i] >> n) | (x[i + 1] << (64 - n));
    x[4] >>= n;
  };
  std::fill_n(digits, 257, int16_t{0});
  int pos = 0;
  while ((x[0] | x[1] | x[2] | x[3] | x[4]) != 0) {
    if (!(x[0] & 1)) {  // up to the next set bit, at most 63 at a time
      const int zeros = x[0] ? __builtin_ctzll(x[0]) : 63;
      shift_right(zeros);
      pos += zeros;
      continue;
    }
    int d = static_cast<int>(x[0] & static_cast<uint64_t>(window - 1));
    if (d >= window / 2) d -= window;
    // x -= d, leaving the low w bits zero: the next w - 1 digits are zero.
    if (d > 0) {
      x[0] -= static_cast<uint64_t>(d);  // no borrow: d is x's low bits
    } else {
      uint64_t add = static_cast<uint64_t>(-d);
      for (int i = 0; i < 5 && add; ++i) {
        x[i] += add;
        add = x[i] < add ? 1 : 0;
      }
    }
    digits[pos] = static_cast<int16_t>(d);
    len = pos + 1;
    shift_right(w);
    pos += w;
  }
  return len;
}

std::optional<PublicPoint> parse_uncompressed_point(std::span<const uint8_t> in) {
  if (in.size() != 65 || in[0] != 0x04) return std::nullopt;
  uint64_t x[4], y[4];
  limbs_from_be(x, in.data() + 1);
  limbs_from_be(y, in.data() + 33);
  if (!less256(x, kP.v) || !less256(y, kP.v)) return std::nullopt;
  PublicPoint p{to_montgomery(x), to_montgomery(y)};
  // y^2 == x^3 - 3x + b. (0, 0) is not on the curve (b != 0), so infinity cannot pass.
  Fe lhs, rhs, t;
  fe_mul_portable(lhs, p.y, p.y);
  fe_mul_portable(t, p.x, p.x);
  fe_mul_portable(rhs, t, p.x);
  fe_add(t, p.x, p.x);
  fe_add(t, t, p.x);
  fe_sub(rhs, rhs, t);
  fe_add(rhs, rhs, kB);
  if (!fe_equal(lhs, rhs)) return std::nullopt;
  return p;
}

bool parse_der_signature(std::span<const uint8_t> der, std::span<uint8_t, 64> rs_raw) {
  // A P-256 signature is at most 2 + 2·35 = 72 bytes, so only the short length form can be
  // minimal.
  if (der.size() < 2 || der[0] != 0x30 || der[1] >= 0x80 || der.size() != 2u + der[1]) {
    return false;
  }
  std::span<const uint8_t> body = der.subspan(2);
  return parse_der_integer(body, rs_raw.data()) && parse_der_integer(body, rs_raw.data() + 32) &&
         body.empty();
}

bool verify_digest(std::span<const uint8_t> digest, std::span<const uint8_t, 64> rs_raw,
                   const PublicPoint& key) {
  Scalar r, s, e;
  limbs_from_be(r.v, rs_raw.data());
  limbs_from_be(s.v, rs_raw.data() + 32);
  if (is_zero(r) || is_zero(s) || !less256(r.v, kN.v) || !less256(s.v, kN.v)) return false;
  // e: the digest's leftmost 256 bits as an integer (all of it when shorter), mod n.
  uint8_t e_bytes[32] = {};
  const size_t used = digest.size() < 32 ? digest.size() : 32;
  if (used) std::memcpy(e_bytes + 32 - used, digest.data(), used);  // data() may be null
  limbs_from_be(e.v, e_bytes);
  e = scalar_reduce(e);

  // w = s^-1; in Montgomery form so that multiplying a plain value by it gives plain
  // u1 = e·w and u2 = r·w.
  const Scalar w = scalar_inverse(s);
  Scalar w_m, u1, u2;
  scalar_mul(w_m, w, kNRR);
  scalar_mul(u1, e, w_m);
  scalar_mul(u2, r, w_m);
  return implementation() == Implementation::adx ? verify_with<AdxCurve>(u1, u2, r, key)
                                                 : verify_with<PortableCurve>(u1, u2, r, key);
}

}  // namespace tern::crypto::p256
