// SPDX-License-Identifier: Apache-2.0
// The ladder as a standalone SVG picture: the same rows as the text, the client's rail on
// the left, the server's on the right, and one <line class="arrow ..."> per message.
#include <cstdio>

#include "trace/peer_text.h"
#include "trace/trace.h"

namespace tern::trace {
namespace {

constexpr double kChar = 7.25;  // advance of a 12 px monospace glyph
constexpr double kTimeWidth = 92;
constexpr double kLeftRail = kTimeWidth + 8;
constexpr double kRightRail = kLeftRail + (kLadderWidth + 2) * kChar;
constexpr double kWidth = kRightRail + 40;
constexpr double kTextRow = 16, kArrowRow = 26;

struct Palette {
  const char* style;
  const char* color;
};
constexpr Palette kColors[] = {
    {"plaintext", "#b7791f"}, {"handshake", "#0b7285"}, {"application", "#2f855a"},
    {"data", "#2f855a"},      {"alert", "#c53030"},     {"ccs", "#805ad5"},
    {"explain", "#1a202c"},   {"field", "#2d3748"},     {"chain", "#4a5568"},
    {"keys", "#2b6cb0"},      {"secret", "#805ad5"},    {"ok", "#2f855a"},
    {"fail", "#c53030"},      {"title", "#1a202c"},     {"summary", "#2d3748"}};

const char* color(const std::string& style) {
  for (const auto& p : kColors)
    if (style == p.style) return p.color;
  return "#2d3748";
}

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        // XML 1.0 forbids most control characters; nothing here should have them.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

void text(std::ostream& out, double x, double y, const std::string& content,
          const std::string& style, const char* anchor = "start") {
  out << "<text x=\"" << num(x) << "\" y=\"" << num(y) << "\" fill=\"" << color(style)
      << "\" text-anchor=\"" << anchor << "\""
      << (style == "explain" || style == "title" || style == "fail" ? " font-weight=\"bold\"" : "")
      << " xml:space=\"preserve\">" << esc(content) << "</text>\n";
}

}  // namespace

void render_svg(const Trace& trace, std::ostream& out, const RenderOptions& options) {
  std::vector<Row> rows = layout(trace, options);
  Summary s = summarize(trace);
  std::vector<std::string> summary_lines;
  summary_lines.push_back(s.ok ? "handshake complete" : "FAILED: " + s.error);
  if (s.version && !s.ok)
    summary_lines.push_back(version_name(s.version) + ", " + cipher_suite_name(s.cipher_suite));
  if (s.version && s.ok)
    summary_lines.push_back(version_name(s.version) + ", " + cipher_suite_name(s.cipher_suite) +
                            ", " + (s.group ? key_exchange_name(s.group) : "no ECDHE") +
                            ", " +
                            (s.signature_scheme ? signature_scheme_name(s.signature_scheme)
                                                : "no signature"));
  if (s.version && s.ok)
    summary_lines.push_back(std::string("forward secrecy ") + (s.forward_secrecy ? "yes" : "no") +
                            ", resumed " + (s.resumed ? "yes" : "no") + ", HelloRetryRequest " +
                            (s.hello_retry_request ? "yes" : "no") + ", ALPN " +
                            (s.alpn.empty() ? "(none)" : escape_peer_text(s.alpn)));
  if (s.handshake_ms)
    summary_lines.push_back("handshake " + num(*s.handshake_ms) + " ms, " +
                            std::to_string(s.round_trips) + " round trip" +
                            (s.round_trips == 1 ? "" : "s"));

  double top = 70;
  double height = top + 20;
  for (const Row& r : rows) height += r.kind == Row::Kind::arrow ? kArrowRow : kTextRow;
  height += 30 + kTextRow * static_cast<double>(summary_lines.size()) + 20;

  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(kWidth) << "\" height=\""
      << num(height) << "\" viewBox=\"0 0 " << num(kWidth) << " " << num(height)
      << "\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"12\">\n"
      << "<title>" << esc(trace.title.empty() ? "TLS handshake" : trace.title) << "</title>\n"
      << "<defs>\n";
  for (const char* style : {"plaintext", "handshake", "application", "data", "alert", "ccs"})
    out << "<marker id=\"head-" << style << "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
        << "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 "
        << "L10,5 L0,10 z\" fill=\"" << color(style) << "\"/></marker>\n";
  out << "</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  text(out, 10, 20, trace.title.empty() ? "TLS handshake" : trace.title, "title");
  text(out, kLeftRail, top - 16, trace.client_label, "title", "middle");
  text(out, kRightRail, top - 16, trace.server_label, "title", "middle");

  double rails_end = height - (30 + kTextRow * static_cast<double>(summary_lines.size()) + 20);
  for (double x : {kLeftRail, kRightRail})
    out << "<line class=\"rail\" x1=\"" << num(x) << "\" y1=\"" << num(top - 8) << "\" x2=\""
        << num(x) << "\" y2=\"" << num(rails_end) << "\" stroke=\"#a0aec0\" stroke-width=\"2\"/>\n";

  double y = top;
  for (const Row& r : rows) {
    if (r.kind == Row::Kind::arrow) {
      double line_y = y + kArrowRow - 6;
      text(out, kTimeWidth - 4, line_y + 4, num(r.time_ms.value_or(0)) + " ms", "field", "end");
      text(out, (kLeftRail + kRightRail) / 2, line_y - 5, r.label, r.style, "middle");
      double x1 = r.rightward ? kLeftRail : kRightRail, x2 = r.rightward ? kRightRail : kLeftRail;
      out << "<line class=\"arrow " << r.style << "\" x1=\"" << num(x1) << "\" y1=\""
          << num(line_y) << "\" x2=\"" << num(x2 + (r.rightward ? -2 : 2)) << "\" y2=\""
          << num(line_y) << "\" stroke=\"" << color(r.style) << "\" stroke-width=\"2\""
          << (r.style == "plaintext" ? " stroke-dasharray=\"6 3\"" : "") << " marker-end=\"url(#head-"
          << r.style << ")\"/>\n";
      y += kArrowRow;
    } else {
      if (r.kind == Row::Kind::text) text(out, kLeftRail + 1.5 * kChar, y + 12, r.label, r.style);
      y += kTextRow;
    }
  }
  y = rails_end + 30;
  text(out, 10, y, "Summary", "title");
  for (const std::string& line : summary_lines) {
    y += kTextRow;
    text(out, 20, y, line, line.starts_with("FAILED") ? "fail" : "summary");
  }
  out << "</svg>\n";
}

}  // namespace tern::trace
