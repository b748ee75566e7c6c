// SPDX-License-Identifier: Apache-2.0
// `tern verify`: is this certificate chain trusted, for this name, at this time?
#include <CLI/CLI.hpp>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "output.h"
#include "tern/x509.h"

namespace tern::cli {
namespace {

struct VerifyArgs {
  std::string roots;
  std::vector<std::string> intermediates;
  std::string time;  // empty: now
  std::string hostname;
  std::string purpose = "server";
  std::string profile = "web";
  size_t max_depth = 8;
  std::vector<std::string> crls;
  bool json = false;
  std::string leaf;
};

constexpr const char* kDetails =
    "Builds a path from LEAF_FILE through the intermediates to a trusted root and checks\n"
    "every rule a web client applies: validity, signatures, basic constraints, key usage,\n"
    "extended key usage, name constraints, the host name, and revocation when CRLs are\n"
    "given. All files are PEM bundles or single DER certificates. Certificates after the\n"
    "first in LEAF_FILE are used as intermediates (a server's full-chain file works).\n"
    "A CRL that does not parse revokes nothing: it is ignored with a warning.\n"
    "The web profile (default, what tern's TLS client and server apply) adds the CA/Browser\n"
    "Forum rules browsers enforce; --profile rfc5280 applies RFC 5280 alone.";

constexpr const char* kFooter =
    "Exit codes:\n"
    "  0  the chain was accepted; the path is printed, leaf to trust anchor\n"
    "  1  the chain was rejected, or a certificate could not be parsed;\n"
    "     \"rejected: <reason>\" is printed\n"
    "  2  usage error, or a file that cannot be read or holds no certificate (a private\n"
    "     key, text): the message names the file and what it holds\n"
    "  3  internal error\n"
    "Times are printed in UTC, ISO 8601. See docs/cli.md for the --json fields.";

// How a failure maps to an exit code: a file we could not read or a bad request is the
// caller's problem (2), a bug is ours (3), anything about the certificates is a rejection.
int exit_code_for(const Error& error) {
  switch (error.code) {
    case Errc::io:
    case Errc::usage:
      return kExitUsage;
    case Errc::internal:
      return kExitInternal;
    default:
      return kExitRejected;
  }
}

class Verifier {
 public:
  explicit Verifier(const VerifyArgs& args) : args_(args) {}

  int run() {
    std::optional<int64_t> at;  // --time
    if (!args_.time.empty()) {
      auto time = parse_time(args_.time);
      if (!time) return fail(Error(Errc::usage, "--time " + time.error().detail));
      at = *time;
    }
    // A directory where a file is expected is a usage error; say so before reading.
    for (const std::string* path : files()) {
      std::error_code ec;
      if (std::filesystem::is_directory(*path, ec))
        return fail(Error(Errc::usage, *path + " is a directory, not a certificate file"));
    }
    // The leaf first: a missing or garbage leaf is the most common mistake, report it before
    // anything about the trust store.
    auto leaf_bundle = Certificate::load_file(args_.leaf);
    if (!leaf_bundle) return fail(leaf_bundle.error());

    leaf_bundle_size_ = leaf_bundle->size();
    std::vector<Certificate> intermediates(leaf_bundle->begin() + 1, leaf_bundle->end());
    for (const std::string& path : args_.intermediates) {
      auto certs = Certificate::load_file(path);
      if (!certs) return fail(certs.error());
      intermediates.insert(intermediates.end(), certs->begin(), certs->end());
    }

    std::vector<Crl> crls;
    for (const std::string& path : args_.crls) {
      auto loaded = Crl::load_file_skipping_invalid(path);
      if (!loaded) return fail(loaded.error());
      crls.insert(crls.end(), loaded->crls.begin(), loaded->crls.end());
      for (std::string& why : loaded->skipped) {
        std::cerr << "tern verify: warning: ignoring a CRL that does not parse: " << why << '\n';
        warnings_.push_back("ignored CRL: " + why);
      }
    }

    auto roots = args_.roots.empty() ? TrustStore::system() : TrustStore::load(args_.roots);
    if (!roots) return fail(roots.error());

    options_.time = at ? *at : static_cast<int64_t>(std::time(nullptr));
    options_.hostname = args_.hostname;
    options_.purpose = args_.purpose == "client" ? Purpose::client : Purpose::server;
    options_.profile = args_.profile == "rfc5280" ? VerifyProfile::rfc5280 : VerifyProfile::web;
    options_.max_depth = args_.max_depth;

    auto chain = verify_chain(leaf_bundle->front(), intermediates, *roots, crls, options_);
    if (!chain) return fail(chain.error());
    return accept(*chain);
  }

 private:
  // Every file argument except --roots, which may be a directory.
  std::vector<const std::string*> files() const {
    std::vector<const std::string*> out{&args_.leaf};
    for (const auto& p : args_.intermediates) out.push_back(&p);
    for (const auto& p : args_.crls) out.push_back(&p);
    return out;
  }

