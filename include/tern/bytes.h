// SPDX-License-Identifier: Apache-2.0
/// @file
/// Byte buffers: owned (Bytes) and borrowed (BytesView).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace tern {

/// Bytes owned: a byte vector.
using Bytes = std::vector<uint8_t>;
/// Bytes borrowed: a view of a Bytes, an array or a string's bytes.
using BytesView = std::span<const uint8_t>;

/// The bytes of a string, without copying.
inline BytesView as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
/// Bytes as characters, without copying.
inline std::string_view as_chars(BytesView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
/// Whether two byte sequences are equal. Not constant-time: not for secrets.
inline bool equal(BytesView a, BytesView b) {
  return a.size() == b.size() && (a.empty() || std::equal(a.begin(), a.end(), b.begin()));
}

}  // namespace tern
