// SPDX-License-Identifier: Apache-2.0
// Certificate compression on the wire (RFC 8879): the compress_certificate extension body
// (kept as a RawExtension by the generic extension parser, read here) and the
// CompressedCertificate message. No decompression here: that is src/handshake/cert_compression.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "msgs/codes.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::msgs {

// CertificateCompressionAlgorithm code points: zlib(1), brotli(2), zstd(3).
std::string certificate_compression_name(uint16_t algorithm);

// compress_certificate extension_data: CertificateCompressionAlgorithms (RFC 8879 §3),
// algorithms<2..2^8-2>. Duplicates are illegal_parameter.
struct CertificateCompressionAlgorithms {
  std::vector<uint16_t> algorithms;

  static Result<CertificateCompressionAlgorithms> parse(BytesView extension_data);
  Bytes encode() const;  // the extension_data
};

// CompressedCertificate (RFC 8879 §4): replaces a TLS 1.3 Certificate message. The
// compressed bytes are the Certificate message's body (no handshake header), as BoringSSL,
// OpenSSL and Chromium do.
struct CompressedCertificate {
  static constexpr HandshakeType kType = HandshakeType::compressed_certificate;

  uint16_t algorithm = 0;
  uint32_t uncompressed_length = 0;      // u24
  Bytes compressed_certificate_message;  // <1..2^24-1>

  static Result<CompressedCertificate> parse(BytesView body);
  Bytes encode() const;
};

// For traces: algorithm, both sizes.
std::string describe(const CompressedCertificate& m);

}  // namespace tern::msgs
