// SPDX-License-Identifier: Apache-2.0
#include "msgs/print.h"

#include "base/encoding.h"
#include "msgs/compressed_certificate.h"

namespace tern::msgs {

namespace {

// Long values (keys, signatures, certificates) are shortened to their first bytes.
std::string short_hex(BytesView data) {
  if (data.empty()) return "(empty)";
  constexpr size_t kShown = 16;
  if (data.size() <= kShown) return base::hex(data);
  return base::hex(data.first(kShown)) + "... (" + std::to_string(data.size()) + " bytes)";
}

template <typename T>
std::string join(const std::vector<T>& values) {
  if (values.empty()) return "(none)";
  std::string s;
  for (const T& v : values) {
    if (!s.empty()) s += ", ";
    s += to_string(v);
  }
  return s;
}

class Text {
 public:
  Text(const char* title, size_t size) {
    out_ = std::string(title) + " (" + std::to_string(size) + " bytes)\n";
  }
  Text& field(const std::string& name, const std::string& value, int indent = 1) {
    out_ += std::string(2 * static_cast<size_t>(indent), ' ') + name + ": " + value + "\n";
    return *this;
  }
  Text& extensions(const Extensions& list, int indent = 1) {
    std::string pad(2 * static_cast<size_t>(indent), ' ');
    out_ += pad + "extensions (" + std::to_string(list.size()) + "):\n";
    for (const Extension& ext : list) out_ += pad + "  " + to_string(ext) + "\n";
    return *this;
  }
  std::string str() const { return out_; }

