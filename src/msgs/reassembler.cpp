// SPDX-License-Identifier: Apache-2.0
#include "msgs/reassembler.h"

#include <string>

#include "base/reader.h"
#include "msgs/codec_util.h"

namespace tern::msgs {

Result<void> HandshakeReassembler::add(BytesView fragment) {
  if (failed_) return Error(Errc::usage, "handshake reassembler: used again after an error");
  buffer_.insert(buffer_.end(), fragment.begin(), fragment.end());
  // Check every header that is now complete, including those of messages still partial,
  // so an oversized announcement fails before its body is buffered.
  while (checked_ + kHandshakeHeaderSize <= buffer_.size()) {
    base::Reader r(BytesView(buffer_).subspan(checked_));
    uint8_t type;
    uint32_t length;
    (void)r.u8(type);
    (void)r.u24(length);
    auto message_type = static_cast<HandshakeType>(type);
    if (length <= max_message_size(message_type)) {
      checked_ += kHandshakeHeaderSize + length;
      continue;
    }
    failed_ = true;
    if (message_type == HandshakeType::client_hello)  // no ClientHello can be that long
      return detail::decode_error("handshake message: a ClientHello of " +
                                  std::to_string(length) + " bytes, more than the " +
                                  std::to_string(kMaxClientHelloSize) +
                                  " its length fields allow");
    return detail::illegal_parameter("handshake message: " + to_string(message_type) + " of " +
                                     std::to_string(length) + " bytes exceeds the limit of " +
                                     std::to_string(max_message_size_) + " bytes");
  }
  return ok();
}

std::optional<HandshakeMessage> HandshakeReassembler::next() {
  if (failed_) return std::nullopt;
  base::Reader r(BytesView(buffer_).subspan(read_));
  uint8_t type;
  BytesView body;
  if (!r.u8(type) || !r.vec24(body)) return std::nullopt;
  size_t total = kHandshakeHeaderSize + body.size();
  auto start = buffer_.begin() + static_cast<std::ptrdiff_t>(read_);
  HandshakeMessage message{static_cast<HandshakeType>(type), Bytes(start, start + total)};
  read_ += total;
  // Drop consumed bytes once they dominate, keeping the copy cost linear overall.
  if (read_ == buffer_.size()) {
    buffer_.clear();
    checked_ -= read_;
    read_ = 0;
  } else if (read_ > buffer_.size() / 2) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(read_));
    checked_ -= read_;
    read_ = 0;
  }
  return message;
}

}  // namespace tern::msgs
