// SecretBuffer and the binary encoding of SessionData.
//
// Format 1 (all integers big-endian):
//   magic "TRNS" | format u8 = 1 | version u16 | cipher_suite u16 | flags u8 (bit 0: EMS)
//   | created_at u64 (two's complement) | lifetime u32 | ticket_age_add u32
//   | secret <0..64>u8 | server_name <0..255>u8 | alpn <0..255>u8 | ticket <0..65535>u16
//   | session_id <0..32>u8 | certificate count u8 (<= 10), each <1..2^24-1>u24 (<= 64 KiB
//   together)
// Unknown flag bits are refused rather than ignored: a later format that needs a flag
// gets a new format number, so an old reader never half-understands a session.
#include "tern/session.h"

#include "base/reader.h"
#include "base/secret.h"
#include "base/writer.h"

namespace tern {

// --- SecretBuffer -------------------------------------------------------------------------

SecretBuffer::SecretBuffer(SecretBuffer&& other) noexcept : data_(std::move(other.data_)) {
  other.data_.clear();
}

SecretBuffer& SecretBuffer::operator=(const SecretBuffer& other) {
  if (this != &other) {
    // Wipe before assign: assign may reallocate and free the old buffer unwiped.
    wipe();
    data_.assign(other.data_.begin(), other.data_.end());
  }
  return *this;
}

SecretBuffer& SecretBuffer::operator=(SecretBuffer&& other) noexcept {
  if (this != &other) {
    wipe();
    data_ = std::move(other.data_);
    other.data_.clear();
  }
  return *this;
}

void SecretBuffer::wipe() { base::secure_zero(data_.data(), data_.size()); }

// --- SessionData --------------------------------------------------------------------------

namespace {

constexpr uint8_t kMagic[] = {'T', 'R', 'N', 'S'};
constexpr uint8_t kFormat = 1;
constexpr uint8_t kFlagEms = 0x01;

Error decode_failure(const std::string& what) {
  return Error(Errc::decode, "session data: " + what, Alert::decode_error);
}

Error too_long(const char* field, size_t size, size_t limit) {
  return Error(Errc::usage, std::string("session ") + field + " is " + std::to_string(size) +
                                " bytes; at most " + std::to_string(limit) + " can be stored");
}

std::string to_string(BytesView b) { return std::string(as_chars(b)); }

}  // namespace

bool SessionData::expired(int64_t now) const {
  if (now < created_at) return true;
  // now >= created_at, so the difference fits in 64 unsigned bits without overflow.
  uint64_t age = static_cast<uint64_t>(now) - static_cast<uint64_t>(created_at);
  return age >= lifetime;
}

Result<Bytes> SessionData::encode() const {
  if (secret.size() > kMaxSecret) return too_long("secret", secret.size(), kMaxSecret);
  if (server_name.size() > kMaxName) return too_long("server name", server_name.size(), kMaxName);
  if (alpn.size() > kMaxName) return too_long("ALPN protocol", alpn.size(), kMaxName);
  if (ticket.size() > kMaxTicket) return too_long("ticket", ticket.size(), kMaxTicket);
  if (session_id.size() > kMaxSessionId)
    return too_long("session ID", session_id.size(), kMaxSessionId);
  if (peer_chain.size() > kMaxChainCerts)
    return Error(Errc::usage, "the peer chain has " + std::to_string(peer_chain.size()) +
                                  " certificates; at most " + std::to_string(kMaxChainCerts) +
                                  " can be stored");
  size_t chain_bytes = 0;
  for (const Bytes& cert : peer_chain) {
    if (cert.empty()) return Error(Errc::usage, "the peer chain holds an empty certificate");
    chain_bytes += cert.size();
  }
  if (chain_bytes > kMaxChainBytes) return too_long("peer chain", chain_bytes, kMaxChainBytes);

  base::Writer w(64 + secret.size() + ticket.size() + chain_bytes);
  w.bytes(kMagic);
  w.u8(kFormat);
  w.u16(version);
  w.u16(cipher_suite);
  w.u8(extended_master_secret ? kFlagEms : 0);
  w.u64(static_cast<uint64_t>(created_at));
  w.u32(lifetime);
  w.u32(ticket_age_add);
  // The limits checked above keep every vector within its length prefix.
  (void)w.vec8([&] { w.bytes(secret.view()); });
  (void)w.vec8([&] { w.bytes(server_name); });
  (void)w.vec8([&] { w.bytes(alpn); });
  (void)w.vec16([&] { w.bytes(ticket); });
  (void)w.vec8([&] { w.bytes(session_id); });
  w.u8(static_cast<uint8_t>(peer_chain.size()));
  for (const Bytes& cert : peer_chain) (void)w.vec24([&] { w.bytes(cert); });
  return w.take();
}

Result<SessionData> SessionData::decode(BytesView encoded) {
  if (encoded.size() > kMaxEncoded)
    return decode_failure(std::to_string(encoded.size()) + " bytes is more than a session holds");
  base::Reader r(encoded);
  BytesView magic;
  if (!r.bytes(sizeof kMagic, magic) || !equal(magic, kMagic))
    return decode_failure("not a tern session (bad magic)");
  uint8_t format = 0;
  if (!r.u8(format)) return decode_failure("truncated before the format number");
  if (format != kFormat)
    return decode_failure("format " + std::to_string(format) + " is not supported (expected " +
                          std::to_string(kFormat) + "); a newer tern wrote it?");

  SessionData s;
  uint8_t flags = 0;
  uint64_t created = 0;
  if (!r.u16(s.version) || !r.u16(s.cipher_suite) || !r.u8(flags) || !r.u64(created) ||
      !r.u32(s.lifetime) || !r.u32(s.ticket_age_add))
    return decode_failure("truncated in the fixed fields");
  if (flags & ~kFlagEms) return decode_failure("unknown flag bits set");
  s.extended_master_secret = (flags & kFlagEms) != 0;
  s.created_at = static_cast<int64_t>(created);

  BytesView secret, name, alpn, ticket, session_id;
  if (!r.vec8(secret)) return decode_failure("truncated secret");
  if (secret.size() > kMaxSecret) return decode_failure("secret is longer than 64 bytes");
  if (!r.vec8(name)) return decode_failure("truncated server name");
  if (!r.vec8(alpn)) return decode_failure("truncated ALPN protocol");
  if (!r.vec16(ticket)) return decode_failure("truncated ticket");
  if (!r.vec8(session_id)) return decode_failure("truncated session ID");
  if (session_id.size() > kMaxSessionId)
    return decode_failure("session ID is longer than 32 bytes");
  s.secret = SecretBuffer(secret);
  s.server_name = to_string(name);
  s.alpn = to_string(alpn);
  s.ticket.assign(ticket.begin(), ticket.end());
  s.session_id.assign(session_id.begin(), session_id.end());

  uint8_t count = 0;
  if (!r.u8(count)) return decode_failure("truncated before the peer chain");
  if (count > kMaxChainCerts)
    return decode_failure("peer chain of " + std::to_string(count) +
                          " certificates; at most 10 are allowed");
  size_t chain_bytes = 0;
  s.peer_chain.reserve(count);
  for (uint8_t i = 0; i < count; ++i) {
    BytesView cert;
    if (!r.vec24(cert)) return decode_failure("truncated peer certificate " + std::to_string(i));
    if (cert.empty()) return decode_failure("empty peer certificate " + std::to_string(i));
    chain_bytes += cert.size();
    if (chain_bytes > kMaxChainBytes) return decode_failure("peer chain is larger than 64 KiB");
    s.peer_chain.emplace_back(cert.begin(), cert.end());
  }
  if (!r.empty())
    return decode_failure(std::to_string(r.remaining()) + " trailing bytes after the session");
  return s;
}

}  // namespace tern
