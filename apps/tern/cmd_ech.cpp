// SPDX-License-Identifier: Apache-2.0
// `tern ech`: Encrypted Client Hello keys. `keygen` makes a key and its ECHConfigList (for a
// DNS HTTPS record and for clients' --ech-config-list); `show` prints what a list holds.
// The work is in the library (tern/ech.h); this file handles files and words.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "commands.h"
#include "tern/ech.h"

namespace tern::cli {
namespace {

struct EchArgs {
  std::string public_name;
  int config_id = 0;
  int max_name_length = 0;
  std::string out = "ech";
  std::string list;  // show
};

constexpr const char* kKeygenFooter =
    "Writes four files named after --out PREFIX (default: ech), and refuses to replace any:\n"
    "  PREFIX.key             the private key: raw 32-byte X25519 (mode 0600; keep it secret)\n"
    "  PREFIX.config          the ECHConfig, binary\n"
    "  PREFIX.configlist      the ECHConfigList, binary\n"
    "  PREFIX.configlist.b64  the same in base64: the \"ech\" value of a DNS HTTPS record\n"
    "The key and config are what both `tern serve --ech-key --ech-config` and `bssl-tool\n"
    "server -ech-key -ech-config` read; clients take the list: `tern get --ech-config-list\n"
    "PREFIX.configlist URL`. The public name is what the network sees in place of the real\n"
    "server name: the server needs a certificate for it too.";

// Creates `path` with `mode`, refusing an existing file or a symlink.
Result<void> write_new_file(const std::string& path, BytesView data, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0)
    return Error(Errc::usage, "cannot create " + path + ": " + std::strerror(errno) +
                                  (errno == EEXIST ? " (remove it or choose another --out)" : ""));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return Error(Errc::usage, "cannot write " + path + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return Error(Errc::usage, "cannot write " + path);
  return ok();
}

int keygen(const EchArgs& args) {
  auto pair = generate_ech_key(args.public_name, static_cast<uint8_t>(args.config_id),
                               static_cast<uint8_t>(args.max_name_length));
  if (!pair) {
    std::cerr << "tern ech keygen: " << pair.error().detail << '\n';
    return kExitUsage;
  }
  const std::string& b64 = pair->config_list_base64;
  std::string b64_line = b64 + "\n";
  struct File {
    std::string suffix;
    BytesView data;
    mode_t mode;
  } files[] = {{".key", pair->private_key, 0600},
               {".config", pair->config, 0644},
               {".configlist", pair->config_list, 0644},
               {".configlist.b64", as_bytes(b64_line), 0644}};
  for (const auto& f : files)
    if (::access((args.out + f.suffix).c_str(), F_OK) == 0) {
      std::cerr << "tern ech keygen: " << args.out + f.suffix
                << " exists; remove it or choose another --out (nothing was written)\n";
      return kExitUsage;
    }
  for (const auto& f : files)
    if (auto written = write_new_file(args.out + f.suffix, f.data, f.mode); !written) {
      std::cerr << "tern ech keygen: " << written.error().detail << '\n';
      return kExitUsage;
    }
  std::cout << "ECH key for public name " << args.public_name << ", config_id " << args.config_id
            << ":\n"
            << "  " << args.out << ".key             private key (mode 0600)\n"
            << "  " << args.out << ".config          ECHConfig\n"
            << "  " << args.out << ".configlist      ECHConfigList (binary)\n"
            << "  " << args.out << ".configlist.b64  ECHConfigList (base64)\n"
            << "ECHConfigList: " << b64 << "\n"
            << "Serve:   tern serve DIR --cert CERT --key KEY --ech-key " << args.out
            << ".key --ech-config " << args.out << ".config\n"
            << "Connect: tern get --ech-config-list " << args.out << ".configlist https://NAME/\n";
  return kExitOk;
}

int show(const EchArgs& args) {
  std::ifstream in(args.list, std::ios::binary);
  std::string text;
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  } else {
    text = args.list;  // not a file: base64 on the command line
  }
  auto list = read_ech_config_list(as_bytes(text));
  if (!list) {
    std::cerr << "tern ech show: " << list.error().detail << '\n';
    return kExitRejected;
  }
  auto described = describe_ech_config_list(*list);
  if (!described) {
    std::cerr << "tern ech show: " << described.error().detail << '\n';
    return kExitRejected;
  }
  std::cout << *described;
  return kExitOk;
}

}  // namespace

void add_ech_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<EchArgs>();
  auto* ech = app.add_subcommand("ech", "Encrypted Client Hello (RFC 9849) keys and configs");
  ech->require_subcommand(1);
  auto* gen = ech->add_subcommand("keygen", "Make an ECH key and its ECHConfigList");
  gen->add_option("--public-name", args->public_name,
                  "The name the outer ClientHello shows (a DNS name the server has a "
                  "certificate for)")
      ->required();
  gen->add_option("--config-id", args->config_id, "The config's id, 0 to 255 (default 0)")
      ->check(CLI::Range(0, 255));
  gen->add_option("--max-name-length", args->max_name_length,
                  "The longest server name behind this key, for the clients' padding (default "
                  "0: pad to a common size)")
      ->check(CLI::Range(0, 255));
  gen->add_option("--out", args->out, "Prefix of the files written (default: ech)");
  gen->footer(kKeygenFooter);
  gen->callback([args, &runner] { runner = [args] { return keygen(*args); }; });
  auto* sh = ech->add_subcommand("show", "Print the configs of an ECHConfigList");
  sh->add_option("LIST", args->list, "An ECHConfigList: a file (binary or base64) or base64 text")
      ->required();
  sh->callback([args, &runner] { runner = [args] { return show(*args); }; });
}

}  // namespace tern::cli
