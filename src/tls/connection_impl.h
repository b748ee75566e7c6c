// SPDX-License-Identifier: Apache-2.0
// The engine under Connection: record framing and protection in both directions, alerts,
// handshake reassembly, application data. The handshake logic is the role's state
// machine (src/handshake), which drives this through HandshakeIo.
#pragma once

#include <memory>
#include <algorithm>
#include <cstring>
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
  BytesView pending_output() const { return out_.view().subspan(out_start_); }
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
  Protection write_protection() const override { return write_protection_; }
  Result<void> set_write_secret(const handshake::SuiteInfo& suite, BytesView secret,
                                Protection protection) override;
  Result<void> set_read_secret(const handshake::SuiteInfo& suite, BytesView secret,
                               Protection protection) override;
  Result<void> set_write_keys12(crypto::Aead aead, BytesView key, BytesView iv) override;
  Result<void> set_read_keys12(crypto::Aead aead, BytesView key, BytesView iv) override;
  void send_warning_alert(Alert alert) override;
  void set_peer_record_size_limit(uint16_t limit) override;
  void set_own_record_size_limit(uint16_t limit) override;
  void skip_early_data(EarlyDataSkip how) override { early_data_skip_ = how; }
  // 0-RTT (connection_early_data.cpp).
  Result<void> set_early_write_secret(const handshake::SuiteInfo& suite, BytesView secret,
                                      size_t room) override;
  void close_early_write() override { early_room_ = 0; }
  Result<void> send_end_of_early_data(BytesView message) override;
  void accept_early_data(size_t limit) override {
    early_read_open_ = true;
    early_read_limit_ = limit;
  }
  size_t early_data_room() const { return early_write_cipher_ ? early_room_ : 0; }
  Result<size_t> write_early(BytesView plaintext);
  size_t early_data_received() const { return early_received_; }
  // Server: declined early data is skipped up to what its tickets allow (16 KiB at least).
  void set_early_skip_limit(size_t limit) { early_skip_limit_ = std::max<size_t>(limit, 16384); }

 private:
  Result<void> process_records();
  Result<void> handle_record(record::ContentType type, std::span<uint8_t> data);
  Result<void> handle_alert(BytesView data);
  Result<void> handle_change_cipher_spec(const record::RecordView& rec);
  // unexpected_message for a record of another type inside a fragmented handshake message.
  Result<void> check_between_messages(record::ContentType type) const;
  // Counts a record that moves nothing forward (an empty record, a warning alert) and fails
  // past `limit` in a row: a peer must not keep us busy with them.
  static Result<void> count_idle_record(size_t& count, size_t limit, const char* what);
  void install_read_cipher(record::Cipher cipher);
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
  // 0-RTT (connection_early_data.cpp): counts early application data in, within its limit.
  Result<void> count_early_data(size_t length);
  // Client: once the handshake is done, sends the early data again if it was declined.
  Result<void> settle_early_data();

  const crypto::Provider& provider_;
  const CommonConfig& config_;
  std::unique_ptr<handshake::Machine> machine_;
  std::optional<record::Cipher> read_cipher_, write_cipher_;
  Protection read_protection_ = Protection::plaintext, write_protection_ = Protection::plaintext;
  msgs::HandshakeReassembler reassembler_;

  // A byte buffer that grows without zero-filling: records are sealed straight into
  // out_, and every byte of in_ and app_in_ is written before it is read. Capacity is
  // kept across clear(), so a connection in steady state does not allocate.
  class Buffer {
   public:
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    uint8_t* data() { return data_.get(); }
    const uint8_t* data() const { return data_.get(); }
    uint8_t& operator[](size_t i) { return data_[i]; }
    BytesView view() const { return BytesView(data(), size_); }
    std::span<uint8_t> span() { return std::span<uint8_t>(data(), size_); }
    // New bytes are left uninitialised.
    void resize(size_t n) {
      reserve(n);
      size_ = n;
    }
    void append(BytesView bytes) {
      size_t at = size_;
      resize(size_ + bytes.size());
      if (!bytes.empty()) std::memcpy(data() + at, bytes.data(), bytes.size());
    }
    void erase_front(size_t n) {
      if (n >= size_) {
        size_ = 0;
        return;
      }
      std::memmove(data(), data() + n, size_ - n);
      size_ -= n;
    }
    void clear() { size_ = 0; }
    // Gives the storage back when nothing is buffered (a handshake's flights are larger than
    // what an idle connection needs to keep).
    void release_if_empty() {
      if (size_ == 0) {
        data_.reset();
        capacity_ = 0;
      }
    }
    void swap(Buffer& other) noexcept {
      std::swap(data_, other.data_);
      std::swap(size_, other.size_);
      std::swap(capacity_, other.capacity_);
    }

   private:
    void reserve(size_t n) {
      if (n <= capacity_) return;
      size_t capacity = std::max(n, 2 * capacity_);
      auto grown = std::make_unique_for_overwrite<uint8_t[]>(capacity);
      if (size_) std::memcpy(grown.get(), data(), size_);
      data_ = std::move(grown);
      capacity_ = capacity;
    }
    std::unique_ptr<uint8_t[]> data_;
    size_t size_ = 0, capacity_ = 0;
  };

  Buffer in_;   // received bytes not yet consumed
  Buffer out_;  // records to send, from out_start_
  size_t out_start_ = 0;
  Bytes handshake_out_;  // handshake messages waiting to be framed
  // Decrypted application data, from app_in_start_. When the last record of a feed()
  // brings application data and app_in_ is drained, that plaintext is not copied: the
  // receive buffer it was opened in becomes app_in_ (the two buffers swap).
  Buffer app_in_;
  size_t app_in_start_ = 0;
  bool record_ends_input_ = false;  // the record being handled is the last bytes of in_
  size_t adopt_begin_ = 0, adopt_end_ = 0;  // plaintext left in in_ for app_in_, if non-empty
  // The peer's record_size_limit (RFC 8449) as sent: in TLS 1.3 it counts the inner content
  // type byte. Without the extension a record carries up to 2^14 bytes of data in either
  // version, which 2^14 + 1 expresses for both (max_send_fragment() caps TLS 1.2 at 2^14).
  size_t peer_record_limit_ = record::kMaxPlaintext + 1;
  EarlyDataSkip early_data_skip_ = EarlyDataSkip::none;
  size_t early_data_skipped_ = 0;
  // Records without progress, in a row (reset by handshake or application data): as
  // OpenSSL (5 warning alerts, 32 empty records) and BoringSSL (4, 32) bound them.
  static constexpr size_t kMaxWarningAlerts = 5, kMaxEmptyRecords = 32;
  size_t warning_alerts_ = 0;
  size_t empty_records_ = 0;
  unsigned change_cipher_specs_ = 0;  // TLS 1.3 compatibility records received
  // Our record_size_limit once negotiated (RFC 8449): the most plaintext a protected record
  // may bring, counted as the read cipher counts it. The protocol's maximum until then.
  size_t own_record_limit_ = record::kMaxPlaintext + 1;
  // 0-RTT. Client: the early keys, the room left, and a copy of what was sent early, kept
  // until the server has answered. Server: whether early data may arrive now, and how much.
  std::optional<record::Cipher> early_write_cipher_;
  size_t early_room_ = 0;
  Bytes early_sent_;
  bool early_read_open_ = false;
  size_t early_read_limit_ = 0, early_received_ = 0;
  size_t early_skip_limit_ = 16384;
  bool sent_close_ = false;
  bool peer_closed_ = false;
  bool first_record_ = true;
  bool client_ = false;
  bool sent_record_ = false;
  bool released_handshake_ = false;
  bool release_out_when_sent_ = false;  // the handshake's output, once consumed
  std::optional<Error> error_;
};

}  // namespace tern
