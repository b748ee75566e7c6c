// SPDX-License-Identifier: Apache-2.0
#include "http/access_log.h"

#include "trace/peer_text.h"

namespace tern::http {

std::string format_request_log(const RequestRecord& r) {
  return r.peer + " \"" + trace::escape_peer_text(r.request_line) + "\" " +
         std::to_string(r.status) + " " + std::to_string(r.body_bytes) + " " +
         std::to_string(r.duration.count()) + "ms";
}

}  // namespace tern::http
