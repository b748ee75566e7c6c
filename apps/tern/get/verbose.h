// SPDX-License-Identifier: Apache-2.0
// -v as curl prints it, on stderr: "* " lines for the connection and TLS, "> " for the
// request head, "< " for the response head.
#pragma once

#include <ostream>
#include <string>

#include "get/url.h"
#include "tern/stream.h"

namespace tern::cli::get {

// "* Connected to HOST (IP) port N", the TLS summary, ALPN, the server certificate, and
// whether it was verified (-k: a warning that it was not).
void print_connection(std::ostream& err, const Stream& stream, const Url& url, bool insecure);

// Each line of a head with a prefix ("> " or "< "), then the blank line curl prints.
void print_head(std::ostream& err, const std::string& prefix, const std::string& head);

}  // namespace tern::cli::get
