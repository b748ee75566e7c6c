// SPDX-License-Identifier: Apache-2.0
// Reader: the only way tern reads bytes it did not produce. Every read is bounds-checked
// and returns false (consuming nothing) when the input is too short or malformed; callers
// turn that into an Error with the right alert. Modelled on BoringSSL's CBS.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tern/bytes.h"

namespace tern::base {

// DER identifier octets for the universal types X.509 uses.
namespace der {
constexpr uint8_t kBoolean = 0x01, kInteger = 0x02, kBitString = 0x03, kOctetString = 0x04,
                  kNull = 0x05, kOid = 0x06, kEnumerated = 0x0a, kUtf8String = 0x0c,
                  kPrintableString = 0x13, kT61String = 0x14, kIa5String = 0x16,
                  kUtcTime = 0x17, kGeneralizedTime = 0x18, kVisibleString = 0x1a,
                  kUniversalString = 0x1c, kBmpString = 0x1e, kSequence = 0x30, kSet = 0x31;
constexpr uint8_t kConstructed = 0x20, kContextSpecific = 0x80;
constexpr uint8_t context(uint8_t n, bool constructed) {
  return static_cast<uint8_t>(kContextSpecific | (constructed ? kConstructed : 0) | n);
}
}  // namespace der

class Reader {
 public:
  Reader() = default;
  explicit Reader(BytesView data) : data_(data) {}

  size_t remaining() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  BytesView rest() const { return data_; }

  bool u8(uint8_t& out);
  bool u16(uint16_t& out);
  bool u24(uint32_t& out);
  bool u32(uint32_t& out);
  bool u64(uint64_t& out);
  bool bytes(size_t n, BytesView& out);
  bool skip(size_t n);

  // TLS length-prefixed vectors (RFC 8446 §3.4): the contents without the length.
  bool vec8(BytesView& out);
  bool vec16(BytesView& out);
  bool vec24(BytesView& out);
  bool vec8(Reader& out);
  bool vec16(Reader& out);
  bool vec24(Reader& out);

  // One strict DER TLV: single-byte tags only, definite minimal lengths, no length over
  // the input. `tag` is the identifier octet; `contents` excludes the header.
  bool der_any(uint8_t& tag, BytesView& contents);
  // The same, also returning the whole encoding (header included).
  bool der_any_element(uint8_t& tag, BytesView& contents, BytesView& element);
  // One TLV that must carry `tag`.
  bool der(uint8_t tag, BytesView& contents);
  bool der(uint8_t tag, Reader& contents);
  // Whether the next element carries `tag` (peeks, consumes nothing).
  bool peek_der_tag(uint8_t tag) const;
  // An optional element: present (true, `present` set) or absent (true, unset); false only
  // on malformed input.
  bool optional_der(uint8_t tag, BytesView& contents, bool& present);

 private:
  BytesView data_;
};

}  // namespace tern::base
