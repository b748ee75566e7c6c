// SPDX-License-Identifier: Apache-2.0
#include "x509/verify.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "base/encoding.h"
#include "base/reader.h"
#include "x509/hostname.h"
#include "x509/revocation.h"
#include "x509/verify_util.h"
#include "x509/web_profile.h"

namespace tern::x509 {
namespace {

using base::Reader;

enum class Role : uint8_t { leaf, intermediate, anchor };

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

// --- Steps for PathOptions::on_step: formatted only when someone listens. -------------

template <typename Detail>
void report(const PathOptions& options, VerifyCheck check, size_t depth, const Certificate& cert,
            const Detail& detail) {
  if (options.on_step) options.on_step(PathStep{check, true, depth, &cert, detail()});
}

std::string validity_detail(const Certificate& cert, int64_t time) {
  return "valid from " + format_time(cert.not_before) + " to " + format_time(cert.not_after) +
         "; checked at " + format_time(time);
}

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

// --- Checks that need the whole path. --------------------------------------------------

bool name_form_supported(GeneralName::Type type) {
  return type == GeneralName::Type::dns || type == GeneralName::Type::ip ||
         type == GeneralName::Type::email || type == GeneralName::Type::directory;
}

bool in_subtree(const GeneralName& name, const GeneralSubtree& subtree, bool excluded_check) {
  const auto& base = subtree.base;
  switch (name.type) {
    case GeneralName::Type::dns: {
      std::string_view dns = as_chars(name.value);
      if (dns.size() > 2 && dns.substr(0, 2) == "*.") {
        return excluded_check ? wildcard_meets_subtree(dns, as_chars(base.value))
                              : wildcard_within_subtree(dns, as_chars(base.value));
      }
      return dns_in_subtree(dns, as_chars(base.value));
    }
    case GeneralName::Type::ip: {
      Bytes both(base.value.begin(), base.value.end());
      both.insert(both.end(), subtree.ip_mask.begin(), subtree.ip_mask.end());
      return ip_in_subtree(name.value, both);
    }
    case GeneralName::Type::email:
      return email_in_subtree(as_chars(name.value), as_chars(base.value));
    case GeneralName::Type::directory:
      return name.directory && base.directory &&
             directory_in_subtree(*name.directory, *base.directory);
    default:
      return false;
  }
}

bool name_well_formed(const GeneralName& name) {
  switch (name.type) {
    case GeneralName::Type::dns:
      return is_valid_dns_name(as_chars(name.value), true);
    case GeneralName::Type::ip:
      return name.value.size() == 4 || name.value.size() == 16;
    case GeneralName::Type::email:
      return email_valid(as_chars(name.value));
    default:
      return true;
  }
}

Result<void> check_name_against(const Certificate& cert, const GeneralName& name,
                                const Certificate& ca, const NameConstraints& nc) {
  auto describe = [&] { return general_name_to_string(name); };
  bool any_of_type = false, permitted = false;
  for (const auto& subtree : nc.excluded) {
    if (subtree.base.type != name.type) continue;
    if (!name_form_supported(name.type)) {
      return reject(who(cert) + " has the name " + describe() + ", whose form the name " +
                    "constraints of " + ca.display_name() + " restrict and tern cannot check");
    }
    if (!name_well_formed(name) || in_subtree(name, subtree, true)) {
      return reject(who(cert) + " has the name " + describe() + ", which the name " +
                    "constraints of " + ca.display_name() + " exclude (" +
                    general_name_to_string(subtree.base) + ")");
    }
  }
  for (const auto& subtree : nc.permitted) {
    if (subtree.base.type != name.type) continue;
    if (!name_form_supported(name.type)) {
      return reject(who(cert) + " has the name " + describe() + ", whose form the name " +
                    "constraints of " + ca.display_name() + " restrict and tern cannot check");
    }
    any_of_type = true;
    if (name_well_formed(name) && in_subtree(name, subtree, false)) permitted = true;
  }
  if (any_of_type && !permitted) {
    return reject(who(cert) + " has the name " + describe() + ", which is outside the " +
                  "subtrees permitted by the name constraints of " + ca.display_name());
  }
  return ok();
}

Result<void> check_name_constraints(const Certificate& cert, const Certificate& ca,
                                    const NameConstraints& nc) {
  for (const auto& san : cert.subject_alt_names) TERN_CHECK(check_name_against(cert, san, ca, nc));
  if (!cert.subject.empty()) {
    GeneralName subject;
    subject.type = GeneralName::Type::directory;
    subject.value = cert.subject.der;
    subject.directory = cert.subject;
    TERN_CHECK(check_name_against(cert, subject, ca, nc));
    // RFC 5280 §4.2.1.10: emailAddress attributes of the subject are rfc822 names too.
    for (const auto& rdn : cert.subject.rdns) {
      for (const auto& attr : rdn) {
        if (!equal(attr.type, oid::kEmailAddress)) continue;
        GeneralName email;
        email.type = GeneralName::Type::email;
        email.value = attr.value;
        TERN_CHECK(check_name_against(cert, email, ca, nc));
      }
    }
  }
  return ok();
}

// RFC 5280 §4.2.1.1/§4.2.1.2: a certificate names its issuer's key by the issuer's
// subjectKeyIdentifier. Checked per link so that issuers without any key identifiers (old
// toolchains) still chain, while a link that breaks the identifiers is refused.
Result<void> check_key_identifiers(const Certificate& child, const Certificate& issuer) {
  bool child_names_key = !child.authority_key_id.empty();
  if (child_names_key && issuer.subject_key_id.empty()) {
    return reject("certificate " + issuer.display_name() + " has no subjectKeyIdentifier " +
                  "although " + who(child) + " identifies its key by authorityKeyIdentifier; " +
                  "RFC 5280 requires the extension in CA certificates");
  }
  if (!child_names_key && !child.self_issued() && !issuer.subject_key_id.empty()) {
    return reject(who(child) + " has no authorityKeyIdentifier, which RFC 5280 requires in " +
                  "every certificate that is not self-signed (its issuer " + issuer.display_name() +
                  " has a subjectKeyIdentifier)");
  }
  return ok();
}

Result<void> check_path_lengths(const std::vector<const Certificate*>& path) {
  // For the CA at index i, the certificates below it that count are the non-self-issued
  // intermediates at indices 1..i-1 (the leaf never counts).
  size_t below = 0;
  for (size_t i = 1; i < path.size(); ++i) {
    const Certificate& ca = *path[i];
    if (ca.basic_constraints && ca.basic_constraints->path_len &&
        below > *ca.basic_constraints->path_len) {
      return reject("certificate " + ca.display_name() + " allows at most " +
                    std::to_string(*ca.basic_constraints->path_len) +
                    " intermediate CA certificate(s) below it (pathLenConstraint) but the path " +
                    "has " + std::to_string(below));
    }
    if (!ca.self_issued()) ++below;
  }
  return ok();
}

}  // namespace

// --- Path building. --------------------------------------------------------------------

namespace {

class PathBuilder {
 public:
  PathBuilder(const Certificate& leaf, const std::vector<const Certificate*>& intermediates,
              const std::vector<const Certificate*>& anchors, const std::vector<const Crl*>& crls,
              const PathOptions& options, const PathBudget& budget, PathStats& stats)
      : leaf_(leaf),
        intermediates_(intermediates),
        anchors_(anchors),
        options_(options),
        budget_(budget),
        stats_(stats),
        revocation_(crls, options.time) {}

