// SPDX-License-Identifier: Apache-2.0
// The process-wide choice of tern/primitives.h, read once from TERN_CRYPTO.
#include "tern/primitives.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace tern {
namespace {

Primitives from_environment() {
  const char* env = std::getenv("TERN_CRYPTO");
  return env && std::strcmp(env, "libcrypto") == 0 ? Primitives::libcrypto : Primitives::tern;
}

std::atomic<Primitives>& choice() {
  static std::atomic<Primitives> value{from_environment()};
  return value;
}

}  // namespace

Primitives primitives() { return choice().load(std::memory_order_relaxed); }

void set_primitives(Primitives p) { choice().store(p, std::memory_order_relaxed); }

const char* primitives_name(Primitives p) {
  return p == Primitives::libcrypto ? "libcrypto" : "tern";
}

}  // namespace tern
