// SPDX-License-Identifier: Apache-2.0
// Handshake messages (RFC 8446 §4, RFC 5246 §7.4) as plain structs.
//
// Each message has `static Result<M> parse(BytesView body)`, reading the body that follows
// the 4-byte handshake header, and `Bytes encode() const`, writing the whole message with
// its header (what goes into the transcript). For well-formed input, encode(parse(body))
// reproduces header + body byte for byte. Fields of built messages must fit their length
// prefixes (a 2^16 ticket, a 2^24 chain): base::Writer drops a vector that does not fit.
//
// Errors: malformed bytes are Errc::decode with Alert::decode_error, and name the message
// and field; values the RFC forbids (duplicate extensions, pre_shared_key not last, an
// unknown KeyUpdate request) are Alert::illegal_parameter.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "msgs/codes.h"
#include "msgs/extensions.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::msgs {

using Random = std::array<uint8_t, 32>;

// ServerHello.random of a HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3).
extern const Random kHelloRetryRequestRandom;
// Last 8 bytes of ServerHello.random from a TLS 1.3 server that negotiated TLS 1.2 or
// TLS 1.1 and below (RFC 8446 §4.1.3).
extern const std::array<uint8_t, 8> kDowngradeTls12Sentinel;
extern const std::array<uint8_t, 8> kDowngradeTls11Sentinel;

inline constexpr size_t kMaxSessionIdSize = 32;
// The most certificates one Certificate message may carry: real chains are under ten.
inline constexpr size_t kMaxCertificateChainLength = 32;

// Writes the 4-byte header (type, u24 length) in front of `body`.
Bytes frame_handshake(HandshakeType type, BytesView body);

// One whole handshake message split into type and body; the length must match exactly.
struct HandshakeView {
  HandshakeType type{};
  BytesView body;
};
Result<HandshakeView> split_handshake(BytesView message);

// The synthetic message_hash message that replaces ClientHello1 in the transcript after a
// HelloRetryRequest (RFC 8446 §4.4.1): header + Hash(ClientHello1).
Bytes encode_message_hash(BytesView client_hello1_hash);

struct ClientHello {
  static constexpr HandshakeType kType = HandshakeType::client_hello;

  ProtocolVersion legacy_version = ProtocolVersion::tls12;
  Random random{};
  Bytes legacy_session_id;
  std::vector<CipherSuite> cipher_suites;
  Bytes legacy_compression_methods{0};
  Extensions extensions;
  // TLS 1.2 clients may leave the extensions block out entirely; kept for round trips.
  bool extensions_absent = false;

  static Result<ClientHello> parse(BytesView body);
  Bytes encode() const;

  bool offers(CipherSuite suite) const;
  const Extension* find(ExtensionType type) const { return find_extension(extensions, type); }
  template <typename T>
  const T* get(ExtensionType type) const {
    return find_extension_body<T>(extensions, type);
  }
};

// For PSK binders (RFC 8446 §4.2.11.2): the leading bytes of an encoded ClientHello
// (header included) up to, not including, the binders list. Fails if the hello carries no
// pre_shared_key offer or `encoded` is shorter than the binders.
Result<BytesView> truncated_client_hello(BytesView encoded, const ClientHello& hello);

// ServerHello, and HelloRetryRequest (the same message with a special random).
struct ServerHello {
  static constexpr HandshakeType kType = HandshakeType::server_hello;

  ProtocolVersion legacy_version = ProtocolVersion::tls12;
  Random random{};
  Bytes legacy_session_id_echo;
  CipherSuite cipher_suite{};
  uint8_t legacy_compression_method = 0;
  Extensions extensions;
  bool extensions_absent = false;  // TLS 1.2 servers may omit the block

  static Result<ServerHello> parse(BytesView body);
  Bytes encode() const;

  bool is_hello_retry_request() const { return random == kHelloRetryRequestRandom; }
  const Extension* find(ExtensionType type) const { return find_extension(extensions, type); }
  template <typename T>
  const T* get(ExtensionType type) const {
    return find_extension_body<T>(extensions, type);
  }
};

struct EncryptedExtensions {
  static constexpr HandshakeType kType = HandshakeType::encrypted_extensions;

  Extensions extensions;

  static Result<EncryptedExtensions> parse(BytesView body);
  Bytes encode() const;
};

// TLS 1.3 Certificate (RFC 8446 §4.4.2).
struct CertificateEntry {
  Bytes cert_data;  // DER X.509 certificate
  Extensions extensions;
};
struct Certificate13 {
  static constexpr HandshakeType kType = HandshakeType::certificate;

  Bytes certificate_request_context;
  std::vector<CertificateEntry> certificate_list;  // leaf first; empty = no certificate

  static Result<Certificate13> parse(BytesView body);
  Bytes encode() const;
};

// TLS 1.2 Certificate (RFC 5246 §7.4.2): a plain list of DER certificates.
struct Certificate12 {
  static constexpr HandshakeType kType = HandshakeType::certificate;

