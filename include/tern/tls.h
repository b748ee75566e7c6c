// SPDX-License-Identifier: Apache-2.0
/// @file
/// The sans-I/O TLS engine: ClientConnection and ServerConnection.
///
/// A connection never touches a socket, a clock or the OS random source. The caller feeds
/// it the bytes received from the peer, takes the bytes it wants sent, and reads and writes
/// plaintext. Time and randomness come from hooks in the config (defaults: the system clock
/// and the crypto provider's RNG), so tests can pin them.
///
/// @code
/// auto conn = tern::ClientConnection::create(config);
/// loop: send(conn->pending_output()); conn->consume_output(n);
///       conn->feed(received);  conn->read(buf);  conn->write(data);
/// @endcode
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tern/export.h"
#include "tern/anti_replay.h"
#include "tern/bytes.h"
#include "tern/external_psk.h"
#include "tern/ocsp.h"
#include "tern/result.h"
#include "tern/session.h"
#include "tern/x509.h"

namespace tern {

/// TLS code points, as numbers (the names are printed by the accessors below).
namespace tls {
/// @{
/// Protocol versions.
inline constexpr uint16_t kTls12 = 0x0303, kTls13 = 0x0304;
/// @}
/// @{
/// TLS 1.3 cipher suites.
inline constexpr uint16_t kAes128GcmSha256 = 0x1301, kAes256GcmSha384 = 0x1302,
                          kChacha20Poly1305Sha256 = 0x1303;
/// @}
/// @{
/// Key exchange groups: P-256, P-384, X25519.
inline constexpr uint16_t kSecp256r1 = 0x0017, kSecp384r1 = 0x0018, kX25519 = 0x001d;
/// @}
/// @{
/// Post-quantum hybrids, ML-KEM with ECDHE (RFC 10024; TLS 1.3 only).
inline constexpr uint16_t kSecp256r1Mlkem768 = 0x11eb, kX25519Mlkem768 = 0x11ec,
                          kSecp384r1Mlkem1024 = 0x11ed;
/// @}
/// @{
/// TLS 1.2 suites (ECDHE with AEADs; RSA key transport only with legacy_rsa_key_exchange).
inline constexpr uint16_t kEcdheEcdsaAes128GcmSha256 = 0xC02B, kEcdheEcdsaAes256GcmSha384 = 0xC02C,
                          kEcdheRsaAes128GcmSha256 = 0xC02F, kEcdheRsaAes256GcmSha384 = 0xC030,
                          kEcdheRsaChacha20Poly1305 = 0xCCA8, kEcdheEcdsaChacha20Poly1305 = 0xCCA9,
                          kRsaAes128GcmSha256 = 0x009C, kRsaAes256GcmSha384 = 0x009D;
/// @}
/// @{
/// Certificate compression algorithms (RFC 8879 §3; TLS 1.3 only).
inline constexpr uint16_t kCertCompressionZlib = 1, kCertCompressionBrotli = 2,
                          kCertCompressionZstd = 3;
/// @}
}  // namespace tls

/// Which way a message or record went, seen from this side of the connection.
enum class Direction : uint8_t { sent, received };
/// Which keys protected a handshake message on the wire.
enum class Protection : uint8_t { plaintext, handshake_keys, application_keys,
                                  early_keys  ///< TLS 1.3 0-RTT (client_early_traffic_secret)
};

/// Callbacks for tracing (`tern trace`, `tern serve --trace`), in the order things happen
/// on this side of the connection. Everything is optional; a null Observer costs nothing
/// (every call is behind a null check, and nothing is formatted for it).
class TERN_API Observer {
 public:
  virtual ~Observer() = default;
  /// One handshake message, sent (when queued) or received (when processed): its type code,
  /// the whole message (header included; its size is message.size()), and a multi-line
  /// description (msgs::describe_handshake). describe_message() in tern/trace.h gives its
  /// fields.
  virtual void on_handshake_message(Direction, Protection, uint8_t /*type*/, BytesView /*message*/,
                                    const std::string& /*describe*/) {}
  /// A ChangeCipherSpec record sent or received: TLS 1.2's switch to the new keys, or
  /// TLS 1.3's middlebox-compatibility dummy (RFC 8446 Appendix D.4).
  virtual void on_change_cipher_spec(Direction) {}
  /// A key schedule stage this side reached. TLS 1.3: "early secret", "early secret (PSK)",
  /// "early secret (external PSK)", "handshake secret", "master secret", "application
  /// traffic" (the handshake is done), "session ticket stored", "key update (sent)", "key update (received)". TLS 1.2:
  /// "pre-master secret (ECDHE)", "pre-master secret (RSA)", "master secret", "extended
  /// master secret", "master secret (resumed session)", "key block", "application traffic",
  /// "session stored". Labels only: secrets leave through CommonConfig::keylog.
  virtual void on_key_schedule(const std::string& /*stage*/) {}
  /// Each check of the peer's chain as it is made (VerifyStep in tern/x509.h); a failure is
  /// the last step.
  virtual void on_verification_step(const VerifyStep&) {}
  /// The result of verifying the peer's chain: empty `error` on success.
  virtual void on_certificate_verification(const std::vector<CertificateInfo>& /*chain*/,
                                           const std::string& /*error*/) {}
  /// A record sent or received: outer type, length of its fragment.
  virtual void on_record(Direction, uint8_t /*content_type*/, size_t /*length*/) {}
  /// A record of application data: its plaintext length.
  virtual void on_application_data(Direction, size_t /*length*/) {}
  /// An alert sent or received: its level (1 warning, 2 fatal) and description.
  virtual void on_alert(Direction, uint8_t /*level*/, uint8_t /*description*/) {}
};

/// Hooks shared by both roles.
struct CommonConfig {
  /// @{
  /// The versions spoken: tls::kTls12 or tls::kTls13 each.
  uint16_t min_version = tls::kTls12;
  uint16_t max_version = tls::kTls13;
  /// @}
  /// Preference order, TLS 1.3 and TLS 1.2 suites in one list. Empty = the defaults
  /// (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305; for TLS 1.2 with ECDHE, ECDSA before RSA).
  std::vector<uint16_t> cipher_suites;
  /// TLS 1.2 RSA key transport (TLS_RSA_WITH_AES_*_GCM): no forward secrecy, deprecated by
  /// RFC 10015, so off unless enabled here. A server that enables it answers bad
  /// ClientKeyExchange paddings exactly as good ones (RFC 5246 §7.4.7.1).
  bool legacy_rsa_key_exchange = false;
  /// Accept a TLS 1.2 peer without the extended master secret (RFC 7627). Without it the
  /// master secret is not bound to the handshake (the triple handshake attack), so such
  /// peers are refused by default.
  bool allow_no_extended_master_secret = false;
  /// supported_groups, in preference order. Empty = X25519MLKEM768 (the post-quantum
  /// hybrid of RFC 10024), X25519, P-256, P-384. SecP256r1MLKEM768 and SecP384r1MLKEM1024
  /// are supported when listed. The hybrids are TLS 1.3 only.
  std::vector<uint16_t> groups;
  /// signature_algorithms. Empty = every scheme tern supports (TLS 1.2 adds PKCS#1 v1.5).
  std::vector<uint16_t> signature_schemes;
  /// ALPN protocol names ("h2", "http/1.1"), preference order (the server's wins).
  std::vector<std::string> alpn;

