// SPDX-License-Identifier: Apache-2.0
// make_connection_handler: which framing a connection gets is known only once its handshake
// has chosen the protocol (ALPN), so the handler made at accept waits for on_open, makes the
// HTTP/1.1 or the HTTP/2 handler then, and passes every event on to it.
#include "http/framing.h"

namespace tern::http {
namespace {

class ByAlpn final : public ConnectionHandler {
 public:
  ByAlpn(std::shared_ptr<const FileService> files, RequestLogger log, RequestTimeouts timeouts,
         SessionResponder special)
      : files_(std::move(files)),
        log_(std::move(log)),
        timeouts_(timeouts),
        special_(std::move(special)) {}

  void on_open(Session& session) override {
    // "h2" only when the client asked for it and the server offered it; no ALPN at all, or
    // "http/1.1", is HTTP/1.1.
    if (session.tls().alpn() == "h2")
      inner_ = make_h2_handler(std::move(files_), std::move(log_), timeouts_, std::move(special_));
    else
      inner_ = make_h1_handler(std::move(files_), std::move(log_), timeouts_, std::move(special_));
    inner_->on_open(session);
  }
  void on_data(Session& session) override {
    if (inner_) inner_->on_data(session);
  }
  void on_writable(Session& session) override {
    if (inner_) inner_->on_writable(session);
  }
  void on_shutdown(Session& session) override {
    if (inner_) inner_->on_shutdown(session);
  }
  void on_close(const std::optional<Error>& error) override {
    if (inner_) inner_->on_close(error);
  }

 private:
  std::shared_ptr<const FileService> files_;
  RequestLogger log_;
  RequestTimeouts timeouts_;
  SessionResponder special_;
  std::unique_ptr<ConnectionHandler> inner_;  // made in on_open
};

}  // namespace

std::unique_ptr<ConnectionHandler> make_connection_handler(
    std::shared_ptr<const FileService> files, RequestLogger log, RequestTimeouts timeouts,
    SessionResponder special) {
  return std::make_unique<ByAlpn>(std::move(files), std::move(log), timeouts, std::move(special));
}

}  // namespace tern::http
