// SPDX-License-Identifier: Apache-2.0
// The subcommands of `tern`: each cmd_*.cpp adds itself to the top-level CLI11 app and
// hands back the code to run when it is chosen. Only the public API (include/tern/) here.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace tern::cli {

// Exit codes shared by every subcommand (docs/cli.md).
enum ExitCode : int {
  kExitOk = 0,        // the job succeeded (verify: the chain was accepted)
  kExitRejected = 1,  // the input was refused (verify: a rejection, unparsable certificates)
  kExitUsage = 2,     // bad flags, or a file that cannot be read
  kExitInternal = 3,  // a bug or an unexpected library failure
  // The network subcommands (get, connect) tell failures apart by cause:
  kExitConnect = 4,      // name resolution, TCP connect, or a timeout before TLS began
  kExitTls = 5,          // the TLS handshake or a record failed (alert, protocol, crypto)
  kExitCertificate = 6,  // the peer's certificate chain or name was rejected
  kExitHttp = 7,         // get: a malformed HTTP response or a status >= 400
};

// Set by a subcommand's registration; run after the command line has been parsed.
using Runner = std::function<int()>;

void add_verify_command(CLI::App& app, Runner& runner);
void add_get_command(CLI::App& app, Runner& runner);
void add_connect_command(CLI::App& app, Runner& runner);
void add_serve_command(CLI::App& app, Runner& runner);
void add_ca_command(CLI::App& app, Runner& runner);
void add_trace_command(CLI::App& app, Runner& runner);
void add_bench_command(CLI::App& app, Runner& runner);
void add_ech_command(CLI::App& app, Runner& runner);

}  // namespace tern::cli
