// SPDX-License-Identifier: Apache-2.0
// Fuzzes certificate decompression (RFC 8879): the CompressedCertificate parser, the three
// decoders (brotli, zlib, zstd) and the Certificate parser behind them. The first byte picks
// the form: even, the rest is a CompressedCertificate body as a peer sends it; odd, byte 1
// picks the algorithm and bytes 2-3 the announced length (up to 64 KiB), and the rest is the
// compressed stream, so the fuzzer reaches the decoders without also learning the framing.
// Nothing may crash, hang, read out of bounds or allocate beyond the announced length;
// a success decodes to exactly the announced length; every failure carries an alert.
#include "msgs/compressed_certificate.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "handshake/cert_compression/compressor.h"
#include "msgs/handshake.h"

namespace {

using namespace tern;

void require(bool condition) {
  if (!condition) std::abort();
}

const std::vector<uint16_t> kOffered = {1, 2, 3};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  BytesView input(data + 1, size - 1);
  Bytes body;
  if (data[0] & 1) {
    if (input.size() < 3) return 0;
    msgs::CompressedCertificate m;
    m.algorithm = static_cast<uint16_t>(1 + input[0] % 3);
    m.uncompressed_length = static_cast<uint32_t>(input[1] << 8 | input[2]);
    m.compressed_certificate_message.assign(input.begin() + 3, input.end());
    Bytes encoded = m.encode();
    body.assign(encoded.begin() + 4, encoded.end());
    input = body;
  }
  auto parsed = msgs::CompressedCertificate::parse(input);
  if (parsed) require(!msgs::describe(*parsed).empty());
  auto certificate = handshake::cert_compression::decompress_certificate(input, kOffered);
  if (!certificate) {
    require(certificate.error().alert != Alert::none && !certificate.error().detail.empty());
    return 0;
  }
  require(parsed && certificate->size() == parsed->uncompressed_length);
  require(certificate->size() <= handshake::cert_compression::kMaxUncompressedSize);
  auto chain = msgs::Certificate13::parse(*certificate);
  (void)chain;
  return 0;
}
