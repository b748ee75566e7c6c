// SPDX-License-Identifier: Apache-2.0
#include "http/explain_page.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "http/directory_listing.h"
#include "trace/peer_text.h"
#include "trace/trace.h"

namespace tern::http {
namespace {

using json = nlohmann::ordered_json;

// A Recorder that stops at kExplainMaxEvents and keeps no application data: what the page
// shows is the handshake, and a connection's memory must not grow with its traffic.
class BoundedRecorder final : public trace::Recorder {
 public:
  explicit BoundedRecorder(const std::string& peer)
      : Recorder(trace::Side::server, trace::steady_clock_ms()) {
    trace().title = "tern serve: your connection from " + peer;
    trace().client_label = "you (" + peer + ")";
    trace().server_label = "server (tern serve)";
  }
  void on_handshake_message(Direction d, Protection p, uint8_t type, BytesView message,
                            const std::string& keys) override {
    if (room()) Recorder::on_handshake_message(d, p, type, message, keys);
  }
  void on_change_cipher_spec(Direction d) override {
    if (room()) Recorder::on_change_cipher_spec(d);
  }
  void on_key_schedule(const std::string& stage) override {
    if (room()) Recorder::on_key_schedule(stage);
  }
  void on_verification_step(const VerifyStep& step) override {
    if (room()) Recorder::on_verification_step(step);
  }
  void on_certificate_verification(const std::vector<CertificateInfo>& chain,
                                   const std::string& error) override {
    if (room()) Recorder::on_certificate_verification(chain, error);
  }
  void on_alert(Direction d, uint8_t level, uint8_t description) override {
    if (room()) Recorder::on_alert(d, level, description);
  }
  void on_application_data(Direction, size_t) override {}

 private:
  bool room() const { return trace().events.size() < kExplainMaxEvents; }
};

// The events of `trace` as render_json writes them, one object each (the last: the summary).
json trace_json(const trace::Trace& trace) {
  std::ostringstream lines;
  trace::render_json(trace, lines);
  json events = json::array();
  std::istringstream in(lines.str());
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) events.push_back(json::parse(line, nullptr, false));
  return events;
}

// What the connection negotiated, from the engine itself (what the trace says agrees).
json negotiated(const Connection& tls) {
  return {{"version", tls.version_name()},
          {"cipher_suite", tls.cipher_suite_name()},
          {"group", tls.group() ? tls.group_name() : "(none)"},
          {"signature_scheme", tls.signature_scheme() ? tls.signature_scheme_name() : "(none)"},
          {"alpn", tls.alpn()},
          {"server_name", tls.server_name()},
          {"resumed", tls.resumed()},
          {"hello_retry_request", tls.hello_retry_request()},
          {"ech_accepted", tls.ech_accepted()}};
}

std::string json_page(const trace::Trace& trace, Session& session) {
  json events = trace_json(trace);
  json client_hello = nullptr;
  for (const json& e : events)
    if (e.value("name", "") == "ClientHello") {
      client_hello = e;
      break;
    }
  json page = {{"peer", session.peer_address()},
               {"negotiated", negotiated(session.tls())},
               {"client_hello", client_hello},
               {"recorded_events", trace.events.size()},
               {"truncated", trace.events.size() >= kExplainMaxEvents},
               {"events", events}};
  // Peer-chosen strings are in there (SNI, ALPN): dump() escapes for JSON, and invalid
  // UTF-8 is replaced rather than thrown on.
  return page.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string html_page(const trace::Trace& trace, Session& session) {
  const Connection& tls = session.tls();
  auto row = [](const std::string& id, const std::string& label, const std::string& value) {
    return "<tr><th>" + label + "</th><td id=\"" + id + "\">" +
           html_escape(trace::escape_peer_text(value)) + "</td></tr>\n";
  };
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<title>Your TLS handshake with tern serve</title>\n<style>body{font-family:sans-serif;"
      "max-width:70rem;margin:2rem auto;padding:0 1rem}th{text-align:left;padding-right:1rem}"
      "li{margin:.2rem 0}svg{max-width:100%;height:auto}</style></head><body>\n"
      "<h1>Your TLS handshake</h1>\n<p>How your browser and this server agreed on keys for "
      "this very connection, as the server saw it. The same as JSON: <a href=\"" +
      std::string(kExplainJsonPath) + "\">handshake.json</a>.</p>\n<table>\n";
  page += row("peer", "You", session.peer_address());
  page += row("version", "Version", tls.version_name());
  page += row("cipher-suite", "Cipher suite", tls.cipher_suite_name());
  page += row("group", "Key exchange group", tls.group() ? tls.group_name() : "(none)");
  page += row("signature-scheme", "Signature",
              tls.signature_scheme() ? tls.signature_scheme_name() : "(none)");
  page += row("alpn", "ALPN", tls.alpn().empty() ? "(none)" : tls.alpn());
  page += row("resumed", "Resumed", tls.resumed() ? "yes" : "no");
  page += row("hello-retry-request", "HelloRetryRequest", tls.hello_retry_request() ? "yes" : "no");
  page += "</table>\n";
  for (const trace::Event& e : trace.events) {
    if (e.kind != trace::Event::Kind::message || e.message.type != 1) continue;
    page += "<h2>What your client offered (ClientHello)</h2>\n<dl id=\"client-hello\">\n";
    for (const auto& [label, value] : trace::message_fields(e, trace.events))
      page += "<dt>" + html_escape(label) + "</dt><dd>" +
              html_escape(trace::escape_peer_text(value)) + "</dd>\n";
    page += "</dl>\n";
    break;
  }
  page += "<h2>Step by step</h2>\n<ol id=\"steps\">\n";
  for (const trace::Event& e : trace.events)
    if (e.kind != trace::Event::Kind::application_data && e.kind != trace::Event::Kind::secret)
      page += "<li>" + html_escape(trace::escape_peer_text(trace::explain(e, trace.events))) +
              "</li>\n";
  page += "</ol>\n<h2>The ladder</h2>\n";
  std::ostringstream svg;
  trace::render_svg(trace, svg);
  std::string picture = svg.str();
  // Inline SVG in HTML takes no XML declaration.
  if (picture.starts_with("<?xml")) picture.erase(0, picture.find('\n') + 1);
  return page + picture + "</body></html>\n";
}

}  // namespace

std::function<std::unique_ptr<Observer>(const std::string& peer)> explain_recorders() {
  return [](const std::string& peer) -> std::unique_ptr<Observer> {
    return std::make_unique<BoundedRecorder>(peer);
  };
}

std::optional<Response> explain_response(const Request& request, Session& session) {
  std::string_view path = std::string_view(request.target).substr(0, request.target.find('?'));
  bool as_json = path == kExplainJsonPath;
  if (!as_json && path != kExplainPath) return std::nullopt;
  if (request.method != "GET" && request.method != "HEAD")
    return error_response(405, "only GET and HEAD are served");
  auto* recorder = dynamic_cast<trace::Recorder*>(session.observer());
  if (!recorder) return error_response(404, "this connection's handshake was not recorded");
  Response out;
  out.fields = {{"content-type", as_json ? "application/json" : "text/html; charset=utf-8"},
                {"cache-control", "no-store"}};
  out.body = as_json ? json_page(recorder->trace(), session) : html_page(recorder->trace(), session);
  return out;
}

}  // namespace tern::http
