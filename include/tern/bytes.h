// SPDX-License-Identifier: Apache-2.0
// Byte buffers: owned (Bytes) and borrowed (BytesView).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace tern {

using Bytes = std::vector<uint8_t>;
using BytesView = std::span<const uint8_t>;

inline BytesView as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(BytesView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline bool equal(BytesView a, BytesView b) {
  return a.size() == b.size() && (a.empty() || std::equal(a.begin(), a.end(), b.begin()));
}

}  // namespace tern
