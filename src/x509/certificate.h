// SPDX-License-Identifier: Apache-2.0
// X.509 v3 certificates and CRLs (RFC 5280), parsed strictly from DER. A Certificate owns
// its encoding; every BytesView in it points into that encoding, so a Certificate is
// movable but not copyable (share it through std::shared_ptr<const Certificate>).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/provider.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::x509 {

// An OBJECT IDENTIFIER, kept as its DER contents (compare with equal()).
using Oid = BytesView;

// Well-known OIDs as DER contents bytes.
namespace oid {
extern const Bytes kCommonName, kEmailAddress;
extern const Bytes kBasicConstraints, kKeyUsage, kExtKeyUsage, kSubjectAltName, kIssuerAltName,
    kNameConstraints, kAuthorityKeyId, kSubjectKeyId, kCertificatePolicies, kPolicyConstraints,
    kPolicyMappings, kInhibitAnyPolicy, kCrlDistributionPoints, kAuthorityInfoAccess,
    kCrlNumber, kDeltaCrlIndicator, kIssuingDistributionPoint, kReasonCode, kInvalidityDate,
    kCertificateIssuer, kFreshestCrl, kSubjectInfoAccess, kCtPoisonOrScts;
extern const Bytes kEkuServerAuth, kEkuClientAuth, kEkuCodeSigning, kEkuEmailProtection,
    kEkuTimeStamping, kEkuOcspSigning, kEkuAny;
std::string to_string(Oid oid);  // dotted decimal, "2.5.29.19"
// The RFC name of a well-known OID ("basicConstraints", "serverAuth", "CN"), or nullptr.
const char* name(Oid oid);
// "2.5.29.19 (basicConstraints)", or just the dotted form for unknown OIDs.
std::string describe(Oid oid);
}  // namespace oid

// The extensions tern recognises (RFC 5280 §4.2 and CT). A certificate with any other
// extension marked critical still parses (so one such certificate does not spoil a bundle)
// but is listed in unknown_critical_extensions and refused by path validation; a CRL with
// one is rejected by the parser. Certificates: the ones with
// a field below, plus issuerAltName, certificatePolicies, policyMappings,
// policyConstraints, inhibitAnyPolicy, cRLDistributionPoints, freshestCRL,
// authorityInfoAccess, subjectInfoAccess and the CT SCT list (the CT precertificate poison
// is deliberately unknown). CRLs: authorityKeyIdentifier, issuerAltName, cRLNumber,
// deltaCRLIndicator, issuingDistributionPoint, freshestCRL, authorityInfoAccess. CRL
// entries: reasonCode, invalidityDate, certificateIssuer.
bool is_known_certificate_extension(Oid id);
bool is_known_crl_extension(Oid id);
bool is_known_crl_entry_extension(Oid id);

// One AttributeTypeAndValue of a distinguished name.
struct Attribute {
  Oid type;
  uint8_t value_tag = 0;  // the DER string type (PrintableString, UTF8String, ...)
  BytesView value;        // contents octets of the value
};

struct Name {
  BytesView der;  // the whole Name SEQUENCE, for byte-exact comparison
  std::vector<std::vector<Attribute>> rdns;
  bool empty() const { return rdns.empty(); }
  // RFC 4514-style "CN=example.org, O=Example" for messages.
  std::string to_string() const;
  // The last CommonName, if any (for messages only: never used for name matching).
  std::optional<std::string> common_name() const;
};

// RFC 5280 §7.1 name comparison: exact bytes, or case-insensitive equality of the
// PrintableString/UTF8String values with internal whitespace folded.
bool names_match(const Name& a, const Name& b);

struct GeneralName {
  enum class Type : uint8_t { other, email, dns, x400, directory, edi, uri, ip, registered_id };
  Type type = Type::other;
  BytesView value;        // IA5String contents for email/dns/uri, 4 or 16 bytes for ip, ...
  std::optional<Name> directory;  // set for Type::directory
};

struct GeneralSubtree {
  GeneralName base;
  BytesView ip_mask;  // for Type::ip: the second half of the 8- or 32-byte value
};

struct NameConstraints {
  std::vector<GeneralSubtree> permitted, excluded;
};

struct BasicConstraints {
  bool ca = false;
  std::optional<uint32_t> path_len;
};

// keyUsage bits as RFC 5280 §4.2.1.3 numbers them (bit 0 = digitalSignature).
enum KeyUsage : uint16_t {
  kDigitalSignature = 1 << 0,
  kNonRepudiation = 1 << 1,
  kKeyEncipherment = 1 << 2,
  kDataEncipherment = 1 << 3,
  kKeyAgreement = 1 << 4,
  kKeyCertSign = 1 << 5,
  kCrlSign = 1 << 6,
  kEncipherOnly = 1 << 7,
  kDecipherOnly = 1 << 8,
};

