// SPDX-License-Identifier: Apache-2.0
#include "get/request.h"

#include <cctype>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "http/message.h"

namespace tern::cli::get {
namespace {

// -d @file / --data-binary @file / @- (stdin).
Result<std::string> load_data(const std::string& spec, bool strip_newlines) {
  if (!spec.starts_with("@")) return spec;
  std::string path = spec.substr(1), content;
  if (path == "-") {
    content.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (std::cin.bad()) return Error(Errc::io, "cannot read the data from stdin");
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error(Errc::io, "cannot read the data file " + path);
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) return Error(Errc::io, "cannot read the data file " + path);
    content = s.str();
  }
  // curl -d sends a file's lines joined: it drops carriage returns and newlines.
  if (strip_newlines) std::erase_if(content, [](char c) { return c == '\r' || c == '\n'; });
  return content;
}

std::string header_name(const std::string& line) {
  size_t end = line.find_first_of(":;");
  std::string name = line.substr(0, end);
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
  return name;
}

bool user_sets(const RequestPlan& plan, std::string_view name) {
  for (const std::string& h : plan.user_headers)
    if (http::equals_ignore_case(header_name(h), name)) return true;
  return false;
}

}  // namespace

std::string base64_encode(const std::string& data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(data[i]) << 16 | static_cast<uint8_t>(data[i + 1]) << 8 |
                 static_cast<uint8_t>(data[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(v >> shift) & 63];
  }
  if (size_t left = data.size() - i) {
    uint32_t v = static_cast<uint8_t>(data[i]) << 16 |
                 (left == 2 ? static_cast<uint8_t>(data[i + 1]) << 8 : 0);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += left == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Result<RequestPlan> plan_request(const GetArgs& args) {
  // A line break in a header or the method would end the field early and let the rest of
  // the value forge headers or a second request: refused, never sent.
  auto one_line = [](const std::string& flag, const std::string& value) -> Result<void> {
    if (value.find_first_of("\r\n") != std::string::npos)
      return Error(Errc::usage, flag + " '" + value.substr(0, value.find_first_of("\r\n")) +
                                    "...': holds a line break");
    return ok();
  };
  for (const std::string& h : args.headers) TERN_CHECK(one_line("-H", h));
  TERN_CHECK(one_line("-A", args.user_agent));
  TERN_CHECK(one_line("-u", args.user));
  TERN_CHECK(one_line("-r", args.range));
  if (args.method.find_first_of(" \t\r\n") != std::string::npos)
    return Error(Errc::usage, "-X '" + args.method + "': a method is one word");
  RequestPlan plan;
  std::string joined;
  bool any = false;
  // curl joins -d and --data-binary pieces with '&', in the order given; CLI11 keeps each
  // option's values in order, so -d pieces come first (a documented difference).
  for (const std::string& d : args.data) {
    TERN_TRY(std::string piece, load_data(d, true));
    joined += (any ? "&" : "") + piece;
    any = true;
  }
  for (const std::string& d : args.data_binary) {
    TERN_TRY(std::string piece, load_data(d, false));
    joined += (any ? "&" : "") + piece;
    any = true;
  }
  plan.has_body = any;
  plan.body = std::move(joined);
  plan.method = args.head ? "HEAD" : any ? "POST" : "GET";
  if (!args.method.empty()) {
    plan.method = args.method;
    plan.method_forced = true;
  }
  plan.user_headers = args.headers;
  if (!args.user.empty()) {
    if (args.user.find(':') == std::string::npos)
      return Error(Errc::usage, "-u '" + args.user + "': give USER:PASSWORD (tern does not prompt)");
    plan.authorization = "Basic " + base64_encode(args.user);
  }
  if (args.user_agent_set) plan.user_agent = args.user_agent;
  plan.range = args.range;
  plan.compressed = args.compressed;
  return plan;
}

std::string build_request(const RequestPlan& plan, const Url& url, bool same_origin) {
  std::string head = plan.method + " " + url.path + " HTTP/1.1\r\n";
  // The defaults, each left out when a -H names it: "-H 'Accept: x'" replaces, "-H Accept:"
  // removes (curl's rules).
  auto add_default = [&](std::string_view name, const std::string& value) {
    if (!value.empty() && !user_sets(plan, name))
      head += std::string(name) + ": " + value + "\r\n";
  };
  add_default("Host", url.host_header);
  if (same_origin) add_default("Authorization", plan.authorization);
  add_default("Range", plan.range.empty() ? "" : "bytes=" + plan.range);
  add_default("User-Agent", plan.user_agent);
  add_default("Accept", "*/*");
  add_default("Accept-Encoding", plan.compressed ? "deflate, gzip" : "");
  for (const std::string& h : plan.user_headers) {
    std::string name = header_name(h);
    if (name.empty()) continue;
    // Credentials the user gave for one host are not sent to another (curl).
    if (!same_origin && (http::equals_ignore_case(name, "authorization") ||
                         http::equals_ignore_case(name, "cookie")))
      continue;
    size_t sep = h.find_first_of(":;");
    if (sep == std::string::npos) continue;
    std::string value = h.substr(sep + 1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())))
      value.erase(0, 1);
    if (h[sep] == ';') {  // "X;" sends X with an empty value
      if (value.empty()) head += name + ":\r\n";
      continue;
    }
    if (value.empty()) continue;  // "X:" removes X
    head += name + ": " + value + "\r\n";
  }
  if (plan.has_body) {
    add_default("Content-Type", "application/x-www-form-urlencoded");
    head += "Content-Length: " + std::to_string(plan.body.size()) + "\r\n";
  }
  head += "Connection: close\r\n\r\n";
  return plan.has_body ? head + plan.body : head;
}

std::vector<std::string> request_header_lines(const std::string& request) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (true) {
    size_t eol = request.find("\r\n", at);
    if (eol == std::string::npos || eol == at) break;
    lines.push_back(request.substr(at, eol - at));
    at = eol + 2;
  }
  return lines;
}

}  // namespace tern::cli::get
