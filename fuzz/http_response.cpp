// SPDX-License-Identifier: Apache-2.0
// `tern get`'s HTTP response parser on arbitrary bytes, split where the first byte says:
// no crash, no read out of bounds, and never more body than was fed.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "http/response_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t step = data[0] % 64 + 1;
  tern::http::ResponseParser parser(data[0] & 0x80);
  size_t body = 0;
  auto sink = [&](tern::BytesView b) { body += b.size(); };
  for (size_t at = 1; at < size; at += step) {
    size_t n = std::min(step, size - at);
    if (!parser.feed(tern::BytesView(data + at, n), sink)) return 0;
  }
  if (body > size) std::abort();
  (void)parser.end_of_stream();
  return 0;
}
