// SPDX-License-Identifier: Apache-2.0
/// @file
/// Session resumption building blocks: what a resumable session is, how it is stored and
/// how a server protects the tickets it hands out. The engine uses these for TLS 1.3
/// NewSessionTicket/PSK resumption and for TLS 1.2 session tickets (RFC 5077) and session
/// IDs; nothing here touches a socket or a clock (time is always a parameter, unix seconds).
///
/// Design:
/// - SessionData is plain data with a versioned binary encoding (magic "TRNS", format 2).
///   decode() is a trust boundary (session files and ticket plaintexts are untrusted): every
///   length is bounded and trailing bytes are refused. Version and suite numbers are kept
///   as they are; the engine decides whether it can resume them.
/// - Every session records how its peer was authenticated (AuthContext). Neither side
///   resumes a session under a config whose own context differs: a session never outlives
///   the trust that made it.
/// - Client side: ClientSessionCache keeps sessions per server name. TLS 1.3 tickets are
///   single use (RFC 8446 §C.4: reusing one lets a passive observer link connections), so
///   take() removes them, newest first; a TLS 1.2 session may be resumed repeatedly, so
///   take() returns a copy. `tern get --sess-out/--sess-in` uses the PEM file helpers.
/// - Server side: ServerSessionCache maps TLS 1.2 session IDs to sessions. TicketKeys seals
///   tickets with AES-256-GCM under keys that rotate on a schedule with no coordination:
///   the key of epoch e = floor(now / period) is derived with HKDF-SHA256 from one master
///   secret, so every server that shares the master secret (a key file) derives the same
///   keys at the same time and resumes the others' sessions. A ticket opens under the
///   current and the previous epoch's key only: it lives between one and two periods.
///   Issue tickets with a lifetime no longer than the rotation period. A leaked epoch key
///   exposes that epoch's tickets only; a leaked master secret exposes every ticket sealed
///   under it, past ones included, so guard the key file and replace it (which cuts all
///   outstanding tickets) if it may have leaked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tern/export.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern {

/// Bytes wiped when they go away: a session's secret, an opened ticket. Unlike the library's
/// internal SecretBytes it is copyable, because sessions are copied out of caches; each copy
/// wipes itself.
class TERN_API SecretBuffer {
 public:
  SecretBuffer() = default;
  /// `n` zero bytes.
  explicit SecretBuffer(size_t n) : data_(n) {}
  /// A copy of `b`.
  explicit SecretBuffer(BytesView b) : data_(b.begin(), b.end()) {}
  /// A copy; each copy wipes itself.
  SecretBuffer(const SecretBuffer& other) : data_(other.data_) {}
  /// Takes the other's bytes; the other is left empty.
  SecretBuffer(SecretBuffer&& other) noexcept;
  /// Wipes its bytes, then copies the other's.
  SecretBuffer& operator=(const SecretBuffer& other);
  /// Wipes its bytes, then takes the other's; the other is left empty.
  SecretBuffer& operator=(SecretBuffer&& other) noexcept;
  ~SecretBuffer() { wipe(); }

  /// @{
  /// The bytes.
  uint8_t* data() { return data_.data(); }
  const uint8_t* data() const { return data_.data(); }
  /// @}
  /// How many bytes.
  size_t size() const { return data_.size(); }
  /// Whether it holds no bytes.
  bool empty() const { return data_.empty(); }
  /// The bytes, read-only.
  BytesView view() const { return data_; }
  /// The bytes, writable.
  std::span<uint8_t> span() { return data_; }

 private:
  void wipe();
  Bytes data_;
};

/// How the peer of a session was authenticated: the settings that decided to accept it. A
/// session is resumed only under a config whose own context is equal, compared as a whole
/// (a client that would not have accepted the server, or a server that would not have
/// accepted the client, does a full handshake instead). To make another verification setting
/// count (a verification profile, say), add a field here, to the encoding in session.cpp
/// (with a new format number) and to auth_mismatch().
struct AuthContext {
  static constexpr size_t kFingerprintSize = 32;  ///< SHA-256

  /// How the peer was authenticated.
  enum class Mode : uint8_t {
    none = 0,      ///< client: insecure_skip_verify; server: no client certificates asked for
    verified = 1,  ///< client: the server's chain was verified for `hostname` against `roots`
    request = 2,   ///< server: client_auth request (a certificate sent was verified)
    require = 3,   ///< server: client_auth require
  };
  /// How the peer was authenticated.
  Mode mode = Mode::none;
  /// TrustStore::fingerprint() of the roots the peer's chain is verified against (the
  /// server's roots on a client, the client roots on a server); empty when nothing is.
  Bytes roots;
  /// Client, verified: the name the server's certificate was checked for.
  std::string hostname;
  /// Client, verified: a good stapled OCSP response was required (ClientConfig::require_ocsp).
  /// A resumption brings no new staple, so only a session made under it resumes under it.
  bool require_ocsp = false;

