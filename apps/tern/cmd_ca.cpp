// SPDX-License-Identifier: Apache-2.0
// `tern ca`: a local certificate authority for development, in the habits of mkcert.
// The work is in the library (tern/ca.h); this file parses flags, reads the clock and the
// environment, and says what was done and what to do next.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ca_trust.h"
#include "commands.h"
#include "output.h"
#include "tern/ca.h"

namespace tern::cli {
namespace {

struct CaArgs {
  std::string dir;  // empty: the default location
  // init
  std::string key = "p256";
  std::vector<std::string> name_constraints;
  // issue
  std::vector<std::string> names;
  bool client = false;
  int days = 825;
  std::string out;  // empty: DIR/issued (kIssuedDir)
  bool json = false;
  // revoke
  std::string serial;
  std::string reason = "unspecified";
  // crl
  int crl_days = 30;
  // ocsp
  bool ocsp_revoked = false;
  int ocsp_days = 7;
  std::string ocsp_out;
  TrustArgs trust;
};

constexpr const char* kCaFooter =
    "The CA lives in a directory (--dir, default $XDG_DATA_HOME/tern/ca, else\n"
    "~/.local/share/tern/ca): root.pem (the CA certificate, what clients trust), root.key\n"
    "(its private key, mode 0600), index (the certificates it issued), crlnumber, crl.pem\n"
    "and issued/ (mode 0700: what `tern ca issue` writes when not given --out).\n"
    "Typical use:\n"
    "  tern ca init                        # once: make the CA\n"
    "  tern ca trust --nss                 # once: Chromium and Firefox trust it\n"
    "  tern ca issue localhost 127.0.0.1 ::1   # into DIR/issued, beside the CA\n"
    "  tern serve ./site --cert ~/.local/share/tern/ca/issued/localhost+2-fullchain.pem \\\n"
    "                    --key ~/.local/share/tern/ca/issued/localhost+2-key.pem\n"
    "Exit codes: 0 done; 2 usage error, no CA, a damaged or unreadable CA file, a name the\n"
    "CA may not vouch for, certutil missing or failing; 3 internal error.";

constexpr const char* kIssueFooter =
    "NAME_OR_IP: DNS names (localhost, app.test), wildcards on two labels or more\n"
    "(*.example.test), IPv4 and IPv6 addresses (127.0.0.1, ::1). The first name names the\n"
    "files, as mkcert does (localhost+2 for three names, _wildcard.example.test for\n"
    "*.example.test, -client appended with --client), written to --out (default: issued/ in\n"
    "the CA directory, made with mode 0700: keys stay out of the directory you serve):\n"
    "  NAME.pem            the certificate\n"
    "  NAME-key.pem        its private key (PKCS#8 PEM, mode 0600)\n"
    "  NAME-fullchain.pem  what a server sends: the certificate and its intermediates; a\n"
    "                      local CA has none, so it is the certificate again. The root is\n"
    "                      in no file: clients trust it already, servers need not send it.\n"
    "Existing files of the same names are replaced.";

Error usage_error(std::string detail) { return Error(Errc::usage, std::move(detail)); }

int fail(const Error& error) {
  bool internal = error.code == Errc::internal || error.code == Errc::crypto;
  std::cerr << "tern ca: " << (internal ? "internal error: " : "") << error.detail << '\n';
  return internal ? kExitInternal : kExitUsage;
}

int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }

// $XDG_DATA_HOME/tern/ca (the XDG base directory spec: only an absolute path counts),
// else ~/.local/share/tern/ca.
Result<std::string> ca_directory(const CaArgs& args) {
  if (!args.dir.empty()) return args.dir;
  const char* data_home = std::getenv("XDG_DATA_HOME");
  if (data_home && data_home[0] == '/') return std::string(data_home) + "/tern/ca";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.local/share/tern/ca";
  return usage_error("neither XDG_DATA_HOME nor HOME is set: give the CA directory with --dir");
}

// Where `tern ca issue` writes without --out: beside the CA's own key, in its private
// directory, never the current directory (which `tern serve` serves by default).
constexpr const char* kIssuedDir = "issued";

Result<std::string> issue_directory(const CaArgs& args, const LocalCa& ca) {
  if (!args.out.empty()) return args.out;
  std::string dir = ca.dir() + "/" + kIssuedDir;
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return usage_error("cannot make the directory " + dir + " for the certificates (" +
                       std::strerror(errno) + "): choose another with --out");
  return dir;
}

Result<LocalCa> open_ca(const CaArgs& args) {
  TERN_TRY(std::string dir, ca_directory(args));
  return LocalCa::open(dir);
}

// "user@host", as mkcert puts it in its names, so a root in a trust store says whose it is.
std::string owner() {
  std::string user;
  if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name) user = pw->pw_name;
  if (user.empty())
    if (const char* env = std::getenv("USER")) user = env;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  if (user.empty()) user = "user";
  return host[0] ? user + "@" + host : user;
}

