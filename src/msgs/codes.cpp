// SPDX-License-Identifier: Apache-2.0
#include "msgs/codes.h"

#include <cstdio>
#include <string_view>

namespace tern::msgs {

namespace {

std::string hex_value(unsigned v, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", digits, v);
  return buf;
}

// A registry name, or the value in hex (marked when it is a GREASE value).
template <typename E>
std::string describe(E v) {
  if (const char* n = name(v)) return n;
  auto raw = static_cast<unsigned>(wire(v));
  constexpr int digits = sizeof(std::underlying_type_t<E>) * 2;
  if constexpr (sizeof(std::underlying_type_t<E>) == 2) {
    if (is_grease(static_cast<uint16_t>(raw))) return "GREASE(" + hex_value(raw, digits) + ")";
  }
  return "unknown(" + hex_value(raw, digits) + ")";
}

}  // namespace

const char* name(ContentType v) {
  switch (v) {
    case ContentType::invalid: return "invalid";
    case ContentType::change_cipher_spec: return "change_cipher_spec";
    case ContentType::alert: return "alert";
    case ContentType::handshake: return "handshake";
    case ContentType::application_data: return "application_data";
  }
  return nullptr;
}

const char* name(ProtocolVersion v) {
  switch (v) {
    case ProtocolVersion::ssl3: return "SSLv3";
    case ProtocolVersion::tls10: return "TLSv1.0";
    case ProtocolVersion::tls11: return "TLSv1.1";
    case ProtocolVersion::tls12: return "TLSv1.2";
    case ProtocolVersion::tls13: return "TLSv1.3";
  }
  return nullptr;
}

const char* name(HandshakeType v) {
  switch (v) {
    case HandshakeType::hello_request: return "HelloRequest";
    case HandshakeType::client_hello: return "ClientHello";
    case HandshakeType::server_hello: return "ServerHello";
    case HandshakeType::new_session_ticket: return "NewSessionTicket";
    case HandshakeType::end_of_early_data: return "EndOfEarlyData";
    case HandshakeType::encrypted_extensions: return "EncryptedExtensions";
    case HandshakeType::certificate: return "Certificate";
    case HandshakeType::server_key_exchange: return "ServerKeyExchange";
    case HandshakeType::certificate_request: return "CertificateRequest";
    case HandshakeType::server_hello_done: return "ServerHelloDone";
    case HandshakeType::certificate_verify: return "CertificateVerify";
    case HandshakeType::client_key_exchange: return "ClientKeyExchange";
    case HandshakeType::finished: return "Finished";
    case HandshakeType::certificate_status: return "CertificateStatus";
    case HandshakeType::key_update: return "KeyUpdate";
    case HandshakeType::compressed_certificate: return "CompressedCertificate";
    case HandshakeType::message_hash: return "message_hash";
  }
  return nullptr;
}

const char* name(CipherSuite v) {
  switch (v) {
    case CipherSuite::tls_aes_128_gcm_sha256: return "TLS_AES_128_GCM_SHA256";
    case CipherSuite::tls_aes_256_gcm_sha384: return "TLS_AES_256_GCM_SHA384";
    case CipherSuite::tls_chacha20_poly1305_sha256: return "TLS_CHACHA20_POLY1305_SHA256";
    case CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256:
      return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    case CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384:
      return "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
    case CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256:
      return "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    case CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384:
      return "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
    case CipherSuite::tls_ecdhe_rsa_with_chacha20_poly1305_sha256:
      return "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
    case CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256:
      return "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
    case CipherSuite::tls_rsa_with_aes_128_gcm_sha256: return "TLS_RSA_WITH_AES_128_GCM_SHA256";
    case CipherSuite::tls_rsa_with_aes_256_gcm_sha384: return "TLS_RSA_WITH_AES_256_GCM_SHA384";
    case CipherSuite::tls_empty_renegotiation_info_scsv: return "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
    case CipherSuite::tls_fallback_scsv: return "TLS_FALLBACK_SCSV";
  }
  return nullptr;
}

const char* name(NamedGroup v) {
  switch (v) {
    case NamedGroup::secp256r1: return "secp256r1";
    case NamedGroup::secp384r1: return "secp384r1";
    case NamedGroup::secp521r1: return "secp521r1";
    case NamedGroup::x25519: return "x25519";
    case NamedGroup::x448: return "x448";
    case NamedGroup::ffdhe2048: return "ffdhe2048";
    case NamedGroup::ffdhe3072: return "ffdhe3072";
    case NamedGroup::ffdhe4096: return "ffdhe4096";
    case NamedGroup::ffdhe6144: return "ffdhe6144";
    case NamedGroup::ffdhe8192: return "ffdhe8192";
    case NamedGroup::secp256r1_mlkem768: return "SecP256r1MLKEM768";
    case NamedGroup::x25519_mlkem768: return "X25519MLKEM768";
    case NamedGroup::secp384r1_mlkem1024: return "SecP384r1MLKEM1024";
  }
  return nullptr;
}

const char* name(SignatureScheme v) {
  switch (v) {
    case SignatureScheme::rsa_pkcs1_sha256: return "rsa_pkcs1_sha256";
    case SignatureScheme::rsa_pkcs1_sha384: return "rsa_pkcs1_sha384";
    case SignatureScheme::rsa_pkcs1_sha512: return "rsa_pkcs1_sha512";
    case SignatureScheme::ecdsa_secp256r1_sha256: return "ecdsa_secp256r1_sha256";
    case SignatureScheme::ecdsa_secp384r1_sha384: return "ecdsa_secp384r1_sha384";
    case SignatureScheme::ecdsa_secp521r1_sha512: return "ecdsa_secp521r1_sha512";
    case SignatureScheme::rsa_pss_rsae_sha256: return "rsa_pss_rsae_sha256";
    case SignatureScheme::rsa_pss_rsae_sha384: return "rsa_pss_rsae_sha384";
    case SignatureScheme::rsa_pss_rsae_sha512: return "rsa_pss_rsae_sha512";
    case SignatureScheme::ed25519: return "ed25519";
    case SignatureScheme::ed448: return "ed448";
    case SignatureScheme::rsa_pss_pss_sha256: return "rsa_pss_pss_sha256";
    case SignatureScheme::rsa_pss_pss_sha384: return "rsa_pss_pss_sha384";
    case SignatureScheme::rsa_pss_pss_sha512: return "rsa_pss_pss_sha512";
    case SignatureScheme::rsa_pkcs1_sha1: return "rsa_pkcs1_sha1";
    case SignatureScheme::ecdsa_sha1: return "ecdsa_sha1";
  }
  return nullptr;
}

const char* name(ExtensionType v) {
  switch (v) {
    case ExtensionType::server_name: return "server_name";
    case ExtensionType::max_fragment_length: return "max_fragment_length";
    case ExtensionType::status_request: return "status_request";
    case ExtensionType::supported_groups: return "supported_groups";
    case ExtensionType::ec_point_formats: return "ec_point_formats";
    case ExtensionType::signature_algorithms: return "signature_algorithms";
    case ExtensionType::use_srtp: return "use_srtp";
    case ExtensionType::heartbeat: return "heartbeat";
    case ExtensionType::application_layer_protocol_negotiation:
      return "application_layer_protocol_negotiation";
    case ExtensionType::signed_certificate_timestamp: return "signed_certificate_timestamp";
    case ExtensionType::client_certificate_type: return "client_certificate_type";
    case ExtensionType::server_certificate_type: return "server_certificate_type";
    case ExtensionType::padding: return "padding";
    case ExtensionType::encrypt_then_mac: return "encrypt_then_mac";
    case ExtensionType::extended_master_secret: return "extended_master_secret";
    case ExtensionType::compress_certificate: return "compress_certificate";
    case ExtensionType::record_size_limit: return "record_size_limit";
    case ExtensionType::session_ticket: return "session_ticket";
    case ExtensionType::pre_shared_key: return "pre_shared_key";
    case ExtensionType::early_data: return "early_data";
    case ExtensionType::supported_versions: return "supported_versions";
    case ExtensionType::cookie: return "cookie";
    case ExtensionType::psk_key_exchange_modes: return "psk_key_exchange_modes";
    case ExtensionType::certificate_authorities: return "certificate_authorities";
    case ExtensionType::oid_filters: return "oid_filters";
    case ExtensionType::post_handshake_auth: return "post_handshake_auth";
    case ExtensionType::signature_algorithms_cert: return "signature_algorithms_cert";
    case ExtensionType::key_share: return "key_share";
    case ExtensionType::encrypted_client_hello: return "encrypted_client_hello";
    case ExtensionType::renegotiation_info: return "renegotiation_info";
  }
  return nullptr;
}

const char* name(PskKeyExchangeMode v) {
  switch (v) {
    case PskKeyExchangeMode::psk_ke: return "psk_ke";
    case PskKeyExchangeMode::psk_dhe_ke: return "psk_dhe_ke";
  }
  return nullptr;
}

const char* name(CertificateType v) {
  switch (v) {
    case CertificateType::rsa_sign: return "rsa_sign";
    case CertificateType::dss_sign: return "dss_sign";
    case CertificateType::ecdsa_sign: return "ecdsa_sign";
  }
  return nullptr;
}

const char* name(ECPointFormat v) {
  switch (v) {
    case ECPointFormat::uncompressed: return "uncompressed";
    case ECPointFormat::ansiX962_compressed_prime: return "ansiX962_compressed_prime";
    case ECPointFormat::ansiX962_compressed_char2: return "ansiX962_compressed_char2";
  }
  return nullptr;
}

const char* name(KeyUpdateRequest v) {
  switch (v) {
    case KeyUpdateRequest::update_not_requested: return "update_not_requested";
    case KeyUpdateRequest::update_requested: return "update_requested";
  }
  return nullptr;
}

const char* name(AlertLevel v) {
  switch (v) {
    case AlertLevel::warning: return "warning";
    case AlertLevel::fatal: return "fatal";
  }
  return nullptr;
}

const char* name(Alert v) {
  const char* text = alert_name(v);
  return std::string_view(text) == "unknown_alert" ? nullptr : text;
}

std::string to_string(ContentType v) { return describe(v); }
std::string to_string(ProtocolVersion v) { return describe(v); }
std::string to_string(HandshakeType v) { return describe(v); }
std::string to_string(CipherSuite v) { return describe(v); }
std::string to_string(NamedGroup v) { return describe(v); }
std::string to_string(SignatureScheme v) { return describe(v); }
std::string to_string(ExtensionType v) { return describe(v); }
std::string to_string(PskKeyExchangeMode v) { return describe(v); }
std::string to_string(CertificateType v) { return describe(v); }
std::string to_string(ECPointFormat v) { return describe(v); }
std::string to_string(KeyUpdateRequest v) { return describe(v); }
std::string to_string(AlertLevel v) { return describe(v); }
std::string to_string(Alert v) { return describe(v); }

}  // namespace tern::msgs
