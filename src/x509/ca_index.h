// SPDX-License-Identifier: Apache-2.0
// The text files of a local CA directory: the index of issued certificates and the CRL
// number. Both are meant to be read by people (and grep), and parsed strictly back: a line
// that does not fit is an error naming the file and the line, never skipped.
//
// index: a comment header, then one line per certificate, fields separated by one tab:
//   STATUS  SERIAL  NOT_AFTER  REVOKED_AT  REASON  SUBJECT  NAMES
// STATUS is V (valid) or R (revoked); SERIAL upper-case hex; times ISO 8601 UTC
// ("2027-09-20T10:00:00Z"), REVOKED_AT and REASON "-" while valid; NAMES comma-separated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tern/ca.h"
#include "tern/result.h"

namespace tern::x509::ca_index {

std::string format(const std::vector<CaRecord>& records);
// `path` only names the file in messages.
Result<std::vector<CaRecord>> parse(std::string_view text, const std::string& path);

// "2027-09-20T10:00:00Z" and back (exactly that form).
std::string iso8601(int64_t unix_seconds);
std::optional<int64_t> parse_iso8601(std::string_view text);

// A serial as typed by a person ("0a:1B:..", "0A1B..", "serial=0A1B.." from openssl) in
// the index's form, upper-case hex without separators or leading zero bytes; nullopt if
// it is not hex.
std::optional<std::string> normalize_serial(std::string_view text);

}  // namespace tern::x509::ca_index
