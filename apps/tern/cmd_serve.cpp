// SPDX-License-Identifier: Apache-2.0
// `tern serve`: an HTTPS static-file server on the epoll server core, one event loop per
// worker thread.
#include <sched.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "ech_files.h"
#include "http/explain_page.h"
#include "http/server.h"
#include "tern/server.h"
#include "tern/tls.h"
#include "ocsp_staple_file.h"
#include "psk_options.h"
#include "tls_options.h"
#include "trace/trace.h"

namespace tern::cli {
namespace {

struct ServeArgs {
  std::string dir = ".";
  std::vector<std::string> certs, keys;
  uint16_t port = 8443;
  std::string bind = "127.0.0.1";
  std::vector<std::string> alpn{"h2", "http/1.1"};  // in the server's order of preference
  double handshake_timeout = 10, idle_timeout = 60, header_timeout = 20, keepalive_timeout = 30;
  size_t max_connections = 10000, max_connections_per_ip = 100;
  TlsArgs tls;
  std::string client_ca;
  bool require_client_cert = false;
  std::string client_auth;  // none|optional|required; empty: by the flags above
  PskArgs psk;
  unsigned tickets = 2;
  std::string ticket_keys;
  bool no_resumption = false;
  bool early_data = false;
  uint32_t max_early_data = 16384;
  bool trace = false;
  bool list = false;
  bool explain = false;
  std::string access_log, log_format = "tern";
  unsigned workers = 0;  // 0: one per CPU
  std::vector<std::string> ocsp_responses;
  std::vector<std::string> ech_keys, ech_configs;
};

// The CPUs this process may run on (what nproc prints), at least 1.
unsigned cpu_count() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return static_cast<unsigned>(CPU_COUNT(&set));
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<unsigned>(online) : 1;
}

// stdout is shared by the workers: every write to it holds this lock, and goes out whole.
std::mutex g_stdout_mutex;

// A worker's stdout for --trace: the tracer writes a connection's ladder in many pieces and
// flushes at the end; the whole ladder then goes to stdout at once, never mixed with another.
class LockedBuffer final : public std::stringbuf {
 protected:
  int sync() override {
    std::lock_guard lock(g_stdout_mutex);
    std::cout << str() << std::flush;
    str("");
    return 0;
  }
};

std::ostream& thread_stdout() {
  struct Out {
    LockedBuffer buffer;
    std::ostream stream{&buffer};
  };
  thread_local Out out;
  return out.stream;
}

constexpr const char* kFooter =
    "Serves the files under DIR (default: the current directory) over HTTPS: GET and HEAD\n"
    "over HTTP/2 (ALPN h2, preferred) or HTTP/1.1 (ALPN http/1.1, or no ALPN) with\n"
    "keep-alive; --alpn http/1.1 turns HTTP/2 off. index.html for directories (a listing\n"
    "with --list), nothing outside DIR (.. and symlinks that leave it are refused). Files\n"
    "carry an ETag and Last-Modified: If-None-Match and If-Modified-Since get 304, a single\n"
    "byte Range 206 (416 past the end; several ranges get the whole file, If-Range is\n"
    "honoured). Give --cert/--key once per certificate; the client's server name (SNI)\n"
    "picks among them by their DNS names, the first is the default. The first line on\n"
    "stdout is 'listening on https://ADDR:PORT/'; then one line per request (each HTTP/2\n"
    "stream): client, request line ('GET /a HTTP/2'), status, body bytes, milliseconds (or,\n"
    "with --log-format common|combined, the Common/Combined Log Format; with --access-log,\n"
    "in that file). Failed handshakes get a line on stdout with the client and the reason,\n"
    "at most 10 a second per worker, then 'N more handshake failures suppressed'. HTTP/2\n"
    "allows 100 concurrent streams per connection and 16 KiB of request header fields, and\n"
    "ends connections with GOAWAY.\n"
    "Never served (404, with a log line saying why): dotfiles and dot-directories, the files\n"
    "credentials were loaded from (--key, --ticket-keys, --client-ca, SSLKEYLOGFILE; also\n"
    "through links) and any file whose first 64 KiB hold a private key (PEM or DER) or a\n"
    "tern session or ticket key. At start, a warning names such files in DIR (at most 4\n"
    "levels and 2000 files are looked at).\n"
    "SSLKEYLOGFILE, if set, receives the TLS secrets (NSS key log format, for Wireshark); it\n"
    "is created with mode 0600, and a symlink or a file others may read is refused.\n"
    "--workers N runs N event loops, each on its own thread with its own listening socket\n"
    "(SO_REUSEPORT: the kernel spreads new connections among them); the default is one per\n"
    "CPU this process may use, --workers 1 is a single thread. --max-connections counts all.\n"
    "Slow clients: a request head must arrive whole within --header-timeout of its first\n"
    "byte (or of the handshake), and the next request begin within --keepalive-timeout;\n"
    "bytes trickling in do not extend either. Each client address (an IPv6 /64) may hold\n"
    "--max-connections-per-ip connections. At either limit a new connection evicts the\n"
    "oldest one (of that address, at its limit) that has not completed a request, and is\n"
    "refused only when there is none.\n"
    "--explain serves /.well-known/tern/handshake and .../handshake.json: the handshake of\n"
    "the visitor's own connection (ClientHello, choices, key schedule, timings), recorded\n"
    "for each connection (at most 256 events; application data is not kept).\n"
    "SIGINT or SIGTERM stops the server (exit 0).\n\n"
    "Exit codes:\n"
    "  0  stopped by SIGINT/SIGTERM\n"
    "  2  usage error, or a certificate, key or directory that cannot be used\n"
    "  3  internal error\n"
    "  4  cannot listen on the address and port (in use, or not an address here)";

Server* g_server = nullptr;  // for the signal handler
extern "C" void on_stop_signal(int) {
  if (g_server) g_server->stop();
}

std::chrono::milliseconds seconds(double s) {
  return std::chrono::milliseconds(static_cast<int64_t>(s * 1000));
}

// The files this server read secrets from: never served, however they are named or linked.
std::shared_ptr<const http::CredentialFiles> credential_files(const ServeArgs& args) {
  auto files = std::make_shared<http::CredentialFiles>();
  for (const std::string& key : args.keys) files->add(key);
  if (!args.ticket_keys.empty()) files->add(args.ticket_keys);
  for (const std::string& key : args.ech_keys) files->add(key);
  if (!args.client_ca.empty()) files->add(args.client_ca);
  if (const char* keylog = std::getenv("SSLKEYLOGFILE"); keylog && *keylog) files->add(keylog);
  return files;
}

// Private keys in the served directory are refused one request at a time (404); the
// operator hears of them at start, from a bounded look (SecretScan's limits).
void warn_about_secrets(const std::string& root) {
  http::SecretScan scan = http::scan_for_secrets(root);
  if (scan.found.empty()) return;
  constexpr size_t kShown = 5;
  std::cerr << "tern serve: warning: " << root << " holds private keys or other secrets: ";
  for (size_t i = 0; i < scan.found.size() && i < kShown; ++i)
    std::cerr << (i ? ", " : "") << scan.found[i];
  if (scan.found.size() > kShown) std::cerr << " and " << scan.found.size() - kShown << " more";
  if (scan.incomplete)
    std::cerr << " (among the first " << http::SecretScan::kMaxFiles << " files, "
              << http::SecretScan::kMaxDepth << " levels deep)";
  std::cerr << ". They are never served (404), but keep keys out of a served directory: "
               "move them, or serve a directory that holds only the site.\n";
}

int serve(const ServeArgs& args) {
  auto fail = [](int code, const std::string& message) {
    std::cerr << "tern serve: " << message << '\n';
    return code;
  };
  if (args.certs.size() != args.keys.size())
    return fail(kExitUsage, "give one --key per --cert (" + std::to_string(args.certs.size()) +
                                " certificates, " + std::to_string(args.keys.size()) + " keys)");
  auto root = http::served_root(args.dir);
  if (!root) return fail(kExitUsage, root.error().detail);

  auto config = std::make_shared<ServerConfig>();
  for (size_t i = 0; i < args.certs.size(); ++i) {
    auto certified = CertifiedKey::load(args.certs[i], args.keys[i]);
    if (!certified) return fail(kExitUsage, certified.error().detail);
    config->certificates.push_back(std::move(*certified));
  }
  if (auto stapled = use_ocsp_response_files(args.ocsp_responses, *config); !stapled)
    return fail(kExitUsage, stapled.error().detail);
  for (const std::string& protocol : args.alpn)
    if (protocol != "h2" && protocol != "http/1.1" && protocol != "http/1.0")
      return fail(kExitUsage, "--alpn " + protocol +
                                  ": tern serve speaks HTTP/2 and HTTP/1.1 only, so it offers "
                                  "h2, http/1.1 (and http/1.0) and nothing else");
  config->alpn = args.alpn;
  if (auto applied = apply_tls_options(args.tls, *config); !applied)
    return fail(kExitUsage, applied.error().detail);
  if (auto ech = load_ech_key_files(args.ech_keys, args.ech_configs, *config, std::cerr); !ech)
    return fail(kExitUsage, ech.error().detail);
  config->resumption = !args.no_resumption;
  config->tickets = args.tickets;
  if (!args.ticket_keys.empty()) {
    std::error_code exists_error;
    if (!std::filesystem::exists(args.ticket_keys, exists_error)) {
      auto written = TicketKeys::write_key_file(args.ticket_keys);
      if (!written) return fail(kExitUsage, "--ticket-keys: " + written.error().detail);
      std::cerr << "tern serve: created the ticket key file " << args.ticket_keys
                << " (share it with the other servers of this name)\n";
    }
    auto keys = TicketKeys::load(args.ticket_keys);
    if (!keys) return fail(kExitUsage, "--ticket-keys: " + keys.error().detail);
    config->ticket_keys = std::move(*keys);
  }
  if (args.early_data && (args.no_resumption || args.max_early_data == 0 ||
                          args.max_early_data > 1048576))
    return fail(kExitUsage, "--early-data needs resumption (drop --no-resumption) and a "
                            "--max-early-data from 1 to 1048576");
  if (args.early_data) config->max_early_data = args.max_early_data;
  auto psk = load_psk_option(args.psk);
  if (!psk) return fail(kExitUsage, psk.error().detail);
  if (*psk) config->external_psks.push_back(std::move(**psk));
  if (config->certificates.empty() && config->external_psks.empty())
    return fail(kExitUsage, "give --cert FILE and --key FILE (or --psk-identity ID and "
                            "--psk-file FILE for a server that speaks external PSKs only)");
  if (!args.client_auth.empty() && args.client_auth != "none" && args.client_ca.empty())
    return fail(kExitUsage, "--client-auth " + args.client_auth +
                                " needs --client-ca FILE to check the certificates with");
  if (args.require_client_cert && !args.client_auth.empty() && args.client_auth != "required")
    return fail(kExitUsage, "--require-client-cert means --client-auth required; give one of "
                            "the two");
  if (args.require_client_cert && args.client_ca.empty())
    return fail(kExitUsage, "--require-client-cert needs --client-ca FILE to check the "
                            "certificates with");
  if (!args.client_ca.empty()) {
    auto roots = TrustStore::load(args.client_ca);
    if (!roots) return fail(kExitUsage, "--client-ca: " + roots.error().detail);
    config->client_roots = std::make_shared<TrustStore>(std::move(*roots));
    config->client_auth = args.require_client_cert ? ServerConfig::ClientAuth::require
                                                   : ServerConfig::ClientAuth::request;
    if (!args.client_auth.empty()) config->client_auth = client_auth_mode(args.client_auth);
  }
  if (const char* path = std::getenv("SSLKEYLOGFILE"); path && *path) {
    auto keylog = keylog_file(path);  // thread-safe: workers log from their threads
    if (!keylog) return fail(kExitUsage, "SSLKEYLOGFILE: " + keylog.error().detail);
    config->keylog = std::move(*keylog);
  }

  ServerOptions options;
  options.bind = args.bind;
  options.port = args.port;
  options.handshake_timeout = seconds(args.handshake_timeout);
  options.idle_timeout = seconds(args.idle_timeout);
  options.max_connections = args.max_connections;
  options.max_connections_per_address = args.max_connections_per_ip;
  options.workers = args.workers > 0 ? args.workers : cpu_count();
  if (args.trace && args.explain)
    return fail(kExitUsage, "--trace and --explain both record each connection: give one");
  if (args.explain) options.observer = http::explain_recorders();
  if (args.trace) {
    trace::RenderOptions render;
    const char* no_color = std::getenv("NO_COLOR");
    render.color = isatty(STDOUT_FILENO) && !(no_color && *no_color);
    options.observer = [render](const std::string& peer) {
      return trace::serve_tracer(thread_stdout(), render)(peer);
    };
  }
  std::string root_path = *root;
  auto log = [](const std::string& line) {
    std::lock_guard lock(g_stdout_mutex);
    std::cout << line << std::endl;
  };
  auto format = http::parse_log_format(args.log_format);
  if (!format) return fail(kExitUsage, "--log-format " + args.log_format + ": not one of tern, "
                                       "common, combined");
  std::shared_ptr<http::AccessLogFile> access_log;
  // "-" is stdout, written like every other stdout line (under g_stdout_mutex, whole).
  if (!args.access_log.empty() && args.access_log != "-") {
    auto opened = http::AccessLogFile::open(args.access_log);
    if (!opened) return fail(kExitUsage, opened.error().detail);
    access_log = std::move(*opened);
  }
  // Request lines to the access log file when there is one, else to stdout with the other
  // lines.
  auto log_request = [log, access_log, format = *format](const http::RequestRecord& record) {
    std::string line = http::format_request_log(record, format);
    if (access_log)
      access_log->write_line(line);
    else
      log(line);
  };
  // One line per failed handshake on stdout, at most HandshakeFailureLimiter::kPerSecond a
  // second per worker (the callback runs on the worker's thread).
  options.on_handshake_failure = [log](const std::string& peer, const Error& error) {
    thread_local http::HandshakeFailureLimiter limiter;
    for (const std::string& line : limiter.admit(std::chrono::steady_clock::now(),
                                                 http::format_handshake_failure(peer, error)))
      log(line);
  };
  warn_about_secrets(root_path);
  auto files = std::make_shared<const http::FileService>(
      root_path, credential_files(args), log,
      http::FileServiceOptions{.list_directories = args.list});
  http::RequestTimeouts timeouts{.head = seconds(args.header_timeout),
                                 .keep_alive = seconds(args.keepalive_timeout)};
  http::SessionResponder special;
  if (args.explain) special = http::explain_response;
  auto server = Server::listen(config, options, [files, log_request, timeouts, special] {
    return http::make_connection_handler(files, log_request, timeouts, special);
  });
  if (!server) {
    const Error& e = server.error();
    return fail(e.code == Errc::io ? kExitConnect : kExitUsage, e.detail);
  }
  g_server = server->get();
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);

