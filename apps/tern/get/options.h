// SPDX-License-Identifier: Apache-2.0
// Everything `tern get` takes from its command line, with curl's names and meanings.
#pragma once

#include <string>
#include <vector>

#include "client_common.h"

namespace tern::cli::get {

struct GetArgs {
  std::string url;
  std::string output;      // -o FILE
  bool remote_name = false;  // -O
  bool verbose = false;
  std::vector<std::string> resolve;
  std::vector<std::string> headers;  // -H, in order
  std::vector<std::string> data;     // -d (CR/LF stripped from @file), joined with '&'
  std::vector<std::string> data_binary;  // --data-binary, as is
  std::string method;      // -X
  bool head = false;       // -I
  bool include = false;    // -i
  bool location = false;   // -L
  int max_redirs = 50;     // --max-redirs, curl's default
  std::string write_out;   // -w
  bool silent = false, show_error = false;  // -s, -S
  bool fail = false;       // -f
  std::string user_agent;  // -A
  bool user_agent_set = false;
  std::string user;        // -u USER:PASSWORD
  bool compressed = false;
  bool http2 = false, http11 = false;  // --http2, --http1.1: one or the other
  bool early_data = false;  // --early-data: a GET or HEAD in TLS 1.3 0-RTT data (HTTP/1.1)
  std::string range;       // -r
  ClientArgs client;
};

}  // namespace tern::cli::get
