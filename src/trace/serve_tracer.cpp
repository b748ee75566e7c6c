// SPDX-License-Identifier: Apache-2.0
// `tern serve --trace`: each connection's ladder, written when the connection ends.
#include <ostream>

#include "trace/trace.h"

namespace tern::trace {

std::function<std::unique_ptr<Observer>(const std::string&)> serve_tracer(std::ostream& out,
                                                                          RenderOptions options) {
  class ConnectionTracer final : public Recorder {
   public:
    ConnectionTracer(std::ostream& out, RenderOptions options, const std::string& peer)
        : Recorder(Side::server, steady_clock_ms()), out_(out), options_(options) {
      trace().title = "tern serve: connection from " + peer;
      trace().client_label = "client (" + peer + ")";
      trace().server_label = "server (tern serve)";
    }
    ~ConnectionTracer() override {
      if (trace().events.empty()) return;  // a probe that sent nothing
      try {
        render_text(trace(), out_, options_);
        out_ << std::endl;
      } catch (...) {  // never from a destructor
      }
    }

   private:
    std::ostream& out_;
    RenderOptions options_;
  };
  return [&out, options](const std::string& peer) -> std::unique_ptr<Observer> {
    return std::make_unique<ConnectionTracer>(out, options, peer);
  };
}

}  // namespace tern::trace
