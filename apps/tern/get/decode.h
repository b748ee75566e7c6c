// SPDX-License-Identifier: Apache-2.0
// --compressed: the body's Content-Encoding (gzip, deflate) undone as it streams through, in
// fixed-size pieces, so a small body that inflates to gigabytes (a decompression bomb) costs
// no more memory than any other: the output goes on to the file as it is made.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::cli::get {

class BodyDecoder {
 public:
  using Sink = std::function<void(BytesView)>;
  // For a Content-Encoding value: null for identity (or no header), Errc::unsupported for
  // a coding tern cannot undo ("br", "zstd", stacked codings).
  static Result<std::unique_ptr<BodyDecoder>> for_encoding(const std::string& encoding);
  virtual ~BodyDecoder() = default;
  // Errc::decode when the data is not valid for the coding.
  virtual Result<void> feed(BytesView data, const Sink& out) = 0;
  // Errc::decode when the compressed stream was cut short.
  virtual Result<void> finish() = 0;
};

}  // namespace tern::cli::get
