// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the msgs/ parsers: the two alerts a codec raises and readers for
// the vectors of code points TLS is full of. Private to src/msgs.
#pragma once

#include <string>
#include <vector>

#include "base/reader.h"
#include "base/writer.h"
#include "msgs/codes.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::msgs::detail {

// Malformed bytes: lengths that do not add up, vectors under their minimum, trailing data.
inline Error decode_error(std::string detail) {
  return Error(Errc::decode, std::move(detail), Alert::decode_error);
}

// Well-formed but forbidden: duplicates, values the RFC says to refuse.
inline Error illegal_parameter(std::string detail) {
  return Error(Errc::protocol, std::move(detail), Alert::illegal_parameter);
}

// "<message>: <what>", the shape of every codec error.
inline std::string field(const char* message, const std::string& what) {
  return std::string(message) + ": " + what;
}

inline Error trailing(const char* message, const base::Reader& r) {
  return decode_error(field(message, std::to_string(r.remaining()) + " trailing bytes"));
}

// A handshake message: type, u24 length, then the body that `fill` writes.
template <typename F>
Bytes framed(HandshakeType type, F&& fill) {
  base::Writer w;
  w.u8(static_cast<uint8_t>(type));
  w.vec24([&] { fill(w); });
  return w.take();
}

// A vector of 16-bit code points (cipher suites, groups, schemes, versions): false when
// the byte count is odd.
template <typename E>
bool read_u16_list(BytesView data, std::vector<E>& out) {
  if (data.size() % 2 != 0) return false;
  base::Reader r(data);
  out.clear();
  out.reserve(data.size() / 2);
  uint16_t v;
  while (r.u16(v)) out.push_back(static_cast<E>(v));
  return true;
}

template <typename E>
void read_u8_list(BytesView data, std::vector<E>& out) {
  out.clear();
  out.reserve(data.size());
  for (uint8_t b : data) out.push_back(static_cast<E>(b));
}

}  // namespace tern::msgs::detail
