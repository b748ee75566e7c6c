// SPDX-License-Identifier: Apache-2.0
#include "http/conditional.h"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace tern::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The opaque part of an entity tag, W/ dropped: weak comparison (RFC 9110 §8.8.3.2).
std::string_view opaque(std::string_view tag) {
  tag = trim(tag);
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

// Whether the If-None-Match list `field` names `etag` (weakly) or is "*". Entity tags hold no
// comma (etagc excludes it), so splitting at commas is exact.
bool matches_any(std::string_view field, std::string_view etag) {
  if (trim(field) == "*") return true;
  while (!field.empty()) {
    size_t comma = field.find(',');
    std::string_view item = field.substr(0, comma);
    if (!trim(item).empty() && opaque(item) == opaque(etag)) return true;
    if (comma == std::string_view::npos) break;
    field.remove_prefix(comma + 1);
  }
  return false;
}

std::optional<uint64_t> parse_digits(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// Whether If-Range lets the Range apply: an entity tag must match strongly (a weak one never
// does), a date must equal Last-Modified exactly.
bool if_range_holds(std::string_view field, std::string_view etag, time_t mtime) {
  field = trim(field);
  if (field.starts_with("W/")) return false;
  if (field.starts_with("\"")) return field == etag;
  auto date = parse_http_date(field);
  return date && *date == mtime;
}

}  // namespace

std::string entity_tag(const struct stat& st) {
  char tag[80];
  auto ns = static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1'000'000'000ULL +
            static_cast<unsigned long long>(st.st_mtim.tv_nsec);
  std::snprintf(tag, sizeof tag, "\"%llx-%llx-%llx\"",
                static_cast<unsigned long long>(st.st_ino),
                static_cast<unsigned long long>(st.st_size), ns);
  return tag;
}

std::optional<time_t> parse_http_date(std::string_view text) {
  std::string s(trim(text));
  // IMF-fixdate, RFC 850, asctime: the three forms of RFC 9110 §5.6.7, all in GMT.
  static const char* const kFormats[] = {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT",
                                         "%a %b %e %H:%M:%S %Y"};
  for (const char* format : kFormats) {
    struct tm tm {};
    const char* end = strptime(s.c_str(), format, &tm);
    if (end && *end == '\0') return timegm(&tm);
  }
  return std::nullopt;
}

bool not_modified(const Request& request, std::string_view etag, time_t mtime) {
  if (const std::string* none_match = request.field("if-none-match"))
    return matches_any(*none_match, etag);
  if (const std::string* since = request.field("if-modified-since")) {
    auto date = parse_http_date(*since);
    return date && mtime <= *date;
  }
  return false;
}

RangeAnswer answer_range(const Request& request, uint64_t size, std::string_view etag,
                         time_t mtime) {
  RangeAnswer whole;
  const std::string* range = request.field("range");
  if (request.method != "GET" || !range) return whole;  // only GET has ranges (§14.2)
  if (const std::string* if_range = request.field("if-range");
      if_range && !if_range_holds(*if_range, etag, mtime))
    return whole;
  std::string_view spec = trim(*range);
  if (spec.size() < 6 || strncasecmp(spec.data(), "bytes=", 6) != 0) return whole;
  spec = trim(spec.substr(6));
  if (spec.find(',') != std::string_view::npos) return whole;  // several: see the header
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  std::string_view first_text = trim(spec.substr(0, dash)), last_text = trim(spec.substr(dash + 1));
  RangeAnswer out;
  out.kind = RangeAnswer::Kind::partial;
  if (first_text.empty()) {  // "-n": the last n bytes
    auto n = parse_digits(last_text);
    if (!n) return whole;
    if (*n == 0 || size == 0) return {RangeAnswer::Kind::unsatisfiable};
    out.length = std::min(*n, size);
    out.first = size - out.length;
    return out;
  }
  auto first = parse_digits(first_text);
  if (!first) return whole;
  std::optional<uint64_t> last;
  if (!last_text.empty()) {
    last = parse_digits(last_text);
    if (!last || *last < *first) return whole;  // invalid: ignored (§14.1.1)
  }
  if (*first >= size) return {RangeAnswer::Kind::unsatisfiable};
  uint64_t end = last ? std::min(*last, size - 1) : size - 1;
  out.first = *first;
  out.length = end - *first + 1;
  return out;
}

}  // namespace tern::http
