// SPDX-License-Identifier: Apache-2.0
// The TLS 1.2 CertificateStatus handshake message (RFC 6066 §8): an OCSP response sent
// after Certificate when the server acknowledged status_request. (TLS 1.3 carries the same
// body in the leaf's CertificateEntry: msgs::CertificateStatus in extensions.h.)
#pragma once

#include "msgs/codes.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::msgs {

struct CertificateStatusMessage {
  static constexpr HandshakeType kType = HandshakeType::certificate_status;

  Bytes ocsp_response;  // DER OCSPResponse, non-empty

  // status_type must be ocsp(1); an empty response is a decode_error.
  static Result<CertificateStatusMessage> parse(BytesView body);
  Bytes encode() const;
};

}  // namespace tern::msgs
