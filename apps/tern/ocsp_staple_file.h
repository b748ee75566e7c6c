// SPDX-License-Identifier: Apache-2.0
// `tern serve --ocsp-response FILE`: the OCSP response a chain staples, read from a file and
// read again when the file changes, as `openssl s_server -status_file` reads it once.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tern/ocsp.h"
#include "tern/tls.h"

namespace tern::cli {

class OcspStapleFile {
 public:
  using Log = std::function<void(const std::string&)>;

  // Reads and checks the file now: fails (naming the file) when it is missing or its
  // response does not fit the chain's leaf. The issuer is the chain's second certificate;
  // without one the response's signature cannot be checked here (clients check it).
  static Result<std::shared_ptr<OcspStapleFile>> open(const std::string& path,
                                                      const CertifiedKey& certified, Log log);

  // The response to staple now, or null. Thread-safe; looks at the file at most every
  // kRecheck, and staples nothing that no longer checks out (expired, replaced by a bad file).
  std::shared_ptr<const Bytes> current();

  static constexpr std::chrono::seconds kRecheck{5};

 private:
  OcspStapleFile(std::string path, Certificate leaf, std::optional<Certificate> issuer, Log log)
      : path_(std::move(path)), leaf_(std::move(leaf)), issuer_(std::move(issuer)),
        log_(std::move(log)) {}
  Result<OcspStatus> check(const Bytes& response) const;
  Result<Bytes> read() const;
  void refresh();

  std::string path_;
  Certificate leaf_;
  std::optional<Certificate> issuer_;
  Log log_;
  std::mutex mutex_;
  std::shared_ptr<const Bytes> staple_;
  std::chrono::steady_clock::time_point next_check_{};
  struct FileStamp {
    int64_t mtime_ns = 0;
    int64_t size = -1;
    bool operator==(const FileStamp&) const = default;
  } stamp_;
  bool stamp_of(FileStamp& out) const;
};

// --ocsp-response FILE (alias --ocsp), repeatable: the Nth file goes with the Nth --cert.
void add_ocsp_response_option(CLI::App& cmd, std::vector<std::string>& paths);
// Opens each file for its chain of `config` and sets that chain's ocsp_response_source;
// Errc::usage naming the file when one does not fit. Logs go to stderr.
Result<void> use_ocsp_response_files(const std::vector<std::string>& paths, ServerConfig& config);

}  // namespace tern::cli
