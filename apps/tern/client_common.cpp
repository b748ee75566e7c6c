#include "client_common.h"

#include <cstdlib>
#include <fstream>

#include "commands.h"
#include "output.h"

namespace tern::cli {
namespace {

struct Named {
  const char* name;
  uint16_t code;
};
constexpr Named kGroups[] = {{"x25519", tls::kX25519},       {"secp256r1", tls::kSecp256r1},
                             {"p-256", tls::kSecp256r1},     {"prime256v1", tls::kSecp256r1},
                             {"secp384r1", tls::kSecp384r1}, {"p-384", tls::kSecp384r1}};
constexpr Named kCiphers[] = {{"tls_aes_128_gcm_sha256", tls::kAes128GcmSha256},
                              {"tls_aes_256_gcm_sha384", tls::kAes256GcmSha384},
                              {"tls_chacha20_poly1305_sha256", tls::kChacha20Poly1305Sha256}};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

template <size_t N>
Result<std::vector<uint16_t>> codes(const std::vector<std::string>& names, const Named (&table)[N],
                                    const char* what, const char* known) {
  std::vector<uint16_t> out;
  for (const std::string& name : names) {
    if (name.empty()) continue;
    bool found = false;
    for (const Named& n : table)
      if (lower(name) == n.name) {
        out.push_back(n.code);
        found = true;
        break;
      }
    if (!found)
      return Error(Errc::usage,
                   "unknown " + std::string(what) + " '" + name + "' (known: " + known + ")");
  }
  return out;
}

}  // namespace

void add_client_options(CLI::App& cmd, ClientArgs& args) {
  cmd.add_option("--cacert", args.cacert,
                 "Trust these root certificates (PEM file or directory) instead of the "
                 "system store")
      ->type_name("FILE");
  cmd.add_flag("-k,--insecure", args.insecure,
               "Do not verify the server's certificate (testing only)");
  cmd.add_option("--tls-max", args.tls_max, "Highest TLS version to offer (1.3)")
      ->default_str("1.3");
  cmd.add_option("--groups", args.groups,
                 "Key exchange groups in preference order, colon or comma separated: "
                 "x25519, secp256r1 (P-256), secp384r1 (P-384)")
      ->delimiter(':')
      ->type_name("LIST");
  cmd.add_option("--ciphers", args.ciphers,
                 "TLS 1.3 cipher suites in preference order, colon or comma separated: "
                 "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256")
      ->delimiter(':')
      ->type_name("LIST");
  cmd.add_option("--connect-timeout", args.connect_timeout,
                 "Seconds to wait for the TCP connection, per address")
      ->check(CLI::PositiveNumber)
      ->default_str("10");
  cmd.add_option("-m,--max-time", args.max_time,
                 "get: seconds the whole transfer may take; connect: seconds the handshake "
                 "may take (default: 30 s for any one wait)")
      ->check(CLI::PositiveNumber);
}

Result<ClientConfig> make_client_config(const ClientArgs& args, const std::string& server_name) {
  if (args.tls_max != "1.3") {
    if (args.tls_max == "1.2" || args.tls_max == "1.1" || args.tls_max == "1.0")
      return Error(Errc::usage, "--tls-max " + args.tls_max +
                                    ": tern speaks only TLS 1.3 so far (TLS 1.2 is planned)");
    return Error(Errc::usage, "--tls-max takes 1.3 (got '" + args.tls_max + "')");
  }
  ClientConfig config;
  config.server_name = server_name;
  std::vector<std::string> groups, ciphers;
  for (const auto& g : args.groups)  // commas too, like openssl and curl
    for (size_t at = 0; at <= g.size();) {
      size_t comma = std::min(g.find(',', at), g.size());
      groups.push_back(g.substr(at, comma - at));
      at = comma + 1;
    }
  for (const auto& c : args.ciphers)
    for (size_t at = 0; at <= c.size();) {
      size_t comma = std::min(c.find(',', at), c.size());
      ciphers.push_back(c.substr(at, comma - at));
      at = comma + 1;
    }
  TERN_TRY(config.groups, codes(groups, kGroups, "group", "x25519, secp256r1, secp384r1"));
  TERN_TRY(config.cipher_suites,
           codes(ciphers, kCiphers, "cipher suite",
                 "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256"));
  config.alpn = args.alpn;
  config.insecure_skip_verify = args.insecure;
  if (!args.cacert.empty()) {
    auto store = TrustStore::load(args.cacert);
    if (!store) return Error(Errc::usage, "--cacert: " + store.error().detail);
    config.trust_store = std::make_shared<TrustStore>(std::move(*store));
  }
  if (const char* path = std::getenv("SSLKEYLOGFILE"); path && *path) {
    auto file = std::make_shared<std::ofstream>(path, std::ios::app);
    if (!*file) return Error(Errc::usage, std::string("cannot write SSLKEYLOGFILE ") + path);
    config.keylog = [file](const std::string& line) { *file << line << '\n' << std::flush; };
  }
  return config;
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
  const Connection& c = stream.connection();
  out << "* Connected to " << stream.peer_address() << "\n"
      << "* TLS 1.3, cipher " << c.cipher_suite_name() << ", group " << c.group_name()
      << ", signature " << c.signature_scheme_name() << "\n"
      << "* ALPN: " << (c.alpn().empty() ? "(none)" : c.alpn())
      << ", HelloRetryRequest: " << (c.hello_retry_request() ? "yes" : "no") << "\n";
  if (!chain) return;
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

}  // namespace tern::cli
