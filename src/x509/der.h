// SPDX-License-Identifier: Apache-2.0
// Strict DER helpers for the X.509 parsers, on top of base::Reader: every function reads
// one element, checks the DER rules of its type and returns a Result whose message names
// `what` (the field being read), so callers only add where they are.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/reader.h"
#include "tern/bytes.h"
#include "tern/result.h"
#include "x509/certificate.h"

namespace tern::x509::der {

using base::Reader;

// Limits on attacker-controlled counts (extensions, RDNs, names in one extension, ...).
constexpr size_t kMaxItems = 1024;

// A decode error (Errc::decode, Alert::bad_certificate) with `detail`.
Error error(std::string detail);
// `e` with "where: " put in front of its detail.
Error in(std::string_view where, Error e);

// One element with `tag`; its contents.
Result<BytesView> element(Reader& r, uint8_t tag, std::string_view what);
// A SEQUENCE (or any constructed `tag`), as a Reader over its contents.
Result<Reader> sequence(Reader& r, std::string_view what, uint8_t tag = base::der::kSequence);
// One element with `tag`: its whole encoding (header included); `contents` gets the rest.
Result<BytesView> whole(Reader& r, uint8_t tag, std::string_view what, BytesView& contents);
// Fails if `r` still holds bytes ("trailing data after <what>").
Result<void> done(const Reader& r, std::string_view what);

// INTEGER: non-empty, minimally encoded. Returns the contents (two's complement).
Result<BytesView> integer(Reader& r, std::string_view what, uint8_t tag = base::der::kInteger);
Result<void> check_integer(BytesView contents, std::string_view what);
// A non-negative INTEGER that fits `max`.
Result<uint64_t> small_uint(Reader& r, std::string_view what, uint64_t max,
                            uint8_t tag = base::der::kInteger);

// BOOLEAN: exactly one byte, 0x00 or 0xFF.
Result<bool> boolean(Reader& r, std::string_view what);
// A `BOOLEAN DEFAULT FALSE`: absent means false; an explicit FALSE is not DER.
Result<bool> boolean_default_false(Reader& r, std::string_view what);

// NULL with empty contents.
Result<void> null(Reader& r, std::string_view what);

struct BitString {
  BytesView bytes;     // without the unused-bits octet
  uint8_t unused = 0;  // 0..7; 0 when `bytes` is empty
};
// BIT STRING: unused-bits count 0..7, 0 when empty, and the unused bits zero.
Result<BitString> bit_string(Reader& r, std::string_view what, uint8_t tag = base::der::kBitString);
Result<BitString> check_bit_string(BytesView contents, std::string_view what);

// OBJECT IDENTIFIER: non-empty, minimal base-128 arcs, last octet complete.
Result<BytesView> oid(Reader& r, std::string_view what, uint8_t tag = base::der::kOid);
bool valid_oid(BytesView contents);

// UTCTime (YYMMDDHHMMSSZ, 50-99 => 19xx) or GeneralizedTime (YYYYMMDDHHMMSSZ, no
// fractions), with calendar range checks. Seconds since 1970 (negative before).
// Which time encodings to accept: any (certificates: PKITS and deployed certificates use
// GeneralizedTime before 2050) or exactly RFC 5280's (UTCTime through 2049; CRLs).
enum class TimeRule : uint8_t { any_encoding, rfc5280 };
Result<int64_t> time(Reader& r, std::string_view what,
                     TimeRule rule = TimeRule::any_encoding);
Result<int64_t> parse_time(uint8_t tag, BytesView contents, std::string_view what);

// Seconds since 1970 for a proleptic Gregorian UTC date (exposed for tests).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

// Whether `contents` is valid for the string type `tag` (PrintableString charset, IA5
// 7-bit, UTF-8 well-formed, BMP/Universal lengths, ...). Unknown tags are invalid.
bool valid_string(uint8_t tag, BytesView contents);
bool is_string_tag(uint8_t tag);
const char* string_type_name(uint8_t tag);
// IA5String: 7-bit ASCII.
bool valid_ia5(BytesView contents);
// `text` with every control character (C0, DEL, and the C1 range as UTF-8) written as \XX
// per byte: names from a certificate are shown to people, and must not drive a terminal.
std::string escape_controls(std::string_view text);

// Pieces shared by the certificate and CRL parsers (certificate.cpp, name.cpp, crl.cpp).

// AlgorithmIdentifier of a signature: RSA PKCS#1 v1.5 with SHA-1/256/384/512 (NULL
// parameters), ECDSA with SHA-1/256/384/512 (no parameters), RSASSA-PSS with explicit
// SHA-256/384/512 parameters, Ed25519. MD5 and others are Errc::unsupported.
Result<crypto::SignatureAlgorithm> signature_algorithm(BytesView algorithm_identifier_contents,
                                                       std::string_view what);

// A Name (the whole SEQUENCE element, header included).
Result<Name> name(BytesView element, std::string_view what);
// One GeneralName (RFC 5280 §4.2.1.6) read from `r`.
Result<GeneralName> general_name(Reader& r, std::string_view what);
// GeneralNames: a non-empty SEQUENCE OF GeneralName (the element's contents).
Result<std::vector<GeneralName>> general_names(BytesView contents, std::string_view what);

// Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension (the contents of the SEQUENCE),
// rejecting duplicates. Unknown critical ones are left to the caller.
Result<std::vector<Extension>> extensions(BytesView contents, std::string_view what);

}  // namespace tern::x509::der

namespace tern::x509::oid {
// Algorithm OIDs (DER contents), used only inside src/x509.
extern const Bytes kCtPoison, kRsaEncryption, kMd5WithRsa, kSha1WithRsa, kRsaPss, kSha256WithRsa,
    kSha384WithRsa, kSha512WithRsa, kMgf1, kEcdsaSha1, kEcdsaSha256, kEcdsaSha384, kEcdsaSha512,
    kEcPublicKey, kP256, kP384, kP521, kEd25519, kSha1, kSha256, kSha384, kSha512;
}  // namespace tern::x509::oid