Result<CaKeyType> key_type(const std::string& name) {
  auto type = parse_ca_key_type(name);
  if (!type)
    return usage_error("--key " + name + ": choose p256, p384, rsa2048, rsa3072 or ed25519");
  return *type;
}

int run_init(const CaArgs& args) {
  auto dir = ca_directory(args);
  if (!dir) return fail(dir.error());
  auto key = key_type(args.key);
  if (!key) return fail(key.error());
  CaInitOptions options;
  options.key = *key;
  options.name_constraints = args.name_constraints;
  options.owner = owner();
  options.now = now();
  auto ca = LocalCa::init(*dir, options);
  if (!ca) return fail(ca.error());
  CertificateInfo root = ca->root().info();
  std::cout << "created a local CA in " << ca->dir() << "\n"
            << "  certificate: " << ca->root_path() << "  (" << root.subject << ")\n"
            << "  valid until: " << iso8601(root.not_after) << "\n"
            << "  key:         " << ca->dir() << "/root.key  (" << args.key
            << ", mode 0600: keep it private, whoever has it can impersonate any site to "
               "you once the CA is trusted)\n";
  auto constraints = ca->name_constraints();
  std::cout << "  may vouch for: "
            << (constraints.empty() ? "any name (no name constraints)"
                                    : join(constraints, ", ") + " (name constraints)")
            << "\nnext:\n  tern ca trust --nss          # Chromium and Firefox trust it\n"
            << "  tern ca issue localhost 127.0.0.1 ::1\n";
  if (*key == CaKeyType::ed25519)
    std::cout << "note: browsers do not accept Ed25519 certificates; tern and OpenSSL do\n";
  return kExitOk;
}

int run_issue(const CaArgs& args) {
  auto ca = open_ca(args);
  if (!ca) return fail(ca.error());
  auto key = key_type(args.key);
  if (!key) return fail(key.error());
  CaIssueOptions options;
  options.client = args.client;
  options.days = args.days;
  options.key = *key;
  auto out_dir = issue_directory(args, *ca);
  if (!out_dir) return fail(out_dir.error());
  options.out_dir = *out_dir;
  options.now = now();
  auto issued = ca->issue(args.names, options);
  if (!issued) return fail(issued.error());
  const CaRecord& record = issued->record;
  if (args.json) {
    nlohmann::ordered_json out{
        {"certificate", issued->certificate_path},
        {"key", issued->key_path},
        {"fullchain", issued->fullchain_path},
        {"root", ca->root_path()},
        {"serial", record.serial},
        {"names", record.names},
        {"purpose", issued->client ? "client" : "server"},
        {"key_type", args.key},
        {"not_before", iso8601(issued->not_before)},
        {"not_after", iso8601(record.not_after)},
    };
    std::cout << out.dump(2) << '\n';
    return kExitOk;
  }
  std::cout << "issued a " << (issued->client ? "client" : "server") << " certificate for "
            << join(record.names, ", ") << "\n"
            << "  serial " << record.serial << ", valid until " << iso8601(record.not_after) << "\n"
            << "  certificate: " << issued->certificate_path << "\n"
            << "  key:         " << issued->key_path << "  (mode 0600)\n"
            << "  chain:       " << issued->fullchain_path
            << "  (what a server sends: the certificate; a local CA has no intermediates)\n";
  if (issued->client)
    std::cout << "use it with:  tern get --cert " << issued->certificate_path << " --key "
              << issued->key_path << " https://...\n"
              << "servers check it with the root " << ca->root_path()
              << " (tern serve --client-ca)\n";
  else
    std::cout << "serve with:   tern serve DIR --cert " << issued->fullchain_path << " --key "
              << issued->key_path << "\n"
              << "clients must trust " << ca->root_path()
              << " (tern ca trust --nss; curl --cacert; tern verify --roots)\n";
  return kExitOk;
}

