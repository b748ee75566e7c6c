// SPDX-License-Identifier: Apache-2.0
// Certificate compression (RFC 8879): one small interface over the three algorithms, each
// in its own file on its Debian library (brotli.cpp: libbrotli, zlib.cpp: zlib, zstd.cpp:
// libzstd), and what both roles do with it (certificate.cpp): choosing an algorithm,
// compressing a Certificate, decompressing a CompressedCertificate under a size limit, and
// the server's cache of compressed Certificates.
//
// Decompression is bounded: the output buffer is exactly the announced size plus one byte
// (so one byte too many is seen without producing more), and each decoder's own memory is
// capped (brotli by a counting allocator, zstd by its window limit, zlib by its fixed
// 32 KiB window), so a hostile stream costs at most a few hundred KiB and time linear in
// its input.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "msgs/extensions.h"
#include "msgs/reassembler.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::handshake::cert_compression {

// The largest uncompressed Certificate accepted: what the reassembler accepts for an
// uncompressed one (RFC 8879 §5: the same limit as without compression).
inline constexpr size_t kMaxUncompressedSize = msgs::kDefaultMaxHandshakeMessageSize;

// One algorithm. compress() fails only when the library does; decompress() fills `out`
// and returns how many bytes the stream decoded into it, failing (with a reason) when the
// stream is malformed, truncated, has trailing bytes, or does not fit into `out`.
struct Codec {
  uint16_t algorithm;
  Result<Bytes> (*compress)(BytesView input);
  Result<size_t> (*decompress)(BytesView input, std::span<uint8_t> out);
};

const Codec& brotli_codec();
const Codec& zlib_codec();
const Codec& zstd_codec();

// The codec for a code point, or nullptr when tern has none.
const Codec* find_codec(uint16_t algorithm);

// The first of `ours` (preference order) that the peer's compress_certificate extension in
// `peer_extensions` lists and tern implements; nullopt when the peer sent none or shares
// none. A malformed extension is decode_error.
Result<std::optional<uint16_t>> choose(const std::vector<uint16_t>& ours,
                                       const msgs::Extensions& peer_extensions);

// The compress_certificate extension offering `ours` (those tern implements); nullopt
// when none is left.
std::optional<msgs::Extension> offer(const std::vector<uint16_t>& ours);

// A whole CompressedCertificate message for a whole Certificate message (header included;
// its body is what is compressed).
Result<Bytes> compress_certificate(uint16_t algorithm, BytesView certificate_message);

// The Certificate *body* inside a CompressedCertificate body. `offered` is what this side
// sent in its compress_certificate (another algorithm is illegal_parameter); a length over
// kMaxUncompressedSize is refused before anything is allocated, and a stream that does not
// decode to exactly uncompressed_length bytes is bad_certificate.
Result<Bytes> decompress_certificate(BytesView compressed_certificate_body,
                                     const std::vector<uint16_t>& offered);

// The server's compressed Certificates, shared by every connection of a config (hence the
// lock): compressed once per (algorithm, exact Certificate message bytes), so a change in
// the message (another chain, an OCSP staple in an entry) compresses anew. Bounded: when
// full, it starts over.
class Cache {
 public:
  // The CompressedCertificate message for `certificate_message`, compressed now or earlier.
  Result<std::shared_ptr<const Bytes>> get(uint16_t algorithm, BytesView certificate_message);
  // Entries held (for tests).
  size_t size() const;
  // How many compressions it did (for tests: "compress once").
  size_t compressions() const;

  static constexpr size_t kMaxEntries = 64;

 private:
  struct Entry {
    uint16_t algorithm;
    Bytes certificate_message;
    std::shared_ptr<const Bytes> compressed;
  };
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  size_t compressions_ = 0;
};

// One side of one TLS 1.3 handshake: what it offered the peer, what the peer offered it,
// and the two hooks the state machines call (receiving and sending a Certificate).
class Negotiation {
 public:
  // The compress_certificate extension to send (ClientHello, CertificateRequest), if any
  // of `ours` is implemented; remembered, so the peer's CompressedCertificate is accepted.
  std::optional<msgs::Extension> offer(const std::vector<uint16_t>& ours);
  // The peer's compress_certificate (ClientHello, CertificateRequest), against `ours`.
  Result<void> read_peer_offer(const std::vector<uint16_t>& ours,
                               const msgs::Extensions& peer_extensions);
  // Whether a message of `type` may stand in for the expected Certificate.
  bool accepts(msgs::HandshakeType type) const {
    return type == msgs::HandshakeType::compressed_certificate && !offered_.empty();
  }
  // The Certificate body of a Certificate or a CompressedCertificate (decompressed into
  // `storage`).
  Result<BytesView> certificate_body(const msgs::HandshakeMessage& message, Bytes& storage) const;
  // Our Certificate as it goes out: compressed when the peer offered an algorithm we
  // share (through `cache` when there is one), else as it is.
  Result<Bytes> outgoing(Bytes certificate_message, Cache* cache) const;

 private:
  std::vector<uint16_t> offered_;
  std::optional<uint16_t> compress_with_;
};

}  // namespace tern::handshake::cert_compression
