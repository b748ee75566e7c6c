// SPDX-License-Identifier: Apache-2.0
// `tern get URL`: an HTTPS GET like `curl -sS`, body to stdout (or -o FILE).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "client_common.h"
#include "commands.h"
#include "http/response_parser.h"
#include "output.h"

namespace tern::cli {
namespace {

struct GetArgs {
  std::string url;
  std::string output;
  bool verbose = false;
  std::vector<std::string> resolve;
  ClientArgs client;
};

struct Url {
  std::string host;  // without brackets
  uint16_t port = 443;
  std::string path = "/";
  std::string host_header;  // as in the URL: "[::1]:8443"
};

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Spaces, control characters and bytes past ASCII as %XX, as curl sends them: the request
// line must not carry them raw.
std::string percent_encode_unsafe(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : path) {
    auto b = static_cast<unsigned char>(c);
    if (b > 0x20 && b < 0x7f) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

Result<Url> parse_url(const std::string& text) {
  // Scheme and host name are case-insensitive (RFC 3986 §3.1, §3.2.2): HTTPS://Example.ORG/.
  if (!lowercase(text.substr(0, 8)).starts_with("https://")) {
    std::string scheme = text.substr(0, text.find("://"));
    return Error(Errc::usage,
                 "'" + text + "': only https:// URLs are supported" +
                     (text.find("://") != std::string::npos ? " (not " + scheme + "://)" : ""));
  }
  Url url;
  std::string rest = text.substr(8);
  size_t slash = rest.find_first_of("/?#");
  std::string authority = lowercase(rest.substr(0, slash));
  if (std::any_of(authority.begin(), authority.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) == 0x7f;
      }))
    return Error(Errc::usage, "'" + text +
                                  "': the host name holds a space or control character; remove it "
                                  "(spaces in the path are sent as %20)");
  if (slash != std::string::npos) url.path = rest.substr(slash);
  if (url.path.front() != '/') url.path = "/" + url.path;
  url.path = percent_encode_unsafe(url.path.substr(0, url.path.find('#')));
  url.host_header = authority;
  if (authority.find('@') != std::string::npos)
    return Error(Errc::usage, "'" + text + "': user names in URLs are not supported");
  std::string port;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string::npos) return Error(Errc::usage, "'" + text + "': unclosed [");
    url.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return Error(Errc::usage, "'" + text + "': bad port");
      port = authority.substr(close + 2);
    }
  } else {
    size_t colon = authority.rfind(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return Error(Errc::usage, "'" + text + "': no host name");
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) == 0 || std::stoi(port) > 65535)
      return Error(Errc::usage, "'" + text + "': bad port '" + port + "'");
    url.port = static_cast<uint16_t>(std::stoi(port));
  }
  return url;
}

// --resolve HOST:PORT:ADDR for this URL, or "".
Result<std::string> resolved_address(const std::vector<std::string>& entries, const Url& url) {
  for (const std::string& entry : entries) {
    size_t first = entry.find(':');
    size_t second = first == std::string::npos ? first : entry.find(':', first + 1);
    if (second == std::string::npos)
      return Error(Errc::usage, "--resolve '" + entry + "': expected HOST:PORT:ADDRESS");
    if (entry.substr(0, first) == url.host &&
        entry.substr(first + 1, second - first - 1) == std::to_string(url.port))
      return entry.substr(second + 1);
  }
  return std::string();
}