  /// Equal when every field is.
  bool operator==(const AuthContext&) const = default;
};

/// Why a session made under `made` must not resume under `current`, as the end of a sentence
/// ("not resuming the saved session: " + ...), e.g. "it was made without verifying the
/// server (-k), ..."; empty when the two are equal.
TERN_API std::string auth_mismatch(const AuthContext& made, const AuthContext& current);

/// A resumable session, either side.
struct TERN_API SessionData {
  /// Limits that encode() and decode() enforce.
  static constexpr size_t kMaxSecret = 64;     ///< TLS uses 32 or 48
  static constexpr size_t kMaxName = 255;      ///< server_name and alpn
  static constexpr size_t kMaxTicket = 65535;  ///< the wire limit of both ticket messages
  static constexpr size_t kMaxSessionId = 32;  ///< RFC 5246 §7.4.1.2
  /// Most certificates in peer_chain.
  static constexpr size_t kMaxChainCerts = 10;
  static constexpr size_t kMaxChainBytes = 65536;    ///< all certificates together
  static constexpr size_t kMaxEncoded = 140 * 1024;  ///< more than all of the above

  uint16_t version = 0;  ///< 0x0304 (TLS 1.3) or 0x0303 (TLS 1.2); others kept as is
  /// The cipher suite it was made with.
  uint16_t cipher_suite = 0;
  /// TLS 1.3: the ticket's resumption PSK. TLS 1.2: the 48-byte master secret.
  SecretBuffer secret;
  bool extended_master_secret = false;  ///< TLS 1.2
  int64_t created_at = 0;               ///< unix seconds
  uint32_t lifetime = 0;                ///< seconds
  uint32_t ticket_age_add = 0;          ///< TLS 1.3
  /// TLS 1.3: the ticket's max_early_data_size (RFC 8446 §4.6.1); 0 = no 0-RTT with it.
  uint32_t max_early_data = 0;
  /// The server name (SNI) it was made for.
  std::string server_name;
  /// The ALPN protocol negotiated; empty if none.
  std::string alpn;
  std::vector<Bytes> peer_chain;  ///< DER, leaf first
  AuthContext auth;               ///< how the peer (and its chain) was authenticated
  /// Client side only: the ticket to send (TLS 1.3 or RFC 5077) and the TLS 1.2 session ID.
  Bytes ticket;
  /// Client side only: the TLS 1.2 session ID.
  Bytes session_id;

  /// Whether the session can no longer be resumed at `now`: created_at + lifetime <= now.
  /// A session created after `now` counts as expired too (a clock set back or a doctored
  /// file): resuming it would trust a timestamp we cannot check.
  bool expired(int64_t now) const;

  /// Whether every field is within the limits above. A session that is not (a peer chain of
  /// more than 10 certificates, say) is neither kept by the caches nor sealed in a ticket:
  /// cut down, it would resume with less of the peer's identity than the handshake saw.
  bool storable() const;
  /// Fails (Errc::usage, naming the field) when a field exceeds the limits above.
  Result<Bytes> encode() const;
  /// Errc::decode, Alert::decode_error, with a message naming what is wrong; Errc::unsupported
  /// for an encoding of another format (an older tern's sessions record no AuthContext, so
  /// they are never resumed).
  static Result<SessionData> decode(BytesView encoded);
};

/// @{
/// "-----BEGIN TERN SESSION-----" PEM around encode(), and back. session_from_pem needs
/// exactly one TERN SESSION block; text around it is ignored.
TERN_API Result<std::string> session_to_pem(const SessionData& session);
TERN_API Result<SessionData> session_from_pem(std::string_view pem);
/// @}

/// @{
/// Session files for `tern get --sess-out FILE` / `--sess-in FILE` (openssl s_client
/// -sess_out/-sess_in). Saving replaces the file atomically, mode 0600 (it holds a secret);
/// loading refuses a file that group or others may access (it could have been forged: its
/// AuthContext is a claim the file makes). Errors name the file and the OS error.
TERN_API Result<void> save_session_file(const std::string& path, const SessionData& session);
TERN_API Result<SessionData> load_session_file(const std::string& path);
/// @}

/// Client sessions by server name (or whatever key the caller uses, e.g. "name:port").
/// Thread-safe. At most `max_names` names (least recently used evicted; 0 stores nothing)
/// and at most 8 sessions per name (oldest dropped).
class TERN_API ClientSessionCache {
 public:
  /// Names kept by default.
  static constexpr size_t kDefaultMaxNames = 256;
  /// Sessions kept per name.
  static constexpr size_t kMaxPerName = 8;

  /// A cache of sessions for at most `max_names` names.
  explicit ClientSessionCache(size_t max_names = kDefaultMaxNames);
  ~ClientSessionCache();
  ClientSessionCache(const ClientSessionCache&) = delete;
  ClientSessionCache& operator=(const ClientSessionCache&) = delete;

