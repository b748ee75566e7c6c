// SPDX-License-Identifier: Apache-2.0
// Writer: appends big-endian integers, TLS length-prefixed vectors and DER elements to a
// growable buffer. Lengths are patched in when a nested scope closes, so callers never
// compute a length by hand. Modelled on BoringSSL's CBB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tern/bytes.h"

namespace tern::base {

class Writer {
 public:
  Writer() = default;
  explicit Writer(size_t reserve) { buf_.reserve(reserve); }

  void u8(uint8_t v) { buf_.push_back(v); }
  void u16(uint16_t v);
  void u24(uint32_t v);
  void u32(uint32_t v);
  void u64(uint64_t v);
  void bytes(BytesView b) { buf_.insert(buf_.end(), b.begin(), b.end()); }
  void bytes(std::string_view s) { bytes(as_bytes(s)); }
  void zeros(size_t n) { buf_.insert(buf_.end(), n, 0); }

  // A TLS vector with an N-byte length prefix; `body` writes its contents. Returns false
  // (and leaves the buffer unchanged) if the contents do not fit the prefix.
  template <typename F> bool vec8(F&& body) { return vec(1, body); }
  template <typename F> bool vec16(F&& body) { return vec(2, body); }
  template <typename F> bool vec24(F&& body) { return vec(3, body); }

  // A DER element with identifier `tag`; `body` writes its contents.
  template <typename F> void der(uint8_t tag, F&& body) {
    size_t start = buf_.size();
    body();
    finish_der(tag, start);
  }
  void der_bytes(uint8_t tag, BytesView contents);
  // An INTEGER from a big-endian unsigned magnitude (adds the 0x00 sign byte if needed).
  void der_uint(BytesView magnitude);
  void der_uint(uint64_t v);

  size_t size() const { return buf_.size(); }
  const Bytes& data() const { return buf_; }
  Bytes take() { return std::move(buf_); }

 private:
  template <typename F> bool vec(size_t len_bytes, F& body) {
    size_t start = buf_.size();
    buf_.insert(buf_.end(), len_bytes, 0);
    body();
    return patch_length(start, len_bytes);
  }
  bool patch_length(size_t start, size_t len_bytes);
  void finish_der(uint8_t tag, size_t start);

  Bytes buf_;
};

}  // namespace tern::base