  /// Fills a buffer with random bytes (ClientHello/ServerHello random, session id, ...).
  /// Default: the crypto provider's CSPRNG.
  std::function<void(std::span<uint8_t>)> random;
  /// Seconds since 1970 (certificate validity). Default: the system clock.
  std::function<int64_t()> now;
  /// The private key of an ephemeral key share for `group` (raw X25519 scalar, big-endian EC
  /// scalar; for a hybrid, ML-KEM's d || z on the client or m on the server, then the
  /// scalar). Return empty for a fresh random key. For known-answer tests only.
  std::function<Bytes(uint16_t group)> key_share_private_key;

  /// NSS key log lines ("CLIENT_HANDSHAKE_TRAFFIC_SECRET <client_random> <secret>"),
  /// without the newline. What Wireshark reads from SSLKEYLOGFILE; keylog_file() writes one.
  std::function<void(const std::string& line)> keylog;

  Observer* observer = nullptr;  ///< not owned; must outlive the connection
  /// record_size_limit (RFC 8449) we announce: the most plaintext per record we accept.
  uint16_t record_size_limit = 16385;
  /// Keep the peer's certificate chain (DER) after the handshake for peer_chain().
  bool keep_peer_chain = true;
  /// Send a dummy change_cipher_spec (middlebox compatibility, RFC 8446 Appendix D.4).
  bool middlebox_compat = true;
  /// Certificate compression (RFC 8879, TLS 1.3 only), preference order: the algorithms
  /// (tls::kCertCompressionBrotli, ...) a client offers for the server's Certificate and a
  /// server offers for the client's, and with which this side compresses its own Certificate
  /// when the peer offers one of them (the first in this order). Empty = off. A compressed
  /// Certificate may not grow past the uncompressed size limit (64 KiB); one that does is
  /// bad_certificate.
  std::vector<uint16_t> certificate_compression = {
      tls::kCertCompressionBrotli, tls::kCertCompressionZstd, tls::kCertCompressionZlib};
};

/// One certificate chain and its key. `names` selects it by SNI ("example.org",
/// "*.example.org"); the first chain is the default.
struct TERN_API CertifiedKey {
  std::vector<Bytes> chain;  ///< DER, leaf first
  Bytes private_key;         ///< DER: PKCS#8, SEC1 or PKCS#1
  /// The server names (SNI) that select this chain.
  std::vector<std::string> names;
  /// A DER OCSPResponse (RFC 6960) to staple for clients that ask (status_request): in the
  /// leaf's CertificateEntry in TLS 1.3, in a CertificateStatus message in TLS 1.2. Empty:
  /// none. The caller checks it fits the leaf (check_ocsp_response() in tern/ocsp.h).
  Bytes ocsp_response;
  /// When set, called on each handshake that asks for a staple, from any server thread,
  /// instead of reading ocsp_response: a response that changes at run time (`tern serve
  /// --ocsp-response` reloads its file). Must be thread-safe; null or empty: no staple.
  std::function<std::shared_ptr<const Bytes>()> ocsp_response_source;

