// SPDX-License-Identifier: Apache-2.0
#include "base/encoding.h"

#include <array>
#include <cctype>

namespace tern::base {

namespace {
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

std::string hex(BytesView data) {
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t b : data) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 15]);
  }
  return out;
}

std::string hex_colon(BytesView data) {
  std::string out;
  for (size_t i = 0; i < data.size(); ++i) {
    if (i) out.push_back(':');
    out.push_back(static_cast<char>(std::toupper(kHexDigits[data[i] >> 4])));
    out.push_back(static_cast<char>(std::toupper(kHexDigits[data[i] & 15])));
  }
  return out;
}

std::optional<Bytes> unhex(std::string_view text) {
  if (text.size() % 2) return std::nullopt;
  Bytes out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string base64(BytesView data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = uint32_t{data[i]} << 16 | uint32_t{data[i + 1]} << 8 | data[i + 2];
    for (int s = 18; s >= 0; s -= 6) out.push_back(kB64[(v >> s) & 63]);
  }
  size_t rest = data.size() - i;
  if (rest) {
    uint32_t v = uint32_t{data[i]} << 16 | (rest == 2 ? uint32_t{data[i + 1]} << 8 : 0);
    out.push_back(kB64[(v >> 18) & 63]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kB64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<Bytes> unbase64(std::string_view text) {
  if (text.size() % 4) return std::nullopt;
  Bytes out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    uint32_t v = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = text[i + j];
      if (c == '=' && last && j >= 2) {
        ++pad;
        v <<= 6;
        continue;
      }
      int d = b64_value(c);
      if (d < 0 || pad) return std::nullopt;  // no data after padding
      v = v << 6 | static_cast<uint32_t>(d);
    }
    out.push_back(static_cast<uint8_t>(v >> 16));
    if (pad < 2) out.push_back(static_cast<uint8_t>(v >> 8));
    if (pad < 1) out.push_back(static_cast<uint8_t>(v));
    // Canonical: the bits dropped by padding must be zero.
    if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff))) return std::nullopt;
  }
  return out;
}

namespace {
constexpr std::string_view kBegin = "-----BEGIN ", kEnd = "-----END ", kDashes = "-----";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// The label of an encapsulation boundary line, if it is one.
std::optional<std::string_view> boundary(std::string_view line, std::string_view prefix) {
  if (line.substr(0, prefix.size()) != prefix || line.size() < prefix.size() + kDashes.size())
    return std::nullopt;
  if (line.substr(line.size() - kDashes.size()) != kDashes) return std::nullopt;
  return line.substr(prefix.size(), line.size() - prefix.size() - kDashes.size());
}
}  // namespace

Result<std::vector<PemBlock>> parse_pem(std::string_view text) {
  std::vector<PemBlock> blocks;
  std::optional<std::string> label;
  std::string body;
  size_t line_no = 0, begin_line = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (!label) {
      if (auto l = boundary(line, kBegin)) {
        label = std::string(*l);
        begin_line = line_no;
        body.clear();
      }
      continue;
    }
    if (auto l = boundary(line, kEnd)) {
      if (*l != *label)
        return Error(Errc::decode, "PEM block '" + *label + "' opened on line " +
                                       std::to_string(begin_line) + " is closed as '" +
                                       std::string(*l) + "' on line " + std::to_string(line_no));
      auto der = unbase64(body);
      if (!der)
        return Error(Errc::decode, "PEM block '" + *label + "' starting on line " +
                                       std::to_string(begin_line) + " is not valid base64");
      blocks.push_back({std::move(*label), std::move(*der)});
      label.reset();
      continue;
    }
    if (line.find(':') != std::string_view::npos) continue;  // RFC 1421 headers: ignored
    for (char c : line)
      if (c != ' ' && c != '\t') body.push_back(c);
  }
  if (label)
    return Error(Errc::decode, "PEM block '" + *label + "' starting on line " +
                                   std::to_string(begin_line) + " has no END line (truncated file?)");
  return blocks;
}

std::string to_pem(std::string_view label, BytesView der) {
  std::string b64 = base64(der);
  std::string out = std::string(kBegin) + std::string(label) + "-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += std::string(kEnd) + std::string(label) + "-----\n";
  return out;
}

bool looks_like_pem(BytesView data) {
  return as_chars(data).find(kBegin) != std::string_view::npos;
}

}  // namespace tern::base
