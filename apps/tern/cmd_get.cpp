// SPDX-License-Identifier: Apache-2.0
// `tern get URL`: an HTTPS request with curl's everyday flags and curl's exit codes; body to
// stdout (or -o FILE / -O). The pieces live in get/: the URL, the request, -v, -w, the
// --compressed decoder and the exit codes; this file registers the flags and runs the
// transfer, following redirects with -L.
#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "client_common.h"
#include "commands.h"
#include "get/decode.h"
#include "get/exit_codes.h"
#include "get/options.h"
#include "get/request.h"
#include "get/url.h"
#include "get/verbose.h"
#include "get/write_out.h"
#include "http/h2_client.h"
#include "http/message.h"
#include "http/response_parser.h"
#include "output.h"

namespace tern::cli {
namespace {

using namespace get;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// A response head from either framing: what -i, -I, -v, -f, -L and --compressed look at.
struct ResponseHead {
  int status = 0;
  std::string status_line;  // "HTTP/1.1 200 OK", "HTTP/2 200"
  std::string version;      // "1.1", "1.0", "2"
  std::vector<std::pair<std::string, std::string>> fields;

  static ResponseHead from(const http::ResponseParser& parser) {
    return {parser.status(), parser.status_line(), parser.status_line().substr(5, 3),
            parser.headers()};
  }
  static ResponseHead from(int status, const http::Fields& fields) {
    ResponseHead head{status, "HTTP/2 " + std::to_string(status), "2", {}};
    for (const http::Field& f : fields) head.fields.emplace_back(f.name, f.value);
    return head;
  }
  // As received (for -i, -I and -v).
  std::string text() const {
    std::string head = status_line + "\r\n";
    for (const auto& [name, value] : fields) head += name + ": " + value + "\r\n";
    return head + "\r\n";
  }
  const std::string* field(std::string_view lower_name) const {
    for (const auto& [name, value] : fields)
      if (http::equals_ignore_case(name, lower_name)) return &value;
    return nullptr;
  }
};

// The HTTP/1.1 request text as HTTP/2 wants it: the fields of its head, lower-case, without
// Host (it becomes :authority) and the connection-specific fields HTTP/2 forbids.
http::Fields h2_fields(const std::string& request) {
  http::Fields fields;
  std::vector<std::string> lines = request_header_lines(request);
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t colon = lines[i].find(':');
    std::string name = lines[i].substr(0, colon), value = lines[i].substr(colon + 1);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (name == "host" || name == "connection" || name == "keep-alive" ||
        name == "transfer-encoding" || name == "upgrade" || name == "proxy-connection")
      continue;
    fields.push_back({name, value});
  }
  return fields;
}

class Transfer {
 public:
  explicit Transfer(const GetArgs& args) : args_(args), start_(Clock::now()) {}
  int run();

 private:
  int transfer();  // everything but -w

  // Prints "tern get: MESSAGE" unless -s (without -S) asked for silence; returns `code`.
  int fail(int code, const std::string& message) {
    if (!args_.silent || args_.show_error) std::cerr << "tern get: " << message << '\n';
    return code;
  }
  // One request on one connection. Sets `next_url` when -L is to follow a redirect.
  int exchange(const Url& url, bool same_origin, std::string& next_url);
  // The end of one exchange: the decoder's last check, close_notify, --sess-out.
  int finish_exchange(Stream& stream, BodyDecoder* decoder,
                      const std::shared_ptr<ClientSessionCache>& session_cache, const Url& url);
  int finish();

