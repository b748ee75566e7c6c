// SPDX-License-Identifier: Apache-2.0
// The checks of one certificate, independent of the path it sits in: the rules for every
// certificate, then those of a leaf (check_leaf) and of a CA (check_ca), and the details of
// the steps they pass for PathOptions::on_step. verify.cpp's path builder calls them.
#include <algorithm>
#include <utility>

#include "base/encoding.h"
#include "base/reader.h"
#include "x509/hostname.h"
#include "x509/verify.h"
#include "x509/verify_util.h"
#include "x509/web_profile.h"

namespace tern::x509 {
namespace {

using base::Reader;

// --- Checks on one certificate, independent of the path it sits in. ---------------------

// The fields of authorityKeyIdentifier that the web PKI cares about.
struct AkiFields {
  bool well_formed = false;
  bool key_id = false, cert_issuer = false, cert_serial = false;
};

AkiFields parse_aki(BytesView value) {
  AkiFields out;
  Reader outer(value);
  Reader seq;
  if (!outer.der(base::der::kSequence, seq) || !outer.empty()) return out;
  while (!seq.empty()) {
    uint8_t tag;
    BytesView contents;
    if (!seq.der_any(tag, contents)) return out;
    if (tag == base::der::context(0, false))
      out.key_id = true;
    else if (tag == base::der::context(1, true))
      out.cert_issuer = true;
    else if (tag == base::der::context(2, false))
      out.cert_serial = true;
    else
      return out;
  }
  out.well_formed = true;
  return out;
}

// authorityInfoAccess: SEQUENCE SIZE (1..MAX) OF SEQUENCE { OID, GeneralName }.
bool aia_well_formed(BytesView value) {
  Reader outer(value);
  Reader seq;
  if (!outer.der(base::der::kSequence, seq) || !outer.empty() || seq.empty()) return false;
  while (!seq.empty()) {
    Reader desc;
    BytesView method, location;
    uint8_t tag;
    if (!seq.der(base::der::kSequence, desc) || !desc.der(base::der::kOid, method) ||
        !desc.der_any(tag, location) || !desc.empty()) {
      return false;
    }
  }
  return true;
}

Result<void> check_serial(const Certificate& cert) {
  BytesView serial = cert.serial;
  if (serial.empty()) return reject(who(cert) + " has an empty serial number");
  if (serial[0] & 0x80) {
    return reject(who(cert) + " has a negative serial number (" + base::hex_colon(serial) +
                  "); RFC 5280 requires a positive one");
  }
  if (std::all_of(serial.begin(), serial.end(), [](uint8_t b) { return b == 0; })) {
    return reject(who(cert) + " has serial number zero; RFC 5280 requires a positive one");
  }
  size_t octets = serial.size() - (serial[0] == 0 ? 1 : 0);
  if (octets > 20) {
    return reject(who(cert) + " has a " + std::to_string(octets) +
                  "-octet serial number; RFC 5280 allows at most 20");
  }
  return ok();
}

Result<void> check_validity(const Certificate& cert, int64_t time) {
  if (time < cert.not_before) {
    return reject(who(cert) + " is not valid until " + format_time(cert.not_before) +
                      " (checked at " + format_time(time) + ")",
                  Alert::certificate_expired);
  }
  if (time > cert.not_after) {
    return reject(who(cert) + " expired on " + format_time(cert.not_after) + " (checked at " +
                      format_time(time) + ")",
                  Alert::certificate_expired);
  }
  return ok();
}

Result<void> check_name_constraints_syntax(const Certificate& cert, const NameConstraints& nc) {
  if (nc.permitted.empty() && nc.excluded.empty()) {
    return reject(who(cert) + " has a nameConstraints extension with neither permitted nor " +
                  "excluded subtrees");
  }
  for (const auto* list : {&nc.permitted, &nc.excluded}) {
    for (const auto& subtree : *list) {
      const auto& base = subtree.base;
      bool valid = true;
      if (base.type == GeneralName::Type::dns) valid = dns_constraint_valid(as_chars(base.value));
      if (base.type == GeneralName::Type::email) {
        valid = email_constraint_valid(as_chars(base.value));
      }
      if (base.type == GeneralName::Type::ip) {
        Bytes both(base.value.begin(), base.value.end());
        both.insert(both.end(), subtree.ip_mask.begin(), subtree.ip_mask.end());
        valid = ip_constraint_valid(both);
      }
      if (!valid) {
        return reject(who(cert) + " has a malformed name constraint " +
                      general_name_to_string(base) +
                      (base.type == GeneralName::Type::ip ? " (not an address and mask)" : ""));
      }
    }
  }
  return ok();
}

}  // namespace

// --- Details of the steps for PathOptions::on_step (report() is in verify_util.h). -----

std::string validity_detail(const Certificate& cert, int64_t time) {
  return "valid from " + format_time(cert.not_before) + " to " + format_time(cert.not_after) +
         "; checked at " + format_time(time);
}

namespace {

std::string usage_detail(const Certificate& cert) {
  static const std::pair<uint16_t, const char*> kUsages[] = {
      {kDigitalSignature, "digitalSignature"}, {kNonRepudiation, "nonRepudiation"},
      {kKeyEncipherment, "keyEncipherment"},   {kDataEncipherment, "dataEncipherment"},
      {kKeyAgreement, "keyAgreement"},         {kKeyCertSign, "keyCertSign"},
      {kCrlSign, "cRLSign"},                   {kEncipherOnly, "encipherOnly"},
      {kDecipherOnly, "decipherOnly"}};
  std::string out = "keyUsage ";
  if (!cert.key_usage) {
    out += "absent (any)";
  } else {
    std::string list;
    for (const auto& [bit, label] : kUsages)
      if (*cert.key_usage & bit) list += (list.empty() ? "" : ", ") + std::string(label);
    out += list;
  }
  out += "; extendedKeyUsage ";
  if (!cert.extended_key_usage) return out + "absent (any)";
  std::string list;
  for (Oid id : *cert.extended_key_usage) {
    const char* label = oid::name(id);
    list += (list.empty() ? "" : ", ") + (label ? std::string(label) : oid::to_string(id));
  }
  return out + list;
}

std::string name_detail(const Certificate& cert, std::string_view reference) {
  auto ip = parse_ip_literal(reference);
  for (const auto& san : cert.subject_alt_names) {
    bool match = ip ? san.type == GeneralName::Type::ip && equal(san.value, *ip)
                    : san.type == GeneralName::Type::dns &&
                          dns_name_matches(as_chars(san.value), reference);
    if (match)
      return std::string(reference) + " matches subjectAltName " + general_name_to_string(san);
  }
  return std::string(reference) + " is covered by the subjectAltName";
}

}  // namespace

std::string issuer_detail(const Certificate& cert) {
  std::string out = "a CA: basicConstraints cA=TRUE";
  if (cert.basic_constraints && cert.basic_constraints->path_len)
    out += ", pathLenConstraint " + std::to_string(*cert.basic_constraints->path_len);
  out += cert.key_usage ? ", keyUsage keyCertSign" : ", no keyUsage (any)";
  return out;
}

std::string signature_detail(const Certificate& child, const Certificate& issuer) {
  return crypto::signature_algorithm_name(child.signature_algorithm) + " signature by " +
         issuer.subject.to_string() + " verifies with its " +
         (issuer.public_key ? crypto::key_type_name(issuer.public_key->type()) : "") + " key";
}

namespace {

// Rules for every certificate, whatever its place. On a rejection, `failed` says which
// check it was (for PathOptions::on_step); the same in the other check_* functions.
Result<void> check_common(const Certificate& cert, Role role, const PathOptions& options,
                          VerifyCheck& failed) {
  failed = VerifyCheck::profile;
  if (cert.version != 3) {
    return reject(who(cert) + " is an X.509 version " + std::to_string(cert.version) +
                      " certificate; only version 3 is accepted",
                  Alert::unsupported_certificate);
  }
  // Trust anchors are exempt: some long-lived roots (Go Daddy and Starfield Class 2) have
  // serial number zero, and the anchor is trusted as given.
  if (role != Role::anchor) TERN_CHECK(check_serial(cert));
  if (role != Role::anchor && cert.issuer.empty())
    return reject(who(cert) + " has an empty issuer name");
  if (role != Role::anchor && cert.signature_algorithm.kind != crypto::SigKind::ed25519 &&
      cert.signature_algorithm.hash == crypto::Hash::sha1) {
    return reject(who(cert) + " is signed with " +
                      crypto::signature_algorithm_name(cert.signature_algorithm) +
                      "; SHA-1 signatures are no longer accepted",
                  Alert::unsupported_certificate);
  }
  if (!cert.unknown_critical_extensions.empty()) {
    return reject(who(cert) + " has the critical extension " +
                      oid::describe(cert.unknown_critical_extensions.front()) +
                      ", which tern does not know, so the certificate cannot be used (RFC " +
                      "5280 §4.2)",
                  Alert::unsupported_certificate);
  }
  // Before the key verifies anything: its size bounds what a signature check costs.
  TERN_CHECK(check_key_limits(cert, options.profile));
  if (!cert.public_key) {
    return reject(who(cert) + " has an unusable public key: " +
                      (cert.public_key_error.empty() ? std::string("unsupported key")
                                                     : cert.public_key_error),
                  Alert::unsupported_certificate);
  }
  if (cert.key_usage && *cert.key_usage == 0) {
    return reject(who(cert) + " has a keyUsage extension with no usage set");
  }
  // A trust anchor is trusted because it is in the store, whatever its own issuer and
  // authorityKeyIdentifier say (RFC 5280 §6.1.1 (d): only its name and key are inputs).
  const auto* aki = role == Role::anchor ? nullptr : find_extension(cert, oid::kAuthorityKeyId);
  if (aki) {
    if (aki->critical) return reject(who(cert) + " has a critical authorityKeyIdentifier");
    AkiFields fields = parse_aki(aki->value);
    if (!fields.well_formed || !fields.key_id) {
      return reject(who(cert) + " has an authorityKeyIdentifier without a keyIdentifier");
    }
    if (fields.cert_issuer || fields.cert_serial) {
      return reject(who(cert) + " has an authorityKeyIdentifier with authorityCertIssuer or " +
                    "authorityCertSerialNumber, which the web PKI forbids");
    }
  }
  if (const auto* ski = find_extension(cert, oid::kSubjectKeyId); ski && ski->critical) {
    return reject(who(cert) + " has a critical subjectKeyIdentifier");
  }
  for (const Bytes* must_be_critical : {&oid::kPolicyConstraints, &oid::kInhibitAnyPolicy}) {
    if (const auto* ext = find_extension(cert, *must_be_critical); ext && !ext->critical) {
      return reject(who(cert) + " has a non-critical " + oid::describe(*must_be_critical) +
                    " extension, which RFC 5280 requires to be critical");
    }
  }
  if (const auto* aia = find_extension(cert, oid::kAuthorityInfoAccess)) {
    if (aia->critical) return reject(who(cert) + " has a critical authorityInfoAccess");
    if (!aia_well_formed(aia->value)) {
      return reject(who(cert) + " has a malformed authorityInfoAccess extension");
    }
  }
  // Every certificate on the path, the anchor included, must be valid now.
  failed = VerifyCheck::validity;
  return check_validity(cert, options.time);
}

}  // namespace

Result<void> check_leaf(const Certificate& cert, const PathOptions& options, VerifyCheck& failed) {
  TERN_CHECK(check_common(cert, Role::leaf, options, failed));
  report(options, VerifyCheck::validity, 0, cert, [&] { return validity_detail(cert, options.time); });
  failed = VerifyCheck::key_usage;
  bool key_cert_sign = cert.key_usage && (*cert.key_usage & kKeyCertSign);
  if (is_ca(cert) && options.purpose == Purpose::server) {
    return reject(who(cert) + " is a CA certificate (basicConstraints cA=TRUE); a TLS " +
                  "server must present an end-entity certificate (cA=FALSE) issued by the CA; " +
                  "`tern ca issue` makes one");
  }
  if (is_ca(cert) && !key_cert_sign) {
    return reject(who(cert) + " is a CA certificate (basicConstraints cA=TRUE) without " +
                  "keyCertSign; a CA certificate cannot be used as an end-entity certificate");
  }
  if (!is_ca(cert) && key_cert_sign) {
    return reject(who(cert) + " asserts keyCertSign in keyUsage but is not a CA " +
                  "(basicConstraints cA is not TRUE)");
  }
  failed = VerifyCheck::profile;
  if (find_extension(cert, oid::kNameConstraints)) {
    return reject(who(cert) + " is an end-entity certificate with a nameConstraints " +
                  "extension, which only CA certificates may carry");
  }
  const auto* san = find_extension(cert, oid::kSubjectAltName);
  if (san && san->critical && !cert.subject.empty()) {
    return reject(who(cert) + " marks subjectAltName critical although its subject is not " +
                  "empty (CA/Browser Forum 7.1.2.7.12)");
  }
  if (cert.subject.empty() && (!san || !san->critical)) {
    return reject(who(cert) + " has an empty subject, so RFC 5280 requires a critical " +
                  "subjectAltName extension");
  }
  if (options.purpose == Purpose::server && options.profile == VerifyProfile::web)
    TERN_CHECK(check_web_leaf_names(cert));
  failed = VerifyCheck::key_usage;
  if (options.purpose == Purpose::server) {
    TERN_CHECK(check_server_eku(cert, options.profile));
  } else if (cert.extended_key_usage && !has_eku(cert, oid::kEkuClientAuth) &&
             !has_eku(cert, oid::kEkuAny)) {
    return reject(
        who(cert) + " is not valid for TLS clients: its extendedKeyUsage lacks " + "clientAuth",
        Alert::unsupported_certificate);
  }
  report(options, VerifyCheck::key_usage, 0, cert, [&] { return usage_detail(cert); });
  failed = VerifyCheck::name;
  if (!options.reference.empty()) {
    TERN_CHECK(check_reference_identity(cert, options.reference));
    report(options, VerifyCheck::name, 0, cert, [&] { return name_detail(cert, options.reference); });
  }
  return ok();
}

Result<void> check_ca(const Certificate& cert, Role role, const PathOptions& options,
                      VerifyCheck& failed) {
  TERN_CHECK(check_common(cert, role, options, failed));
  failed = VerifyCheck::issuer;
  const char* what = role == Role::anchor ? " (a trust anchor)" : " (an intermediate)";
  if (!cert.basic_constraints) {
    return reject(who(cert) + what + " has no basicConstraints extension, so it may not issue " +
                  "certificates");
  }
  if (!cert.basic_constraints->ca) {
    return reject(who(cert) + what + " is not a CA: basicConstraints cA is not TRUE");
  }
  if (const auto* bc = find_extension(cert, oid::kBasicConstraints); bc && !bc->critical) {
    return reject(who(cert) + what + " has a non-critical basicConstraints extension; RFC " +
                  "5280 requires CA certificates to mark it critical");
  }
  if (cert.key_usage && !(*cert.key_usage & kKeyCertSign)) {
    return reject(who(cert) + what + " has a keyUsage without keyCertSign, so it may not sign " +
                  "certificates");
  }
  failed = VerifyCheck::profile;
  if (cert.subject.empty()) return reject(who(cert) + what + " has an empty subject name");
  failed = VerifyCheck::issuer;
  if (cert.extended_key_usage) {
    // (An intermediate in the store is held to the intermediates' rule below.)
    if (role == Role::anchor && cert.self_issued() && options.profile == VerifyProfile::web) {
      return reject(who(cert) + what + " carries an extendedKeyUsage extension, which root " +
                    "certificates must not (CA/Browser Forum 7.1.2.1)");
    }
    const Bytes& wanted =
        options.purpose == Purpose::server ? oid::kEkuServerAuth : oid::kEkuClientAuth;
    if (!has_eku(cert, wanted) && !has_eku(cert, oid::kEkuAny)) {
      return reject(who(cert) + what + " restricts its extendedKeyUsage and does not allow " +
                        (options.purpose == Purpose::server ? "serverAuth" : "clientAuth"),
                    Alert::unsupported_certificate);
    }
  }
  failed = VerifyCheck::profile;
  if (cert.name_constraints)
    TERN_CHECK(check_name_constraints_syntax(cert, *cert.name_constraints));
  return ok();
}

}  // namespace tern::x509
