// SPDX-License-Identifier: Apache-2.0
// Extensions other than their parsing (extensions_parse.cpp): lookup, encoding, the TLS 1.3
// table of where each type may appear, and the one-line descriptions for traces.
#include "msgs/extensions.h"

#include <algorithm>

#include "base/encoding.h"
#include "msgs/codec_util.h"

namespace tern::msgs {

using base::Writer;
using detail::illegal_parameter;
using ET = ExtensionType;
using C = ExtensionContext;

const char* name(ExtensionContext context) {
  switch (context) {
    case ExtensionContext::client_hello: return "ClientHello";
    case ExtensionContext::server_hello: return "ServerHello";
    case ExtensionContext::hello_retry_request: return "HelloRetryRequest";
    case ExtensionContext::encrypted_extensions: return "EncryptedExtensions";
    case ExtensionContext::certificate_request: return "CertificateRequest";
    case ExtensionContext::certificate_entry: return "CertificateEntry";
    case ExtensionContext::new_session_ticket: return "NewSessionTicket";
  }
  return "unknown context";
}

size_t PreSharedKeyOffer::binders_wire_length() const {
  size_t n = 2;
  for (const Bytes& binder : binders) n += 1 + binder.size();
  return n;
}

const Extension* find_extension(const Extensions& extensions, ExtensionType type) {
  for (const Extension& ext : extensions)
    if (ext.type == type) return &ext;
  return nullptr;
}

namespace {

// ---- encoding ----

template <typename E>
void write_u16_list(Writer& w, const std::vector<E>& values) {
  for (E v : values) w.u16(static_cast<uint16_t>(v));
}
template <typename E>
void write_u8_list(Writer& w, const std::vector<E>& values) {
  for (E v : values) w.u8(static_cast<uint8_t>(v));
}

struct BodyEncoder {
  Writer& w;

