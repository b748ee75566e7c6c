// SPDX-License-Identifier: Apache-2.0
// The HTTP side of `tern serve` on the Server core (include/tern/server.h): the handler of
// each connection frames requests and responses and asks a FileService for the answers.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/access_log.h"
#include "http/file_service.h"
#include "tern/server.h"

namespace tern::http {

// How long a connection may take over what it owes (Session::set_deadline; bytes do not
// extend these): a whole request head from its first byte (or from the handshake), and the
// gap between a response and the next request's first byte.
struct RequestTimeouts {
  std::chrono::milliseconds head{20'000};
  std::chrono::milliseconds keep_alive{30'000};
};

// The handler of one connection, the answers from `files`: HTTP/2 (h2_server.cpp, through
// libnghttp2) when the handshake negotiated ALPN "h2", else HTTP/1.1 (h1_server.cpp) with
// keep-alive and pipelining.
std::unique_ptr<ConnectionHandler> make_connection_handler(
    std::shared_ptr<const FileService> files, RequestLogger log, RequestTimeouts timeouts = {});

}  // namespace tern::http
