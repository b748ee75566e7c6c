// SPDX-License-Identifier: Apache-2.0
// The HTTP/2 framing (src/http/h2_server.cpp) against nghttp2's own client session, over a
// fake Session whose socket drains only when the test says so: answers, HEAD, 404, the
// backpressure that keeps a big file out of memory, the deadlines, and GOAWAY on shutdown.
#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "http/early_data.h"
#include "http/framing.h"
#include "tls13_test_util.h"

namespace tern::http {
namespace {

// A Session without a socket: what the handler writes stays "unsent" until drain().
class FakeSession final : public Session {
 public:
  size_t read(std::span<uint8_t> out) override {
    size_t n = std::min(out.size(), in.size());
    std::copy_n(in.begin(), n, out.begin());
    in.erase(0, n);
    return n;
  }
  size_t readable() const override { return in.size(); }
  Result<void> write(BytesView plaintext) override {
    wire.append(reinterpret_cast<const char*>(plaintext.data()), plaintext.size());
    return ok();
  }
  size_t unsent() const override { return wire.size(); }
  void want_writable() override { wants_writable = true; }
  void close() override { closed = true; }
  bool peer_closed() const override { return false; }
  void set_deadline(std::chrono::milliseconds, std::string why) override { deadline = why; }
  void clear_deadline() override { deadline.clear(); }
  void mark_productive() override {}
  // A connection that took `connection`'s early data, else a fresh one that took none.
  const Connection& tls() const override {
    static const std::unique_ptr<ServerConnection> fresh =
        *ServerConnection::create(testing::test_server_config());
    return connection ? *connection : *fresh;
  }
  const std::string& peer_address() const override { return peer; }

  std::string in, wire, deadline, peer = "127.0.0.1:5555";
  bool wants_writable = false, closed = false;
  const Connection* connection = nullptr;
};

// A client: nghttp2's client session, its responses collected by stream.
struct Client {
  struct Answer {
    std::string status, content_length, body;
    bool closed = false;
  };
  nghttp2_session* h2 = nullptr;
  std::map<int32_t, Answer> answers;
  bool goaway = false;
  uint32_t goaway_code = 99;

  Client() {
    nghttp2_session_callbacks* cb;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_header_callback(
        cb, [](nghttp2_session*, const nghttp2_frame* f, const uint8_t* n, size_t nl,
               const uint8_t* v, size_t vl, uint8_t, void* self) {
          auto& a = static_cast<Client*>(self)->answers[f->hd.stream_id];
          std::string name(reinterpret_cast<const char*>(n), nl);
          std::string value(reinterpret_cast<const char*>(v), vl);
          if (name == ":status") a.status = value;
          if (name == "content-length") a.content_length = value;
          return 0;
        });
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(
        cb, [](nghttp2_session*, uint8_t, int32_t id, const uint8_t* d, size_t n, void* self) {
          static_cast<Client*>(self)->answers[id].body.append(reinterpret_cast<const char*>(d),
                                                              n);
          return 0;
        });
    nghttp2_session_callbacks_set_on_stream_close_callback(
        cb, [](nghttp2_session*, int32_t id, uint32_t, void* self) {
          static_cast<Client*>(self)->answers[id].closed = true;
          return 0;
        });
    nghttp2_session_callbacks_set_on_frame_recv_callback(
        cb, [](nghttp2_session*, const nghttp2_frame* f, void* self) {
          if (f->hd.type == NGHTTP2_GOAWAY) {
            static_cast<Client*>(self)->goaway = true;
            static_cast<Client*>(self)->goaway_code = f->goaway.error_code;
          }
          return 0;
        });
    nghttp2_session_client_new(&h2, cb, this);
    nghttp2_session_callbacks_del(cb);
    // Windows far larger than any file here: only the server's backpressure limits it.
    nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 30}};
    nghttp2_submit_settings(h2, NGHTTP2_FLAG_NONE, settings, 1);
    nghttp2_session_set_local_window_size(h2, NGHTTP2_FLAG_NONE, 0, 1 << 30);
  }
  ~Client() { nghttp2_session_del(h2); }

