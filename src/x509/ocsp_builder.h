// SPDX-License-Identifier: Apache-2.0
// An encoder of OCSP responses (RFC 6960 §4.2.1) for `tern ca ocsp` and the tests: one
// SingleResponse, signed by the issuer or a delegated responder. Like the certificate
// builders it writes what it is told, so tests can make wrong responses too.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "crypto/provider.h"
#include "tern/bytes.h"
#include "tern/ocsp.h"
#include "tern/result.h"

namespace tern::x509 {

struct OcspResponseSpec {
  // CertID: the issuer's Name (DER) and SubjectPublicKeyInfo (DER), the leaf's serial
  // (big-endian magnitude), hashed with `hash` (SHA-1 or SHA-256).
  Bytes issuer_name, issuer_spki, serial;
  crypto::Hash hash = crypto::Hash::sha1;
  OcspCertStatus status = OcspCertStatus::good;
  int64_t revocation_time = 0;
  std::optional<uint8_t> reason;  // CRLReason code
  int64_t produced_at = 0, this_update = 0;
  std::optional<int64_t> next_update;
  // The signer: its SubjectPublicKeyInfo for ResponderID byKey, and its certificate (DER)
  // to include when it is a delegated responder rather than the issuer.
  Bytes responder_spki;
  std::vector<Bytes> certs;
};

Result<Bytes> build_ocsp_response(const OcspResponseSpec& spec, const crypto::PrivateKey& key);

}  // namespace tern::x509
