// SPDX-License-Identifier: Apache-2.0
// Reads values out of the RFC 8448 text in tests/data/reference, so tests state known answers
// by where they stand in the RFC instead of by copied hex.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "base/encoding.h"
#include "tern/bytes.h"

namespace tern::testing {

inline const std::string& rfc8448_text() {
  static const std::string text = [] {
    std::ifstream in(std::string(TERN_REFERENCE_DIR) + "/rfc/rfc8448.txt");
    if (!in) throw std::runtime_error("cannot read rfc8448.txt under " TERN_REFERENCE_DIR);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  return text;
}

// The value labelled `label` ("expanded", "complete record", "key expanded", ...) that
// follows the first line containing `step` after the heading `section` ("3.  Simple 1-RTT
// Handshake").
// Page headers and footers inside a value are skipped; the octet count in the label line
// says where the value ends.
inline Bytes rfc8448(std::string_view section, std::string_view step, std::string_view label) {
  const std::string& text = rfc8448_text();
  // The heading at the start of a line, not its table-of-contents entry.
  size_t pos = text.find("\n" + std::string(section) + "\n");
  if (pos == std::string::npos) throw std::runtime_error("RFC 8448: no section " + std::string(section));
  pos = text.find(step, pos);
  if (pos == std::string::npos) throw std::runtime_error("RFC 8448: no step " + std::string(step));
  std::string needle = std::string(label) + " (";
  pos = text.find(needle, pos);
  if (pos == std::string::npos) throw std::runtime_error("RFC 8448: no label " + std::string(label));
  pos += needle.size();
  size_t count = std::stoul(text.substr(pos));
  pos = text.find(':', pos) + 1;
  Bytes out;
  std::istringstream lines(text.substr(pos));
  std::string line;
  while (out.size() < count && std::getline(lines, line)) {
    std::istringstream tokens(line);
    std::string token;
    Bytes row;
    bool hex_line = true;
    while (tokens >> token) {
      auto byte = token.size() == 2 ? base::unhex(token) : std::nullopt;
      if (!byte) { hex_line = false; break; }
      row.push_back((*byte)[0]);
    }
    if (hex_line) out.insert(out.end(), row.begin(), row.end());
  }
  if (out.size() != count) throw std::runtime_error("RFC 8448: short value for " + std::string(step));
  return out;
}

}  // namespace tern::testing
