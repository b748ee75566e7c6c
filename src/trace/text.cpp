// SPDX-License-Identifier: Apache-2.0
// The ladder as text: client rail on the left, server rail on the right, one arrow per
// message with its time since the first; ANSI colours only when asked.
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "trace/peer_text.h"
#include "trace/trace.h"

namespace tern::trace {
namespace {

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

std::string arrow_body(const Row& row, size_t ladder) {
  // Between the rails: `ladder` characters; a label too long for them is cut, so the right
  // rail stays where it is.
  size_t fixed = 4;  // "--", the head (or "<-", "-") and at least one dash
  std::string label = row.label;
  if (label.size() + 2 + fixed > ladder) label = label.substr(0, ladder - 2 - fixed - 3) + "...";
  label = " " + label + " ";
  size_t dashes = ladder - label.size() - 3;
  if (row.rightward) return "--" + label + std::string(dashes, '-') + ">";
  return "<-" + label + std::string(dashes + 1, '-');
}

// `text` in lines of at most `width` columns, continuation lines indented by `indent`.
void wrapped(std::ostream& out, const std::string& text, size_t width, size_t indent,
             const std::string& style, bool color) {
  for (const std::string& line : wrap(text, width, indent)) out << paint(line, style, color) << '\n';
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

}  // namespace

size_t terminal_width(int fd) {
  if (!isatty(fd)) return 80;
  size_t columns = 0;
  winsize size{};
  if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    columns = size.ws_col;
  } else if (const char* env = std::getenv("COLUMNS")) {
    columns = static_cast<size_t>(std::strtoul(env, nullptr, 10));
  }
  return std::clamp<size_t>(columns, 80, 200);
}

void render_text(const Trace& trace, std::ostream& out, const RenderOptions& options) {
  bool c = options.color;
  size_t width = std::max(options.width, kMinTextWidth), ladder = ladder_width(options);
  Summary s = summarize(trace);
  if (!trace.title.empty()) wrapped(out, trace.title, width, 2, "title", c);
  if (trace.connect_ms >= 0) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "TCP connected in %.1f ms; times below count from the first message.",
                  trace.connect_ms);
    wrapped(out, buf, width, 0, "", false);
  }
  // Short lines: they fit kMinTextWidth.
  if (s.version == tls::kTls12)
    out << "Arrows: " << paint("plaintext", "plaintext", c) << " or under the "
        << paint("session keys", "application", c) << " (the key block).\n";
  else
    out << "Arrows: " << paint("plaintext", "plaintext", c) << ", under "
        << paint("handshake keys", "handshake", c) << " or under "
        << paint("application keys", "application", c) << ".\n";
  out << "This is the " << side_name(trace.self) << "'s view.\n\n";
  std::string blank(kTimeColumn, ' ');
  std::string left = trace.client_label, right = trace.server_label;
  size_t span = ladder + 2;
  if (left.size() + right.size() + 2 <= span) {
    out << blank << left << std::string(span - left.size() - right.size(), ' ') << right << '\n';
  } else {  // a long name (the server's): each label on its own line, the right one flush right
    wrapped(out, blank + left, width, kTimeColumn, "", false);
    if (right.size() <= width - kTimeColumn)
      out << std::string(width - right.size(), ' ') << right << '\n';
    else
      wrapped(out, blank + right, width, kTimeColumn, "", false);
  }
  std::string empty_rails = blank + "|" + std::string(ladder, ' ') + "|\n";
  out << empty_rails;
  for (const Row& row : layout(trace, options)) {
    switch (row.kind) {
      case Row::Kind::arrow:
        out << time_text(row.time_ms.value_or(0)) << "|"
            << paint(arrow_body(row, ladder), row.style, c) << "|\n";
        break;
      case Row::Kind::text: {
        std::string text = row.label;
        if (text.size() < ladder - 2) text.append(ladder - 2 - text.size(), ' ');
        out << blank << "| " << paint(text, row.style, c) << " |\n";
        break;
      }
      case Row::Kind::rule:
        out << empty_rails;
        break;
    }
  }

  out << '\n' << paint("Summary", "title", c) << '\n';
  // "  label               value", the value wrapped under its column.
  auto line = [&](const std::string& label, const std::string& value, const std::string& style = "") {
    std::string padded = "  " + label;
    padded.append(padded.size() < 22 ? 22 - padded.size() : 1, ' ');
    bool first = true;
    for (const std::string& piece : wrap(padded + value, width, 22)) {
      size_t head = first ? padded.size() : 22;
      out << piece.substr(0, head) << paint(piece.substr(std::min(head, piece.size())), style, c)
          << '\n';
      first = false;
    }
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
         : s.external_psk  ? "no: the keys come from the external PSK alone (psk_ke)"
         : s.resumed       ? "no: the keys come from the earlier session's master secret"
                           : "no: whoever gets the server's RSA key can decrypt this session");
    line("resumed", yes_no(s.resumed));
    if (s.external_psk)
      line("authentication", s.group ? "external PSK (psk_dhe_ke: with the key exchange)"
                                      : "external PSK (psk_ke: without a key exchange)");
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
