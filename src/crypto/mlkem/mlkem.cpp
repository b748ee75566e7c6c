// SPDX-License-Identifier: Apache-2.0
#include "crypto/mlkem/mlkem.h"

#include <openssl/rand.h>

#include <array>
#include <string>

#include "crypto/mlkem/ct.h"
#include "crypto/mlkem/kpke.h"
#include "crypto/mlkem/params.h"
#include "crypto/mlkem/poly.h"
#include "crypto/sha3.h"

namespace tern::crypto::mlkem {
namespace {

const Params& params(Variant v) {
  switch (v) {
    case Variant::ml_kem_512:
      return kMlKem512;
    case Variant::ml_kem_768:
      return kMlKem768;
    case Variant::ml_kem_1024:
      break;
  }
  return kMlKem1024;
}

Error length_error(Variant v, const char* what, size_t expected, size_t found,
                   Errc code = Errc::decode) {
  return Error(code,
               std::string(variant_name(v)) + " " + what + " must be " +
                   std::to_string(expected) + " bytes, found " + std::to_string(found),
               code == Errc::decode ? Alert::illegal_parameter : Alert::none);
}

Result<base::SecretBytes> random_bytes(size_t n) {
  base::SecretBytes out(n);
  if (RAND_priv_bytes(out.data(), static_cast<int>(n)) != 1) {
    return Error(Errc::internal, "the random number generator failed");
  }
  return out;
}

constexpr size_t kMaxCiphertextSize = 1568;
static_assert(kMlKem1024.ciphertext_size() == kMaxCiphertextSize);

std::span<const uint8_t, kSymBytes> seed(BytesView b) { return b.first<kSymBytes>(); }

}  // namespace

const char* variant_name(Variant v) {
  switch (v) {
    case Variant::ml_kem_512:
      return "ML-KEM-512";
    case Variant::ml_kem_768:
      return "ML-KEM-768";
    case Variant::ml_kem_1024:
      break;
  }
  return "ML-KEM-1024";
}

size_t encapsulation_key_size(Variant v) { return params(v).encapsulation_key_size(); }
size_t decapsulation_key_size(Variant v) { return params(v).decapsulation_key_size(); }
size_t ciphertext_size(Variant v) { return params(v).ciphertext_size(); }

namespace {

Result<KeyPair> keygen_with(Variant v, BytesView d, BytesView z, SeedExpansion expansion) {
  if (d.size() != kSeedSize) return length_error(v, "seed d", kSeedSize, d.size(), Errc::usage);
  if (z.size() != kSeedSize) return length_error(v, "seed z", kSeedSize, z.size(), Errc::usage);
  const Params& p = params(v);
  KeyPair kp;
  kp.encapsulation_key.resize(p.encapsulation_key_size());
  kp.decapsulation_key.resize(p.decapsulation_key_size());
  // dk = dk_pke || ek || H(ek) || z
  std::span<uint8_t> dk = kp.decapsulation_key.span();
  kpke_keygen(p, seed(d), kp.encapsulation_key, dk.first(p.poly_vec_bytes()), expansion);
  std::span<uint8_t> ek_copy = dk.subspan(p.poly_vec_bytes(), p.encapsulation_key_size());
  std::copy(kp.encapsulation_key.begin(), kp.encapsulation_key.end(), ek_copy.begin());
  std::span<uint8_t> h = dk.subspan(p.poly_vec_bytes() + p.encapsulation_key_size(), kSymBytes);
  sha3_256({kp.encapsulation_key}, h.first<kSymBytes>());
  std::copy(z.begin(), z.end(), h.end());
  return kp;
}

}  // namespace

Result<KeyPair> keygen_internal(Variant v, BytesView d, BytesView z) {
  return keygen_with(v, d, z, SeedExpansion::fips203);
}

Result<KeyPair> keygen_internal_ipd(Variant v, BytesView d, BytesView z) {
  return keygen_with(v, d, z, SeedExpansion::fips203_ipd);
}

Result<KeyPair> keygen(Variant v) {
  TERN_TRY(auto seeds, random_bytes(2 * kSeedSize));
  return keygen_internal(v, seeds.view().first(kSeedSize), seeds.view().subspan(kSeedSize));
}

Result<void> check_encapsulation_key(Variant v, BytesView ek) {
  const Params& p = params(v);
  if (ek.size() != p.encapsulation_key_size()) {
    return length_error(v, "encapsulation key", p.encapsulation_key_size(), ek.size());
  }
  if (!coefficients_reduced(ek.first(p.poly_vec_bytes()))) {
    return Error(Errc::decode,
                 std::string(variant_name(v)) +
                     " encapsulation key fails the modulus check: a coefficient is not "
                     "reduced mod q (FIPS 203 section 7.2)",
                 Alert::illegal_parameter);
  }
  return {};
}

Result<void> check_decapsulation_key(Variant v, BytesView dk) {
  const Params& p = params(v);
  if (dk.size() != p.decapsulation_key_size()) {
    return length_error(v, "decapsulation key", p.decapsulation_key_size(), dk.size(),
                        Errc::usage);
  }
  // The hash check covers the public part (ek and H(ek)) only, so it may branch.
  std::array<uint8_t, kSymBytes> h;
  BytesView ek = dk.subspan(p.poly_vec_bytes(), p.encapsulation_key_size());
  sha3_256({ek}, h);
  if (!equal(h, dk.subspan(p.poly_vec_bytes() + p.encapsulation_key_size(), kSymBytes))) {
    return Error(Errc::usage, std::string(variant_name(v)) +
                                  " decapsulation key fails the hash check: H(ek) does not "
                                  "match the stored hash (FIPS 203 section 7.3)");
  }
  return {};
}

Result<Encapsulation> encaps_internal(Variant v, BytesView ek, BytesView m) {
  if (m.size() != kSeedSize) return length_error(v, "message m", kSeedSize, m.size(), Errc::usage);
  TERN_CHECK(check_encapsulation_key(v, ek));
  const Params& p = params(v);
  // (K, r) = G(m || H(ek))
  std::array<uint8_t, kSymBytes> h;
  sha3_256({ek}, h);
  std::array<uint8_t, 2 * kSymBytes> k_r;
  sha3_512({m, h}, k_r);
  Encapsulation out;
  out.ciphertext.resize(p.ciphertext_size());
  kpke_encrypt(p, ek, seed(m), seed(BytesView(k_r).subspan(kSymBytes)), out.ciphertext);
  out.shared_secret = base::SecretBytes(BytesView(k_r).first(kSymBytes));
  base::secure_zero(k_r.data(), k_r.size());
  return out;
}

Result<Encapsulation> encaps(Variant v, BytesView ek) {
  TERN_TRY(auto m, random_bytes(kSeedSize));
  return encaps_internal(v, ek, m.view());
}

Result<base::SecretBytes> decaps(Variant v, BytesView dk, BytesView c) {
  const Params& p = params(v);
  if (c.size() != p.ciphertext_size()) {
    return length_error(v, "ciphertext", p.ciphertext_size(), c.size());
  }
  TERN_CHECK(check_decapsulation_key(v, dk));
  BytesView dk_pke = dk.first(p.poly_vec_bytes());
  BytesView ek_pke = dk.subspan(p.poly_vec_bytes(), p.encapsulation_key_size());
  BytesView h = dk.subspan(p.poly_vec_bytes() + p.encapsulation_key_size(), kSymBytes);
  BytesView z = dk.subspan(p.poly_vec_bytes() + p.encapsulation_key_size() + kSymBytes);

  // Stack buffers (the largest ciphertext is ML-KEM-1024's), wiped before returning.
  std::array<uint8_t, kSymBytes> m;
  kpke_decrypt(p, dk_pke, c, m);
  std::array<uint8_t, 2 * kSymBytes> k_r;  // (K', r') = G(m' || h)
  sha3_512({m, h}, k_r);
  std::array<uint8_t, kSymBytes> k_bar;  // J(z || c)
  shake256({z, c}, k_bar);
  std::array<uint8_t, kMaxCiphertextSize> c_prime;
  kpke_encrypt(p, ek_pke, m, seed(BytesView(k_r).subspan(kSymBytes)),
               std::span<uint8_t>(c_prime).first(c.size()));

  // Implicit rejection: K' if the re-encryption matches, else K-bar, chosen without a
  // branch and after comparing every byte.
  uint8_t same = equal_mask(c.data(), c_prime.data(), c.size());
  base::SecretBytes shared(kSymBytes);
  select(shared.data(), k_r.data(), k_bar.data(), kSymBytes, same);
  base::secure_zero(m.data(), m.size());
  base::secure_zero(k_r.data(), k_r.size());
  base::secure_zero(k_bar.data(), k_bar.size());
  base::secure_zero(c_prime.data(), c.size());
  return shared;
}

}  // namespace tern::crypto::mlkem