struct Extension {
  Oid id;
  bool critical = false;
  BytesView value;  // the extnValue OCTET STRING's contents
};

struct Certificate {
  Bytes der;  // the whole encoding; everything below points into it

  BytesView tbs;  // tbsCertificate, the signed bytes
  int version = 1;
  BytesView serial;  // INTEGER contents, two's complement as encoded
  crypto::SignatureAlgorithm signature_algorithm;
  // Set when the certificate is signed with an algorithm tern does not support (MD5,
  // SHA-224, DSA, ...): it still parses, since a trust anchor's own signature is never
  // checked, but signature_algorithm is then meaningless and verify_signature() fails
  // with this message.
  std::string signature_algorithm_error;
  BytesView signature;  // BIT STRING contents without the unused-bits byte
  Name issuer, subject;
  int64_t not_before = 0, not_after = 0;  // seconds since 1970, UTC
  BytesView spki;                          // SubjectPublicKeyInfo, whole element
  crypto::KeyType key_type = crypto::KeyType::unknown;
  size_t key_bits = 0;
  BytesView rsa_exponent;  // an RSA key's public exponent (INTEGER contents), else empty
  std::shared_ptr<const crypto::PublicKey> public_key;  // null if the key is unusable
  std::string public_key_error;                         // why it is unusable

  std::vector<Extension> extensions;  // all of them, in order
  // Critical extensions tern does not know: RFC 5280 §4.2 forbids using the certificate.
  std::vector<Oid> unknown_critical_extensions;
  std::optional<BasicConstraints> basic_constraints;
  std::optional<uint16_t> key_usage;
  std::optional<std::vector<Oid>> extended_key_usage;
  std::vector<GeneralName> subject_alt_names;
  bool has_san_extension = false;
  std::optional<NameConstraints> name_constraints;
  BytesView authority_key_id;  // keyIdentifier field, empty if absent
  BytesView subject_key_id;
  bool self_issued() const { return names_match(issuer, subject); }

  Certificate() = default;
  Certificate(Certificate&&) = default;
  Certificate& operator=(Certificate&&) = default;
  Certificate(const Certificate&) = delete;
  Certificate& operator=(const Certificate&) = delete;

  // A short description for messages: the subject, or the first SAN if the subject is empty.
  std::string display_name() const;
};

// Strict DER parse. Rejects BER, trailing data, duplicate extensions, malformed known extensions and mismatched signature algorithms. Errors carry
// Errc::decode and Alert::bad_certificate. Unsupported signature algorithms and public
// keys do not fail the parse: see signature_algorithm_error and public_key_error.
Result<std::shared_ptr<const Certificate>> parse_certificate(BytesView der);

// Every CERTIFICATE block of a PEM bundle, or a single DER certificate.
Result<std::vector<std::shared_ptr<const Certificate>>> parse_certificates(BytesView pem_or_der);

// For a file given where certificates are expected: when `data` plainly is something else
// (empty, a private key or other PEM without a CERTIFICATE block, text, bytes that are not
// DER), an Errc::usage error naming `path` and what it holds; ok when it may be certificates.
Result<void> check_holds_certificates(BytesView data, const std::string& path);

// The TBS signature of `cert` checked against `issuer_key`.
Result<void> verify_signature(const Certificate& cert, const crypto::PublicKey& issuer_key);

struct RevokedEntry {
  BytesView serial;
  int64_t revocation_date = 0;
  std::optional<uint8_t> reason;
  std::vector<Extension> extensions;  // crlEntryExtensions, in order (certificateIssuer, ...)
};

struct Crl {
  Bytes der;
  BytesView tbs;
  int version = 1;
  crypto::SignatureAlgorithm signature_algorithm;
  std::string signature_algorithm_error;  // as for Certificate
  BytesView signature;
  Name issuer;
  int64_t this_update = 0;
  std::optional<int64_t> next_update;
  std::vector<RevokedEntry> revoked;
  std::vector<Extension> extensions;
  BytesView crl_number;             // INTEGER contents, empty if absent
  BytesView authority_key_id;
  bool is_delta = false;            // deltaCRLIndicator present
  bool has_issuing_distribution_point = false;

  Crl() = default;
  Crl(Crl&&) = default;
  Crl& operator=(Crl&&) = default;
  Crl(const Crl&) = delete;
  Crl& operator=(const Crl&) = delete;
};

Result<std::shared_ptr<const Crl>> parse_crl(BytesView der);
Result<std::vector<std::shared_ptr<const Crl>>> parse_crls(BytesView pem_or_der);
Result<void> verify_signature(const Crl& crl, const crypto::PublicKey& issuer_key);

// Private keys from PEM (PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE KEY", PKCS#1
// "RSA PRIVATE KEY") or DER. Encrypted keys are refused with a message saying so.
Result<std::unique_ptr<crypto::PrivateKey>> parse_private_key(BytesView pem_or_der);

}  // namespace tern::x509
