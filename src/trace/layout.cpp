// SPDX-License-Identifier: Apache-2.0
// The ladder as rows: an arrow per message (handshake messages, ChangeCipherSpec, alerts,
// application data) and the lines beside it, wrapped to the space between the rails.
#include <algorithm>

#include "trace/trace.h"

namespace tern::trace {
namespace {

constexpr size_t kLabel = 9;  // "sig algs " and the like: the label column of field lines

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string bytes_text(size_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

class Builder {
 public:
  Builder(std::vector<Row>& rows, size_t content) : rows_(rows), content_(content) {}

  void arrow(const Event& e, const std::string& label, const std::string& style) {
    Row r;
    r.kind = Row::Kind::arrow;
    r.style = style;
    r.time_ms = e.time_ms;
    r.rightward = e.from == Side::client;
    r.label = label;
    rows_.push_back(std::move(r));
  }
  // A line of prose, wrapped under itself.
  void prose(const std::string& text, const std::string& style) {
    for (auto& line : wrap(text, content_, 2)) line_row(line, style);
  }
  // "label    value", the value wrapped under the value column.
  void field(const std::string& label, const std::string& value, const std::string& style) {
    for (auto& line : wrap(pad(label, kLabel) + value, content_, kLabel)) line_row(line, style);
  }
  void gap() {
    Row r;
    r.kind = Row::Kind::rule;
    rows_.push_back(std::move(r));
  }

 private:
  void line_row(const std::string& text, const std::string& style) {
    Row r;
    r.kind = Row::Kind::text;
    r.style = style;
    r.label = text;
    rows_.push_back(std::move(r));
  }
  std::vector<Row>& rows_;
  size_t content_;  // the width text lines are wrapped to
};

std::string style_of(Protection p) {
  switch (p) {
    case Protection::plaintext: return "plaintext";
    case Protection::handshake_keys: return "handshake";
    case Protection::application_keys: return "application";
    case Protection::early_keys: return "early";
  }
  return "plaintext";
}

}  // namespace

size_t ladder_width(const RenderOptions& options) {
  return std::max(options.width, kMinTextWidth) - kTimeColumn - 2;
}

std::vector<std::string> wrap(const std::string& text, size_t width, size_t indent) {
  std::vector<std::string> lines;
  std::string rest = text;
  bool first = true;
  while (true) {
    std::string prefix = first ? "" : std::string(indent, ' ');
    size_t room = width > prefix.size() ? width - prefix.size() : 1;
    if (rest.size() <= room) {
      lines.push_back(prefix + rest);
      break;
    }
    // Break at the last space that fits (not inside the first `indent` columns of a first
    // line, which would leave the label alone); else cut (long hex).
    size_t cut = rest.rfind(' ', room);
    size_t min_cut = first ? indent + 1 : 1;
    if (cut == std::string::npos || cut < min_cut) cut = room;
    lines.push_back(prefix + rest.substr(0, cut));
    size_t next = cut;
    while (next < rest.size() && rest[next] == ' ') ++next;
    rest = rest.substr(next);
    first = false;
    if (rest.empty()) break;
  }
  return lines;
}

std::vector<Row> layout(const Trace& trace, const RenderOptions& options) {
  std::vector<Row> rows;
  Builder b(rows, ladder_width(options) - 2);
  const auto& events = trace.events;
  for (const Event& e : events) {
    switch (e.kind) {
      case Event::Kind::message: {
        const HandshakeSummary& m = e.message;
        b.arrow(e, m.name + "  [" + protection_name(e.protection, e.version) + ", " +
                       bytes_text(m.size) + "]",
                style_of(e.protection));
        b.prose(explain(e, events), "explain");
        for (const auto& [label, value] : message_fields(e, events))
          b.field(label, value, label.starts_with("[") || label.empty() ? "chain" : "field");
        break;
      }
      case Event::Kind::change_cipher_spec:
        b.arrow(e, "ChangeCipherSpec  [plaintext, 1 byte]", "ccs");
        b.prose(explain(e, events), "explain");
        break;
      case Event::Kind::alert:
        b.arrow(e, "Alert " + alert_name(e.alert_description) +
                       (e.alert_level == 2 ? " (fatal)" : "") + "  [" +
                       protection_name(e.protection, e.version) + ", 2 bytes]",
                "alert");
        b.prose(explain(e, events), "explain");
        break;
      case Event::Kind::application_data:
        b.arrow(e, "Application Data  [" + protection_name(e.protection, e.version) + ", " +
                       bytes_text(e.bytes) + " in " + std::to_string(e.records) +
                       (e.records == 1 ? " record]" : " records]"),
                "data");
        break;
      case Event::Kind::key_stage: {
        std::string why = explain(e, events);
        b.field("keys", e.stage + (why.empty() ? "" : ": " + why), "keys");
        break;
      }
      case Event::Kind::secret:
        if (options.show_secrets) b.field("secret", e.stage + " " + e.value, "secret");
        break;
      case Event::Kind::verify_step: {
        const VerifyStep& s = e.step;
        std::string where = "[" + std::to_string(s.depth) + "] " + s.subject;
        std::string text = std::string(s.ok ? "ok " : "FAILED ") + verify_check_name(s.check) +
                           ", " + where + ": " + s.detail;
        if (!s.anchor_source.empty()) text += " (from " + s.anchor_source + ")";
        b.field("verify", text, s.ok ? "ok" : "fail");
        break;
      }
      case Event::Kind::verification:
        b.field("verify", e.error.empty() ? "the " + std::string(side_name(e.from == Side::client
                                                                               ? Side::server
                                                                               : Side::client)) +
                                                "'s chain is trusted"
                                          : "REJECTED: " + e.error,
                e.error.empty() ? "ok" : "fail");
        break;
    }
  }
  b.gap();
  return rows;
}

}  // namespace tern::trace
