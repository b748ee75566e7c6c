// SPDX-License-Identifier: Apache-2.0
// `tern serve --explain`: the visitor's own handshake, from the server's side, at
// /.well-known/tern/handshake (HTML with the SVG ladder) and .../handshake.json.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"
#include "tern/server.h"

namespace tern::http {

inline constexpr const char* kExplainPath = "/.well-known/tern/handshake";
inline constexpr const char* kExplainJsonPath = "/.well-known/tern/handshake.json";

// For ServerOptions::observer under --explain: a trace::Recorder per connection, bounded
// (at most kExplainMaxEvents events, application data not recorded: a long keep-alive
// connection costs no more than its handshake), destroyed with the connection.
inline constexpr size_t kExplainMaxEvents = 256;
std::function<std::unique_ptr<Observer>(const std::string& peer)> explain_recorders();

// The answer to a GET or HEAD of one of the two paths (query ignored), from what the
// connection's recorder (Session::observer) holds; nullopt for any other request, which goes
// to FileService. The answers are not cached (cache-control: no-store): each connection's
// handshake is its own.
std::optional<Response> explain_response(const Request& request, Session& session);

}  // namespace tern::http
