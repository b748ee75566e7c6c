// SPDX-License-Identifier: Apache-2.0
// The checks that need the whole path: name constraints (RFC 5280 §4.2.1.10), the key
// identifiers that link each certificate to its issuer, and path lengths. verify.cpp's path
// builder runs them on each complete candidate path.
#include <string>
#include <vector>

#include "x509/hostname.h"
#include "x509/verify.h"
#include "x509/verify_util.h"

namespace tern::x509 {
namespace {

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

}  // namespace

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

}  // namespace tern::x509
