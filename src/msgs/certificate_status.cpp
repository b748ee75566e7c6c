// SPDX-License-Identifier: Apache-2.0
#include "msgs/certificate_status.h"

#include "base/reader.h"
#include "base/writer.h"
#include "msgs/handshake.h"

namespace tern::msgs {

Result<CertificateStatusMessage> CertificateStatusMessage::parse(BytesView body) {
  base::Reader r(body);
  uint8_t status_type;
  BytesView response;
  auto fail = [](const char* why) {
    return Error(Errc::decode, std::string("CertificateStatus: ") + why, Alert::decode_error);
  };
  if (!r.u8(status_type)) return fail("missing status_type");
  if (status_type != static_cast<uint8_t>(CertificateStatusType::ocsp))
    return Error(Errc::protocol, "CertificateStatus: status_type is not ocsp (1)",
                 Alert::illegal_parameter);
  if (!r.vec24(response)) return fail("OCSPResponse length exceeds the message");
  if (response.empty()) return fail("OCSPResponse is empty");
  if (!r.empty()) return fail("trailing bytes");
  return CertificateStatusMessage{Bytes(response.begin(), response.end())};
}

Bytes CertificateStatusMessage::encode() const {
  base::Writer w(ocsp_response.size() + 4);
  w.u8(static_cast<uint8_t>(CertificateStatusType::ocsp));
  w.vec24([&] { w.bytes(ocsp_response); });
  return frame_handshake(kType, w.data());
}

}  // namespace tern::msgs
