// SPDX-License-Identifier: Apache-2.0
/// @file
/// OCSP responses (RFC 6960) as TLS staples them (RFC 6066 §8, RFC 8446 §4.4.2.1): checking
/// a response against a certificate, and must-staple (RFC 7633).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tern/export.h"
#include "tern/bytes.h"
#include "tern/result.h"
#include "tern/x509.h"

namespace tern {

/// CertStatus of an OCSP SingleResponse.
enum class OcspCertStatus : uint8_t { good, revoked, unknown };
/// "good", "revoked", "unknown".
TERN_API const char* ocsp_cert_status_name(OcspCertStatus status);

/// What an OCSP response says about one certificate.
struct OcspStatus {
  /// The certificate's status.
  OcspCertStatus status = OcspCertStatus::unknown;
  /// @{
  /// thisUpdate and nextUpdate, seconds since 1970 (UTC); nextUpdate unset when absent.
  int64_t this_update = 0;
  std::optional<int64_t> next_update;
  /// @}
  /// @{
  /// For `revoked`: when, and the CRLReason code when the response gives one.
  int64_t revocation_time = 0;
  std::optional<uint8_t> reason;
  /// @}
  /// Who signed it: "the issuer" or "delegated responder CN=..." (empty if not verified).
  std::string signer;
};

/// "good (thisUpdate 2026-12-07 00:00:00 UTC, nextUpdate 2026-12-14 00:00:00 UTC)", and the
/// revocation time and reason for a revoked certificate: for logs and `-v` output.
TERN_API std::string describe_ocsp_status(const OcspStatus& status);

/// Parses a DER OCSPResponse strictly and checks it for `leaf` issued by `issuer` at `now`
/// (seconds since 1970): a successful BasicOCSPResponse with a SingleResponse whose CertID
/// (SHA-1 or SHA-256) names the leaf, signed by the issuer or by a responder certificate the
/// issuer gave id-kp-OCSPSigning, thisUpdate not in the future and nextUpdate not passed (5
/// minutes of clock skew allowed either way). Returns the status whatever it is: a caller
/// refuses `revoked` itself. A failure is Errc::certificate with
/// Alert::bad_certificate_status_response and a sentence saying what does not fit.
TERN_API Result<OcspStatus> check_ocsp_response(BytesView response, const Certificate& leaf,
                                                const Certificate& issuer, int64_t now);

/// Like check_ocsp_response() without the issuer: the response parses, is successful, names
/// the leaf's serial and is current, but its signature is not checked. For a server that
/// staples a response while its chain file holds no issuer.
TERN_API Result<OcspStatus> inspect_ocsp_response(BytesView response, const Certificate& leaf,
                                                  int64_t now);

/// Whether the certificate carries the TLS Feature extension (RFC 7633) with status_request:
/// "must staple".
TERN_API bool must_staple(const Certificate& cert);

}  // namespace tern
