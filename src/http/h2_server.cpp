// SPDX-License-Identifier: Apache-2.0
// HTTP/2 framing (RFC 9113) for `tern serve`, through libnghttp2: nghttp2 owns the frames,
// streams, flow control and HPACK; this file turns a finished request head into a Request,
// the FileService's Response into HEADERS and DATA, and holds the connection to the same
// deadlines, limits and log records as HTTP/1.1 (h1_server.cpp).
//
// nghttp2 is used without its I/O: what the client sent goes in through mem_recv, what it
// has to send comes out of mem_send and is written to the Session only while the Session's
// unsent output is below a chunk, so a slow reader holds at most that much sealed output and
// a file body is read (pread) one DATA frame at a time as the socket drains.
#include <nghttp2/nghttp2.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>

#include "http/early_data.h"
#include "http/framing.h"

namespace tern::http {
namespace {

constexpr size_t kChunk = 64 * 1024;            // sealed output to keep queued at most
constexpr uint32_t kMaxConcurrentStreams = 100;  // SETTINGS_MAX_CONCURRENT_STREAMS
constexpr uint32_t kMaxHeaderList = 16 * 1024;   // SETTINGS_MAX_HEADER_LIST_SIZE, enforced
constexpr uint64_t kMaxBody = 1024 * 1024;       // request body dropped before the stream is reset

// Fields HTTP/2 forbids (RFC 9113 §8.2.2): the connection is the framing's business.
bool connection_specific(const std::string& name) {
  return name == "connection" || name == "keep-alive" || name == "proxy-connection" ||
         name == "transfer-encoding" || name == "upgrade" || name == "content-length";
}

// One request on its stream, from its first HEADERS frame to the stream's close.
struct Stream {
  Request request;
  std::string authority;
  size_t header_bytes = 0;  // name + value + 32 each, as SETTINGS_MAX_HEADER_LIST_SIZE counts
  bool too_large = false;   // past kMaxHeaderList: answered 431, the fields not kept
  uint64_t body_received = 0;  // request body bytes, dropped
  bool cancelled = false;      // reset for a body past kMaxBody
  bool answered = false;    // a response was submitted: the stream is logged when it closes
  int status = 0;
  bool head_only = false;
  // The content: `body` from memory, or `remaining` bytes of `file` from `offset`.
  std::string body;
  size_t body_at = 0;
  UniqueFd file;
  uint64_t offset = 0, remaining = 0, sent = 0;
  std::chrono::steady_clock::time_point started;
};

class Http2Handler final : public ConnectionHandler {
 public:
  Http2Handler(std::shared_ptr<const FileService> files, RequestLogger log,
               RequestTimeouts timeouts, SessionResponder special)
      : files_(std::move(files)),
        log_(std::move(log)),
        timeouts_(timeouts),
        special_(std::move(special)) {}

  ~Http2Handler() override {
    if (h2_) nghttp2_session_del(h2_);
  }

  void on_open(Session& session) override {
    session_ = &session;
    nghttp2_session_callbacks* callbacks = nullptr;
    if (nghttp2_session_callbacks_new(&callbacks) != 0) {
      session.close();
      return;
    }
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_recv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data_chunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_stream_close);
    int rv = nghttp2_session_server_new(&h2_, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);
    if (rv != 0) {
      h2_ = nullptr;
      session.close();
      return;
    }
    // nghttp2 enforces both as soon as they are submitted (streams past the limit are refused
    // with RST_STREAM even before the client acknowledges the SETTINGS).
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, kMaxHeaderList},
    };
    nghttp2_submit_settings(h2_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
    flush();
    update_deadline();
  }

