// SPDX-License-Identifier: Apache-2.0
#include "ech_files.h"

#include <fstream>
#include <iterator>

#include "tern/ech.h"

namespace tern::cli {
namespace {

// The most a key or config file may hold: an ECHConfig is under 64 KiB by its encoding.
constexpr size_t kMaxEchFileSize = 70000;

Result<Bytes> read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::usage, "cannot read " + path);
  Bytes data;
  char c;
  while (data.size() <= kMaxEchFileSize && in.get(c)) data.push_back(static_cast<uint8_t>(c));
  if (data.size() > kMaxEchFileSize)
    return Error(Errc::usage, path + " is too large for an ECH key or config");
  return data;
}

}  // namespace

Result<void> load_ech_key_files(const std::vector<std::string>& keys,
                                const std::vector<std::string>& configs, ServerConfig& config,
                                std::ostream& notes) {
  if (keys.size() != configs.size())
    return Error(Errc::usage, "give one --ech-config per --ech-key (" +
                                  std::to_string(keys.size()) + " keys, " +
                                  std::to_string(configs.size()) + " configs)");
  for (size_t i = 0; i < keys.size(); ++i) {
    TERN_TRY(auto key_bytes, read_small_file(keys[i]));
    TERN_TRY(auto config_bytes, read_small_file(configs[i]));
    auto key = load_ech_key(config_bytes, key_bytes);
    if (!key)
      return Error(Errc::usage, "--ech-key " + keys[i] + " --ech-config " + configs[i] + ": " +
                                    key.error().detail);
    Bytes list(2);
    list[0] = static_cast<uint8_t>(key->config.size() >> 8);
    list[1] = static_cast<uint8_t>(key->config.size());
    list.insert(list.end(), key->config.begin(), key->config.end());
    if (auto described = describe_ech_config_list(list))
      notes << "tern serve: ECH key " << keys[i] << ": " << *described;
    config.ech_keys.push_back(std::move(*key));
  }
  return ok();
}

}  // namespace tern::cli
