// SPDX-License-Identifier: Apache-2.0
// `tern bench`: runs the benchmark program tern-bench (bench/tern_bench/, issue 7) with the
// same arguments. The benchmark links OpenSSL's libssl to compare against it, so it is a
// program of its own: libssl stays out of the tern library and of this CLI.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"

namespace tern::cli {
namespace {

constexpr const char* kProgram = "tern-bench";

// <dir of this tern>/bench/tern-bench, where the build puts it; empty if there is none.
std::string next_to_tern() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  std::filesystem::path candidate = self.parent_path() / "bench" / kProgram;
  return access(candidate.c_str(), X_OK) == 0 ? candidate.string() : std::string();
}

int run_bench(const std::vector<std::string>& args) {
  std::vector<std::string> argv_strings = {kProgram};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::string path = next_to_tern();
  if (!path.empty()) {
    execv(path.c_str(), argv.data());
    std::cerr << "tern bench: cannot run " << path << ": " << std::strerror(errno) << '\n';
    return kExitInternal;
  }
  execvp(kProgram, argv.data());  // returns only on failure
  int error = errno;
  if (error != ENOENT) {
    std::cerr << "tern bench: cannot run " << kProgram << ": " << std::strerror(error) << '\n';
    return kExitInternal;
  }
  std::cerr << "tern bench: the benchmark program " << kProgram
            << " was found neither next to tern (bench/" << kProgram
            << " beside the tern executable) nor on PATH.\n"
            << "Build it with the benchmarks enabled (the default, -DTERN_BUILD_BENCH=ON), e.g.\n"
            << "  cmake --preset release && cmake --build build/release --target " << kProgram
            << "\nthen run build/release/tern bench (or build/release/bench/" << kProgram << ").\n";
  return kExitUsage;
}

}  // namespace

void add_bench_command(CLI::App& app, Runner& runner) {
  CLI::App* cmd = app.add_subcommand(
      "bench", "Benchmark tern against OpenSSL libssl in one run (runs tern-bench; see "
               "'tern bench --help')");
  // Everything after `bench`, --help included, goes to tern-bench.
  cmd->set_help_flag();
  cmd->prefix_command();
  cmd->callback([cmd, &runner] {
    std::vector<std::string> args = cmd->remaining();
    runner = [args] { return run_bench(args); };
  });
}

}  // namespace tern::cli
