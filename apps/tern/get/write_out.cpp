// SPDX-License-Identifier: Apache-2.0
#include "get/write_out.h"

#include <cstdio>

namespace tern::cli::get {
namespace {

std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", s);
  return text;
}

}  // namespace

std::string expand_write_out(const std::string& format, const TransferInfo& info,
                             std::string* unknown) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c == '\\' && i + 1 < format.size()) {
      char e = format[++i];
      if (e == 'n') out += '\n';
      else if (e == 'r') out += '\r';
      else if (e == 't') out += '\t';
      else if (e == '\\') out += '\\';
      else out += std::string("\\") + e;  // not an escape curl knows: kept as written
      continue;
    }
    if (c == '%' && i + 1 < format.size() && format[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    if (c == '%' && format.compare(i, 2, "%{") == 0) {
      size_t close = format.find('}', i);
      if (close != std::string::npos) {
        std::string name = format.substr(i + 2, close - i - 2);
        std::string value;
        bool known = true;
        if (name == "http_code" || name == "response_code") {
          char code[8];
          std::snprintf(code, sizeof code, "%03d", info.http_code);
          value = code;
        } else if (name == "time_connect") {
          value = seconds(info.time_connect);
        } else if (name == "time_appconnect") {
          value = seconds(info.time_appconnect);
        } else if (name == "time_total") {
          value = seconds(info.time_total);
        } else if (name == "ssl_verify_result") {
          value = std::to_string(info.ssl_verify_result);
        } else if (name == "size_download") {
          value = std::to_string(info.size_download);
        } else if (name == "url_effective") {
          value = info.url_effective;
        } else if (name == "http_version") {
          value = info.http_version;
        } else {
          known = false;
        }
        if (known) {
          out += value;
        } else {
          if (unknown && unknown->empty()) *unknown = name;
          out += format.substr(i, close - i + 1);
        }
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}

}  // namespace tern::cli::get