  void operator()(const RawExtension& b) { w.bytes(b.data); }
  void operator()(const EmptyExtension&) {}
  void operator()(const ServerNameList& b) {
    w.vec16([&] {
      for (const std::string& host : b.host_names) {
        w.u8(static_cast<uint8_t>(ServerNameType::host_name));
        w.vec16([&] { w.bytes(host); });
      }
    });
  }
  void operator()(const StatusRequest& b) {
    w.u8(static_cast<uint8_t>(b.status_type));
    w.vec16([&] { w.bytes(b.responder_id_list); });
    w.vec16([&] { w.bytes(b.request_extensions); });
  }
  void operator()(const CertificateStatus& b) {
    w.u8(static_cast<uint8_t>(b.status_type));
    w.vec24([&] { w.bytes(b.ocsp_response); });
  }
  void operator()(const NamedGroupList& b) {
    w.vec16([&] { write_u16_list(w, b.groups); });
  }
  void operator()(const EcPointFormatList& b) {
    w.vec8([&] { write_u8_list(w, b.formats); });
  }
  void operator()(const SignatureSchemeList& b) {
    w.vec16([&] { write_u16_list(w, b.schemes); });
  }
  void operator()(const AlpnProtocols& b) {
    w.vec16([&] {
      for (const std::string& p : b.protocols) w.vec8([&] { w.bytes(p); });
    });
  }
  void operator()(const Padding& b) { w.bytes(b.data); }
  void operator()(const RecordSizeLimit& b) { w.u16(b.limit); }
  void operator()(const SessionTicketExtension& b) { w.bytes(b.ticket); }
  void operator()(const RenegotiationInfo& b) {
    w.vec8([&] { w.bytes(b.renegotiated_connection); });
  }
  void operator()(const EarlyDataMax& b) { w.u32(b.max_early_data_size); }
  void operator()(const SupportedVersionsList& b) {
    w.vec8([&] { write_u16_list(w, b.versions); });
  }
  void operator()(const SupportedVersionSelected& b) { w.u16(wire(b.version)); }
  void operator()(const Cookie& b) {
    w.vec16([&] { w.bytes(b.cookie); });
  }
  void operator()(const PskKeyExchangeModes& b) {
    w.vec8([&] { write_u8_list(w, b.modes); });
  }
  void operator()(const CertificateAuthorities& b) {
    w.vec16([&] {
      for (const Bytes& dn : b.names) w.vec16([&] { w.bytes(dn); });
    });
  }
  void entry(const KeyShareEntry& e) {
    w.u16(wire(e.group));
    w.vec16([&] { w.bytes(e.key_exchange); });
  }
  void operator()(const KeyShareClientHello& b) {
    w.vec16([&] {
      for (const KeyShareEntry& e : b.shares) entry(e);
    });
  }
  void operator()(const KeyShareServerHello& b) { entry(b.share); }
  void operator()(const KeyShareHelloRetryRequest& b) { w.u16(wire(b.selected_group)); }
  void operator()(const PreSharedKeyOffer& b) {
    w.vec16([&] {
      for (const PskIdentity& id : b.identities) {
        w.vec16([&] { w.bytes(id.identity); });
        w.u32(id.obfuscated_ticket_age);
      }
    });
    w.vec16([&] {
      for (const Bytes& binder : b.binders) w.vec8([&] { w.bytes(binder); });
    });
  }
  void operator()(const PreSharedKeySelected& b) { w.u16(b.selected_identity); }
};

}  // namespace

void encode_extensions(Writer& out, const Extensions& extensions) {
  out.vec16([&] {
    for (const Extension& ext : extensions) {
      out.u16(wire(ext.type));
      out.vec16([&] { std::visit(BodyEncoder{out}, ext.body); });
    }
  });
}

Bytes encode_extension_body(const ExtensionBody& body) {
  Writer w;
  std::visit(BodyEncoder{w}, body);
  return w.take();
}

bool tls13_allows(ExtensionType type, ExtensionContext context) {
  auto any = [&](std::initializer_list<C> allowed) {
    return std::find(allowed.begin(), allowed.end(), context) != allowed.end();
  };
  switch (type) {
    case ET::server_name:
    case ET::max_fragment_length:
    case ET::supported_groups:
    case ET::use_srtp:
    case ET::heartbeat:
    case ET::application_layer_protocol_negotiation:
    case ET::client_certificate_type:
    case ET::server_certificate_type:
    case ET::record_size_limit: return any({C::client_hello, C::encrypted_extensions});
    case ET::status_request:
    case ET::signed_certificate_timestamp:
      return any({C::client_hello, C::certificate_request, C::certificate_entry});
    case ET::signature_algorithms:
    case ET::signature_algorithms_cert:
    case ET::certificate_authorities:
    case ET::compress_certificate: return any({C::client_hello, C::certificate_request});
    case ET::padding:
    case ET::psk_key_exchange_modes:
    case ET::post_handshake_auth: return any({C::client_hello});
    case ET::key_share:
    case ET::supported_versions:
      return any({C::client_hello, C::server_hello, C::hello_retry_request});
    case ET::pre_shared_key: return any({C::client_hello, C::server_hello});
    case ET::early_data:
      return any({C::client_hello, C::encrypted_extensions, C::new_session_ticket});
    case ET::cookie: return any({C::client_hello, C::hello_retry_request});
    case ET::oid_filters: return any({C::certificate_request});
    case ET::encrypted_client_hello:
      return any({C::client_hello, C::encrypted_extensions, C::hello_retry_request});
    // TLS 1.2 only.
    case ET::ec_point_formats:
    case ET::encrypt_then_mac:
    case ET::extended_master_secret:
    case ET::session_ticket:
    case ET::renegotiation_info: return any({C::client_hello});
  }
  return true;  // not a type tern recognizes: ignored, so never illegal
}

Result<void> check_tls13_extensions(const Extensions& extensions, ExtensionContext context,
                                    const char* message) {
  for (const Extension& ext : extensions)
    if (!tls13_allows(ext.type, context))
      return illegal_parameter(std::string(message) + ": extension " + to_string(ext.type) +
                               " is not allowed in " + name(context) + " in TLS 1.3");
  return ok();
}

namespace {

template <typename T>
std::string join(const std::vector<T>& values) {
  std::string s;
  for (const T& v : values) {
    if (!s.empty()) s += ", ";
    if constexpr (std::is_same_v<T, std::string>) {
      s += v;
    } else {
      s += to_string(v);
    }
  }
  return s;
}

struct BodyDescriber {
  std::string operator()(const RawExtension& b) {
    return std::to_string(b.data.size()) + " bytes" +
           (b.data.empty() || b.data.size() > 32 ? "" : ": " + base::hex(b.data));
  }
  std::string operator()(const EmptyExtension&) { return "(empty)"; }
  std::string operator()(const ServerNameList& b) { return join(b.host_names); }
  std::string operator()(const StatusRequest& b) {
    return b.status_type == CertificateStatusType::ocsp ? "ocsp" : "unknown status_type";
  }
  std::string operator()(const CertificateStatus& b) {
    return "OCSP response, " + std::to_string(b.ocsp_response.size()) + " bytes";
  }
  std::string operator()(const NamedGroupList& b) { return join(b.groups); }
  std::string operator()(const EcPointFormatList& b) { return join(b.formats); }
  std::string operator()(const SignatureSchemeList& b) { return join(b.schemes); }
  std::string operator()(const AlpnProtocols& b) { return join(b.protocols); }
  std::string operator()(const Padding& b) { return std::to_string(b.data.size()) + " bytes"; }
  std::string operator()(const RecordSizeLimit& b) { return std::to_string(b.limit); }
  std::string operator()(const SessionTicketExtension& b) {
    return b.ticket.empty() ? "(empty)" : std::to_string(b.ticket.size()) + "-byte ticket";
  }
  std::string operator()(const RenegotiationInfo& b) {
    return b.renegotiated_connection.empty() ? "(initial handshake)"
                                             : base::hex(b.renegotiated_connection);
  }
  std::string operator()(const EarlyDataMax& b) {
    return "max_early_data_size " + std::to_string(b.max_early_data_size);
  }
  std::string operator()(const SupportedVersionsList& b) { return join(b.versions); }
  std::string operator()(const SupportedVersionSelected& b) { return to_string(b.version); }
  std::string operator()(const Cookie& b) { return std::to_string(b.cookie.size()) + " bytes"; }
  std::string operator()(const PskKeyExchangeModes& b) { return join(b.modes); }
  std::string operator()(const CertificateAuthorities& b) {
    return std::to_string(b.names.size()) + " names";
  }
  std::string entry(const KeyShareEntry& e) {
    return to_string(e.group) + " (" + std::to_string(e.key_exchange.size()) + " bytes)";
  }
  std::string operator()(const KeyShareClientHello& b) {
    std::string s;
    for (const KeyShareEntry& e : b.shares) s += (s.empty() ? "" : ", ") + entry(e);
    return s.empty() ? "(no shares)" : s;
  }
  std::string operator()(const KeyShareServerHello& b) { return entry(b.share); }
  std::string operator()(const KeyShareHelloRetryRequest& b) {
    return "selected " + to_string(b.selected_group);
  }
  std::string operator()(const PreSharedKeyOffer& b) {
    return std::to_string(b.identities.size()) + " identities";
  }
  std::string operator()(const PreSharedKeySelected& b) {
    return "selected identity " + std::to_string(b.selected_identity);
  }
};

}  // namespace

std::string to_string(const Extension& extension) {
  return to_string(extension.type) + ": " + std::visit(BodyDescriber{}, extension.body);
}

}  // namespace tern::msgs
