// SPDX-License-Identifier: Apache-2.0
// The ladder as text: client rail on the left, server rail on the right, one arrow per
// message with its time since the first; ANSI colours only when asked.
#include <cstdio>

#include "trace/peer_text.h"
#include "trace/trace.h"

namespace tern::trace {
namespace {

constexpr size_t kTimeColumn = 11;  // "    40.2 ms "

const char* color_of(const std::string& style) {
  if (style == "plaintext") return "33";
  if (style == "handshake") return "36";
  if (style == "application" || style == "data") return "32";
  if (style == "alert" || style == "fail") return "1;31";
  if (style == "ccs") return "35";
  if (style == "keys") return "34";
  if (style == "secret") return "35";
  if (style == "ok") return "32";
  if (style == "explain" || style == "title") return "1";
  if (style == "chain") return "2";
  return nullptr;
}

std::string paint(const std::string& text, const std::string& style, bool color) {
  const char* code = color ? color_of(style) : nullptr;
  if (!code) return text;
  return std::string("\x1b[") + code + "m" + text + "\x1b[0m";
}

std::string time_text(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%7.1f ms ", ms);
  std::string s = buf;
  if (s.size() < kTimeColumn) s.insert(0, kTimeColumn - s.size(), ' ');
  return s;
}

std::string arrow_body(const Row& row) {
  // Between the rails: kLadderWidth characters.
  std::string label = " " + row.label + " ";
  size_t fixed = 3;  // "--" and the head (or "<" and "--")
  size_t dashes = kLadderWidth > label.size() + fixed ? kLadderWidth - label.size() - fixed : 1;
  if (row.rightward) return "--" + label + std::string(dashes, '-') + ">";
  return "<-" + label + std::string(dashes + 1, '-');
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

}  // namespace

void render_text(const Trace& trace, std::ostream& out, const RenderOptions& options) {
  bool c = options.color;
  Summary s = summarize(trace);
  if (!trace.title.empty()) out << paint(trace.title, "title", c) << '\n';
  if (trace.connect_ms >= 0) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "TCP connected in %.1f ms; times below count from the first message.",
                  trace.connect_ms);
    out << buf << '\n';
  }
  if (s.version == tls::kTls12)
    out << "Arrows: " << paint("plaintext", "plaintext", c) << " or under the "
        << paint("session keys", "application", c) << " (the key block)";
  else
    out << "Arrows: " << paint("plaintext", "plaintext", c) << ", under "
        << paint("handshake keys", "handshake", c) << " or under "
        << paint("application keys", "application", c);
  out << "; the " << side_name(trace.self) << "'s view.\n\n";
  std::string blank(kTimeColumn, ' ');
  std::string left = trace.client_label, right = trace.server_label;
  size_t span = kLadderWidth + 2;
  std::string heads = left;
  if (heads.size() + right.size() < span) heads += std::string(span - heads.size() - right.size(), ' ');
  else heads += "  ";
  out << blank << heads << right << '\n';
  std::string empty_rails = blank + "|" + std::string(kLadderWidth, ' ') + "|\n";
  out << empty_rails;
  for (const Row& row : layout(trace, options)) {
    switch (row.kind) {
      case Row::Kind::arrow:
        out << time_text(row.time_ms.value_or(0)) << "|" << paint(arrow_body(row), row.style, c)
            << "|\n";
        break;
      case Row::Kind::text: {
        std::string text = row.label;
        if (text.size() < kLadderWidth - 2) text.append(kLadderWidth - 2 - text.size(), ' ');
        out << blank << "| " << paint(text, row.style, c) << " |\n";
        break;
      }
      case Row::Kind::rule:
        out << empty_rails;
        break;
    }
  }

  out << '\n' << paint("Summary", "title", c) << '\n';
  auto line = [&](const std::string& label, const std::string& value, const std::string& style = "") {
    std::string padded = label;
    padded.append(label.size() < 20 ? 20 - label.size() : 1, ' ');
    out << "  " << padded << paint(value, style, c) << '\n';
  };
  line("result", s.ok ? "handshake complete" : "FAILED: " + s.error, s.ok ? "ok" : "fail");
  if (s.version) line("version", version_name(s.version));
  if (s.cipher_suite) line("cipher suite", cipher_suite_name(s.cipher_suite));
  if (s.version && s.ok) {
    line("key exchange", s.group ? key_exchange_name(s.group)
                         : s.resumed ? "(none: resumed)"
                                     : "RSA key transport");
    line("signature scheme", s.signature_scheme ? signature_scheme_name(s.signature_scheme)
                                                : "(none: resumed or RSA key transport)");
    line("forward secrecy",
         s.forward_secrecy && is_post_quantum_group(s.group)
             ? "yes: the keys come from an ephemeral exchange, safe also against a future "
               "quantum computer"
         : s.forward_secrecy ? "yes: the keys come from an ephemeral ECDHE exchange"
         : s.resumed       ? "no: the keys come from the earlier session's master secret"
                           : "no: whoever gets the server's RSA key can decrypt this session");
    line("resumed", yes_no(s.resumed));
    line("HelloRetryRequest", yes_no(s.hello_retry_request));
    if (s.version == tls::kTls12) line("extended master", yes_no(s.extended_master_secret));
    line("ALPN", s.alpn.empty() ? "(none)" : escape_peer_text(s.alpn));
  }
  if (s.handshake_ms) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.1f ms, %d round trip%s", *s.handshake_ms, s.round_trips,
                  s.round_trips == 1 ? "" : "s");
    line("handshake time", buf);
  }
  line("on the wire", "sent " + std::to_string(trace.bytes_sent) + " bytes in " +
                          std::to_string(trace.records_sent) + " records, received " +
                          std::to_string(trace.bytes_received) + " bytes in " +
                          std::to_string(trace.records_received) + " records");
}

}  // namespace tern::trace