  Result<ValidatedPath> run() {
    VerifyCheck failed = VerifyCheck::profile;
    if (auto leaf = check_leaf(leaf_, options_, failed); !leaf) {
      fail_step(failed, 0, leaf_, leaf.error());
      return std::move(leaf).error();
    }
    // A leaf that is itself trusted needs no issuer.
    for (size_t i = 0; i < anchors_.size(); ++i) {
      if (equal(anchors_[i]->der, leaf_.der)) {
        report(options_, VerifyCheck::anchor, 0, leaf_, [] { return "the leaf itself is trusted"; });
        return ValidatedPath{{&leaf_}, i};
      }
    }
    std::vector<const Certificate*> path{&leaf_};
    if (auto found = extend(path)) {
      report_links(found->certificates, found->certificates.size());
      report(options_, VerifyCheck::anchor, found->certificates.size() - 1,
             *found->certificates.back(), [] { return "in the trust store"; });
      return std::move(*found);
    }
    if (stats_.budget_exhausted) {
      std::string found = best_score_ >= 0
                              ? "; the most specific problem seen: " + best_error_.detail
                              : std::string();
      Error gave_up = reject("gave up building a path for " + who(leaf_) + " after " +
                                 std::to_string(stats_.signature_checks) +
                                 " signature checks and " + std::to_string(stats_.candidates) +
                                 " candidate issuers: the intermediates given form too many " +
                                 "alternatives" + found,
                             Alert::unknown_ca);
      fail_step(VerifyCheck::anchor, 0, leaf_, gave_up);
      return gave_up;
    }
    if (best_score_ >= 0) {
      report_best_failure();
      return best_error_;
    }
    Error none = reject("no path to a trusted root for " + who(leaf_), Alert::unknown_ca);
    fail_step(VerifyCheck::anchor, 0, leaf_, none);
    return none;
  }

