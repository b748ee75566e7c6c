// SPDX-License-Identifier: Apache-2.0
#include "http/directory_listing.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "http/file_service.h"
#include "http/message.h"

namespace tern::http {
namespace {

// Whether the regular file `real` may be shown: the same checks FileService makes before it
// serves one, so a listing never names what a request would refuse.
bool servable_file(const std::string& real, const CredentialFiles* credentials) {
  UniqueFd fd(::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  struct stat st {};
  if (!fd || fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  if (credentials && credentials->contains(st)) return false;
  return !secret_content_of(fd.get(), static_cast<uint64_t>(st.st_size));
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string list_directory(const std::string& root, const std::string& real_dir,
                           const std::string& url_path, const CredentialFiles* credentials) {
  std::vector<std::string> names;
  bool truncated = false;
  if (std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(real_dir.c_str()), closedir); dir) {
    while (dirent* entry = readdir(dir.get())) {
      if (names.size() == DirectoryListing::kMaxNames) {
        truncated = true;
        break;
      }
      if (entry->d_name[0] != '.') names.emplace_back(entry->d_name);
    }
  }
  std::sort(names.begin(), names.end());
  std::string rows;
  size_t listed = 0, more = 0;
  for (const std::string& name : names) {
    // Through resolve_target, as a request for it would go: the same refusals.
    Resolved r = resolve_target(root, percent_encode_path(url_path + name));
    bool is_dir = r.status == 301;
    if (!is_dir && !(r.status == 200 && servable_file(r.file, credentials))) continue;
    if (listed == DirectoryListing::kMaxListed) {
      ++more;
      continue;
    }
    ++listed;
    std::string shown = name + (is_dir ? "/" : "");
    rows += "<li><a href=\"./" + html_escape(percent_encode_path(shown)) + "\">" +
            html_escape(shown) + "</a></li>\n";
  }
  std::string title = "Index of " + html_escape(url_path);
  std::string page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title +
                     "</title></head>\n<body><h1>" + title + "</h1>\n<ul>\n";
  if (url_path != "/") page += "<li><a href=\"../\">../</a></li>\n";
  page += rows + "</ul>\n";
  if (more > 0 || truncated)
    page += "<p>" + (more > 0 ? std::to_string(more) + " more entries not listed" : "") +
            (truncated ? std::string(more ? "; " : "") + "only the first " +
                             std::to_string(DirectoryListing::kMaxNames) + " names were read"
                       : "") +
            ".</p>\n";
  return page + "</body></html>\n";
}

}  // namespace tern::http
