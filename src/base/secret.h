// SPDX-License-Identifier: Apache-2.0
// SecretBytes: key material that is wiped when it goes away. Copying is explicit
// (clone()), so secrets do not multiply by accident.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tern/bytes.h"

namespace tern::base {

void secure_zero(void* p, size_t n);
// Constant-time equality for MACs, Finished values and the like.
bool constant_time_equal(BytesView a, BytesView b);

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t n) : data_(n) {}
  explicit SecretBytes(BytesView b) : data_(b.begin(), b.end()) {}
  SecretBytes(SecretBytes&& other) noexcept : data_(std::move(other.data_)) { other.data_.clear(); }
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
      wipe();
      data_ = std::move(other.data_);
      other.data_.clear();
    }
    return *this;
  }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes() { wipe(); }

  SecretBytes clone() const { return SecretBytes(view()); }
  uint8_t* data() { return data_.data(); }
  const uint8_t* data() const { return data_.data(); }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  BytesView view() const { return data_; }
  std::span<uint8_t> span() { return data_; }
  void resize(size_t n);

 private:
  void wipe() { secure_zero(data_.data(), data_.size()); }
  Bytes data_;
};

}  // namespace tern::base
