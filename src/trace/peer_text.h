// SPDX-License-Identifier: Apache-2.0
// Text for people from what a peer or the engine produced: UTC times, and strings a peer
// chose made safe for a log line or a terminal. Shared by the trace renderers, the HTTP
// module's logs and the tool.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tern::trace {

// "2026-11-22T18:40:00Z" (ISO 8601, UTC).
std::string iso8601(int64_t unix_seconds);

// A string the peer chose (request line, SNI, ALPN), safe to print in a log line or on a
// terminal: control bytes (C0 and C1), DEL and bytes that are not UTF-8 become \xHH (\n, \r,
// \t for those three), backslash and double quote are escaped as \\ and \"; other UTF-8
// text stays. A log line then stays one line and a terminal never sees an escape sequence.
std::string escape_peer_text(std::string_view text);

std::string join(const std::vector<std::string>& items, const std::string& separator);

}  // namespace tern::trace