  /// A TLS 1.2 session replaces the name's earlier TLS 1.2 sessions (take() would never
  /// prefer them); TLS 1.3 tickets accumulate, as servers send several. A session that is
  /// not storable() is ignored.
  void put(const std::string& name, SessionData session);
  /// The newest session for `name` that has not expired at `now`. TLS 1.3 sessions (and
  /// those of any version but TLS 1.2) are removed: single use. TLS 1.2 sessions stay and a
  /// copy is returned. Expired sessions met on the way are dropped.
  std::optional<SessionData> take(const std::string& name, int64_t now);
  /// How many names have sessions.
  size_t names() const;
  /// How many sessions `name` has.
  size_t sessions(const std::string& name) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// TLS 1.2 session-ID cache of a server. Thread-safe; at most `max_entries` sessions (least
/// recently used evicted); a session expires by its created_at + lifetime.
class TERN_API ServerSessionCache {
 public:
  /// Sessions kept by default.
  static constexpr size_t kDefaultMaxEntries = 20000;

  /// A cache of at most `max_entries` sessions.
  explicit ServerSessionCache(size_t max_entries = kDefaultMaxEntries);
  ~ServerSessionCache();
  ServerSessionCache(const ServerSessionCache&) = delete;
  ServerSessionCache& operator=(const ServerSessionCache&) = delete;

  /// Ignored for an empty or over-long (> 32 bytes) ID, a session expired at `now` and one
  /// that is not storable().
  void put(BytesView session_id, SessionData session, int64_t now);
  /// The session of `session_id`; nullopt if there is none or it has expired at `now`
  /// (it is then dropped).
  std::optional<SessionData> get(BytesView session_id, int64_t now);
  /// Forgets the session of `session_id`.
  void erase(BytesView session_id);
  /// How many sessions are kept.
  size_t size() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Session ticket protection for servers; shared by all connections (thread-safe).
/// ticket = key_name(16) || nonce(12) || AES-256-GCM ciphertext || tag(16), key_name as AAD.
/// Per epoch, key_name and key come from HKDF-SHA256 over the master secret with the
/// labels "tern ticket key name" / "tern ticket key" and the epoch (8 bytes, big-endian).
/// Nonces are random; rotation keeps each key's use far from the GCM random-nonce bound.
class TERN_API TicketKeys {
 public:
  static constexpr uint32_t kDefaultRotationPeriod = 43200;  ///< 12 hours
  /// Fewest bytes of a master secret.
  static constexpr size_t kMinMasterSecret = 32;
  /// Bytes of the key name that starts a ticket.
  static constexpr size_t kKeyNameSize = 16;
  /// Bytes a ticket adds to its plaintext: key name, nonce and GCM tag.
  static constexpr size_t kOverhead = kKeyNameSize + 12 + 16;

  /// A fresh random master secret: tickets open only in this process.
  static Result<std::shared_ptr<TicketKeys>> generate(
      uint32_t rotation_period_seconds = kDefaultRotationPeriod);
  /// A master secret shared with other servers (at least 32 bytes).
  static Result<std::shared_ptr<TicketKeys>> from_secret(
      BytesView master_secret, uint32_t rotation_period_seconds = kDefaultRotationPeriod);
  /// A key file: '#' comment lines and one line of at least 64 hex digits (the master
  /// secret). Refused, naming the file, when missing, accessible to group or others (any
  /// of mode 077: a writable key lets others forge tickets), too short or not hex.
  static Result<std::shared_ptr<TicketKeys>> load(
      const std::string& path, uint32_t rotation_period_seconds = kDefaultRotationPeriod);
  /// Creates a key file (mode 0600) with a fresh 32-byte secret; refuses to overwrite one.
  static Result<void> write_key_file(const std::string& path);

  ~TicketKeys();
  TicketKeys(const TicketKeys&) = delete;
  TicketKeys& operator=(const TicketKeys&) = delete;

  /// Seconds between key rotations.
  uint32_t rotation_period() const { return period_; }

  /// Seals under the key of the epoch of `now`. Fails only when the RNG or the cipher
  /// does, or when the ticket would exceed SessionData::kMaxTicket.
  Result<Bytes> seal(BytesView plaintext, int64_t now) const;
  /// The plaintext, or nullopt for anything malformed, unknown, sealed in an epoch other
  /// than `now`'s or the one before, or not authentic. Silent by design: the caller falls back to a full
  /// handshake, and an attacker learns nothing about why.
  std::optional<SecretBuffer> open(BytesView ticket, int64_t now) const;

  /// seal() of `session.encode()`; fails as they do.
  Result<Bytes> seal_session(const SessionData& session, int64_t now) const;
  /// nullopt also when the plaintext does not decode or the session has expired at `now`.
  std::optional<SessionData> open_session(BytesView ticket, int64_t now) const;

 private:
  struct State;
  TicketKeys(std::unique_ptr<State> state, uint32_t period);
  std::unique_ptr<State> state_;
  uint32_t period_;
};

}  // namespace tern
