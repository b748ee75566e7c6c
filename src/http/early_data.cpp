// SPDX-License-Identifier: Apache-2.0
#include "http/early_data.h"

#include <algorithm>

namespace tern::http {

bool arrived_early(const Request& request, uint64_t request_start, uint64_t early_bytes) {
  return request_start < early_bytes || marked_early(request);
}

bool marked_early(const Request& request) {
  const std::string* marked = request.field("early-data");
  return marked && *marked == "1";
}

void EarlyStreams::scan(BytesView data, bool early) {
  constexpr uint8_t kHeadersFrame = 0x01;
  size_t at = 0;
  while (at < data.size() && (early || have_ > 0)) {
    if (skip_ > 0) {
      if (!early) return;
      size_t n = static_cast<size_t>(std::min<uint64_t>(skip_, data.size() - at));
      skip_ -= n;
      at += n;
      continue;
    }
    header_[have_++] = data[at++];
    if (have_ < header_.size()) continue;
    have_ = 0;
    skip_ = uint64_t{header_[0]} << 16 | uint64_t{header_[1]} << 8 | header_[2];
    if (header_[3] == kHeadersFrame) {
      int32_t stream = static_cast<int32_t>((uint32_t{header_[5]} & 0x7f) << 24 |
                                            uint32_t{header_[6]} << 16 |
                                            uint32_t{header_[7]} << 8 | header_[8]);
      streams_.insert(stream);
    }
  }
}

std::optional<Response> too_early(const Request& request, bool early) {
  if (!early || request.method == "GET" || request.method == "HEAD") return std::nullopt;
  Response out;
  out.status = 425;
  out.fields.push_back({"content-type", "text/plain; charset=utf-8"});
  out.body = "425 Too Early: " + request.method +
             " arrived in TLS early data, which may be a replay; send it again after the "
             "handshake\n";
  return out;  // the connection stays open: the client retries on it (RFC 8470 §5.2)
}

}  // namespace tern::http
