// SPDX-License-Identifier: Apache-2.0
#include "http/message.h"

#include <algorithm>
#include <cctype>

namespace tern::http {

const std::string* find_field(const Fields& fields, std::string_view lower_name) {
  for (const Field& f : fields)
    if (f.name == lower_name) return &f.value;
  return nullptr;
}

Response error_response(int status, const std::string& why) {
  Response out;
  out.status = status;
  out.fields.push_back({"content-type", "text/plain; charset=utf-8"});
  if (status == 405) out.fields.push_back({"allow", "GET, HEAD"});
  out.body = std::to_string(status) + " " + reason_phrase(status) + ": " + why + "\n";
  out.close_connection = status >= 400 && status != 404 && status != 405;
  return out;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 425: return "Too Early";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

std::string http_date(time_t t) {
  char buf[64];
  tm parts{};
  gmtime_r(&t, &parts);
  strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return buf;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace tern::http
