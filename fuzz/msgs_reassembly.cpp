// SPDX-License-Identifier: Apache-2.0
// Fuzzes HandshakeReassembler: the input is cut into fragments (each led by a length byte)
// and fed in order. What comes out must be exactly the leading whole messages of the
// stream, each within the size limit, and nothing may crash or grow without bound.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "base/reader.h"
#include "msgs/reassembler.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  auto require = [](bool condition) {
    if (!condition) std::abort();
  };
  base::Reader input(BytesView(data, size));
  uint8_t limit_choice = 0;
  (void)input.u8(limit_choice);
  size_t limit = size_t{limit_choice} * 16;  // small limits so the fuzzer reaches them
  msgs::HandshakeReassembler reassembler(limit);

  Bytes stream, emitted;
  bool failed = false;
  while (!input.empty() && !failed) {
    uint8_t length = 0;
    (void)input.u8(length);
    BytesView fragment;
    if (!input.bytes(std::min<size_t>(length, input.remaining()), fragment)) break;
    stream.insert(stream.end(), fragment.begin(), fragment.end());
    auto added = reassembler.add(fragment);
    if (!added.ok()) {
      // Over the limit; a ClientHello longer than its syntax allows is decode_error.
      require(added.error().alert == Alert::illegal_parameter ||
              added.error().alert == Alert::decode_error);
      failed = true;
      require(!reassembler.add(fragment).ok());
      require(!reassembler.next());
      break;
    }
    while (auto message = reassembler.next()) {
      require(message->encoded.size() >= msgs::kHandshakeHeaderSize);
      require(message->body().size() <= reassembler.max_message_size(message->type));
      require(static_cast<uint8_t>(message->type) == message->encoded[0]);
      emitted.insert(emitted.end(), message->encoded.begin(), message->encoded.end());
    }
    require(emitted.size() + reassembler.buffered() == stream.size());
    require(std::equal(emitted.begin(), emitted.end(), stream.begin()));
  }
  // Whatever is left is one incomplete message.
  if (!failed && reassembler.buffered() >= msgs::kHandshakeHeaderSize) {
    base::Reader rest(BytesView(stream).subspan(emitted.size()));
    uint8_t type = 0;
    uint32_t length = 0;
    require(rest.u8(type) && rest.u24(length));
    require(rest.remaining() < length);
  }
  return 0;
}
