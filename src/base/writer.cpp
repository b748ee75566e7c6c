// SPDX-License-Identifier: Apache-2.0
#include "base/writer.h"

namespace tern::base {

void Writer::u16(uint16_t v) {
  u8(static_cast<uint8_t>(v >> 8));
  u8(static_cast<uint8_t>(v));
}
void Writer::u24(uint32_t v) {
  u8(static_cast<uint8_t>(v >> 16));
  u16(static_cast<uint16_t>(v));
}
void Writer::u32(uint32_t v) {
  u16(static_cast<uint16_t>(v >> 16));
  u16(static_cast<uint16_t>(v));
}
void Writer::u64(uint64_t v) {
  u32(static_cast<uint32_t>(v >> 32));
  u32(static_cast<uint32_t>(v));
}

bool Writer::patch_length(size_t start, size_t len_bytes) {
  size_t len = buf_.size() - start - len_bytes;
  if (len >= (size_t{1} << (8 * len_bytes))) {
    buf_.resize(start);
    return false;
  }
  for (size_t i = 0; i < len_bytes; ++i)
    buf_[start + i] = static_cast<uint8_t>(len >> (8 * (len_bytes - 1 - i)));
  return true;
}

void Writer::finish_der(uint8_t tag, size_t start) {
  size_t len = buf_.size() - start;
  uint8_t header[6];
  size_t n = 0;
  header[n++] = tag;
  if (len < 0x80) {
    header[n++] = static_cast<uint8_t>(len);
  } else {
    size_t len_bytes = 0;
    for (size_t l = len; l; l >>= 8) ++len_bytes;
    header[n++] = static_cast<uint8_t>(0x80 | len_bytes);
    for (size_t i = len_bytes; i-- > 0;) header[n++] = static_cast<uint8_t>(len >> (8 * i));
  }
  buf_.insert(buf_.begin() + static_cast<std::ptrdiff_t>(start), header, header + n);
}

void Writer::der_bytes(uint8_t tag, BytesView contents) {
  der(tag, [&] { bytes(contents); });
}

void Writer::der_uint(BytesView magnitude) {
  size_t i = 0;
  while (i + 1 < magnitude.size() && magnitude[i] == 0) ++i;  // minimal encoding
  BytesView m = magnitude.subspan(i);
  der(0x02, [&] {
    if (m.empty() || (m[0] & 0x80)) u8(0);
    bytes(m);
  });
}

void Writer::der_uint(uint64_t v) {
  uint8_t be[8];
  for (int i = 0; i < 8; ++i) be[i] = static_cast<uint8_t>(v >> (56 - 8 * i));
  der_uint(BytesView(be, 8));
}

}  // namespace tern::base
