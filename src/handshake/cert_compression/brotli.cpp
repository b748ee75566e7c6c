// SPDX-License-Identifier: Apache-2.0
// Brotli (RFC 7932) for certificate compression, on libbrotlienc/libbrotlidec.
#include <brotli/decode.h>
#include <brotli/encode.h>

#include <cstdlib>

#include "handshake/cert_compression/compressor.h"

namespace tern::handshake::cert_compression {

namespace {

// The decoder's memory, counted: a hostile stream may announce a 16 MiB window, which a
// Certificate of at most 64 KiB never needs (the decoder sizes its ring buffer to the
// output when the stream says it is short, as every encoder's single-block output does).
constexpr size_t kDecoderMemoryBudget = 1 << 20;

struct Budget {
  size_t used = 0;
};

void* budget_alloc(void* opaque, size_t size) {
  auto* budget = static_cast<Budget*>(opaque);
  if (size > kDecoderMemoryBudget - budget->used) return nullptr;
  // The size goes in front, so free can give it back.
  auto* block = static_cast<size_t*>(std::malloc(size + sizeof(std::max_align_t)));
  if (!block) return nullptr;
  *block = size;
  budget->used += size;
  return reinterpret_cast<unsigned char*>(block) + sizeof(std::max_align_t);
}

void budget_free(void* opaque, void* address) {
  if (!address) return;
  auto* block =
      reinterpret_cast<size_t*>(static_cast<unsigned char*>(address) - sizeof(std::max_align_t));
  static_cast<Budget*>(opaque)->used -= *block;
  std::free(block);
}

Result<Bytes> compress(BytesView input) {
  size_t size = BrotliEncoderMaxCompressedSize(input.size());
  if (size == 0) return Error(Errc::internal, "brotli: input too large to compress");
  Bytes out(size);
  // Quality 11: compressed once per chain (the server caches it), so the best ratio pays.
  if (!BrotliEncoderCompress(BROTLI_MAX_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC,
                             input.size(), input.data(), &size, out.data()))
    return Error(Errc::internal, "brotli: compression failed");
  out.resize(size);
  return out;
}

Result<size_t> decompress(BytesView input, std::span<uint8_t> out) {
  Budget budget;
  auto* state = BrotliDecoderCreateInstance(budget_alloc, budget_free, &budget);
  if (!state) return Error(Errc::internal, "brotli: cannot create a decoder");
  size_t in_left = input.size(), out_left = out.size();
  const uint8_t* next_in = input.data();
  uint8_t* next_out = out.data();
  BrotliDecoderResult result =
      BrotliDecoderDecompressStream(state, &in_left, &next_in, &out_left, &next_out, nullptr);
  const char* why = nullptr;
  if (result == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT)
    why = "the stream decodes to more bytes than announced";
  else if (result == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT)
    why = "the stream is truncated";
  else if (result == BROTLI_DECODER_RESULT_ERROR)
    why = BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state));
  else if (in_left != 0)
    why = "bytes follow the end of the stream";
  BrotliDecoderDestroyInstance(state);
  if (why) return Error(Errc::decode, std::string("brotli: ") + why, Alert::bad_certificate);
  return out.size() - out_left;
}

}  // namespace

const Codec& brotli_codec() {
  static const Codec codec{2, compress, decompress};
  return codec;
}

}  // namespace tern::handshake::cert_compression
