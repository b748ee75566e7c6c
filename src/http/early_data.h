// SPDX-License-Identifier: Apache-2.0
// Requests in TLS 1.3 early data (RFC 8470) for `tern serve --early-data`: 0-RTT data may be
// a replay, so only requests that are safe to repeat (GET, HEAD) are answered when any part
// of them arrived early; any other method gets 425 Too Early, which tells the client to
// send it again once the handshake is done.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>

#include "http/message.h"
#include "tern/bytes.h"

namespace tern::http {

// Whether a request that starts at byte `request_start` of the connection's plaintext
// arrived (at least in part) as early data: the first `early_bytes` were, or a proxy in
// front says so with "Early-Data: 1" (RFC 8470 §5.1).
bool arrived_early(const Request& request, uint64_t request_start, uint64_t early_bytes);

// Whether a proxy in front says the request arrived in early data ("Early-Data: 1").
bool marked_early(const Request& request);

// The HTTP/2 streams whose request began in early data. nghttp2 does not say where in the
// input a frame began, so this follows the frame boundaries itself through the early bytes:
// the 24-byte client preface, then each frame's 9-byte header and its length (RFC 9113
// §3.4, §4.1), noting the stream of every HEADERS frame. At most one stream per 9 early
// bytes, and early data is bounded by the server's max_early_data.
class EarlyStreams {
 public:
  // The connection's next plaintext bytes, which are early data or not (early data comes
  // first). Of the rest only a frame header that began early is read to its end.
  void scan(BytesView data, bool early);
  bool began_early(int32_t stream) const { return streams_.count(stream) > 0; }

 private:
  uint64_t skip_ = 24;  // bytes until the next frame header: first the client preface
  std::array<uint8_t, 9> header_{};
  size_t have_ = 0;  // bytes of header_ read
  std::set<int32_t> streams_;
};

// 425 Too Early for an early request whose method is not safe to replay; nullopt otherwise.
std::optional<Response> too_early(const Request& request, bool early);

}  // namespace tern::http
