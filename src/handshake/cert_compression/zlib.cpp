// SPDX-License-Identifier: Apache-2.0
// zlib (RFC 1950) for certificate compression, on zlib.
#include <zlib.h>

#include "handshake/cert_compression/compressor.h"

namespace tern::handshake::cert_compression {

namespace {

Result<Bytes> compress(BytesView input) {
  uLongf size = compressBound(static_cast<uLong>(input.size()));
  Bytes out(size);
  if (compress2(out.data(), &size, input.data(), static_cast<uLong>(input.size()),
                Z_BEST_COMPRESSION) != Z_OK)
    return Error(Errc::internal, "zlib: compression failed");
  out.resize(size);
  return out;
}

Result<size_t> decompress(BytesView input, std::span<uint8_t> out) {
  z_stream stream{};
  // RFC 1950 only (no gzip header): window bits 15, the largest, so at most 32 KiB of window.
  if (inflateInit(&stream) != Z_OK) return Error(Errc::internal, "zlib: cannot create a decoder");
  stream.next_in = const_cast<Bytef*>(input.data());
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  int status = inflate(&stream, Z_FINISH);
  size_t produced = out.size() - stream.avail_out;
  bool trailing = stream.avail_in != 0;
  inflateEnd(&stream);
  const char* why = nullptr;
  if (status == Z_STREAM_END)
    why = trailing ? "bytes follow the end of the stream" : nullptr;
  else if ((status == Z_BUF_ERROR || status == Z_OK) && produced == out.size())
    why = "the stream decodes to more bytes than announced";
  else if (status == Z_BUF_ERROR || status == Z_OK)
    why = "the stream is truncated";
  else
    why = "the stream is malformed";
  if (why) return Error(Errc::decode, std::string("zlib: ") + why, Alert::bad_certificate);
  return produced;
}

}  // namespace

const Codec& zlib_codec() {
  static const Codec codec{1, compress, decompress};
  return codec;
}

}  // namespace tern::handshake::cert_compression
