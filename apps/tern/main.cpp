// SPDX-License-Identifier: Apache-2.0
// tern: the command-line tool. Subcommands live in cmd_*.cpp; this file only dispatches.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "commands.h"
#include "parse_errors.h"

namespace {

// Keep in step with project(VERSION) in CMakeLists.txt.
constexpr const char* kVersion = "0.1.0";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tern: TLS and X.509 tools on the tern library"};
  app.name("tern");
  app.set_version_flag("--version", std::string("tern ") + kVersion);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 success, 1 rejected (verify), 2 usage error or unreadable file, "
      "3 internal error, 4 connect failure (serve: cannot listen), 5 TLS failure, "
      "6 certificate rejected; get uses curl's codes instead (tern get --help). "
      "See docs/cli.md.\n"
      "Run 'tern SUBCOMMAND --help' for the options of each subcommand.");

  tern::cli::Runner runner;
  tern::cli::add_get_command(app, runner);
  tern::cli::add_connect_command(app, runner);
  tern::cli::add_trace_command(app, runner);
  tern::cli::add_serve_command(app, runner);
  tern::cli::add_verify_command(app, runner);
  tern::cli::add_ca_command(app, runner);
  tern::cli::add_bench_command(app, runner);
  tern::cli::add_ech_command(app, runner);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Our own words when we can name the flag (or command) that is wrong; CLI11's otherwise.
    if (std::string said = tern::cli::explain_parse_error(app, e, argc, argv); !said.empty()) {
      std::cerr << said << '\n';
      return tern::cli::kExitUsage;
    }
    app.exit(e);  // prints the message and a hint to use --help
    return tern::cli::kExitUsage;
  }

  try {
    return runner ? runner() : tern::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "tern: internal error: " << e.what() << '\n';
    return tern::cli::kExitInternal;
  }
}
