// SPDX-License-Identifier: Apache-2.0
// The public ECH key and config helpers of tern/ech.h, on the codec (msgs/ech) and HPKE.
#include "tern/ech.h"

#include <algorithm>
#include <cctype>

#include "base/encoding.h"
#include "crypto/hpke.h"
#include "handshake/ech_server.h"
#include "msgs/ech.h"

namespace tern {

namespace hpke = crypto::hpke;

Result<EchKeyPair> generate_ech_key(const std::string& public_name, uint8_t config_id,
                                    uint8_t maximum_name_length) {
  if (!msgs::valid_public_name(public_name))
    return Error(Errc::usage, "the public name \"" + public_name +
                                  "\" is not a DNS name (letters, digits, hyphens, dots; not "
                                  "an IP address)");
  const crypto::Provider& provider = crypto::default_provider();
  EchKeyPair pair;
  pair.private_key.resize(hpke::kX25519KeySize);
  TERN_CHECK(provider.random(pair.private_key));
  msgs::EchConfig config;
  config.config_id = config_id;
  config.kem_id = hpke::kKemX25519Sha256;
  TERN_TRY(config.public_key, hpke::public_key(provider, pair.private_key));
  config.cipher_suites = {{hpke::kKdfSha256, hpke::kAeadAes128Gcm},
                          {hpke::kKdfSha256, hpke::kAeadChacha20Poly1305}};
  config.maximum_name_length = maximum_name_length;
  config.public_name = public_name;
  pair.config = config.encode();
  pair.config_list = msgs::encode_ech_config_list({pair.config});
  pair.config_list_base64 = base::base64(pair.config_list);
  return pair;
}

Result<ServerConfig::EchKey> load_ech_key(BytesView config, BytesView private_key, bool retry) {
  ServerConfig::EchKey key;
  key.retry = retry;
  key.private_key.assign(private_key.begin(), private_key.end());
  // An ECHConfigList of one config is accepted too: its first two bytes are its length.
  if (config.size() >= 2 && static_cast<size_t>((config[0] << 8) | config[1]) == config.size() - 2) {
    TERN_TRY(auto list, msgs::parse_ech_config_list(config));
    if (list.configs.size() != 1)
      return Error(Errc::usage, "the ECH config file is an ECHConfigList of " +
                                    std::to_string(list.configs.size()) +
                                    " usable configs; give one ECHConfig per key");
    key.config = list.configs[0].encoded;
  } else {
    key.config.assign(config.begin(), config.end());
  }
  if (private_key.size() != hpke::kX25519KeySize)
    return Error(Errc::usage, "the ECH private key must be a raw 32-byte X25519 key (as `tern ech "
                              "keygen` and `bssl-tool generate-ech` write), not " +
                                  std::to_string(private_key.size()) + " bytes");
  ServerConfig probe;
  probe.ech_keys.push_back(key);
  TERN_TRY(auto loaded, handshake::EchServer::load_keys(crypto::default_provider(), probe));
  (void)loaded;
  return key;
}

Result<Bytes> read_ech_config_list(BytesView input) {
  Bytes list(input.begin(), input.end());
  if (!msgs::parse_ech_config_list(list)) {
    std::string text(input.begin(), input.end());
    std::erase_if(text, [](unsigned char c) { return std::isspace(c); });
    auto decoded = base::unbase64(text);
    if (!decoded)
      return Error(Errc::decode,
                   "the ECH config list is neither a binary ECHConfigList nor base64 text",
                   Alert::none);
    list = std::move(*decoded);
  }
  TERN_TRY(auto parsed, msgs::parse_ech_config_list(list));
  if (parsed.configs.empty())
    return Error(Errc::unsupported, "the ECHConfigList holds no config of version 0xfe0d");
  return list;
}

Result<std::string> describe_ech_config_list(BytesView list) {
  TERN_TRY(auto parsed, msgs::parse_ech_config_list(list));
  std::string out;
  for (const auto& c : parsed.configs) {
    out += "config_id " + std::to_string(c.config_id) + ", public_name " + c.public_name +
           ", KEM " + (c.kem_id == hpke::kKemX25519Sha256 ? "DHKEM(X25519, HKDF-SHA256)"
                                                          : std::to_string(c.kem_id)) +
           ", suites";
    for (const auto& s : c.cipher_suites)
      out += std::string(" ") + hpke::kdf_name(s.kdf_id) + "/" + hpke::aead_name(s.aead_id);
    out += ", max name length " + std::to_string(c.maximum_name_length) + "\n";
  }
  if (parsed.skipped_versions)
    out += std::to_string(parsed.skipped_versions) + " config(s) of other versions\n";
  return out;
}

}  // namespace tern