 private:
  // `path` is the path being built when the problem was seen; `candidate` the issuer tried
  // (null when the problem is not about one); `check` the check that failed.
  void record(Error error, int score, VerifyCheck check, const std::vector<const Certificate*>& path,
              const Certificate* candidate = nullptr) {
    if (score > best_score_) {
      best_score_ = score;
      best_error_ = std::move(error);
      if (options_.on_step) {
        best_check_ = check;
        best_path_ = path;
        best_candidate_ = candidate;
      }
    }
  }

  void fail_step(VerifyCheck check, size_t depth, const Certificate& cert, const Error& error) const {
    if (options_.on_step) options_.on_step(PathStep{check, false, depth, &cert, error.detail});
  }

  // The steps of path[1..n-1] that passed: each issuer's validity, that it is a CA, and the
  // signature it made on the certificate below it.
  void report_links(const std::vector<const Certificate*>& path, size_t n) const {
    if (!options_.on_step) return;
    for (size_t i = 1; i < n && i < path.size(); ++i) report_issuer(path, i, *path[i]);
  }

  void report_issuer(const std::vector<const Certificate*>& path, size_t i,
                     const Certificate& issuer) const {
    report(options_, VerifyCheck::validity, i, issuer,
           [&] { return validity_detail(issuer, options_.time); });
    report(options_, VerifyCheck::issuer, i, issuer, [&] { return issuer_detail(issuer); });
    report(options_, VerifyCheck::signature, i - 1, *path[i - 1],
           [&] { return signature_detail(*path[i - 1], issuer); });
  }

  // The path that came closest, the checks it passed, and the one that failed.
  void report_best_failure() const {
    if (!options_.on_step || best_path_.empty()) return;
    report_links(best_path_, best_path_.size());
    size_t depth = best_path_.size();
    const Certificate& last = *best_path_.back();
    if (!best_candidate_) {
      // No issuer found, too many intermediates, or a path-wide rule on a complete path.
      bool complete = best_check_ == VerifyCheck::path && best_path_.size() > 1 &&
                      std::find(anchors_.begin(), anchors_.end(), &last) != anchors_.end();
      if (complete)
        report(options_, VerifyCheck::anchor, depth - 1, last, [] { return "in the trust store"; });
      fail_step(best_check_, depth - 1, last, best_error_);
      return;
    }
    const Certificate& candidate = *best_candidate_;
    if (best_check_ == VerifyCheck::signature) {
      report(options_, VerifyCheck::validity, depth, candidate,
             [&] { return validity_detail(candidate, options_.time); });
      report(options_, VerifyCheck::issuer, depth, candidate, [&] { return issuer_detail(candidate); });
      fail_step(VerifyCheck::signature, depth - 1, last, best_error_);
      return;
    }
    if (best_check_ != VerifyCheck::validity && best_check_ != VerifyCheck::profile)
      report(options_, VerifyCheck::validity, depth, candidate,
             [&] { return validity_detail(candidate, options_.time); });
    fail_step(best_check_, depth, candidate, best_error_);
  }

  bool over_budget() {
    if (stats_.signature_checks >= budget_.max_signature_checks ||
        stats_.candidates >= budget_.max_candidates) {
      stats_.budget_exhausted = true;
    }
    return stats_.budget_exhausted;
  }

