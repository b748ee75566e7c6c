// SPDX-License-Identifier: Apache-2.0
#include "base/reader.h"

namespace tern::base {

namespace {
bool read_uint(BytesView& data, size_t n, uint64_t& out) {
  if (data.size() < n) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | data[i];
  out = v;
  data = data.subspan(n);
  return true;
}
}  // namespace

bool Reader::u8(uint8_t& out) {
  uint64_t v;
  if (!read_uint(data_, 1, v)) return false;
  out = static_cast<uint8_t>(v);
  return true;
}
bool Reader::u16(uint16_t& out) {
  uint64_t v;
  if (!read_uint(data_, 2, v)) return false;
  out = static_cast<uint16_t>(v);
  return true;
}
bool Reader::u24(uint32_t& out) {
  uint64_t v;
  if (!read_uint(data_, 3, v)) return false;
  out = static_cast<uint32_t>(v);
  return true;
}
bool Reader::u32(uint32_t& out) {
  uint64_t v;
  if (!read_uint(data_, 4, v)) return false;
  out = static_cast<uint32_t>(v);
  return true;
}
bool Reader::u64(uint64_t& out) { return read_uint(data_, 8, out); }

bool Reader::bytes(size_t n, BytesView& out) {
  if (data_.size() < n) return false;
  out = data_.first(n);
  data_ = data_.subspan(n);
  return true;
}

bool Reader::skip(size_t n) {
  BytesView ignored;
  return bytes(n, ignored);
}

namespace {
bool read_vec(BytesView& data, size_t len_bytes, BytesView& out) {
  BytesView probe = data;
  uint64_t len;
  if (!read_uint(probe, len_bytes, len) || probe.size() < len) return false;
  out = probe.first(len);
  data = probe.subspan(len);
  return true;
}
}  // namespace

bool Reader::vec8(BytesView& out) { return read_vec(data_, 1, out); }
bool Reader::vec16(BytesView& out) { return read_vec(data_, 2, out); }
bool Reader::vec24(BytesView& out) { return read_vec(data_, 3, out); }
bool Reader::vec8(Reader& out) {
  BytesView v;
  if (!vec8(v)) return false;
  out = Reader(v);
  return true;
}
bool Reader::vec16(Reader& out) {
  BytesView v;
  if (!vec16(v)) return false;
  out = Reader(v);
  return true;
}
bool Reader::vec24(Reader& out) {
  BytesView v;
  if (!vec24(v)) return false;
  out = Reader(v);
  return true;
}

bool Reader::der_any_element(uint8_t& tag, BytesView& contents, BytesView& element) {
  BytesView p = data_;
  if (p.size() < 2) return false;
  uint8_t t = p[0];
  if ((t & 0x1f) == 0x1f) return false;  // high tag numbers: never used by X.509
  uint8_t first = p[1];
  size_t header = 2;
  uint64_t len = 0;
  if (first < 0x80) {
    len = first;
  } else {
    size_t n = first & 0x7f;
    // 0x80 is BER's indefinite length; more than 4 length bytes is nothing we accept.
    if (n == 0 || n > 4 || p.size() < 2 + n) return false;
    for (size_t i = 0; i < n; ++i) len = (len << 8) | p[2 + i];
    // Minimal encoding: no leading zero byte, and the long form only for >= 128.
    if (p[2] == 0 || len < 0x80) return false;
    header += n;
  }
  if (p.size() - header < len) return false;
  tag = t;
  contents = p.subspan(header, len);
  element = p.first(header + len);
  data_ = p.subspan(header + len);
  return true;
}

bool Reader::der_any(uint8_t& tag, BytesView& contents) {
  BytesView element;
  return der_any_element(tag, contents, element);
}

bool Reader::der(uint8_t tag, BytesView& contents) {
  if (!peek_der_tag(tag)) return false;
  uint8_t t;
  return der_any(t, contents);
}

bool Reader::der(uint8_t tag, Reader& contents) {
  BytesView v;
  if (!der(tag, v)) return false;
  contents = Reader(v);
  return true;
}

bool Reader::peek_der_tag(uint8_t tag) const { return !data_.empty() && data_[0] == tag; }

bool Reader::optional_der(uint8_t tag, BytesView& contents, bool& present) {
  present = peek_der_tag(tag);
  if (!present) return true;
  return der(tag, contents);
}

}  // namespace tern::base
