// SPDX-License-Identifier: Apache-2.0
// Shared output helpers for the subcommands: UTC times, certificate descriptions in text
// and JSON.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tern/result.h"
#include "tern/x509.h"
#include "trace/certificate_json.h"
#include "trace/peer_text.h"

namespace tern::cli {

using trace::certificate_json;
using trace::escape_peer_text;
using trace::iso8601;
using trace::join;

// A time given on the command line: Unix seconds ("1767225600"), a date ("2026-01-02",
// midnight UTC) or an RFC 3339 / ISO 8601 time ("2026-01-02T03:04:05Z", "...+01:00", "T"
// or a space between date and time, seconds and fractions optional, no offset meaning UTC).
// Errc::usage listing the accepted forms otherwise.
Result<int64_t> parse_time(const std::string& text);

// A readable multi-line description: a heading line "  [index] subject  (note)" and then
// indented fields.
void print_certificate(std::ostream& out, const CertificateInfo& info, size_t index,
                       const std::string& note);

// An output file the user named (get -o, trace --svg), written under a temporary name in the
// same directory and renamed onto its path by commit(): a failed transfer leaves no empty or
// partial file. A path that exists and is not a regular file (/dev/null, a FIFO, a symlink)
// is written in place.
class OutputFile {
 public:
  // Errc::usage naming `path` and the system's reason when it cannot be written.
  static Result<std::unique_ptr<OutputFile>> open(const std::string& path);
  ~OutputFile();  // removes the temporary file unless commit() succeeded
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream() { return file_; }
  Result<void> commit();

 private:
  OutputFile(std::string path, std::string temp) : path_(std::move(path)), temp_(std::move(temp)) {}
  std::string path_, temp_;  // temp_ empty: written in place
  std::ofstream file_;
};

}  // namespace tern::cli
