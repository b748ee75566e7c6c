// SPDX-License-Identifier: Apache-2.0
#include "msgs/compressed_certificate.h"

#include <algorithm>

#include "base/encoding.h"
#include "msgs/codec_util.h"

namespace tern::msgs {

using base::Reader;
using base::Writer;
using detail::decode_error;
using detail::field;
using detail::illegal_parameter;

std::string certificate_compression_name(uint16_t algorithm) {
  switch (algorithm) {
    case 1: return "zlib";
    case 2: return "brotli";
    case 3: return "zstd";
    default: break;
  }
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", algorithm);
  return buf;
}

Result<CertificateCompressionAlgorithms> CertificateCompressionAlgorithms::parse(
    BytesView extension_data) {
  static constexpr const char* kName = "compress_certificate";
  Reader r(extension_data);
  BytesView list;
  if (!r.vec8(list)) return decode_error(field(kName, "algorithms length exceeds the extension"));
  if (!r.empty()) return detail::trailing(kName, r);
  if (list.size() < 2) return decode_error(field(kName, "algorithms is empty"));
  CertificateCompressionAlgorithms out;
  if (!detail::read_u16_list(list, out.algorithms))
    return decode_error(field(kName, "algorithms has an odd length"));
  // At most 127 entries: sorting a copy finds duplicates cheaply.
  std::vector<uint16_t> sorted = out.algorithms;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    return illegal_parameter(field(kName, "an algorithm is listed twice"));
  return out;
}

Bytes CertificateCompressionAlgorithms::encode() const {
  Writer w;
  w.vec8([&] {
    for (uint16_t a : algorithms) w.u16(a);
  });
  return w.take();
}

Result<CompressedCertificate> CompressedCertificate::parse(BytesView body) {
  static constexpr const char* kName = "CompressedCertificate";
  Reader r(body);
  CompressedCertificate out;
  BytesView compressed;
  if (!r.u16(out.algorithm)) return decode_error(field(kName, "truncated algorithm"));
  if (!r.u24(out.uncompressed_length))
    return decode_error(field(kName, "truncated uncompressed_length"));
  if (!r.vec24(compressed))
    return decode_error(field(kName, "compressed_certificate_message length exceeds the message"));
  if (!r.empty()) return detail::trailing(kName, r);
  if (compressed.empty())
    return decode_error(field(kName, "compressed_certificate_message is empty"));
  out.compressed_certificate_message.assign(compressed.begin(), compressed.end());
  return out;
}

Bytes CompressedCertificate::encode() const {
  return detail::framed(kType, [&](Writer& w) {
    w.u16(algorithm);
    w.u24(uncompressed_length);
    w.vec24([&] { w.bytes(compressed_certificate_message); });
  });
}

std::string describe(const CompressedCertificate& m) {
  size_t size = m.encode().size();
  std::string out = "CompressedCertificate (" + std::to_string(size) + " bytes)\n";
  out += "  algorithm: " + certificate_compression_name(m.algorithm) + "\n";
  out += "  uncompressed_length: " + std::to_string(m.uncompressed_length) + "\n";
  out += "  compressed_length: " + std::to_string(m.compressed_certificate_message.size()) + "\n";
  return out;
}

}  // namespace tern::msgs