  int32_t request(const std::string& method, const std::string& path) {
    auto nv = [](const std::string& n, const std::string& v) {
      return nghttp2_nv{(uint8_t*)n.data(), (uint8_t*)v.data(), n.size(), v.size(),
                        NGHTTP2_NV_FLAG_NONE};
    };
    std::string m = ":method", s = ":scheme", a = ":authority", p = ":path", https = "https",
                host = "localhost";
    nghttp2_nv headers[] = {nv(m, method), nv(s, https), nv(a, host), nv(p, path)};
    return nghttp2_submit_request(h2, nullptr, headers, 4, nullptr, nullptr);
  }
  // The client's pending output.
  std::string output() {
    std::string out;
    const uint8_t* data;
    while (ssize_t n = nghttp2_session_mem_send(h2, &data))
      out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    return out;
  }
  // ... to the server's input.
  void send_to(FakeSession& session) { session.in += output(); }
  // What the server wrote, as if the socket had sent it all.
  void receive_from(FakeSession& session) {
    ASSERT_GE(nghttp2_session_mem_recv(h2, reinterpret_cast<const uint8_t*>(session.wire.data()),
                                       session.wire.size()),
              0);
    session.wire.clear();
  }
};

class Http2Server : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tern-h2-test.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    root_ = dir;
    std::ofstream(root_ + "/hello.txt") << "hello over h2\n";
    big_.resize(3 * 1024 * 1024);
    for (size_t i = 0; i < big_.size(); ++i) big_[i] = static_cast<char>(i * 7 + i / 4096);
    std::ofstream(root_ + "/big.bin", std::ios::binary) << big_;
    auto files = std::make_shared<const FileService>(root_, std::make_shared<CredentialFiles>(),
                                                     nullptr);
    handler_ = make_h2_handler(files, [this](const RequestRecord& r) { log_.push_back(r); },
                               RequestTimeouts{});
    handler_->on_open(session_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // Client output in, server output out, until neither has anything to say (the socket
  // draining whenever the server asks).
  void exchange() {
    for (int i = 0; i < 10'000; ++i) {
      client_.send_to(session_);
      bool input = session_.readable() > 0;
      if (input) handler_->on_data(session_);
      bool output = !session_.wire.empty();
      client_.receive_from(session_);
      bool asked = std::exchange(session_.wants_writable, false);
      if (asked) handler_->on_writable(session_);
      if (!input && !output && !asked && !nghttp2_session_want_write(client_.h2)) return;
    }
    FAIL() << "no end to the exchange";
  }

  std::string root_, big_;
  FakeSession session_;
  Client client_;
  std::vector<RequestRecord> log_;
  std::unique_ptr<ConnectionHandler> handler_;
};

TEST_F(Http2Server, AnswersGetHeadAndMissingFilesOnOneConnection) {
  EXPECT_EQ(session_.deadline, "request head timeout");  // nothing asked yet
  int32_t get = client_.request("GET", "/hello.txt");
  int32_t head = client_.request("HEAD", "/hello.txt");
  int32_t missing = client_.request("GET", "/nope");
  exchange();
  EXPECT_EQ(client_.answers[get].status, "200");
  EXPECT_EQ(client_.answers[get].body, "hello over h2\n");
  EXPECT_EQ(client_.answers[head].status, "200");
  EXPECT_EQ(client_.answers[head].content_length, "14");
  EXPECT_EQ(client_.answers[head].body, "");
  EXPECT_EQ(client_.answers[missing].status, "404");
  // One record per stream, as each stream ends (HEAD, without DATA, may end first).
  ASSERT_EQ(log_.size(), 3u);
  std::map<std::string, RequestRecord> by_line;
  for (const RequestRecord& r : log_) by_line[r.request_line] = r;
  EXPECT_EQ(by_line["GET /hello.txt HTTP/2"].body_bytes, 14u);
  EXPECT_EQ(by_line["HEAD /hello.txt HTTP/2"].status, 200);
  EXPECT_EQ(by_line["HEAD /hello.txt HTTP/2"].body_bytes, 0u);
  EXPECT_EQ(by_line["GET /nope HTTP/2"].status, 404);
  EXPECT_EQ(by_line["GET /nope HTTP/2"].peer, "127.0.0.1:5555");
  EXPECT_EQ(session_.deadline, "keep-alive timeout");  // every stream closed
  EXPECT_FALSE(session_.closed);
}

TEST_F(Http2Server, TheKeepAliveDeadlineStartsWhenTheLastResponseIsSent) {
  client_.request("GET", "/hello.txt");
  client_.send_to(session_);
  handler_->on_data(session_);  // the answer goes out here; the client says nothing after
  EXPECT_EQ(session_.deadline, "keep-alive timeout");
}

TEST_F(Http2Server, WritesOnlyWhileTheSocketDrains) {
  int32_t id = client_.request("GET", "/big.bin");
  client_.send_to(session_);
  handler_->on_data(session_);
  // The socket sends nothing: the handler stops after about a chunk and asks to be told.
  EXPECT_LT(session_.wire.size(), 160u * 1024);
  EXPECT_TRUE(session_.wants_writable);
  handler_->on_data(session_);  // more input (none) does not push more output either
  EXPECT_LT(session_.wire.size(), 160u * 1024);
  exchange();
  EXPECT_EQ(client_.answers[id].status, "200");
  EXPECT_TRUE(client_.answers[id].body == big_) << client_.answers[id].body.size();
}

