#include "output.h"

#include <chrono>
#include <cstdio>

namespace tern::cli {

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

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

nlohmann::ordered_json certificate_json(const CertificateInfo& info) {
  return nlohmann::ordered_json{
      {"subject", info.subject},
      {"issuer", info.issuer},
      {"serial", info.serial},
      {"not_before", iso8601(info.not_before)},
      {"not_after", iso8601(info.not_after)},
      {"names", info.names},
      {"key", info.key},
      {"signature_algorithm", info.signature_algorithm},
      {"sha256_fingerprint", info.sha256_fingerprint},
      {"is_ca", info.is_ca},
  };
}

void print_certificate(std::ostream& out, const CertificateInfo& info, size_t index,
                       const std::string& note) {
  out << "  [" << index << "] " << (info.subject.empty() ? "(empty subject)" : info.subject);
  if (!note.empty()) out << "  (" << note << ")";
  out << '\n';
  auto field = [&out](const char* label, const std::string& value) {
    out << "      " << label << std::string(12 - std::string(label).size(), ' ') << value << '\n';
  };
  field("issuer:", info.issuer);
  field("serial:", info.serial);
  field("valid:", iso8601(info.not_before) + " to " + iso8601(info.not_after));
  field("names:", info.names.empty() ? "(none)" : join(info.names, ", "));
  field("key:", info.key + (info.is_ca ? ", CA" : ""));
  field("signature:", info.signature_algorithm);
  field("sha256:", info.sha256_fingerprint);
}

}  // namespace tern::cli
