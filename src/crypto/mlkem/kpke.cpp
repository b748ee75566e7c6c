// SPDX-License-Identifier: Apache-2.0
#include "crypto/mlkem/kpke.h"

#include <array>

#include "base/secret.h"
#include "crypto/mlkem/ct.h"
#include "crypto/mlkem/impl.h"
#include "crypto/mlkem/poly.h"
#include "crypto/sha3.h"

namespace tern::crypto::mlkem {
namespace {

using PolyVec = std::array<Poly, kMaxK>;
using Matrix = std::array<PolyVec, kMaxK>;

// A[i][j] = SampleNTT(rho || j || i) (Algorithm 13 step 6), or its transpose
// (Algorithm 14 step 8 uses A^T), sampled in batches for the AVX2 path.
void generate_matrix(Matrix& a, const Params& p, std::span<const uint8_t, kSymBytes> rho,
                     bool transposed) {
  Poly* out[kMaxK * kMaxK];
  uint8_t js[kMaxK * kMaxK], is[kMaxK * kMaxK];
  int n = 0;
  for (int i = 0; i < p.k; ++i) {
    for (int j = 0; j < p.k; ++j, ++n) {
      out[n] = &a[i][j];
      js[n] = static_cast<uint8_t>(transposed ? i : j);
      is[n] = static_cast<uint8_t>(transposed ? j : i);
    }
  }
  sample_ntt_many(out, rho, js, is, n);
}

std::span<const uint8_t, kSymBytes> rho_of(const Params& p, std::span<const uint8_t> ek) {
  return ek.subspan(p.poly_vec_bytes()).first<kSymBytes>();
}

template <typename T>
void wipe(T& value) {
  base::secure_zero(&value, sizeof(value));
}

}  // namespace

void kpke_keygen(const Params& p, std::span<const uint8_t, kSymBytes> d, std::span<uint8_t> ek,
                 std::span<uint8_t> dk, SeedExpansion expansion) {
  // (rho, sigma) = G(d || k)
  std::array<uint8_t, 2 * kSymBytes> rho_sigma;
  const uint8_t k_byte[1] = {static_cast<uint8_t>(p.k)};
  BytesView domain = k_byte;
  if (expansion == SeedExpansion::fips203_ipd) domain = {};
  sha3_512({d, domain}, rho_sigma);
  std::span<const uint8_t, kSymBytes> rho(rho_sigma.data(), kSymBytes);
  std::span<const uint8_t, kSymBytes> sigma(rho_sigma.data() + kSymBytes, kSymBytes);
  // rho is published in ek; only sigma stays secret.
  TERN_MLKEM_DECLASSIFY(rho_sigma.data(), kSymBytes);

  Matrix a;
  generate_matrix(a, p, rho, false);
  PolyVec s, e;
  Poly* noise[2 * kMaxK];
  for (int i = 0; i < p.k; ++i) {
    noise[i] = &s[i];
    noise[p.k + i] = &e[i];
  }
  sample_cbd_many(noise, sigma, 0, 2 * p.k, p.eta1);
  for (int i = 0; i < p.k; ++i) {
    ntt(s[i]);
    ntt(e[i]);
  }
  for (int i = 0; i < p.k; ++i) {
    Poly t;
    dot_ntt(t, a[i].data(), s.data(), p.k);
    poly_to_montgomery(t);
    poly_add(t, e[i]);
    poly_to_unsigned(t);
    encode(ek.subspan(kPolyBytes * i, kPolyBytes), t, 12);
    poly_to_unsigned(s[i]);
    encode(dk.subspan(kPolyBytes * i, kPolyBytes), s[i], 12);
  }
  std::copy(rho.begin(), rho.end(), ek.begin() + static_cast<ptrdiff_t>(p.poly_vec_bytes()));
  wipe(s);
  wipe(e);
  wipe(rho_sigma);
}

void kpke_encrypt(const Params& p, std::span<const uint8_t> ek,
                  std::span<const uint8_t, kSymBytes> m, std::span<const uint8_t, kSymBytes> r,
                  std::span<uint8_t> c) {
  PolyVec t;
  for (int i = 0; i < p.k; ++i) decode(t[i], ek.subspan(kPolyBytes * i, kPolyBytes), 12);
  Matrix at;  // A^T
  generate_matrix(at, p, rho_of(p, ek), true);

  // y (eta1), e1 and e2 (eta2) with nonces 0 .. 2k, in one batch when eta1 = eta2.
  PolyVec y, e1;
  Poly e2;
  Poly* noise[2 * kMaxK + 1];
  for (int i = 0; i < p.k; ++i) {
    noise[i] = &y[i];
    noise[p.k + i] = &e1[i];
  }
  noise[2 * p.k] = &e2;
  if (p.eta1 == p.eta2) {
    sample_cbd_many(noise, r, 0, 2 * p.k + 1, p.eta1);
  } else {
    sample_cbd_many(noise, r, 0, p.k, p.eta1);
    sample_cbd_many(noise + p.k, r, static_cast<uint8_t>(p.k), p.k + 1, p.eta2);
  }
  for (int i = 0; i < p.k; ++i) ntt(y[i]);

  // u = NTT^-1(A^T y) + e1
  const size_t u_bytes = 32 * static_cast<size_t>(p.du);
  for (int i = 0; i < p.k; ++i) {
    Poly u;
    dot_ntt(u, at[i].data(), y.data(), p.k);
    inv_ntt(u);
    poly_add(u, e1[i]);
    poly_to_unsigned(u);
    poly_compress(u, p.du);
    encode(c.subspan(u_bytes * i, u_bytes), u, p.du);
  }

  // v = NTT^-1(t^T y) + e2 + Decompress_1(m)
  Poly mu;
  decode(mu, m, 1);
  poly_decompress(mu, 1);
  Poly v;
  dot_ntt(v, t.data(), y.data(), p.k);
  inv_ntt(v);
  poly_add(v, e2);
  poly_add(v, mu);
  poly_to_unsigned(v);
  poly_compress(v, p.dv);
  encode(c.subspan(p.c1_size(), 32 * static_cast<size_t>(p.dv)), v, p.dv);
  wipe(y);
  wipe(e1);
  wipe(e2);
  wipe(mu);
  wipe(v);
}

void kpke_decrypt(const Params& p, std::span<const uint8_t> dk, std::span<const uint8_t> c,
                  std::span<uint8_t, kSymBytes> m) {
  const size_t u_bytes = 32 * static_cast<size_t>(p.du);
  PolyVec u, s;
  for (int i = 0; i < p.k; ++i) {
    decode(u[i], c.subspan(u_bytes * i, u_bytes), p.du);
    poly_decompress(u[i], p.du);
    ntt(u[i]);
    decode(s[i], dk.subspan(kPolyBytes * i, kPolyBytes), 12);
  }
  Poly v;
  decode(v, c.subspan(p.c1_size(), 32 * static_cast<size_t>(p.dv)), p.dv);
  poly_decompress(v, p.dv);

  // w = v - NTT^-1(s^T NTT(u))
  Poly su;
  dot_ntt(su, s.data(), u.data(), p.k);
  inv_ntt(su);
  Poly w;
  poly_sub(w, v, su);
  poly_to_unsigned(w);
  poly_compress(w, 1);
  encode(m, w, 1);
  wipe(s);
  wipe(su);
  wipe(w);
}

}  // namespace tern::crypto::mlkem
