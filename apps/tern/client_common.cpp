// SPDX-License-Identifier: Apache-2.0
#include "client_common.h"

#include <fstream>
#include <iterator>
#include "tern/ech.h"

#include <cstdlib>
#include <ctime>

#include "commands.h"
#include "output.h"

namespace tern::cli {

Result<std::pair<std::string, uint16_t>> parse_target(const std::string& target) {
  std::string host, port;
  if (target.starts_with("[")) {
    size_t close = target.find("]:");
    if (close == std::string::npos)
      return Error(Errc::usage, "'" + target + "': expected [IPv6]:PORT");
    host = target.substr(1, close - 1);
    port = target.substr(close + 2);
  } else {
    size_t colon = target.rfind(':');
    if (colon == std::string::npos || target.find(':') != colon)
      return Error(Errc::usage, "'" + target + "': expected HOST:PORT (IPv6 as [ADDR]:PORT)");
    host = target.substr(0, colon);
    port = target.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) == 0 ||
      std::stoi(port) > 65535)
    return Error(Errc::usage, "'" + target + "': expected HOST:PORT with a port from 1 to 65535");
  return std::make_pair(host, static_cast<uint16_t>(std::stoi(port)));
}

void add_client_options(CLI::App& cmd, ClientArgs& args) {
  cmd.add_option("--cacert", args.cacert,
                 "Trust these root certificates (PEM file or directory) instead of the "
                 "system store")
      ->type_name("FILE");
  cmd.add_flag("-k,--insecure", args.insecure,
               "Do not verify the server's certificate (testing only)");
  cmd.add_flag("--require-ocsp", args.require_ocsp,
               "Refuse a server that staples no valid OCSP response saying good (a stapled "
               "response is always checked, and a revoked certificate refused)");
  cmd.add_option("-E,--cert", args.cert,
                 "Client certificate chain (PEM, leaf first) to present when the server asks "
                 "for one (mutual TLS); needs --key")
      ->type_name("FILE");
  cmd.add_option("--key", args.key, "The private key of --cert (PEM or DER, unencrypted)")
      ->type_name("FILE");
  cmd.add_option("--sess-in", args.sess_in,
                 "Resume the session saved in FILE (by --sess-out) if the server agrees and it "
                 "was made under this trust (not -k, the same roots and name; -v says why not)")
      ->type_name("FILE");
  cmd.add_option("--sess-out", args.sess_out,
                 "Save the session to FILE (mode 0600) for a later --sess-in")
      ->type_name("FILE");
  add_tls_options(cmd, args.tls);
  add_psk_options(cmd, args.psk);
  cmd.add_option("--ech-config-list", args.ech_config_list,
                 "Encrypted Client Hello (RFC 9849): hide the server name inside a hello sealed "
                 "to this ECHConfigList (a file, binary or base64, or base64 text: a DNS HTTPS "
                 "record's ech= value). Implies TLS 1.3 only")
      ->type_name("FILE|BASE64");
  cmd.add_flag("--no-ech-grease", args.no_ech_grease,
               "Without --ech-config-list, do not send a GREASE encrypted_client_hello");
  cmd.add_option("--connect-timeout", args.connect_timeout,
                 "Seconds to wait for the TCP connection, per address")
      ->check(CLI::PositiveNumber)
      ->default_str("10");
  cmd.add_option("-m,--max-time", args.max_time,
                 "get: seconds the whole transfer may take; connect: seconds the handshake "
                 "may take (default: 30 s for any one wait)")
      ->check(CLI::PositiveNumber);
}

namespace {

// --sess-in: puts the saved session in the config's cache, unless this config would not have
// accepted the server it was made with (the engine would not offer it either); `notes` then
// says why the handshake is a full one. A damaged file is a usage error.
Result<void> load_saved_session(const std::string& path, const ClientConfig& config,
                                std::ostream* notes) {
  auto not_resuming = [&](const std::string& why) {
    if (notes) *notes << "* Not resuming the saved session " << path << ": " << why << "\n";
    return ok();
  };
  auto session = load_session_file(path);
  if (!session && session.error().code == Errc::unsupported)
    return not_resuming(session.error().detail + "; save a new one with --sess-out");
  if (!session) return Error(Errc::usage, "--sess-in: " + session.error().detail);
  // The file is untrusted input: a chain that does not parse means it was damaged.
  for (const Bytes& der : session->peer_chain)
    if (auto parsed = Certificate::parse_all(der); !parsed || parsed->size() != 1)
      return Error(Errc::usage, "--sess-in: " + path +
                                    ": the session's certificate chain does not parse (the "
                                    "file is damaged; make a new one with --sess-out)");
  if (session->server_name != config.server_name)
    return not_resuming("it was made for the server name '" + session->server_name + "', not '" +
                        config.server_name + "'");
  auto auth = auth_context(config);
  if (!auth)
    return not_resuming("cannot tell how this connection will verify the server (" +
                        auth.error().detail + ")");
  if (std::string why = auth_mismatch(session->auth, *auth); !why.empty())
    return not_resuming(why);
  config.session_cache->put(config.server_name, std::move(*session));
  return ok();
}

}  // namespace

