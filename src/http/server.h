// SPDX-License-Identifier: Apache-2.0
// The HTTP side of `tern serve` on the Server core (include/tern/server.h): the handler of
// each connection frames requests and responses and asks a FileService for the answers.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
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

// Answers the few requests that need the connection itself (`tern serve --explain`: its
// handshake, explain_page.h) and returns nullopt for every other, which FileService answers.
using SessionResponder = std::function<std::optional<Response>(const Request&, Session&)>;

// The handler of one connection: HTTP/2 (h2_server.cpp, through libnghttp2) when the
// handshake negotiated ALPN "h2", else HTTP/1.1 (h1_server.cpp) with keep-alive and
// pipelining. The answers come from `special` first if given, else from `files`.
std::unique_ptr<ConnectionHandler> make_connection_handler(
    std::shared_ptr<const FileService> files, RequestLogger log, RequestTimeouts timeouts = {},
    SessionResponder special = {});

}  // namespace tern::http
