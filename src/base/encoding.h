// SPDX-License-Identifier: Apache-2.0
// Text encodings: hex, base64 and PEM (RFC 7468).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::base {

std::string hex(BytesView data);
// Colon-separated upper-case hex, as certificate tools print serials and fingerprints.
std::string hex_colon(BytesView data);
// Strict: even length, hex digits only (either case).
std::optional<Bytes> unhex(std::string_view text);

std::string base64(BytesView data);
// Strict RFC 4648 with padding; whitespace is not allowed here (PEM strips it first).
std::optional<Bytes> unbase64(std::string_view text);

struct PemBlock {
  std::string label;  // "CERTIFICATE", "PRIVATE KEY", "X509 CRL", ...
  Bytes der;
};

// Every PEM block in `text`, in order. Text between blocks is ignored (bundles often
// carry comments); a block that starts but is malformed is an error naming its line.
Result<std::vector<PemBlock>> parse_pem(std::string_view text);
std::string to_pem(std::string_view label, BytesView der);

// Whether `data` looks like PEM rather than DER (so tools can accept either).
bool looks_like_pem(BytesView data);

}  // namespace tern::base
