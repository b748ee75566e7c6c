// SPDX-License-Identifier: Apache-2.0
// `tern serve`'s HTTP request parser and path mapping on arbitrary bytes: no crash, no
// read out of bounds, and a complete request never claims more bytes than it was given.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/file_service.h"
#include "http/request_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = tern::http::parse_request(input);
  if (parsed.state == tern::http::ParsedRequest::State::complete) {
    if (parsed.consumed > size) std::abort();
    // A root that does not exist: resolution must fail cleanly, whatever the target.
    (void)tern::http::resolve_target("/nonexistent-tern-fuzz-root", parsed.request.target);
    (void)tern::http::content_type_for(parsed.request.target);
  }
  return 0;
}
