// SPDX-License-Identifier: Apache-2.0
#include "get/url.h"

#include <algorithm>
#include <cctype>

namespace tern::cli::get {
namespace {

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Spaces, control characters and bytes past ASCII as %XX, as curl sends them: the request
// line must not carry them raw.
std::string percent_encode_unsafe(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : path) {
    auto b = static_cast<unsigned char>(c);
    if (b > 0x20 && b < 0x7f) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

}  // namespace

Result<Url> parse_url(const std::string& text) {
  // Scheme and host name are case-insensitive (RFC 3986 §3.1, §3.2.2): HTTPS://Example.ORG/.
  if (!lowercase(text.substr(0, 8)).starts_with("https://")) {
    size_t sep = text.find("://");
    if (sep == std::string::npos)
      return Error(Errc::usage, "'" + text + "': not a URL (expected https://HOST/PATH)");
    return Error(Errc::unsupported, "'" + text + "': only https:// URLs are supported (not " +
                                        text.substr(0, sep) + "://)");
  }
  Url url;
  url.text = text;
  std::string rest = text.substr(8);
  size_t slash = rest.find_first_of("/?#");
  std::string authority = lowercase(rest.substr(0, slash));
  if (std::any_of(authority.begin(), authority.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) == 0x7f;
      }))
    return Error(Errc::usage, "'" + text +
                                  "': the host name holds a space or control character; remove it "
                                  "(spaces in the path are sent as %20)");
  if (slash != std::string::npos) url.path = rest.substr(slash);
  if (url.path.front() != '/') url.path = "/" + url.path;
  url.path = percent_encode_unsafe(url.path.substr(0, url.path.find('#')));
  url.host_header = authority;
  if (authority.find('@') != std::string::npos)
    return Error(Errc::usage, "'" + text + "': user names in URLs are not supported (use -u)");
  std::string port;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string::npos) return Error(Errc::usage, "'" + text + "': unclosed [");
    url.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return Error(Errc::usage, "'" + text + "': bad port");
      port = authority.substr(close + 2);
    }
  } else {
    size_t colon = authority.rfind(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return Error(Errc::usage, "'" + text + "': no host name");
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) == 0 || std::stoi(port) > 65535)
      return Error(Errc::usage, "'" + text + "': bad port '" + port + "'");
    url.port = static_cast<uint16_t>(std::stoi(port));
  }
  return url;
}

std::string resolve_location(const Url& base, const std::string& location) {
  if (location.find("://") != std::string::npos &&
      location.find("://") < location.find_first_of("/?#"))
    return location;
  std::string origin = "https://" + base.host_header;
  if (location.starts_with("//")) return "https:" + location;
  if (location.starts_with("/")) return origin + location;
  std::string path = base.path.substr(0, base.path.find('?'));
  if (location.starts_with("?")) return origin + path + location;
  return origin + path.substr(0, path.rfind('/') + 1) + location;
}

Result<std::string> resolved_address(const std::vector<std::string>& entries, const Url& url) {
  for (const std::string& entry : entries) {
    size_t first = entry.find(':');
    size_t second = first == std::string::npos ? first : entry.find(':', first + 1);
    if (second == std::string::npos)
      return Error(Errc::usage, "--resolve '" + entry + "': expected HOST:PORT:ADDRESS");
    if (entry.substr(0, first) == url.host &&
        entry.substr(first + 1, second - first - 1) == std::to_string(url.port))
      return entry.substr(second + 1);
  }
  return std::string();
}

Result<std::string> remote_name(const Url& url) {
  std::string path = url.path.substr(0, url.path.find('?'));
  std::string name = path.substr(path.rfind('/') + 1);
  // A %2F would become a '/' for anything that decodes the name later: refuse it too.
  if (name.empty() || name.starts_with(".") || lowercase(name).find("%2f") != std::string::npos)
    return Error(Errc::usage, "-O: '" + url.text +
                                  "' does not end in a usable file name (empty, or starting "
                                  "with '.'); use -o FILE");
  return name;
}

}  // namespace tern::cli::get
