// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the crypto tests: locating the reference shelf, loading Wycheproof
// files, hex decoding, and pulling hex dumps out of RFC texts.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "base/encoding.h"
#include "crypto/provider.h"
#include "tern/bytes.h"

namespace tern::crypto::test {

inline std::string reference_dir() {
  const char* env = std::getenv("TERN_REFERENCE_DIR");
  return env && *env ? env : TERN_REFERENCE_DIR;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The decompressed contents of a gzip file (gzip(1) does the work); empty if unreadable.
inline std::string gunzip(const std::string& path) {
  std::string command = "gzip -dc '" + path + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return "";
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe.get())) > 0) out.append(buf, n);
  return out;
}

// A Wycheproof file by name; the repository keeps files over 1 MiB gzipped (NAME.json.gz).
inline nlohmann::json wycheproof(const std::string& name) {
  std::string path = reference_dir() + "/vectors/wycheproof/" + name + ".json";
  std::string text = read_text(path);
  if (text.empty()) text = gunzip(path + ".gz");
  if (text.empty()) ADD_FAILURE() << "cannot read " << path;
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

inline Bytes unhex(std::string_view text) {
  auto b = base::unhex(text);
  if (!b) ADD_FAILURE() << "bad hex in test data: " << text;
  return b ? *b : Bytes();
}
inline Bytes jhex(const nlohmann::json& j) { return unhex(j.get<std::string>()); }

inline bool has_flag(const nlohmann::json& test, std::string_view flag) {
  for (const auto& f : test["flags"]) {
    if (f.get<std::string>() == flag) return true;
  }
  return false;
}

// "tcId 17 (comment) [flags]" for failure messages.
inline std::string describe(const nlohmann::json& test) {
  std::string s = "tcId " + std::to_string(test["tcId"].get<int>()) + " (" +
                  test["comment"].get<std::string>() +
                  ") result=" + test["result"].get<std::string>() +
                  " flags=" + test["flags"].dump();
  return s;
}

// Counts what a Wycheproof loop did, so a test can assert that nothing was silently left out.
struct Tally {
  size_t run = 0;
  size_t skipped = 0;
};

inline size_t number_of_tests(const nlohmann::json& file) {
  return file["numberOfTests"].get<size_t>();
}

// Reads the hex dump that follows `label` after the heading `anchor` in an RFC text. Handles the
// two layouts RFC 8439 uses: "000  4c 61 ...  ASCII" lines (the hex field is the 47 columns after
// the offset) and "1a:e1:0b:..." lines.
inline Bytes rfc_hexdump(const std::string& text, std::string_view anchor, std::string_view label) {
  // The heading line itself, not its entry in the table of contents.
  size_t pos = text.find("\n" + std::string(anchor) + "\n");
  if (pos == std::string::npos) {
    ADD_FAILURE() << "anchor not found in RFC: " << anchor;
    return {};
  }
  pos = text.find(label, pos);
  if (pos == std::string::npos) {
    ADD_FAILURE() << "label not found in RFC: " << label;
    return {};
  }
  pos = text.find('\n', pos) + 1;
  std::string hex;
  bool started = false;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    size_t i = line.find_first_not_of(' ');
    if (i == std::string_view::npos) {
      if (started) break;
      continue;
    }
    std::string_view rest = line.substr(i);
    if (rest.size() > 5 && std::isdigit(static_cast<unsigned char>(rest[0])) &&
        std::isdigit(static_cast<unsigned char>(rest[1])) &&
        std::isdigit(static_cast<unsigned char>(rest[2])) && rest.substr(3, 2) == "  ") {
      std::string_view field = rest.substr(5, 47);
      for (char c : field) {
        if (std::isxdigit(static_cast<unsigned char>(c))) hex += c;
      }
      started = true;
    } else if (rest.size() >= 3 && std::isxdigit(static_cast<unsigned char>(rest[0])) &&
               std::isxdigit(static_cast<unsigned char>(rest[1])) && rest[2] == ':') {
      for (char c : rest) {
        if (std::isxdigit(static_cast<unsigned char>(c))) hex += c;
      }
      started = true;
    } else {
      break;
    }
  }
  return unhex(hex);
}

}  // namespace tern::crypto::test
