// SPDX-License-Identifier: Apache-2.0
// `tern connect HOST:PORT`: like `openssl s_client`: handshake, print a summary, then copy
// stdin to the server and the server to stdout.
#include <poll.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "client_common.h"
#include "commands.h"

namespace tern::cli {
namespace {

struct ConnectArgs {
  std::string target;
  std::string servername;
  bool quiet = false;
  std::string early_data;  // --early-data FILE
  ClientArgs client;
};

bool write_all(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

int run_connect(const ConnectArgs& args) {
  auto fail = [](int code, const std::string& message) {
    std::cerr << "tern connect: " << message << '\n';
    return code;
  };
  auto target = parse_target(args.target);
  if (!target) return fail(kExitUsage, target.error().detail);
  const auto& [host, port] = *target;
  std::string name = args.servername.empty() ? host : args.servername;
  auto config = make_client_config(args.client, name, args.quiet ? nullptr : &std::cerr);
  if (!config) return fail(kExitUsage, config.error().detail);
  StreamOptions options = make_stream_options(args.client, false);
  if (!args.early_data.empty()) {
    std::ifstream in(args.early_data, std::ios::binary);
    options.early_data.assign(std::istreambuf_iterator<char>(in), {});
    if (!in.good() && !in.eof())
      return fail(kExitUsage, "--early-data: cannot read " + args.early_data);
    if (options.early_data.size() > 16384)
      return fail(kExitUsage, "--early-data: " + args.early_data +
                                  " is larger than 16384 bytes, the most tern sends early");
    config->early_data = true;
  }
  // An interactive session may sit idle for long: only the handshake is bounded by -m.
  auto session_cache = config->session_cache;
  auto stream = Stream::connect(host, port, std::move(*config), options);
  if (!stream)
    return fail(exit_code_for_stream_error(stream.error()),
                stream_error_message(stream.error(), args.client));
  if (!args.quiet) {
    print_connection_summary(std::cerr, **stream, true);
    if (!args.early_data.empty())
      std::cerr << "* Early data: "
                << ((*stream)->early_data_sent() == 0 ? "not sent (no session allowing it); sent "
                                                        "after the handshake"
                    : (*stream)->connection().early_data_accepted()
                        ? "accepted (" + std::to_string((*stream)->early_data_sent()) + " bytes)"
                        : "rejected; sent again after the handshake")
                << "\n";
    std::cerr << "* Connected; stdin goes to the server, the server's data to stdout. "
                 "End of input sends close_notify.\n";
  }

  Connection& tls = (*stream)->connection();
  bool stdin_open = true;
  uint8_t buffer[32 * 1024];
  while (true) {
    while (size_t n = tls.read(buffer))
      if (!write_all(STDOUT_FILENO, buffer, n)) return fail(kExitUsage, "cannot write stdout");
    if (tls.peer_closed()) break;
    pollfd fds[2] = {{(*stream)->fd(), POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    int ready = ::poll(fds, stdin_open ? 2 : 1, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return fail(kExitInternal, "poll failed");
    if (fds[0].revents) {
      auto open = (*stream)->pump();
      if (!open)
        return fail(exit_code_for_stream_error(open.error()),
                    stream_error_message(open.error(), args.client));
      if (!*open && !tls.peer_closed() && tls.readable() == 0) {
        if (!args.quiet) std::cerr << "* The server closed the connection without close_notify\n";
        if (auto saved = save_session(args.client, session_cache, name, std::cerr); !saved)
          return fail(kExitUsage, saved.error().detail);
        return kExitOk;
      }
    }
    if (stdin_open && fds[1].revents) {
      ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
      if (n > 0) {
        auto sent = (*stream)->write(BytesView(buffer, static_cast<size_t>(n)));
        if (!sent)
          return fail(exit_code_for_stream_error(sent.error()),
                      stream_error_message(sent.error(), args.client));
      } else if (n == 0 || errno != EINTR) {
        stdin_open = false;
        (void)(*stream)->close();  // half-close: keep reading until the server is done
      }
    }
  }
  if (!args.quiet) std::cerr << "* The server closed the connection (close_notify)\n";
  (void)(*stream)->close();
  if (auto saved = save_session(args.client, session_cache, name, std::cerr); !saved)
    return fail(kExitUsage, saved.error().detail);
  return kExitOk;
}

constexpr const char* kFooter =
    "Connects, verifies the server (system trust store, or --cacert) and prints the\n"
    "negotiated parameters and the chain to stderr; then stdin is sent to the server and\n"
    "what the server sends is written to stdout, until the server closes. End of input\n"
    "sends close_notify and keeps reading (half-close).\n\n"
    "Exit codes:\n"
    "  0  the server closed the connection\n"
    "  2  usage error\n"
    "  3  internal error\n"
    "  4  cannot resolve or connect\n"
    "  5  TLS failure (handshake, alert, record)\n"
    "  6  the server's certificate chain or name was rejected";

}  // namespace

void add_connect_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<ConnectArgs>();
  CLI::App* cmd = app.add_subcommand("connect",
                                     "Open a TLS connection and pipe stdin/stdout "
                                     "(like openssl s_client)");
  cmd->footer(kFooter);
  cmd->add_option("HOST:PORT", args->target, "The server, e.g. example.org:443 or [::1]:8443")
      ->required();
  cmd->add_option("--servername", args->servername,
                  "Name to send (SNI) and to check the certificate against (default: HOST)")
      ->type_name("NAME");
  cmd->add_option("--alpn", args->client.alpn, "ALPN protocols to offer, comma-separated")
      ->delimiter(',')
      ->type_name("LIST");
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing but the server's data");
  cmd->add_option("--early-data", args->early_data,
                  "Send FILE (at most 16 KiB) as TLS 1.3 0-RTT data when the session from "
                  "--sess-in allows it, else right after the handshake (openssl s_client "
                  "-early_data); it may be replayed by an attacker")
      ->type_name("FILE");
  add_client_options(*cmd, args->client);
  cmd->callback([args, &runner] { runner = [args] { return run_connect(*args); }; });
}

}  // namespace tern::cli
