// SPDX-License-Identifier: Apache-2.0
#include "ocsp_staple_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>

namespace tern::cli {
namespace {
constexpr int64_t kMaxFileSize = 64 * 1024;  // the library refuses larger responses anyway
int64_t now_seconds() { return static_cast<int64_t>(std::time(nullptr)); }
}  // namespace

bool OcspStapleFile::stamp_of(FileStamp& out) const {
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0) return false;
  out.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  out.size = static_cast<int64_t>(st.st_size);
  return true;
}

Result<Bytes> OcspStapleFile::read() const {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return Error(Errc::usage, "cannot read " + path_ + ": " + std::strerror(errno));
  Bytes data;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    data.insert(data.end(), buffer, buffer + in.gcount());
    if (static_cast<int64_t>(data.size()) > kMaxFileSize)
      return Error(Errc::usage, path_ + " is larger than 64 KiB: not an OCSP response");
  }
  return data;
}

Result<OcspStatus> OcspStapleFile::check(const Bytes& response) const {
  auto status = issuer_ ? check_ocsp_response(response, leaf_, *issuer_, now_seconds())
                        : inspect_ocsp_response(response, leaf_, now_seconds());
  if (!status) {
    Error e = std::move(status).error();
    e.detail = path_ + ": " + e.detail;
    return e;
  }
  return status;
}

Result<std::shared_ptr<OcspStapleFile>> OcspStapleFile::open(const std::string& path,
                                                            const CertifiedKey& certified,
                                                            Log log) {
  if (certified.chain.empty()) return Error(Errc::usage, "--ocsp-response: no certificate");
  TERN_TRY(auto leaf, Certificate::parse_all(certified.chain[0]));
  std::optional<Certificate> issuer;
  if (certified.chain.size() > 1) {
    TERN_TRY(auto parsed, Certificate::parse_all(certified.chain[1]));
    issuer.emplace(parsed.at(0));
  }
  std::shared_ptr<OcspStapleFile> file(
      new OcspStapleFile(path, leaf.at(0), std::move(issuer), std::move(log)));
  if (!file->stamp_of(file->stamp_))
    return Error(Errc::usage, "--ocsp-response: cannot read " + path + ": " + std::strerror(errno));
  TERN_TRY(Bytes response, file->read());
  auto status = file->check(response);
  if (!status)
    return Error(Errc::usage, "--ocsp-response " + status.error().detail +
                                  " (make one with `tern ca ocsp SERIAL -o FILE`)");
  file->log_("stapling " + path + ": " + describe_ocsp_status(*status) +
             (file->issuer_ ? "" : "; the chain holds no issuer, so its signature is left to "
                                   "clients to check"));
  file->staple_ = std::make_shared<const Bytes>(std::move(response));
  file->next_check_ = std::chrono::steady_clock::now() + kRecheck;
  return file;
}

void OcspStapleFile::refresh() {
  FileStamp stamp;
  if (stamp_of(stamp) && !(stamp == stamp_)) {
    stamp_ = stamp;
    auto response = read();
    auto status = response ? check(*response) : Result<OcspStatus>(response.error());
    if (status) {
      log_("reloaded " + path_ + ": " + describe_ocsp_status(*status));
      staple_ = std::make_shared<const Bytes>(std::move(*response));
      return;
    }
    log_("not stapling the new " + path_ + ": " + status.error().detail);
  }
  if (staple_) {  // the one in use may have expired meanwhile
    if (auto still = check(*staple_); !still) {
      log_("no longer stapling " + path_ + ": " + still.error().detail);
      staple_.reset();
    }
  }
}

std::shared_ptr<const Bytes> OcspStapleFile::current() {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (now >= next_check_) {
    next_check_ = now + kRecheck;
    refresh();
  }
  return staple_;
}

void add_ocsp_response_option(CLI::App& cmd, std::vector<std::string>& paths) {
  cmd.add_option("--ocsp-response,--ocsp", paths,
                 "Staple this DER OCSP response (RFC 6960) for clients that ask "
                 "(status_request), as openssl s_server -status_file; re-read when the file "
                 "changes, checked every few seconds. Repeatable: one per --cert, in order")
      ->type_name("FILE")
      ->allow_extra_args(false);
}

Result<void> use_ocsp_response_files(const std::vector<std::string>& paths, ServerConfig& config) {
  if (paths.size() > config.certificates.size())
    return Error(Errc::usage, "give at most one --ocsp-response per --cert (" +
                                  std::to_string(paths.size()) + " responses, " +
                                  std::to_string(config.certificates.size()) + " certificates)");
  static std::mutex log_mutex;
  auto log = [](const std::string& line) {
    std::lock_guard lock(log_mutex);
    std::cerr << "tern serve: " << line << std::endl;
  };
  for (size_t i = 0; i < paths.size(); ++i) {
    TERN_TRY(auto file, OcspStapleFile::open(paths[i], config.certificates[i], log));
    config.certificates[i].ocsp_response_source = [file] { return file->current(); };
  }
  return ok();
}

}  // namespace tern::cli
