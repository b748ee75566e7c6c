// The engine under Connection: record framing and protection in both directions, alerts,
// handshake reassembly, application data. The handshake logic is the role's state
// machine (src/handshake), which drives this through HandshakeIo.
#pragma once

#include <memory>
#include <optional>

#include "handshake/machine.h"
#include "record/record.h"

namespace tern {

class ConnectionImpl : public handshake::HandshakeIo {
 public:
  ConnectionImpl(const crypto::Provider& provider, const CommonConfig& config);
  ~ConnectionImpl() override;

  void set_machine(std::unique_ptr<handshake::Machine> machine) { machine_ = std::move(machine); }
  handshake::Machine& machine() { return *machine_; }
  const handshake::Machine& machine() const { return *machine_; }
  // The client's initial ClientHello record says 0x0301 (RFC 8446 §5.1, as common practice).
  void set_client() { client_ = true; }
  // Runs the machine's start() and flushes its output.
  Result<void> start();

  Result<void> feed(BytesView received);
  BytesView pending_output() const { return BytesView(out_).subspan(out_start_); }
  void consume_output(size_t n);
  size_t read(std::span<uint8_t> out);
  size_t readable() const { return app_in_.size() - app_in_start_; }
  Result<void> write(BytesView plaintext);
  void close();
  Result<void> update_keys(bool request_peer);

  bool handshake_done() const { return machine_->done(); }
  bool peer_closed() const { return peer_closed_; }
  bool closed() const { return error_.has_value() || (peer_closed_ && sent_close_); }
  bool wants_read() const { return !error_ && !peer_closed_; }
  const std::optional<Error>& error() const { return error_; }

  // HandshakeIo
  void send_handshake(BytesView message) override;
  void send_change_cipher_spec() override;
  Result<void> set_write_secret(const handshake::SuiteInfo& suite, BytesView secret,
                                Protection protection) override;
  Result<void> set_read_secret(const handshake::SuiteInfo& suite, BytesView secret,
                               Protection protection) override;
  Result<void> set_write_keys12(crypto::Aead aead, BytesView key, BytesView iv) override;
  Result<void> set_read_keys12(crypto::Aead aead, BytesView key, BytesView iv) override;
  void send_warning_alert(Alert alert) override;
  void set_peer_record_size_limit(uint16_t limit) override;
  void skip_early_data(EarlyDataSkip how) override { early_data_skip_ = how; }

 private:
  Result<void> process_records();
  Result<void> handle_record(record::ContentType type, std::span<uint8_t> data);
  Result<void> handle_alert(BytesView data);
  Result<void> handle_change_cipher_spec(const record::RecordView& rec);
  // Feeds one message to the machine; a machine that hands over to another version is
  // replaced by its successor.
  Result<void> deliver(const msgs::HandshakeMessage& message);
  bool tls12() const { return machine_->version() == tls::kTls12; }
  // Counts a record of declined 0-RTT data; false once more than the limit was dropped.
  bool drop_early_data(const record::RecordView& rec);
  // Seals (or frames, before keys) one record of `data` into the output.
  Result<void> emit_record(record::ContentType type, BytesView data);
  Result<void> flush_handshake();
  Result<void> fail(Error error);
  void send_alert(Alert alert);
  size_t max_send_fragment() const;

  const crypto::Provider& provider_;
  const CommonConfig& config_;
  std::unique_ptr<handshake::Machine> machine_;
  std::optional<record::Cipher> read_cipher_, write_cipher_;
  Protection read_protection_ = Protection::plaintext;
  msgs::HandshakeReassembler reassembler_;

  Bytes in_;   // received bytes not yet consumed
  Bytes out_;  // records to send, from out_start_
  size_t out_start_ = 0;
  Bytes handshake_out_;  // handshake messages waiting to be framed
  Bytes app_in_;         // decrypted application data, from app_in_start_
  size_t app_in_start_ = 0;
  size_t peer_record_limit_ = record::kMaxPlaintext;
  EarlyDataSkip early_data_skip_ = EarlyDataSkip::none;
  size_t early_data_skipped_ = 0;
  size_t warnings_received_ = 0;
  bool sent_close_ = false;
  bool peer_closed_ = false;
  bool first_record_ = true;
  bool client_ = false;
  bool sent_record_ = false;
  bool released_handshake_ = false;
  std::optional<Error> error_;
};

}  // namespace tern
