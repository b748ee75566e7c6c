// SPDX-License-Identifier: Apache-2.0
// What both roles do with certificate compression: see compressor.h.
#include <algorithm>

#include "handshake/cert_compression/compressor.h"
#include "msgs/compressed_certificate.h"
#include "msgs/handshake.h"

namespace tern::handshake::cert_compression {

const Codec* find_codec(uint16_t algorithm) {
  for (const Codec* codec : {&brotli_codec(), &zstd_codec(), &zlib_codec()})
    if (codec->algorithm == algorithm) return codec;
  return nullptr;
}

Result<std::optional<uint16_t>> choose(const std::vector<uint16_t>& ours,
                                       const msgs::Extensions& peer_extensions) {
  const msgs::Extension* ext =
      msgs::find_extension(peer_extensions, msgs::ExtensionType::compress_certificate);
  auto* raw = ext ? ext->get<msgs::RawExtension>() : nullptr;
  if (!raw) return std::optional<uint16_t>();
  TERN_TRY(auto theirs, msgs::CertificateCompressionAlgorithms::parse(raw->data));
  for (uint16_t a : ours)
    if (find_codec(a) &&
        std::find(theirs.algorithms.begin(), theirs.algorithms.end(), a) != theirs.algorithms.end())
      return std::optional<uint16_t>(a);
  return std::optional<uint16_t>();
}

std::optional<msgs::Extension> offer(const std::vector<uint16_t>& ours) {
  msgs::CertificateCompressionAlgorithms list;
  for (uint16_t a : ours)
    if (find_codec(a) &&
        std::find(list.algorithms.begin(), list.algorithms.end(), a) == list.algorithms.end())
      list.algorithms.push_back(a);
  if (list.algorithms.empty()) return std::nullopt;
  return msgs::Extension{msgs::ExtensionType::compress_certificate,
                         msgs::RawExtension{list.encode()}};
}

Result<Bytes> compress_certificate(uint16_t algorithm, BytesView certificate_message) {
  const Codec* codec = find_codec(algorithm);
  if (!codec)
    return Error(Errc::internal, "certificate compression: no codec for " +
                                     msgs::certificate_compression_name(algorithm));
  BytesView body = certificate_message.subspan(msgs::kHandshakeHeaderSize);
  msgs::CompressedCertificate message;
  message.algorithm = algorithm;
  message.uncompressed_length = static_cast<uint32_t>(body.size());
  TERN_TRY(message.compressed_certificate_message, codec->compress(body));
  return message.encode();
}

Result<Bytes> decompress_certificate(BytesView compressed_certificate_body,
                                     const std::vector<uint16_t>& offered) {
  TERN_TRY(auto message, msgs::CompressedCertificate::parse(compressed_certificate_body));
  std::string algorithm = msgs::certificate_compression_name(message.algorithm);
  const Codec* codec = find_codec(message.algorithm);
  if (!codec || std::find(offered.begin(), offered.end(), message.algorithm) == offered.end())
    return Error(Errc::protocol,
                 "the peer compressed its Certificate with " + algorithm +
                     ", which tern did not offer in compress_certificate",
                 Alert::illegal_parameter);
  // Checked before allocating: a peer cannot make us reserve more than an uncompressed
  // Certificate could take.
  if (message.uncompressed_length > kMaxUncompressedSize || message.uncompressed_length == 0)
    return Error(Errc::certificate,
                 "the peer's CompressedCertificate announces " +
                     std::to_string(message.uncompressed_length) +
                     " bytes uncompressed; tern accepts 1 to " +
                     std::to_string(kMaxUncompressedSize),
                 Alert::bad_certificate);
  // One byte more than announced, to see a stream that decodes to more.
  Bytes out(message.uncompressed_length + 1);
  auto produced = codec->decompress(message.compressed_certificate_message, out);
  if (!produced)
    return Error(Errc::certificate,
                 "the peer's CompressedCertificate (" + algorithm +
                     ") does not decompress: " + produced.error().detail,
                 Alert::bad_certificate);
  if (*produced != message.uncompressed_length)
    return Error(
        Errc::certificate,
        "the peer's CompressedCertificate (" + algorithm + ") decompresses to " +
            (*produced > message.uncompressed_length ? "more than"
                                                     : std::to_string(*produced) + " bytes, not") +
            " the " + std::to_string(message.uncompressed_length) + " it announces",
        Alert::bad_certificate);
  out.resize(*produced);
  return out;
}

Result<std::shared_ptr<const Bytes>> Cache::get(uint16_t algorithm, BytesView certificate_message) {
  {
    std::lock_guard lock(mutex_);
    for (const Entry& e : entries_)
      if (e.algorithm == algorithm && equal(e.certificate_message, certificate_message))
        return e.compressed;
  }
  // Compressed outside the lock: connections of other chains need not wait. Two
  // connections racing for the same new entry both compress, once each.
  TERN_TRY(auto compressed, compress_certificate(algorithm, certificate_message));
  auto shared = std::make_shared<const Bytes>(std::move(compressed));
  std::lock_guard lock(mutex_);
  ++compressions_;
  for (const Entry& e : entries_)
    if (e.algorithm == algorithm && equal(e.certificate_message, certificate_message))
      return e.compressed;
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.push_back(
      {algorithm, Bytes(certificate_message.begin(), certificate_message.end()), shared});
  return shared;
}

size_t Cache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

size_t Cache::compressions() const {
  std::lock_guard lock(mutex_);
  return compressions_;
}

std::optional<msgs::Extension> Negotiation::offer(const std::vector<uint16_t>& ours) {
  auto ext = cert_compression::offer(ours);
  offered_.clear();
  if (ext) {
    auto list = msgs::CertificateCompressionAlgorithms::parse(ext->get<msgs::RawExtension>()->data);
    if (list) offered_ = list->algorithms;
  }
  return ext;
}

Result<void> Negotiation::read_peer_offer(const std::vector<uint16_t>& ours,
                                          const msgs::Extensions& peer_extensions) {
  TERN_TRY(compress_with_, choose(ours, peer_extensions));
  return ok();
}

Result<BytesView> Negotiation::certificate_body(const msgs::HandshakeMessage& message,
                                                Bytes& storage) const {
  if (message.type != msgs::HandshakeType::compressed_certificate) return message.body();
  TERN_TRY(storage, decompress_certificate(message.body(), offered_));
  return BytesView(storage);
}

Result<Bytes> Negotiation::outgoing(Bytes certificate_message, Cache* cache) const {
  if (!compress_with_) return certificate_message;
  if (!cache) return compress_certificate(*compress_with_, certificate_message);
  TERN_TRY(auto compressed, cache->get(*compress_with_, certificate_message));
  return *compressed;
}

}  // namespace tern::handshake::cert_compression
