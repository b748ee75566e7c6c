// SPDX-License-Identifier: Apache-2.0
// Each step in the words of a handshake walk-through, and what each message carries.
#include <algorithm>
#include <cstdio>

#include "trace/peer_text.h"
#include "trace/trace.h"

namespace tern::trace {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

template <typename F>
std::string list(const std::vector<uint16_t>& codes, F name) {
  if (codes.empty()) return "(none)";
  std::string out;
  for (uint16_t c : codes) out += (out.empty() ? "" : ", ") + name(c);
  return out;
}

std::string bytes_text(size_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

std::string shares_text(const std::vector<KeyShareSummary>& shares) {
  if (shares.empty()) return "(none: the client waits to be asked)";
  std::string out;
  for (const auto& s : shares)
    out += (out.empty() ? "" : ", ") + group_name(s.group) + " " + short_hex(s.key_exchange);
  return out;
}

std::string extensions_text(const HandshakeSummary& m) {
  std::vector<std::string> names;
  for (const auto& e : m.extensions) names.push_back(e.name);
  return names.empty() ? "(none)" : join(names, ", ");
}

// The ClientHello before `upto` (the one a HelloRetryRequest answers).
const HandshakeSummary* last_client_hello(const std::vector<Event>& events, const Event& upto) {
  const HandshakeSummary* found = nullptr;
  for (const Event& e : events) {
    if (&e == &upto) break;
    if (e.kind == Event::Kind::message && e.message.type == 1) found = &e.message;
  }
  return found;
}

bool tls13(const Event& e) { return e.version == tls::kTls13; }

std::string stage_explanation(const std::string& stage, uint16_t version) {
  if (stage == "early secret") return "HKDF-Extract(0, 0): no pre-shared key this time";
  if (stage == "early secret (PSK)")
    return "HKDF-Extract(0, PSK): the resumption secret of the earlier session (its ticket)";
  if (stage == "handshake secret")
    return "HKDF-Extract(the key exchange's shared secret, from the early secret) -> client "
           "and server handshake traffic keys";
  if (stage == "master secret" && version == tls::kTls13)
    return "HKDF-Extract(0, from the handshake secret) -> client and server application "
           "traffic keys, exporter secret";
  if (stage == "master secret")
    return "PRF(pre-master secret, \"master secret\", client random + server random)";
  if (stage == "extended master secret")
    return "PRF(pre-master secret, \"extended master secret\", hash of the handshake so far): "
           "bound to this handshake (RFC 7627)";
  if (stage == "master secret (resumed session)")
    return "the master secret of the earlier session, from the ticket or session cache";
  if (stage == "pre-master secret (ECDHE)")
    return "the ECDHE shared secret: each side computes it, it never travels";
  if (stage == "pre-master secret (RSA)")
    return "48 random bytes from the client, sent encrypted to the server's RSA key";
  if (stage == "key block")
    return "PRF(master secret, \"key expansion\", server random + client random) -> client "
           "and server write keys and IVs";
  if (stage == "application traffic") return "handshake done: application data may flow";
  if (stage == "session ticket stored" || stage == "session stored")
    return "kept for resuming later without a full handshake";
  if (stage.starts_with("key update")) return "the next traffic secret, from the current one";
  if (stage.starts_with("ECH: the inner ClientHello"))
    return "Encrypted Client Hello (RFC 9849): the real hello is encrypted to the server's ECH "
           "key; the network sees only the outer hello";
  if (stage == "ECH accepted")
    return "the server decrypted the inner hello: the handshake goes on with it";
  if (stage == "ECH rejected")
    return "the server could not decrypt the inner hello: the certificate must be the public "
           "name's, and the client ends with ech_required";
  return "";
}

}  // namespace

std::string hex(BytesView data) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : data) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::string short_hex(BytesView data, size_t shown) {
  if (data.empty()) return "(empty)";
  if (data.size() <= shown) return hex(data);
  return hex(data.first(shown)) + "... (" + bytes_text(data.size()) + ")";
}