Result<ClientConfig> make_client_config(const ClientArgs& args, const std::string& server_name,
                                        std::ostream* notes) {
  ClientConfig config;
  config.server_name = server_name;
  TERN_CHECK(apply_tls_options(args.tls, config));
  config.alpn = args.alpn;
  if (args.cert.empty() != args.key.empty())
    return Error(Errc::usage, "--cert and --key go together: give both or neither");
  if (!args.cert.empty()) {
    TERN_TRY(auto certified, CertifiedKey::load(args.cert, args.key));
    config.client_certificate = std::move(certified);
  }
  config.insecure_skip_verify = args.insecure;
  if (args.require_ocsp && args.insecure)
    return Error(Errc::usage, "--require-ocsp and -k/--insecure contradict each other: the "
                              "staple is checked only when the certificate is verified");
  config.require_ocsp = args.require_ocsp;
  TERN_TRY(config.external_psk, load_psk_option(args.psk));
  config.ech_grease = !args.no_ech_grease;
  if (!args.ech_config_list.empty()) {
    std::ifstream in(args.ech_config_list, std::ios::binary);
    std::string text = args.ech_config_list;  // not a file: base64 on the command line
    if (in) text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    auto list = read_ech_config_list(as_bytes(text));
    if (!list) return Error(Errc::usage, "--ech-config-list: " + list.error().detail);
    config.ech_config_list = std::move(*list);
    config.min_version = tls::kTls13;  // ECH is TLS 1.3 only
    if (config.max_version != tls::kTls13)
      return Error(Errc::usage, "--ech-config-list needs TLS 1.3: drop --tls-max 1.2");
  }
  if (!args.cacert.empty()) {
    auto store = TrustStore::load(args.cacert);
    if (!store) return Error(Errc::usage, "--cacert: " + store.error().detail);
    config.trust_store = std::make_shared<TrustStore>(std::move(*store));
  }
  if (!args.sess_in.empty() || !args.sess_out.empty())
    config.session_cache = std::make_shared<ClientSessionCache>();
  if (!args.sess_in.empty()) TERN_CHECK(load_saved_session(args.sess_in, config, notes));
  if (const char* path = std::getenv("SSLKEYLOGFILE"); path && *path) {
    auto keylog = keylog_file(path);
    if (!keylog) return Error(Errc::usage, "SSLKEYLOGFILE: " + keylog.error().detail);
    config.keylog = std::move(*keylog);
  }
  return config;
}

Result<void> save_session(const ClientArgs& args, const std::shared_ptr<ClientSessionCache>& cache,
                          const std::string& server_name, std::ostream& err) {
  if (args.sess_out.empty() || !cache) return ok();
  auto session = cache->take(server_name, std::time(nullptr));
  if (!session) {
    err << "* No session to save in " << args.sess_out
        << ": the server sent no ticket or session ID\n";
    return ok();
  }
  auto saved = save_session_file(args.sess_out, *session);
  if (!saved) return Error(Errc::usage, "--sess-out: " + saved.error().detail);
  return ok();
}

StreamOptions make_stream_options(const ClientArgs& args, bool max_time_is_total) {
  using std::chrono::milliseconds;
  StreamOptions options;
  options.connect_timeout = milliseconds(static_cast<int64_t>(1000 * args.connect_timeout));
  if (args.max_time > 0) {
    auto limit = milliseconds(static_cast<int64_t>(1000 * args.max_time));
    options.connect_timeout = std::min(options.connect_timeout, limit);
    options.io_timeout = limit;
    if (max_time_is_total) options.deadline = std::chrono::steady_clock::now() + limit;
  }
  return options;
}

