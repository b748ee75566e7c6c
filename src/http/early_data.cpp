// SPDX-License-Identifier: Apache-2.0
#include "http/early_data.h"

namespace tern::http {

bool arrived_early(const Request& request, uint64_t request_start, uint64_t early_bytes) {
  if (request_start < early_bytes) return true;
  const std::string* marked = request.field("early-data");
  return marked && *marked == "1";
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
