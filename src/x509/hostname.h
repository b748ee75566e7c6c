// SPDX-License-Identifier: Apache-2.0
// Name matching for certificate verification: the reference identity a client asks for
// (RFC 9525: DNS names and IP literals, matched against subjectAltName only) and the
// name-constraint subtrees of RFC 5280 §4.2.1.10 (DNS, IP with mask, email, directory).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tern/bytes.h"
#include "tern/result.h"
#include "x509/certificate.h"

namespace tern::x509 {

// An IPv4 dotted quad or an IPv6 literal (with "::" and an optional trailing dotted quad),
// as 4 or 16 bytes. Anything else (including "[::1]", zone ids, octal) is not an IP literal.
std::optional<Bytes> parse_ip_literal(std::string_view text);
// "192.0.2.1", "2001:db8::1" (lower case, longest zero run compressed).
std::string format_ip(BytesView address);

// A syntactically valid DNS name of LDH labels (underscores tolerated), at most one
// trailing dot. With `allow_wildcard`, the left-most label may be exactly "*".
bool is_valid_dns_name(std::string_view name, bool allow_wildcard);

// `presented` is a wildcard "*.rest" where `rest` is a public suffix of the Public Suffix
// List, ICANN or private section ("*.co.uk", "*.s3.amazonaws.com"): no single owner
// controls the names it would match.
bool wildcard_covers_public_suffix(std::string_view presented);

// RFC 9525 §6.3: `presented` (a dNSName SAN) matches `reference` (what the client asked
// for). Case-insensitive ASCII, trailing dots ignored, a wildcard only as the whole
// left-most label matching exactly one label, never "*.tld" nor over a public suffix.
bool dns_name_matches(std::string_view presented, std::string_view reference);

// The leaf `cert` covers `reference` (DNS name, IP literal or email address): checks the
// subjectAltName only, never the subject CN. The error names the certificate and lists
// its names.
Result<void> check_reference_identity(const Certificate& cert, std::string_view reference);

// Name-constraint subtree matching (RFC 5280 §4.2.1.10). Each returns false for a
// malformed name; the constraint must have been validated with the *_constraint_valid
// functions first.
bool dns_constraint_valid(std::string_view constraint);
bool dns_in_subtree(std::string_view name, std::string_view constraint);
// For a wildcard SAN "*.rest": whether every name it can match lies in the subtree
// (permitted check) / whether some name it can match lies in the subtree (excluded check).
bool wildcard_within_subtree(std::string_view wildcard, std::string_view constraint);
bool wildcard_meets_subtree(std::string_view wildcard, std::string_view constraint);

// `constraint` is address||mask (8 or 16+16 bytes) with a contiguous mask.
bool ip_constraint_valid(BytesView constraint);
bool ip_in_subtree(BytesView address, BytesView constraint);

bool email_valid(std::string_view email);
bool email_constraint_valid(std::string_view constraint);
bool email_in_subtree(std::string_view email, std::string_view constraint);

// `base`'s RDNs are a prefix of `name`'s (attribute values compared as names_match does).
bool directory_in_subtree(const Name& name, const Name& base);

// A GeneralName for messages: "DNS:example.org", "IP:192.0.2.1", "email:a@b", ...
std::string general_name_to_string(const GeneralName& name);

}  // namespace tern::x509
