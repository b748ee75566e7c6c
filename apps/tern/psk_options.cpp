// SPDX-License-Identifier: Apache-2.0
#include "psk_options.h"

namespace tern::cli {

void add_psk_options(CLI::App& cmd, PskArgs& args) {
  cmd.add_option("--psk-identity", args.identity,
                 "TLS 1.3 external PSK: the identity naming the key (sent in clear; needs "
                 "--psk-file)")
      ->type_name("ID");
  cmd.add_option("--psk-file", args.file,
                 "TLS 1.3 external PSK: the key, as hex digits or raw bytes, at least 16 bytes, "
                 "in a file only its owner may read (chmod 600)")
      ->type_name("FILE");
  cmd.add_option("--psk-mode", args.mode,
                 "Key exchange with the PSK: dhe (psk_dhe_ke, forward secrecy), dhe-or-none "
                 "(psk_ke too, for a peer offering only that, like openssl's "
                 "-allow_no_dhe_kex) or none (psk_ke only: no forward secrecy, a leaked key "
                 "decrypts every recorded session)")
      ->check(CLI::IsMember({"dhe", "dhe-or-none", "none"}))
      ->type_name("MODE")
      ->default_str("dhe");
  cmd.add_option("--psk-hash", args.hash, "The hash the PSK is used with: sha256 or sha384")
      ->check(CLI::IsMember({"sha256", "sha384"}))
      ->default_str("sha256");
}

Result<std::optional<ExternalPsk>> load_psk_option(const PskArgs& args) {
  if (args.identity.empty() && args.file.empty()) return std::optional<ExternalPsk>();
  if (args.identity.empty())
    return Error(Errc::usage,
                 "--psk-file needs --psk-identity ID: the name the peer knows the "
                 "key by");
  if (args.file.empty())
    return Error(Errc::usage,
                 "--psk-identity needs --psk-file FILE with the key (hex digits, "
                 "mode 600)");
  auto hash = args.hash == "sha384" ? ExternalPsk::Hash::sha384 : ExternalPsk::Hash::sha256;
  auto psk = ExternalPsk::load(args.identity, args.file, hash);
  if (!psk) return Error(Errc::usage, "--psk-file: " + psk.error().detail);
  psk->key_exchange = args.mode == "none"          ? ExternalPsk::KeyExchange::without_dhe
                      : args.mode == "dhe-or-none" ? ExternalPsk::KeyExchange::dhe_or_none
                                                   : ExternalPsk::KeyExchange::with_dhe;
  return std::optional<ExternalPsk>(std::move(*psk));
}

ServerConfig::ClientAuth client_auth_mode(const std::string& name) {
  if (name == "required") return ServerConfig::ClientAuth::require;
  if (name == "optional") return ServerConfig::ClientAuth::optional;
  if (name == "request") return ServerConfig::ClientAuth::request;
  return ServerConfig::ClientAuth::none;
}

}  // namespace tern::cli
