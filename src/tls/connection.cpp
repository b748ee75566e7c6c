// SPDX-License-Identifier: Apache-2.0
#include <cstring>

#include "handshake/tls13_client.h"
#include "msgs/content.h"
#include "tls/connection_impl.h"

namespace tern {

using record::ContentType;

ConnectionImpl::ConnectionImpl(const crypto::Provider& provider, const CommonConfig& config)
    : provider_(provider), config_(config) {}
ConnectionImpl::~ConnectionImpl() = default;

Result<void> ConnectionImpl::start() {
  if (auto started = machine_->start(); !started) return fail(std::move(started).error());
  return flush_handshake();
}

size_t ConnectionImpl::max_send_fragment() const {
  // record_size_limit counts the inner content type byte in TLS 1.3 (RFC 8449 §4).
  bool inner_type = write_cipher_ && write_cipher_->version() == record::Version::tls13;
  size_t limit = inner_type ? peer_record_limit_ - 1 : peer_record_limit_;
  return std::min(limit, record::kMaxPlaintext);
}

void ConnectionImpl::set_peer_record_size_limit(uint16_t limit) {
  peer_record_limit_ = std::min<size_t>(limit, record::kMaxPlaintext + 1);
}

void ConnectionImpl::set_own_record_size_limit(uint16_t limit) {
  own_record_limit_ = limit;
  if (read_cipher_) read_cipher_->limit_plaintext(own_record_limit_);
}

void ConnectionImpl::install_read_cipher(record::Cipher cipher) {
  read_cipher_.emplace(std::move(cipher));
  read_cipher_->limit_plaintext(own_record_limit_);
}

Result<void> ConnectionImpl::emit_record(ContentType type, BytesView data) {
  if (config_.observer)
    config_.observer->on_record(Direction::sent, static_cast<uint8_t>(type), data.size());
  if (!write_cipher_) {
    size_t at = out_.size();
    out_.resize(at + record::kHeaderSize + data.size());
    out_[at] = static_cast<uint8_t>(type);
    bool initial_hello = client_ && !sent_record_ && type == ContentType::handshake;
    sent_record_ = true;
    out_[at + 1] = 0x03;
    out_[at + 2] = initial_hello ? 0x01 : 0x03;
    out_[at + 3] = static_cast<uint8_t>(data.size() >> 8);
    out_[at + 4] = static_cast<uint8_t>(data.size());
    if (!data.empty()) std::memcpy(&out_[at + record::kHeaderSize], data.data(), data.size());
    return ok();
  }
  size_t at = out_.size();
  size_t offset = write_cipher_->plaintext_offset();
  out_.resize(at + offset + data.size() + write_cipher_->overhead());
  // Sealed from the caller's bytes straight into the record: no copy, no zero-fill.
  auto sealed = write_cipher_->seal_from(type, data, out_.span().subspan(at));
  if (!sealed) {
    out_.resize(at);
    return std::move(sealed).error();
  }
  out_.resize(at + *sealed);
  return ok();
}

Result<void> ConnectionImpl::flush_handshake() {
  BytesView pending = handshake_out_;
  while (!pending.empty()) {
    size_t n = std::min(pending.size(), max_send_fragment());
    TERN_CHECK(emit_record(ContentType::handshake, pending.first(n)));
    pending = pending.subspan(n);
  }
  handshake_out_.clear();
  return ok();
}

void ConnectionImpl::send_handshake(BytesView message) {
  handshake_out_.insert(handshake_out_.end(), message.begin(), message.end());
}

void ConnectionImpl::send_change_cipher_spec() {
  // Plaintext, between flights: flush what precedes it under the current keys first.
  (void)flush_handshake();
  static const uint8_t kCcs[] = {msgs::kChangeCipherSpecByte};
  auto saved = std::move(write_cipher_);
  write_cipher_.reset();
  if (config_.observer) config_.observer->on_change_cipher_spec(Direction::sent);
  (void)emit_record(ContentType::change_cipher_spec, kCcs);
  write_cipher_ = std::move(saved);
}

Result<void> ConnectionImpl::set_write_secret(const handshake::SuiteInfo& suite, BytesView secret,
                                              Protection protection) {
  TERN_CHECK(flush_handshake());
  TERN_TRY(auto keys, handshake::traffic_keys(provider_, suite.hash, suite.aead, secret));
  TERN_TRY(auto cipher, record::Cipher::create(provider_, record::Version::tls13, suite.aead,
                                               keys.key.view(), keys.iv.view()));
  write_cipher_.emplace(std::move(cipher));
  write_protection_ = protection;
  return ok();
}

Result<void> ConnectionImpl::set_read_secret(const handshake::SuiteInfo& suite, BytesView secret,
                                             Protection protection) {
  if (!reassembler_.empty())
    return Error(Errc::protocol,
                 "a handshake message straddles a key change (RFC 8446 §5.1 forbids it)",
                 Alert::unexpected_message);
  TERN_TRY(auto keys, handshake::traffic_keys(provider_, suite.hash, suite.aead, secret));
  TERN_TRY(auto cipher, record::Cipher::create(provider_, record::Version::tls13, suite.aead,
                                               keys.key.view(), keys.iv.view()));
  install_read_cipher(std::move(cipher));
  read_protection_ = protection;
  early_read_open_ = false;  // early data ends with the early keys
  return ok();
}

Result<void> ConnectionImpl::set_write_keys12(crypto::Aead aead, BytesView key, BytesView iv) {
  TERN_CHECK(flush_handshake());
  TERN_TRY(auto cipher, record::Cipher::create(provider_, record::Version::tls12, aead, key, iv));
  write_cipher_.emplace(std::move(cipher));
  write_protection_ = Protection::application_keys;
  return ok();
}

Result<void> ConnectionImpl::set_read_keys12(crypto::Aead aead, BytesView key, BytesView iv) {
  TERN_TRY(auto cipher, record::Cipher::create(provider_, record::Version::tls12, aead, key, iv));
  install_read_cipher(std::move(cipher));
  read_protection_ = Protection::application_keys;
  return ok();
}

void ConnectionImpl::send_warning_alert(Alert alert) {
  if (sent_close_) return;
  (void)flush_handshake();
  const uint8_t body[2] = {1, static_cast<uint8_t>(alert)};
  if (config_.observer) config_.observer->on_alert(Direction::sent, 1, static_cast<uint8_t>(alert));
  (void)emit_record(ContentType::alert, body);
}

void ConnectionImpl::send_alert(Alert alert) {
  if (alert == Alert::none || sent_close_) return;
  handshake_out_.clear();
  uint8_t level = alert == Alert::close_notify || alert == Alert::user_canceled ? 1 : 2;
  const uint8_t body[2] = {level, static_cast<uint8_t>(alert)};
  if (config_.observer)
    config_.observer->on_alert(Direction::sent, level, static_cast<uint8_t>(alert));
  (void)emit_record(ContentType::alert, body);
  sent_close_ = true;
}

Result<void> ConnectionImpl::fail(Error error) {
  if (!error_) {
    send_alert(error.alert == Alert::none ? Alert::internal_error : error.alert);
    error_ = error;
  }
  return error;
}

Result<void> ConnectionImpl::feed(BytesView received) {
  if (error_) return *error_;
  if (peer_closed_) return ok();  // RFC 8446 §6.1: data after a closure alert is ignored
  in_.append(received);
  auto processed = process_records();
  if (!processed) return fail(std::move(processed).error());
  TERN_CHECK(flush_handshake());
  if (!early_sent_.empty() && machine_->done()) {
    if (auto settled = settle_early_data(); !settled) return fail(std::move(settled).error());
  }
  if (!released_handshake_ && machine_->done()) {
    // Lean connections: give back what only the handshake needed.
    released_handshake_ = true;
    if (reassembler_.empty()) reassembler_ = msgs::HandshakeReassembler();
    Bytes().swap(handshake_out_);
    in_.release_if_empty();
    release_out_when_sent_ = true;  // out_ once the caller has taken it...
    consume_output(0);              // ...which may be already
  }
  return ok();
}

Result<void> ConnectionImpl::process_records() {
  size_t used = 0;
  Result<void> status;
  while (!peer_closed_) {
    std::span<uint8_t> rest = in_.span().subspan(used);
    size_t max = !read_cipher_ ? record::kMaxPlaintext
                 : read_cipher_->version() == record::Version::tls12 ? record::kMaxCiphertext12
                                                                     : record::kMaxCiphertext13;
    // Until a version is agreed, any {03,XX} record version is TLS (RFC 5246 Appendix E.1).
    auto versions = machine_->version() == 0 ? record::RecordVersions::any_tls
                                             : record::RecordVersions::known;
    auto next = record::next_record(rest, max, versions);
    if (!next) {
      status = std::move(next).error();
      break;
    }
    if (!*next) break;
    record::RecordView rec = **next;
    used += rec.size();
    record_ends_input_ = used == in_.size();
    if (config_.observer)
      config_.observer->on_record(Direction::received, static_cast<uint8_t>(rec.type),
                                  rec.fragment.size());
    if (first_record_ && rec.type != ContentType::handshake && rec.type != ContentType::alert) {
      status = Error(Errc::protocol,
                     std::string("the peer's first record is ") + msgs::to_string(rec.type) +
                         ", not a handshake: is it speaking TLS?",
                     Alert::unexpected_message);
      break;
    }
    first_record_ = false;
    if (rec.type == ContentType::change_cipher_spec) {
      status = handle_change_cipher_spec(rec);
      if (!status) break;
      continue;
    }
    if (early_data_skip_ == EarlyDataSkip::until_client_hello) {
      if (rec.type != ContentType::application_data) {
        early_data_skip_ = EarlyDataSkip::none;  // the second ClientHello
      } else if (drop_early_data(rec)) {
        continue;
      } else {
        status = Error(Errc::protocol,
                       "the client sent more 0-RTT data than this server skips after a "
                       "HelloRetryRequest",
                       Alert::unexpected_message);
        break;
      }
    }
    // TLS 1.2 protects every record type after ChangeCipherSpec; TLS 1.3 hides the type
    // inside application_data records.
    bool sealed = read_cipher_ && (read_cipher_->version() == record::Version::tls12 ||
                                   rec.type == ContentType::application_data);
    if (sealed) {
      auto opened = read_cipher_->open(rec);
      if (!opened && early_data_skip_ == EarlyDataSkip::undecryptable && drop_early_data(rec))
        continue;
      early_data_skip_ = EarlyDataSkip::none;
      if (!opened) {
        status = std::move(opened).error();
        break;
      }
      status = handle_record(opened->type, opened->data);
    } else if (rec.type == ContentType::alert && read_cipher_ && !handshake_done() &&
               rec.fragment.size() == 2 && rec.fragment[0] == 2) {
      // A TLS 1.3 peer that fails our handshake messages before it switches its own write
      // keys (OpenSSL's client rejecting our certificate) sends its fatal alert unprotected.
      // The handshake ends either way; reading the alert tells the user why (unknown_ca,
      // ...). An attacker who could forge it could as well reset the TCP connection. Any
      // other plaintext record, a warning alert included, stays a violation.
      status = handle_record(rec.type, rec.fragment);
    } else if (read_cipher_ || rec.type == ContentType::application_data) {
      // Once the peer's records are protected, so are its alerts (RFC 8446 §5).
      std::string said = rec.type == ContentType::alert && rec.fragment.size() == 2
                             ? std::string(" (saying ") +
                                   alert_name(static_cast<Alert>(rec.fragment[1])) + ")"
                             : "";
      status = Error(Errc::protocol,
                     std::string("a plaintext ") + msgs::to_string(rec.type) + " record" + said +
                         " arrived where only encrypted records are allowed",
                     Alert::unexpected_message);
    } else {
      status = handle_record(rec.type, rec.fragment);
    }
    if (!status) break;
  }
  if (adopt_end_ > adopt_begin_) {
    // The last record's plaintext stays where it was opened: in_ becomes app_in_.
    in_.swap(app_in_);
    app_in_.resize(adopt_end_);
    app_in_start_ = adopt_begin_;
    adopt_begin_ = adopt_end_ = 0;
    in_.clear();
    return status;
  }
  in_.erase_front(used);
  return status;
}

bool ConnectionImpl::drop_early_data(const record::RecordView& rec) {
  // At most the server's max_early_data (OpenSSL's default, 16 KiB, if lower); the AEAD
  // tag and the inner content type do not count.
  constexpr size_t kSealOverhead = 17;
  // An empty record counts as one byte, so a flood of them is bounded too.
  early_data_skipped_ += std::max<size_t>(1, rec.fragment.size() - std::min(rec.fragment.size(),
                                                                            kSealOverhead));
  return early_data_skipped_ <= early_skip_limit_;
}

Result<void> ConnectionImpl::check_between_messages(ContentType type) const {
  // RFC 8446 §5.1 (and RFC 5246 §7.1 for ChangeCipherSpec): the records of one handshake
  // message follow each other with nothing in between.
  if (type == ContentType::handshake || reassembler_.empty()) return ok();
  return Error(Errc::protocol,
               std::string("a ") + msgs::to_string(type) +
                   " record arrived between the fragments of a handshake message",
               Alert::unexpected_message);
}

Result<void> ConnectionImpl::count_idle_record(size_t& count, size_t limit, const char* what) {
  if (++count <= limit) return ok();
  return Error(Errc::protocol,
               "the peer sent more than " + std::to_string(limit) + " " + what +
                   " in a row without progress (a flood?)",
               Alert::unexpected_message);
}

Result<void> ConnectionImpl::handle_record(ContentType type, std::span<uint8_t> data) {
  TERN_CHECK(check_between_messages(type));
  if (!data.empty() && type != ContentType::alert) empty_records_ = warning_alerts_ = 0;
  switch (type) {
    case ContentType::handshake: {
      if (data.empty())
        return Error(Errc::protocol, "an empty handshake record", Alert::unexpected_message);
      TERN_CHECK(reassembler_.add(data));
      while (auto message = reassembler_.next()) {
        TERN_CHECK(deliver(*message));
        if (error_ || peer_closed_) break;
      }
      return ok();
    }
    case ContentType::application_data:
      if (early_read_open_) {
        TERN_CHECK(count_early_data(data.size()));
      } else if (!machine_->done())
        return Error(Errc::protocol, "application data arrived before the handshake finished",
                     Alert::unexpected_message);
      if (!reassembler_.empty())
        return Error(Errc::protocol,
                     "application data interleaved with a partial handshake message",
                     Alert::unexpected_message);
      if (config_.observer) config_.observer->on_application_data(Direction::received, data.size());
      // Empty records are allowed (RFC 8446 §5.1), but not without end (OpenSSL and
      // BoringSSL stop at 32 in a row).
      if (data.empty()) return count_idle_record(empty_records_, kMaxEmptyRecords, "empty records");
      if (app_in_start_ == app_in_.size()) {
        app_in_.clear();
        app_in_start_ = 0;
        if (record_ends_input_ && !data.empty() && data.data() >= in_.data() &&
            data.data() + data.size() <= in_.data() + in_.size()) {
          adopt_begin_ = static_cast<size_t>(data.data() - in_.data());
          adopt_end_ = adopt_begin_ + data.size();
          return ok();
        }
      }
      app_in_.append(data);
      return ok();
    case ContentType::alert:
      return handle_alert(data);
    default:
      return Error(Errc::protocol, std::string("unexpected ") + msgs::to_string(type) + " record",
                   Alert::unexpected_message);
  }
}

Result<void> ConnectionImpl::deliver(const msgs::HandshakeMessage& message) {
  auto handled = machine_->on_message(message, read_protection_);
  if (auto next = machine_->take_successor()) machine_ = std::move(next);
  return handled;
}

Result<void> ConnectionImpl::handle_change_cipher_spec(const record::RecordView& rec) {
  // Exactly one byte 0x01 (RFC 8446 §5; several in one record are not one message either).
  if (rec.fragment.size() != 1 || rec.fragment[0] != msgs::kChangeCipherSpecByte)
    return Error(Errc::protocol,
                 "a malformed change_cipher_spec record (" + std::to_string(rec.fragment.size()) +
                     " bytes, where the only valid one is the single byte 0x01)",
                 Alert::unexpected_message);
  if (config_.observer) config_.observer->on_change_cipher_spec(Direction::received);
  TERN_CHECK(check_between_messages(ContentType::change_cipher_spec));
  if (!tls12()) {
    // Middlebox compatibility (RFC 8446 §5, Appendix D.4): one plaintext 0x01 per
    // handshake, before the peer's Finished.
    if (machine_->done())
      return Error(Errc::protocol, "a change_cipher_spec record after the handshake",
                   Alert::unexpected_message);
    if (++change_cipher_specs_ > 1)
      return Error(Errc::protocol,
                   "a second change_cipher_spec record (TLS 1.3 peers send one at most)",
                   Alert::unexpected_message);
    return ok();
  }
  if (read_cipher_)
    return Error(Errc::protocol, "a second change_cipher_spec record", Alert::unexpected_message);
  return machine_->on_change_cipher_spec();
}

Result<void> ConnectionImpl::handle_alert(BytesView data) {
  // RFC 8446 §5.1 allows zero-length records only for application data (OpenSSL and
  // tlsfuzzer answer an empty alert record with unexpected_message).
  if (data.empty())
    return Error(Errc::protocol, "an empty alert record", Alert::unexpected_message);
  TERN_TRY(auto alert, msgs::AlertMessage::parse(data));
  if (config_.observer)
    config_.observer->on_alert(Direction::received, static_cast<uint8_t>(alert.level),
                               static_cast<uint8_t>(alert.description));
  if (alert.description == Alert::close_notify) {
    peer_closed_ = true;
    if (machine_->done()) return ok();
    sent_close_ = true;  // nothing to answer: the handshake can never finish
    return Error(Errc::protocol,
                 "the peer closed the connection (close_notify) before the handshake finished");
  }
  // user_canceled (either version) and TLS 1.2 warnings (unrecognized_name,
  // no_renegotiation) leave the connection open; a peer that sends nothing else is cut off.
  if (alert.description == Alert::user_canceled ||
      (tls12() && alert.level == msgs::AlertLevel::warning))
    return count_idle_record(warning_alerts_, kMaxWarningAlerts, "warning alerts");
  // Any other alert ends the connection; we do not answer it.
  sent_close_ = true;
  Error error(Errc::protocol, "the peer sent the alert " + msgs::to_string(alert.description));
  error.peer_alert = alert.description;
  return error;
}

void ConnectionImpl::consume_output(size_t n) {
  out_start_ += std::min(n, out_.size() - out_start_);
  if (out_start_ == out_.size()) {
    out_.clear();
    out_start_ = 0;
    if (release_out_when_sent_) {
      out_.release_if_empty();
      release_out_when_sent_ = false;
    }
  }
}

size_t ConnectionImpl::read(std::span<uint8_t> out) {
  size_t n = std::min(out.size(), readable());
  if (n) std::memcpy(out.data(), app_in_.data() + app_in_start_, n);
  app_in_start_ += n;
  return n;
}

Result<void> ConnectionImpl::write(BytesView plaintext) {
  if (error_) return *error_;
  if (sent_close_) return Error(Errc::usage, "write after close()");
  if (!machine_->done())
    return Error(Errc::usage, "write before the handshake is done (check handshake_done())");
  while (!plaintext.empty()) {
    size_t n = std::min(plaintext.size(), max_send_fragment());
    if (config_.observer) config_.observer->on_application_data(Direction::sent, n);
    TERN_CHECK(emit_record(ContentType::application_data, plaintext.first(n)));
    plaintext = plaintext.subspan(n);
  }
  return ok();
}

void ConnectionImpl::close() {
  if (sent_close_) return;
  (void)flush_handshake();
  send_alert(Alert::close_notify);
}

Result<void> ConnectionImpl::update_keys(bool request_peer) {
  if (error_) return *error_;
  if (sent_close_) return Error(Errc::usage, "update_keys after close()");
  TERN_CHECK(machine_->update_keys(request_peer));
  return flush_handshake();
}

// ---- the public Connection ----

Connection::Connection(std::unique_ptr<ConnectionImpl> impl) : impl_(std::move(impl)) {}
Connection::~Connection() = default;

Result<void> Connection::feed(BytesView received) { return impl_->feed(received); }
BytesView Connection::pending_output() const { return impl_->pending_output(); }
void Connection::consume_output(size_t n) { impl_->consume_output(n); }
bool Connection::wants_read() const { return impl_->wants_read(); }
size_t Connection::read(std::span<uint8_t> out) { return impl_->read(out); }
size_t Connection::readable() const { return impl_->readable(); }
Result<void> Connection::write(BytesView plaintext) { return impl_->write(plaintext); }
void Connection::close() { impl_->close(); }
Result<void> Connection::update_keys(bool request_peer) { return impl_->update_keys(request_peer); }
Result<Bytes> Connection::export_keying_material(std::string_view label, BytesView context,
                                                 size_t length) const {
  TERN_TRY(auto secret, impl_->machine().export_keying_material(label, context, length));
  return Bytes(secret.view().begin(), secret.view().end());
}
bool Connection::handshake_done() const { return impl_->handshake_done(); }
bool Connection::peer_closed() const { return impl_->peer_closed(); }
bool Connection::closed() const { return impl_->closed(); }
const std::optional<Error>& Connection::error() const { return impl_->error(); }

uint16_t Connection::version() const { return impl_->machine().negotiated().version; }
std::string Connection::version_name() const {
  switch (version()) {
    case tls::kTls13: return "TLS 1.3";
    case tls::kTls12: return "TLS 1.2";
    default: return "(not negotiated)";
  }
}
bool Connection::resumed() const { return impl_->machine().negotiated().resumed; }
bool Connection::extended_master_secret() const {
  const auto& n = impl_->machine().negotiated();
  return n.version == tls::kTls13 || n.extended_master_secret;
}
uint16_t Connection::cipher_suite() const {
  return static_cast<uint16_t>(impl_->machine().negotiated().suite);
}
uint16_t Connection::group() const {
  return static_cast<uint16_t>(impl_->machine().negotiated().group);
}
uint16_t Connection::signature_scheme() const {
  return static_cast<uint16_t>(impl_->machine().negotiated().scheme);
}
std::string Connection::cipher_suite_name() const {
  return msgs::to_string(impl_->machine().negotiated().suite);
}
std::string Connection::group_name() const {
  return msgs::to_string(impl_->machine().negotiated().group);
}
std::string Connection::signature_scheme_name() const {
  return msgs::to_string(impl_->machine().negotiated().scheme);
}
const std::string& Connection::alpn() const { return impl_->machine().negotiated().alpn; }
const std::string& Connection::server_name() const {
  return impl_->machine().negotiated().server_name;
}
bool Connection::ech_accepted() const { return impl_->machine().negotiated().ech_accepted; }
const Bytes& Connection::ech_retry_configs() const {
  return impl_->machine().negotiated().ech_retry_configs;
}
bool Connection::hello_retry_request() const {
  return impl_->machine().negotiated().hello_retry_request;
}
const std::vector<Bytes>& Connection::peer_chain() const {
  return impl_->machine().negotiated().peer_chain;
}

bool Connection::external_psk() const { return impl_->machine().negotiated().external_psk; }

const std::optional<OcspStatus>& Connection::ocsp_status() const {
  return impl_->machine().negotiated().ocsp_status;
}

const std::string& Connection::client_certificate_error() const {
  return impl_->machine().negotiated().client_certificate_error;
}

namespace {

// Holds the config for as long as the connection lives; a base so it is built before the
// engine that refers to it.
struct ClientConfigHolder {
  explicit ClientConfigHolder(ClientConfig c) : config_(std::move(c)) {}
  ClientConfig config_;
};

class ClientImpl : private ClientConfigHolder, public ConnectionImpl {
 public:
  explicit ClientImpl(ClientConfig config)
      : ClientConfigHolder(std::move(config)),
        ConnectionImpl(crypto::default_provider(), config_) {}
  using ClientConfigHolder::config_;
};

}  // namespace

Result<std::unique_ptr<ClientConnection>> ClientConnection::create(ClientConfig config) {
  auto impl = std::make_unique<ClientImpl>(std::move(config));
  impl->set_client();
  impl->set_machine(
      std::make_unique<handshake::Tls13Client>(crypto::default_provider(), impl->config_, *impl));
  if (auto started = impl->start(); !started) return std::move(started).error();
  return std::unique_ptr<ClientConnection>(new ClientConnection(std::move(impl)));
}

}  // namespace tern
