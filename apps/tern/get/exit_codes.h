// SPDX-License-Identifier: Apache-2.0
// `tern get` exits with curl's code for the same failure (curl's "EXIT CODES"), so scripts
// written for curl read tern's the same way. Usage errors stay 2 as in every tern command.
#pragma once

#include <string>

#include "tern/result.h"

namespace tern::cli::get {

enum CurlExit : int {
  kOk = 0,
  kUnsupportedProtocol = 1,  // not https:// (also a redirect to http://)
  kUsage = 2,                // bad flags (tern's usage code; curl's 2 is "failed to init")
  kMalformedUrl = 3,
  kCouldNotResolve = 6,
  kCouldNotConnect = 7,
  kWeirdReply = 8,        // a malformed HTTP response
  kPartialFile = 18,      // the body ended before its length
  kHttpError = 22,        // -f and a status of 400 or more
  kWriteError = 23,       // -o/-O/stdout could not be written
  kReadError = 26,        // -d @file / --data-binary @file could not be read
  kTimeout = 28,
  kInternal = 43,         // a bug or an unexpected library failure
  kTooManyRedirects = 47,
  kSendError = 55,
  kRecvError = 56,
  kTlsHandshake = 35,
  kBadContentEncoding = 61,  // --compressed and a body that does not decode
  kPeerCertificate = 60,
};

// The code for an error from Stream: `during_handshake` tells connect-time failures
// (resolve, TCP, TLS) from failures while sending or receiving.
int exit_for_stream_error(const Error& error, bool during_handshake, bool sending);

}  // namespace tern::cli::get
