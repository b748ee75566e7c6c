// SPDX-License-Identifier: Apache-2.0
// Hello and handshake extensions (RFC 8446 §4.2 and the RFCs that define each one).
//
// An Extension is its type plus a body. Bodies are typed where TLS gives them a structure
// in the message they appear in (key_share means three different things in ClientHello,
// ServerHello and HelloRetryRequest); anything else (unknown types, GREASE, a known type
// in a message where tern does not interpret it) is kept as RawExtension. Lists keep the
// peer's order, so encoding a parsed list reproduces its bytes.
//
// Whether an extension is *allowed* in a message, or required, is the state machine's
// call; the codec only checks that each body is well formed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/reader.h"
#include "base/writer.h"
#include "msgs/codes.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::msgs {

// Where an extension list sits; decides how each body is read.
enum class ExtensionContext : uint8_t {
  client_hello,
  server_hello,  // also TLS 1.2 ServerHello
  hello_retry_request,
  encrypted_extensions,
  certificate_request,  // TLS 1.3
  certificate_entry,    // TLS 1.3 CertificateEntry.extensions
  new_session_ticket,   // TLS 1.3
};

const char* name(ExtensionContext context);

// Bytes kept as they came: unknown and GREASE extensions, and known ones tern does not
// interpret in this message.
struct RawExtension {
  Bytes data;
};

// An extension whose body must be empty (extended_master_secret, post_handshake_auth,
// early_data in ClientHello/EncryptedExtensions, server_name acknowledged by a server...).
struct EmptyExtension {};

// server_name in ClientHello (RFC 6066 §3): host_name entries only.
struct ServerNameList {
  std::vector<std::string> host_names;
};

// status_request in ClientHello (RFC 6066 §8); the OCSP
// responder ids and request extensions are kept as opaque vectors.
struct StatusRequest {
  CertificateStatusType status_type = CertificateStatusType::ocsp;
  Bytes responder_id_list;   // contents of ResponderID responder_id_list<0..2^16-1>
  Bytes request_extensions;  // contents of Extensions request_extensions<0..2^16-1>
};

// status_request in a TLS 1.3 CertificateEntry (RFC 8446 §4.4.2.1): the stapled response.
struct CertificateStatus {
  CertificateStatusType status_type = CertificateStatusType::ocsp;
  Bytes ocsp_response;
};

struct NamedGroupList {
  std::vector<NamedGroup> groups;
};

struct EcPointFormatList {
  std::vector<ECPointFormat> formats;
};

// signature_algorithms and signature_algorithms_cert.
struct SignatureSchemeList {
  std::vector<SignatureScheme> schemes;
};

// application_layer_protocol_negotiation (RFC 7301): the client's offer, or the server's
// single choice.
struct AlpnProtocols {
  std::vector<std::string> protocols;
};

// padding (RFC 7685): kept byte for byte (senders fill it with zeros).
struct Padding {
  Bytes data;
};

// record_size_limit (RFC 8449 §4); values below 64 are refused at parse time.
struct RecordSizeLimit {
  uint16_t limit = 0;
};

// session_ticket (RFC 5077 §3.2): a ticket, or empty to ask for / acknowledge one.
struct SessionTicketExtension {
  Bytes ticket;
};

// renegotiation_info (RFC 5746 §3.2): empty on an initial handshake.
struct RenegotiationInfo {
  Bytes renegotiated_connection;
};

// early_data in NewSessionTicket (RFC 8446 §4.2.10).
struct EarlyDataMax {
  uint32_t max_early_data_size = 0;
};

struct SupportedVersionsList {  // ClientHello
  std::vector<ProtocolVersion> versions;
};
struct SupportedVersionSelected {  // ServerHello, HelloRetryRequest
  ProtocolVersion version = ProtocolVersion::tls13;
};

struct Cookie {
  Bytes cookie;
};

struct PskKeyExchangeModes {
  std::vector<PskKeyExchangeMode> modes;
};