void print_connection_summary(std::ostream& out, const Stream& stream, bool chain) {
  out << "* Connected to " << stream.peer_address() << "\n";
  print_tls_summary(out, stream, chain);
}

void print_tls_summary(std::ostream& out, const Stream& stream, bool chain) {
  const Connection& c = stream.connection();
  out << "* " << c.version_name() << ", cipher " << c.cipher_suite_name() << ", group "
      << (c.group()          ? c.group_name()
          : c.resumed()        ? "(none: resumed)"
          : c.external_psk()   ? "(none: psk_ke)"
                               : "(none: RSA key transport)")
      << ", signature "
      << (c.signature_scheme() ? c.signature_scheme_name() : "(none)") << "\n"
      << "* ALPN: " << (c.alpn().empty() ? "(none)" : c.alpn())
      << ", HelloRetryRequest: " << (c.hello_retry_request() ? "yes" : "no") << "\n";
  if (c.version() == tls::kTls12)
    out << "* Extended master secret: " << (c.extended_master_secret() ? "yes" : "no") << "\n";
  out << "* Resumed: " << (c.resumed() ? "yes" : "no") << "\n";
  if (c.external_psk())
    out << "* Authenticated by: external PSK (" << (c.group() ? "psk_dhe_ke" : "psk_ke") << ")\n";
  if (c.ech_accepted()) out << "* ECH: accepted (the server name went encrypted)\n";
  if (!c.resumed() && !c.external_psk())
    out << "* OCSP: "
        << (c.ocsp_status() ? "stapled OCSP response: " + describe_ocsp_status(*c.ocsp_status())
                            : "no staple checked (the server stapled none, or -k skipped "
                              "verification)")
        << "\n";
  if (!chain || c.external_psk()) return;
  out << "* Server certificate chain (as sent):\n";
  size_t index = 0;
  for (const Bytes& der : c.peer_chain()) {
    auto parsed = Certificate::parse_all(der);
    if (!parsed || parsed->empty()) {
      out << "  [" << index++ << "] (does not parse)\n";
      continue;
    }
    print_certificate(out, (*parsed)[0].info(), index++, "");
  }
}

int exit_code_for_stream_error(const Error& error) {
  switch (error.code) {
    case Errc::certificate:
      return kExitCertificate;
    case Errc::usage:
      return kExitUsage;
    case Errc::internal:
      return kExitInternal;
    case Errc::io:
      return error.detail.starts_with("cannot resolve") ||
                     error.detail.starts_with("cannot connect")
                 ? kExitConnect
                 : kExitTls;
    default:
      return kExitTls;
  }
}

std::string stream_error_message(const Error& error, const ClientArgs& args) {
  if (error.alert == Alert::ech_required)
    return error.detail + "\n  the server's keys changed or ECH is off there: run again with "
                          "--ech-config-list set to the list above (or without the flag)";
  ClientConfig offered;  // what this connection offered: the options as it applied them
  if (!apply_tls_options(args.tls, offered)) return error.detail;
  std::string flags = "--tls-min " + args.tls.tls_min + " --tls-max " + args.tls.tls_max;
  std::string remedy;
  switch (error.peer_alert) {
    case Alert::certificate_required:
      remedy = args.cert.empty()
                   ? "the server requires a client certificate: pass --cert FILE --key FILE"
                   : "the server requires a client certificate and tern sent none: " + args.cert +
                         " suits none of the signature algorithms the server asked for";
      break;
    case Alert::protocol_version:
      remedy = "we offered " + describe_versions(offered) + " (" + flags +
               ") and the server accepts none of them; " +
               (offered.min_version != offered.max_version
                    ? "it may speak only TLS 1.0 or 1.1, which tern does not (RFC 8996)"
                    : "allow the other version with --tls-min 1.2 --tls-max 1.3");
      break;
    case Alert::handshake_failure:
    case Alert::insufficient_security:
      remedy = "the server accepts nothing we offered: " + describe_offer(offered) +
               (args.tls.groups.empty() && args.tls.ciphers.empty()
                    ? "; compare with the server's configuration"
                    : "; widen --groups and --ciphers (or leave them out for the defaults)");
      break;
    default:
      return error.detail;
  }
  return error.detail + "\n  " + remedy;
}

}  // namespace tern::cli