  Result<void> signed_by(const Certificate& child, const Certificate& issuer) {
    auto key = std::make_pair(&child, &issuer);
    auto it = signature_cache_.find(key);
    if (it == signature_cache_.end()) {
      Result<void> result = ok();
      if (!issuer.public_key) {
        result =
            reject("cannot check the signature of " + who(child) + ": the key of " +
                       issuer.display_name() + " is unusable (" + issuer.public_key_error + ")",
                   Alert::unsupported_certificate);
      } else {
        ++stats_.signature_checks;
        auto verified = verify_signature(child, *issuer.public_key);
        if (!verified) {
          result = reject("the signature of " + who(child) + " does not verify with the key " +
                          "of " + issuer.display_name() + " (" + verified.error().detail + ")");
        }
      }
      it = signature_cache_.emplace(key, std::move(result)).first;
    }
    return it->second;
  }

  // The result of check_ca, and the check that failed.
  const std::pair<Result<void>, VerifyCheck>& static_check(const Certificate& cert, Role role) {
    auto& cache = role == Role::anchor ? anchor_checks_ : intermediate_checks_;
    auto it = cache.find(&cert);
    if (it == cache.end()) {
      VerifyCheck failed = VerifyCheck::profile;
      Result<void> checked = check_ca(cert, role, options_, failed);
      it = cache.emplace(&cert, std::make_pair(std::move(checked), failed)).first;
    }
    return it->second;
  }

  static bool same_entity(const Certificate& a, const Certificate& b) {
    return equal(a.der, b.der) || (names_match(a.subject, b.subject) && equal(a.spki, b.spki));
  }

  bool is_anchor(const Certificate& cert) const {
    return std::any_of(anchors_.begin(), anchors_.end(),
                       [&](const Certificate* anchor) { return same_entity(*anchor, cert); });
  }

  // RFC 5280 §6.1.4 (l): self-issued intermediates (key rollover) do not count.
  static size_t counted_intermediates(const std::vector<const Certificate*>& path) {
    return static_cast<size_t>(std::count_if(path.begin() + 1, path.end(), [](const Certificate* c) {
      return !c->self_issued();
    }));
  }

  static bool in_path(const std::vector<const Certificate*>& path, const Certificate& cert) {
    return std::any_of(path.begin(), path.end(),
                       [&](const Certificate* p) { return same_entity(*p, cert); });
  }

  // Candidates whose subject is the child's issuer, those whose subjectKeyIdentifier
  // agrees with the child's authorityKeyIdentifier first.
  std::vector<const Certificate*> candidates(const Certificate& child,
                                             const std::vector<const Certificate*>& pool) const {
    std::vector<const Certificate*> out;
    for (const auto* cert : pool) {
      if (names_match(cert->subject, child.issuer)) out.push_back(cert);
    }
    auto agrees = [&](const Certificate* c) {
      return !child.authority_key_id.empty() && equal(c->subject_key_id, child.authority_key_id);
    };
    std::stable_partition(out.begin(), out.end(), agrees);
    return out;
  }

  Result<void> validate(const std::vector<const Certificate*>& path) {
    ++stats_.paths_validated;
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      TERN_CHECK(check_key_identifiers(*path[i], *path[i + 1]));
    }
    TERN_CHECK(check_path_lengths(path));
    for (size_t i = 1; i < path.size(); ++i) {
      const Certificate& ca = *path[i];
      if (!ca.name_constraints) continue;
      for (size_t j = 0; j < i; ++j) {
        // Self-issued intermediates are exempt (key rollover), the leaf never is.
        if (j > 0 && path[j]->self_issued()) continue;
        TERN_CHECK(check_name_constraints(*path[j], ca, *ca.name_constraints));
      }
    }
    if (options_.check_revocation) {
      for (size_t i = 0; i + 1 < path.size(); ++i) {
        TERN_CHECK(revocation_.check(*path[i], *path[i + 1]));
      }
    }
    return ok();
  }