// certificate_authorities (RFC 8446 §4.2.4): DER distinguished names.
struct CertificateAuthorities {
  std::vector<Bytes> names;
};

struct KeyShareEntry {
  NamedGroup group{};
  Bytes key_exchange;
};
struct KeyShareClientHello {
  std::vector<KeyShareEntry> shares;  // may be empty (the client waits for a HRR)
};
struct KeyShareServerHello {
  KeyShareEntry share;
};
struct KeyShareHelloRetryRequest {
  NamedGroup selected_group{};
};

// pre_shared_key in ClientHello (RFC 8446 §4.2.11); identities and binders pair up.
struct PskIdentity {
  Bytes identity;
  uint32_t obfuscated_ticket_age = 0;
};
struct PreSharedKeyOffer {
  std::vector<PskIdentity> identities;
  std::vector<Bytes> binders;
  // Bytes of the binders list on the wire, including its 2-byte length: what the
  // "truncated ClientHello" of RFC 8446 §4.2.11.2 leaves off.
  size_t binders_wire_length() const;
};
struct PreSharedKeySelected {  // ServerHello
  uint16_t selected_identity = 0;
};

using ExtensionBody =
    std::variant<RawExtension, EmptyExtension, ServerNameList, StatusRequest, CertificateStatus,
                 NamedGroupList, EcPointFormatList, SignatureSchemeList, AlpnProtocols, Padding,
                 RecordSizeLimit, SessionTicketExtension, RenegotiationInfo, EarlyDataMax,
                 SupportedVersionsList, SupportedVersionSelected, Cookie, PskKeyExchangeModes,
                 CertificateAuthorities, KeyShareClientHello, KeyShareServerHello,
                 KeyShareHelloRetryRequest, PreSharedKeyOffer, PreSharedKeySelected>;

struct Extension {
  ExtensionType type{};
  ExtensionBody body;

  template <typename T>
  const T* get() const {
    return std::get_if<T>(&body);
  }
};

using Extensions = std::vector<Extension>;

// Limits on counts inside extensions: every list is also bounded by its length prefix,
// this keeps the work a peer can cause per message small (each identity may cost a ticket
// decryption). Key shares need none: they cost nothing until one is chosen.
inline constexpr size_t kMaxPskIdentities = 64;

const Extension* find_extension(const Extensions& extensions, ExtensionType type);

// The typed body of `type`, or nullptr when absent or not of type T.
template <typename T>
const T* find_extension_body(const Extensions& extensions, ExtensionType type) {
  const Extension* ext = find_extension(extensions, type);
  return ext ? ext->get<T>() : nullptr;
}

// Reads the *contents* of an extensions vector (after its 2-byte length). `message` names
// the message in errors ("ClientHello: ..."). Duplicates are illegal_parameter (RFC 8446
// §4.2); a malformed body is decode_error.
Result<Extensions> parse_extensions(BytesView contents, ExtensionContext context,
                                    const char* message);

// One extension body, given its type and context.
Result<ExtensionBody> parse_extension_body(ExtensionType type, BytesView data,
                                           ExtensionContext context, const char* message);

// Writes the extensions vector including its 2-byte length.
void encode_extensions(base::Writer& out, const Extensions& extensions);
// The body bytes of one extension (without type and length).
Bytes encode_extension_body(const ExtensionBody& body);

// RFC 8446 §4.2 (table) plus RFC 8449, 8879 and 9849: whether TLS 1.3 lets `type` appear in
// `context`. Types tern does not know (and GREASE) are always allowed, since unknown
// extensions are ignored; TLS 1.2-only extensions are allowed in ClientHello only (a
// client offering both versions sends them).
bool tls13_allows(ExtensionType type, ExtensionContext context);

// illegal_parameter naming the first extension TLS 1.3 does not allow in this message.
Result<void> check_tls13_extensions(const Extensions& extensions, ExtensionContext context,
                                    const char* message);

// One line for traces: "key_share: x25519 (32 bytes)".
std::string to_string(const Extension& extension);

}  // namespace tern::msgs
