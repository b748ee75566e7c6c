// SPDX-License-Identifier: Apache-2.0
// The two framings behind make_connection_handler (server.h), one per protocol the
// connection negotiated by ALPN: HTTP/1.1 (h1_server.cpp) and HTTP/2 (h2_server.cpp, on
// libnghttp2). Both answer with the same SessionResponder and FileService and report the same RequestRecords.
#pragma once

#include <memory>

#include "http/server.h"

namespace tern::http {

std::unique_ptr<ConnectionHandler> make_h1_handler(std::shared_ptr<const FileService> files,
                                                   RequestLogger log, RequestTimeouts timeouts,
                                                   SessionResponder special = {});
std::unique_ptr<ConnectionHandler> make_h2_handler(std::shared_ptr<const FileService> files,
                                                   RequestLogger log, RequestTimeouts timeouts,
                                                   SessionResponder special = {});

}  // namespace tern::http
