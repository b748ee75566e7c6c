// SPDX-License-Identifier: Apache-2.0
// SecretBuffer and the binary encoding of SessionData.
//
// Format 2 (all integers big-endian):
//   magic "TRNS" | format u8 = 2 | version u16 | cipher_suite u16 | flags u8 (bit 0: EMS,
//   bit 1: auth.require_ocsp)
//   | created_at u64 (two's complement) | lifetime u32 | ticket_age_add u32
//   | secret <0..64>u8 | server_name <0..255>u8 | alpn <0..255>u8 | ticket <0..65535>u16
//   | session_id <0..32>u8 | certificate count u8 (<= 10), each <1..2^24-1>u24 (<= 64 KiB
//   together) | auth mode u8 (0..3) | auth roots <0 or 32>u8 | auth hostname <0..255>u8
// Format 3: format 2 followed by max_early_data u32 (TLS 1.3 0-RTT); written only when it
// is not 0, so sessions without 0-RTT keep format 2's bytes.
// Format 1 (no auth context) is refused: nothing in it says whether the peer was ever
// authenticated. Unknown flag bits are refused rather than ignored, so an old reader never
// half-understands a session: one that predates bit 1 refuses a session that has it.
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
constexpr uint8_t kFormat = 2;
constexpr uint8_t kFormatEarlyData = 3;  // format 2 + max_early_data
constexpr uint8_t kFlagEms = 0x01;
constexpr uint8_t kFlagRequireOcsp = 0x02;  // auth.require_ocsp

Error decode_failure(const std::string& what) {
  return Error(Errc::decode, "session data: " + what, Alert::decode_error);
}

Error too_long(const char* field, size_t size, size_t limit) {
  return Error(Errc::usage, std::string("session ") + field + " is " + std::to_string(size) +
                                " bytes; at most " + std::to_string(limit) + " can be stored");
}

std::string to_string(BytesView b) { return std::string(as_chars(b)); }

// The limits that encode() and the caches enforce; the size of the chain when they hold.
Result<size_t> check_limits(const SessionData& s) {
  using L = SessionData;
  if (s.secret.size() > L::kMaxSecret) return too_long("secret", s.secret.size(), L::kMaxSecret);
  if (s.server_name.size() > L::kMaxName)
    return too_long("server name", s.server_name.size(), L::kMaxName);
  if (s.alpn.size() > L::kMaxName) return too_long("ALPN protocol", s.alpn.size(), L::kMaxName);
  if (s.ticket.size() > L::kMaxTicket) return too_long("ticket", s.ticket.size(), L::kMaxTicket);
  if (s.session_id.size() > L::kMaxSessionId)
    return too_long("session ID", s.session_id.size(), L::kMaxSessionId);
  if (s.peer_chain.size() > L::kMaxChainCerts)
    return Error(Errc::usage, "the peer chain has " + std::to_string(s.peer_chain.size()) +
                                  " certificates; at most " + std::to_string(L::kMaxChainCerts) +
                                  " can be stored");
  size_t chain_bytes = 0;
  for (const Bytes& cert : s.peer_chain) {
    if (cert.empty()) return Error(Errc::usage, "the peer chain holds an empty certificate");
    chain_bytes += cert.size();
  }
  if (chain_bytes > L::kMaxChainBytes)
    return too_long("peer chain", chain_bytes, L::kMaxChainBytes);
  if (s.auth.mode > AuthContext::Mode::require)
    return Error(Errc::usage, "the session's authentication mode is unknown");
  if (!s.auth.roots.empty() && s.auth.roots.size() != AuthContext::kFingerprintSize)
    return too_long("roots fingerprint", s.auth.roots.size(), AuthContext::kFingerprintSize);
  if (s.auth.hostname.size() > L::kMaxName)
    return too_long("verified host name", s.auth.hostname.size(), L::kMaxName);
  return chain_bytes;
}

}  // namespace