  /// A chain (PEM bundle or DER, leaf first) and its unencrypted key (PEM or DER) from files.
  /// Fails, naming the file, when either does not parse or the key is not the leaf's. Empty
  /// `names` = the leaf's DNS subjectAltNames.
  static Result<CertifiedKey> load(const std::string& chain_path, const std::string& key_path,
                                   std::vector<std::string> names = {});
};

/// A client's configuration: CommonConfig, and what only a client sets.
struct ClientConfig : CommonConfig {
  /// SNI and the name the certificate must match. Empty = no SNI and no name check.
  std::string server_name;
  /// Roots to verify the server with; null = the system trust store.
  std::shared_ptr<const TrustStore> trust_store;
  /// Skip certificate verification entirely (tests and `--insecure` only).
  bool insecure_skip_verify = false;
  /// Groups to send key shares for in the first ClientHello. Empty = the first group and,
  /// when that is a hybrid, also the first classical one (as browsers do: a server without
  /// the hybrids then needs no HelloRetryRequest).
  std::vector<uint16_t> key_share_groups;
  /// A chain and key to present when the server asks for a client certificate (mutual
  /// TLS). Without one, a request is declined with an empty Certificate.
  std::optional<CertifiedKey> client_certificate;
  /// Resumption: sessions are taken from and stored into this cache under server_name
  /// (TLS 1.3 tickets once each). Null = no resumption. Copies of a config share it. A
  /// session is offered only if it was made under this config's auth_context() (verified
  /// or not, the same roots, the same name); otherwise the handshake is a full one.
  std::shared_ptr<ClientSessionCache> session_cache;
  /// 0-RTT (RFC 8446 §2.3): offer early data when the resumed TLS 1.3 session allows it
  /// (its ticket carried max_early_data_size), so ClientConnection::write_early() can send
  /// data with the ClientHello. Early data can be replayed by an attacker: send only what is
  /// safe to repeat (an idempotent request). Off by default.
  bool early_data = false;
  /// Ask for the server's OCSP response (status_request, RFC 6066 §8) in both versions. A
  /// stapled response is verified (see check_ocsp_response() in tern/ocsp.h) and a revoked
  /// certificate refused; without a staple the chain is accepted unless require_ocsp or the
  /// leaf's must-staple extension (RFC 7633) demands one.
  bool request_ocsp = true;
  /// Refuse a server whose certificate comes without a valid stapled OCSP response saying
  /// `good` (`--require-ocsp`). Needs request_ocsp.
  bool require_ocsp = false;
  /// A TLS 1.3 external PSK to offer (tern/external_psk.h), with psk_dhe_ke (and psk_ke if
  /// it allows). A server that accepts it sends no certificate; one that does not goes on
  /// with certificates as usual. A resumption ticket for the server, if any, is offered
  /// instead.
  std::optional<ExternalPsk> external_psk;
  /// Encrypted Client Hello (RFC 9849): an ECHConfigList (the binary of a DNS HTTPS
  /// record's "ech" value). The real hello, SNI included, is sealed inside an outer hello
  /// naming only the config's public_name. Requires TLS 1.3 only (min_version). A server
  /// that rejects ECH fails the handshake with ech_required; Connection::ech_retry_configs()
  /// then holds the configs it offered. Empty = no ECH (GREASE ECH if ech_grease).
  Bytes ech_config_list;
  /// Without ech_config_list, send a GREASE encrypted_client_hello (RFC 9849 §6.2) so that
  /// clients using ECH do not stand out.
  bool ech_grease = true;
};

/// A server's configuration: CommonConfig, and what only a server sets. Connections
/// share it; it must not change once in use.
struct ServerConfig : CommonConfig {
  /// The chains to present: the client's SNI picks one by CertifiedKey::names, the first
  /// is the default.
  std::vector<CertifiedKey> certificates;
  /// Use the client's cipher suite order instead of ours.
  bool prefer_client_suites = false;
  /// Client certificates (mutual TLS): `request` asks for one and verifies what comes,
  /// `require` also refuses a client that sends none. `optional` asks for one and serves a
  /// client whose chain fails verification as one that sent none (peer_chain() empty,
  /// Connection::client_certificate_error() says why). Chains are verified for clientAuth
  /// against client_roots, which must be set when client_auth is not `none`.
  enum class ClientAuth : uint8_t { none, request, require, optional };
  /// Whether clients are asked for a certificate.
  ClientAuth client_auth = ClientAuth::none;
  /// The roots client chains are verified against (for clientAuth).
  std::shared_ptr<const TrustStore> client_roots;
  /// Name client_roots' subjects in the CertificateRequest (TLS 1.3 certificate_authorities,
  /// TLS 1.2 certificate_authorities list) so clients with several certificates pick one
  /// these roots accept. Skipped when the names would exceed 16 KiB.
  bool send_client_ca_names = true;
  /// TLS 1.3 external PSKs accepted, looked up by identity (tern/external_psk.h). A client
  /// that uses one is authenticated by it: no certificate is sent or asked for. With PSKs
  /// `certificates` may be empty; clients without a PSK are then refused.
  std::vector<ExternalPsk> external_psks;

