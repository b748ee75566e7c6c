// SPDX-License-Identifier: Apache-2.0
#include "ca_trust.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "commands.h"

extern char** environ;

namespace tern::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSystemCopy = "/usr/local/share/ca-certificates/tern-local-ca.crt";

struct Ran {
  bool started = false;  // false: the program could not be run at all (errno in error)
  int error = 0;
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `argv` (looked up in PATH) and collects what it prints. certutil takes a moment at
// most, so there is no timeout here.
Ran run_program(const std::vector<std::string>& argv) {
  Ran ran;
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) {
    ran.error = errno;
    return ran;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    ran.error = spawned;
    return ran;
  }
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    ran.output.append(buf, static_cast<size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ran.started = true;
  // posix_spawnp reports a missing program as the child's exit 127 on glibc.
  if (WIFEXITED(status)) ran.exit_code = WEXITSTATUS(status);
  if (ran.exit_code == 127 && ran.output.empty()) {
    ran.started = false;
    ran.error = ENOENT;
  }
  return ran;
}

int fail(const std::string& message) {
  std::cerr << "tern ca: " << message << '\n';
  return kExitUsage;
}

int certutil_missing() {
  return fail(
      "certutil (NSS's tool) is not installed; on Debian or Ubuntu: sudo apt install "
      "libnss3-tools (Fedora: sudo dnf install nss-tools), then run this again");
}

// Runs certutil; a missing certutil or a failure becomes a message (the caller returns).
bool certutil(const std::vector<std::string>& args, Ran& ran, int& code) {
  std::vector<std::string> argv{"certutil"};
  argv.insert(argv.end(), args.begin(), args.end());
  ran = run_program(argv);
  if (!ran.started) {
    code = ran.error == ENOENT
               ? certutil_missing()
               : fail(std::string("cannot run certutil: ") + std::strerror(ran.error));
    return false;
  }
  return true;
}

// The database directory to use, or "" after printing why there is none.
std::string nss_directory(const TrustArgs& args) {
  if (!args.nss_dir.empty()) return args.nss_dir;
  const char* home = std::getenv("HOME");
  if (!home || !*home) {
    fail(
        "HOME is not set, so there is no default NSS database; give its directory: "
        "tern ca trust --nss DIR");
    return "";
  }
  return std::string(home) + "/.pki/nssdb";
}

// A path as a POSIX shell word, for commands printed to be copied.
std::string shell_quoted(const std::string& text) {
  if (text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                             "/._-+@:") == std::string::npos)
    return text;
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void print_system_store(const LocalCa& ca, bool add) {
  if (add) {
    std::cout << "to trust it system-wide (curl, openssl, Python, ... on Debian and Ubuntu), "
                 "run:\n  sudo cp "
              << shell_quoted(ca.root_path()) << " " << kSystemCopy
              << " && sudo update-ca-certificates\n";
  } else {
    std::cout << "if you added it to the system store, remove it with:\n  sudo rm " << kSystemCopy
              << " && sudo update-ca-certificates --fresh\n";
  }
}

// Firefox keeps one NSS database per profile; point at the ones that exist.
void print_firefox_profiles(bool add) {
  const char* home = std::getenv("HOME");
  if (!home || !*home) return;
  std::error_code ec;
  std::vector<std::string> profiles;
  for (const char* base : {"/.mozilla/firefox", "/snap/firefox/common/.mozilla/firefox"}) {
    fs::path dir = std::string(home) + base;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (fs::exists(entry.path() / "cert9.db", ec)) profiles.push_back(entry.path().string());
  }
  for (const std::string& profile : profiles)
    std::cout << "Firefox profile " << profile << " has its own database: tern ca "
              << (add ? "trust" : "untrust") << " --nss " << shell_quoted(profile) << '\n';
}

}  // namespace

int run_trust(const LocalCa& ca, const TrustArgs& args) {
  if (!args.nss) {
    std::cout << "the root of the CA in " << ca.dir() << " is " << ca.root_path() << '\n';
    std::cout << "to add it to the NSS database Chromium and Firefox read: tern ca trust --nss\n";
    print_system_store(ca, true);
    return kExitOk;
  }
  std::string dir = nss_directory(args);
  if (dir.empty()) return kExitUsage;
  std::string db = "sql:" + dir;
  Ran ran;
  int code = kExitOk;
  std::error_code ec;
  if (!fs::exists(fs::path(dir) / "cert9.db", ec)) {
    // A fresh database, as Chromium would make on first start; only its user may read it.
    fs::create_directories(dir, ec);
    if (ec) return fail("cannot create the NSS database directory " + dir + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
    if (!certutil({"-N", "--empty-password", "-d", db}, ran, code)) return code;
    if (ran.exit_code != 0)
      return fail("certutil could not create an NSS database in " + dir + ": " + ran.output);
    std::cout << "created an NSS database in " << dir << '\n';
  }
  if (!certutil({"-A", "-d", db, "-t", "C,,", "-n", ca.nickname(), "-i", ca.root_path()}, ran,
                code))
    return code;
  if (ran.exit_code != 0)
    return fail("certutil could not add " + ca.root_path() + " to " + dir + ": " + ran.output);
  // Read it back: the database is what counts, not certutil's exit code.
  if (!certutil({"-L", "-d", db, "-n", ca.nickname()}, ran, code)) return code;
  if (ran.exit_code != 0)
    return fail("certutil added the root but " + dir + " does not list it: " + ran.output);
  std::cout << "trusted \"" << ca.nickname() << "\" for TLS servers in the NSS database " << dir
            << "\n(restart Chromium or Firefox to use it; remove it with tern ca untrust --nss"
            << (args.nss_dir.empty() ? "" : " " + shell_quoted(dir)) << ")\n";
  print_firefox_profiles(true);
  print_system_store(ca, true);
  return kExitOk;
}

int run_untrust(const LocalCa& ca, const TrustArgs& args) {
  if (!args.nss) {
    std::cout << "to remove the root from the NSS database Chromium and Firefox read: tern ca "
                 "untrust --nss\n";
    print_system_store(ca, false);
    return kExitOk;
  }
  std::string dir = nss_directory(args);
  if (dir.empty()) return kExitUsage;
  std::string db = "sql:" + dir;
  std::error_code ec;
  if (!fs::exists(fs::path(dir) / "cert9.db", ec)) {
    std::cout << "there is no NSS database in " << dir << ", so nothing to remove\n";
    return kExitOk;
  }
  Ran ran;
  int code = kExitOk;
  if (!certutil({"-L", "-d", db, "-n", ca.nickname()}, ran, code)) return code;
  if (ran.exit_code != 0) {
    std::cout << "\"" << ca.nickname() << "\" is not in the NSS database " << dir
              << ", so nothing to remove\n";
    return kExitOk;
  }
  if (!certutil({"-D", "-d", db, "-n", ca.nickname()}, ran, code)) return code;
  if (ran.exit_code != 0)
    return fail("certutil could not remove \"" + ca.nickname() + "\" from " + dir + ": " +
                ran.output);
  std::cout << "removed \"" << ca.nickname() << "\" from the NSS database " << dir << '\n';
  print_firefox_profiles(false);
  print_system_store(ca, false);
  return kExitOk;
}

}  // namespace tern::cli
