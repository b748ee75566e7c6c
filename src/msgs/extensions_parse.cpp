// SPDX-License-Identifier: Apache-2.0
// Reading extensions: the list (parse_extensions) and each body by its type and the message
// it sits in (parse_extension_body). Encoding, the TLS 1.3 rules and the trace lines are in
// extensions.cpp.
#include "msgs/extensions.h"

#include <algorithm>

#include "msgs/codec_util.h"

namespace tern::msgs {

using base::Reader;
using detail::decode_error;
using detail::illegal_parameter;

namespace {

// Reads one extension body; `fail` builds errors that name message and extension.
class BodyParser {
 public:
  BodyParser(ExtensionType type, BytesView data, ExtensionContext context, const char* message)
      : type_(type), data_(data), context_(context), message_(message) {}

  Result<ExtensionBody> parse();

 private:
  Error fail(const std::string& what) const { return decode_error(where() + what); }
  std::string where() const {
    return std::string(message_) + ": " + to_string(type_) + " extension: ";
  }
  bool in(std::initializer_list<ExtensionContext> contexts) const {
    return std::find(contexts.begin(), contexts.end(), context_) != contexts.end();
  }
  // Wraps a typed body after checking nothing is left over.
  Result<ExtensionBody> done(const Reader& r, ExtensionBody body) const {
    if (!r.empty()) return fail(std::to_string(r.remaining()) + " trailing bytes");
    return body;
  }

  Result<ExtensionBody> server_name();
  Result<ExtensionBody> status_request();
  Result<ExtensionBody> certificate_status();
  Result<ExtensionBody> named_groups();
  Result<ExtensionBody> point_formats();
  Result<ExtensionBody> signature_schemes();
  Result<ExtensionBody> alpn();
  Result<ExtensionBody> record_size_limit();
  Result<ExtensionBody> supported_versions_list();
  Result<ExtensionBody> supported_version_selected();
  Result<ExtensionBody> cookie();
  Result<ExtensionBody> psk_modes();
  Result<ExtensionBody> certificate_authorities();
  Result<ExtensionBody> key_share_client();
  Result<ExtensionBody> key_share_server();
  Result<ExtensionBody> key_share_hrr();
  Result<ExtensionBody> psk_offer();
  Result<ExtensionBody> psk_selected();
  Result<ExtensionBody> early_data_max();
  Result<ExtensionBody> renegotiation_info();
  Result<ExtensionBody> empty();

