// SPDX-License-Identifier: Apache-2.0
// HTTP/1.1 framing (RFC 9112) for `tern serve`: request heads parsed as they arrive,
// keep-alive and pipelining, responses with Content-Length, file bodies streamed from the
// file as the socket drains, and the deadlines that keep slow clients from holding a
// connection.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>

#include "http/early_data.h"
#include "http/request_parser.h"
#include "http/framing.h"

namespace tern::http {
namespace {

constexpr size_t kChunk = 64 * 1024;          // bytes read from a file per write
constexpr size_t kMaxBuffered = 1024 * 1024;  // unread pipelined requests

// "content-type" -> "Content-Type": HTTP/1.1 names are case-insensitive, but this is how
// people and old clients expect to read them.
std::string display_name(const std::string& lower) {
  std::string out = lower;
  bool start = true;
  for (char& c : out) {
    if (start) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    start = c == '-';
  }
  return out;
}

class Http1Handler final : public ConnectionHandler {
 public:
  Http1Handler(std::shared_ptr<const FileService> files, RequestLogger log,
               RequestTimeouts timeouts, SessionResponder special)
      : files_(std::move(files)),
        log_(std::move(log)),
        timeouts_(timeouts),
        special_(std::move(special)) {}

  void on_open(Session& session) override { wait_for_request(session); }

  void on_data(Session& session) override {
    uint8_t buf[16384];
    while (size_t n = session.read(buf)) {
      in_.append(reinterpret_cast<char*>(buf), n);
      received_bytes_ += n;
    }
    if (in_.size() > kMaxBuffered) {  // a client pipelining without reading the answers
      session.close();
      return;
    }
    serve_requests(session);
    if (session.peer_closed() && !file_) session.close();
  }

  void on_writable(Session& session) override {
    if (file_) send_more(session);
    if (!file_) serve_requests(session);  // pipelined requests waiting
  }

 private:
  void serve_requests(Session& session) {
    while (!file_ && !closing_) {
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
        request_line_ = "-";
        referer_.clear();
        user_agent_.clear();
        keep_alive_ = false;  // where the next request would start is unknown
        head_only_ = false;
        send(session, error_response(parsed.error_status, parsed.error));
        return;
      }
      uint64_t request_start = received_bytes_ - in_.size();
      in_.erase(0, parsed.consumed);
      skip_body_ = parsed.request.body_length;
      session.mark_productive();
      session.clear_deadline();
      waiting_ = Waiting::nothing;
      served_ = true;
      const HttpRequest& req = parsed.request;
      started_ = std::chrono::steady_clock::now();
      received_ = std::chrono::system_clock::now();
      request_line_ = req.method + " " + req.target + " " + req.version;
      keep_alive_ = req.keep_alive;
      head_only_ = req.method == "HEAD";
      const std::string* referer = req.field("referer");
      const std::string* user_agent = req.field("user-agent");
      referer_ = referer ? *referer : "";
      user_agent_ = user_agent ? *user_agent : "";
      std::optional<Response> special = too_early(
          req, arrived_early(req, request_start, session.tls().early_data_received()));
      if (!special && special_) special = special_(req, session);
      send(session, special ? std::move(*special) : files_->respond(req, session.peer_address()));
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

  void send(Session& session, Response response) {
    status_ = response.status;
    if (response.close_connection) keep_alive_ = false;
    uint64_t length = response.content_length();
    std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " +
                       reason_phrase(response.status) +
                       "\r\nServer: tern\r\nDate: " + http_date(time(nullptr)) + "\r\n";
    for (const Field& f : response.fields) head += display_name(f.name) + ": " + f.value + "\r\n";
    // A 304 has no content and, here, no Content-Length: RFC 9110 §8.6 allows one only if it
    // equals what the 200 would have said, which FileService does not compute for a 304, and
    // a Content-Length: 0 would be wrong (a cache could take it for the representation's
    // length). RFC 9112 §6.3 ends a 304 at its head whatever the fields say.
    bool no_content = response.status == 304;
    if (no_content) {
      length = 0;
      response.file.reset();
      response.body.clear();
    } else {
      head += "Content-Length: " + std::to_string(length) + "\r\n";
    }
    if (!keep_alive_) head += "Connection: close\r\n";
    head += "\r\n";
    body_bytes_ = head_only_ ? 0 : length;
    out_.assign(head.begin(), head.end());
    if (response.file && !head_only_ && length > 0) {
      file_ = std::move(response.file);
      offset_ = response.file_offset;
      remaining_ = length;
      // Head and the start of the body in one write: a small response is one record.
      fill_and_write(session, kChunk - std::min(kChunk, head.size()));
      return;
    }
    if (!head_only_) out_.insert(out_.end(), response.body.begin(), response.body.end());
    (void)session.write(out_);
    out_.clear();
    finish(session);
  }

  // Appends up to `budget` file bytes to out_ and writes it; finishes when the file is done.
  void fill_and_write(Session& session, size_t budget) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(remaining_, budget));
    size_t at = out_.size();
    out_.resize(at + want);
    size_t got = 0;
    while (got < want) {
      ssize_t n = ::pread(file_.get(), out_.data() + at + got, want - got,
                          static_cast<off_t>(offset_ + got));
      if (n <= 0) break;  // the file shrank: the connection must end (length promised)
      got += static_cast<size_t>(n);
    }
    out_.resize(at + got);
    remaining_ -= got;
    offset_ += got;
    if (!out_.empty() && !session.write(out_)) {
      session.close();
      file_.reset();
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
    while (file_ && session.unsent() < kChunk) fill_and_write(session, kChunk);
  }

  void finish(Session& session) {
    file_.reset();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started_);
    if (log_)
      log_(RequestRecord{.peer = session.peer_address(),
                         .request_line = request_line_,
                         .status = status_,
                         .body_bytes = body_bytes_,
                         .duration = ms,
                         .referer = referer_,
                         .user_agent = user_agent_,
                         .received = received_});
    head_only_ = false;
    if (!keep_alive_) {
      closing_ = true;
      session.close();
    }
  }

  std::shared_ptr<const FileService> files_;
  RequestLogger log_;
  RequestTimeouts timeouts_;
  SessionResponder special_;
  enum class Waiting { nothing, head, keep_alive } waiting_ = Waiting::nothing;
  bool served_ = false;  // a request was answered: between requests is a keep-alive gap
  std::string in_;
  uint64_t received_bytes_ = 0;  // plaintext read from the connection (early data first)
  Bytes out_;
  size_t skip_body_ = 0;
  UniqueFd file_;
  uint64_t offset_ = 0, remaining_ = 0, body_bytes_ = 0;
  int status_ = 0;
  bool keep_alive_ = true, head_only_ = false, closing_ = false;
  std::string request_line_, referer_, user_agent_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::system_clock::time_point received_{};  // for the access log's date
};

}  // namespace

std::unique_ptr<ConnectionHandler> make_h1_handler(std::shared_ptr<const FileService> files,
                                                   RequestLogger log, RequestTimeouts timeouts,
                                                   SessionResponder special) {
  return std::make_unique<Http1Handler>(std::move(files), std::move(log), timeouts,
                                        std::move(special));
}

}  // namespace tern::http
