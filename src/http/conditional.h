// SPDX-License-Identifier: Apache-2.0
// Validators, conditional requests and byte ranges (RFC 9110 §8.8, §13, §14) for a file's
// representation: what FileService needs to answer 304, 206 and 416, kept apart from the
// path mapping and free of any framing, so HTTP/1.1 and HTTP/2 behave the same.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace tern::http {

// A strong entity tag for the file `st` describes: "\"<inode>-<size>-<mtime ns>\"" in hex.
// Any change of content through a write moves the mtime (nanoseconds) or the size; a file
// replaced by rename changes the inode. Not a hash of the content: computing it costs a
// stat, which the server does anyway.
std::string entity_tag(const struct stat& st);

// An HTTP date (IMF-fixdate, and the obsolete RFC 850 and asctime forms RFC 9110 §5.6.7 says
// a recipient must accept) as seconds since the epoch, or nullopt if it is not one.
std::optional<time_t> parse_http_date(std::string_view text);

// Whether a GET or HEAD of the representation (`etag`, modified at `mtime`) is answered 304
// Not Modified (RFC 9110 §13.2.2): If-None-Match when present (a list or "*", weak
// comparison), else If-Modified-Since (a date the file was not modified after). A malformed
// date is ignored, as the RFC asks.
bool not_modified(const Request& request, std::string_view etag, time_t mtime);

// What the Range field of a GET asks of a representation of `size` bytes (RFC 9110 §14.2).
struct RangeAnswer {
  enum class Kind {
    whole,          // no Range, one that is ignored (not "bytes=", malformed, several ranges,
                    // an If-Range that does not match): 200 with all of it
    partial,        // one satisfiable range: 206, bytes [first, first + length)
    unsatisfiable,  // 416 with content-range: bytes */size
  } kind = Kind::whole;
  uint64_t first = 0, length = 0;
};
// Several ranges are answered with the whole representation (a 200 is always allowed, and it
// spares a multipart/byteranges body that clients rarely ask for: browsers and curl -r send
// one range). If-Range (an entity tag compared strongly, or a date equal to Last-Modified)
// that does not match makes the Range ignored.
RangeAnswer answer_range(const Request& request, uint64_t size, std::string_view etag,
                         time_t mtime);

}  // namespace tern::http
