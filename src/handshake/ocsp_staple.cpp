// SPDX-License-Identifier: Apache-2.0
#include "handshake/ocsp_staple.h"

#include "msgs/certificate_status.h"
#include "tern/ocsp.h"
#include "x509/revocation.h"
#include "x509/verify.h"

namespace tern::handshake {

void StapleCheck::chain_verified(const Certificate& leaf, const Certificate* issuer, int64_t now,
                                 bool require_ocsp, Observer* observer) {
  leaf_.emplace(leaf);
  if (issuer) issuer_.emplace(*issuer);
  now_ = now;
  required_ = require_ocsp || must_staple(leaf);
  observer_ = observer;
}

void StapleCheck::report(bool ok, const std::string& detail) const {
  if (!observer_) return;
  VerifyStep step;
  step.check = VerifyCheck::ocsp;
  step.ok = ok;
  step.subject = leaf_->info().subject;
  step.detail = detail;
  observer_->on_verification_step(step);
}

Result<void> StapleCheck::check(std::optional<BytesView> staple) {
  if (done_) return ok();
  done_ = true;
  if (!leaf_) return ok();  // not verified (--insecure)
  if (!staple) {
    if (!required_) return ok();
    std::string why = must_staple(*leaf_)
                          ? "its certificate is marked must-staple (RFC 7633 TLS Feature)"
                          : "--require-ocsp (ClientConfig::require_ocsp) is set";
    Error e(Errc::certificate,
            "server certificate rejected: the server stapled no OCSP response, and " + why,
            Alert::certificate_required);
    report(false, e.detail);
    return e;
  }
  if (!issuer_) {
    Error e(Errc::certificate,
            "server certificate rejected: it stapled an OCSP response but its certificate is "
            "itself the trust anchor, so there is no issuer to check the response with",
            Alert::bad_certificate_status_response);
    report(false, e.detail);
    return e;
  }
  auto status = check_ocsp_response(*staple, *leaf_, *issuer_, now_);
  if (!status) {
    Error e = std::move(status).error();
    e.detail = "server certificate rejected: its stapled " + e.detail.substr(4);  // "the OCSP.."
    report(false, e.detail);
    return e;
  }
  if (status->status == OcspCertStatus::revoked) {
    std::string detail = "the server's certificate was revoked on " +
                         x509::format_time(status->revocation_time);
    if (status->reason) detail += " (reason " + x509::crl_reason_name(*status->reason) + ")";
    detail += " according to its stapled OCSP response";
    report(false, detail);
    return Error(Errc::certificate, detail, Alert::certificate_revoked);
  }
  if (status->status == OcspCertStatus::unknown && required_) {
    std::string detail =
        "server certificate rejected: its stapled OCSP response says \"unknown\" (the "
        "responder does not know the certificate), and a good one is required";
    report(false, detail);
    return Error(Errc::certificate, detail, Alert::bad_certificate_status_response);
  }
  report(true, "stapled OCSP response: " + describe_ocsp_status(*status));
  result_ = std::move(*status);
  return ok();
}

Result<void> StapleCheck::check_certificate_status(BytesView body) {
  TERN_TRY(auto message, msgs::CertificateStatusMessage::parse(body));
  return check(BytesView(message.ocsp_response));
}

std::optional<BytesView> leaf_staple(const msgs::Certificate13& certificate) {
  if (certificate.certificate_list.empty()) return std::nullopt;
  auto* status = msgs::find_extension_body<msgs::CertificateStatus>(
      certificate.certificate_list[0].extensions, msgs::ExtensionType::status_request);
  if (!status) return std::nullopt;
  return BytesView(status->ocsp_response);
}

std::shared_ptr<const Bytes> staple_for(const msgs::ClientHello& hello,
                                        const CertifiedKey& certified) {
  if (!hello.get<msgs::StatusRequest>(msgs::ExtensionType::status_request)) return nullptr;
  std::shared_ptr<const Bytes> staple;
  if (certified.ocsp_response_source)
    staple = certified.ocsp_response_source();
  else if (!certified.ocsp_response.empty())
    staple = std::shared_ptr<const Bytes>(&certified.ocsp_response, [](const Bytes*) {});
  if (!staple || staple->empty()) return nullptr;
  return staple;
}

void attach_staple(msgs::Certificate13& certificate, const msgs::ClientHello& hello,
                   const CertifiedKey& certified) {
  if (certificate.certificate_list.empty()) return;
  auto staple = staple_for(hello, certified);
  if (!staple) return;
  certificate.certificate_list[0].extensions.push_back(
      {msgs::ExtensionType::status_request,
       msgs::CertificateStatus{msgs::CertificateStatusType::ocsp, *staple}});
}

}  // namespace tern::handshake