  void on_data(Session& session) override {
    session_ = &session;
    if (!h2_) {
      session.close();
      return;
    }
    uint8_t buf[16384];
    for (;;) {
      // Early data is read on its own, up to its last byte, so every frame that began in it
      // is found (EarlyStreams) before nghttp2 sees the bytes after.
      uint64_t early = session.tls().early_data_received();
      std::span<uint8_t> room(buf);
      if (received_bytes_ < early)
        room = room.first(static_cast<size_t>(std::min<uint64_t>(room.size(), early - received_bytes_)));
      size_t n = session.read(room);
      if (n == 0) break;
      early_streams_.scan(BytesView(buf, n), received_bytes_ < early);
      received_bytes_ += n;
      ssize_t used = nghttp2_session_mem_recv(h2_, buf, n);
      if (used < 0) {  // bad preface, flood, a callback failed: GOAWAY, then close
        fail(used == NGHTTP2_ERR_BAD_CLIENT_MAGIC ? NGHTTP2_PROTOCOL_ERROR
             : used == NGHTTP2_ERR_FLOODED        ? NGHTTP2_ENHANCE_YOUR_CALM
                                                  : NGHTTP2_INTERNAL_ERROR);
        return;
      }
    }
    flush();
    update_deadline();  // after flush: sending a response's end closes its stream
    if (session.peer_closed() && h2_) session.close();
  }

  void on_writable(Session& session) override {
    session_ = &session;
    flush();
    update_deadline();
  }

  void on_shutdown(Session& session) override {
    session_ = &session;
    if (!h2_) return;
    // GOAWAY with the last stream this connection processed, then only what fits: the server
    // closes the connection right after (stopping, a timeout, eviction).
    nghttp2_session_terminate_session(h2_, NGHTTP2_NO_ERROR);
    flush(/*force=*/true);
  }

  void on_close(const std::optional<Error>&) override {
    // Streams cut short are still logged, with what they sent.
    for (auto& [id, stream] : streams_) log_stream(*stream);
    streams_.clear();
    session_ = nullptr;
  }

 private:
  static Http2Handler& self(void* user_data) { return *static_cast<Http2Handler*>(user_data); }

  // Any fatal nghttp2 error: a GOAWAY saying so, then the connection ends.
  void fail(uint32_t error_code) {
    nghttp2_session_terminate_session(h2_, error_code);
    flush(/*force=*/true);
    session_->close();
  }

  // Hands nghttp2's output to the Session while less than a chunk is waiting to be sent; the
  // rest is asked for again by on_writable. `force` (shutdown, errors) writes one more chunk
  // whatever is queued, so the GOAWAY gets out.
  void flush(bool force = false) {
    if (!h2_ || !session_) return;
    bool drained = false;
    while (!drained && (force || session_->unsent() < kChunk)) {
      force = false;
      out_.clear();
      while (out_.size() < kChunk) {
        const uint8_t* data = nullptr;
        ssize_t n = nghttp2_session_mem_send(h2_, &data);
        if (n < 0) {
          session_->close();
          return;
        }
        if (n == 0) {
          drained = true;
          break;
        }
        out_.insert(out_.end(), data, data + n);
      }
      if (!out_.empty() && !session_->write(out_)) {
        session_->close();
        return;
      }
    }
    if (!drained) {
      session_->want_writable();
    } else if (!nghttp2_session_want_read(h2_) && !nghttp2_session_want_write(h2_)) {
      session_->close();  // after a GOAWAY, every stream done
    }
  }

