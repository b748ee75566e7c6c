// SPDX-License-Identifier: Apache-2.0
#include "msgs/handshake.h"

#include "msgs/codec_util.h"

namespace tern::msgs {

using base::Reader;
using base::Writer;
using detail::decode_error;
using detail::field;
using detail::framed;
using detail::illegal_parameter;
using detail::trailing;

// RFC 8446 §4.1.3.
const Random kHelloRetryRequestRandom = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
const std::array<uint8_t, 8> kDowngradeTls12Sentinel = {0x44, 0x4F, 0x57, 0x4E,
                                                        0x47, 0x52, 0x44, 0x01};
const std::array<uint8_t, 8> kDowngradeTls11Sentinel = {0x44, 0x4F, 0x57, 0x4E,
                                                        0x47, 0x52, 0x44, 0x00};

namespace {

bool read_random(Reader& r, Random& out) {
  BytesView bytes;
  if (!r.bytes(out.size(), bytes)) return false;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return true;
}

// Reads an optional TLS 1.2-style extensions block: absent when nothing is left.
Result<Extensions> read_optional_extensions(Reader& r, ExtensionContext context,
                                            const char* message, bool& absent) {
  absent = r.empty();
  if (absent) return Extensions{};
  BytesView block;
  if (!r.vec16(block)) return decode_error(field(message, "extensions length exceeds the message"));
  return parse_extensions(block, context, message);
}

}  // namespace

Bytes frame_handshake(HandshakeType type, BytesView body) {
  return framed(type, [&](Writer& w) { w.bytes(body); });
}

Result<HandshakeView> split_handshake(BytesView message) {
  Reader r(message);
  uint8_t type;
  BytesView body;
  if (!r.u8(type) || !r.vec24(body))
    return decode_error("handshake message: truncated header or body (" +
                        std::to_string(message.size()) + " bytes)");
  HandshakeView view{static_cast<HandshakeType>(type), body};
  if (!r.empty()) return trailing("handshake message", r);
  return view;
}

Bytes encode_message_hash(BytesView client_hello1_hash) {
  return frame_handshake(HandshakeType::message_hash, client_hello1_hash);
}

// ---- ClientHello ----

Result<ClientHello> ClientHello::parse(BytesView body) {
  constexpr const char* kName = "ClientHello";
  Reader r(body);
  ClientHello out;
  uint16_t version;
  BytesView session_id, suites, compression;
  if (!r.u16(version)) return decode_error(field(kName, "truncated legacy_version"));
  out.legacy_version = static_cast<ProtocolVersion>(version);
  if (!read_random(r, out.random)) return decode_error(field(kName, "truncated random"));
  if (!r.vec8(session_id))
    return decode_error(field(kName, "legacy_session_id length exceeds the message"));
  if (session_id.size() > kMaxSessionIdSize)
    return decode_error(field(
        kName, "legacy_session_id length " + std::to_string(session_id.size()) + " exceeds 32"));
  out.legacy_session_id.assign(session_id.begin(), session_id.end());
  if (!r.vec16(suites))
    return decode_error(field(kName, "cipher_suites length exceeds the message"));
  if (suites.empty()) return decode_error(field(kName, "cipher_suites is empty"));
  if (!detail::read_u16_list(suites, out.cipher_suites))
    return decode_error(
        field(kName, "cipher_suites length " + std::to_string(suites.size()) + " is odd"));
  if (!r.vec8(compression))
    return decode_error(field(kName, "legacy_compression_methods length exceeds the message"));
  if (compression.empty()) return decode_error(field(kName, "legacy_compression_methods is empty"));
  out.legacy_compression_methods.assign(compression.begin(), compression.end());
  TERN_TRY(out.extensions, read_optional_extensions(r, ExtensionContext::client_hello, kName,
                                                    out.extensions_absent));
  if (!r.empty()) return trailing(kName, r);
  // RFC 8446 §4.2.11: pre_shared_key MUST be the last extension.
  for (size_t i = 0; i + 1 < out.extensions.size(); ++i)
    if (out.extensions[i].type == ExtensionType::pre_shared_key)
      return illegal_parameter(field(kName, "pre_shared_key is extension " + std::to_string(i + 1) +
                                                " of " + std::to_string(out.extensions.size()) +
                                                ", it must be the last"));
  return out;
}

Bytes ClientHello::encode() const {
  return framed(kType, [&](Writer& w) {
    w.u16(wire(legacy_version));
    w.bytes(random);
    w.vec8([&] { w.bytes(legacy_session_id); });
    w.vec16([&] {
      for (CipherSuite s : cipher_suites) w.u16(wire(s));
    });
    w.vec8([&] { w.bytes(legacy_compression_methods); });
    if (!(extensions_absent && extensions.empty())) encode_extensions(w, extensions);
  });
}

bool ClientHello::offers(CipherSuite suite) const {
  for (CipherSuite s : cipher_suites)
    if (s == suite) return true;
  return false;
}

Result<BytesView> truncated_client_hello(BytesView encoded, const ClientHello& hello) {
  const Extension* psk = hello.find(ExtensionType::pre_shared_key);
  const auto* offer = psk ? psk->get<PreSharedKeyOffer>() : nullptr;
  if (!offer) return Error(Errc::usage, "truncated_client_hello: the ClientHello offers no PSK");
  size_t binders = offer->binders_wire_length();
  if (encoded.size() < binders + kHandshakeHeaderSize)
    return Error(Errc::usage, "truncated_client_hello: encoding shorter than its binders");
  return encoded.first(encoded.size() - binders);
}

// ---- ServerHello / HelloRetryRequest ----

Result<ServerHello> ServerHello::parse(BytesView body) {
  Reader r(body);
  ServerHello out;
  uint16_t version, suite;
  BytesView session_id;
  const char* name = "ServerHello";
  if (!r.u16(version)) return decode_error(field(name, "truncated legacy_version"));
  out.legacy_version = static_cast<ProtocolVersion>(version);
  if (!read_random(r, out.random)) return decode_error(field(name, "truncated random"));
  bool hrr = out.is_hello_retry_request();
  if (hrr) name = "HelloRetryRequest";
  if (!r.vec8(session_id))
    return decode_error(field(name, "legacy_session_id_echo length exceeds the message"));
  if (session_id.size() > kMaxSessionIdSize)
    return decode_error(field(name, "legacy_session_id_echo length " +
                                        std::to_string(session_id.size()) + " exceeds 32"));
  out.legacy_session_id_echo.assign(session_id.begin(), session_id.end());
  if (!r.u16(suite)) return decode_error(field(name, "truncated cipher_suite"));
  out.cipher_suite = static_cast<CipherSuite>(suite);
  if (!r.u8(out.legacy_compression_method))
    return decode_error(field(name, "truncated legacy_compression_method"));
  TERN_TRY(out.extensions,
           read_optional_extensions(
               r, hrr ? ExtensionContext::hello_retry_request : ExtensionContext::server_hello,
               name, out.extensions_absent));
  if (!r.empty()) return trailing(name, r);
  return out;
}

Bytes ServerHello::encode() const {
  return framed(kType, [&](Writer& w) {
    w.u16(wire(legacy_version));
    w.bytes(random);
    w.vec8([&] { w.bytes(legacy_session_id_echo); });
    w.u16(wire(cipher_suite));
    w.u8(legacy_compression_method);
    if (!(extensions_absent && extensions.empty())) encode_extensions(w, extensions);
  });
}

// ---- EncryptedExtensions ----

Result<EncryptedExtensions> EncryptedExtensions::parse(BytesView body) {
  constexpr const char* kName = "EncryptedExtensions";
  Reader r(body);
  BytesView block;
  if (!r.vec16(block)) return decode_error(field(kName, "extensions length exceeds the message"));
  if (!r.empty()) return trailing(kName, r);
  EncryptedExtensions out;
  TERN_TRY(out.extensions, parse_extensions(block, ExtensionContext::encrypted_extensions, kName));
  return out;
}

Bytes EncryptedExtensions::encode() const {
  return framed(kType, [&](Writer& w) { encode_extensions(w, extensions); });
}

// ---- Certificate (TLS 1.3) ----

Result<Certificate13> Certificate13::parse(BytesView body) {
  constexpr const char* kName = "Certificate";
  Reader r(body);
  BytesView context, list;
  if (!r.vec8(context))
    return decode_error(field(kName, "certificate_request_context length exceeds the message"));
  if (!r.vec24(list))
    return decode_error(field(kName, "certificate_list length exceeds the message"));
  if (!r.empty()) return trailing(kName, r);
  Certificate13 out;
  out.certificate_request_context.assign(context.begin(), context.end());
  Reader entries(list);
  while (!entries.empty()) {
    size_t index = out.certificate_list.size();
    if (index == kMaxCertificateChainLength)
      return illegal_parameter(field(kName, "more than " +
                                                std::to_string(kMaxCertificateChainLength) +
                                                " certificates in the chain"));
    std::string which = "certificate " + std::to_string(index) + ": ";
    BytesView cert, block;
    if (!entries.vec24(cert))
      return decode_error(field(kName, which + "cert_data length exceeds the list"));
    if (cert.empty()) return decode_error(field(kName, which + "cert_data is empty"));
    if (!entries.vec16(block))
      return decode_error(field(kName, which + "extensions length exceeds the list"));
    CertificateEntry entry;
    entry.cert_data.assign(cert.begin(), cert.end());
    TERN_TRY(entry.extensions,
             parse_extensions(block, ExtensionContext::certificate_entry, "Certificate entry"));
    out.certificate_list.push_back(std::move(entry));
  }
  return out;
}

Bytes Certificate13::encode() const {
  return framed(kType, [&](Writer& w) {
    w.vec8([&] { w.bytes(certificate_request_context); });
    w.vec24([&] {
      for (const CertificateEntry& e : certificate_list) {
        w.vec24([&] { w.bytes(e.cert_data); });
        encode_extensions(w, e.extensions);
      }
    });
  });
}

// ---- CertificateRequest (TLS 1.3) ----

Result<CertificateRequest13> CertificateRequest13::parse(BytesView body) {
  constexpr const char* kName = "CertificateRequest";
  Reader r(body);
  BytesView context, block;
  if (!r.vec8(context))
    return decode_error(field(kName, "certificate_request_context length exceeds the message"));
  if (!r.vec16(block)) return decode_error(field(kName, "extensions length exceeds the message"));
  if (!r.empty()) return trailing(kName, r);
  if (block.empty())  // Extension extensions<2..2^16-1>
    return decode_error(field(kName, "extensions is empty"));
  CertificateRequest13 out;
  out.certificate_request_context.assign(context.begin(), context.end());
  TERN_TRY(out.extensions, parse_extensions(block, ExtensionContext::certificate_request, kName));
  return out;
}

Bytes CertificateRequest13::encode() const {
  return framed(kType, [&](Writer& w) {
    w.vec8([&] { w.bytes(certificate_request_context); });
    encode_extensions(w, extensions);
  });
}

// ---- CertificateVerify ----

Result<CertificateVerify> CertificateVerify::parse(BytesView body) {
  constexpr const char* kName = "CertificateVerify";
  Reader r(body);
  uint16_t scheme;
  BytesView signature;
  if (!r.u16(scheme)) return decode_error(field(kName, "truncated algorithm"));
  if (!r.vec16(signature))
    return decode_error(field(kName, "signature length exceeds the message"));
  if (!r.empty()) return trailing(kName, r);
  return CertificateVerify{static_cast<SignatureScheme>(scheme),
                           Bytes(signature.begin(), signature.end())};
}

Bytes CertificateVerify::encode() const {
  return framed(kType, [&](Writer& w) {
    w.u16(wire(scheme));
    w.vec16([&] { w.bytes(signature); });
  });
}

// ---- Finished ----

Result<Finished> Finished::parse(BytesView body) {
  if (body.empty()) return decode_error("Finished: verify_data is empty");
  return Finished{Bytes(body.begin(), body.end())};
}

Bytes Finished::encode() const { return frame_handshake(kType, verify_data); }

// ---- NewSessionTicket (TLS 1.3) ----

Result<NewSessionTicket13> NewSessionTicket13::parse(BytesView body) {
  constexpr const char* kName = "NewSessionTicket";
  Reader r(body);
  NewSessionTicket13 out;
  BytesView nonce, ticket, block;
  if (!r.u32(out.ticket_lifetime)) return decode_error(field(kName, "truncated ticket_lifetime"));
  if (!r.u32(out.ticket_age_add)) return decode_error(field(kName, "truncated ticket_age_add"));
  if (!r.vec8(nonce)) return decode_error(field(kName, "ticket_nonce length exceeds the message"));
  if (!r.vec16(ticket)) return decode_error(field(kName, "ticket length exceeds the message"));
  if (ticket.empty()) return decode_error(field(kName, "ticket is empty"));
  if (!r.vec16(block)) return decode_error(field(kName, "extensions length exceeds the message"));
  if (!r.empty()) return trailing(kName, r);
  out.ticket_nonce.assign(nonce.begin(), nonce.end());
  out.ticket.assign(ticket.begin(), ticket.end());
  TERN_TRY(out.extensions, parse_extensions(block, ExtensionContext::new_session_ticket, kName));
  return out;
}

Bytes NewSessionTicket13::encode() const {
  return framed(kType, [&](Writer& w) {
    w.u32(ticket_lifetime);
    w.u32(ticket_age_add);
    w.vec8([&] { w.bytes(ticket_nonce); });
    w.vec16([&] { w.bytes(ticket); });
    encode_extensions(w, extensions);
  });
}

// ---- KeyUpdate, EndOfEarlyData ----

Result<KeyUpdate> KeyUpdate::parse(BytesView body) {
  Reader r(body);
  uint8_t request;
  if (!r.u8(request)) return decode_error("KeyUpdate: missing request_update");
  if (!r.empty()) return trailing("KeyUpdate", r);
  if (request > 1)  // RFC 8446 §4.6.3
    return illegal_parameter("KeyUpdate: request_update " + std::to_string(request) +
                             " is neither update_not_requested(0) nor update_requested(1)");
  return KeyUpdate{static_cast<KeyUpdateRequest>(request)};
}

Bytes KeyUpdate::encode() const {
  return framed(kType, [&](Writer& w) { w.u8(static_cast<uint8_t>(request_update)); });
}

Result<EndOfEarlyData> EndOfEarlyData::parse(BytesView body) {
  if (!body.empty())
    return decode_error("EndOfEarlyData: expected an empty body, found " +
                        std::to_string(body.size()) + " bytes");
  return EndOfEarlyData{};
}

Bytes EndOfEarlyData::encode() const { return frame_handshake(kType, {}); }

}  // namespace tern::msgs
