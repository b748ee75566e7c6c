// SPDX-License-Identifier: Apache-2.0
// ML-KEM on arbitrary input: encapsulation keys (length and modulus checks, then a full
// encapsulation), decapsulation keys and ciphertexts of any length. Nothing may crash,
// and a decapsulation that is accepted must give 32 bytes; a round trip with a key made
// from the input's first 64 bytes must agree, and the portable and AVX2 paths (where the
// CPU has AVX2) must give the same keys, ciphertexts and secrets.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "crypto/mlkem/impl.h"
#include "crypto/mlkem/mlkem.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern::crypto::mlkem;
  if (size < 1) return 0;
  const Variant v = static_cast<Variant>(data[0] % 3);
  tern::BytesView input(data + 1, size - 1);

  // Input as an encapsulation key.
  static const uint8_t kM[32] = {1};
  auto enc = encaps_internal(v, input, kM);
  if (enc.ok() && enc->ciphertext.size() != ciphertext_size(v)) std::abort();

  // Input as seeds plus a ciphertext for a fresh key.
  if (input.size() >= 64) {
    auto kp = keygen_internal(v, input.first(32), input.subspan(32, 32));
    if (!kp.ok()) std::abort();
    auto k = decaps(v, kp->decapsulation_key.view(), input.subspan(64));
    if (k.ok() && k->size() != kSharedSecretSize) std::abort();
    auto round = encaps_internal(v, kp->encapsulation_key, input.first(32));
    if (!round.ok()) std::abort();
    auto back = decaps(v, kp->decapsulation_key.view(), round->ciphertext);
    if (!back.ok() || !tern::equal(back->view(), round->shared_secret.view())) std::abort();
    if (avx2_supported()) {  // the other path must agree byte for byte
      const Implementation saved = implementation();
      set_implementation(saved == Implementation::avx2 ? Implementation::portable
                                                       : Implementation::avx2);
      auto kp2 = keygen_internal(v, input.first(32), input.subspan(32, 32));
      if (!kp2.ok()) std::abort();
      auto round2 = encaps_internal(v, kp2->encapsulation_key, input.first(32));
      if (!round2.ok()) std::abort();
      auto k2 = decaps(v, kp2->decapsulation_key.view(), input.subspan(64));
      set_implementation(saved);
      if (kp2->encapsulation_key != kp->encapsulation_key ||
          !tern::equal(kp2->decapsulation_key.view(), kp->decapsulation_key.view()) ||
          round2->ciphertext != round->ciphertext || k2.ok() != k.ok() ||
          (k.ok() && !tern::equal(k2->view(), k->view()))) {
        std::abort();
      }
    }
  }

  // Input as a decapsulation key (hash check and lengths).
  auto k = decaps(v, input, tern::BytesView(input).first(std::min(input.size(), ciphertext_size(v))));
  if (k.ok() && k->size() != kSharedSecretSize) std::abort();
  return 0;
}