  // The deadline of what the connection waits for: a request head from the handshake or from
  // a stream's first HEADERS frame, nothing while responses are under way, and the keep-alive
  // gap when no stream is open. Bytes (PINGs, WINDOW_UPDATEs) do not move either.
  void update_deadline() {
    if (!h2_ || !session_) return;
    Waiting now = heads_pending_ > 0 || !served_ ? Waiting::head
                  : streams_.empty()             ? Waiting::keep_alive
                                                 : Waiting::nothing;
    if (now == waiting_) return;
    waiting_ = now;
    if (now == Waiting::head)
      session_->set_deadline(timeouts_.head, "request head timeout");
    else if (now == Waiting::keep_alive)
      session_->set_deadline(timeouts_.keep_alive, "keep-alive timeout");
    else
      session_->clear_deadline();
  }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
      return 0;
    Http2Handler& h = self(user_data);
    auto stream = std::make_unique<Stream>();
    stream->started = std::chrono::steady_clock::now();
    stream->request.version = "HTTP/2";
    h.streams_[frame->hd.stream_id] = std::move(stream);
    ++h.heads_pending_;
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                       size_t namelen, const uint8_t* value, size_t valuelen, uint8_t,
                       void* user_data) {
    Http2Handler& h = self(user_data);
    auto it = h.streams_.find(frame->hd.stream_id);
    if (it == h.streams_.end()) return 0;  // trailers: ignored
    Stream& s = *it->second;
    s.header_bytes += namelen + valuelen + 32;
    // Past the advertised limit: nothing more is kept, the stream is answered 431 and the
    // connection goes on (nghttp2 bounds each field and the CONTINUATION frames itself).
    if (s.header_bytes > kMaxHeaderList) s.too_large = true;
    if (s.too_large) return 0;
    std::string n(reinterpret_cast<const char*>(name), namelen);
    std::string v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":method")
      s.request.method = std::move(v);
    else if (n == ":path")
      s.request.target = std::move(v);
    else if (n == ":authority")
      s.authority = std::move(v);
    else if (!n.empty() && n[0] != ':')
      s.request.fields.push_back({std::move(n), std::move(v)});
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    Http2Handler& h = self(user_data);
    if (frame->hd.type != NGHTTP2_HEADERS || !(frame->hd.flags & NGHTTP2_FLAG_END_HEADERS))
      return 0;
    auto it = h.streams_.find(frame->hd.stream_id);
    if (it == h.streams_.end() || it->second->answered) return 0;
    // The head is complete: answer now, without waiting for a request body (FileService
    // takes none; see on_data_chunk).
    --h.heads_pending_;
    h.answer(frame->hd.stream_id, *it->second);
    return 0;
  }

  void answer(int32_t id, Stream& s) {
    session_->mark_productive();
    served_ = true;
    if (s.request.field("host") == nullptr && !s.authority.empty())
      s.request.fields.push_back({"host", s.authority});
    std::optional<Response> special =
        too_early(s.request, early_streams_.began_early(id) || marked_early(s.request));
    if (!special && !s.too_large && special_) special = special_(s.request, *session_);
    Response response = s.too_large ? error_response(431, "the request header fields exceed 16 KiB")
                        : special   ? std::move(*special)
                                    : files_->respond(s.request, session_->peer_address());
    s.answered = true;
    s.status = response.status;
    s.head_only = s.request.method == "HEAD";
    uint64_t length = response.content_length();

    std::string status = std::to_string(response.status);
    std::string date = http_date(time(nullptr));
    std::string length_text = std::to_string(length);
    std::vector<nghttp2_nv> nva;
    auto add = [&nva](const std::string& name, const std::string& value) {
      nva.push_back({const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(name.data())),
                     const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(value.data())),
                     name.size(), value.size(), NGHTTP2_NV_FLAG_NONE});
    };
    static const std::string kStatus = ":status", kServer = "server", kTern = "tern",
                             kDate = "date", kLength = "content-length";
    add(kStatus, status);
    add(kServer, kTern);
    add(kDate, date);
    for (const Field& f : response.fields)
      if (!connection_specific(f.name)) add(f.name, f.value);
    // 1xx, 204 and 304 carry no content and no content-length (RFC 9110 §8.6).
    bool no_content = response.status == 204 || response.status == 304 || response.status < 200;
    if (!no_content) add(kLength, length_text);

    nghttp2_data_provider provider{};
    provider.read_callback = read_body;
    bool has_body = !s.head_only && !no_content && length > 0;
    if (has_body) {
      if (response.file) {
        s.file = std::move(response.file);
        s.offset = response.file_offset;
        s.remaining = length;
      } else {
        s.body = std::move(response.body);
        s.remaining = s.body.size();
      }
    }
    // nghttp2 copies the name/value pairs here; a failure leaves the stream to be reset.
    if (nghttp2_submit_response(h2_, id, nva.data(), nva.size(), has_body ? &provider : nullptr) !=
        0)
      nghttp2_submit_rst_stream(h2_, NGHTTP2_FLAG_NONE, id, NGHTTP2_INTERNAL_ERROR);
  }

  // The next DATA frame's content: up to `length` bytes of the body, read from the file as
  // the frame is built (so only one frame of a file is in memory at a time).
  static ssize_t read_body(nghttp2_session*, int32_t id, uint8_t* buf, size_t length,
                           uint32_t* flags, nghttp2_data_source*, void* user_data) {
    Http2Handler& h = self(user_data);
    auto it = h.streams_.find(id);
    if (it == h.streams_.end()) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    Stream& s = *it->second;
    size_t want = static_cast<size_t>(std::min<uint64_t>(length, s.remaining));
    size_t got = 0;
    if (s.file) {
      while (got < want) {
        ssize_t n = ::pread(s.file.get(), buf + got, want - got,
                            static_cast<off_t>(s.offset + got));
        if (n <= 0) break;
        got += static_cast<size_t>(n);
      }
      // The file shrank under us: the promised length cannot be kept; reset the stream.
      if (got < want) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
      s.offset += got;
    } else {
      std::copy_n(s.body.data() + s.body_at, want, buf);
      s.body_at += want;
      got = want;
    }
    s.remaining -= got;
    s.sent += got;
    if (s.remaining == 0) {
      *flags |= NGHTTP2_DATA_FLAG_EOF;
      s.file.reset();
    }
    return static_cast<ssize_t>(got);
  }

  // A request body: nobody reads it (FileService answers GET and HEAD, anything else gets
  // its 405 as soon as the head is in), so it is dropped as it comes, nghttp2 reopening the
  // flow-control window. Past kMaxBody the stream is cancelled: a client may not keep a
  // stream open by uploading forever. (A RST_STREAM right after the response would be
  // allowed, RFC 9113 §8.1, but curl reports it as an error even with NO_ERROR.)
  static int on_data_chunk(nghttp2_session* h2, uint8_t, int32_t id, const uint8_t*, size_t len,
                           void* user_data) {
    Http2Handler& h = self(user_data);
    auto it = h.streams_.find(id);
    if (it == h.streams_.end()) return 0;
    Stream& s = *it->second;
    s.body_received += len;
    if (s.body_received > kMaxBody && !s.cancelled) {
      s.cancelled = true;
      nghttp2_submit_rst_stream(h2, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
    }
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t id, uint32_t, void* user_data) {
    Http2Handler& h = self(user_data);
    auto it = h.streams_.find(id);
    if (it == h.streams_.end()) return 0;
    if (!it->second->answered) --h.heads_pending_;  // reset before its head was complete
    h.log_stream(*it->second);
    h.streams_.erase(it);
    return 0;
  }

  void log_stream(const Stream& s) {
    if (!s.answered || !log_ || !session_) return;
    const std::string* referer = s.request.field("referer");
    const std::string* user_agent = s.request.field("user-agent");
    log_(RequestRecord{
        .peer = session_->peer_address(),
        .request_line = s.request.method + " " + s.request.target + " HTTP/2",
        .status = s.status,
        .body_bytes = s.sent,
        .duration = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - s.started),
        .referer = referer ? *referer : "",
        .user_agent = user_agent ? *user_agent : ""});
  }

  std::shared_ptr<const FileService> files_;
  RequestLogger log_;
  RequestTimeouts timeouts_;
  SessionResponder special_;
  nghttp2_session* h2_ = nullptr;
  Session* session_ = nullptr;  // set at every call from the server core
  // Open streams that carry a request (at most kMaxConcurrentStreams: nghttp2 refuses more).
  std::map<int32_t, std::unique_ptr<Stream>> streams_;
  size_t heads_pending_ = 0;  // streams whose request head is not complete yet
  bool served_ = false;
  enum class Waiting { nothing, head, keep_alive } waiting_ = Waiting::nothing;
  Bytes out_;
  uint64_t received_bytes_ = 0;  // plaintext read from the connection (early data first)
  EarlyStreams early_streams_;
};

}  // namespace

std::unique_ptr<ConnectionHandler> make_h2_handler(std::shared_ptr<const FileService> files,
                                                   RequestLogger log, RequestTimeouts timeouts,
                                                   SessionResponder special) {
  return std::make_unique<Http2Handler>(std::move(files), std::move(log), timeouts,
                                        std::move(special));
}

}  // namespace tern::http
