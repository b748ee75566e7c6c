// SPDX-License-Identifier: Apache-2.0
// What `tern get` and `tern connect` share: the TLS options on the command line, the
// ClientConfig they make, the summary of a connection, and exit codes by cause.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "tern/stream.h"
#include "psk_options.h"
#include "tls_options.h"

namespace tern::cli {

struct ClientArgs {
  std::string cacert;
  bool insecure = false;
  bool require_ocsp = false;  // refuse a server without a good stapled OCSP response
  std::string cert, key;  // a client certificate, for servers that ask
  std::string sess_in, sess_out;  // session files (openssl s_client -sess_in/-sess_out)
  TlsArgs tls;
  PskArgs psk;
  std::vector<std::string> alpn;
  double connect_timeout = 10, max_time = 0;
  std::string ech_config_list;  // --ech-config-list: a file (binary or base64) or base64
  bool no_ech_grease = false;
};

// "host:port" or "[v6]:port" (connect, trace); Errc::usage naming the problem.
Result<std::pair<std::string, uint16_t>> parse_target(const std::string& target);

// --cacert, -k, -E/--cert, --key, the TLS options (tls_options.h), --connect-timeout, -m.
void add_client_options(CLI::App& cmd, ClientArgs& args);

// The config for `server_name`; Errc::usage for unknown names and unreadable files. A
// --sess-in session this config may not resume (made with -k, under other roots, for
// another name, by an older tern) is left out, and `notes` (if any) says why.
Result<ClientConfig> make_client_config(const ClientArgs& args, const std::string& server_name,
                                        std::ostream* notes);
// --sess-out: writes the newest session the connection left in the cache. Says on
// `err` when there is none; fails only when the file cannot be written.
Result<void> save_session(const ClientArgs& args, const std::shared_ptr<ClientSessionCache>& cache,
                          const std::string& server_name, std::ostream& err);
// -m/--max-time bounds every wait; with `max_time_is_total` also the whole connection (get).
StreamOptions make_stream_options(const ClientArgs& args, bool max_time_is_total);

// "TLS 1.3, cipher TLS_AES_128_GCM_SHA256, group x25519, ..." and the server's chain, for
// -v and connect.
void print_connection_summary(std::ostream& out, const Stream& stream, bool chain);
// The same without the "* Connected to" line (get -v prints curl's own first).
void print_tls_summary(std::ostream& out, const Stream& stream, bool chain);

// kExitConnect / kExitTls / kExitCertificate / kExitUsage for an error from Stream.
int exit_code_for_stream_error(const Error& error);

// The error's message and, for the alerts a client's options most often cause, what to do:
// certificate_required (pass --cert), protocol_version (the versions we offered),
// handshake_failure (everything we offered).
std::string stream_error_message(const Error& error, const ClientArgs& args);

}  // namespace tern::cli