std::string protection_name(Protection protection, uint16_t version) {
  switch (protection) {
    case Protection::plaintext: return "plaintext";
    case Protection::handshake_keys: return "handshake keys";
    case Protection::application_keys:
      return version == tls::kTls12 ? "session keys" : "application keys";
    case Protection::early_keys: return "early (0-RTT) keys";
  }
  return "?";
}

std::string explain(const Event& e, const std::vector<Event>& events) {
  bool by_server = e.from == Side::server;
  switch (e.kind) {
    case Event::Kind::message: {
      const HandshakeSummary& m = e.message;
      switch (m.type) {
        case 1:
          return "Client Hello: the client's TLS versions, a random number (client random) and "
                 "the cipher suites it supports";
        case 2:
          if (m.hello_retry_request)
            return "Hello Retry Request: the server needs a key share for another group; the "
                   "client says hello again";
          if (m.selected_version == tls::kTls13 && !m.key_shares.empty() &&
              is_post_quantum_group(m.key_shares[0].group))
            return "Server Hello: the version and cipher suite chosen, a random number (server "
                   "random) and the server's key share -- a post-quantum hybrid: ML-KEM "
                   "encapsulation and ECDHE together, no key ever travels -- forward secrecy, "
                   "also against a future quantum computer";
          if (m.selected_version == tls::kTls13)
            return "Server Hello: the version and cipher suite chosen, a random number (server "
                   "random) and the server's key share -- key agreement by ECDHE: no key ever "
                   "travels -- forward secrecy";
          return "Server Hello: the version and cipher suite chosen from the client's lists, "
                 "and a random number (server random)";
        case 4:
          return "New Session Ticket: a ticket to resume this session later without a full "
                 "handshake";
        case 8:
          return "Encrypted Extensions: the server's other answers (ALPN, SNI), already "
                 "encrypted";
        case 11:
          return by_server
                     ? "Server Certificate: the server proves its identity with a chain signed "
                       "by a CA"
                     : "Client Certificate: the client proves its identity with a chain signed "
                       "by a CA (mutual TLS)";
        case 25:
          return by_server
                     ? "Server Certificate: the server proves its identity with a chain signed "
                       "by a CA -- compressed (RFC 8879) with an algorithm the client offered"
                     : "Client Certificate: the client proves its identity with a chain signed "
                       "by a CA (mutual TLS) -- compressed (RFC 8879) with an algorithm the "
                       "server offered";
        case 12:
          return "Server Key Exchange: the server's ephemeral ECDHE public key, signed with "
                 "its certificate's key";
        case 13: return "Certificate Request: the server asks the client for a certificate";
        case 14: return "Server Hello Done: the server's first flight is complete";
        case 15:
          return std::string("Certificate Verify: the ") + (by_server ? "server" : "client") +
                 " signs the handshake so far with its certificate's private key: proof that "
                 "it holds it";
        case 16:
          if (m.encrypted_pre_master_size)
            return "Client Key Exchange: the pre-master secret, encrypted with the server's "
                   "RSA public key (no forward secrecy)";
          return "Client Key Exchange: the client's ephemeral ECDHE public key -- key "
                 "agreement by ECDHE: no key ever travels -- forward secrecy";
        case 20:
          return "Finished: a MAC over every handshake message so far, under the new keys";
        case 24: return "Key Update: new traffic keys, derived from the old ones";
        default: return m.name;
      }
    }
    case Event::Kind::change_cipher_spec:
      if (tls13(e))
        return "Change Cipher Spec: a dummy for middleboxes; TLS 1.3 encrypts from the "
               "ServerHello on";
      return "Change Cipher Spec: from here on, records are encrypted";
    case Event::Kind::alert:
      if (e.alert_description == 0)
        return "Alert close_notify: the sender is done; nothing follows";
      return std::string("Alert ") + alert_name(e.alert_description) +
             (e.alert_level == 2 ? " (fatal): the connection ends here" : " (warning)");
    case Event::Kind::application_data:
      return "Application Data: " + bytes_text(e.bytes) + " in " + std::to_string(e.records) +
             (e.records == 1 ? " record" : " records") + ", under the " +
             protection_name(e.protection, e.version);
    case Event::Kind::key_stage: return stage_explanation(e.stage, e.version);
    case Event::Kind::secret: return e.stage + " " + e.value;
    case Event::Kind::verify_step: return e.step.detail;
    case Event::Kind::verification:
      return e.error.empty() ? "the chain is trusted" : e.error;
  }
  (void)events;
  return "";
}