  /// Resumption (on by default): TLS 1.3 NewSessionTickets and TLS 1.2 RFC 5077 tickets,
  /// sealed with ticket_keys (null = fresh keys for this config, rotating every 12 hours),
  /// and a TLS 1.2 session-ID cache (null = one per config). An undecryptable, expired or
  /// unusable ticket falls back to a full handshake without a word; so does one issued under
  /// another client-auth mode or other client roots (auth_context()). A resumed connection's
  /// peer_chain() is the client chain verified when the session was made.
  bool resumption = true;
  unsigned tickets = 2;             ///< TLS 1.3 tickets per full handshake; 0 = none
  uint32_t ticket_lifetime = 7200;  ///< seconds; at most the ticket keys' rotation period
  /// The keys tickets are sealed with; null: fresh keys for this config.
  std::shared_ptr<TicketKeys> ticket_keys;
  /// The TLS 1.2 session-ID cache; null: one for this config.
  std::shared_ptr<ServerSessionCache> session_cache;
  /// 0-RTT (RFC 8446 §2.3, §8): the most early data accepted per connection, bytes; 0 (the
  /// default) accepts none. When set, TLS 1.3 tickets carry it, and early data is accepted
  /// only with such a ticket, offered first, for the same suite and ALPN, within the
  /// ticket-age window, and the first time anti_replay sees it; otherwise the handshake goes
  /// on in 1-RTT and the early records are skipped. The application must treat early data as
  /// replayable (Connection::early_data_received()).
  uint32_t max_early_data = 0;
  /// The anti-replay record shared by every connection (and every worker) of this config;
  /// null: one for this config, with the defaults.
  std::shared_ptr<AntiReplay> anti_replay;