  bool v6 = args.bind.find(':') != std::string::npos;
  std::cout << "listening on https://" << (v6 ? "[" + args.bind + "]" : args.bind) << ":"
            << (*server)->port() << "/" << std::endl;
  auto ran = (*server)->run();
  g_server = nullptr;
  if (!ran) return fail(kExitInternal, ran.error().detail);
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve a directory over HTTPS (TLS 1.3 and 1.2)");
  cmd->footer(kFooter);
  cmd->add_option("DIR", args->dir, "The directory to serve")->default_str(".");
  cmd->add_option("--cert", args->certs,
                  "Certificate chain, PEM, leaf first (repeatable: one per name)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--key", args->keys, "The private key of the matching --cert, PEM or DER")
      ->type_name("FILE")
      ->allow_extra_args(false);
  add_ocsp_response_option(*cmd, args->ocsp_responses);
  cmd->add_option("-p,--port", args->port, "TCP port; 0 picks a free one")->default_str("8443");
  cmd->add_option("--bind", args->bind, "Address to listen on (127.0.0.1, ::1, 0.0.0.0, ::)")
      ->default_str("127.0.0.1");
  cmd->add_option("--alpn", args->alpn,
                  "ALPN protocols offered, comma-separated, in order of preference (h2, "
                  "http/1.1, http/1.0)")
      ->delimiter(',')
      ->default_str("h2,http/1.1");
  cmd->add_option("--handshake-timeout", args->handshake_timeout,
                  "Seconds a client has to finish the TLS handshake")
      ->check(CLI::PositiveNumber)
      ->default_str("10");
  cmd->add_option("--idle-timeout", args->idle_timeout,
                  "Seconds without traffic before a connection is closed")
      ->check(CLI::PositiveNumber)
      ->default_str("60");
  cmd->add_option("--header-timeout", args->header_timeout,
                  "Seconds a client has to send a whole request head, from its first byte "
                  "(bytes trickling in do not extend it)")
      ->check(CLI::PositiveNumber)
      ->default_str("20");
  cmd->add_option("--keepalive-timeout", args->keepalive_timeout,
                  "Seconds a kept-alive connection may wait for its next request")
      ->check(CLI::PositiveNumber)
      ->default_str("30");
  cmd->add_option("--max-connections", args->max_connections,
                  "Most connections open at once; at the cap a new one evicts the oldest "
                  "connection that has not completed a request, or is refused")
      ->check(CLI::PositiveNumber)
      ->default_str("10000");
  cmd->add_option("--max-connections-per-ip", args->max_connections_per_ip,
                  "Most connections from one client address (IPv6: one /64); at the limit "
                  "its oldest connection without a completed request makes room, else a new "
                  "one is refused. 0: no limit")
      ->type_name("N")
      ->default_str("100");
  cmd->add_option("--workers", args->workers,
                  "Event loops, one thread each; 1 = a single thread (default: one per CPU)")
      ->type_name("N")
      ->check(CLI::Range(1, 1024))
      ->default_str(std::to_string(cpu_count()));
  cmd->add_option("--client-ca", args->client_ca,
                  "Ask clients for a certificate and verify it (clientAuth) against these "
                  "roots (PEM file or directory)")
      ->type_name("FILE");
  cmd->add_flag("--require-client-cert", args->require_client_cert,
                "Refuse clients without a valid certificate (needs --client-ca)");
  cmd->add_option("--tickets", args->tickets,
                  "TLS 1.3 session tickets sent after each full handshake (0: none; TLS 1.2 "
                  "tickets too)")
      ->default_str("2");
  cmd->add_option("--ticket-keys", args->ticket_keys,
                  "Seal session tickets with the key in FILE (created, mode 0600, if missing), "
                  "so servers sharing it resume each other's sessions; keys rotate every 12 h")
      ->type_name("FILE");
  cmd->add_flag("--no-resumption", args->no_resumption,
                "No session tickets and no TLS 1.2 session cache: every handshake is a full one");
  cmd->add_flag("--early-data", args->early_data,
                "Accept TLS 1.3 0-RTT data from resuming clients, once per ticket (anti-replay); "
                "early requests other than GET and HEAD get 425 Too Early");
  cmd->add_option("--max-early-data", args->max_early_data,
                  "Most 0-RTT bytes accepted per connection with --early-data (1 to 1048576)")
      ->default_str("16384");
  cmd->add_option("--access-log", args->access_log,
                  "Write the request lines to FILE (appended, created with mode 0640; a "
                  "symlink is refused) instead of stdout; - is stdout")
      ->type_name("FILE|-");
  cmd->add_option("--log-format", args->log_format,
                  "Request lines as tern's own (peer \"request\" status bytes ms), common "
                  "(CLF) or combined (CLF with referer and user agent)")
      ->check(CLI::IsMember({"tern", "common", "combined"}))
      ->default_str("tern");
  cmd->add_flag("--list", args->list,
                "Answer a directory without index.html with an HTML list of its entries "
                "(never dotfiles nor secrets; at most 1000 shown)");
  cmd->add_flag("--explain", args->explain,
                "Serve /.well-known/tern/handshake (HTML with the ladder) and "
                "/.well-known/tern/handshake.json: each visitor's own handshake, from the "
                "server's side");
  cmd->add_flag("--trace", args->trace,
                "Print each connection's handshake as a ladder (the server's view, as tern "
                "trace draws it) when the connection ends");
  cmd->add_option("--client-auth", args->client_auth,
                  "Client certificates (with --client-ca): optional serves a client whose "
                  "certificate fails verification as unauthenticated, required refuses it and "
                  "clients without one; none asks for none")
      ->check(CLI::IsMember({"none", "optional", "required"}))
      ->type_name("MODE");
  add_psk_options(*cmd, args->psk);
  cmd->add_option("--ech-key", args->ech_keys,
                  "Encrypted Client Hello: a private key (raw 32-byte X25519, from `tern ech "
                  "keygen` or `bssl-tool generate-ech`); repeat with one --ech-config each")
      ->type_name("FILE");
  cmd->add_option("--ech-config", args->ech_configs,
                  "The ECHConfig of the matching --ech-key (binary); clients whose ECH fails "
                  "get these configs back as retry_configs")
      ->type_name("FILE");
  add_tls_options(*cmd, args->tls);
  cmd->callback([args, &runner] { runner = [args] { return serve(*args); }; });
}

}  // namespace tern::cli
