// SPDX-License-Identifier: Apache-2.0
#include "http/file_service.h"

#include "http/conditional.h"
#include "http/directory_listing.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace tern::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    char c = static_cast<char>(hi * 16 + lo);
    if (c == '\0') return std::nullopt;
    out += c;
    i += 2;
  }
  return out;
}

// The type and mode bits of the file at `path`, 0 if it cannot be found.
mode_t file_mode(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? st.st_mode : 0;
}

}  // namespace

std::string percent_encode_path(std::string_view path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || std::string_view("/-._~!$&'()*+,;=:@").find(c) != std::string::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

namespace {

// Whether any segment of the '/'-separated `path` is a dotfile or dot-directory name.
bool has_dot_segment(std::string_view path) {
  for (size_t at = 0; at <= path.size();) {
    size_t slash = path.find('/', at);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > at && path[at] == '.') return true;
    at = slash + 1;
  }
  return false;
}

// The canonical path of `path` if it exists and lies under `root` (also canonical); the
// prefix check includes the '/', so /srv/www-secret is not under /srv/www. `refused` says
// why a path that exists must not be served: a dot name below root once symlinks are
// resolved.
struct Located {
  std::string real;
  const char* refused = nullptr;
};
std::optional<Located> locate(const std::string& root, const std::string& path) {
  char resolved[PATH_MAX];
  if (!realpath(path.c_str(), resolved)) return std::nullopt;
  Located out{resolved};
  if (out.real == root) return out;
  std::string prefix = root == "/" ? root : root + "/";
  if (!out.real.starts_with(prefix)) return std::nullopt;
  if (has_dot_segment(std::string_view(out.real).substr(prefix.size())))
    out.refused = "a dotfile or dot-directory (through a symlink)";
  return out;
}

// Why `path`, which locate() did not find under root, cannot be served (for the log); 403
// when the server may not read it.
void explain_missing(const std::string& path, Resolved& out) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved)) {
    out.missing = "a symlink to outside the served directory";
  } else if (errno == EACCES) {
    out.status = 403;
    out.missing = "permission denied (the server's user may not read it)";
  } else if (errno == ENOENT || errno == ENOTDIR) {
    out.missing = "no such file";
  } else {
    out.missing = std::string("cannot resolve the path: ") + std::strerror(errno);
  }
}

}  // namespace

Result<std::string> served_root(const std::string& dir) {
  auto cannot = [&dir](const std::string& why) {
    return Error(Errc::usage, "cannot serve " + dir + ": " + why);
  };
  char resolved[PATH_MAX];
  struct stat st {};
  if (!realpath(dir.c_str(), resolved) || stat(resolved, &st) != 0)
    return cannot(errno == ENOENT ? "it does not exist"
                                  : std::strerror(errno) + std::string(" (the user tern runs "
                                                                       "as must be able to "
                                                                       "enter every directory "
                                                                       "on the way)"));
  if (!S_ISDIR(st.st_mode))
    return cannot("it is not a directory; give the directory that holds the site");
  if (access(resolved, R_OK | X_OK) != 0)
    return cannot(std::strerror(errno) +
                  std::string(" (the user tern runs as must be able to list and enter it)"));
  return std::string(resolved);
}

std::string public_reason(const Resolved& r) {
  if (r.status == 403) return "permission denied";
  if (r.missing.starts_with("the directory has no index.html")) return r.missing;
  return "no such file";
}

Resolved resolve_target(const std::string& root, std::string_view target) {
  Resolved out;
  target = target.substr(0, target.find_first_of("?#"));
  auto path = target.empty() || target.front() != '/' ? std::nullopt : percent_decode(target);
  if (!path) {
    out.status = 400;
    return out;
  }
  // The path normalised: empty segments dropped ("//a" is "/a"); dot segments and
  // backslashes refused outright rather than interpreted.
  std::string normal;
  for (size_t at = 1; at <= path->size();) {
    size_t slash = path->find('/', at);
    if (slash == std::string::npos) slash = path->size();
    std::string_view segment = std::string_view(*path).substr(at, slash - at);
    if (segment == ".." || segment == "." || segment.find('\\') != std::string_view::npos) {
      out.status = 400;
      return out;
    }
    if (!segment.empty()) normal += "/" + std::string(segment);
    at = slash + 1;
  }
  bool wants_directory = normal.empty() || path->back() == '/';
  if (has_dot_segment(normal)) {
    out.why = "a dotfile or dot-directory";
    return out;
  }
  auto found = locate(root, root + normal);
  if (found && S_ISDIR(file_mode(found->real)) && !found->refused) {
    if (!wants_directory) {
      // From the normalised path, never the raw target: "//evil.example" must not become
      // a Location that a browser reads as another host.
      out.status = 301;
      out.location = percent_encode_path(normal + "/");
      return out;
    }
    std::string directory = found->real, index = directory + "/index.html";
    found = locate(root, index);
    if (!found) {
      explain_missing(index, out);
      if (out.missing == "no such file") {
        out.missing = "the directory has no index.html (tern serve lists no directories)";
        out.directory = directory;
        out.directory_path = normal + "/";
      }
      return out;
    }
  }
  if (!found) {
    explain_missing(root + normal, out);
    return out;
  }
  if (found->refused) {
    out.why = found->refused;
    return out;
  }
  if (!S_ISREG(file_mode(found->real))) {
    out.missing = "not a regular file";
    return out;
  }
  out.status = 200;
  out.file = found->real;
  return out;
}

