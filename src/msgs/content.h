// SPDX-License-Identifier: Apache-2.0
// The non-handshake record contents with a structure: alerts (RFC 8446 §6, RFC 5246 §7.2)
// and change_cipher_spec (RFC 5246 §7.1; in TLS 1.3 only for middlebox compatibility,
// RFC 8446 §5).
#pragma once

#include "msgs/codes.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::msgs {

struct AlertMessage {
  AlertLevel level = AlertLevel::fatal;
  Alert description = Alert::close_notify;  // unknown descriptions are kept as values

  // Exactly two bytes; anything else is decode_error.
  static Result<AlertMessage> parse(BytesView fragment);
  Bytes encode() const;
};

std::string to_string(const AlertMessage& alert);

// change_cipher_spec: a single byte 0x01; anything else is unexpected_message in TLS 1.3
// (RFC 8446 §5) and decode_error here (the caller may map it).
Result<void> parse_change_cipher_spec(BytesView fragment);
inline constexpr uint8_t kChangeCipherSpecByte = 0x01;

}  // namespace tern::msgs
