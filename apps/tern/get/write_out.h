// SPDX-License-Identifier: Apache-2.0
// -w/--write-out: a documented subset of curl's variables, filled after the transfer.
#pragma once

#include <string>

namespace tern::cli::get {

struct TransferInfo {
  int http_code = 0;
  double time_connect = 0, time_appconnect = 0, time_total = 0;  // seconds from the start
  long ssl_verify_result = 0;  // 0: verified (or -k: not checked, as curl's 0 too)
  unsigned long long size_download = 0;  // body bytes received (before --compressed decoding)
  std::string url_effective;
  std::string http_version;  // "1.1", "1.0", "2"
};

// Expands %{name} for the variables above and \n, \r, \t, \\ and %% as curl does; an
// unknown %{name} is printed as is. Errc-free: `unknown` receives the first unknown name.
std::string expand_write_out(const std::string& format, const TransferInfo& info,
                             std::string* unknown);

}  // namespace tern::cli::get