std::string content_type_for(std::string_view path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"}, {".md", "text/markdown; charset=utf-8"},
      {".xml", "application/xml"},           {".svg", "image/svg+xml"},
      {".png", "image/png"},                 {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},               {".gif", "image/gif"},
      {".webp", "image/webp"},               {".ico", "image/x-icon"},
      {".wasm", "application/wasm"},         {".pdf", "application/pdf"},
      {".woff", "font/woff"},                {".woff2", "font/woff2"},
      {".mp4", "video/mp4"},                 {".pem", "application/x-pem-file"},
  };
  size_t dot = path.rfind('.');
  if (dot != std::string_view::npos && path.find('/', dot) == std::string_view::npos) {
    std::string_view ext = path.substr(dot);
    for (const auto& [suffix, type] : kTypes)
      if (equals_ignore_case(ext, suffix)) return type;
  }
  return "application/octet-stream";
}

Response FileService::respond(const Request& req, const std::string& peer) const {
  if (req.method != "GET" && req.method != "HEAD")
    return error_response(405, "only GET and HEAD are served");
  Resolved where = resolve_target(root_, req.target);
  if (where.status == 301) {
    Response moved;
    moved.status = 301;
    moved.fields = {{"content-type", "text/plain; charset=utf-8"}, {"location", where.location}};
    moved.body = "Moved to " + where.location + "\n";
    return moved;
  }
  if (where.status == 404 && options_.list_directories && !where.directory.empty()) {
    Response listing;
    listing.fields = {{"content-type", "text/html; charset=utf-8"}};
    listing.body =
        list_directory(root_, where.directory, where.directory_path, credentials_.get());
    return listing;
  }
  if (where.status != 200) {
    if (!where.why.empty()) log(peer + " refused to serve " + where.why + " (404)");
    if (!where.missing.empty())
      log(peer + " not served: " + where.missing + " (" + std::to_string(where.status) + ")");
    return error_response(where.status, where.status == 400 ? "bad path" : public_reason(where));
  }
  // O_NOFOLLOW, O_NONBLOCK and the checks on the open file: what was resolved may have
  // been replaced since (by a symlink, a FIFO, a key).
  UniqueFd file(::open(where.file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  int open_error = file ? 0 : errno;
  struct stat st {};
  if (!file || fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    int status = open_error == EACCES ? 403 : 404;
    log(peer + " not served: " +
        (open_error ? std::string("cannot open the file: ") + std::strerror(open_error)
                    : "not a regular file (it changed after the path was resolved)") +
        " (" + std::to_string(status) + ")");
    return error_response(status, status == 403 ? "permission denied" : "cannot open the file");
  }
  std::optional<std::string> secret;
  if (credentials_ && credentials_->contains(st))
    secret = "a file this server loaded a credential from";
  else
    secret = secret_content_of(file.get(), static_cast<uint64_t>(st.st_size));
  if (secret) {
    log(peer + " refused to serve " + *secret + " (404)");
    return error_response(404, "no such file");  // the same as a missing one
  }
  // Validators and conditions only after the secret check: a 304 must not tell that a
  // refused file exists.
  std::string etag = entity_tag(st);
  std::string last_modified = http_date(st.st_mtime);
  Response ok;
  if (not_modified(req, etag, st.st_mtime)) {
    ok.status = 304;
    ok.fields = {{"etag", etag}, {"last-modified", last_modified}};
    return ok;
  }
  auto size = static_cast<uint64_t>(st.st_size);
  RangeAnswer range = answer_range(req, size, etag, st.st_mtime);
  if (range.kind == RangeAnswer::Kind::unsatisfiable) {
    Response refused = error_response(416, "the range is past the end of the file");
    refused.close_connection = false;  // the request was understood
    refused.fields.push_back({"content-range", "bytes */" + std::to_string(size)});
    return refused;
  }
  ok.fields = {{"content-type", content_type_for(where.file)},
               {"last-modified", last_modified},
               {"etag", etag},
               {"accept-ranges", "bytes"}};
  ok.file = std::move(file);
  ok.file_length = size;
  if (range.kind == RangeAnswer::Kind::partial) {
    ok.status = 206;
    ok.file_offset = range.first;
    ok.file_length = range.length;
    ok.fields.push_back({"content-range", "bytes " + std::to_string(range.first) + "-" +
                                              std::to_string(range.first + range.length - 1) +
                                              "/" + std::to_string(size)});
  }
  return ok;
}

}  // namespace tern::http
