// SPDX-License-Identifier: Apache-2.0
// Requests in TLS 1.3 early data (RFC 8470) for `tern serve --early-data`: 0-RTT data may be
// a replay, so only requests that are safe to repeat (GET, HEAD) are answered when any part
// of them arrived early; any other method gets 425 Too Early, which tells the client to
// send it again once the handshake is done.
#pragma once

#include <cstdint>
#include <optional>

#include "http/message.h"

namespace tern::http {

// Whether a request that starts at byte `request_start` of the connection's plaintext
// arrived (at least in part) as early data: the first `early_bytes` were, or a proxy in
// front says so with "Early-Data: 1" (RFC 8470 §5.1).
bool arrived_early(const Request& request, uint64_t request_start, uint64_t early_bytes);

// 425 Too Early for an early request whose method is not safe to replay; nullopt otherwise.
std::optional<Response> too_early(const Request& request, bool early);

}  // namespace tern::http
