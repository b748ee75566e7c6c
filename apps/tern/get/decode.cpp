// SPDX-License-Identifier: Apache-2.0
#include "get/decode.h"

#include <zlib.h>

#include <cctype>

namespace tern::cli::get {
namespace {

class ZlibDecoder final : public BodyDecoder {
 public:
  // windowBits 15 + 32: zlib detects the gzip or zlib wrapper itself ("deflate" in HTTP is
  // the zlib format, RFC 9110 §8.4.1.2).
  ZlibDecoder() { ok_ = inflateInit2(&z_, 15 + 32) == Z_OK; }
  ~ZlibDecoder() override {
    if (ok_) inflateEnd(&z_);
  }

  Result<void> feed(BytesView data, const Sink& out) override {
    if (!ok_) return Error(Errc::internal, "zlib could not start");
    z_.next_in = const_cast<Bytef*>(data.data());
    z_.avail_in = static_cast<uInt>(data.size());
    while (z_.avail_in > 0 && !ended_) {
      uint8_t piece[16 * 1024];
      z_.next_out = piece;
      z_.avail_out = sizeof piece;
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
        return Error(Errc::decode, std::string("the compressed body does not decode: ") +
                                       (z_.msg ? z_.msg : "zlib error " + std::to_string(rc)));
      size_t made = sizeof piece - z_.avail_out;
      if (made) out(BytesView(piece, made));
      if (rc == Z_STREAM_END) ended_ = true;
      if (rc == Z_BUF_ERROR && made == 0) break;
    }
    return ok();
  }

  Result<void> finish() override {
    if (!ended_) return Error(Errc::decode, "the compressed body ends early");
    return ok();
  }

 private:
  z_stream z_{};
  bool ok_ = false, ended_ = false;
};

}  // namespace

Result<std::unique_ptr<BodyDecoder>> BodyDecoder::for_encoding(const std::string& encoding) {
  std::string e;
  for (char c : encoding)
    if (!std::isspace(static_cast<unsigned char>(c)))
      e += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (e.empty() || e == "identity") return std::unique_ptr<BodyDecoder>();
  if (e == "gzip" || e == "x-gzip" || e == "deflate")
    return std::unique_ptr<BodyDecoder>(std::make_unique<ZlibDecoder>());
  return Error(Errc::unsupported, "the server sent Content-Encoding '" + encoding +
                                      "', which tern cannot decode (gzip and deflate only)");
}

}  // namespace tern::cli::get
