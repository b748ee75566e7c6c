// SPDX-License-Identifier: Apache-2.0
// describe_message and the code point names of include/tern/trace.h, over the wire codec.
#include "crypto/hybrid.h"
#include "handshake/cert_compression/compressor.h"
#include "msgs/compressed_certificate.h"
#include "msgs/handshake.h"
#include "msgs/print.h"
#include "tern/trace.h"

namespace tern {
namespace {

using msgs::ExtensionType;

template <typename E>
std::vector<uint16_t> wires(const std::vector<E>& values) {
  std::vector<uint16_t> out;
  out.reserve(values.size());
  for (E v : values) out.push_back(static_cast<uint16_t>(v));
  return out;
}

// The fields hello and EncryptedExtensions extensions carry, whatever the message.
void read_extensions(const msgs::Extensions& extensions, HandshakeSummary& out) {
  for (const msgs::Extension& ext : extensions) {
    out.extensions.push_back({static_cast<uint16_t>(ext.type), msgs::to_string(ext.type),
                              msgs::to_string(ext)});
    switch (ext.type) {
      case ExtensionType::server_name:
        if (auto* list = ext.get<msgs::ServerNameList>(); list && !list->host_names.empty())
          out.server_name = list->host_names.front();
        else
          out.server_name_acknowledged = true;
        break;
      case ExtensionType::supported_versions:
        if (auto* list = ext.get<msgs::SupportedVersionsList>()) out.versions = wires(list->versions);
        if (auto* one = ext.get<msgs::SupportedVersionSelected>())
          out.selected_version = static_cast<uint16_t>(one->version);
        break;
      case ExtensionType::supported_groups:
        if (auto* list = ext.get<msgs::NamedGroupList>()) out.groups = wires(list->groups);
        break;
      case ExtensionType::signature_algorithms:
        if (auto* list = ext.get<msgs::SignatureSchemeList>())
          out.signature_schemes = wires(list->schemes);
        break;
      case ExtensionType::key_share:
        if (auto* ch = ext.get<msgs::KeyShareClientHello>())
          for (const auto& share : ch->shares)
            out.key_shares.push_back({static_cast<uint16_t>(share.group), share.key_exchange});
        if (auto* sh = ext.get<msgs::KeyShareServerHello>())
          out.key_shares.push_back(
              {static_cast<uint16_t>(sh->share.group), sh->share.key_exchange});
        if (auto* hrr = ext.get<msgs::KeyShareHelloRetryRequest>())
          out.retry_group = static_cast<uint16_t>(hrr->selected_group);
        break;
      case ExtensionType::application_layer_protocol_negotiation:
        if (auto* list = ext.get<msgs::AlpnProtocols>()) out.alpn = list->protocols;
        break;
      case ExtensionType::extended_master_secret:
        out.extended_master_secret = true;
        break;
      case ExtensionType::renegotiation_info:
        out.renegotiation_info = true;
        break;
      case ExtensionType::cookie:
        out.retry_cookie = true;
        break;
      case ExtensionType::session_ticket:
        out.session_ticket = true;
        if (auto* t = ext.get<msgs::SessionTicketExtension>()) out.ticket_size = t->ticket.size();
        break;
      case ExtensionType::psk_key_exchange_modes:
        if (auto* modes = ext.get<msgs::PskKeyExchangeModes>())
          for (auto m : modes->modes) out.psk_modes.push_back(static_cast<uint8_t>(m));
        break;
      case ExtensionType::pre_shared_key:
        if (auto* offer = ext.get<msgs::PreSharedKeyOffer>()) {
          out.psk_identities = offer->identities.size();
          if (!offer->identities.empty()) {
            out.obfuscated_ticket_age = offer->identities[0].obfuscated_ticket_age;
            out.psk_identity_size = offer->identities[0].identity.size();
          }
        }
        if (auto* selected = ext.get<msgs::PreSharedKeySelected>()) {
          out.psk_selected = true;
          out.selected_identity = selected->selected_identity;
        }
        break;
      default:
        break;
    }
  }
}

template <typename M>
bool parse_into(BytesView body, HandshakeSummary& out, M& message) {
  auto parsed = M::parse(body);
  if (!parsed) {
    out.error = parsed.error().detail;
    return false;
  }
  message = std::move(*parsed);
  return true;
}

void summarize(msgs::HandshakeType type, BytesView body, bool tls13, bool rsa,
               HandshakeSummary& out) {
  using T = msgs::HandshakeType;
  switch (type) {
    case T::client_hello: {
      msgs::ClientHello m;
      if (!parse_into(body, out, m)) return;
      out.legacy_version = static_cast<uint16_t>(m.legacy_version);
      out.random.assign(m.random.begin(), m.random.end());
      out.session_id = m.legacy_session_id;
      out.cipher_suites = wires(m.cipher_suites);
      read_extensions(m.extensions, out);
      return;
    }
    case T::server_hello: {
      msgs::ServerHello m;
      if (!parse_into(body, out, m)) return;
      out.hello_retry_request = m.is_hello_retry_request();
      if (out.hello_retry_request) out.name = "HelloRetryRequest";
      out.legacy_version = static_cast<uint16_t>(m.legacy_version);
      out.random.assign(m.random.begin(), m.random.end());
      out.session_id = m.legacy_session_id_echo;
      out.cipher_suite = static_cast<uint16_t>(m.cipher_suite);
      read_extensions(m.extensions, out);
      if (!out.selected_version) out.selected_version = out.legacy_version;
      return;
    }
    case T::encrypted_extensions: {
      msgs::EncryptedExtensions m;
      if (parse_into(body, out, m)) read_extensions(m.extensions, out);
      return;
    }
    case T::certificate:
      if (tls13) {
        msgs::Certificate13 m;
        if (!parse_into(body, out, m)) return;
        for (auto& entry : m.certificate_list) out.certificates.push_back(std::move(entry.cert_data));
      } else {
        msgs::Certificate12 m;
        if (parse_into(body, out, m)) out.certificates = std::move(m.certificate_list);
      }
      return;
    case T::certificate_request:
      if (tls13) {
        msgs::CertificateRequest13 m;
        if (parse_into(body, out, m)) read_extensions(m.extensions, out);
      } else {
        msgs::CertificateRequest12 m;
        if (parse_into(body, out, m)) out.signature_schemes = wires(m.signature_schemes);
      }
      return;
    case T::certificate_verify: {
      msgs::CertificateVerify m;
      if (!parse_into(body, out, m)) return;
      out.signature_scheme = static_cast<uint16_t>(m.scheme);
      out.signature_size = m.signature.size();
      return;
    }
    case T::server_key_exchange: {
      msgs::ServerKeyExchangeEcdhe m;
      if (!parse_into(body, out, m)) return;
      out.group = static_cast<uint16_t>(m.group);
      out.public_key = m.public_key;
      out.signature_scheme = static_cast<uint16_t>(m.scheme);
      out.signature_size = m.signature.size();
      return;
    }
    case T::client_key_exchange:
      if (rsa) {
        msgs::ClientKeyExchangeRsa m;
        if (parse_into(body, out, m)) out.encrypted_pre_master_size = m.encrypted_premaster.size();
      } else {
        msgs::ClientKeyExchangeEcdhe m;
        if (parse_into(body, out, m)) out.public_key = m.public_key;
      }
      return;
    case T::finished: {
      msgs::Finished m;
      if (parse_into(body, out, m)) out.verify_data_size = m.verify_data.size();
      return;
    }
    case T::new_session_ticket:
      if (tls13) {
        msgs::NewSessionTicket13 m;
        if (!parse_into(body, out, m)) return;
        out.ticket_lifetime = m.ticket_lifetime;
        out.ticket_age_add = m.ticket_age_add;
        out.ticket_size = m.ticket.size();
      } else {
        msgs::NewSessionTicket12 m;
        if (!parse_into(body, out, m)) return;
        out.ticket_lifetime = m.ticket_lifetime_hint;
        out.ticket_size = m.ticket.size();
      }
      return;
    case T::key_update: {
      msgs::KeyUpdate m;
      if (parse_into(body, out, m))
        out.update_requested = m.request_update == msgs::KeyUpdateRequest::update_requested;
      return;
    }
    case T::compressed_certificate: {
      msgs::CompressedCertificate m;
      if (!parse_into(body, out, m)) return;
      out.certificate_compression = m.algorithm;
      out.uncompressed_length = m.uncompressed_length;
      out.compressed_length = m.compressed_certificate_message.size();
      // The chain inside, under the same limits as the handshake's own decompression.
      auto certificate = handshake::cert_compression::decompress_certificate(body, {1, 2, 3});
      if (!certificate) {
        out.error = certificate.error().detail;
        return;
      }
      msgs::Certificate13 chain;
      if (!parse_into(*certificate, out, chain)) return;
      for (auto& entry : chain.certificate_list)
        out.certificates.push_back(std::move(entry.cert_data));
      return;
    }
    default:
      return;  // ServerHelloDone, HelloRequest, EndOfEarlyData: nothing inside
  }
}

}  // namespace

HandshakeSummary describe_message(BytesView message, uint16_t version, uint16_t cipher_suite) {
  HandshakeSummary out;
  out.size = message.size();
  if (!message.empty()) out.type = message[0];
  out.name = handshake_type_name(out.type);
  bool tls13 = version != tls::kTls12;
  bool rsa = is_rsa_key_transport(cipher_suite);
  msgs::DescribeOptions options;
  options.version = tls13 ? msgs::ProtocolVersion::tls13 : msgs::ProtocolVersion::tls12;
  options.rsa_key_exchange = rsa;
  out.text = msgs::describe_handshake(message, options);
  auto view = msgs::split_handshake(message);
  if (!view) {
    out.error = view.error().detail;
    return out;
  }
  summarize(view->type, view->body, tls13, rsa, out);
  return out;
}

std::string version_name(uint16_t version) {
  switch (version) {
    case 0x0304: return "TLS 1.3";
    case 0x0303: return "TLS 1.2";
    case 0x0302: return "TLS 1.1";
    case 0x0301: return "TLS 1.0";
    case 0x0300: return "SSL 3.0";
    default: return msgs::to_string(static_cast<msgs::ProtocolVersion>(version));
  }
}

std::string cipher_suite_name(uint16_t suite) {
  return msgs::to_string(static_cast<msgs::CipherSuite>(suite));
}
std::string group_name(uint16_t group) { return msgs::to_string(static_cast<msgs::NamedGroup>(group)); }
std::string certificate_compression_name(uint16_t algorithm) {
  return msgs::certificate_compression_name(algorithm);
}
bool is_post_quantum_group(uint16_t group) {
  return crypto::hybrid::is_hybrid(static_cast<crypto::Group>(group));
}
std::string key_exchange_name(uint16_t group) {
  if (!is_post_quantum_group(group)) return "ECDHE " + group_name(group);
  const auto g = static_cast<crypto::Group>(group);
  return group_name(group) + " (" + crypto::hybrid::kem_part_name(g) + " + " +
         group_name(static_cast<uint16_t>(crypto::hybrid::classical_part(g))) +
         ", post-quantum hybrid)";
}
std::string signature_scheme_name(uint16_t scheme) {
  return msgs::to_string(static_cast<msgs::SignatureScheme>(scheme));
}
std::string extension_name(uint16_t type) {
  return msgs::to_string(static_cast<msgs::ExtensionType>(type));
}
std::string alert_name(uint8_t description) {
  return msgs::to_string(static_cast<Alert>(description));
}

std::string handshake_type_name(uint8_t type) {
  switch (type) {
    case 0: return "HelloRequest";
    case 1: return "ClientHello";
    case 2: return "ServerHello";
    case 4: return "NewSessionTicket";
    case 5: return "EndOfEarlyData";
    case 8: return "EncryptedExtensions";
    case 11: return "Certificate";
    case 12: return "ServerKeyExchange";
    case 13: return "CertificateRequest";
    case 14: return "ServerHelloDone";
    case 15: return "CertificateVerify";
    case 16: return "ClientKeyExchange";
    case 20: return "Finished";
    case 22: return "CertificateStatus";
    case 24: return "KeyUpdate";
    default: return msgs::to_string(static_cast<msgs::HandshakeType>(type));
  }
}

bool is_rsa_key_transport(uint16_t suite) {
  return suite == tls::kRsaAes128GcmSha256 || suite == tls::kRsaAes256GcmSha384;
}

}  // namespace tern
