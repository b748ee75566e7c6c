// SPDX-License-Identifier: Apache-2.0
// The trace as JSON lines: one object per event, then one summary object. Field names are
// stable (docs/cli.md, "tern trace --json"); fields that do not apply are left out.
#include <cmath>
#include <nlohmann/json.hpp>

#include "trace/certificate_json.h"
#include "trace/trace.h"

namespace tern::trace {
namespace {

using json = nlohmann::ordered_json;

double ms(double v) { return std::round(v * 1000) / 1000; }

template <typename F>
json names(const std::vector<uint16_t>& codes, F name) {
  json out = json::array();
  for (uint16_t c : codes) out.push_back(name(c));
  return out;
}

const char* protection_key(Protection p) {
  switch (p) {
    case Protection::plaintext: return "plaintext";
    case Protection::handshake_keys: return "handshake_keys";
    case Protection::application_keys: return "application_keys";
    case Protection::early_keys: return "early_keys";
  }
  return "plaintext";
}

json fields(const HandshakeSummary& m) {
  json f = json::object();
  if (!m.error.empty()) {
    f["error"] = m.error;
    return f;
  }
  if (m.type == 1 || m.type == 2) {
    f["legacy_version"] = version_name(m.legacy_version);
    if (!m.hello_retry_request) f["random"] = hex(m.random);
    f["session_id"] = hex(m.session_id);
  }
  if (!m.versions.empty()) f["versions"] = names(m.versions, version_name);
  if (m.type == 2) f["version"] = version_name(m.selected_version);
  if (!m.cipher_suites.empty()) f["cipher_suites"] = names(m.cipher_suites, cipher_suite_name);
  if (m.cipher_suite) f["cipher_suite"] = cipher_suite_name(m.cipher_suite);
  if (!m.groups.empty()) f["groups"] = names(m.groups, group_name);
  if (m.type == 1 || (m.type == 2 && !m.key_shares.empty())) {
    json shares = json::array();
    for (const auto& s : m.key_shares)
      shares.push_back({{"group", group_name(s.group)},
                        {"bytes", s.key_exchange.size()},
                        {"key_exchange", hex(s.key_exchange)}});
    f["key_shares"] = shares;
  }
  if (m.hello_retry_request) {
    f["hello_retry_request"] = true;
    if (m.retry_group) f["retry_group"] = group_name(m.retry_group);
    f["cookie"] = m.retry_cookie;
  }
  if (!m.server_name.empty()) f["server_name"] = m.server_name;
  if (m.server_name_acknowledged) f["server_name_acknowledged"] = true;
  if (!m.alpn.empty()) f["alpn"] = m.alpn;
  if (!m.signature_schemes.empty())
    f["signature_schemes"] = names(m.signature_schemes, signature_scheme_name);
  if (m.extended_master_secret) f["extended_master_secret"] = true;
  if (m.psk_identities)
    f["psk"] = {{"identities", m.psk_identities},
                {"ticket_bytes", m.psk_identity_size},
                {"obfuscated_ticket_age", m.obfuscated_ticket_age}};
  if (m.psk_selected) f["psk_selected_identity"] = m.selected_identity;
  if (!m.psk_modes.empty()) {
    json modes = json::array();
    for (uint8_t mode : m.psk_modes) modes.push_back(mode == 1 ? "psk_dhe_ke" : mode == 0 ? "psk_ke" : std::to_string(mode));
    f["psk_modes"] = modes;
  }
  if (m.session_ticket) f["session_ticket_bytes"] = m.ticket_size;
  if (m.type == 1 || m.type == 2 || m.type == 8 || (m.type == 13 && !m.extensions.empty())) {
    json exts = json::array();
    for (const auto& e : m.extensions) exts.push_back({{"type", e.type}, {"name", e.name}});
    f["extensions"] = exts;
  }
  if (m.type == 11) {
    json chain = json::array();
    for (const Bytes& der : m.certificates) {
      auto parsed = Certificate::parse_all(der);
      if (parsed && parsed->size() == 1)
        chain.push_back(certificate_json((*parsed)[0].info()));
      else
        chain.push_back({{"error", "does not parse"}, {"bytes", der.size()}});
    }
    f["certificates"] = chain;
  }
  if (m.signature_scheme) {
    f["signature_scheme"] = signature_scheme_name(m.signature_scheme);
    f["signature_bytes"] = m.signature_size;
  }
  if (m.type == 12) f["group"] = group_name(m.group);
  if (m.type == 12 || (m.type == 16 && !m.encrypted_pre_master_size))
    f["public_key"] = hex(m.public_key);
  if (m.encrypted_pre_master_size) f["encrypted_pre_master_bytes"] = m.encrypted_pre_master_size;
  if (m.type == 20) f["verify_data_bytes"] = m.verify_data_size;
  if (m.type == 4) {
    f["ticket_lifetime"] = m.ticket_lifetime;
    f["ticket_bytes"] = m.ticket_size;
  }
  if (m.type == 24) f["update_requested"] = m.update_requested;
  return f;
}

void put_direction(json& j, const Event& e) {
  j["from"] = side_name(e.from);
  j["to"] = side_name(e.from == Side::client ? Side::server : Side::client);
}

// One line of JSON. The peer's strings (SNI, ALPN) are arbitrary bytes: control characters
// are escaped by the encoder, and bytes that are not UTF-8 become U+FFFD rather than throw.
std::string line_of(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

void render_json(const Trace& trace, std::ostream& out, const RenderOptions& options) {
  json start = {{"event", "start"},
                {"view", side_name(trace.self)},
                {"client", trace.client_label},
                {"server", trace.server_label}};
  if (trace.connect_ms >= 0) start["tcp_connect_ms"] = ms(trace.connect_ms);
  out << line_of(start) << '\n';
  for (const Event& e : trace.events) {
    json j;
    switch (e.kind) {
      case Event::Kind::message:
        j["event"] = "message";
        break;
      case Event::Kind::change_cipher_spec: j["event"] = "change_cipher_spec"; break;
      case Event::Kind::alert: j["event"] = "alert"; break;
      case Event::Kind::application_data: j["event"] = "application_data"; break;
      case Event::Kind::key_stage: j["event"] = "key_schedule"; break;
      case Event::Kind::secret:
        if (!options.show_secrets) continue;
        j["event"] = "secret";
        break;
      case Event::Kind::verify_step: j["event"] = "verify_step"; break;
      case Event::Kind::verification: j["event"] = "verification"; break;
    }
    j["time_ms"] = ms(e.time_ms);
    switch (e.kind) {
      case Event::Kind::message:
        put_direction(j, e);
        j["protection"] = protection_key(e.protection);
        j["type"] = e.message.type;
        j["name"] = e.message.name;
        j["bytes"] = e.message.size;
        j["explain"] = explain(e, trace.events);
        j["fields"] = fields(e.message);
        break;
      case Event::Kind::change_cipher_spec:
        put_direction(j, e);
        j["protection"] = "plaintext";
        j["explain"] = explain(e, trace.events);
        break;
      case Event::Kind::alert:
        put_direction(j, e);
        j["protection"] = protection_key(e.protection);
        j["level"] = e.alert_level == 2 ? "fatal" : "warning";
        j["description"] = alert_name(e.alert_description);
        j["code"] = e.alert_description;
        j["explain"] = explain(e, trace.events);
        break;
      case Event::Kind::application_data:
        put_direction(j, e);
        j["protection"] = protection_key(e.protection);
        j["bytes"] = e.bytes;
        j["records"] = e.records;
        break;
      case Event::Kind::key_stage:
        j["side"] = side_name(e.from);
        j["stage"] = e.stage;
        j["explain"] = explain(e, trace.events);
        break;
      case Event::Kind::secret:
        j["side"] = side_name(e.from);
        j["label"] = e.stage;
        j["value"] = e.value;
        break;
      case Event::Kind::verify_step:
        j["side"] = side_name(e.from);
        j["check"] = verify_check_name(e.step.check);
        j["ok"] = e.step.ok;
        j["depth"] = e.step.depth;
        j["subject"] = e.step.subject;
        j["detail"] = e.step.detail;
        if (!e.step.anchor_source.empty()) j["anchor_source"] = e.step.anchor_source;
        break;
      case Event::Kind::verification:
        j["side"] = side_name(e.from);
        j["ok"] = e.error.empty();
        if (!e.error.empty()) j["error"] = e.error;
        j["chain_length"] = e.records;
        break;
    }
    out << line_of(j) << '\n';
  }
  Summary s = summarize(trace);
  json sum = {{"event", "summary"}, {"ok", s.ok}};
  if (!s.ok) sum["error"] = s.error;
  sum["version"] = s.version ? version_name(s.version) : "";
  sum["cipher_suite"] = s.cipher_suite ? cipher_suite_name(s.cipher_suite) : "";
  sum["group"] = s.group ? group_name(s.group) : "";
  sum["signature_scheme"] = s.signature_scheme ? signature_scheme_name(s.signature_scheme) : "";
  sum["forward_secrecy"] = s.forward_secrecy;
  sum["post_quantum"] = is_post_quantum_group(s.group);  // a hybrid with ML-KEM (RFC 10024)
  sum["resumed"] = s.resumed;
  sum["hello_retry_request"] = s.hello_retry_request;
  sum["extended_master_secret"] = s.extended_master_secret;
  sum["alpn"] = s.alpn;
  sum["handshake_ms"] = s.handshake_ms ? json(ms(*s.handshake_ms)) : json(nullptr);
  sum["round_trips"] = s.round_trips;
  sum["bytes_sent"] = trace.bytes_sent;
  sum["bytes_received"] = trace.bytes_received;
  sum["records_sent"] = trace.records_sent;
  sum["records_received"] = trace.records_received;
  out << line_of(sum) << '\n';
}

}  // namespace tern::trace
