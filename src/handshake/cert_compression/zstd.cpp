// SPDX-License-Identifier: Apache-2.0
// Zstandard (RFC 8878) for certificate compression, on libzstd.
#include <zstd.h>

#include "handshake/cert_compression/compressor.h"

namespace tern::handshake::cert_compression {

namespace {

// A window of 128 KiB covers any Certificate tern accepts (64 KiB); a frame that asks for
// more is refused before the decoder allocates it.
constexpr int kMaxWindowLog = 17;

Result<Bytes> compress(BytesView input) {
  Bytes out(ZSTD_compressBound(input.size()));
  size_t size = ZSTD_compress(out.data(), out.size(), input.data(), input.size(), 19);
  if (ZSTD_isError(size)) return Error(Errc::internal, "zstd: compression failed");
  out.resize(size);
  return out;
}

Result<size_t> decompress(BytesView input, std::span<uint8_t> out) {
  ZSTD_DCtx* context = ZSTD_createDCtx();
  if (!context) return Error(Errc::internal, "zstd: cannot create a decoder");
  ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, kMaxWindowLog);
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  ZSTD_outBuffer output{out.data(), out.size(), 0};
  size_t status;
  // Until the frame ends, an error, or no more progress (input used up or output full).
  for (;;) {
    size_t in_before = in.pos, out_before = output.pos;
    status = ZSTD_decompressStream(context, &output, &in);
    if (ZSTD_isError(status) || status == 0) break;
    if (in.pos == in_before && output.pos == out_before) break;
  }
  ZSTD_freeDCtx(context);
  // One frame: status 0 means it ended, and then nothing may follow it.
  std::string why;
  if (ZSTD_isError(status))
    why = ZSTD_getErrorName(status);
  else if (status != 0 && output.pos == output.size)
    why = "the stream decodes to more bytes than announced";
  else if (status != 0)
    why = "the stream is truncated";
  else if (in.pos != in.size)
    why = "bytes follow the end of the frame";
  if (!why.empty()) return Error(Errc::decode, "zstd: " + why, Alert::bad_certificate);
  return output.pos;
}

}  // namespace

const Codec& zstd_codec() {
  static const Codec codec{3, compress, decompress};
  return codec;
}

}  // namespace tern::handshake::cert_compression