// Protocol names as the peer sent them, escaped (they are arbitrary bytes).
std::string alpn_text(const std::vector<std::string>& protocols) {
  std::vector<std::string> escaped;
  for (const auto& p : protocols) escaped.push_back(escape_peer_text(p));
  return join(escaped, ", ");
}

Fields message_fields(const Event& e, const std::vector<Event>& events) {
  const HandshakeSummary& m = e.message;
  Fields f;
  if (!m.error.empty()) {
    f.push_back({"malformed", m.error});
    return f;
  }
  auto resumption = [&] {
    // An external PSK's key schedule says so (the messages look alike): it is no resumption.
    bool external = std::any_of(events.begin(), events.end(), [](const Event& k) {
      return k.stage == "early secret (external PSK)";
    });
    if (m.psk_identities)
      f.push_back({"PSK", external ? std::to_string(m.psk_identities) + " identity (" +
                                         bytes_text(m.psk_identity_size) + "): an external PSK"
                                   : std::to_string(m.psk_identities) + " ticket (" +
                                         bytes_text(m.psk_identity_size) + "), obfuscated age " +
                                         std::to_string(m.obfuscated_ticket_age)});
    if (m.psk_selected)
      f.push_back({"PSK", "accepted: identity " + std::to_string(m.selected_identity) +
                              (external ? " -- the external PSK authenticates both sides"
                                        : " -- the session is resumed")});
    if (m.session_ticket)
      f.push_back({"ticket", m.ticket_size ? "a ticket of " + bytes_text(m.ticket_size)
                                           : std::string(m.type == 1 ? "empty: asks for one"
                                                                     : "one will follow")});
  };
  switch (m.type) {
    case 1: {
      f.push_back({"versions", m.versions.empty() ? version_name(m.legacy_version)
                                                  : list(m.versions, version_name)});
      f.push_back({"random", hex(m.random)});
      if (!m.session_id.empty()) f.push_back({"session", short_hex(m.session_id)});
      f.push_back({"suites", list(m.cipher_suites, cipher_suite_name)});
      f.push_back({"groups", list(m.groups, group_name)});
      if (!m.versions.empty()) f.push_back({"shares", shares_text(m.key_shares)});
      if (!m.server_name.empty()) f.push_back({"SNI", escape_peer_text(m.server_name)});
      if (!m.alpn.empty()) f.push_back({"ALPN", alpn_text(m.alpn)});
      f.push_back({"sig algs", list(m.signature_schemes, signature_scheme_name)});
      resumption();
      f.push_back({"exts", extensions_text(m)});
      break;
    }
    case 2: {
      f.push_back({"version", version_name(m.selected_version) +
                                  (m.selected_version == tls::kTls13 ? " (supported_versions)"
                                                                     : "")});
      if (m.hello_retry_request) {
        const HandshakeSummary* ch = last_client_hello(events, e);
        std::string why = m.retry_group ? "a key share for " + group_name(m.retry_group) : "";
        if (ch) {
          std::vector<uint16_t> sent;
          for (const auto& s : ch->key_shares) sent.push_back(s.group);
          why += "; the ClientHello's shares (" +
                 (sent.empty() ? std::string("none") : list(sent, group_name)) +
                 ") did not suit the server";
        }
        if (m.retry_cookie) why += (why.empty() ? "" : "; ") + std::string("with a cookie");
        f.push_back({"why", why.empty() ? "(no reason given)" : why});
        f.push_back({"suite", cipher_suite_name(m.cipher_suite)});
        break;
      }
      f.push_back({"random", hex(m.random)});
      if (!m.session_id.empty()) f.push_back({"session", short_hex(m.session_id)});
      f.push_back({"suite", cipher_suite_name(m.cipher_suite)});
      if (!m.key_shares.empty()) f.push_back({"share", shares_text(m.key_shares)});
      if (!m.alpn.empty()) f.push_back({"ALPN", alpn_text(m.alpn)});
      if (m.selected_version == tls::kTls12) {
        f.push_back({"EMS", m.extended_master_secret ? "yes (extended master secret)" : "no"});
        if (m.server_name_acknowledged) f.push_back({"SNI", "acknowledged"});
      }
      resumption();
      f.push_back({"exts", extensions_text(m)});
      break;
    }
    case 8:
      if (!m.alpn.empty()) f.push_back({"ALPN", alpn_text(m.alpn)});
      if (m.server_name_acknowledged) f.push_back({"SNI", "acknowledged"});
      f.push_back({"exts", extensions_text(m)});
      break;
    case 25:
      f.push_back({"compress", certificate_compression_name(m.certificate_compression) + ", " +
                                     bytes_text(m.uncompressed_length) + " -> " +
                                     bytes_text(m.compressed_length)});
      [[fallthrough]];
    case 11:
      f.push_back({"chain", std::to_string(m.certificates.size()) + " certificate" +
                                (m.certificates.size() == 1 ? "" : "s") + ", leaf first"});
      for (size_t i = 0; i < m.certificates.size(); ++i) {
        std::string at = "[" + std::to_string(i) + "]";
        auto parsed = Certificate::parse_all(m.certificates[i]);
        if (!parsed || parsed->size() != 1) {
          f.push_back({at, "(does not parse)"});
          continue;
        }
        CertificateInfo info = (*parsed)[0].info();
        f.push_back({at, info.subject.empty() ? "(empty subject)" : info.subject});
        f.push_back({"", "issuer " + info.issuer});
        f.push_back({"", "valid " + iso8601(info.not_before) + " to " + iso8601(info.not_after)});
        if (!info.names.empty()) f.push_back({"", "names " + join(info.names, ", ")});
        f.push_back({"", "key " + info.key + (info.is_ca ? " (CA)" : "") + ", signed with " +
                             info.signature_algorithm});
      }
      break;
    case 12:
      f.push_back({"group", group_name(m.group)});
      f.push_back({"public", short_hex(m.public_key)});
      f.push_back({"signed", signature_scheme_name(m.signature_scheme) + ", " +
                                 bytes_text(m.signature_size)});
      break;
    case 13:
      f.push_back({"sig algs", list(m.signature_schemes, signature_scheme_name)});
      break;
    case 15:
      f.push_back({"signed", signature_scheme_name(m.signature_scheme) + ", " +
                                 bytes_text(m.signature_size)});
      break;
    case 16:
      if (m.encrypted_pre_master_size)
        f.push_back({"secret", "the pre-master secret, encrypted: " +
                                   bytes_text(m.encrypted_pre_master_size)});
      else
        f.push_back({"public", short_hex(m.public_key)});
      break;
    case 20:
      f.push_back({"verify", "verify_data, " + bytes_text(m.verify_data_size)});
      break;
    case 4:
      f.push_back({"lifetime", std::to_string(m.ticket_lifetime) + " s"});
      f.push_back({"ticket", bytes_text(m.ticket_size)});
      break;
    case 24:
      f.push_back({"request", m.update_requested ? "the peer updates too" : "no"});
      break;
    default:
      break;
  }
  return f;
}

}  // namespace tern::trace
