// SPDX-License-Identifier: Apache-2.0
#include "x509/ca_index.h"

#include <chrono>
#include <cstdio>

namespace tern::x509::ca_index {
namespace {

constexpr std::string_view kHeader =
    "# tern local CA index: one issued certificate per line, tab-separated fields:\n"
    "# status (V valid, R revoked), serial, not_after, revoked_at, reason, subject, names\n";

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool digits(std::string_view text, size_t from, size_t count, unsigned& value) {
  value = 0;
  for (size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return true;
}

}  // namespace

std::string iso8601(int64_t unix_seconds) {
  using namespace std::chrono;
  sys_seconds tp{seconds{unix_seconds}};
  sys_days day = floor<days>(tp);
  year_month_day ymd{day};
  auto secs = (tp - day).count();
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02u:%02u:%02uZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(secs / 3600), static_cast<unsigned>(secs / 60 % 60),
                static_cast<unsigned>(secs % 60));
  return text;
}

std::optional<int64_t> parse_iso8601(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z')
    return std::nullopt;
  unsigned year, month, day, hour, minute, second;
  if (!digits(text, 0, 4, year) || !digits(text, 5, 2, month) || !digits(text, 8, 2, day) ||
      !digits(text, 11, 2, hour) || !digits(text, 14, 2, minute) || !digits(text, 17, 2, second))
    return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(year)),
                                  std::chrono::month(month), std::chrono::day(day)};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  int64_t days_since_epoch = std::chrono::sys_days(ymd).time_since_epoch().count();
  return days_since_epoch * 86400 + hour * 3600 + minute * 60 + second;
}

std::optional<std::string> normalize_serial(std::string_view text) {
  if (text.substr(0, 7) == "serial=") text.remove_prefix(7);
  std::string hex;
  for (char c : text) {
    if (c == ':' || c == ' ') continue;
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return std::nullopt;
    hex += c;
  }
  if (hex.empty() || hex.size() > 42) return std::nullopt;  // 20 octets and a sign byte at most
  if (hex.size() % 2) hex.insert(hex.begin(), '0');
  while (hex.size() > 2 && hex[0] == '0' && hex[1] == '0') hex.erase(0, 2);
  return hex;
}

std::string format(const std::vector<CaRecord>& records) {
  std::string out(kHeader);
  for (const CaRecord& r : records) {
    std::string names;
    for (const std::string& name : r.names) names += (names.empty() ? "" : ",") + name;
    out += r.revoked_at ? "R\t" : "V\t";
    out += r.serial + '\t' + iso8601(r.not_after) + '\t';
    out += r.revoked_at ? iso8601(*r.revoked_at) + '\t' + crl_reason_name(r.reason) : "-\t-";
    out += '\t' + r.subject + '\t' + names + '\n';
  }
  return out;
}

Result<std::vector<CaRecord>> parse(std::string_view text, const std::string& path) {
  std::vector<CaRecord> records;
  size_t line_number = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    auto bad = [&](const std::string& why) {
      return Error(Errc::decode, "the CA index " + path + " is damaged: line " +
                                     std::to_string(line_number) + " " + why +
                                     "; restore it from a backup, or fix the line by hand");
    };
    auto fields = split(line, '\t');
    if (fields.size() != 7) return bad("does not have 7 tab-separated fields");
    CaRecord r;
    auto serial = normalize_serial(fields[1]);
    if (!serial || *serial != fields[1]) return bad("has a serial that is not upper-case hex");
    r.serial = *serial;
    auto not_after = parse_iso8601(fields[2]);
    if (!not_after) return bad("has a not_after that is not YYYY-MM-DDTHH:MM:SSZ");
    r.not_after = *not_after;
    if (fields[0] == "R") {
      r.revoked_at = parse_iso8601(fields[3]);
      auto reason = parse_crl_reason(fields[4]);
      if (!r.revoked_at) return bad("has a revocation time that is not YYYY-MM-DDTHH:MM:SSZ");
      if (!reason) return bad("has an unknown revocation reason");
      r.reason = *reason;
    } else if (fields[0] != "V" || fields[3] != "-" || fields[4] != "-") {
      return bad("is neither V (valid, with '-' for revocation time and reason) nor R");
    }
    r.subject = std::string(fields[5]);
    for (std::string_view name : split(fields[6], ','))
      if (!name.empty()) r.names.emplace_back(name);
    if (r.names.empty()) return bad("lists no names");
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace tern::x509::ca_index