  const GetArgs& args_;
  Clock::time_point start_;
  RequestPlan plan_;
  std::unique_ptr<OutputFile> file_;
  std::ostream* out_ = &std::cout;
  TransferInfo info_;
  bool retry_after_handshake_ = false;  // the server answered the early request 425
  bool early_refused_ = false;          // ... so no more early data
};

int Transfer::exchange(const Url& url, bool same_origin, std::string& next_url) {
  auto config = make_client_config(args_.client, url.host, args_.verbose ? &std::cerr : nullptr);
  if (!config) return fail(kUsage, config.error().detail);
  // As curl over TLS: h2 first, http/1.1 for servers without it (the server picks);
  // --http1.1 offers only http/1.1.
  config->alpn = args_.http11 || args_.early_data ? std::vector<std::string>{"http/1.1"}
                                                  : std::vector<std::string>{"h2", "http/1.1"};
  StreamOptions options = make_stream_options(args_.client, true);
  // --early-data: only a request that is safe to replay goes in 0-RTT data.
  config->early_data = args_.early_data && !early_refused_ &&
                       (plan_.method == "GET" || plan_.method == "HEAD");
  if (config->early_data) {
    std::string early = build_request(plan_, url, same_origin);
    options.early_data.assign(early.begin(), early.end());
  }
  auto address = resolved_address(args_.resolve, url);
  if (!address) return fail(kUsage, address.error().detail);
  options.connect_address = *address;

  auto session_cache = config->session_cache;
  auto stream = Stream::connect(url.host, url.port, std::move(*config), options);
  if (!stream) {
    const Error& e = stream.error();
    int code = exit_for_stream_error(e, true, false);
    std::string hint = code == kPeerCertificate && args_.client.cacert.empty() &&
                               e.detail.find("trust") != std::string::npos
                           ? " (a private CA? pass it with --cacert FILE)"
                           : "";
    return fail(code, stream_error_message(e, args_.client) + hint);
  }
  info_.time_connect =
      std::chrono::duration<double>((*stream)->tcp_connected_at() - start_).count();
  info_.time_appconnect = since(start_);
  if (args_.verbose) print_connection(std::cerr, **stream, url, args_.client.insecure);
  if (args_.verbose && args_.early_data)
    std::cerr << "* Early data: "
              << ((*stream)->early_data_sent() == 0 ? "not sent (no session allowing it)"
                  : (*stream)->connection().early_data_accepted()
                      ? "accepted (" + std::to_string((*stream)->early_data_sent()) + " bytes)"
                      : "rejected (the request was sent again after the handshake)")
              << "\n";

  const bool h2 = (*stream)->connection().alpn() == "h2";
  std::string request = build_request(plan_, url, same_origin);
  std::string request_head = request.substr(0, request.find("\r\n\r\n") + 4);
  if (args_.verbose) {
    std::string shown = request_head;
    if (h2) {  // as curl shows an HTTP/2 request
      const std::string version = " HTTP/1.1\r\n", close = "Connection: close\r\n";
      shown.replace(shown.find(version), version.size(), " HTTP/2\r\n");
      shown.erase(shown.find(close), close.size());  // not sent: HTTP/2 has no such field
    }
    print_head(std::cerr, "> ", shown);
  }

  http::ResponseParser parser(plan_.method == "HEAD");
  ResponseHead head;
  bool head_seen = false, keep_body = false;
  int outcome = kOk;
  std::unique_ptr<BodyDecoder> decoder;
  std::string decode_error;
  auto write_out = [&](BytesView data) {
    out_->write(reinterpret_cast<const char*>(data.data()),
                static_cast<std::streamsize>(data.size()));
  };
  // Called once the head is in (defined below): what to do with this response.
  std::function<int()> on_head;
  // The parser hands on body bytes from the same feed() that completed the head: decide
  // about the response before the first of them.
  auto see_head = [&] {
    if (head_seen) return;
    head_seen = true;
    if (!h2) head = ResponseHead::from(parser);
    outcome = on_head();
  };
  auto sink = [&](BytesView body) {
    see_head();
    info_.size_download += body.size();
    if (outcome != kOk || !keep_body || !decode_error.empty()) return;
    if (!decoder) return write_out(body);
    if (auto fed = decoder->feed(body, write_out); !fed) decode_error = fed.error().detail;
  };
  on_head = [&]() -> int {
    info_.http_code = head.status;
    info_.http_version = head.version;
    if (args_.verbose) print_head(std::cerr, "< ", head.text());
    // 425 Too Early to a request the server took in early data: sent again, once the
    // handshake is done (RFC 8470 §5.2); this answer's body is not kept.
    if (head.status == 425 && (*stream)->early_data_sent() > 0 &&
        (*stream)->connection().early_data_accepted()) {
      retry_after_handshake_ = true;
      return kOk;
    }
    const std::string* location = head.field("location");
    if (args_.location && is_redirect(head.status) && location) {
      next_url = resolve_location(url, *location);
      if (args_.include) *out_ << head.text();
      return kOk;  // the body of a redirect is not kept
    }
    if (args_.fail && head.status >= 400)
      return fail(kHttpError, "the requested URL returned error: " + head.status_line.substr(
                                                                         head.status_line.find(' ') + 1));
    if (args_.include || args_.head) *out_ << head.text();
    keep_body = true;
    if (plan_.compressed) {
      const std::string* encoding = head.field("content-encoding");
      auto made = BodyDecoder::for_encoding(encoding ? *encoding : "");
      if (!made) return fail(kBadContentEncoding, made.error().detail);
      decoder = std::move(*made);
    }
    return kOk;
  };

  if (h2) {
    http::H2Request h2_request{plan_.method, url.host_header, url.path, h2_fields(request_head),
                               plan_.has_body ? plan_.body : ""};
    Stream& tls = **stream;
    Error transport_error;
    bool transport_failed = false, sending = false;
    http::H2Transport transport{
        [&](BytesView data) -> Result<void> {
          auto sent = tls.write(data);
          if (!sent) transport_error = sent.error(), transport_failed = sending = true;
          return sent;
        },
        [&](std::span<uint8_t> into) -> Result<size_t> {
          auto n = tls.read(into);
          if (!n) transport_error = n.error(), transport_failed = true, sending = false;
          return n;
        }};
    http::H2Handlers handlers{
        [&](int status, const http::Fields& fields) {
          head = ResponseHead::from(status, fields);
          see_head();
        },
        sink,
        [&] { return outcome == kOk && decode_error.empty(); }};
    auto exchanged = http::h2_exchange(h2_request, transport, handlers);
    if (outcome != kOk) return outcome;
    if (!decode_error.empty()) return fail(kBadContentEncoding, decode_error);
    if (!exchanged)
      return transport_failed ? fail(exit_for_stream_error(transport_error, false, sending),
                                     stream_error_message(transport_error, args_.client))
                              : fail(kRecvError, exchanged.error().detail);
    return finish_exchange(**stream, keep_body ? decoder.get() : nullptr, session_cache, url);
  }

  // With --early-data, connect() has sent the request already (early or after the handshake).
  if (auto sent = options.early_data.empty() ? (*stream)->write(request) : Result<void>(ok());
      !sent)
    return fail(exit_for_stream_error(sent.error(), false, true),
                stream_error_message(sent.error(), args_.client));
  uint8_t buffer[64 * 1024];
  while (!parser.complete()) {
    auto n = (*stream)->read(buffer);
    if (!n) {
      out_->flush();
      return fail(exit_for_stream_error(n.error(), false, false),
                  stream_error_message(n.error(), args_.client));
    }
    if (*n == 0) {
      if (auto ended = parser.end_of_stream(); !ended)
        return fail(parser.head_done() ? kPartialFile : kWeirdReply, ended.error().detail);
      break;
    }
    if (auto fed = parser.feed(BytesView(buffer, *n), sink); !fed)
      return fail(kWeirdReply, fed.error().detail);
    if (parser.head_done()) see_head();
    if (outcome != kOk) return outcome;
    if (!decode_error.empty()) return fail(kBadContentEncoding, decode_error);
  }
  if (parser.head_done()) see_head();
  if (outcome != kOk) return outcome;
  return finish_exchange(**stream, keep_body ? decoder.get() : nullptr, session_cache, url);
}

int Transfer::finish_exchange(Stream& stream, BodyDecoder* decoder,
                              const std::shared_ptr<ClientSessionCache>& session_cache,
                              const Url& url) {
  if (decoder)
    if (auto done = decoder->finish(); !done) return fail(kBadContentEncoding, done.error().detail);
  (void)stream.close();
  if (auto saved = save_session(args_.client, session_cache, url.host, std::cerr); !saved)
    return fail(kWriteError, saved.error().detail);
  return kOk;
}

int Transfer::transfer() {
  auto url = parse_url(args_.url);
  if (!url)
    return fail(url.error().code == Errc::unsupported ? kUnsupportedProtocol : kMalformedUrl,
                url.error().detail);
  auto plan = plan_request(args_);
  if (!plan) return fail(plan.error().code == Errc::io ? kReadError : kUsage, plan.error().detail);
  plan_ = std::move(*plan);

  // -o FILE / -O: written under a temporary name, renamed onto the file once the body is
  // complete (an existing file is replaced, as curl does, but never left half-written).
  std::string path = args_.output;
  if (args_.remote_name) {
    if (!path.empty()) return fail(kUsage, "-O and -o both name the output; give one");
    auto name = remote_name(*url);
    if (!name) return fail(kUsage, name.error().detail);
    path = *name;
  }
  if (!path.empty() && path != "-") {
    auto opened = OutputFile::open(path);
    if (!opened) return fail(kWriteError, opened.error().detail);
    file_ = std::move(*opened);
    out_ = &file_->stream();
  }

  Url current = *url;
  bool same_origin = true;
  for (int redirects = 0;; ++redirects) {
    std::string next;
    info_.url_effective = current.text;
    if (int code = exchange(current, same_origin, next); code != kOk) return code;
    if (std::exchange(retry_after_handshake_, false)) {
      if (args_.verbose)
        std::cerr << "* 425 Too Early: sending the request again on a new connection, "
                     "without early data\n";
      early_refused_ = true;
      if (int code = exchange(current, same_origin, next); code != kOk) return code;
    }
    if (next.empty()) break;
    if (args_.max_redirs >= 0 && redirects >= args_.max_redirs)
      return fail(kTooManyRedirects,
                  "maximum (" + std::to_string(args_.max_redirs) + ") redirects followed");
    auto target = parse_url(next);
    if (!target && target.error().code == Errc::unsupported)
      return fail(kUnsupportedProtocol, "refusing to follow the redirect from " + current.text +
                                            " to " + next + ": not https:// (a downgrade)");
    if (!target) return fail(kWeirdReply, "the redirect's Location: " + target.error().detail);
    if (args_.verbose) std::cerr << "* Issue another request to this URL: '" << next << "'\n";
    // Credentials stay with the host they were given for (curl, CVE-2018-1000007).
    if (target->host != url->host || target->port != url->port) same_origin = false;
    // 303 turns any method into GET; 301 and 302 turn POST into GET, as browsers and curl
    // do; -X keeps the method as given.
    if (!plan_.method_forced &&
        ((info_.http_code == 303 && plan_.method != "HEAD") ||
         ((info_.http_code == 301 || info_.http_code == 302) && plan_.method == "POST"))) {
      plan_.method = "GET";
      plan_.has_body = false;
      plan_.body.clear();
    }
    current = std::move(*target);
  }
  return finish();
}

int Transfer::finish() {
  out_->flush();
  if (!*out_) return fail(kWriteError, "writing the body failed (disk full?)");
  if (file_)
    if (auto committed = file_->commit(); !committed)
      return fail(kWriteError, committed.error().detail);
  return kOk;
}

int Transfer::run() {
  int code = transfer();
  // -w reports failed transfers too (http_code 000 when no response came), as curl's does.
  if (!args_.write_out.empty() && code != kUsage) {
    info_.time_total = since(start_);
    std::string unknown;
    std::cout << expand_write_out(args_.write_out, info_, &unknown) << std::flush;
    if (!unknown.empty() && (!args_.silent || args_.show_error))
      std::cerr << "tern get: -w: unknown variable %{" << unknown << "} (see tern get --help)\n";
  }
  return code;
}

constexpr const char* kFooter =
    "Fetches URL over HTTPS (TLS 1.3 or 1.2) and writes the body to stdout (or -o FILE), with\n"
    "curl's flags and meanings. The server's chain and name are verified against the system\n"
    "trust store, or --cacert. SSLKEYLOGFILE, if set, receives the TLS secrets (NSS key log\n"
    "format); it is created with mode 0600, and a symlink or a file others may read is refused.\n\n"
    "-w variables: %{http_code} %{time_connect} %{time_appconnect} %{time_total}\n"
    "  %{ssl_verify_result} %{size_download} %{url_effective} %{http_version}; \\n \\t \\r %%\n\n"
    "Exit codes (curl's, for the same failure):\n"
    "  0  success (any HTTP status, unless -f)     23  writing the output failed\n"
    "  1  not an https:// URL or redirect          26  reading a -d/--data-binary @file failed\n"
    "  2  usage error (bad option or value)        28  timed out (--connect-timeout, -m)\n"
    "  3  malformed URL                            35  TLS handshake failed\n"
    "  6  cannot resolve the host name             43  internal error\n"
    "  7  cannot connect                           47  more redirects than --max-redirs\n"
    "  8  malformed HTTP response                  55/56  sending/receiving failed\n"
    " 18  the body ended early (truncated)         60  the server's certificate was rejected\n"
    " 22  -f and an HTTP status of 400 or more     61  --compressed body does not decode";

}  // namespace

