// SPDX-License-Identifier: Apache-2.0
#include "http/request_parser.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace tern::http {
namespace {

constexpr size_t kMaxHead = 16 * 1024;   // request line + headers
constexpr size_t kMaxTarget = 8 * 1024;  // the request target

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

ParsedRequest failed(int status, std::string why) {
  ParsedRequest out;
  out.state = ParsedRequest::State::error;
  out.error_status = status;
  out.error = std::move(why);
  return out;
}

// One line of a request head at `at`: the bytes up to the next LF, less one CR just before
// it. RFC 9112 §2.2 lets a recipient take a bare LF as a line end; tern does so for every
// line (request line, each field line, the empty line), through this one function, so no
// line can hide inside another. nullopt: no LF yet.
struct Line {
  std::string_view text;
  size_t next = 0;  // where the following line starts
};
std::optional<Line> line_at(std::string_view buffer, size_t at) {
  size_t lf = buffer.find('\n', at);
  if (lf == std::string_view::npos) return std::nullopt;
  size_t end = lf > at && buffer[lf - 1] == '\r' ? lf - 1 : lf;
  return Line{buffer.substr(at, end - at), lf + 1};
}

// RFC 9110 §5.6.2: a field name is a token.
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

}  // namespace

ParsedRequest parse_request(std::string_view buffer) {
  size_t at = 0;
  // Tolerate the blank lines some clients send between requests (RFC 9112 §2.2); they count
  // towards the size of the head.
  std::optional<Line> line;
  while ((line = line_at(buffer, at)) && line->text.empty() && line->next <= kMaxHead)
    at = line->next;
  size_t request_line_at = at;
  std::vector<std::string_view> lines;  // request line, then each field line
  while (true) {
    if (!line) {
      if (lines.empty() && buffer.size() - request_line_at > kMaxTarget + 64)
        return failed(414, "request line too long");
      if (buffer.size() > kMaxHead) return failed(431, "request headers too large");
      return {};
    }
    if (line->next > kMaxHead) return failed(431, "request headers too large");
    at = line->next;
    if (line->text.empty()) break;
    // RFC 9112 §2.2: a CR not followed by LF makes the element invalid.
    if (line->text.find('\r') != std::string_view::npos)
      return failed(400, "a bare CR (not followed by LF) in the request head");
    lines.push_back(line->text);
    line = line_at(buffer, at);
  }

  std::string_view request_line = lines.front();
  size_t sp1 = request_line.find(' '), sp2 = request_line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return failed(400, "malformed request line");
  ParsedRequest out;
  HttpRequest& req = out.request;
  req.method = std::string(request_line.substr(0, sp1));
  req.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
  req.version = std::string(request_line.substr(sp2 + 1));
  if (req.target.size() > kMaxTarget) return failed(414, "request target too long");
  if (req.method.empty() || req.target.empty() || req.target.find(' ') != std::string::npos)
    return failed(400, "malformed request line");
  if (req.version != "HTTP/1.1" && req.version != "HTTP/1.0") {
    if (req.version.starts_with("HTTP/")) return failed(505, "HTTP version not supported");
    return failed(400, "malformed request line");
  }
  req.keep_alive = req.version == "HTTP/1.1";
  bool has_host = false, has_length = false, has_transfer_encoding = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view field = lines[i];
    // RFC 9112 §5.2 (obs-fold) and §2.2 (whitespace after the request line): refused, not
    // unfolded, so that no proxy in front reads the head otherwise.
    if (field.front() == ' ' || field.front() == '\t')
      return failed(400, "obsolete line folding (a field line starting with a space or tab)");
    size_t colon = field.find(':');
    if (colon == std::string_view::npos || !is_token(field.substr(0, colon)))
      return failed(400, "malformed header field");
    std::string_view name = field.substr(0, colon), value = trim(field.substr(colon + 1));
    Field& stored = req.fields.emplace_back(Field{std::string(name), std::string(value)});
    std::transform(stored.name.begin(), stored.name.end(), stored.name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (equals_ignore_case(name, "Host")) {
      if (has_host) return failed(400, "two Host headers");
      has_host = true;
    } else if (equals_ignore_case(name, "Connection")) {
      if (value.find("close") != std::string_view::npos ||
          value.find("Close") != std::string_view::npos)
        req.keep_alive = false;
      else if (equals_ignore_case(value, "keep-alive"))
        req.keep_alive = true;
    } else if (equals_ignore_case(name, "Transfer-Encoding")) {
      has_transfer_encoding = true;
    } else if (equals_ignore_case(name, "Content-Length")) {
      // One length, plain digits: a second field or a list ("5, 5", allowed by RFC 9112
      // §6.3 when the values agree) is refused, as a proxy might have framed it otherwise.
      if (has_length) return failed(400, "more than one Content-Length");
      has_length = true;
      if (value.empty() || value.size() > 12 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return failed(400, "bad Content-Length");
      req.body_length = std::stoull(std::string(value));
    }
  }
  // RFC 9112 §6.3: both framings at once "ought to be handled as an error" (smuggling).
  if (has_transfer_encoding && has_length)
    return failed(400, "both Transfer-Encoding and Content-Length");
  if (has_transfer_encoding)
    return failed(501, "request bodies with Transfer-Encoding are not supported");
  if (req.version == "HTTP/1.1" && !has_host) return failed(400, "HTTP/1.1 request without Host");
  out.state = ParsedRequest::State::complete;
  out.consumed = at;
  return out;
}

}  // namespace tern::http
