// SPDX-License-Identifier: Apache-2.0
#include "http/h2_client.h"

#include <nghttp2/nghttp2.h>

#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace tern::http {
namespace {

struct Exchange {
  const H2Request* request = nullptr;
  const H2Handlers* handlers = nullptr;
  int32_t stream_id = -1;
  int status = 0;
  Fields fields;
  bool head_delivered = false, closed = false;
  uint32_t close_error = 0;
  size_t body_sent = 0;
  size_t head_bytes = 0;  // of the response's header fields, interim responses included
  std::string failure;    // why a callback stopped the session
  std::string out;  // frames nghttp2 made, waiting for the transport
};

// Views, not copies: nghttp2 reads them in nghttp2_submit_request. A literal name stays a
// literal (a std::string parameter would be a temporary gone before the call).
constexpr size_t kMaxHeadBytes = 64 * 1024;

nghttp2_nv pair(std::string_view name, std::string_view value) {
  return {reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NONE};
}

ssize_t on_send(nghttp2_session*, const uint8_t* data, size_t length, int, void* user) {
  static_cast<Exchange*>(user)->out.append(reinterpret_cast<const char*>(data), length);
  return static_cast<ssize_t>(length);
}

int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
              const uint8_t* value, size_t valuelen, uint8_t, void* user) {
  auto* x = static_cast<Exchange*>(user);
  if (frame->hd.stream_id != x->stream_id || x->head_delivered) return 0;  // trailers: ignored
  // The same bound as the HTTP/1.1 response parser's: a server cannot grow the head without
  // end (32 bytes per field, as HPACK counts them).
  x->head_bytes += namelen + valuelen + 32;
  if (x->head_bytes > kMaxHeadBytes) {
    x->failure = "the server's response header fields exceed 64 KiB";
    return NGHTTP2_ERR_CALLBACK_FAILURE;
  }
  std::string n(reinterpret_cast<const char*>(name), namelen);
  std::string v(reinterpret_cast<const char*>(value), valuelen);
  if (n == ":status") {
    x->status = std::atoi(v.c_str());
    x->fields.clear();  // a new (final, or another interim) response begins
  } else {
    x->fields.push_back({std::move(n), std::move(v)});
  }
  return 0;
}

int on_frame(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto* x = static_cast<Exchange*>(user);
  if (frame->hd.type == NGHTTP2_HEADERS && frame->hd.stream_id == x->stream_id &&
      !x->head_delivered && x->status >= 200) {
    x->head_delivered = true;
    x->handlers->on_head(x->status, x->fields);
  }
  return 0;
}

int on_data(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data, size_t len,
            void* user) {
  auto* x = static_cast<Exchange*>(user);
  if (stream_id == x->stream_id && x->head_delivered) x->handlers->on_body(BytesView(data, len));
  return 0;
}

int on_close(nghttp2_session*, int32_t stream_id, uint32_t error_code, void* user) {
  auto* x = static_cast<Exchange*>(user);
  if (stream_id == x->stream_id) {
    x->closed = true;
    x->close_error = error_code;
  }
  return 0;
}

ssize_t read_body(nghttp2_session*, int32_t, uint8_t* buf, size_t length, uint32_t* flags,
                  nghttp2_data_source*, void* user) {
  auto* x = static_cast<Exchange*>(user);
  size_t n = std::min(length, x->request->body.size() - x->body_sent);
  std::memcpy(buf, x->request->body.data() + x->body_sent, n);
  x->body_sent += n;
  if (x->body_sent == x->request->body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<ssize_t>(n);
}

Error h2_error(const std::string& what, int rv) {
  return Error(Errc::protocol, "HTTP/2: " + what + ": " + nghttp2_strerror(rv));
}

}  // namespace

Result<void> h2_exchange(const H2Request& request, const H2Transport& transport,
                         const H2Handlers& handlers) {
  Exchange x;
  x.request = &request;
  x.handlers = &handlers;

  nghttp2_session_callbacks* callbacks = nullptr;
  nghttp2_session_callbacks_new(&callbacks);
  std::unique_ptr<nghttp2_session_callbacks, decltype(&nghttp2_session_callbacks_del)>
      owned_callbacks(callbacks, nghttp2_session_callbacks_del);
  nghttp2_session_callbacks_set_send_callback(callbacks, on_send);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_close);
  nghttp2_session* raw = nullptr;
  if (int rv = nghttp2_session_client_new(&raw, callbacks, &x); rv != 0)
    return h2_error("cannot start a session", rv);
  std::unique_ptr<nghttp2_session, decltype(&nghttp2_session_del)> session(raw,
                                                                           nghttp2_session_del);

  nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 100}};
  if (int rv = nghttp2_submit_settings(raw, NGHTTP2_FLAG_NONE, settings, 1); rv != 0)
    return h2_error("SETTINGS", rv);

  const std::string method = request.method, scheme = "https";
  std::vector<nghttp2_nv> nva = {pair(":method", method), pair(":scheme", scheme),
                                 pair(":authority", request.authority),
                                 pair(":path", request.path)};
  for (const Field& f : request.fields) nva.push_back(pair(f.name, f.value));
  nghttp2_data_provider body{};
  body.read_callback = read_body;
  x.stream_id = nghttp2_submit_request(raw, nullptr, nva.data(), nva.size(),
                                       request.body.empty() ? nullptr : &body, nullptr);
  if (x.stream_id < 0) return h2_error("cannot send the request", x.stream_id);

  uint8_t buffer[16 * 1024];
  while (true) {
    if (int rv = nghttp2_session_send(raw); rv != 0) return h2_error("sending", rv);
    if (!x.out.empty()) {
      TERN_CHECK(transport.write(
          BytesView(reinterpret_cast<const uint8_t*>(x.out.data()), x.out.size())));
      x.out.clear();
    }
    if (x.closed || !handlers.keep_going()) break;
    TERN_TRY(size_t n, transport.read(buffer));
    if (n == 0)
      return Error(Errc::protocol,
                   "HTTP/2: the server closed the connection before the response was complete");
    ssize_t used = nghttp2_session_mem_recv(raw, buffer, n);
    if (used < 0) {
      if (!x.failure.empty()) return Error(Errc::protocol, "HTTP/2: " + x.failure);
      return h2_error("the server's frames", static_cast<int>(used));
    }
  }
  if (x.closed && x.close_error != NGHTTP2_NO_ERROR)
    return Error(Errc::protocol, std::string("HTTP/2: the server reset the stream (") +
                                     nghttp2_http2_strerror(x.close_error) + ")");
  if (x.closed && !x.head_delivered)
    return Error(Errc::protocol, "HTTP/2: the stream ended without a response");
  // A polite end: GOAWAY, so the server need not wait for more streams.
  nghttp2_session_terminate_session(raw, NGHTTP2_NO_ERROR);
  if (nghttp2_session_send(raw) == 0 && !x.out.empty())
    (void)transport.write(BytesView(reinterpret_cast<const uint8_t*>(x.out.data()), x.out.size()));
  return ok();
}

}  // namespace tern::http
