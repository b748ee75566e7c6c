// Shared output helpers for the subcommands: UTC times, certificate descriptions in text
// and JSON.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "tern/x509.h"

namespace tern::cli {

// "2026-11-22T18:40:00Z" (ISO 8601, UTC).
std::string iso8601(int64_t unix_seconds);

std::string join(const std::vector<std::string>& items, const std::string& separator);

// The stable JSON description of one certificate (docs/cli.md lists the fields).
nlohmann::ordered_json certificate_json(const CertificateInfo& info);

// A readable multi-line description: a heading line "  [index] subject  (note)" and then
// indented fields.
void print_certificate(std::ostream& out, const CertificateInfo& info, size_t index,
                       const std::string& note);

}  // namespace tern::cli
