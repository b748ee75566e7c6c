// SPDX-License-Identifier: Apache-2.0
#include "tls_options.h"

#include <cctype>

#include "output.h"
#include "tern/trace.h"

namespace tern::cli {
namespace {

struct Named {
  const char* name;
  uint16_t code;
};
constexpr Named kGroups[] = {{"x25519mlkem768", tls::kX25519Mlkem768},
                             {"secp256r1mlkem768", tls::kSecp256r1Mlkem768},
                             {"secp384r1mlkem1024", tls::kSecp384r1Mlkem1024},
                             {"x25519", tls::kX25519},
                             {"secp256r1", tls::kSecp256r1},
                             {"p-256", tls::kSecp256r1},
                             {"prime256v1", tls::kSecp256r1},
                             {"secp384r1", tls::kSecp384r1},
                             {"p-384", tls::kSecp384r1}};
// TLS 1.3 names, then TLS 1.2 by OpenSSL's name and by IANA's.
constexpr Named kCiphers[] = {
    {"tls_aes_128_gcm_sha256", tls::kAes128GcmSha256},
    {"tls_aes_256_gcm_sha384", tls::kAes256GcmSha384},
    {"tls_chacha20_poly1305_sha256", tls::kChacha20Poly1305Sha256},
    {"ecdhe-ecdsa-aes128-gcm-sha256", tls::kEcdheEcdsaAes128GcmSha256},
    {"ecdhe-ecdsa-aes256-gcm-sha384", tls::kEcdheEcdsaAes256GcmSha384},
    {"ecdhe-ecdsa-chacha20-poly1305", tls::kEcdheEcdsaChacha20Poly1305},
    {"ecdhe-rsa-aes128-gcm-sha256", tls::kEcdheRsaAes128GcmSha256},
    {"ecdhe-rsa-aes256-gcm-sha384", tls::kEcdheRsaAes256GcmSha384},
    {"ecdhe-rsa-chacha20-poly1305", tls::kEcdheRsaChacha20Poly1305},
    {"aes128-gcm-sha256", tls::kRsaAes128GcmSha256},
    {"aes256-gcm-sha384", tls::kRsaAes256GcmSha384},
    {"tls_ecdhe_ecdsa_with_aes_128_gcm_sha256", tls::kEcdheEcdsaAes128GcmSha256},
    {"tls_ecdhe_ecdsa_with_aes_256_gcm_sha384", tls::kEcdheEcdsaAes256GcmSha384},
    {"tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256", tls::kEcdheEcdsaChacha20Poly1305},
    {"tls_ecdhe_rsa_with_aes_128_gcm_sha256", tls::kEcdheRsaAes128GcmSha256},
    {"tls_ecdhe_rsa_with_aes_256_gcm_sha384", tls::kEcdheRsaAes256GcmSha384},
    {"tls_ecdhe_rsa_with_chacha20_poly1305_sha256", tls::kEcdheRsaChacha20Poly1305},
    {"tls_rsa_with_aes_128_gcm_sha256", tls::kRsaAes128GcmSha256},
    {"tls_rsa_with_aes_256_gcm_sha384", tls::kRsaAes256GcmSha384}};
constexpr Named kCertCompression[] = {{"brotli", tls::kCertCompressionBrotli},
                                      {"zstd", tls::kCertCompressionZstd},
                                      {"zlib", tls::kCertCompressionZlib}};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "a:b,c" given once or more -> {"a", "b", "c"}: colons (openssl) and commas (curl) both.
std::vector<std::string> split_list(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values)
    for (size_t at = 0; at <= v.size();) {
      size_t comma = std::min(v.find(',', at), v.size());
      if (comma > at) out.push_back(v.substr(at, comma - at));
      at = comma + 1;
    }
  return out;
}

template <size_t N>
Result<std::vector<uint16_t>> codes(const std::vector<std::string>& names, const Named (&table)[N],
                                    const char* what, const char* known) {
  std::vector<uint16_t> out;
  for (const std::string& name : names) {
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

Result<uint16_t> version(const std::string& flag, const std::string& value) {
  if (value == "1.3") return tls::kTls13;
  if (value == "1.2") return tls::kTls12;
  if (value == "1.1" || value == "1.0")
    return Error(Errc::usage, flag + " " + value +
                                  ": TLS 1.0 and 1.1 are obsolete (RFC 8996); tern speaks 1.2 "
                                  "and 1.3");
  return Error(Errc::usage, flag + " takes 1.2 or 1.3 (got '" + value + "')");
}

}  // namespace

void add_tls_options(CLI::App& cmd, TlsArgs& args) {
  cmd.add_option("--tls-max", args.tls_max, "Highest TLS version: 1.2 or 1.3")->default_str("1.3");
  cmd.add_option("--tls-min", args.tls_min, "Lowest TLS version: 1.2 or 1.3")->default_str("1.2");
  cmd.add_option("--groups", args.groups,
                 "Key exchange groups in preference order, colon or comma separated: "
                 "X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024 (post-quantum "
                 "hybrids, TLS 1.3 only), x25519, secp256r1 (P-256), secp384r1 (P-384). "
                 "Default: X25519MLKEM768:x25519:secp256r1:secp384r1. A client sends a key "
                 "share for the first (and, if that is a hybrid, the first classical one)")
      ->delimiter(':')
      ->allow_extra_args(false)
      ->type_name("LIST");
  cmd.add_option("--ciphers", args.ciphers,
                 "Cipher suites in preference order, colon or comma separated. TLS 1.3: "
                 "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256; "
                 "TLS 1.2 by OpenSSL or IANA name: ECDHE-ECDSA-AES128-GCM-SHA256, "
                 "ECDHE-RSA-AES128-GCM-SHA256, ECDHE-ECDSA-AES256-GCM-SHA384, "
                 "ECDHE-RSA-AES256-GCM-SHA384, ECDHE-ECDSA-CHACHA20-POLY1305, "
                 "ECDHE-RSA-CHACHA20-POLY1305, and with --legacy-rsa-kex AES128-GCM-SHA256, "
                 "AES256-GCM-SHA384. Naming one version's suites only limits the connection to "
                 "that version")
      ->delimiter(':')
      ->allow_extra_args(false)
      ->type_name("LIST");
  cmd.add_flag("--legacy-rsa-kex", args.legacy_rsa_kex,
               "Also allow TLS 1.2 RSA key transport (TLS_RSA_WITH_AES_*_GCM): no forward "
               "secrecy, deprecated by RFC 10015; for old peers only");
  cmd.add_flag("--allow-no-ems", args.allow_no_ems,
               "Accept a TLS 1.2 peer without the extended master secret (RFC 7627); refused "
               "by default");
  cmd.add_option("--cert-compression", args.cert_compression,
                 "TLS 1.3 certificate compression (RFC 8879), preference order, colon or comma "
                 "separated: brotli, zstd, zlib; or none. Offered for the peer's Certificate "
                 "and used for ours when the peer offers one. Default: brotli:zstd:zlib")
      ->delimiter(':')
      ->allow_extra_args(false)
      ->type_name("LIST");
}

Result<void> apply_tls_options(const TlsArgs& args, CommonConfig& config) {
  TERN_TRY(config.min_version, version("--tls-min", args.tls_min));
  TERN_TRY(config.max_version, version("--tls-max", args.tls_max));
  if (config.min_version > config.max_version)
    return Error(Errc::usage, "--tls-min " + args.tls_min + " is above --tls-max " + args.tls_max);
  TERN_TRY(config.groups, codes(split_list(args.groups), kGroups, "group",
                                "X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, x25519, secp256r1, "
                                "secp384r1"));
  TERN_TRY(auto suites, codes(split_list(args.ciphers), kCiphers, "cipher suite",
                              "see --help for the list"));
  bool has13 = false, has12 = false;
  for (uint16_t s : suites) {
    bool is13 = s >> 8 == 0x13;
    has13 |= is13;
    has12 |= !is13;
    if ((s == tls::kRsaAes128GcmSha256 || s == tls::kRsaAes256GcmSha384) && !args.legacy_rsa_kex)
      return Error(Errc::usage, "--ciphers names an RSA key transport suite: add --legacy-rsa-kex "
                                "to allow it (it has no forward secrecy)");
  }
  // Suites of one version only: that version is what the user asked for.
  if (has12 && !has13 && args.tls_max == "1.3" && !suites.empty()) config.max_version = tls::kTls12;
  if (has13 && !has12 && args.tls_min == "1.2" && !suites.empty()) config.min_version = tls::kTls13;
  config.cipher_suites = suites;
  config.legacy_rsa_key_exchange = args.legacy_rsa_kex;
  config.allow_no_extended_master_secret = args.allow_no_ems;
  auto compression = split_list(args.cert_compression);
  if (compression.size() == 1 && lower(compression[0]) == "none") {
    config.certificate_compression.clear();
  } else if (!compression.empty()) {
    TERN_TRY(config.certificate_compression,
             codes(compression, kCertCompression, "certificate compression algorithm",
                   "brotli, zstd, zlib, or none to turn it off"));
  }
  return ok();
}

std::string describe_versions(const CommonConfig& config) {
  if (config.min_version == config.max_version) return version_name(config.min_version) + " only";
  return "TLS 1.2 and 1.3";
}

std::string describe_offer(const CommonConfig& config) {
  bool tls12 = config.min_version == tls::kTls12, tls13 = config.max_version == tls::kTls13;
  // Empty lists are the defaults of tern/tls.h (CommonConfig::groups, ::cipher_suites).
  std::vector<uint16_t> groups = config.groups, suites = config.cipher_suites;
  if (groups.empty())
    groups = {tls::kX25519Mlkem768, tls::kX25519, tls::kSecp256r1, tls::kSecp384r1};
  if (suites.empty()) {
    if (tls13)
      suites = {tls::kAes128GcmSha256, tls::kAes256GcmSha384, tls::kChacha20Poly1305Sha256};
    if (tls12)
      suites.insert(suites.end(),
                    {tls::kEcdheEcdsaAes128GcmSha256, tls::kEcdheRsaAes128GcmSha256,
                     tls::kEcdheEcdsaAes256GcmSha384, tls::kEcdheRsaAes256GcmSha384,
                     tls::kEcdheEcdsaChacha20Poly1305, tls::kEcdheRsaChacha20Poly1305});
    if (tls12 && config.legacy_rsa_key_exchange)
      suites.insert(suites.end(), {tls::kRsaAes128GcmSha256, tls::kRsaAes256GcmSha384});
  }
  std::vector<std::string> group_names, suite_names;
  for (uint16_t g : groups)
    if (tls13 || !is_post_quantum_group(g)) group_names.push_back(group_name(g));
  for (uint16_t s : suites)
    if ((s >> 8 == 0x13) ? tls13 : tls12) suite_names.push_back(cipher_suite_name(s));
  return describe_versions(config) + "; groups " + join(group_names, ", ") + "; cipher suites " +
         join(suite_names, ", ");
}

}  // namespace tern::cli
