// SPDX-License-Identifier: Apache-2.0
#include "get/exit_codes.h"

namespace tern::cli::get {

int exit_for_stream_error(const Error& error, bool during_handshake, bool sending) {
  // Stream reports every timeout (connect, a wait, -m's deadline) as Errc::io "timed out".
  if (error.detail.find("timed out") != std::string::npos) return kTimeout;
  switch (error.code) {
    case Errc::usage:
      return kUsage;
    case Errc::internal:
      return kInternal;
    case Errc::certificate:
      return kPeerCertificate;
    case Errc::io:
      if (error.detail.starts_with("cannot resolve")) return kCouldNotResolve;
      if (error.detail.starts_with("cannot connect")) return kCouldNotConnect;
      break;
    default:
      break;
  }
  if (during_handshake) return kTlsHandshake;
  return sending ? kSendError : kRecvError;
}

}  // namespace tern::cli::get
