// SPDX-License-Identifier: Apache-2.0
// `tern trace` and `tern serve --trace`: a handshake recorded through the engine's Observer
// (recorder.cpp), explained in the words of a walk-through (explain.cpp), laid
// out as a ladder (layout.cpp) and drawn as text (text.cpp), SVG
// (svg.cpp) or JSON lines (json.cpp). Public API only.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tern/tls.h"
#include "tern/trace.h"
#include "tern/x509.h"

namespace tern::trace {

enum class Side : uint8_t { client, server };
const char* side_name(Side side);  // "client", "server"

struct Event {
  enum class Kind : uint8_t {
    message,             // a handshake message (`message`)
    change_cipher_spec,  // a ChangeCipherSpec record
    alert,               // `alert_level`, `alert_description`
    application_data,    // `bytes` in `records` records, consecutive ones merged
    key_stage,           // `stage` reached by `side`
    secret,              // --show-secrets: `stage` is the NSS key log label, `value` the hex
    verify_step,         // `step`
    verification,        // the chain's verdict: `error` empty when accepted
  };
  Kind kind = Kind::message;
  double time_ms = 0;  // since the first event
  Side from = Side::client;  // messages, records: the sender; stages and checks: who did it
  Protection protection = Protection::plaintext;
  uint16_t version = 0;  // the version in force (0 before the ServerHello)
  HandshakeSummary message;
  uint8_t alert_level = 0, alert_description = 0;
  size_t bytes = 0, records = 0;
  std::string stage, value;
  VerifyStep step;
  std::string error;
};

struct Trace {
  Side self = Side::client;  // whose view this is
  std::string client_label = "client", server_label = "server";
  std::string title;         // first line of the text output
  double connect_ms = -1;    // TCP connect time before the first event; < 0: not shown
  std::vector<Event> events;
  // Bytes on the wire (record headers included) and records, by this side.
  size_t bytes_sent = 0, bytes_received = 0, records_sent = 0, records_received = 0;
  std::string error;  // why the connection failed, if it did (set by the caller)
};

// Milliseconds from any fixed origin: the clock events are timed with.
using Clock = std::function<double()>;
Clock steady_clock_ms();

// The Observer that fills a Trace. Also takes NSS key log lines (--show-secrets).
class Recorder : public Observer {
 public:
  Recorder(Side self, Clock clock);
  Trace& trace() { return trace_; }
  const Trace& trace() const { return trace_; }
  void keylog(const std::string& line);
  // The time now on the trace's scale (before the first event: 0).
  double now() const;
  // The clock's reading at the first event, if there was one.
  std::optional<double> started_at() const { return start_; }

  void on_handshake_message(Direction, Protection, uint8_t, BytesView message,
                            const std::string&) override;
  void on_change_cipher_spec(Direction) override;
  void on_key_schedule(const std::string& stage) override;
  void on_verification_step(const VerifyStep& step) override;
  void on_certificate_verification(const std::vector<CertificateInfo>& chain,
                                   const std::string& error) override;
  void on_record(Direction, uint8_t content_type, size_t length) override;
  void on_application_data(Direction, size_t length) override;
  void on_alert(Direction, uint8_t level, uint8_t description) override;

 private:
  Event& add(Event::Kind kind, Direction direction);
  Side from(Direction d) const { return d == Direction::sent ? trace_.self : other(); }
  Side other() const { return trace_.self == Side::client ? Side::server : Side::client; }

