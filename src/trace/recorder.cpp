// SPDX-License-Identifier: Apache-2.0
// The Recorder (an Observer filling a Trace) and the summary the events add up to.
#include <chrono>

#include "trace/trace.h"

namespace tern::trace {

const char* side_name(Side side) { return side == Side::client ? "client" : "server"; }

Clock steady_clock_ms() {
  return [] {
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
  };
}

Recorder::Recorder(Side self, Clock clock) : clock_(std::move(clock)) { trace_.self = self; }

double Recorder::now() const { return start_ ? clock_() - *start_ : 0; }

Event& Recorder::add(Event::Kind kind, Direction direction) {
  if (!start_) start_ = clock_();
  Event& e = trace_.events.emplace_back();
  e.kind = kind;
  e.time_ms = clock_() - *start_;
  e.from = from(direction);
  e.version = version_;
  return e;
}

void Recorder::on_handshake_message(Direction direction, Protection protection, uint8_t,
                                    BytesView message, const std::string&) {
  Event& e = add(Event::Kind::message, direction);
  e.protection = protection;
  (direction == Direction::sent ? sending_ : receiving_) = protection;
  e.message = describe_message(message, version_ ? version_ : tls::kTls13, suite_);
  // The ServerHello (or HelloRetryRequest, which is TLS 1.3's) fixes how later messages read.
  if (e.message.type == 2 && e.message.error.empty()) {
    version_ = e.message.selected_version;
    suite_ = e.message.cipher_suite;
  }
}

void Recorder::on_change_cipher_spec(Direction direction) {
  add(Event::Kind::change_cipher_spec, direction).protection = Protection::plaintext;
  // TLS 1.2: the next records in this direction are under the key block.
  if (version_ == tls::kTls12)
    (direction == Direction::sent ? sending_ : receiving_) = Protection::application_keys;
}

void Recorder::on_key_schedule(const std::string& stage) {
  add(Event::Kind::key_stage, Direction::sent).stage = stage;
  if (stage == "application traffic") done_ = true;
}

void Recorder::on_verification_step(const VerifyStep& step) {
  add(Event::Kind::verify_step, Direction::sent).step = step;
}

void Recorder::on_certificate_verification(const std::vector<CertificateInfo>& chain,
                                           const std::string& error) {
  Event& e = add(Event::Kind::verification, Direction::sent);
  e.error = error;
  e.records = chain.size();
}

void Recorder::on_record(Direction direction, uint8_t, size_t length) {
  constexpr size_t kRecordHeader = 5;
  if (direction == Direction::sent) {
    trace_.bytes_sent += length + kRecordHeader;
    ++trace_.records_sent;
  } else {
    trace_.bytes_received += length + kRecordHeader;
    ++trace_.records_received;
  }
}

void Recorder::on_application_data(Direction direction, size_t length) {
  if (!trace_.events.empty()) {
    Event& last = trace_.events.back();
    if (last.kind == Event::Kind::application_data && last.from == from(direction)) {
      last.bytes += length;
      ++last.records;
      return;
    }
  }
  Event& e = add(Event::Kind::application_data, direction);
  e.protection = Protection::application_keys;
  e.bytes = length;
  e.records = 1;
}

void Recorder::on_alert(Direction direction, uint8_t level, uint8_t description) {
  Event& e = add(Event::Kind::alert, direction);
  e.alert_level = level;
  e.alert_description = description;
  // After the handshake both directions are under the application keys; before, as the
  // last message in that direction (a client rejecting a TLS 1.3 certificate still writes
  // in plaintext).
  e.protection = done_ ? Protection::application_keys
                       : direction == Direction::sent ? sending_ : receiving_;
}

void Recorder::keylog(const std::string& line) {
  // "LABEL <client random> <secret>"
  size_t first = line.find(' ');
  size_t second = first == std::string::npos ? first : line.find(' ', first + 1);
  if (second == std::string::npos) return;
  Event& e = add(Event::Kind::secret, Direction::sent);
  e.stage = line.substr(0, first);
  e.value = line.substr(second + 1);
}

Summary summarize(const Trace& trace) {
  Summary s;
  bool done = false, ecdhe12 = false;
  Side last_from = trace.self == Side::client ? Side::server : Side::client;
  for (const Event& e : trace.events) {
    if (e.kind == Event::Kind::key_stage) {
      if (e.stage == "application traffic" && !done) {
        done = true;
        s.handshake_ms = e.time_ms;
      }
      if (e.stage == "early secret (PSK)" || e.stage == "master secret (resumed session)")
        s.resumed = true;
      if (e.stage == "pre-master secret (ECDHE)") ecdhe12 = true;
      if (e.stage == "early secret (external PSK)") s.external_psk = true;
      if (e.stage == "extended master secret") s.extended_master_secret = true;
    }
    if (e.kind == Event::Kind::alert && e.alert_level == 2 && s.error.empty())
      s.error = std::string(e.from == trace.self ? "sent" : "received") + " a fatal alert: " +
                alert_name(e.alert_description);
    if (e.kind == Event::Kind::verification && !e.error.empty() &&
        e.error != "not verified (insecure)" && s.error.empty())
      s.error = e.error;
    bool on_wire = e.kind == Event::Kind::message || e.kind == Event::Kind::change_cipher_spec;
    if (on_wire && !done) {
      // A flight of ours answered by the peer: one round trip.
      if (e.from != trace.self && last_from == trace.self) ++s.round_trips;
      last_from = e.from;
    }
    if (e.kind != Event::Kind::message || !e.message.error.empty()) continue;
    const HandshakeSummary& m = e.message;
    if (m.type == 2) {
      if (m.hello_retry_request) {
        s.hello_retry_request = true;
        continue;
      }
      s.version = m.selected_version;
      s.cipher_suite = m.cipher_suite;
      if (!m.key_shares.empty()) s.group = m.key_shares[0].group;
      if (m.alpn.size() == 1) s.alpn = m.alpn[0];
      if (m.extended_master_secret) s.extended_master_secret = true;
    }
    if (m.type == 8 && m.alpn.size() == 1) s.alpn = m.alpn[0];
    if (m.type == 12) {
      s.group = m.group;
      s.signature_scheme = m.signature_scheme;
    }
    if (m.type == 15 && e.from == Side::server) s.signature_scheme = m.signature_scheme;
  }
  if (s.version == tls::kTls13) {
    s.extended_master_secret = true;
    s.forward_secrecy = s.group != 0;  // psk_dhe_ke or a full handshake: fresh ECDHE
  } else {
    s.forward_secrecy = ecdhe12 && !s.resumed;
  }
  if (s.error.empty() && !trace.error.empty()) s.error = trace.error;
  if (s.error.empty() && !done) s.error = "the handshake did not finish";
  s.ok = done && s.error.empty();
  return s;
}

}  // namespace tern::trace
