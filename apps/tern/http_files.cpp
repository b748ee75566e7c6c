// SPDX-License-Identifier: Apache-2.0
#include "http_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "output.h"

namespace tern::cli {
namespace {

constexpr size_t kMaxHead = 16 * 1024;     // request line + headers
constexpr size_t kMaxTarget = 8 * 1024;    // the request target
constexpr size_t kChunk = 64 * 1024;       // bytes read from a file per write
constexpr size_t kMaxBuffered = 1024 * 1024;  // unread pipelined requests

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

ParsedRequest failed(int status, std::string why) {
  ParsedRequest out;
  out.state = ParsedRequest::State::error;
  out.error_status = status;
  out.error = std::move(why);
  return out;
}

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

std::string http_date(time_t t) {
  char buf[64];
  tm parts{};
  gmtime_r(&t, &parts);
  strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return buf;
}

}  // namespace

namespace {

// One line of a request head at `at`: the bytes up to the next LF, less one CR just before
// it. RFC 9112 §2.2 lets a recipient take a bare LF as a line end; tern does so for every
// line (request line, each field line, the empty line), through this one function, so no
// line can hide inside another. nullopt: no LF yet.
struct Line {
  std::string_view text;
  size_t next = 0;  // where the following line starts
};
std::optional<Line> line_at(std::string_view buffer, size_t at) {
  size_t lf = buffer.find('\n', at);
  if (lf == std::string_view::npos) return std::nullopt;
  size_t end = lf > at && buffer[lf - 1] == '\r' ? lf - 1 : lf;
  return Line{buffer.substr(at, end - at), lf + 1};
}

// RFC 9110 §5.6.2: a field name is a token.
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

}  // namespace

ParsedRequest parse_request(std::string_view buffer) {
  size_t at = 0;
  // Tolerate the blank lines some clients send between requests (RFC 9112 §2.2); they count
  // towards the size of the head.
  std::optional<Line> line;
  while ((line = line_at(buffer, at)) && line->text.empty() && line->next <= kMaxHead)
    at = line->next;
  size_t request_line_at = at;
  std::vector<std::string_view> lines;  // request line, then each field line
  while (true) {
    if (!line) {
      if (lines.empty() && buffer.size() - request_line_at > kMaxTarget + 64)
        return failed(414, "request line too long");
      if (buffer.size() > kMaxHead) return failed(431, "request headers too large");
      return {};
    }
    if (line->next > kMaxHead) return failed(431, "request headers too large");
    at = line->next;
    if (line->text.empty()) break;
    // RFC 9112 §2.2: a CR not followed by LF makes the element invalid.
    if (line->text.find('\r') != std::string_view::npos)
      return failed(400, "a bare CR (not followed by LF) in the request head");
    lines.push_back(line->text);
    line = line_at(buffer, at);
  }

  std::string_view request_line = lines.front();
  size_t sp1 = request_line.find(' '), sp2 = request_line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return failed(400, "malformed request line");
  ParsedRequest out;
  HttpRequest& req = out.request;
  req.method = std::string(request_line.substr(0, sp1));
  req.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
  req.version = std::string(request_line.substr(sp2 + 1));
  if (req.target.size() > kMaxTarget) return failed(414, "request target too long");
  if (req.method.empty() || req.target.empty() || req.target.find(' ') != std::string::npos)
    return failed(400, "malformed request line");
  if (req.version != "HTTP/1.1" && req.version != "HTTP/1.0") {
    if (req.version.starts_with("HTTP/")) return failed(505, "HTTP version not supported");
    return failed(400, "malformed request line");
  }
  req.keep_alive = req.version == "HTTP/1.1";
  bool has_host = false, has_length = false, has_transfer_encoding = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view field = lines[i];
    // RFC 9112 §5.2 (obs-fold) and §2.2 (whitespace after the request line): refused, not
    // unfolded, so that no proxy in front reads the head otherwise.
    if (field.front() == ' ' || field.front() == '\t')
      return failed(400, "obsolete line folding (a field line starting with a space or tab)");
    size_t colon = field.find(':');
    if (colon == std::string_view::npos || !is_token(field.substr(0, colon)))
      return failed(400, "malformed header field");
    std::string_view name = field.substr(0, colon), value = trim(field.substr(colon + 1));
    if (equals_ignore_case(name, "Host")) {
      if (has_host) return failed(400, "two Host headers");
      has_host = true;
    } else if (equals_ignore_case(name, "Connection")) {
      if (value.find("close") != std::string_view::npos ||
          value.find("Close") != std::string_view::npos)
        req.keep_alive = false;
      else if (equals_ignore_case(value, "keep-alive"))
        req.keep_alive = true;
    } else if (equals_ignore_case(name, "Transfer-Encoding")) {
      has_transfer_encoding = true;
    } else if (equals_ignore_case(name, "Content-Length")) {
      // One length, plain digits: a second field or a list ("5, 5", allowed by RFC 9112
      // §6.3 when the values agree) is refused, as a proxy might have framed it otherwise.
      if (has_length) return failed(400, "more than one Content-Length");
      has_length = true;
      if (value.empty() || value.size() > 12 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return failed(400, "bad Content-Length");
      req.body_length = std::stoull(std::string(value));
    }
  }
  // RFC 9112 §6.3: both framings at once "ought to be handled as an error" (smuggling).
  if (has_transfer_encoding && has_length)
    return failed(400, "both Transfer-Encoding and Content-Length");
  if (has_transfer_encoding)
    return failed(501, "request bodies with Transfer-Encoding are not supported");
  if (req.version == "HTTP/1.1" && !has_host) return failed(400, "HTTP/1.1 request without Host");
  out.state = ParsedRequest::State::complete;
  out.consumed = at;
  return out;
}

namespace {

// Percent-encodes what may not stand as itself in a path (RFC 3986 pchar and '/').
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
    std::string index = found->real + "/index.html";
    found = locate(root, index);
    if (!found) {
      explain_missing(index, out);
      if (out.missing == "no such file")
        out.missing = "the directory has no index.html (tern serve lists no directories)";
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

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

namespace {

class FileHandler final : public ConnectionHandler {
 public:
  FileHandler(std::string root, std::shared_ptr<const CredentialFiles> credentials,
              RequestLogger log, RequestTimeouts timeouts)
      : root_(std::move(root)),
        credentials_(std::move(credentials)),
        log_(std::move(log)),
        timeouts_(timeouts) {}
  ~FileHandler() override { close_file(); }

  void on_open(Session& session) override { wait_for_request(session); }

  void on_data(Session& session) override {
    uint8_t buf[16384];
    while (size_t n = session.read(buf)) in_.append(reinterpret_cast<char*>(buf), n);
    if (in_.size() > kMaxBuffered) {  // a client pipelining without reading the answers
      session.close();
      return;
    }
    serve_requests(session);
    if (session.peer_closed() && file_fd_ < 0) session.close();
  }

  void on_writable(Session& session) override {
    if (file_fd_ >= 0) send_more(session);
    if (file_fd_ < 0) serve_requests(session);  // pipelined requests waiting
  }

 private:
  void serve_requests(Session& session) {
    while (file_fd_ < 0 && !closing_) {
      if (skip_body_ > 0) {
        size_t n = std::min(skip_body_, in_.size());
        in_.erase(0, n);
        skip_body_ -= n;
        if (skip_body_ > 0) return;
      }
      auto parsed = parse_request(in_);
      if (parsed.state == ParsedRequest::State::incomplete) {
        wait_for_request(session);
        return;
      }
      if (parsed.state == ParsedRequest::State::error) {
        started_ = std::chrono::steady_clock::now();
        respond_error(session, parsed.error_status, "-", parsed.error);
        return;
      }
      in_.erase(0, parsed.consumed);
      skip_body_ = parsed.request.body_length;
      session.mark_productive();
      session.clear_deadline();
      waiting_ = Waiting::nothing;
      served_ = true;
      start_response(session, parsed.request);
    }
  }

  // Arms the deadline for what the connection waits for: the next request's first byte after
  // a response (keep-alive), else the rest of a request head. Bytes trickling in do not move
  // it: a client sending a header byte now and then is closed all the same (slowloris).
  void wait_for_request(Session& session) {
    Waiting now = served_ && in_.empty() ? Waiting::keep_alive : Waiting::head;
    if (now == waiting_) return;
    waiting_ = now;
    if (now == Waiting::keep_alive)
      session.set_deadline(timeouts_.keep_alive, "keep-alive timeout");
    else
      session.set_deadline(timeouts_.head, "request head timeout");
  }

  void start_response(Session& session, const HttpRequest& req) {
    started_ = std::chrono::steady_clock::now();
    request_line_ = req.method + " " + req.target + " " + req.version;
    keep_alive_ = req.keep_alive;
    if (req.method != "GET" && req.method != "HEAD") {
      respond_error(session, 405, request_line_, "only GET and HEAD are served");
      return;
    }
    head_only_ = req.method == "HEAD";
    Resolved where = resolve_target(root_, req.target);
    if (where.status == 301) {
      std::string body = "Moved to " + where.location + "\n";
      send_simple(session, 301, body, "Location: " + where.location + "\r\n");
      return;
    }
    if (where.status != 200) {
      if (!where.why.empty()) log_refusal(session, where.why);
      if (!where.missing.empty()) log_not_served(session, where.missing, where.status);
      respond_error(session, where.status, request_line_,
                    where.status == 400 ? "bad path" : public_reason(where));
      return;
    }
    // O_NOFOLLOW, O_NONBLOCK and the checks on the open file: what was resolved may have
    // been replaced since (by a symlink, a FIFO, a key).
    file_fd_ = ::open(where.file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    struct stat st {};
    if (file_fd_ < 0 || fstat(file_fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      int error = file_fd_ < 0 ? errno : 0;
      close_file();
      int status = error == EACCES ? 403 : 404;
      log_not_served(session,
                     error ? std::string("cannot open the file: ") + std::strerror(error)
                           : "not a regular file (it changed after the path was resolved)",
                     status);
      respond_error(session, status, request_line_,
                    status == 403 ? "permission denied" : "cannot open the file");
      return;
    }
    std::optional<std::string> secret;
    if (credentials_ && credentials_->contains(st))
      secret = "a file this server loaded a credential from";
    else
      secret = secret_content_of(file_fd_, static_cast<uint64_t>(st.st_size));
    if (secret) {
      close_file();
      log_refusal(session, *secret);
      respond_error(session, 404, request_line_, "no such file");  // the same as a missing one
      return;
    }
    remaining_ = head_only_ ? 0 : static_cast<uint64_t>(st.st_size);
    status_ = 200;
    body_bytes_ = remaining_;
    std::string head = "HTTP/1.1 200 OK\r\nServer: tern\r\nDate: " + http_date(time(nullptr)) +
                       "\r\nContent-Type: " + content_type_for(where.file) +
                       "\r\nContent-Length: " + std::to_string(st.st_size) +
                       "\r\nLast-Modified: " + http_date(st.st_mtime) +
                       (keep_alive_ ? "\r\n" : "\r\nConnection: close\r\n") + "\r\n";
    // Head and the start of the body in one write: a small response is one record.
    out_.assign(head.begin(), head.end());
    fill_and_write(session, kChunk - head.size());
  }

  // Appends up to `budget` file bytes to out_ and writes it; finishes when the file is done.
  void fill_and_write(Session& session, size_t budget) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(remaining_, budget));
    size_t at = out_.size();
    out_.resize(at + want);
    size_t got = 0;
    while (got < want) {
      ssize_t n = ::read(file_fd_, out_.data() + at + got, want - got);
      if (n <= 0) break;  // the file shrank: the connection must end (length promised)
      got += static_cast<size_t>(n);
    }
    out_.resize(at + got);
    remaining_ -= got;
    if (!out_.empty() && !session.write(out_)) {
      session.close();
      close_file();
      return;
    }
    out_.clear();
    if (got < want) {
      keep_alive_ = false;
      remaining_ = 0;
    }
    if (remaining_ == 0) {
      finish(session);
    } else {
      session.want_writable();
    }
  }

  void send_more(Session& session) {
    while (file_fd_ >= 0 && session.unsent() < kChunk) fill_and_write(session, kChunk);
  }

  void respond_error(Session& session, int status, const std::string& line,
                     const std::string& why) {
    request_line_ = line;
    if (status >= 400 && status != 404 && status != 405) keep_alive_ = false;
    if (line == "-") keep_alive_ = false;
    std::string body = std::to_string(status) + " " + reason_phrase(status) + ": " + why + "\n";
    std::string extra = status == 405 ? "Allow: GET, HEAD\r\n" : "";
    send_simple(session, status, body, extra);
  }

  void send_simple(Session& session, int status, const std::string& body,
                   const std::string& extra_headers) {
    status_ = status;
    std::string response = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                           "\r\nServer: tern\r\nDate: " + http_date(time(nullptr)) +
                           "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n" + extra_headers +
                           (keep_alive_ ? "" : "Connection: close\r\n") + "\r\n";
    if (!head_only_) response += body;
    body_bytes_ = head_only_ ? 0 : body.size();
    (void)session.write(BytesView(reinterpret_cast<const uint8_t*>(response.data()),
                                  response.size()));
    finish(session);
  }

  void finish(Session& session) {
    close_file();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started_)
                  .count();
    if (log_)
      log_(session.peer_address() + " \"" + escape_peer_text(request_line_) + "\" " +
           std::to_string(status_) + " " + std::to_string(body_bytes_) + " " +
           std::to_string(ms) + "ms");
    head_only_ = false;
    if (!keep_alive_) {
      closing_ = true;
      session.close();
    }
  }

  // A line of its own, before the request's line: why a file that exists was not served.
  void log_refusal(Session& session, const std::string& why) {
    if (log_) log_(session.peer_address() + " refused to serve " + why + " (404)");
  }
  // The same for any other 404 or 403: what was missing or could not be read.
  void log_not_served(Session& session, const std::string& why, int status) {
    if (log_)
      log_(session.peer_address() + " not served: " + why + " (" + std::to_string(status) + ")");
  }

  void close_file() {
    if (file_fd_ >= 0) ::close(file_fd_);
    file_fd_ = -1;
  }

  std::string root_;
  std::shared_ptr<const CredentialFiles> credentials_;
  RequestLogger log_;
  RequestTimeouts timeouts_;
  enum class Waiting { nothing, head, keep_alive } waiting_ = Waiting::nothing;
  bool served_ = false;  // a request was answered: between requests is a keep-alive gap
  std::string in_;
  Bytes out_;
  size_t skip_body_ = 0;
  int file_fd_ = -1;
  uint64_t remaining_ = 0, body_bytes_ = 0;
  int status_ = 0;
  bool keep_alive_ = true, head_only_ = false, closing_ = false;
  std::string request_line_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

std::unique_ptr<ConnectionHandler> make_file_handler(
    const std::string& root, std::shared_ptr<const CredentialFiles> credentials,
    RequestLogger log, RequestTimeouts timeouts) {
  return std::make_unique<FileHandler>(root, std::move(credentials), std::move(log), timeouts);
}

}  // namespace tern::cli