 private:
  std::string out_;
};

template <typename M>
size_t size_of(const M& m) {
  return m.encode().size();
}

}  // namespace

std::string describe(const ClientHello& m) {
  Text t("ClientHello", size_of(m));
  t.field("legacy_version", to_string(m.legacy_version))
      .field("random", base::hex(m.random))
      .field("legacy_session_id", short_hex(m.legacy_session_id))
      .field("cipher_suites", join(m.cipher_suites))
      .field("legacy_compression_methods", base::hex(m.legacy_compression_methods));
  if (m.extensions_absent) return t.field("extensions", "(absent)").str();
  return t.extensions(m.extensions).str();
}

std::string describe(const ServerHello& m) {
  Text t(m.is_hello_retry_request() ? "HelloRetryRequest" : "ServerHello", size_of(m));
  t.field("legacy_version", to_string(m.legacy_version))
      .field("random", base::hex(m.random))
      .field("legacy_session_id_echo", short_hex(m.legacy_session_id_echo))
      .field("cipher_suite", to_string(m.cipher_suite))
      .field("legacy_compression_method", std::to_string(m.legacy_compression_method));
  if (m.extensions_absent) return t.field("extensions", "(absent)").str();
  return t.extensions(m.extensions).str();
}

std::string describe(const EncryptedExtensions& m) {
  return Text("EncryptedExtensions", size_of(m)).extensions(m.extensions).str();
}

std::string describe(const Certificate13& m) {
  Text t("Certificate", size_of(m));
  t.field("certificate_request_context", short_hex(m.certificate_request_context));
  t.field("certificates", std::to_string(m.certificate_list.size()));
  for (size_t i = 0; i < m.certificate_list.size(); ++i) {
    const CertificateEntry& e = m.certificate_list[i];
    t.field("[" + std::to_string(i) + "] cert_data", short_hex(e.cert_data), 2);
    if (!e.extensions.empty()) t.extensions(e.extensions, 3);
  }
  return t.str();
}

std::string describe(const Certificate12& m) {
  Text t("Certificate", size_of(m));
  t.field("certificates", std::to_string(m.certificate_list.size()));
  for (size_t i = 0; i < m.certificate_list.size(); ++i)
    t.field("[" + std::to_string(i) + "]", short_hex(m.certificate_list[i]), 2);
  return t.str();
}

std::string describe(const CertificateRequest13& m) {
  return Text("CertificateRequest", size_of(m))
      .field("certificate_request_context", short_hex(m.certificate_request_context))
      .extensions(m.extensions)
      .str();
}

std::string describe(const CertificateRequest12& m) {
  return Text("CertificateRequest", size_of(m))
      .field("certificate_types", join(m.certificate_types))
      .field("supported_signature_algorithms", join(m.signature_schemes))
      .field("certificate_authorities", std::to_string(m.certificate_authorities.size()))
      .str();
}

std::string describe(const CertificateVerify& m) {
  return Text("CertificateVerify", size_of(m))
      .field("algorithm", to_string(m.scheme))
      .field("signature", short_hex(m.signature))
      .str();
}

std::string describe(const Finished& m) {
  return Text("Finished", size_of(m)).field("verify_data", base::hex(m.verify_data)).str();
}

std::string describe(const NewSessionTicket13& m) {
  return Text("NewSessionTicket", size_of(m))
      .field("ticket_lifetime", std::to_string(m.ticket_lifetime) + " s")
      .field("ticket_age_add", std::to_string(m.ticket_age_add))
      .field("ticket_nonce", short_hex(m.ticket_nonce))
      .field("ticket", short_hex(m.ticket))
      .extensions(m.extensions)
      .str();
}

std::string describe(const NewSessionTicket12& m) {
  return Text("NewSessionTicket", size_of(m))
      .field("ticket_lifetime_hint", std::to_string(m.ticket_lifetime_hint) + " s")
      .field("ticket", short_hex(m.ticket))
      .str();
}

std::string describe(const KeyUpdate& m) {
  return Text("KeyUpdate", size_of(m)).field("request_update", to_string(m.request_update)).str();
}

std::string describe(const EndOfEarlyData& m) { return Text("EndOfEarlyData", size_of(m)).str(); }
std::string describe(const HelloRequest& m) { return Text("HelloRequest", size_of(m)).str(); }
std::string describe(const ServerHelloDone& m) { return Text("ServerHelloDone", size_of(m)).str(); }

std::string describe(const ServerKeyExchangeEcdhe& m) {
  return Text("ServerKeyExchange", size_of(m))
      .field("named_curve", to_string(m.group))
      .field("public", short_hex(m.public_key))
      .field("algorithm", to_string(m.scheme))
      .field("signature", short_hex(m.signature))
      .str();
}

std::string describe(const ClientKeyExchangeEcdhe& m) {
  return Text("ClientKeyExchange", size_of(m)).field("ecdh_Yc", short_hex(m.public_key)).str();
}

std::string describe(const ClientKeyExchangeRsa& m) {
  return Text("ClientKeyExchange", size_of(m))
      .field("encrypted_pre_master_secret", short_hex(m.encrypted_premaster))
      .str();
}

namespace {

template <typename M>
std::string parse_and_describe(BytesView body) {
  auto parsed = M::parse(body);
  if (!parsed.ok()) {
    return to_string(M::kType) + " (" + std::to_string(body.size() + kHandshakeHeaderSize) +
           " bytes, malformed): " + parsed.error().detail + "\n";
  }
  return describe(*parsed);
}

}  // namespace

std::string describe_handshake(BytesView message, const DescribeOptions& options) {
  auto view = split_handshake(message);
  if (!view.ok()) return "malformed handshake message: " + view.error().detail + "\n";
  bool tls13 = options.version == ProtocolVersion::tls13;
  BytesView body = view->body;
  switch (view->type) {
    case HandshakeType::hello_request: return parse_and_describe<HelloRequest>(body);
    case HandshakeType::client_hello: return parse_and_describe<ClientHello>(body);
    case HandshakeType::server_hello: return parse_and_describe<ServerHello>(body);
    case HandshakeType::new_session_ticket:
      return tls13 ? parse_and_describe<NewSessionTicket13>(body)
                   : parse_and_describe<NewSessionTicket12>(body);
    case HandshakeType::end_of_early_data: return parse_and_describe<EndOfEarlyData>(body);
    case HandshakeType::encrypted_extensions: return parse_and_describe<EncryptedExtensions>(body);
    case HandshakeType::certificate:
      return tls13 ? parse_and_describe<Certificate13>(body)
                   : parse_and_describe<Certificate12>(body);
    case HandshakeType::server_key_exchange:
      return parse_and_describe<ServerKeyExchangeEcdhe>(body);
    case HandshakeType::certificate_request:
      return tls13 ? parse_and_describe<CertificateRequest13>(body)
                   : parse_and_describe<CertificateRequest12>(body);
    case HandshakeType::server_hello_done: return parse_and_describe<ServerHelloDone>(body);
    case HandshakeType::certificate_verify: return parse_and_describe<CertificateVerify>(body);
    case HandshakeType::client_key_exchange:
      return options.rsa_key_exchange ? parse_and_describe<ClientKeyExchangeRsa>(body)
                                      : parse_and_describe<ClientKeyExchangeEcdhe>(body);
    case HandshakeType::finished: return parse_and_describe<Finished>(body);
    case HandshakeType::key_update: return parse_and_describe<KeyUpdate>(body);
    case HandshakeType::compressed_certificate:
      return parse_and_describe<CompressedCertificate>(body);
    default: break;
  }
  return to_string(view->type) + " (" + std::to_string(message.size()) +
         " bytes): " + short_hex(body) + "\n";
}

}  // namespace tern::msgs
