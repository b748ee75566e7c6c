// SPDX-License-Identifier: Apache-2.0
// Revocation checking against CRLs (RFC 5280 §5 and §6.3), as path validation uses it:
// when CRLs are given, every certificate of the path except the trust anchor is checked
// against the CRLs of its issuer. A CRL that names the issuer must be usable (signed by
// the issuer's key, current, complete, in scope); one without nextUpdate is ignored as
// malformed; a certificate whose issuer has no CRL among those given is not checked.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tern/result.h"
#include "x509/certificate.h"

namespace tern::x509 {

class RevocationChecker {
 public:
  RevocationChecker(const std::vector<const Crl*>& crls, int64_t time) : crls_(crls), time_(time) {}

  // `cert` issued by `issuer`: fails with certificate_revoked if a valid CRL lists it, or
  // with certificate_unknown (naming why each was unusable) if CRLs from the issuer were
  // given but none of them is usable.
  Result<void> check(const Certificate& cert, const Certificate& issuer);

 private:
  // Whether `crl` is a usable complete CRL from `issuer` at time_ (cached per pair).
  Result<void> usable(const Crl& crl, const Certificate& issuer);

  const std::vector<const Crl*>& crls_;
  int64_t time_;
  std::map<std::pair<const Crl*, const Certificate*>, Result<void>> usable_cache_;
};

// "keyCompromise", "cACompromise", ... for a CRLReason code; "unspecified" if unknown.
std::string crl_reason_name(uint8_t code);

}  // namespace tern::x509
