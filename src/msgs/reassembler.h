// SPDX-License-Identifier: Apache-2.0
// Handshake message framing across records: handshake messages may be split over several
// records and several may share one record (RFC 8446 §5.1, RFC 5246 §6.2.1). The
// reassembler takes record payloads in order and yields whole messages.
#pragma once

#include <cstddef>
#include <optional>

#include "msgs/codes.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::msgs {

// Default limit on one handshake message body: generous for certificate chains, small
// enough that a peer cannot make us buffer without bound.
inline constexpr size_t kDefaultMaxHandshakeMessageSize = 64 * 1024;

// The largest ClientHello body its own length fields allow (RFC 8446 §4.1.2): version 2,
// random 32, session ID 1 + 32, cipher suites 2 + 65534, compression 1 + 255, extensions
// 2 + 65535. Any well-formed ClientHello fits, however many suites, shares or padding it
// carries, and a connection still buffers ~128 KiB at most for it.
inline constexpr size_t kMaxClientHelloSize = 2 + 32 + 33 + 65536 + 256 + 65537;

// One complete handshake message: header and body, as the transcript hashes it.
struct HandshakeMessage {
  HandshakeType type{};
  Bytes encoded;  // 4-byte header + body

  BytesView body() const { return BytesView(encoded).subspan(kHandshakeHeaderSize); }
};

class HandshakeReassembler {
 public:
  explicit HandshakeReassembler(size_t max_message_size = kDefaultMaxHandshakeMessageSize)
      : max_message_size_(max_message_size) {}

  // Appends the payload of one handshake record. Fails as soon as a header announces a body
  // over the limit (illegal_parameter; a ClientHello over kMaxClientHelloSize, which no
  // ClientHello can be, is decode_error); after a failure the reassembler is unusable.
  Result<void> add(BytesView fragment);

  // The next complete message, or nullopt while more bytes are needed.
  std::optional<HandshakeMessage> next();

  // Bytes received that do not yet form a whole message. Must be zero where the record
  // keys change (RFC 8446 §5.1), which the state machine checks.
  size_t buffered() const { return buffer_.size() - read_; }
  bool empty() const { return buffered() == 0; }

  size_t max_message_size() const { return max_message_size_; }
  // The limit for a message of `type`: a ClientHello's is what its syntax allows.
  size_t max_message_size(HandshakeType type) const {
    return type == HandshakeType::client_hello ? kMaxClientHelloSize : max_message_size_;
  }

 private:
  size_t max_message_size_;
  Bytes buffer_;
  size_t read_ = 0;     // start of the first message not yet returned
  size_t checked_ = 0;  // start of the first header not yet checked against the limit
  bool failed_ = false;
};

}  // namespace tern::msgs