int run_get(const GetArgs& args) {
  auto fail = [](int code, const std::string& message) {
    std::cerr << "tern get: " << message << '\n';
    return code;
  };
  auto url = parse_url(args.url);
  if (!url) return fail(kExitUsage, url.error().detail);
  auto config = make_client_config(args.client, url->host, args.verbose ? &std::cerr : nullptr);
  if (!config) return fail(kExitUsage, config.error().detail);
  config->alpn = {"http/1.1"};
  StreamOptions options = make_stream_options(args.client, true);
  auto address = resolved_address(args.resolve, *url);
  if (!address) return fail(kExitUsage, address.error().detail);
  options.connect_address = *address;

  // -o FILE: written under a temporary name, renamed onto FILE once the body is complete.
  std::unique_ptr<OutputFile> file;
  std::ostream* out = &std::cout;
  if (!args.output.empty() && args.output != "-") {
    auto opened = OutputFile::open(args.output);
    if (!opened) return fail(kExitUsage, opened.error().detail);
    file = std::move(*opened);
    out = &file->stream();
  }

  auto session_cache = config->session_cache;
  auto stream = Stream::connect(url->host, url->port, std::move(*config), options);
  if (!stream) {
    const Error& e = stream.error();
    int code = exit_code_for_stream_error(e);
    std::string hint = code == kExitCertificate && args.client.cacert.empty() &&
                               e.detail.find("trust") != std::string::npos
                           ? " (a private CA? pass it with --cacert FILE)"
                           : "";
    return fail(code, stream_error_message(e, args.client) + hint);
  }
  if (args.verbose) print_connection_summary(std::cerr, **stream, true);

  std::string request = "GET " + url->path + " HTTP/1.1\r\nHost: " + url->host_header +
                        "\r\nUser-Agent: tern/0.1.0\r\nAccept: */*\r\nConnection: close\r\n\r\n";
  if (args.verbose) std::cerr << "> GET " << url->path << " HTTP/1.1\n";
  auto sent =
      (*stream)->write(BytesView(reinterpret_cast<const uint8_t*>(request.data()), request.size()));
  if (!sent)
    return fail(exit_code_for_stream_error(sent.error()),
                stream_error_message(sent.error(), args.client));

  http::ResponseParser parser;
  bool printed_head = false;
  auto sink = [&](BytesView body) {
    out->write(reinterpret_cast<const char*>(body.data()),
               static_cast<std::streamsize>(body.size()));
  };
  uint8_t buffer[64 * 1024];
  while (!parser.complete()) {
    auto n = (*stream)->read(buffer);
    if (!n) {
      out->flush();
      return fail(exit_code_for_stream_error(n.error()),
                  stream_error_message(n.error(), args.client));
    }
    if (*n == 0) {
      if (auto ended = parser.end_of_stream(); !ended) {
        out->flush();
        return fail(kExitHttp, ended.error().detail);
      }
      break;
    }
    if (auto fed = parser.feed(BytesView(buffer, *n), sink); !fed) {
      out->flush();
      return fail(kExitHttp, fed.error().detail);
    }
    if (args.verbose && parser.head_done() && !printed_head) {
      printed_head = true;
      std::cerr << "< " << parser.status_line() << "\n";
      for (const auto& [name, value] : parser.headers())
        std::cerr << "< " << name << ": " << value << "\n";
    }
  }
  out->flush();
  if (!*out) return fail(kExitUsage, "writing the body failed (disk full?)");
  if (file)
    if (auto committed = file->commit(); !committed)
      return fail(kExitUsage, committed.error().detail);
  (void)(*stream)->close();
  if (auto saved = save_session(args.client, session_cache, url->host, std::cerr); !saved)
    return fail(kExitUsage, saved.error().detail);
  if (parser.status() >= 400) return fail(kExitHttp, "the server answered " + parser.status_line());
  return kExitOk;
}

constexpr const char* kFooter =
    "Fetches URL over HTTPS (TLS 1.3 or 1.2) and writes the body to stdout (or -o FILE), like curl -sS.\n"
    "The server's chain and name are verified against the system trust store, or --cacert.\n"
    "SSLKEYLOGFILE, if set, receives the TLS secrets (NSS key log format, for Wireshark); it\n"
    "is created with mode 0600, and a symlink or a file others may read is refused.\n\n"
    "Exit codes:\n"
    "  0  the body was received (status below 400)\n"
    "  2  usage error (bad URL or option, unreadable --cacert, unwritable -o file)\n"
    "  3  internal error\n"
    "  4  cannot resolve or connect to the server\n"
    "  5  TLS failure: handshake, alert, timeout or a record that does not decrypt\n"
    "  6  the server's certificate chain or name was rejected\n"
    "  7  HTTP failure: a malformed or truncated response, or a status of 400 or more\n"
    "     (the body is still written, like curl --fail-with-body)";

}  // namespace

void add_get_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<GetArgs>();
  CLI::App* cmd = app.add_subcommand("get", "Fetch an https:// URL (like curl -sS)");
  cmd->footer(kFooter);
  cmd->add_option("URL", args->url, "https://HOST[:PORT]/PATH")->required();
  cmd->add_option("-o,--output", args->output, "Write the body to FILE instead of stdout")
      ->type_name("FILE");
  cmd->add_flag("-v,--verbose", args->verbose,
                "Print the connection, negotiated parameters, certificate chain and response "
                "headers to stderr");
  cmd->add_option("--resolve", args->resolve,
                  "Connect to ADDRESS for HOST:PORT, keeping HOST for SNI and the certificate "
                  "check (repeatable)")
      ->type_name("HOST:PORT:ADDRESS")
      ->allow_extra_args(false);
  add_client_options(*cmd, args->client);
  cmd->callback([args, &runner] { runner = [args] { return run_get(*args); }; });
}

}  // namespace tern::cli