  /// One ECH key (RFC 9849): the ECHConfig it decrypts for, and its private key.
  struct EchKey {
    Bytes config;       ///< one encoded ECHConfig (version 0xfe0d, DHKEM(X25519, HKDF-SHA256))
    Bytes private_key;  ///< the raw 32-byte X25519 private key
    /// Offer this config in retry_configs to clients whose ECH could not be decrypted.
    bool retry = true;
  };
  /// Keys for Encrypted Client Hello; empty = ECH off. A hello that decrypts with one of
  /// them is answered as its inner hello; one that does not is answered as the outer hello
  /// (for the config's public_name), with the retry configs. They are parsed and checked
  /// once per config, with the certificates' keys: a key that is not its config's fails
  /// ServerConnection::create(). A session resumed, and 0-RTT data read, come from the inner
  /// hello only.
  std::vector<EchKey> ech_keys;
};

/// A CommonConfig::keylog appending each line to the key log file `path` (SSLKEYLOGFILE);
/// thread-safe. The file holds every session's secrets, so it is created with mode 0600
/// whatever the umask, and a symlink or an existing file that group or others may access is
/// refused (Errc::usage, saying what to do).
TERN_API Result<std::function<void(const std::string& line)>> keylog_file(const std::string& path);

/// @{
/// How a config authenticates its peer: what the sessions it makes record (SessionData::auth)
/// and what it requires of the sessions it resumes. The client's needs the system trust
/// store when trust_store is null, and fails as loading it does.
TERN_API Result<AuthContext> auth_context(const ClientConfig& config);
TERN_API AuthContext auth_context(const ServerConfig& config);
/// @}

class ConnectionImpl;

/// A TLS connection, sans I/O (see the description of this file): the caller moves
/// bytes between it and the network. ClientConnection and ServerConnection make one.
class TERN_API Connection {
 public:
  virtual ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Bytes from the peer, in any split. On failure the connection is closed and an alert is
  /// pending in the output; the error says what went wrong.
  Result<void> feed(BytesView received);
  /// Bytes to send, without copying; call consume_output() with what was sent.
  BytesView pending_output() const;
  /// Drops the first `n` bytes of pending_output(): they were sent.
  void consume_output(size_t n);
  /// Whether there are bytes to send.
  bool wants_write() const { return !pending_output().empty(); }
  /// Whether the connection can still use more bytes from the peer.
  bool wants_read() const;

  /// Plaintext received: copies up to out.size() bytes; 0 when none is buffered.
  size_t read(std::span<uint8_t> out);
  /// Bytes of plaintext read() can return now.
  size_t readable() const;
  /// Queues plaintext for sending; fails before the handshake is done or after close.
  Result<void> write(BytesView plaintext);
  /// Sends close_notify; no more writes. Reads continue until the peer closes (half-close).
  void close();
  /// TLS 1.3 KeyUpdate; `request_peer` asks the peer to update its keys too. Fails for TLS 1.2.
  Result<void> update_keys(bool request_peer);
  /// Keying material exporter (RFC 8446 §7.5; RFC 5705 for TLS 1.2).
  Result<Bytes> export_keying_material(std::string_view label, BytesView context,
                                       size_t length) const;

  /// Whether the handshake has finished.
  bool handshake_done() const;
  bool peer_closed() const;  ///< close_notify received
  bool closed() const;       ///< no more traffic either way (error or both closed)
  /// The error that closed the connection, if one did.
  const std::optional<Error>& error() const;