int run_revoke(const CaArgs& args) {
  auto ca = open_ca(args);
  if (!ca) return fail(ca.error());
  auto reason = parse_crl_reason(args.reason);
  if (!reason)
    return fail(usage_error("--reason " + args.reason + " is not a reason tern ca knows"));
  auto revoked = ca->revoke(args.serial, *reason, now());
  if (!revoked) return fail(revoked.error());
  std::cout << "revoked " << revoked->serial << " (" << join(revoked->names, ", ") << ") at "
            << iso8601(*revoked->revoked_at) << ", reason " << crl_reason_name(revoked->reason)
            << "\nupdated the CRL " << ca->dir() << "/crl.pem; clients see the revocation once "
            << "they are given it, e.g.\n  tern verify --roots " << ca->root_path() << " --crls "
            << ca->dir() << "/crl.pem CERT.pem\n";
  return kExitOk;
}

int run_crl(const CaArgs& args) {
  auto ca = open_ca(args);
  if (!ca) return fail(ca.error());
  auto crl = ca->crl(now(), args.crl_days);
  if (!crl) return fail(crl.error());
  std::cout << "wrote " << crl->path << ": CRL number " << crl->number << ", " << crl->revoked
            << " revoked certificate" << (crl->revoked == 1 ? "" : "s") << ", valid until "
            << iso8601(crl->next_update) << " (run tern ca crl again before then)\n";
  return kExitOk;
}

int run_list(const CaArgs& args) {
  auto ca = open_ca(args);
  if (!ca) return fail(ca.error());
  const auto& records = ca->records();
  if (args.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const CaRecord& r : records)
      list.push_back({{"serial", r.serial},
                      {"subject", r.subject},
                      {"names", r.names},
                      {"not_after", iso8601(r.not_after)},
                      {"revoked_at", r.revoked_at ? nlohmann::ordered_json(iso8601(*r.revoked_at))
                                                  : nlohmann::ordered_json(nullptr)},
                      {"reason", r.revoked_at ? nlohmann::ordered_json(crl_reason_name(r.reason))
                                              : nlohmann::ordered_json(nullptr)}});
    nlohmann::ordered_json out{
        {"dir", ca->dir()}, {"root", ca->root().info().subject}, {"certificates", list}};
    std::cout << out.dump(2) << '\n';
    return kExitOk;
  }
  std::cout << "CA " << ca->dir() << ": " << ca->root().info().subject << '\n';
  if (records.empty()) std::cout << "no certificates issued yet\n";
  for (const CaRecord& r : records) {
    std::cout << (r.revoked_at ? "revoked " : "valid   ") << r.serial << "  until "
              << iso8601(r.not_after) << "  " << join(r.names, ", ");
    if (r.revoked_at)
      std::cout << "  (revoked " << iso8601(*r.revoked_at) << ", " << crl_reason_name(r.reason)
                << ")";
    std::cout << '\n';
  }
  return kExitOk;
}