  Trace trace_;
  Clock clock_;
  std::optional<double> start_;
  uint16_t version_ = 0, suite_ = 0;
  // The keys records carry in each direction, as far as the events tell (for alerts).
  Protection sending_ = Protection::plaintext, receiving_ = Protection::plaintext;
  bool done_ = false;
};

// What the events say was negotiated (either side's view; no Connection needed).
struct Summary {
  bool ok = false;        // the handshake finished and nothing failed
  std::string error;      // else why
  uint16_t version = 0, cipher_suite = 0, group = 0, signature_scheme = 0;
  bool forward_secrecy = false, resumed = false, hello_retry_request = false;
  bool external_psk = false;  // a TLS 1.3 external PSK authenticated the handshake
  bool extended_master_secret = false;
  std::string alpn;
  std::optional<double> handshake_ms;  // when this side's handshake was done
  int round_trips = 0;  // flights this side sent that were answered before it was done
};
Summary summarize(const Trace& trace);

// ---- explanations (explain.cpp) ----

// The step in the words of a walk-through, one line: "Server Certificate: the server
// proves its identity with a chain signed by a CA". `previous` is the event list up to it.
std::string explain(const Event& event, const std::vector<Event>& events);
// What a message carries, as (label, value) pairs in display order.
std::vector<std::pair<std::string, std::string>> message_fields(const Event& event,
                                                                const std::vector<Event>& events);
std::string protection_name(Protection protection, uint16_t version);
std::string hex(BytesView data);
// "2fe57da347cd6243... (32 bytes)", or the whole value when it has at most `shown` bytes.
std::string short_hex(BytesView data, size_t shown = 8);

// ---- rendering ----

struct RenderOptions {
  bool color = false;         // ANSI colours (text only)
  bool show_secrets = false;  // secret events are shown (they are recorded only when asked)
  // Text: the columns every line fits in (the ladder between the rails takes what the time
  // column leaves); at least kMinTextWidth. 80 fits any terminal; `tern trace` passes a
  // wider terminal's width (terminal_width).
  size_t width = 80;
};
inline constexpr size_t kMinTextWidth = 70;
// The columns of the terminal `fd` is, when wider than 80 (TIOCGWINSZ, else $COLUMNS), at
// most 200 (longer lines read badly); 80 when `fd` is not a terminal.
size_t terminal_width(int fd);

void render_text(const Trace& trace, std::ostream& out, const RenderOptions& options = {});
// One JSON object per line, per event, then a summary object (docs/cli.md lists fields).
void render_json(const Trace& trace, std::ostream& out, const RenderOptions& options = {});
// A standalone SVG picture of the ladder: one element of class "arrow" per message.
void render_svg(const Trace& trace, std::ostream& out, const RenderOptions& options = {});

// `tern serve --trace`: for ServerOptions::observer, a Recorder per connection that writes
// its ladder (text) to `out` when the connection ends. `out` must outlive the server.
std::function<std::unique_ptr<Observer>(const std::string& peer)> serve_tracer(
    std::ostream& out, RenderOptions options);

// ---- the ladder, shared by the text and SVG renderers (layout.cpp) ----

struct Row {
  enum class Kind : uint8_t { arrow, text, rule };
  // Styles: for arrows the protection ("plaintext", "handshake", "application"), "alert",
  // "ccs", "data"; for text "explain", "field", "keys", "secret", "chain", "ok", "fail",
  // "title", "summary".
  Kind kind = Kind::text;
  std::string style;
  std::optional<double> time_ms;  // arrows
  bool rightward = true;          // arrows: from the client (left) to the server (right)
  std::string label;              // arrow: the message name and its tag; text: the line
};
// The time column before the left rail, and the two rails: what a text line spends besides
// the ladder.
inline constexpr size_t kTimeColumn = 11;  // "    40.2 ms "
// The characters between the rails for `options.width` (text lines are wrapped two less).
size_t ladder_width(const RenderOptions& options);
// The SVG's ladder: as the text one on a terminal 89 columns wide.
inline constexpr size_t kLadderWidth = 76;
std::vector<Row> layout(const Trace& trace, const RenderOptions& options);
// Word wrap to `width`; continuation lines start with `indent` spaces.
std::vector<std::string> wrap(const std::string& text, size_t width, size_t indent);

}  // namespace tern::trace