  std::vector<Bytes> certificate_list;

  static Result<Certificate12> parse(BytesView body);
  Bytes encode() const;
};

// TLS 1.3 CertificateRequest (RFC 8446 §4.3.2).
struct CertificateRequest13 {
  static constexpr HandshakeType kType = HandshakeType::certificate_request;

  Bytes certificate_request_context;
  Extensions extensions;  // signature_algorithms is required (the state machine checks)

  static Result<CertificateRequest13> parse(BytesView body);
  Bytes encode() const;
};

// TLS 1.2 CertificateRequest (RFC 5246 §7.4.4).
struct CertificateRequest12 {
  static constexpr HandshakeType kType = HandshakeType::certificate_request;

  std::vector<CertificateType> certificate_types;
  std::vector<SignatureScheme> signature_schemes;
  std::vector<Bytes> certificate_authorities;  // DER distinguished names

  static Result<CertificateRequest12> parse(BytesView body);
  Bytes encode() const;
};

// CertificateVerify: TLS 1.3 (RFC 8446 §4.4.3) and TLS 1.2 (digitally-signed, same bytes).
struct CertificateVerify {
  static constexpr HandshakeType kType = HandshakeType::certificate_verify;

  SignatureScheme scheme{};
  Bytes signature;

  static Result<CertificateVerify> parse(BytesView body);
  Bytes encode() const;
};

// Finished: the verify_data is the whole body; its expected length is the state machine's.
struct Finished {
  static constexpr HandshakeType kType = HandshakeType::finished;

  Bytes verify_data;

  static Result<Finished> parse(BytesView body);
  Bytes encode() const;
};

// TLS 1.3 NewSessionTicket (RFC 8446 §4.6.1).
struct NewSessionTicket13 {
  static constexpr HandshakeType kType = HandshakeType::new_session_ticket;

  uint32_t ticket_lifetime = 0;
  uint32_t ticket_age_add = 0;
  Bytes ticket_nonce;
  Bytes ticket;
  Extensions extensions;

  static Result<NewSessionTicket13> parse(BytesView body);
  Bytes encode() const;
};

// TLS 1.2 NewSessionTicket (RFC 5077 §3.3); an empty ticket means "no ticket after all".
struct NewSessionTicket12 {
  static constexpr HandshakeType kType = HandshakeType::new_session_ticket;

  uint32_t ticket_lifetime_hint = 0;
  Bytes ticket;

  static Result<NewSessionTicket12> parse(BytesView body);
  Bytes encode() const;
};

struct KeyUpdate {
  static constexpr HandshakeType kType = HandshakeType::key_update;

  KeyUpdateRequest request_update = KeyUpdateRequest::update_not_requested;

  static Result<KeyUpdate> parse(BytesView body);
  Bytes encode() const;
};

struct EndOfEarlyData {
  static constexpr HandshakeType kType = HandshakeType::end_of_early_data;

  static Result<EndOfEarlyData> parse(BytesView body);
  Bytes encode() const;
};

// ---- TLS 1.2 only (tls12.cpp) ----

// HelloRequest (RFC 5246 §7.4.1.1): a server asking to renegotiate; tern refuses.
struct HelloRequest {
  static constexpr HandshakeType kType = HandshakeType::hello_request;

  static Result<HelloRequest> parse(BytesView body);
  Bytes encode() const;
};

// ServerKeyExchange for ECDHE suites (RFC 8422 §5.4): named-curve params and their
// signature over client_random + server_random + params.
struct ServerKeyExchangeEcdhe {
  static constexpr HandshakeType kType = HandshakeType::server_key_exchange;

  NamedGroup group{};
  Bytes public_key;  // ECPoint: uncompressed point or X25519 u-coordinate
  SignatureScheme scheme{};
  Bytes signature;

  static Result<ServerKeyExchangeEcdhe> parse(BytesView body);
  Bytes encode() const;
  // ServerECDHParams as they are signed (curve_type, named_curve, public key).
  Bytes encode_params() const;
};

struct ServerHelloDone {
  static constexpr HandshakeType kType = HandshakeType::server_hello_done;

  static Result<ServerHelloDone> parse(BytesView body);
  Bytes encode() const;
};

// ClientKeyExchange for ECDHE suites: the client's ephemeral public point (RFC 8422 §5.7).
struct ClientKeyExchangeEcdhe {
  static constexpr HandshakeType kType = HandshakeType::client_key_exchange;

  Bytes public_key;

  static Result<ClientKeyExchangeEcdhe> parse(BytesView body);
  Bytes encode() const;
};

// ClientKeyExchange for RSA key transport: the encrypted premaster (RFC 5246 §7.4.7.1).
struct ClientKeyExchangeRsa {
  static constexpr HandshakeType kType = HandshakeType::client_key_exchange;

  Bytes encrypted_premaster;

  static Result<ClientKeyExchangeRsa> parse(BytesView body);
  Bytes encode() const;
};

}  // namespace tern::msgs