TEST_F(Http2Server, ShutdownSendsGoaway) {
  client_.request("GET", "/hello.txt");
  exchange();
  handler_->on_shutdown(session_);
  client_.receive_from(session_);
  EXPECT_TRUE(client_.goaway);
  EXPECT_EQ(client_.goaway_code, NGHTTP2_NO_ERROR);
}

TEST_F(Http2Server, ProtocolErrorsEndTheConnectionWithGoaway) {
  client_.send_to(session_);  // preface and SETTINGS
  handler_->on_data(session_);
  client_.receive_from(session_);
  const uint8_t data_on_stream_0[] = {0, 0, 1, 0, 0, 0, 0, 0, 0, 'x'};
  session_.in.append(reinterpret_cast<const char*>(data_on_stream_0), sizeof data_on_stream_0);
  handler_->on_data(session_);
  client_.receive_from(session_);
  EXPECT_TRUE(client_.goaway);
  EXPECT_EQ(client_.goaway_code, NGHTTP2_PROTOCOL_ERROR);
  EXPECT_TRUE(session_.closed);
}

}  // namespace
}  // namespace tern::http

namespace tern::http {
namespace {

// RFC 8470 over HTTP/2: the requests whose HEADERS came in 0-RTT data are answered only if
// they are safe to replay; an early POST gets 425 Too Early, the same POST after the
// handshake is answered as usual (405: the file service takes no POST).
TEST_F(Http2Server, UnsafeRequestsInEarlyDataGetTooEarly) {
  testing::EarlyPeers peers;
  peers.prime();
  peers.now += 2;
  testing::Pair pair = testing::connect_pair(peers.client(), peers.server);
  int32_t early_get = client_.request("GET", "/hello.txt");
  int32_t early_post = client_.request("POST", "/hello.txt");
  std::string early = client_.output();  // the preface, SETTINGS and both HEADERS
  auto wrote = pair.client->write_early(as_bytes(early));
  ASSERT_TRUE(wrote) << wrote.error();
  ASSERT_EQ(*wrote, early.size());
  ASSERT_TRUE(testing::pump(*pair.client, *pair.server));
  ASSERT_TRUE(pair.server->early_data_accepted());
  int32_t late_post = client_.request("POST", "/hello.txt");
  ASSERT_TRUE(pair.client->write(as_bytes(client_.output())));
  ASSERT_TRUE(testing::pump(*pair.client, *pair.server));
  session_.connection = pair.server.get();
  session_.in = testing::read_all(*pair.server);
  exchange();
  EXPECT_EQ(client_.answers[early_get].status, "200");
  EXPECT_EQ(client_.answers[early_get].body, "hello over h2\n");
  EXPECT_EQ(client_.answers[early_post].status, "425");
  EXPECT_NE(client_.answers[early_post].body.find("early data"), std::string::npos);
  EXPECT_EQ(client_.answers[late_post].status, "405");
  EXPECT_FALSE(session_.closed);  // 425 leaves the connection open for the retry
}

TEST(EarlyStreams, FollowsFrameBoundariesThroughTheEarlyBytesOnly) {
  // The preface, a SETTINGS frame (6 bytes of payload), HEADERS on stream 1 and 3; the
  // header of stream 3's frame straddles the end of early data.
  std::string bytes(24, 'P');
  auto frame = [&](uint8_t type, uint32_t stream, size_t length) {
    bytes += {char(length >> 16), char(length >> 8), char(length), char(type), 0,
              char(stream >> 24), char(stream >> 16), char(stream >> 8), char(stream)};
    bytes += std::string(length, 'x');
  };
  frame(0x4, 0, 6);
  frame(0x1, 1, 20);
  size_t early_end = bytes.size() + 4;  // four bytes into the next frame's header
  frame(0x1, 3, 5);
  frame(0x1, 5, 5);  // after the handshake
  EarlyStreams streams;
  BytesView all = as_bytes(bytes);
  // Fed in odd pieces, early first, as the connection reads them.
  for (size_t at = 0; at < all.size();) {
    size_t end = std::min({at + 7, all.size(), at < early_end ? early_end : all.size()});
    streams.scan(all.subspan(at, end - at), at < early_end);
    at = end;
  }
  EXPECT_FALSE(streams.began_early(0));
  EXPECT_TRUE(streams.began_early(1));
  EXPECT_TRUE(streams.began_early(3));
  EXPECT_FALSE(streams.began_early(5));
}

}  // namespace
}  // namespace tern::http
