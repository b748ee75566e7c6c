// SPDX-License-Identifier: Apache-2.0
/// @file
/// Handshake messages field by field, and the names of TLS code points: what a trace (`tern
/// trace`, an Observer) needs to show a message without the private wire codec.
///
/// @code
/// void on_handshake_message(Direction, Protection, uint8_t, BytesView message,
///                           const std::string&) override {
///   tern::HandshakeSummary m = tern::describe_message(message, version_so_far);
///   if (m.type == 1) print(m.cipher_suites, m.key_shares, m.server_name, ...);
/// }
/// @endcode
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tern/export.h"
#include "tern/bytes.h"
#include "tern/tls.h"

namespace tern {

/// One key share of a ClientHello or ServerHello.
struct KeyShareSummary {
  /// Its group (tls::kX25519, ...).
  uint16_t group = 0;
  Bytes key_exchange;  ///< the public key (or ML-KEM encapsulation key / ciphertext)
};

/// One extension of a handshake message.
struct ExtensionSummary {
  /// Its code point.
  uint16_t type = 0;
  std::string name;  ///< "key_share", "GREASE(0x0a0a)", "0x1234"
  std::string text;  ///< one line: "key_share: x25519 (32 bytes)"
};

/// What one handshake message carries. Only the fields of its type are set; the rest keep
/// their defaults. Sizes count bytes; big opaque values (tickets, signatures, certificates'
/// DER aside) are given as sizes only.
struct HandshakeSummary {
  /// The handshake type: 1 ClientHello, 2 ServerHello, 11 Certificate, ...
  uint8_t type = 0;
  std::string name;   ///< "ClientHello", "HelloRetryRequest", "Certificate", ...
  size_t size = 0;    ///< the whole message, its 4-byte header included
  std::string error;  ///< not empty: the message does not parse (what is wrong); fields unset

  /// ClientHello, ServerHello, HelloRetryRequest.
  uint16_t legacy_version = 0;
  Bytes random;                          ///< 32 bytes
  Bytes session_id;                      ///< legacy_session_id (echo)
  std::vector<uint16_t> versions;        ///< ClientHello: supported_versions (empty: absent)
  uint16_t selected_version = 0;         ///< ServerHello: supported_versions, else legacy_version
  std::vector<uint16_t> cipher_suites;   ///< ClientHello
  uint16_t cipher_suite = 0;             ///< ServerHello
  std::vector<uint16_t> groups;          ///< ClientHello supported_groups
  std::vector<KeyShareSummary> key_shares;  ///< ClientHello: the shares; ServerHello: one
  /// A ServerHello that is a HelloRetryRequest.
  bool hello_retry_request = false;
  uint16_t retry_group = 0;              ///< HelloRetryRequest: the group asked for (0: none)
  bool retry_cookie = false;             ///< HelloRetryRequest: carries a cookie
  std::vector<uint16_t> signature_schemes;  ///< signature_algorithms; CertificateRequest's
  std::string server_name;               ///< ClientHello SNI
  bool server_name_acknowledged = false;  ///< ServerHello / EncryptedExtensions: empty SNI
  std::vector<std::string> alpn;         ///< offered (ClientHello) or chosen (one)
  std::vector<ExtensionSummary> extensions;  ///< in wire order (also EncryptedExtensions)
  bool extended_master_secret = false;   ///< the extension is present
  /// The renegotiation_info extension is present.
  bool renegotiation_info = false;
  /// Resumption: TLS 1.3 pre_shared_key and psk_key_exchange_modes, TLS 1.2 session_ticket.
  size_t psk_identities = 0;             ///< ClientHello: identities offered
  size_t psk_identity_size = 0;          ///< ClientHello: the first identity (a ticket)
  uint32_t obfuscated_ticket_age = 0;    ///< ClientHello: of the first identity
  bool psk_selected = false;             ///< ServerHello: the server accepted a PSK
  /// ServerHello: the PSK identity accepted, when psk_selected.
  uint16_t selected_identity = 0;
  std::vector<uint8_t> psk_modes;        ///< 1 = psk_dhe_ke
  bool session_ticket = false;           ///< the session_ticket extension is present
  size_t ticket_size = 0;                ///< its ticket (0: empty), or a NewSessionTicket's

  /// Certificate: DER certificates, leaf first (CompressedCertificate: once decompressed).
  std::vector<Bytes> certificates;
  /// @{
  /// CompressedCertificate (RFC 8879): the algorithm (tls::kCertCompressionBrotli, ...), the
  /// Certificate's size it announces once decompressed, and its compressed size.
  uint16_t certificate_compression = 0;
  size_t uncompressed_length = 0;
  size_t compressed_length = 0;
  /// @}
  /// @{
  /// CertificateVerify, ServerKeyExchange: the scheme that signed, the signature's size.
  uint16_t signature_scheme = 0;
  size_t signature_size = 0;
  /// @}
  /// ServerKeyExchange (ECDHE) and ClientKeyExchange.
  uint16_t group = 0;
  Bytes public_key;                      ///< ECDHE public value
  size_t encrypted_pre_master_size = 0;  ///< RSA key transport
  /// Finished.
  size_t verify_data_size = 0;
  /// @{
  /// NewSessionTicket.
  uint32_t ticket_lifetime = 0;          ///< seconds (TLS 1.2: the hint)
  uint32_t ticket_age_add = 0;
  /// @}
  /// KeyUpdate.
  bool update_requested = false;
  /// The multi-line text of msgs::describe_handshake (what Observer passes as `describe`).
  std::string text;
};

/// Parses one whole handshake message (header included). `version` (tls::kTls13 or kTls12)
/// picks the form where they differ (Certificate, CertificateRequest, NewSessionTicket);
/// `cipher_suite` says how to read a TLS 1.2 ClientKeyExchange (RSA or ECDHE). Never
/// fails: a malformed message comes back with `error` set.
TERN_API HandshakeSummary describe_message(BytesView message, uint16_t version = tls::kTls13,
                                  uint16_t cipher_suite = 0);

/// @{
/// Registry names ("TLS 1.3", "TLS_AES_128_GCM_SHA256", "x25519", "ecdsa_secp256r1_sha256",
/// "server_name", "ClientHello", "bad_certificate"); unknown values print as hex.
TERN_API std::string version_name(uint16_t version);
TERN_API std::string cipher_suite_name(uint16_t suite);
TERN_API std::string group_name(uint16_t group);
TERN_API std::string signature_scheme_name(uint16_t scheme);
TERN_API std::string extension_name(uint16_t type);
TERN_API std::string handshake_type_name(uint8_t type);
TERN_API std::string alert_name(uint8_t description);
/// @}
/// Whether a TLS 1.2 suite uses RSA key transport (no forward secrecy).
TERN_API bool is_rsa_key_transport(uint16_t suite);
/// Whether the group is a post-quantum hybrid (ML-KEM with ECDHE, RFC 10024).
TERN_API bool is_post_quantum_group(uint16_t group);
/// How a key exchange reads for people: "ECDHE x25519", or for a hybrid
/// "X25519MLKEM768 (ML-KEM-768 + X25519, post-quantum hybrid)".
TERN_API std::string key_exchange_name(uint16_t group);
/// A certificate compression algorithm's name (RFC 8879): "brotli", "zstd", "zlib".
TERN_API std::string certificate_compression_name(uint16_t algorithm);

}  // namespace tern
