// SPDX-License-Identifier: Apache-2.0
#include "x509/revocation.h"

#include <algorithm>

#include "base/encoding.h"
#include "base/reader.h"
#include "x509/verify.h"

namespace tern::x509 {
namespace {

using base::Reader;
namespace der = base::der;

Error unusable(std::string why) {
  return Error(Errc::certificate, std::move(why), Alert::certificate_unknown);
}

const Extension* find(const std::vector<Extension>& extensions, const Bytes& id) {
  for (const auto& ext : extensions) {
    if (equal(ext.id, id)) return &ext;
  }
  return nullptr;
}

// The URIs of a DistributionPointName's fullName; false if it is malformed, uses
// nameRelativeToCRLIssuer, or names anything but URIs (CA/Browser Forum 7.1.2.11.2, 7.2.2.1).
bool full_name_uris(BytesView distribution_point_name, std::vector<BytesView>& uris) {
  Reader reader(distribution_point_name);
  Reader names;
  if (!reader.der(der::context(0, true), names) || !reader.empty()) return false;
  while (!names.empty()) {
    uint8_t tag;
    BytesView value;
    if (!names.der_any(tag, value) || tag != der::context(6, false)) return false;
    uris.push_back(value);
  }
  return !uris.empty();
}

struct IssuingDistributionPoint {
  bool has_name = false;
  std::vector<BytesView> uris;
  bool only_user = false, only_ca = false, only_attribute = false, indirect = false,
       some_reasons = false;
};

Result<IssuingDistributionPoint> parse_idp(BytesView value) {
  IssuingDistributionPoint idp;
  Reader outer(value);
  Reader seq;
  if (!outer.der(der::kSequence, seq) || !outer.empty()) {
    return unusable("its issuingDistributionPoint is malformed");
  }
  while (!seq.empty()) {
    uint8_t tag;
    BytesView contents;
    if (!seq.der_any(tag, contents)) return unusable("its issuingDistributionPoint is malformed");
    bool flag = contents.size() == 1 && contents[0] == 0xff;
    if (tag == der::context(0, true)) {
      idp.has_name = true;
      if (!full_name_uris(contents, idp.uris)) {
        return unusable("its issuingDistributionPoint is not a fullName of URIs");
      }
    } else if (tag == der::context(1, false)) {
      idp.only_user = flag;
    } else if (tag == der::context(2, false)) {
      idp.only_ca = flag;
    } else if (tag == der::context(3, false)) {
      idp.some_reasons = true;
    } else if (tag == der::context(4, false)) {
      idp.indirect = flag;
    } else if (tag == der::context(5, false)) {
      idp.only_attribute = flag;
    } else {
      return unusable("its issuingDistributionPoint is malformed");
    }
  }
  return idp;
}

// The fullName URIs of every distribution point of `cert`; false if any is not a URI.
bool certificate_distribution_uris(const Certificate& cert, std::vector<BytesView>& uris) {
  const Extension* cdp = find(cert.extensions, oid::kCrlDistributionPoints);
  if (!cdp) return false;
  Reader outer(cdp->value);
  Reader points;
  if (!outer.der(der::kSequence, points) || !outer.empty()) return false;
  while (!points.empty()) {
    Reader point;
    if (!points.der(der::kSequence, point)) return false;
    while (!point.empty()) {
      uint8_t tag;
      BytesView contents;
      if (!point.der_any(tag, contents)) return false;
      if (tag == der::context(0, true) && !full_name_uris(contents, uris)) return false;
    }
  }
  return !uris.empty();
}

// Whether the CRL's scope (its issuingDistributionPoint) includes `cert`.
Result<void> in_scope(const Crl& crl, const Certificate& cert) {
  const Extension* ext = find(crl.extensions, oid::kIssuingDistributionPoint);
  if (!ext) return ok();
  TERN_TRY(auto idp, parse_idp(ext->value));
  if (idp.indirect) return unusable("it is an indirect CRL, which tern does not support");
  if (idp.some_reasons) return unusable("it covers only some revocation reasons");
  if (idp.only_attribute) return unusable("it covers only attribute certificates");
  bool ca = cert.basic_constraints && cert.basic_constraints->ca;
  if (idp.only_user && ca) return unusable("it covers only end-entity certificates");
  if (idp.only_ca && !ca) return unusable("it covers only CA certificates");
  if (idp.has_name) {
    std::vector<BytesView> cert_uris;
    if (!certificate_distribution_uris(cert, cert_uris)) {
      return unusable("it is a partitioned CRL and the certificate names no matching CRL " +
                      std::string("distribution point"));
    }
    bool match = std::any_of(idp.uris.begin(), idp.uris.end(), [&](BytesView uri) {
      return std::any_of(cert_uris.begin(), cert_uris.end(),
                         [&](BytesView other) { return equal(uri, other); });
    });
    if (!match) {
      return unusable("its issuingDistributionPoint does not match the certificate's CRL " +
                      std::string("distribution points"));
    }
  }
  return ok();
}

}  // namespace

std::string crl_reason_name(uint8_t code) {
  static const char* const kNames[] = {
      "unspecified",   "keyCompromise",        "cACompromise",    "affiliationChanged",
      "superseded",    "cessationOfOperation", "certificateHold", "unknown (7)",
      "removeFromCRL", "privilegeWithdrawn",   "aACompromise"};
  if (code < sizeof(kNames) / sizeof(kNames[0])) return kNames[code];
  return "unknown (" + std::to_string(code) + ")";
}

Result<void> RevocationChecker::usable(const Crl& crl, const Certificate& issuer) {
  auto key = std::make_pair(&crl, &issuer);
  if (auto it = usable_cache_.find(key); it != usable_cache_.end()) return it->second;
  auto evaluate = [&]() -> Result<void> {
    if (crl.is_delta) return unusable("it is a delta CRL, which tern does not use");
    for (const auto& ext : crl.extensions) {
      bool known = equal(ext.id, oid::kIssuingDistributionPoint);
      if (ext.critical && !known) {
        return unusable("it has a critical extension " + oid::to_string(ext.id) +
                        " that tern does not process");
      }
    }
    const Extension* number = find(crl.extensions, oid::kCrlNumber);
    if (!number || crl.crl_number.empty()) return unusable("it has no cRLNumber extension");
    if (number->critical) return unusable("its cRLNumber extension is marked critical");
    if (issuer.key_usage && !(*issuer.key_usage & kCrlSign)) {
      return unusable("its issuer " + issuer.display_name() +
                      " does not have the cRLSign key usage");
    }
    if (!issuer.public_key) return unusable("the key of its issuer is unusable");
    if (auto verified = verify_signature(crl, *issuer.public_key); !verified) {
      return unusable("its signature does not verify with the key of " + issuer.display_name());
    }
    if (crl.this_update > time_) {
      return unusable("it is not in effect until " + format_time(crl.this_update));
    }
    if (crl.next_update && *crl.next_update < time_) {
      return unusable("it expired on " + format_time(*crl.next_update) +
                      " (its nextUpdate; checked at " + format_time(time_) + ")");
    }
    std::vector<BytesView> serials;
    serials.reserve(crl.revoked.size());
    for (const auto& entry : crl.revoked) serials.push_back(entry.serial);
    auto less = [](BytesView a, BytesView b) {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    };
    std::sort(serials.begin(), serials.end(), less);
    for (size_t i = 1; i < serials.size(); ++i) {
      if (equal(serials[i - 1], serials[i])) {
        return unusable("it lists serial " + base::hex_colon(serials[i]) + " twice");
      }
    }
    return ok();
  };
  return usable_cache_.emplace(key, evaluate()).first->second;
}

Result<void> RevocationChecker::check(const Certificate& cert, const Certificate& issuer) {
  std::string reasons;
  bool covered = false, any = false;
  for (const Crl* crl : crls_) {
    if (!names_match(crl->issuer, cert.issuer)) continue;
    // A CRL without nextUpdate is malformed (RFC 5280 §5.1.2.5): it is ignored as if it had
    // not been given, like one that does not parse at all.
    if (!crl->next_update) continue;
    any = true;
    auto good = usable(*crl, issuer);
    if (good) good = in_scope(*crl, cert);
    if (!good) {
      reasons += (reasons.empty() ? "" : "; ") + good.error().detail;
      continue;
    }
    covered = true;
    for (const auto& entry : crl->revoked) {
      if (!equal(entry.serial, cert.serial)) continue;
      std::string reason =
          entry.reason ? " (reason: " + crl_reason_name(*entry.reason) + ")" : std::string();
      return Error(Errc::certificate,
                   "certificate " + cert.display_name() + " (serial " +
                       base::hex_colon(cert.serial) + ") was revoked on " +
                       format_time(entry.revocation_date) + reason + " by a CRL of " +
                       issuer.display_name(),
                   Alert::certificate_revoked);
    }
  }
  // No CRL from this issuer was given: its certificates are not checked (x509-limbo and
  // RFC 5280 §6.3 leave the choice to the application; a hard failure would make
  // --crls unusable for chains whose upper CRLs the user does not have).
  if (covered || !any) return ok();
  return unusable("cannot check revocation of certificate " + cert.display_name() +
                  ": the CRL from " + cert.issuer.to_string() + " is unusable: " + reasons);
}

}  // namespace tern::x509
