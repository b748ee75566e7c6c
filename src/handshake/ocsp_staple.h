// SPDX-License-Identifier: Apache-2.0
// OCSP stapling in the handshake (RFC 6066 §8, RFC 8446 §4.4.2.1, RFC 7633): the client's
// check of what the server stapled, and the server's choice of what to staple. The state
// machines call these from a line or two each; the OCSP response itself is x509/ocsp.h's.
#pragma once

#include <memory>
#include <optional>

#include "msgs/handshake.h"
#include "msgs/reassembler.h"
#include "tern/tls.h"

namespace tern::handshake {

// The client's staple check. verify_peer_chain() fills in the verified leaf and issuer;
// check() then runs once, with the staple or without one.
class StapleCheck {
 public:
  // A staple that passes is recorded in `result` (Negotiated::ocsp_status).
  explicit StapleCheck(std::optional<OcspStatus>& result) : result_(result) {}
  // Called by verify_peer_chain() after the chain verified. `issuer` is null when the leaf
  // is itself a trust anchor.
  void chain_verified(const Certificate& leaf, const Certificate* issuer, int64_t now,
                      bool require_ocsp, Observer* observer);
  // TLS 1.2: the server acknowledged status_request, so a CertificateStatus may follow.
  void expect_certificate_status() { expected_ = true; }
  bool expected() const { return expected_; }
  // After the TLS 1.2 Certificate: a CertificateStatus may come now (nothing checked yet).
  bool awaiting_certificate_status() const { return expected_ && !done_; }

  // The staple, or nullopt when the server sent none. A no-op when the chain was not
  // verified (--insecure) or was already checked.
  Result<void> check(std::optional<BytesView> staple);
  // TLS 1.2: the body of a CertificateStatus message.
  Result<void> check_certificate_status(BytesView body);

 private:
  void report(bool ok, const std::string& detail) const;

  std::optional<Certificate> leaf_, issuer_;
  int64_t now_ = 0;
  bool required_ = false;
  bool expected_ = false;
  bool done_ = false;
  Observer* observer_ = nullptr;
  std::optional<OcspStatus>& result_;
};

// TLS 1.3 client: the OCSP response in the leaf's CertificateEntry, if any.
std::optional<BytesView> leaf_staple(const msgs::Certificate13& certificate);

// Server: what to staple for this ClientHello (it offered status_request for OCSP) from
// this chain, or null.
std::shared_ptr<const Bytes> staple_for(const msgs::ClientHello& hello,
                                        const CertifiedKey& certified);

// TLS 1.3 server: the staple (if the client asked and there is one) into the leaf's entry.
void attach_staple(msgs::Certificate13& certificate, const msgs::ClientHello& hello,
                   const CertifiedKey& certified);

}  // namespace tern::handshake