int run_trust_command(const CaArgs& args, bool add) {
  if (!args.trust.nss_dir.empty() && !args.trust.nss)
    return fail(usage_error(args.trust.nss_dir + ": a directory here is an NSS database and "
                                                 "goes with --nss"));
  auto ca = open_ca(args);
  if (!ca) return fail(ca.error());
  return add ? run_trust(*ca, args.trust) : run_untrust(*ca, args.trust);
}

void add_dir_option(CLI::App& cmd, CaArgs& args) {
  cmd.add_option("--dir", args.dir,
                 "The CA directory (default: $XDG_DATA_HOME/tern/ca, else "
                 "~/.local/share/tern/ca)")
      ->type_name("DIR");
}

void add_key_option(CLI::App& cmd, CaArgs& args, const char* what) {
  cmd.add_option("--key", args.key, what)
      ->check(CLI::IsMember({"p256", "p384", "rsa2048", "rsa3072", "ed25519"}))
      ->default_str("p256");
}
int run_ocsp(const CaArgs& args) {
  auto ca = open_ca(args);
  if (!ca) return fail(ca.error());
  auto reason = parse_crl_reason(args.reason);
  if (!reason)
    return fail(usage_error("--reason " + args.reason + " is not a reason tern ca knows"));
  if (*reason != CrlReason::unspecified && !args.ocsp_revoked)
    return fail(usage_error("--reason goes with --revoked"));
  CaOcspOptions options;
  options.revoked = args.ocsp_revoked;
  options.reason = *reason;
  options.now = now();
  options.days = args.ocsp_days;
  auto response = ca->ocsp(args.serial, options);
  if (!response) return fail(response.error());
  std::ofstream file(args.ocsp_out, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(response->der.data()),
             static_cast<std::streamsize>(response->der.size()));
  file.close();
  if (!file)
    return fail(usage_error("cannot write " + args.ocsp_out + ": " + std::strerror(errno)));
  std::cout << "wrote " << args.ocsp_out << ": OCSP response for " << response->record.serial
            << " (" << join(response->record.names, ", ") << "): "
            << ocsp_cert_status_name(response->status) << ", valid until "
            << iso8601(response->next_update) << "\nstaple it with:  tern serve DIR --cert ... "
            << "--key ... --ocsp-response " << args.ocsp_out << "\n";
  return kExitOk;
}

}  // namespace

