// SPDX-License-Identifier: Apache-2.0
// `tern serve`'s HTTP request parser and path mapping on arbitrary bytes: no crash, no
// read out of bounds, and a complete request never claims more bytes than it was given.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = tern::cli::parse_request(input);
  if (parsed.state == tern::cli::ParsedRequest::State::complete) {
    if (parsed.consumed > size) std::abort();
    // A root that does not exist: resolution must fail cleanly, whatever the target.
    (void)tern::cli::resolve_target("/nonexistent-tern-fuzz-root", parsed.request.target);
    (void)tern::cli::content_type_for(parsed.request.target);
  }
  return 0;
}