  // The --json object: always the same fields in the same order (docs/cli.md).
  void print_json(const char* result, const Error* error, const VerifiedChain* chain) const {
    using Json = nlohmann::ordered_json;
    Json out;
    out["result"] = result;
    out["reason"] = error ? Json(error->detail) : Json(nullptr);
    out["alert"] =
        error && error->alert != Alert::none ? Json(alert_name(error->alert)) : Json(nullptr);
    out["path"] = Json::array();
    if (chain) {
      for (const Certificate& cert : chain->path)
        out["path"].push_back(certificate_json(cert.info()));
    }
    out["anchor_source"] = chain ? Json(chain->anchor_source) : Json(nullptr);
    out["checked_at"] = options_.time ? Json(iso8601(*options_.time)) : Json(nullptr);
    out["hostname"] = args_.hostname.empty() ? Json(nullptr) : Json(args_.hostname);
    out["purpose"] = args_.purpose;
    out["profile"] = args_.profile;
    out["warnings"] = warnings_;
    std::cout << out.dump(2) << '\n';
  }

  int accept(const VerifiedChain& chain) const {
    if (args_.json) {
      print_json("accepted", nullptr, &chain);
      return kExitOk;
    }
    CertificateInfo leaf = chain.path.front().info();
    std::cout << "accepted: " << (leaf.subject.empty() ? join(leaf.names, ", ") : leaf.subject)
              << '\n';
    std::cout << "  checked for " << (args_.hostname.empty() ? "any name" : args_.hostname)
              << ", purpose " << args_.purpose << ", profile " << args_.profile << ", at "
              << iso8601(*options_.time) << '\n';
    std::cout << "path (leaf first, trust anchor last):\n";
    for (size_t i = 0; i < chain.path.size(); ++i) {
      bool anchor = i + 1 == chain.path.size();
      print_certificate(std::cout, chain.path[i].info(), i,
                        anchor ? "trust anchor" : (i == 0 ? "leaf" : "intermediate"));
    }
    std::cout << "trust anchor from: " << chain.anchor_source << '\n';
    return kExitOk;
  }

  // What to try next, for the rejections people most often cause themselves.
  std::string hint_for(const Error& error) const {
    if (error.alert != Alert::unknown_ca) return {};
    if (args_.roots.empty())
      return "the system trust store was used; to trust your own root, pass --roots FILE";
    if (args_.intermediates.empty() && leaf_bundle_size_ <= 1)
      return "no intermediates were given; pass the issuing CA certificates with "
             "--intermediates FILE";
    return {};
  }

  int fail(const Error& error) const {
    int code = exit_code_for(error);
    const char* result = code == kExitRejected ? "rejected" : "error";
    if (args_.json) print_json(result, &error, nullptr);
    if (code == kExitRejected) {
      if (!args_.json) {
        std::cout << "rejected: " << error.detail << '\n';
        if (error.alert != Alert::none)
          std::cout << "  (a TLS " << (args_.purpose == "client" ? "server" : "client")
                    << " would send the alert " << alert_name(error.alert) << ")\n";
        if (std::string hint = hint_for(error); !hint.empty())
          std::cout << "hint: " << hint << '\n';
      }
    } else {
      std::cerr << "tern verify: " << (code == kExitInternal ? "internal error: " : "")
                << error.detail << '\n';
    }
    return code;
  }

  const VerifyArgs& args_;
  VerifyOptions options_;
  size_t leaf_bundle_size_ = 0;
  std::vector<std::string> warnings_;
};

}  // namespace

void add_verify_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand("verify", "Verify a certificate chain against trusted roots");
  cmd->footer(std::string(kDetails) + "\n\n" + kFooter);

  cmd->add_option("--roots", args->roots,
                  "Trusted root certificates: a PEM file or a directory of PEM files "
                  "(default: the system trust store)")
      ->type_name("FILE");
  cmd->add_option("--intermediates", args->intermediates,
                  "Untrusted intermediate certificates, any order (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);  // one file per flag, so LEAF_FILE is never swallowed
  cmd->add_option("--time", args->time,
                  "Check validity at this time: Unix seconds, or an RFC 3339 / ISO 8601 date "
                  "(2026-01-02, 2026-01-02T03:04:05Z, 2026-01-02T03:04:05+01:00; UTC unless an "
                  "offset is given). Default: now")
      ->type_name("TIME");
  cmd->add_option("--hostname", args->hostname,
                  "The DNS name or IP address the leaf must be valid for "
                  "(default: no name check)")
      ->type_name("NAME_OR_IP");
  cmd->add_option("--purpose", args->purpose,
                  "What the leaf is for: server (EKU serverAuth) or client (clientAuth)")
      ->check(CLI::IsMember({"server", "client"}))
      ->default_str("server");
  cmd->add_option("--profile", args->profile,
                  "Which rules apply: web (RFC 5280 plus the CA/Browser Forum rules browsers "
                  "enforce) or rfc5280 (RFC 5280 alone)")
      ->check(CLI::IsMember({"web", "rfc5280"}))
      ->default_str("web");
  cmd->add_option("--max-depth", args->max_depth,
                  "Most intermediate certificates allowed between leaf and root, not counting "
                  "self-issued ones (RFC 5280 path length)")
      ->check(CLI::Range(0, 255))
      ->default_str("8")
      ->type_name("N");
  cmd->add_option("--crls", args->crls,
                  "Certificate revocation lists (PEM or DER); when given, every certificate "
                  "of the path is checked against them (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_flag("--json", args->json, "Print the result as one JSON object");
  cmd->add_option("LEAF_FILE", args->leaf, "The certificate to verify (PEM or DER)")->required();

  cmd->callback([args, &runner] { runner = [args] { return Verifier(*args).run(); }; });
}

}  // namespace tern::cli
