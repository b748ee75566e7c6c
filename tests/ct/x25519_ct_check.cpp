// SPDX-License-Identifier: Apache-2.0
// Constant-time check for tern's X25519, run under valgrind's memcheck by
// tests/ct/x25519_constant_time.sh. The private scalars are marked undefined, so memcheck
// reports any branch or memory index that depends on them (the fixed-base table lookup,
// the ladder's swaps, the final reduction). Public keys are declassified before use as a
// peer value, results only to check them. Every path the CPU has is run. Exits non-zero
// on a wrong answer; valgrind's --error-exitcode catches the rest.
#include <valgrind/memcheck.h>

#include <cstdio>
#include <cstring>
#include <initializer_list>

#include "crypto/x25519/impl.h"
#include "crypto/x25519/x25519.h"

namespace {

using namespace tern::crypto::x25519;

void secret(const void* p, size_t n) { (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n); }
void declassify(const void* p, size_t n) { (void)VALGRIND_MAKE_MEM_DEFINED(p, n); }

bool run(int round) {
  uint8_t a[32], b[32];
  for (int i = 0; i < 32; ++i) {
    a[i] = static_cast<uint8_t>(i * 7 + 1 + round * 31);
    b[i] = static_cast<uint8_t>(i * 11 + 2 + round * 17);
  }
  secret(a, sizeof a);
  secret(b, sizeof b);

  uint8_t pa[32], pb[32];
  public_key(pa, a);
  public_key(pb, b);
  declassify(pa, sizeof pa);  // public keys are sent in the clear
  declassify(pb, sizeof pb);

  uint8_t ka[32], kb[32];
  bool oka = shared_secret(ka, a, pb);
  bool okb = shared_secret(kb, b, pa);
  // Whether the secret is all zero is public (the handshake fails); the bytes are not.
  declassify(&oka, sizeof oka);
  declassify(&okb, sizeof okb);
  declassify(ka, sizeof ka);
  declassify(kb, sizeof kb);
  return oka && okb && std::memcmp(ka, kb, 32) == 0;
}

}  // namespace

// --force-adx: the host has BMI2 and ADX (valgrind hides ADX from CPUID; see impl.h).
int main(int argc, char** argv) {
  const bool force_adx = argc > 1 && std::strcmp(argv[1], "--force-adx") == 0;
  for (Implementation impl : {Implementation::portable, Implementation::adx}) {
    if (impl == Implementation::adx && force_adx) {
      force_implementation(impl);
    } else if (!set_implementation(impl)) {
      std::printf("%s: not supported by this CPU, skipped\n", implementation_name(impl));
      continue;
    }
    for (int round = 0; round < 2; ++round) {
      if (!run(round)) {
        std::fprintf(stderr, "%s: wrong result\n", implementation_name(impl));
        return 2;
      }
    }
    std::printf("%s: ok\n", implementation_name(impl));
  }
  return 0;
}
