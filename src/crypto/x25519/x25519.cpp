// SPDX-License-Identifier: Apache-2.0
// The public X25519 functions and the run-time choice of path.
#include "crypto/x25519/x25519.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "crypto/cpu.h"
#include "crypto/x25519/impl.h"

namespace tern::crypto::x25519 {
namespace {

// TERN_X25519_IMPL=adx forces the ADX path where CPUID reports ADX, and under valgrind,
// which runs mulx/adcx/adox but hides the ADX bit: this is how callgrind and the
// constant-time test reach the path (as OPENSSL_ia32cap does for libcrypto). Anywhere else
// it is ignored rather than left to fault.
Implementation from_environment() {
  const char* env = std::getenv("TERN_X25519_IMPL");
  if (env && std::strcmp(env, "portable") == 0) return Implementation::portable;
  if (env && std::strcmp(env, "adx") == 0 && (adx_supported() || cpu_under_valgrind()))
    return Implementation::adx;
  if (env && std::strcmp(env, "ifma") == 0 && ifma_supported()) return Implementation::ifma;
  return adx_supported() ? Implementation::adx : Implementation::portable;
}

std::atomic<Implementation>& choice() {
  static std::atomic<Implementation> value{from_environment()};
  return value;
}

// RFC 7748 §5: clear the three low bits and bit 255, set bit 254.
void clamp(uint8_t k[32], const uint8_t scalar[32]) {
  std::memcpy(k, scalar, 32);
  k[0] &= 248;
  k[31] &= 127;
  k[31] |= 64;
}

void wipe(void* p, size_t n) {
  volatile uint8_t* b = static_cast<volatile uint8_t*>(p);
  for (size_t i = 0; i < n; ++i) b[i] = 0;
}

}  // namespace

const char* implementation_name(Implementation i) {
  switch (i) {
    case Implementation::adx: return "adx";
    case Implementation::ifma: return "ifma";
    default: return "portable";
  }
}

bool adx_supported() { return cpu_has_bmi2_adx(); }

bool ifma_supported() { return false; }

bool set_implementation(Implementation i) {
  if (i == Implementation::adx && !adx_supported()) return false;
  if (i == Implementation::ifma && !ifma_supported()) return false;
  choice().store(i, std::memory_order_relaxed);
  return true;
}

void force_implementation(Implementation i) { choice().store(i, std::memory_order_relaxed); }

Implementation implementation() { return choice().load(std::memory_order_relaxed); }

void public_key(uint8_t out[32], const uint8_t scalar[32]) {
  uint8_t k[32];
  clamp(k, scalar);
  const Fe u = implementation() == Implementation::adx ? adx::fixed_base(k)
                                                       : portable::fixed_base(k);
  fe_to_bytes(out, u);
  wipe(k, sizeof k);
}

bool shared_secret(uint8_t out[32], const uint8_t scalar[32], const uint8_t peer[32]) {
  uint8_t k[32];
  clamp(k, scalar);
  Fe u = fe_from_bytes(peer);
  u.v[3] &= 0x7fffffffffffffffULL;  // RFC 7748 §5: mask the top bit of u
  const Fe r = implementation() == Implementation::adx ? adx::ladder(k, u)
                                                       : portable::ladder(k, u);
  fe_to_bytes(out, r);
  wipe(k, sizeof k);
  uint8_t any = 0;
  for (int i = 0; i < 32; ++i) any |= out[i];
  return any != 0;
}

}  // namespace tern::crypto::x25519
