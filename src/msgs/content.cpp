// SPDX-License-Identifier: Apache-2.0
#include "msgs/content.h"

#include "base/reader.h"
#include "msgs/codec_util.h"

namespace tern::msgs {

Result<AlertMessage> AlertMessage::parse(BytesView fragment) {
  base::Reader r(fragment);
  uint8_t level, description;
  if (!r.u8(level) || !r.u8(description) || !r.empty())
    return detail::decode_error("Alert: expected 2 bytes (level, description), found " +
                                std::to_string(fragment.size()));
  return AlertMessage{static_cast<AlertLevel>(level), static_cast<Alert>(description)};
}

Bytes AlertMessage::encode() const {
  return {static_cast<uint8_t>(level), static_cast<uint8_t>(description)};
}

std::string to_string(const AlertMessage& alert) {
  return to_string(alert.level) + " " + to_string(alert.description);
}

Result<void> parse_change_cipher_spec(BytesView fragment) {
  base::Reader r(fragment);
  uint8_t value;
  if (!r.u8(value) || !r.empty() || value != kChangeCipherSpecByte)
    return detail::decode_error("ChangeCipherSpec: expected the single byte 01, found " +
                                std::to_string(fragment.size()) + " bytes");
  return ok();
}

}  // namespace tern::msgs
