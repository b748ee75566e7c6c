// SPDX-License-Identifier: Apache-2.0
// The TLS 1.2 forms of handshake messages (RFC 5246 §7.4, RFC 8422 §5, RFC 5077 §3.3).
#include "msgs/codec_util.h"
#include "msgs/handshake.h"

namespace tern::msgs {

using base::Reader;
using base::Writer;
using detail::decode_error;
using detail::field;
using detail::framed;
using detail::illegal_parameter;
using detail::trailing;

// ---- Certificate (TLS 1.2) ----

Result<Certificate12> Certificate12::parse(BytesView body) {
  constexpr const char* kName = "Certificate";
  Reader r(body);
  BytesView list;
  if (!r.vec24(list))
    return decode_error(field(kName, "certificate_list length exceeds the message"));
  if (!r.empty()) return trailing(kName, r);
  Certificate12 out;
  Reader certs(list);
  while (!certs.empty()) {
    size_t index = out.certificate_list.size();
    if (index == kMaxCertificateChainLength)
      return illegal_parameter(field(kName, "more than " +
                                                std::to_string(kMaxCertificateChainLength) +
                                                " certificates in the chain"));
    BytesView cert;
    if (!certs.vec24(cert))
      return decode_error(
          field(kName, "certificate " + std::to_string(index) + " length exceeds the list"));
    if (cert.empty())
      return decode_error(field(kName, "certificate " + std::to_string(index) + " is empty"));
    out.certificate_list.emplace_back(cert.begin(), cert.end());
  }
  return out;
}

Bytes Certificate12::encode() const {
  return framed(kType, [&](Writer& w) {
    w.vec24([&] {
      for (const Bytes& cert : certificate_list) w.vec24([&] { w.bytes(cert); });
    });
  });
}

// ---- CertificateRequest (TLS 1.2) ----

Result<CertificateRequest12> CertificateRequest12::parse(BytesView body) {
  constexpr const char* kName = "CertificateRequest";
  Reader r(body);
  BytesView types, schemes, authorities;
  if (!r.vec8(types))
    return decode_error(field(kName, "certificate_types length exceeds the message"));
  if (types.empty()) return decode_error(field(kName, "certificate_types is empty"));
  if (!r.vec16(schemes))
    return decode_error(field(kName, "supported_signature_algorithms length exceeds the message"));
  if (!r.vec16(authorities))
    return decode_error(field(kName, "certificate_authorities length exceeds the message"));
  if (!r.empty()) return trailing(kName, r);
  CertificateRequest12 out;
  detail::read_u8_list(types, out.certificate_types);
  if (schemes.empty()) return decode_error(field(kName, "supported_signature_algorithms is empty"));
  if (!detail::read_u16_list(schemes, out.signature_schemes))
    return decode_error(field(kName, "supported_signature_algorithms length " +
                                         std::to_string(schemes.size()) + " is odd"));
  Reader names(authorities);
  while (!names.empty()) {
    BytesView dn;
    if (!names.vec16(dn))
      return decode_error(field(kName, "DistinguishedName length exceeds the list"));
    if (dn.empty()) return decode_error(field(kName, "empty DistinguishedName"));
    out.certificate_authorities.emplace_back(dn.begin(), dn.end());
  }
  return out;
}

Bytes CertificateRequest12::encode() const {
  return framed(kType, [&](Writer& w) {
    w.vec8([&] {
      for (CertificateType t : certificate_types) w.u8(static_cast<uint8_t>(t));
    });
    w.vec16([&] {
      for (SignatureScheme s : signature_schemes) w.u16(wire(s));
    });
    w.vec16([&] {
      for (const Bytes& dn : certificate_authorities) w.vec16([&] { w.bytes(dn); });
    });
  });
}

// ---- NewSessionTicket (TLS 1.2) ----

Result<NewSessionTicket12> NewSessionTicket12::parse(BytesView body) {
  constexpr const char* kName = "NewSessionTicket";
  Reader r(body);
  NewSessionTicket12 out;
  BytesView ticket;
  if (!r.u32(out.ticket_lifetime_hint))
    return decode_error(field(kName, "truncated ticket_lifetime_hint"));
  if (!r.vec16(ticket)) return decode_error(field(kName, "ticket length exceeds the message"));
  if (!r.empty()) return trailing(kName, r);
  out.ticket.assign(ticket.begin(), ticket.end());
  return out;
}

Bytes NewSessionTicket12::encode() const {
  return framed(kType, [&](Writer& w) {
    w.u32(ticket_lifetime_hint);
    w.vec16([&] { w.bytes(ticket); });
  });
}

// ---- ServerKeyExchange (ECDHE) ----

Result<ServerKeyExchangeEcdhe> ServerKeyExchangeEcdhe::parse(BytesView body) {
  constexpr const char* kName = "ServerKeyExchange";
  Reader r(body);
  ServerKeyExchangeEcdhe out;
  uint8_t curve_type;
  uint16_t group, scheme;
  BytesView point, signature;
  if (!r.u8(curve_type)) return decode_error(field(kName, "truncated curve_type"));
  if (curve_type != static_cast<uint8_t>(ECCurveType::named_curve))
    return illegal_parameter(
        field(kName, "curve_type " + std::to_string(curve_type) + " is not named_curve(3)"));
  if (!r.u16(group)) return decode_error(field(kName, "truncated named_curve"));
  if (!r.vec8(point)) return decode_error(field(kName, "public point length exceeds the message"));
  if (point.empty()) return decode_error(field(kName, "public point is empty"));
  if (!r.u16(scheme)) return decode_error(field(kName, "truncated signature algorithm"));
  if (!r.vec16(signature))
    return decode_error(field(kName, "signature length exceeds the message"));
  if (!r.empty()) return trailing(kName, r);
  out.group = static_cast<NamedGroup>(group);
  out.public_key.assign(point.begin(), point.end());
  out.scheme = static_cast<SignatureScheme>(scheme);
  out.signature.assign(signature.begin(), signature.end());
  return out;
}

Bytes ServerKeyExchangeEcdhe::encode_params() const {
  Writer w;
  w.u8(static_cast<uint8_t>(ECCurveType::named_curve));
  w.u16(wire(group));
  w.vec8([&] { w.bytes(public_key); });
  return w.take();
}

Bytes ServerKeyExchangeEcdhe::encode() const {
  return framed(kType, [&](Writer& w) {
    w.bytes(encode_params());
    w.u16(wire(scheme));
    w.vec16([&] { w.bytes(signature); });
  });
}

// ---- HelloRequest ----

Result<HelloRequest> HelloRequest::parse(BytesView body) {
  if (!body.empty())
    return decode_error("HelloRequest: expected an empty body, found " +
                        std::to_string(body.size()) + " bytes");
  return HelloRequest{};
}

Bytes HelloRequest::encode() const { return frame_handshake(kType, {}); }

// ---- ServerHelloDone ----

Result<ServerHelloDone> ServerHelloDone::parse(BytesView body) {
  if (!body.empty())
    return decode_error("ServerHelloDone: expected an empty body, found " +
                        std::to_string(body.size()) + " bytes");
  return ServerHelloDone{};
}

Bytes ServerHelloDone::encode() const { return frame_handshake(kType, {}); }

// ---- ClientKeyExchange ----

Result<ClientKeyExchangeEcdhe> ClientKeyExchangeEcdhe::parse(BytesView body) {
  constexpr const char* kName = "ClientKeyExchange";
  Reader r(body);
  BytesView point;
  if (!r.vec8(point)) return decode_error(field(kName, "ecdh_Yc length exceeds the message"));
  if (point.empty()) return decode_error(field(kName, "ecdh_Yc is empty"));
  if (!r.empty()) return trailing(kName, r);
  return ClientKeyExchangeEcdhe{Bytes(point.begin(), point.end())};
}

Bytes ClientKeyExchangeEcdhe::encode() const {
  return framed(kType, [&](Writer& w) { w.vec8([&] { w.bytes(public_key); }); });
}

Result<ClientKeyExchangeRsa> ClientKeyExchangeRsa::parse(BytesView body) {
  constexpr const char* kName = "ClientKeyExchange";
  Reader r(body);
  BytesView encrypted;
  if (!r.vec16(encrypted))
    return decode_error(field(kName, "EncryptedPreMasterSecret length exceeds the message"));
  if (encrypted.empty()) return decode_error(field(kName, "EncryptedPreMasterSecret is empty"));
  if (!r.empty()) return trailing(kName, r);
  return ClientKeyExchangeRsa{Bytes(encrypted.begin(), encrypted.end())};
}

Bytes ClientKeyExchangeRsa::encode() const {
  return framed(kType, [&](Writer& w) { w.vec16([&] { w.bytes(encrypted_premaster); }); });
}

}  // namespace tern::msgs
