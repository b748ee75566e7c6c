// SPDX-License-Identifier: Apache-2.0
// The ladder as a standalone SVG picture: the same rows as the text, the client's rail on
// the left, the server's on the right, and one <line class="arrow ..."> per message.
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <string_view>
#include <utility>

#include "trace/peer_text.h"
#include "trace/trace.h"

namespace tern::trace {
namespace {

constexpr double kChar = 7.25;  // advance of a 12 px monospace glyph (DejaVu Sans Mono: 7.22)
// Widths are estimated with more than that, so a wider fallback font does not clip either.
constexpr double kMeasure = 7.6;
constexpr double kTimeWidth = 92;
constexpr double kLeftRail = kTimeWidth + 8;
constexpr double kRightRail = kLeftRail + (kLadderWidth + 2) * kChar;
constexpr double kWidth = kRightRail + 40;  // at least; widened for long names and summaries
constexpr double kMargin = 10;
constexpr double kTextRow = 16, kArrowRow = 26;
constexpr size_t kWrapChars = 110;  // title and summary lines are wrapped to this many
// The arrow styles the legend explains, in the order a handshake shows them.
constexpr std::pair<const char*, const char*> kLegend[] = {
    {"plaintext", "plaintext (dashed)"}, {"handshake", "under handshake keys"},
    {"application", "under application keys"}, {"alert", "alert"},
    {"ccs", "ChangeCipherSpec"}};

double text_width(const std::string& s) { return static_cast<double>(s.size()) * kMeasure; }

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
  // The SVG's ladder is kLadderWidth wide, whatever the text's width.
  RenderOptions svg_options = options;
  svg_options.width = kLadderWidth + kTimeColumn + 2;
  std::vector<Row> rows = layout(trace, svg_options);
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

  std::vector<std::string> title_lines = wrap(trace.title.empty() ? "TLS handshake" : trace.title,
                                               kWrapChars, 2);
  std::vector<std::string> summary_wrapped;
  for (const std::string& line : summary_lines)
    for (std::string& piece : wrap(line, kWrapChars, 2)) summary_wrapped.push_back(std::move(piece));
  // The rail labels sit over their rails; a long one is moved inwards (the client's) or
  // widens the canvas (the server's). If they would meet, the server's goes a line lower.
  double client_w = text_width(trace.client_label), server_w = text_width(trace.server_label);
  double client_x = std::max(kMargin, kLeftRail - client_w / 2);
  bool stacked = client_x + client_w + 2 * kMeasure > kRightRail - server_w / 2;
  double width = kWidth;
  for (const std::string& line : title_lines) width = std::max(width, 2 * kMargin + text_width(line));
  for (const std::string& line : summary_wrapped)
    width = std::max(width, 20 + kMargin + text_width(line));
  width = std::max(width, kRightRail + server_w / 2 + kMargin);
  width = std::max(width, client_x + client_w + kMargin);

  double top = 54 + kTextRow * static_cast<double>(title_lines.size()) + (stacked ? kTextRow : 0);
  double height = top + 20;
  for (const Row& r : rows) height += r.kind == Row::Kind::arrow ? kArrowRow : kTextRow;
  double summary_height = 30 + kTextRow * static_cast<double>(summary_wrapped.size()) + 20;
  double legend_height = kTextRow * static_cast<double>(std::size(kLegend) + 1) + 10;
  height += summary_height + legend_height;

  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(width) << "\" height=\""
      << num(height) << "\" viewBox=\"0 0 " << num(width) << " " << num(height)
      << "\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"12\">\n"
      << "<title>" << esc(trace.title.empty() ? "TLS handshake" : trace.title) << "</title>\n"
      << "<defs>\n";
  for (const char* style : {"plaintext", "handshake", "application", "data", "alert", "ccs"})
    out << "<marker id=\"head-" << style << "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
        << "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 "
        << "L10,5 L0,10 z\" fill=\"" << color(style) << "\"/></marker>\n";
  out << "</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  double title_y = 20;
  for (const std::string& line : title_lines) {
    text(out, kMargin, title_y, line, "title");
    title_y += kTextRow;
  }
  double labels_y = top - 16 - (stacked ? kTextRow : 0);
  text(out, client_x, labels_y, trace.client_label, "title");
  text(out, kRightRail, stacked ? top - 16 : labels_y, trace.server_label, "title", "middle");

  double rails_end = height - summary_height - legend_height;
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
  text(out, kMargin, y, "Summary", "title");
  for (const std::string& line : summary_wrapped) {
    y += kTextRow;
    text(out, 20, y, line, line.starts_with("FAILED") ? "fail" : "summary");
  }
  // What the colours of the arrows mean.
  y += 30;
  out << "<g class=\"legend\">\n";
  text(out, kMargin, y, "Legend", "title");
  for (const auto& [style, meaning] : kLegend) {
    y += kTextRow;
    out << "<line class=\"legend-arrow " << style << "\" x1=\"20\" y1=\"" << num(y - 4) << "\" x2=\"60\" y2=\""
        << num(y - 4) << "\" stroke=\"" << color(style) << "\" stroke-width=\"2\""
        << (std::string_view(style) == "plaintext" ? " stroke-dasharray=\"6 3\"" : "")
        << " marker-end=\"url(#head-" << style << ")\"/>\n";
    text(out, 70, y, meaning, style);
  }
  out << "</g>\n</svg>\n";
}

}  // namespace tern::trace