  ExtensionType type_;
  BytesView data_;
  ExtensionContext context_;
  const char* message_;
};

using C = ExtensionContext;

Result<ExtensionBody> BodyParser::parse() {
  switch (type_) {
    case ExtensionType::server_name: return in({C::client_hello}) ? server_name() : empty();
    case ExtensionType::status_request:
      // An empty body elsewhere: a server's acknowledgement, or a TLS 1.3 server asking
      // for the client's OCSP response in CertificateRequest (RFC 8446 §4.4.2.1).
      if (in({C::client_hello})) return status_request();
      if (in({C::certificate_entry})) return certificate_status();
      return empty();
    case ExtensionType::supported_groups:
      if (in({C::client_hello, C::encrypted_extensions})) return named_groups();
      break;
    case ExtensionType::ec_point_formats:
      if (in({C::client_hello, C::server_hello})) return point_formats();
      break;
    case ExtensionType::signature_algorithms:
    case ExtensionType::signature_algorithms_cert:
      if (in({C::client_hello, C::certificate_request})) return signature_schemes();
      break;
    case ExtensionType::application_layer_protocol_negotiation:
      if (in({C::client_hello, C::server_hello, C::encrypted_extensions})) return alpn();
      break;
    case ExtensionType::padding:
      if (in({C::client_hello})) return ExtensionBody(Padding{Bytes(data_.begin(), data_.end())});
      break;
    case ExtensionType::extended_master_secret:
    case ExtensionType::post_handshake_auth: return empty();
    case ExtensionType::record_size_limit:
      if (in({C::client_hello, C::server_hello, C::encrypted_extensions}))
        return record_size_limit();
      break;
    case ExtensionType::session_ticket:
      if (in({C::client_hello, C::server_hello}))
        return ExtensionBody(SessionTicketExtension{Bytes(data_.begin(), data_.end())});
      break;
    case ExtensionType::renegotiation_info:
      if (in({C::client_hello, C::server_hello})) return renegotiation_info();
      break;
    case ExtensionType::supported_versions:
      if (in({C::client_hello})) return supported_versions_list();
      if (in({C::server_hello, C::hello_retry_request})) return supported_version_selected();
      break;
    case ExtensionType::cookie:
      if (in({C::client_hello, C::hello_retry_request})) return cookie();
      break;
    case ExtensionType::psk_key_exchange_modes:
      if (in({C::client_hello})) return psk_modes();
      break;
    case ExtensionType::certificate_authorities:
      if (in({C::client_hello, C::certificate_request})) return certificate_authorities();
      break;
    case ExtensionType::key_share:
      if (in({C::client_hello})) return key_share_client();
      if (in({C::server_hello})) return key_share_server();
      if (in({C::hello_retry_request})) return key_share_hrr();
      break;
    case ExtensionType::pre_shared_key:
      if (in({C::client_hello})) return psk_offer();
      if (in({C::server_hello})) return psk_selected();
      break;
    case ExtensionType::early_data:
      if (in({C::new_session_ticket})) return early_data_max();
      if (in({C::client_hello, C::encrypted_extensions})) return empty();
      break;
    default: break;
  }
  return ExtensionBody(RawExtension{Bytes(data_.begin(), data_.end())});
}

Result<ExtensionBody> BodyParser::empty() {
  if (!data_.empty())
    return fail("expected an empty body, found " + std::to_string(data_.size()) + " bytes");
  return ExtensionBody(EmptyExtension{});
}

Result<ExtensionBody> BodyParser::server_name() {
  Reader r(data_);
  BytesView list;
  if (!r.vec16(list)) return fail("server_name_list length exceeds the extension");
  if (list.empty()) return fail("server_name_list is empty");
  ServerNameList out;
  Reader names(list);
  while (!names.empty()) {
    uint8_t name_type;
    BytesView host;
    if (!names.u8(name_type)) return fail("truncated entry");
    if (name_type != static_cast<uint8_t>(ServerNameType::host_name))
      return fail("unknown name_type " + std::to_string(name_type));
    if (!names.vec16(host)) return fail("host_name length exceeds the list");
    if (host.empty()) return fail("host_name is empty");
    if (!out.host_names.empty())  // RFC 6066 §3: one name per name_type
      return illegal_parameter(where() + "more than one host_name");
    out.host_names.emplace_back(as_chars(host));
  }
  return done(r, std::move(out));
}

Result<ExtensionBody> BodyParser::status_request() {
  Reader r(data_);
  uint8_t status_type;
  BytesView ids, exts;
  if (!r.u8(status_type)) return fail("missing status_type");
  // Only ocsp(1) has a defined body; other types are kept as they came.
  if (status_type != static_cast<uint8_t>(CertificateStatusType::ocsp))
    return ExtensionBody(RawExtension{Bytes(data_.begin(), data_.end())});
  if (!r.vec16(ids)) return fail("responder_id_list length exceeds the extension");
  if (!r.vec16(exts)) return fail("request_extensions length exceeds the extension");
  return done(r, StatusRequest{static_cast<CertificateStatusType>(status_type),
                               Bytes(ids.begin(), ids.end()), Bytes(exts.begin(), exts.end())});
}

Result<ExtensionBody> BodyParser::certificate_status() {
  Reader r(data_);
  uint8_t status_type;
  BytesView response;
  if (!r.u8(status_type)) return fail("missing status_type");
  if (status_type != static_cast<uint8_t>(CertificateStatusType::ocsp))
    return ExtensionBody(RawExtension{Bytes(data_.begin(), data_.end())});
  if (!r.vec24(response)) return fail("OCSPResponse length exceeds the extension");
  if (response.empty()) return fail("OCSPResponse is empty");
  return done(r, CertificateStatus{static_cast<CertificateStatusType>(status_type),
                                   Bytes(response.begin(), response.end())});
}

Result<ExtensionBody> BodyParser::named_groups() {
  Reader r(data_);
  BytesView list;
  NamedGroupList out;
  if (!r.vec16(list)) return fail("named_group_list length exceeds the extension");
  if (list.empty()) return fail("named_group_list is empty");
  if (!detail::read_u16_list(list, out.groups))
    return fail("named_group_list length " + std::to_string(list.size()) + " is odd");
  return done(r, std::move(out));
}

Result<ExtensionBody> BodyParser::point_formats() {
  Reader r(data_);
  BytesView list;
  EcPointFormatList out;
  if (!r.vec8(list)) return fail("ec_point_format_list length exceeds the extension");
  if (list.empty()) return fail("ec_point_format_list is empty");
  detail::read_u8_list(list, out.formats);
  return done(r, std::move(out));
}

Result<ExtensionBody> BodyParser::signature_schemes() {
  Reader r(data_);
  BytesView list;
  SignatureSchemeList out;
  if (!r.vec16(list)) return fail("supported_signature_algorithms length exceeds the extension");
  if (list.empty()) return fail("supported_signature_algorithms is empty");
  if (!detail::read_u16_list(list, out.schemes))
    return fail("supported_signature_algorithms length " + std::to_string(list.size()) + " is odd");
  return done(r, std::move(out));
}

Result<ExtensionBody> BodyParser::alpn() {
  Reader r(data_);
  BytesView list;
  if (!r.vec16(list)) return fail("protocol_name_list length exceeds the extension");
  if (list.empty()) return fail("protocol_name_list is empty");
  AlpnProtocols out;
  Reader names(list);
  while (!names.empty()) {
    BytesView protocol;
    if (!names.vec8(protocol)) return fail("protocol name length exceeds the list");
    if (protocol.empty()) return fail("empty protocol name");
    out.protocols.emplace_back(as_chars(protocol));
  }
  return done(r, std::move(out));
}

Result<ExtensionBody> BodyParser::record_size_limit() {
  Reader r(data_);
  uint16_t limit;
  if (!r.u16(limit)) return fail("expected a 2-byte limit");
  if (limit < 64)  // RFC 8449 §4
    return illegal_parameter(where() + "limit " + std::to_string(limit) + " is below 64");
  return done(r, RecordSizeLimit{limit});
}

Result<ExtensionBody> BodyParser::supported_versions_list() {
  Reader r(data_);
  BytesView list;
  SupportedVersionsList out;
  if (!r.vec8(list)) return fail("versions length exceeds the extension");
  if (list.empty()) return fail("versions list is empty");
  if (!detail::read_u16_list(list, out.versions))
    return fail("versions length " + std::to_string(list.size()) + " is odd");
  return done(r, std::move(out));
}

Result<ExtensionBody> BodyParser::supported_version_selected() {
  Reader r(data_);
  uint16_t version;
  if (!r.u16(version)) return fail("expected a 2-byte selected_version");
  return done(r, SupportedVersionSelected{static_cast<ProtocolVersion>(version)});
}

Result<ExtensionBody> BodyParser::cookie() {
  Reader r(data_);
  BytesView value;
  if (!r.vec16(value)) return fail("cookie length exceeds the extension");
  if (value.empty()) return fail("cookie is empty");
  return done(r, Cookie{Bytes(value.begin(), value.end())});
}

Result<ExtensionBody> BodyParser::psk_modes() {
  Reader r(data_);
  BytesView list;
  PskKeyExchangeModes out;
  if (!r.vec8(list)) return fail("ke_modes length exceeds the extension");
  if (list.empty()) return fail("ke_modes is empty");
  detail::read_u8_list(list, out.modes);
  return done(r, std::move(out));
}

Result<ExtensionBody> BodyParser::certificate_authorities() {
  Reader r(data_);
  BytesView list;
  if (!r.vec16(list)) return fail("authorities length exceeds the extension");
  if (list.empty()) return fail("authorities list is empty");
  CertificateAuthorities out;
  Reader names(list);
  while (!names.empty()) {
    BytesView dn;
    if (!names.vec16(dn)) return fail("DistinguishedName length exceeds the list");
    if (dn.empty()) return fail("empty DistinguishedName");
    out.names.emplace_back(dn.begin(), dn.end());
  }
  return done(r, std::move(out));
}

namespace {
bool read_key_share_entry(Reader& r, KeyShareEntry& out, std::string& problem) {
  uint16_t group;
  BytesView key;
  if (!r.u16(group)) {
    problem = "truncated KeyShareEntry";
    return false;
  }
  // An empty key_exchange is kept: for a group in use it is a share of the wrong length
  // (illegal_parameter, as for any other length), for any other group it is ignored.
  if (!r.vec16(key)) {
    problem = "key_exchange length exceeds the extension";
    return false;
  }
  out.group = static_cast<NamedGroup>(group);
  out.key_exchange.assign(key.begin(), key.end());
  return true;
}
}  // namespace

Result<ExtensionBody> BodyParser::key_share_client() {
  Reader r(data_);
  BytesView list;
  if (!r.vec16(list)) return fail("client_shares length exceeds the extension");
  KeyShareClientHello out;
  Reader shares(list);
  std::string problem;
  // As many shares as the extension holds (unknown groups are ignored later): the
  // ClientHello's size bounds them.
  while (!shares.empty()) {
    KeyShareEntry entry;
    if (!read_key_share_entry(shares, entry, problem)) return fail(problem);
    out.shares.push_back(std::move(entry));
  }
  // RFC 8446 §4.2.8: clients MUST NOT offer two shares for one group. Sorted, so hundreds
  // of shares cost n log n rather than n².
  std::vector<uint16_t> groups;
  groups.reserve(out.shares.size());
  for (const KeyShareEntry& share : out.shares) groups.push_back(wire(share.group));
  std::sort(groups.begin(), groups.end());
  if (auto dup = std::adjacent_find(groups.begin(), groups.end()); dup != groups.end())
    return illegal_parameter(where() + "two shares for " +
                             to_string(static_cast<NamedGroup>(*dup)));
  return done(r, std::move(out));
}

Result<ExtensionBody> BodyParser::key_share_server() {
  Reader r(data_);
  KeyShareServerHello out;
  std::string problem;
  if (!read_key_share_entry(r, out.share, problem)) return fail(problem);
  return done(r, std::move(out));
}

Result<ExtensionBody> BodyParser::key_share_hrr() {
  Reader r(data_);
  uint16_t group;
  if (!r.u16(group)) return fail("expected a 2-byte selected_group");
  return done(r, KeyShareHelloRetryRequest{static_cast<NamedGroup>(group)});
}

Result<ExtensionBody> BodyParser::psk_offer() {
  Reader r(data_);
  BytesView ids, binders;
  if (!r.vec16(ids)) return fail("identities length exceeds the extension");
  if (!r.vec16(binders)) return fail("binders length exceeds the extension");
  if (ids.empty()) return fail("identities list is empty");
  if (binders.empty()) return fail("binders list is empty");
  PreSharedKeyOffer out;
  Reader id_reader(ids);
  while (!id_reader.empty()) {
    if (out.identities.size() == kMaxPskIdentities)
      return illegal_parameter(where() + "more than " + std::to_string(kMaxPskIdentities) +
                               " identities");
    PskIdentity id;
    BytesView identity;
    if (!id_reader.vec16(identity)) return fail("identity length exceeds the list");
    if (identity.empty()) return fail("identity is empty");
    if (!id_reader.u32(id.obfuscated_ticket_age)) return fail("truncated obfuscated_ticket_age");
    id.identity.assign(identity.begin(), identity.end());
    out.identities.push_back(std::move(id));
  }
  Reader binder_reader(binders);
  while (!binder_reader.empty()) {
    BytesView binder;
    if (!binder_reader.vec8(binder)) return fail("binder length exceeds the list");
    if (binder.size() < 32)  // PskBinderEntry<32..255>
      return fail("binder of " + std::to_string(binder.size()) + " bytes is below 32");
    out.binders.emplace_back(binder.begin(), binder.end());
  }
  if (out.binders.size() != out.identities.size())  // RFC 8446 §4.2.11
    return illegal_parameter(where() + std::to_string(out.identities.size()) + " identities but " +
                             std::to_string(out.binders.size()) + " binders");
  return done(r, std::move(out));
}

Result<ExtensionBody> BodyParser::psk_selected() {
  Reader r(data_);
  uint16_t index;
  if (!r.u16(index)) return fail("expected a 2-byte selected_identity");
  return done(r, PreSharedKeySelected{index});
}

Result<ExtensionBody> BodyParser::early_data_max() {
  Reader r(data_);
  uint32_t max;
  if (!r.u32(max)) return fail("expected a 4-byte max_early_data_size");
  return done(r, EarlyDataMax{max});
}

Result<ExtensionBody> BodyParser::renegotiation_info() {
  Reader r(data_);
  BytesView value;
  if (!r.vec8(value)) return fail("renegotiated_connection length exceeds the extension");
  return done(r, RenegotiationInfo{Bytes(value.begin(), value.end())});
}

}  // namespace

Result<ExtensionBody> parse_extension_body(ExtensionType type, BytesView data,
                                           ExtensionContext context, const char* message) {
  return BodyParser(type, data, context, message).parse();
}

Result<Extensions> parse_extensions(BytesView contents, ExtensionContext context,
                                    const char* message) {
  Extensions out;
  std::vector<uint16_t> seen;
  Reader r(contents);
  while (!r.empty()) {
    uint16_t type;
    BytesView data;
    if (!r.u16(type) || !r.vec16(data))
      return decode_error(std::string(message) + ": extension " + std::to_string(out.size() + 1) +
                          " is truncated");
    TERN_TRY(ExtensionBody body,
             parse_extension_body(static_cast<ExtensionType>(type), data, context, message));
    out.push_back(Extension{static_cast<ExtensionType>(type), std::move(body)});
    seen.push_back(type);
  }
  // Duplicates (RFC 8446 §4.2): sort a copy so a hostile list costs n log n, not n².
  std::sort(seen.begin(), seen.end());
  auto dup = std::adjacent_find(seen.begin(), seen.end());
  if (dup != seen.end())
    return illegal_parameter(std::string(message) + ": extension " +
                             to_string(static_cast<ExtensionType>(*dup)) +
                             " appears more than once");
  return out;
}

}  // namespace tern::msgs