void add_get_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<GetArgs>();
  CLI::App* cmd = app.add_subcommand("get", "Fetch an https:// URL (curl's flags and exit codes)");
  cmd->footer(kFooter);
  cmd->add_option("URL", args->url, "https://HOST[:PORT]/PATH")->required();
  cmd->add_option("-o,--output", args->output, "Write the body to FILE instead of stdout")
      ->type_name("FILE");
  cmd->add_flag("-O,--remote-name", args->remote_name,
                "Write the body to the file named by the URL's last path segment");
  cmd->add_flag("-v,--verbose", args->verbose,
                "Print the connection, TLS parameters, server certificate and the request and "
                "response heads to stderr");
  cmd->add_option("--resolve", args->resolve,
                  "Connect to ADDRESS for HOST:PORT, keeping HOST for SNI and the certificate "
                  "check (repeatable)")
      ->type_name("HOST:PORT:ADDRESS")
      ->allow_extra_args(false);
  cmd->add_option("-H,--header", args->headers,
                  "Add a request header, replacing a default of the same name; 'X:' removes "
                  "X, 'X;' sends it empty (repeatable)")
      ->type_name("'NAME: VALUE'")
      ->allow_extra_args(false);
  cmd->add_option("-d,--data", args->data,
                  "POST DATA as application/x-www-form-urlencoded; @FILE reads a file "
                  "(newlines dropped), @- stdin (repeatable, joined with &)")
      ->type_name("DATA")
      ->allow_extra_args(false);
  cmd->add_option("--data-binary", args->data_binary,
                  "POST DATA exactly as given or as in @FILE (repeatable)")
      ->type_name("DATA")
      ->allow_extra_args(false);
  cmd->add_option("-X,--request", args->method, "Use METHOD instead of GET/POST/HEAD")
      ->type_name("METHOD");
  cmd->add_flag("-I,--head", args->head, "Send HEAD and print the response head");
  cmd->add_flag("-i,--include", args->include, "Print the response head before the body");
  cmd->add_flag("-L,--location", args->location, "Follow redirects (https:// only)");
  cmd->add_option("--max-redirs", args->max_redirs, "Follow at most NUM redirects (-1: no limit)")
      ->type_name("NUM")
      ->default_str("50");
  cmd->add_option("-w,--write-out", args->write_out,
                  "After the transfer print FORMAT to stdout (variables below)")
      ->type_name("FORMAT");
  cmd->add_flag("-s,--silent", args->silent, "Print no error messages");
  cmd->add_flag("-S,--show-error", args->show_error, "With -s, print error messages still");
  cmd->add_flag("-f,--fail", args->fail,
                "On an HTTP status of 400 or more print no body and exit 22");
  CLI::Option* agent =
      cmd->add_option("-A,--user-agent", args->user_agent, "Send NAME as the User-Agent")
          ->type_name("NAME");
  cmd->add_option("-u,--user", args->user, "Send Basic credentials (not to other hosts on -L)")
      ->type_name("USER:PASSWORD");
  CLI::Option* http2 = cmd->add_flag(
      "--http2", args->http2,
      "Offer HTTP/2 (ALPN h2, then http/1.1) and speak it if the server agrees (the "
      "default, as curl's)");
  cmd->add_flag("--http1.1", args->http11, "Offer only HTTP/1.1")->excludes(http2);
  cmd->add_flag("--early-data", args->early_data,
                "Send a GET or HEAD as TLS 1.3 0-RTT data when the session from --sess-in "
                "allows it (speaks HTTP/1.1; save the session with --early-data --sess-out)")
      ->excludes(http2);
  cmd->add_flag("--compressed", args->compressed,
                "Ask for a gzip or deflate body and decode it");
  cmd->add_option("-r,--range", args->range, "Ask for only these bytes: 0-99, 100-, -50")
      ->type_name("RANGE");
  add_client_options(*cmd, args->client);
  cmd->callback([args, agent, &runner] {
    args->user_agent_set = agent->count() > 0;
    runner = [args] { return Transfer(*args).run(); };
  });
}

}  // namespace tern::cli
