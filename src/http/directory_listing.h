// SPDX-License-Identifier: Apache-2.0
// The HTML page `tern serve --list` answers for a directory without index.html.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/secrets.h"

namespace tern::http {

// The escapes of text inside HTML elements and double-quoted attributes.
std::string html_escape(std::string_view text);

// A page listing the entries of the directory `real_dir` (canonical, under `root`), reached at
// the decoded URL path `url_path` (ending in '/'): sorted by name, subdirectories with a
// trailing '/', links relative ("./name", percent-encoded; the "./" keeps a name like "a:b"
// from reading as a scheme), names HTML-escaped. Left out, as FileService would refuse them:
// dotfiles, entries whose real path leaves root or passes a dot name, the files credentials
// were loaded from, files whose content is secret, what is neither a file nor a directory.
// Bounded: at most kMaxNames names are read, at most kMaxListed are listed (then a line says
// how many more), so a huge directory costs a bounded time and page.
struct DirectoryListing {
  static constexpr size_t kMaxNames = 10'000;
  static constexpr size_t kMaxListed = 1'000;
};
std::string list_directory(const std::string& root, const std::string& real_dir,
                           const std::string& url_path, const CredentialFiles* credentials);

}  // namespace tern::http
