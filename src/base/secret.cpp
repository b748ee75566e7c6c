// SPDX-License-Identifier: Apache-2.0
#include "base/secret.h"

#include <cstring>

namespace tern::base {

void secure_zero(void* p, size_t n) {
  if (n) explicit_bzero(p, n);
}

bool constant_time_equal(BytesView a, BytesView b) {
  if (a.size() != b.size()) return false;  // lengths are public
  volatile uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff = diff | (a[i] ^ b[i]);
  return diff == 0;
}

void SecretBytes::resize(size_t n) {
  // Grow through a fresh buffer so the old one can be wiped rather than freed dirty.
  if (n <= data_.capacity()) {
    if (n < data_.size()) secure_zero(data_.data() + n, data_.size() - n);
    data_.resize(n);
    return;
  }
  Bytes bigger(n);
  if (!data_.empty()) std::memcpy(bigger.data(), data_.data(), data_.size());
  wipe();
  data_ = std::move(bigger);
}

}  // namespace tern::base
