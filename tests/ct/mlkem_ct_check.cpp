// SPDX-License-Identifier: Apache-2.0
// Constant-time check for ML-KEM, run under valgrind's memcheck by
// tests/ct/mlkem_constant_time.sh. Every secret input (d, z, m, the secret parts of dk)
// is marked undefined, so memcheck reports any branch or memory index that depends on
// it. Values FIPS 203 makes public (ek, ciphertexts) are marked defined again before they
// are used as public inputs; the library itself declassifies only rho. Exits non-zero on
// a wrong answer; valgrind's --error-exitcode catches the rest.
#include <valgrind/memcheck.h>

#include <cstdio>
#include <cstdlib>

#include "crypto/mlkem/impl.h"
#include "crypto/mlkem/mlkem.h"

namespace {

using namespace tern;
using namespace tern::crypto::mlkem;

void secret(const void* p, size_t n) { (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n); }
void declassify(const void* p, size_t n) { (void)VALGRIND_MAKE_MEM_DEFINED(p, n); }

bool run(Variant v) {
  uint8_t d[32], z[32], m[32];
  for (int i = 0; i < 32; ++i) {
    d[i] = static_cast<uint8_t>(i * 7 + 1);
    z[i] = static_cast<uint8_t>(i * 11 + 2);
    m[i] = static_cast<uint8_t>(i * 13 + 3);
  }
  secret(d, sizeof d);
  secret(z, sizeof z);
  secret(m, sizeof m);

  auto kp = keygen_internal(v, d, z);
  if (!kp.ok()) return false;
  declassify(kp->encapsulation_key.data(), kp->encapsulation_key.size());

  auto enc = encaps_internal(v, kp->encapsulation_key, m);
  if (!enc.ok()) return false;
  declassify(enc->ciphertext.data(), enc->ciphertext.size());

  // dk = dk_pke || ek || H(ek) || z: the first and last parts are secret.
  base::SecretBytes& dk = kp->decapsulation_key;
  const size_t pke = dk.size() - 2 * 32 - kp->encapsulation_key.size();
  declassify(dk.data(), dk.size());
  secret(dk.data(), pke);
  secret(dk.data() + dk.size() - 32, 32);

  auto good = decaps(v, dk.view(), enc->ciphertext);
  Bytes tampered = enc->ciphertext;
  tampered[tampered.size() / 2] ^= 0x01;  // implicit rejection path
  auto rejected = decaps(v, dk.view(), tampered);
  if (!good.ok() || !rejected.ok()) return false;

  // Only now look at the secrets, to check the answers.
  declassify(good->data(), good->size());
  declassify(rejected->data(), rejected->size());
  declassify(enc->shared_secret.data(), enc->shared_secret.size());
  return equal(good->view(), enc->shared_secret.view()) &&
         !equal(rejected->view(), enc->shared_secret.view());
}

}  // namespace

int main() {
  // Both implementations: valgrind emulates AVX2 when the host has it.
  const Variant variants[] = {Variant::ml_kem_512, Variant::ml_kem_768, Variant::ml_kem_1024};
  for (Implementation impl : {Implementation::portable, Implementation::avx2}) {
    if (!set_implementation(impl)) {
      std::printf("%s: not supported by this CPU, skipped\n", implementation_name(impl));
      continue;
    }
    for (Variant v : variants) {
      if (!run(v)) {
        std::fprintf(stderr, "%s %s: wrong result\n", implementation_name(impl), variant_name(v));
        return 2;
      }
      std::printf("%s %s: ok\n", implementation_name(impl), variant_name(v));
    }
  }
  return 0;
}
