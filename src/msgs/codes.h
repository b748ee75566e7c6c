// SPDX-License-Identifier: Apache-2.0
// TLS code points (RFC 8446 §4, RFC 5246 §7.4 and the extension RFCs), as enums whose
// underlying type is the wire width. Values tern does not know (GREASE, newer registries)
// are still representable, so a parse never loses them and re-encoding reproduces them.
//
// name(x) gives the registry name or nullptr for an unknown value; to_string(x) always
// gives something printable ("TLS_AES_128_GCM_SHA256", "GREASE(0x0a0a)", "0x1234").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "tern/result.h"

namespace tern::msgs {

enum class ContentType : uint8_t {
  invalid = 0,
  change_cipher_spec = 20,
  alert = 21,
  handshake = 22,
  application_data = 23,
};

enum class ProtocolVersion : uint16_t {
  ssl3 = 0x0300,
  tls10 = 0x0301,
  tls11 = 0x0302,
  tls12 = 0x0303,
  tls13 = 0x0304,
};

enum class HandshakeType : uint8_t {
  hello_request = 0,
  client_hello = 1,
  server_hello = 2,
  new_session_ticket = 4,
  end_of_early_data = 5,
  encrypted_extensions = 8,
  certificate = 11,
  server_key_exchange = 12,
  certificate_request = 13,
  server_hello_done = 14,
  certificate_verify = 15,
  client_key_exchange = 16,
  finished = 20,
  certificate_status = 22,  // TLS 1.2 OCSP stapling (RFC 6066 §8)
  key_update = 24,
  compressed_certificate = 25,  // RFC 8879 §4
  message_hash = 254,
};

enum class CipherSuite : uint16_t {
  // TLS 1.3 (RFC 8446 §B.4)
  tls_aes_128_gcm_sha256 = 0x1301,
  tls_aes_256_gcm_sha384 = 0x1302,
  tls_chacha20_poly1305_sha256 = 0x1303,
  // TLS 1.2 ECDHE with AEADs (RFC 8422 §6, RFC 7905)
  tls_ecdhe_ecdsa_with_aes_128_gcm_sha256 = 0xC02B,
  tls_ecdhe_ecdsa_with_aes_256_gcm_sha384 = 0xC02C,
  tls_ecdhe_rsa_with_aes_128_gcm_sha256 = 0xC02F,
  tls_ecdhe_rsa_with_aes_256_gcm_sha384 = 0xC030,
  tls_ecdhe_rsa_with_chacha20_poly1305_sha256 = 0xCCA8,
  tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256 = 0xCCA9,
  // TLS 1.2 RSA key transport (RFC 5288), off unless enabled
  tls_rsa_with_aes_128_gcm_sha256 = 0x009C,
  tls_rsa_with_aes_256_gcm_sha384 = 0x009D,
  // Signalling values (RFC 5746 §3.3, RFC 7507 §2)
  tls_empty_renegotiation_info_scsv = 0x00FF,
  tls_fallback_scsv = 0x5600,
};

enum class NamedGroup : uint16_t {
  secp256r1 = 0x0017,
  secp384r1 = 0x0018,
  secp521r1 = 0x0019,
  x25519 = 0x001D,
  x448 = 0x001E,
  ffdhe2048 = 0x0100,
  ffdhe3072 = 0x0101,
  ffdhe4096 = 0x0102,
  ffdhe6144 = 0x0103,
  ffdhe8192 = 0x0104,
  // Hybrids with ML-KEM (RFC 10024 §7)
  secp256r1_mlkem768 = 0x11EB,
  x25519_mlkem768 = 0x11EC,
  secp384r1_mlkem1024 = 0x11ED,
};

enum class SignatureScheme : uint16_t {
  rsa_pkcs1_sha256 = 0x0401,
  rsa_pkcs1_sha384 = 0x0501,
  rsa_pkcs1_sha512 = 0x0601,
  ecdsa_secp256r1_sha256 = 0x0403,
  ecdsa_secp384r1_sha384 = 0x0503,
  ecdsa_secp521r1_sha512 = 0x0603,
  rsa_pss_rsae_sha256 = 0x0804,
  rsa_pss_rsae_sha384 = 0x0805,
  rsa_pss_rsae_sha512 = 0x0806,
  ed25519 = 0x0807,
  ed448 = 0x0808,
  rsa_pss_pss_sha256 = 0x0809,
  rsa_pss_pss_sha384 = 0x080a,
  rsa_pss_pss_sha512 = 0x080b,
  rsa_pkcs1_sha1 = 0x0201,  // legacy: TLS 1.2 certificates only
  ecdsa_sha1 = 0x0203,      // legacy
};

enum class ExtensionType : uint16_t {
  server_name = 0,
  max_fragment_length = 1,
  status_request = 5,
  supported_groups = 10,
  ec_point_formats = 11,
  signature_algorithms = 13,
  use_srtp = 14,
  heartbeat = 15,
  application_layer_protocol_negotiation = 16,
  signed_certificate_timestamp = 18,
  client_certificate_type = 19,
  server_certificate_type = 20,
  padding = 21,
  encrypt_then_mac = 22,
  extended_master_secret = 23,
  compress_certificate = 27,
  record_size_limit = 28,
  session_ticket = 35,
  pre_shared_key = 41,
  early_data = 42,
  supported_versions = 43,
  cookie = 44,
  psk_key_exchange_modes = 45,
  certificate_authorities = 47,
  oid_filters = 48,
  post_handshake_auth = 49,
  signature_algorithms_cert = 50,
  key_share = 51,
  encrypted_client_hello = 0xfe0d,
  renegotiation_info = 0xff01,
};

// Handshake message header: HandshakeType and a 24-bit body length.
inline constexpr size_t kHandshakeHeaderSize = 4;

enum class PskKeyExchangeMode : uint8_t { psk_ke = 0, psk_dhe_ke = 1 };

// TLS 1.2 CertificateRequest.certificate_types (RFC 5246 §7.4.4, RFC 8422 §5.5).
enum class CertificateType : uint8_t { rsa_sign = 1, dss_sign = 2, ecdsa_sign = 64 };

enum class ECPointFormat : uint8_t {
  uncompressed = 0,
  ansiX962_compressed_prime = 1,
  ansiX962_compressed_char2 = 2,
};

// ServerKeyExchange.curve_type (RFC 8422 §5.4); only named_curve is allowed.
enum class ECCurveType : uint8_t { named_curve = 3 };

enum class KeyUpdateRequest : uint8_t { update_not_requested = 0, update_requested = 1 };

enum class AlertLevel : uint8_t { warning = 1, fatal = 2 };

// CertificateStatusType (RFC 6066 §8).
enum class CertificateStatusType : uint8_t { ocsp = 1 };

enum class ServerNameType : uint8_t { host_name = 0 };

const char* name(ContentType v);
const char* name(ProtocolVersion v);
const char* name(HandshakeType v);
const char* name(CipherSuite v);
const char* name(NamedGroup v);
const char* name(SignatureScheme v);
const char* name(ExtensionType v);
const char* name(PskKeyExchangeMode v);
const char* name(CertificateType v);
const char* name(ECPointFormat v);
const char* name(KeyUpdateRequest v);
const char* name(AlertLevel v);
const char* name(Alert v);

std::string to_string(ContentType v);
std::string to_string(ProtocolVersion v);
std::string to_string(HandshakeType v);
std::string to_string(CipherSuite v);
std::string to_string(NamedGroup v);
std::string to_string(SignatureScheme v);
std::string to_string(ExtensionType v);
std::string to_string(PskKeyExchangeMode v);
std::string to_string(CertificateType v);
std::string to_string(ECPointFormat v);
std::string to_string(KeyUpdateRequest v);
std::string to_string(AlertLevel v);
std::string to_string(Alert v);

// RFC 8701: the sixteen 16-bit values 0x0A0A, 0x1A1A, ..., 0xFAFA reserved for GREASE in
// cipher suites, groups, extensions, versions and signature algorithms.
constexpr bool is_grease(uint16_t v) { return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff); }

// Raw wire value of any of the enums above.
template <typename E>
constexpr auto wire(E v) {
  return static_cast<std::underlying_type_t<E>>(v);
}

}  // namespace tern::msgs