  /// Negotiated parameters (0 / empty until known).
  uint16_t version() const;  ///< tls::kTls13 or tls::kTls12
  std::string version_name() const;  ///< "TLS 1.3"
  /// The cipher suite (tls::kAes128GcmSha256, ...).
  uint16_t cipher_suite() const;
  /// The key exchange group (tls::kX25519, ...); 0 when there was none (RSA key
  /// transport, a resumption without one).
  uint16_t group() const;
  /// The signature scheme that authenticated the server's handshake; 0 when none did
  /// (a resumed session, RSA key transport).
  uint16_t signature_scheme() const;
  /// cipher_suite() by its name: "TLS_AES_128_GCM_SHA256".
  std::string cipher_suite_name() const;
  /// group() by its name: "x25519".
  std::string group_name() const;
  /// signature_scheme() by its name: "ecdsa_secp256r1_sha256".
  std::string signature_scheme_name() const;
  /// The ALPN protocol negotiated; empty if none.
  const std::string& alpn() const;
  /// The server name (SNI) sent or received; empty if none.
  const std::string& server_name() const;
  /// Whether Encrypted Client Hello was accepted: the server decrypted the inner hello.
  bool ech_accepted() const;
  /// Client: the ECHConfigList sent by a server that rejected ECH (empty if none).
  const Bytes& ech_retry_configs() const;
  /// Whether the server answered with a HelloRetryRequest.
  bool hello_retry_request() const;
  /// The session was resumed (PSK or TLS 1.2 abbreviated handshake).
  bool resumed() const;
  /// TLS 1.2: the extended master secret (RFC 7627) is in use. Always true for TLS 1.3.
  bool extended_master_secret() const;
  /// The peer's chain as sent, DER leaf first (if keep_peer_chain): the server's, or on a
  /// server the client's certificate chain (empty when it sent none).
  const std::vector<Bytes>& peer_chain() const;
  /// TLS 1.3 0-RTT: whether the server accepted the client's early data (the client learns
  /// it from EncryptedExtensions; the server knows it from the ClientHello).
  bool early_data_accepted() const;
  /// Server: bytes of plaintext that arrived as 0-RTT data. They are the first bytes read()
  /// returns, and may be a replay: act on them only if repeating them is harmless.
  size_t early_data_received() const;
  /// Whether a TLS 1.3 external PSK authenticated the handshake.
  bool external_psk() const;
  /// Client: what the server's stapled OCSP response said, once it was checked; unset when
  /// the server stapled none, the chain was not verified, or the session was resumed (a
  /// resumption sends no certificate, so no staple).
  const std::optional<OcspStatus>& ocsp_status() const;
  /// Server with ClientAuth::optional: why the client's certificate was not accepted
  /// (the connection then goes on unauthenticated); empty otherwise.
  const std::string& client_certificate_error() const;

 protected:
  /// For ClientConnection and ServerConnection.
  explicit Connection(std::unique_ptr<ConnectionImpl> impl);
  /// The engine behind the connection.
  std::unique_ptr<ConnectionImpl> impl_;
};

/// The client side of a connection: create() queues the ClientHello.
class TERN_API ClientConnection : public Connection {
 public:
  /// Validates the config and queues the ClientHello.
  static Result<std::unique_ptr<ClientConnection>> create(ClientConfig config);
  /// Bytes write_early() can still take: until the ServerHello, what is left of the
  /// session's max_early_data_size (capped at 16 KiB) when the ClientHello offered early
  /// data (ClientConfig::early_data), else 0.
  size_t early_data_room() const;
  /// Queues 0-RTT data, sent with the ClientHello under the early traffic keys; takes at
  /// most early_data_room() bytes and returns how many. The data is kept until the server
  /// answers: if it declines the early data, the data is sent again as ordinary application
  /// data once the handshake is done (the caller chose to send it before knowing, so one
  /// delivery is what it asked for; the server dropped the first copy unread).
  Result<size_t> write_early(BytesView plaintext);

 private:
  using Connection::Connection;
};

/// The server side of a connection: one per client, on a shared ServerConfig.
class TERN_API ServerConnection : public Connection {
 public:
  /// The config is shared between connections and must not change once in use: its private
  /// keys are parsed by the first connection and reused while any connection holds it.
  static Result<std::unique_ptr<ServerConnection>> create(std::shared_ptr<const ServerConfig>);
  /// The same with this connection's own observer in place of the config's (a server traces
  /// each connection apart: `tern serve --trace`). The observer must outlive the connection.
  static Result<std::unique_ptr<ServerConnection>> create(std::shared_ptr<const ServerConfig>,
                                                          Observer* observer);

 private:
  using Connection::Connection;
};

}  // namespace tern