void add_ca_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<CaArgs>();
  CLI::App* ca = app.add_subcommand("ca",
                                    "A local certificate authority for development "
                                    "(init, issue, revoke, crl, ocsp, list, trust, untrust)");
  ca->footer(kCaFooter);
  ca->require_subcommand(1);
  auto set = [&runner, args](int (*run)(const CaArgs&)) {
    return [&runner, args, run] { runner = [args, run] { return run(*args); }; };
  };

  CLI::App* init = ca->add_subcommand("init", "Make a new CA: a root certificate and its key");
  add_dir_option(*init, *args);
  add_key_option(*init, *args, "The CA's key type (Ed25519 is not accepted by browsers)");
  init->add_option("--name-constraint", args->name_constraints,
                   "Limit what the CA may vouch for (repeatable): a DNS name and everything "
                   "under it (localhost, .test), an IP address or range (127.0.0.1, "
                   "10.0.0.0/8). Kinds not listed are excluded entirely")
      ->type_name("DNS_OR_IP")
      ->allow_extra_args(false);
  init->callback(set(run_init));

  CLI::App* issue = ca->add_subcommand("issue", "Issue a certificate for names and addresses");
  issue->footer(kIssueFooter);
  add_dir_option(*issue, *args);
  issue->add_flag("--client", args->client,
                  "A client certificate (EKU clientAuth) instead of a server one (serverAuth)");
  issue->add_option("--days", args->days, "Validity in days (1 to 3650)")
      ->check(CLI::Range(1, 3650))
      ->default_str("825");
  add_key_option(*issue, *args, "The certificate's key type");
  issue->add_option("--out", args->out,
                    "The directory to write the files to (default: issued/ in the CA "
                    "directory, mode 0700, out of any served directory)")
      ->type_name("DIR")
      ->default_str("CA_DIR/issued");
  issue->add_flag("--json", args->json, "Print what was issued as one JSON object");
  issue->add_option("NAME_OR_IP", args->names, "The names the certificate is for (at least one)")
      ->required();
  issue->callback(set(run_issue));

  CLI::App* revoke =
      ca->add_subcommand("revoke", "Revoke an issued certificate and update the CRL");
  add_dir_option(*revoke, *args);
  revoke->add_option("--reason", args->reason, "Why (RFC 5280 CRLReason)")
      ->check(CLI::IsMember({"unspecified", "keyCompromise", "affiliationChanged", "superseded",
                             "cessationOfOperation", "privilegeWithdrawn"}))
      ->default_str("unspecified");
  revoke
      ->add_option("SERIAL", args->serial,
                   "The certificate's serial in hex, as `tern ca list` or `openssl x509 "
                   "-noout -serial` prints it")
      ->required();
  revoke->callback(set(run_revoke));

  CLI::App* crl = ca->add_subcommand("crl", "Write the CRL (DIR/crl.pem) anew");
  add_dir_option(*crl, *args);
  crl->add_option("--days", args->crl_days, "Days until the CRL's nextUpdate (1 to 3650)")
      ->check(CLI::Range(1, 3650))
      ->default_str("30");
  crl->callback(set(run_crl));

  CLI::App* ocsp = ca->add_subcommand(
      "ocsp", "Write a signed OCSP response (DER) for an issued certificate, for stapling");
  add_dir_option(*ocsp, *args);
  ocsp->add_flag("--revoked", args->ocsp_revoked,
                 "Answer revoked (a certificate the index lists as revoked always is)");
  ocsp->add_option("--reason", args->reason, "With --revoked: why (RFC 5280 CRLReason)")
      ->check(CLI::IsMember({"unspecified", "keyCompromise", "affiliationChanged", "superseded",
                             "cessationOfOperation", "privilegeWithdrawn"}))
      ->default_str("unspecified");
  ocsp->add_option("--days", args->ocsp_days, "Days until the response's nextUpdate (1 to 365)")
      ->check(CLI::Range(1, 365))
      ->default_str("7");
  ocsp->add_option("-o,--output", args->ocsp_out, "The file to write the DER response to")
      ->type_name("FILE")
      ->required();
  ocsp->add_option("SERIAL", args->serial,
                   "The certificate's serial in hex, as `tern ca list` or `openssl x509 "
                   "-noout -serial` prints it")
      ->required();
  ocsp->callback(set(run_ocsp));

  CLI::App* list = ca->add_subcommand("list", "List the certificates the CA issued");
  add_dir_option(*list, *args);
  list->add_flag("--json", args->json, "Print the list as one JSON object");
  list->callback(set(run_list));

  for (bool add : {true, false}) {
    CLI::App* cmd = ca->add_subcommand(
        add ? "trust" : "untrust",
        add ? "Add the root to an NSS database (Chromium, Firefox) and show the system-store "
              "commands"
            : "Remove the root from an NSS database and show the system-store commands");
    add_dir_option(*cmd, *args);
    cmd->add_flag("--nss", args->trust.nss,
                  add ? "Add the root to the NSS database NSS_DIR (made if missing)"
                      : "Remove the root from the NSS database NSS_DIR");
    cmd->add_option("NSS_DIR", args->trust.nss_dir,
                    "With --nss: the database directory (default ~/.pki/nssdb, what Chromium "
                    "reads; a Firefox profile directory for Firefox)");
    cmd->callback(
        [&runner, args, add] { runner = [args, add] { return run_trust_command(*args, add); }; });
  }
}

}  // namespace tern::cli