  std::optional<ValidatedPath> extend(std::vector<const Certificate*>& path) {
    const Certificate& child = *path.back();
    int depth = static_cast<int>(path.size());
    auto anchor_candidates = candidates(child, anchors_);
    auto intermediate_candidates = candidates(child, intermediates_);
    bool any = false;

    for (const auto* anchor : anchor_candidates) {
      if (over_budget()) return std::nullopt;
      ++stats_.candidates;
      if (path.size() > 1 && in_path(path, *anchor) && !equal(anchor->der, child.der)) continue;
      if (equal(anchor->der, child.der)) continue;  // the child is itself an anchor copy
      any = true;
      if (const auto& [checked, failed] = static_check(*anchor, Role::anchor); !checked) {
        record(checked.error(), 4 * depth + 1, failed, path, anchor);
        continue;
      }
      if (auto sig = signed_by(child, *anchor); !sig) {
        record(sig.error(), 4 * depth, VerifyCheck::signature, path, anchor);
        continue;
      }
      path.push_back(anchor);
      auto valid = validate(path);
      if (valid) {
        size_t index = static_cast<size_t>(std::find(anchors_.begin(), anchors_.end(), anchor) -
                                           anchors_.begin());
        return ValidatedPath{path, index};
      }
      record(std::move(valid).error(), 1000 + 4 * depth + 3, VerifyCheck::path, path);
      path.pop_back();
    }

    for (const auto* candidate : intermediate_candidates) {
      if (over_budget()) return std::nullopt;
      ++stats_.candidates;
      if (in_path(path, *candidate)) continue;
      // A certificate that is in the store was tried as an anchor above: building stops there.
      if (is_anchor(*candidate)) continue;
      any = true;
      if (!candidate->self_issued() && counted_intermediates(path) >= options_.max_intermediates) {
        record(reject("the path from " + who(leaf_) + " would need more than " +
                          std::to_string(options_.max_intermediates) +
                          " intermediate certificates that are not self-issued (the --max-depth " +
                          "limit)",
                      Alert::unknown_ca),
               4 * depth + 1, VerifyCheck::path, path);
        continue;
      }
      if (const auto& [checked, failed] = static_check(*candidate, Role::intermediate); !checked) {
        record(checked.error(), 4 * depth + 2, failed, path, candidate);
        continue;
      }
      if (auto sig = signed_by(child, *candidate); !sig) {
        record(sig.error(), 4 * depth, VerifyCheck::signature, path, candidate);
        continue;
      }
      path.push_back(candidate);
      if (auto found = extend(path)) return found;
      path.pop_back();
    }

    if (!any) {
      std::string given = std::to_string(intermediates_.size()) + " intermediate" +
                          (intermediates_.size() == 1 ? "" : "s");
      std::string subject = child.display_name();
      record(
          reject("no path to a trusted root: " + subject + "'s issuer " + child.issuer.to_string() +
                     " is not in the trust store and was not " + "among the " + given + " given",
                 Alert::unknown_ca),
          4 * depth - 1, VerifyCheck::anchor, path);
    }
    return std::nullopt;
  }

  const Certificate& leaf_;
  const std::vector<const Certificate*>& intermediates_;
  const std::vector<const Certificate*>& anchors_;
  const PathOptions& options_;
  const PathBudget& budget_;
  PathStats& stats_;
  RevocationChecker revocation_;

  std::map<std::pair<const Certificate*, const Certificate*>, Result<void>> signature_cache_;
  std::unordered_map<const Certificate*, std::pair<Result<void>, VerifyCheck>> anchor_checks_,
      intermediate_checks_;
  Error best_error_;
  int best_score_ = -1;
  // Only with options_.on_step: where best_error_ was seen (record()).
  VerifyCheck best_check_ = VerifyCheck::anchor;
  std::vector<const Certificate*> best_path_;
  const Certificate* best_candidate_ = nullptr;
};

}  // namespace

Result<ValidatedPath> build_and_validate(const Certificate& leaf,
                                         const std::vector<const Certificate*>& intermediates,
                                         const std::vector<const Certificate*>& anchors,
                                         const std::vector<const Crl*>& crls,
                                         const PathOptions& options, const PathBudget& budget,
                                         PathStats* stats) {
  PathStats local;
  PathBuilder builder(leaf, intermediates, anchors, crls, options, budget, stats ? *stats : local);
  return builder.run();
}

std::string format_time(int64_t unix_seconds) {
  // Civil date from days since 1970 (Howard Hinnant's algorithm).
  int64_t days = unix_seconds / 86400, secs = unix_seconds % 86400;
  if (secs < 0) secs += 86400, --days;
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t year = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t day = doy - (153 * mp + 2) / 5 + 1;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  if (month <= 2) ++year;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld UTC",
                static_cast<long long>(year), static_cast<long long>(month),
                static_cast<long long>(day), static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

}  // namespace tern::x509
