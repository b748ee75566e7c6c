// SPDX-License-Identifier: Apache-2.0
// `tern trace HOST:PORT`: one real handshake (optionally one GET), drawn as a ladder with
// what each message carries, the key schedule, the certificate checks and a summary; and
// the per-connection tracer of `tern serve --trace`.
#include <poll.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "client_common.h"
#include "commands.h"
#include "output.h"
#include "trace/trace.h"

namespace tern::cli {
namespace {

struct TraceArgs {
  std::string target;
  std::string servername;
  std::string get_path;
  bool json = false;
  std::string svg;
  bool show_secrets = false;
  std::string color = "auto";
  ClientArgs client;
};

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

// After the handshake (and the request): sends close_notify and reads for up to two
// seconds what the server still sends (TLS 1.3 tickets, its close_notify).
void drain(Stream& stream) {
  (void)stream.close();
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  Connection& tls = stream.connection();
  uint8_t sink[16 * 1024];
  while (!tls.peer_closed() && !tls.closed() && std::chrono::steady_clock::now() < until) {
    pollfd p{stream.fd(), POLLIN, 0};
    if (::poll(&p, 1, 200) != 1) continue;
    auto open = stream.pump();
    while (tls.read(sink) > 0) {
    }
    if (!open || !*open) break;
  }
}

// One GET: the request, then the response until the server closes or the body ends.
Result<std::string> fetch(Stream& stream, const std::string& host, const std::string& path) {
  TERN_CHECK(stream.write("GET " + path + " HTTP/1.1\r\nHost: " + host +
                          "\r\nUser-Agent: tern/0.1.0 (trace)\r\nConnection: close\r\n\r\n"));
  std::string status_line, head;
  uint8_t buffer[16 * 1024];
  while (true) {
    auto n = stream.read(buffer);
    if (!n) return std::move(n).error();
    if (*n == 0) break;
    if (status_line.empty()) {
      head.append(reinterpret_cast<const char*>(buffer), std::min<size_t>(*n, 256));
      if (size_t eol = head.find("\r\n"); eol != std::string::npos) status_line = head.substr(0, eol);
    }
  }
  return status_line;
}

int run_trace(const TraceArgs& args) {
  auto fail = [](int code, const std::string& message) {
    std::cerr << "tern trace: " << message << '\n';
    return code;
  };
  auto target = parse_target(args.target);
  if (!target) return fail(kExitUsage, target.error().detail);
  const auto& [host, port] = *target;
  std::string name = args.servername.empty() ? host : args.servername;
  auto config = make_client_config(args.client, name, &std::cerr);
  if (!config) return fail(kExitUsage, config.error().detail);
  if (!args.get_path.empty() && config->alpn.empty()) config->alpn = {"http/1.1"};
  std::unique_ptr<OutputFile> svg_file;
  if (!args.svg.empty()) {
    auto opened = OutputFile::open(args.svg);
    if (!opened) return fail(kExitUsage, "--svg: " + opened.error().detail);
    svg_file = std::move(*opened);
  }

  trace::Clock clock = trace::steady_clock_ms();
  trace::Recorder recorder(trace::Side::client, clock);
  config->observer = &recorder;
  if (args.show_secrets) {
    auto previous = config->keylog;
    config->keylog = [previous, &recorder](const std::string& line) {
      if (previous) previous(line);
      recorder.keylog(line);
    };
  }
  auto session_cache = config->session_cache;
  double started = clock();
  auto stream = Stream::connect(host, port, *config, make_stream_options(args.client, true));

  trace::Trace& t = recorder.trace();
  std::string address = stream ? (*stream)->peer_address() : host + ":" + std::to_string(port);
  t.title = "tern trace " + args.target + " (" + address + ")" +
            (name != host ? ", server name " + name : "");
  t.client_label = "client (tern)";
  t.server_label = "server (" + address + ")";
  if (auto first = recorder.started_at()) t.connect_ms = *first - started;
  int code = kExitOk;
  if (!stream) {
    t.error = stream.error().detail;
    code = exit_code_for_stream_error(stream.error());
  } else {
    if (!args.get_path.empty()) {
      auto status = fetch(**stream, host, args.get_path);
      if (!status)
        std::cerr << "tern trace: GET " << args.get_path << ": " << status.error().detail << '\n';
      else
        t.title += ", GET " + args.get_path + ": " + (status->empty() ? "(no response)" : *status);
    }
    drain(**stream);
    if (auto saved = save_session(args.client, session_cache, name, std::cerr); !saved)
      return fail(kExitUsage, saved.error().detail);
  }

  trace::RenderOptions options;
  options.show_secrets = args.show_secrets;
  if (args.json) {
    trace::render_json(t, std::cout, options);
  } else {
    options.color = use_color(args.color);
    options.width = trace::terminal_width(STDOUT_FILENO);
    trace::render_text(t, std::cout, options);
  }
  if (svg_file) {
    trace::RenderOptions plain = options;
    plain.color = false;
    trace::render_svg(t, svg_file->stream(), plain);
    if (auto committed = svg_file->commit(); !committed)
      return fail(kExitUsage, "--svg: " + committed.error().detail);
  }
  if (code != kExitOk) std::cerr << "tern trace: " << t.error << '\n';
  return code;
}

constexpr const char* kFooter =
    "Runs one handshake with HOST:PORT (the TLS options of tern get) and draws it: the\n"
    "client on the left, the server on the right, one arrow per message in wire order with\n"
    "its protection (plaintext, handshake keys, application keys), size and time since the\n"
    "first message; beside each, what it carries and what it means; the key schedule (labels;\n"
    "values with --show-secrets), the certificate chain and each verification check; and a\n"
    "summary. Then close_notify (or with --get, one request first). --json: one object per\n"
    "event (docs/cli.md). Colour on a terminal unless NO_COLOR is set.\n\n"
    "Exit codes:\n"
    "  0  the handshake completed\n"
    "  2  usage error (bad option, unreadable file, unwritable --svg file)\n"
    "  3  internal error\n"
    "  4  cannot resolve or connect\n"
    "  5  TLS failure (the trace shows how far it got)\n"
    "  6  the server's certificate chain or name was rejected (the trace shows the check)";

}  // namespace


void add_trace_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<TraceArgs>();
  CLI::App* cmd = app.add_subcommand("trace", "Run a handshake and draw it as a ladder diagram");
  cmd->footer(kFooter);
  cmd->add_option("HOST:PORT", args->target, "The server, e.g. example.org:443 or [::1]:8443")
      ->required();
  cmd->add_option("--servername", args->servername,
                  "Name to send (SNI) and to check the certificate against (default: HOST)")
      ->type_name("NAME");
  cmd->add_option("--alpn", args->client.alpn,
                  "ALPN protocols to offer, comma-separated (default: none; http/1.1 with --get)")
      ->delimiter(',')
      ->type_name("LIST");
  cmd->add_option("--get", args->get_path, "After the handshake, GET this path (e.g. /)")
      ->type_name("PATH");
  cmd->add_flag("--json", args->json, "One JSON object per event instead of the ladder");
  cmd->add_option("--svg", args->svg, "Also draw the ladder as an SVG picture in FILE")
      ->type_name("FILE");
  cmd->add_flag("--show-secrets", args->show_secrets,
                "Show the secrets (the NSS key log values) beside the key schedule");
  cmd->add_option("--color", args->color, "auto (on a terminal, unless NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->default_str("auto");
  add_client_options(*cmd, args->client);
  cmd->callback([args, &runner] { runner = [args] { return run_trace(*args); }; });
}

}  // namespace tern::cli