std::string auth_mismatch(const AuthContext& made, const AuthContext& current) {
  using Mode = AuthContext::Mode;
  if (made == current) return "";
  bool client_side = made.mode <= Mode::verified && current.mode <= Mode::verified;
  if (client_side) {
    if (made.mode == Mode::none)
      return "it was made without verifying the server (-k), and this connection verifies it";
    if (current.mode == Mode::none)
      return "it was made verifying the server, and this connection does not (-k)";
    if (made.hostname != current.hostname)
      return "it was made for the name '" + made.hostname + "', not '" + current.hostname + "'";
    if (made.roots != current.roots)
      return "the server was verified against other trusted roots than this connection's";
    if (current.require_ocsp && !made.require_ocsp)
      return "it was made without requiring a good OCSP staple, and this connection requires "
             "one (--require-ocsp)";
    return "the server was authenticated under other verification settings";
  }
  if (made.mode != current.mode) return "it was made under another client-auth mode";
  if (made.roots != current.roots) return "the client was verified against other client roots";
  return "the peer was authenticated under other verification settings";
}

bool SessionData::expired(int64_t now) const {
  if (now < created_at) return true;
  // now >= created_at, so the difference fits in 64 unsigned bits without overflow.
  uint64_t age = static_cast<uint64_t>(now) - static_cast<uint64_t>(created_at);
  return age >= lifetime;
}

bool SessionData::storable() const { return static_cast<bool>(check_limits(*this)); }

Result<Bytes> SessionData::encode() const {
  TERN_TRY(size_t chain_bytes, check_limits(*this));
  base::Writer w(64 + secret.size() + ticket.size() + chain_bytes);
  w.bytes(kMagic);
  w.u8(max_early_data ? kFormatEarlyData : kFormat);
  w.u16(version);
  w.u16(cipher_suite);
  w.u8((extended_master_secret ? kFlagEms : 0) | (auth.require_ocsp ? kFlagRequireOcsp : 0));
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
  w.u8(static_cast<uint8_t>(auth.mode));
  (void)w.vec8([&] { w.bytes(auth.roots); });
  (void)w.vec8([&] { w.bytes(auth.hostname); });
  if (max_early_data) w.u32(max_early_data);
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
  if (format < kFormat)
    return Error(Errc::unsupported,
                 "session format " + std::to_string(format) +
                     " was written by an older tern and does not record how the peer was "
                     "authenticated, so it is never resumed");
  if (format != kFormat && format != kFormatEarlyData)
    return Error(Errc::unsupported, "session format " + std::to_string(format) +
                                        " is not supported (expected " + std::to_string(kFormat) +
                                        " or " + std::to_string(kFormatEarlyData) +
                                        "); a newer tern wrote it?");

  SessionData s;
  uint8_t flags = 0;
  uint64_t created = 0;
  if (!r.u16(s.version) || !r.u16(s.cipher_suite) || !r.u8(flags) || !r.u64(created) ||
      !r.u32(s.lifetime) || !r.u32(s.ticket_age_add))
    return decode_failure("truncated in the fixed fields");
  if (flags & ~(kFlagEms | kFlagRequireOcsp)) return decode_failure("unknown flag bits set");
  s.extended_master_secret = (flags & kFlagEms) != 0;
  s.auth.require_ocsp = (flags & kFlagRequireOcsp) != 0;
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
  uint8_t mode = 0;
  BytesView roots, hostname;
  if (!r.u8(mode) || !r.vec8(roots) || !r.vec8(hostname))
    return decode_failure("truncated in the authentication context");
  if (mode > static_cast<uint8_t>(AuthContext::Mode::require))
    return decode_failure("unknown authentication mode " + std::to_string(mode));
  if (!roots.empty() && roots.size() != AuthContext::kFingerprintSize)
    return decode_failure("the roots fingerprint is not 32 bytes");
  s.auth.mode = static_cast<AuthContext::Mode>(mode);
  s.auth.roots.assign(roots.begin(), roots.end());
  s.auth.hostname = to_string(hostname);
  if (format == kFormatEarlyData && (!r.u32(s.max_early_data) || s.max_early_data == 0))
    return decode_failure("format 3 without a non-zero max_early_data");
  if (!r.empty())
    return decode_failure(std::to_string(r.remaining()) + " trailing bytes after the session");
  return s;
}

}  // namespace tern
