// SPDX-License-Identifier: Apache-2.0
// What `tern serve` answers: a URL path mapped to a file under the served directory (never
// outside it, never a secret), whatever the HTTP version that carried the request.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/secrets.h"
#include "tern/result.h"

namespace tern::http {

// Where a request target leads under `root` (a canonical absolute path, see realpath):
// a regular file (status 200), a redirect to add a slash to a directory (301, location:
// the normalised path, percent-encoded), or an error status (400 bad encoding or a dot
// segment, 404 missing, outside root, or refused: a dotfile or dot-directory, `why`; 403 when
// the server may not read it). Every request path goes through here; the file is inside root
// once symlinks are resolved.
struct Resolved {
  int status = 404;
  std::string file;
  std::string location;
  std::string why;  // a 404 for a file that exists: why it is not served
  // Any other 404 or 403, for the log: "no such file", "the directory has no index.html",
  // "permission denied", "a symlink to outside the served directory", ...
  std::string missing;
  // A directory without index.html (status 404): its canonical path and the decoded URL path
  // that reached it (ending in '/'), for a listing when the server makes them (--list).
  std::string directory, directory_path;
};
// What a 404 or 403 answer says to the client about `r`: never more than the log line.
std::string public_reason(const Resolved& r);
// The canonical path of the directory `tern serve` was given, or Errc::usage saying why it
// cannot be served: it does not exist, is not a directory, or may not be read (strerror).
Result<std::string> served_root(const std::string& dir);

Resolved resolve_target(const std::string& root, std::string_view target);

std::string content_type_for(std::string_view path);
// Percent-encodes what may not stand as itself in a URL path (RFC 3986 pchar and '/').
std::string percent_encode_path(std::string_view path);

// What a FileService does beyond serving files.
struct FileServiceOptions {
  // A directory without index.html is answered with a listing of its entries
  // (directory_listing.h) instead of a 404.
  bool list_directories = false;
};

// Answers requests with the files under `root` (canonical, see served_root): one per server,
// shared by every connection and worker (const and stateless). Never one of `credentials` nor
// a file whose content is secret (secrets.h): those are 404s, with a log line saying why.
// GET and HEAD; the framing leaves out the body of a HEAD. Files carry validators (ETag from
// the inode, size and mtime; Last-Modified) and are answered 304 to a conditional request
// that matches, 206 or 416 to a Range (conditional.h); the framing sends no content with a
// 304.
class FileService {
 public:
  using Logger = std::function<void(const std::string& line)>;
  FileService(std::string root, std::shared_ptr<const CredentialFiles> credentials, Logger log,
              FileServiceOptions options = {})
      : root_(std::move(root)),
        credentials_(std::move(credentials)),
        log_(std::move(log)),
        options_(options) {}

  // The answer to `request`; `peer` ("127.0.0.1:5555") names the client in log lines.
  Response respond(const Request& request, const std::string& peer) const;

 private:
  void log(const std::string& line) const {
    if (log_) log_(line);
  }

  std::string root_;
  std::shared_ptr<const CredentialFiles> credentials_;
  Logger log_;
  FileServiceOptions options_;
};

}  // namespace tern::http
