// SPDX-License-Identifier: Apache-2.0
// `tern serve`'s HTTP/2 framing (h2_server.cpp over libnghttp2) on arbitrary bytes after the
// client connection preface: no crash, no leak, and the handler's output stays bounded
// whatever the frames say. The answers come from a FileService on a small temporary
// directory, so requests that nghttp2 accepts reach real files, 404s and redirects.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <utility>

#include "http/early_data.h"
#include "http/framing.h"
#include "tls13_configs.h"

namespace {

// A Session with no socket: read() hands out the fuzz input in small pieces, write() counts.
class FakeSession final : public tern::Session {
 public:
  explicit FakeSession(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  size_t read(std::span<uint8_t> out) override {
    size_t n = std::min({out.size(), size_ - at_, piece_});
    std::memcpy(out.data(), data_ + at_, n);
    at_ += n;
    return n;
  }
  size_t readable() const override { return size_ - at_; }
  tern::Result<void> write(tern::BytesView plaintext) override {
    written_ += plaintext.size();
    unsent_ += plaintext.size();
    return tern::ok();
  }
  size_t unsent() const override { return unsent_; }
  void want_writable() override { wants_writable_ = true; }
  void close() override { closed_ = true; }
  bool peer_closed() const override { return at_ == size_; }
  void set_deadline(std::chrono::milliseconds, std::string) override {}
  void clear_deadline() override {}
  void mark_productive() override {}
  // A connection that took no early data (HTTP/2 asks only how much early data came).
  const tern::Connection& tls() const override {
    static const std::unique_ptr<tern::ServerConnection> fresh =
        *tern::ServerConnection::create(tern::fuzzing::server_config());
    return *fresh;
  }
  const std::string& peer_address() const override { return peer_; }

  // The socket took everything: what on_writable() would follow.
  bool drain() {
    unsent_ = 0;
    return std::exchange(wants_writable_, false);
  }
  size_t written_ = 0, unsent_ = 0, piece_ = 1000;
  bool closed_ = false, wants_writable_ = false;

 private:
  const uint8_t* data_;
  size_t size_, at_ = 0;
  std::string peer_ = "127.0.0.1:5555";
};

// The served directory, made once: a small file, a 200 KiB one (more than a flow-control
// window) and a subdirectory with an index.
std::shared_ptr<const tern::http::FileService> file_service() {
  static std::shared_ptr<const tern::http::FileService> files = [] {
    char dir[] = "/tmp/tern-fuzz-h2.XXXXXX";
    if (!mkdtemp(dir)) std::abort();
    std::string root = dir;
    std::ofstream(root + "/index.html") << "<p>hello</p>\n";
    std::ofstream(root + "/big.bin") << std::string(200 * 1024, 'x');
    mkdir((root + "/d").c_str(), 0755);
    std::ofstream(root + "/d/index.html") << "d\n";
    return std::make_shared<const tern::http::FileService>(
        root, std::make_shared<tern::http::CredentialFiles>(), nullptr);
  }();
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  std::string input = preface;
  input.append(reinterpret_cast<const char*>(data), size);
  FakeSession session(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  if (size > 0) session.piece_ = 1 + data[0] % 64 * 64;  // input split at varying points
  size_t records = 0;
  auto handler = tern::http::make_h2_handler(file_service(), [&](const tern::http::RequestRecord&) {
    ++records;
  }, {});
  handler->on_open(session);
  // Everything in, then the socket drains as often as the handler asks (bounded: the
  // responses are finite, and every round sends a chunk of them).
  for (int round = 0; round < 10'000 && !session.closed_; ++round) {
    if (session.readable() > 0) handler->on_data(session);
    size_t before = session.written_;
    if (!session.drain() && session.readable() == 0) break;
    handler->on_writable(session);
    if (session.written_ == before && session.readable() == 0) break;
  }
  // A handler asked to stop keeps its output to a chunk (GOAWAY and what was under way).
  size_t before = session.written_;
  session.unsent_ = 0;
  handler->on_shutdown(session);
  if (session.written_ - before > 128 * 1024) std::abort();
  handler->on_close(std::nullopt);
  // The frame walk that tells early streams apart, with the early data ending at a point the
  // input chooses.
  tern::http::EarlyStreams early;
  size_t early_end = size > 1 ? std::min<size_t>(input.size(), data[1] * 64u) : input.size();
  tern::BytesView all(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  early.scan(all.first(early_end), true);
  early.scan(all.subspan(early_end), false);
  return 0;
}
