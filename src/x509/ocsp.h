// SPDX-License-Identifier: Apache-2.0
// OCSP responses (RFC 6960 §4.2), parsed strictly from DER and checked against a leaf and
// its issuer. Public entry points are in include/tern/ocsp.h; ocsp_builder.cpp writes them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "tern/ocsp.h"
#include "x509/certificate.h"

namespace tern::x509 {

// Limits on what a peer's staple may hold: a staple answers for one certificate, so a few
// SingleResponses and responder certificates are plenty.
inline constexpr size_t kMaxOcspResponseSize = 64 * 1024;
inline constexpr size_t kMaxOcspSingleResponses = 16;
inline constexpr size_t kMaxOcspCertificates = 4;

struct OcspSingleResponse {
  crypto::Hash hash = crypto::Hash::sha1;  // CertID.hashAlgorithm
  BytesView issuer_name_hash, issuer_key_hash, serial;
  OcspCertStatus status = OcspCertStatus::unknown;
  int64_t revocation_time = 0;
  std::optional<uint8_t> reason;
  int64_t this_update = 0;
  std::optional<int64_t> next_update;
};

struct OcspResponse {
  Bytes der;
  uint8_t response_status = 0;  // 0 successful; nothing else is parsed further
  BytesView tbs;                // tbsResponseData, the signed bytes
  crypto::SignatureAlgorithm signature_algorithm;
  std::string signature_algorithm_error;  // as for Certificate
  BytesView signature;
  std::optional<Name> responder_name;  // ResponderID byName
  BytesView responder_key_hash;        // ResponderID byKey (SHA-1 of the key)
  int64_t produced_at = 0;
  std::vector<OcspSingleResponse> responses;
  std::vector<std::shared_ptr<const Certificate>> certs;

  OcspResponse() = default;
  OcspResponse(const OcspResponse&) = delete;
  OcspResponse& operator=(const OcspResponse&) = delete;
};

// Strict DER parse of an OCSPResponse. A response whose status is not successful parses
// (response_status says which) with nothing else filled in.
Result<std::shared_ptr<const OcspResponse>> parse_ocsp_response(BytesView der);

// "successful", "malformedRequest", "internalError", "tryLater", "sigRequired",
// "unauthorized", or "status N".
std::string ocsp_response_status_name(uint8_t status);

// The issuer's subjectPublicKey BIT STRING bits (what issuerKeyHash and byKey hash).
Result<BytesView> subject_public_key_bits(const Certificate& cert);

// check_ocsp_response on a parsed response; a null `issuer` skips the signature.
Result<OcspStatus> check_ocsp(const OcspResponse& response, const Certificate& leaf,
                              const Certificate* issuer, int64_t now);

// RFC 7633 TLS Feature with status_request (a malformed extension counts as one).
bool has_must_staple(const Certificate& cert);

}  // namespace tern::x509
