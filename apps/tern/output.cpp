// SPDX-License-Identifier: Apache-2.0
#include "output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace tern::cli {

Result<int64_t> parse_time(const std::string& text) {
  using namespace std::chrono;
  auto bad = [&text] {
    return Error(Errc::usage, "'" + text +
                                  "' is not a time: give Unix seconds (1767225600) or an RFC 3339 "
                                  "/ ISO 8601 date, UTC unless an offset is given (2026-01-02, "
                                  "2026-01-02T03:04:05Z, 2026-01-02T03:04:05+01:00)");
  };
  size_t at = 0;
  // Reads exactly `n` digits (n == 0: one or more) into `value`.
  auto number = [&](size_t n, int64_t& value) {
    size_t start = at;
    value = 0;
    while (at < text.size() && (n == 0 || at - start < n) &&
           std::isdigit(static_cast<unsigned char>(text[at])) && at - start < 18)
      value = value * 10 + (text[at++] - '0');
    return at > start && (n == 0 || at - start == n);
  };
  auto expect = [&](char c) { return at < text.size() && text[at] == c && ++at; };
  int64_t value = 0;
  if (number(0, value) && at == text.size()) return value;  // Unix seconds
  at = 0;
  int64_t y, mo, d, h = 0, mi = 0, sec = 0;
  if (!number(4, y) || !expect('-') || !number(2, mo) || !expect('-') || !number(2, d))
    return bad();
  year_month_day ymd{year(static_cast<int>(y)), month(static_cast<unsigned>(mo)),
                     day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return bad();
  int64_t offset = 0;
  if (at < text.size()) {
    if (!(expect('T') || expect('t') || expect(' ')) || !number(2, h) || !expect(':') ||
        !number(2, mi) || h > 23 || mi > 59)
      return bad();
    if (expect(':') && (!number(2, sec) || sec > 60)) return bad();
    if (expect('.') && !number(0, value)) return bad();  // fractions of a second: dropped
    if (at < text.size() && !expect('Z') && !expect('z')) {
      int64_t sign = text[at] == '-' ? -1 : 1, oh, om;
      if (!(expect('+') || expect('-')) || !number(2, oh)) return bad();
      expect(':');  // +01:00 and +0100 both
      if (!number(2, om) || oh > 23 || om > 59) return bad();
      offset = sign * (oh * 3600 + om * 60);
    }
    if (at != text.size()) return bad();
  }
  return sys_days(ymd).time_since_epoch() / seconds(1) + h * 3600 + mi * 60 + sec - offset;
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

Result<std::unique_ptr<OutputFile>> OutputFile::open(const std::string& path) {
  namespace fs = std::filesystem;
  auto cannot = [&path](const std::string& why) {
    return Error(Errc::usage, "cannot write " + path + ": " + why);
  };
  std::error_code ec;
  fs::file_status status = fs::symlink_status(path, ec);
  if (fs::is_directory(status)) return cannot("it is a directory; name a file");
  std::string temp;
  if (!fs::exists(status) || fs::is_regular_file(status)) {
    fs::path dir = fs::path(path).parent_path();
    temp = (dir.empty() ? fs::path(".") : dir).string() + "/." +
           fs::path(path).filename().string() + ".tern-XXXXXX";
    int fd = ::mkstemp(temp.data());
    if (fd < 0) return cannot(std::strerror(errno));
    mode_t mask = ::umask(0);  // the mode a plain create would give: 0666 less the umask
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    ::close(fd);
  }
  std::unique_ptr<OutputFile> out(new OutputFile(path, temp));
  out->file_.open(temp.empty() ? path : temp, std::ios::binary | std::ios::trunc);
  if (!out->file_) return cannot(std::strerror(errno));
  return out;
}

OutputFile::~OutputFile() {
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

Result<void> OutputFile::commit() {
  file_.close();
  if (!file_) return Error(Errc::usage, "writing " + path_ + " failed (disk full?)");
  if (temp_.empty()) return ok();
  if (::rename(temp_.c_str(), path_.c_str()) != 0)
    return Error(Errc::usage, "cannot write " + path_ + ": " + std::strerror(errno));
  temp_.clear();
  return ok();
}

}  // namespace tern::cli
