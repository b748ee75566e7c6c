// SPDX-License-Identifier: Apache-2.0
// Plumbing for the TLS 1.2 engine and conformance tests, on top of tls13_test_util.h:
// TLS 1.2 configs, records and handshake messages pulled apart from wire bytes, engines
// built by hand (so a test can edit the ClientHello, or send a handshake message after the
// handshake), and TLS 1.2 record protection from the key log's master secret.
#pragma once

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <functional>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/encoding.h"
#include "handshake/credentials.h"
#include "handshake/negotiation.h"
#include "handshake/tls12_key_schedule.h"
#include "handshake/tls13_client.h"
#include "handshake/tls13_server.h"
#include "msgs/handshake.h"
#include "record/record.h"
#include "tls/connection_impl.h"
#include "tls13_test_util.h"

namespace tern::testing {

// ---- configs ----

inline ClientConfig tls12_client_config(crypto::KeyType type = crypto::KeyType::ec_p256) {
  ClientConfig config = test_client_config(type);
  config.max_version = tls::kTls12;
  return config;
}

inline std::shared_ptr<ServerConfig> tls12_server_config(
    crypto::KeyType type = crypto::KeyType::ec_p256) {
  auto config = test_server_config(type);
  config->max_version = tls::kTls12;
  return config;
}

// ---- wire bytes ----

// plaintext_record: tls13_test_util.h.
inline Bytes handshake_record(BytesView message) { return plaintext_record(22, message); }

inline Bytes concat(std::initializer_list<BytesView> parts) {
  Bytes out;
  for (BytesView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

struct WireRecord {
  uint8_t type = 0;
  uint16_t version = 0;
  Bytes fragment;
  Bytes encode() const {
    Bytes out = {type, static_cast<uint8_t>(version >> 8), static_cast<uint8_t>(version),
                 static_cast<uint8_t>(fragment.size() >> 8),
                 static_cast<uint8_t>(fragment.size())};
    out.insert(out.end(), fragment.begin(), fragment.end());
    return out;
  }
};

// Whole records only: throws on a truncated one.
inline std::vector<WireRecord> split_records(BytesView wire) {
  std::vector<WireRecord> out;
  size_t at = 0;
  while (at < wire.size()) {
    if (wire.size() - at < 5) throw std::runtime_error("split_records: truncated header");
    size_t length = size_t{wire[at + 3]} << 8 | wire[at + 4];
    if (wire.size() - at - 5 < length) throw std::runtime_error("split_records: truncated record");
    WireRecord r;
    r.type = wire[at];
    r.version = static_cast<uint16_t>(wire[at + 1] << 8 | wire[at + 2]);
    r.fragment.assign(wire.begin() + static_cast<std::ptrdiff_t>(at + 5),
                      wire.begin() + static_cast<std::ptrdiff_t>(at + 5 + length));
    out.push_back(std::move(r));
    at += 5 + length;
  }
  return out;
}

inline Bytes join_records(const std::vector<WireRecord>& records) {
  Bytes out;
  for (const auto& r : records) {
    Bytes e = r.encode();
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

// The handshake messages (header included) of the plaintext handshake records before the
// first change_cipher_spec.
inline std::vector<Bytes> plaintext_handshake_messages(BytesView wire) {
  Bytes stream;
  for (const auto& r : split_records(wire)) {
    if (r.type == 20) break;
    if (r.type == 22) stream.insert(stream.end(), r.fragment.begin(), r.fragment.end());
  }
  std::vector<Bytes> out;
  size_t at = 0;
  while (at < stream.size()) {
    if (stream.size() - at < 4) throw std::runtime_error("truncated handshake header");
    size_t length = size_t{stream[at + 1]} << 16 | size_t{stream[at + 2]} << 8 | stream[at + 3];
    if (stream.size() - at - 4 < length) throw std::runtime_error("truncated handshake message");
    out.emplace_back(stream.begin() + static_cast<std::ptrdiff_t>(at),
                     stream.begin() + static_cast<std::ptrdiff_t>(at + 4 + length));
    at += 4 + length;
  }
  return out;
}

inline msgs::ClientHello parse_client_hello(BytesView client_output) {
  auto messages = plaintext_handshake_messages(client_output);
  if (messages.empty() || messages[0][0] != 1) throw std::runtime_error("no ClientHello");
  auto hello = msgs::ClientHello::parse(BytesView(messages[0]).subspan(4));
  if (!hello) throw std::runtime_error("ClientHello: " + hello.error().detail);
  return std::move(*hello);
}

inline msgs::ServerHello parse_server_hello(BytesView server_output) {
  auto messages = plaintext_handshake_messages(server_output);
  if (messages.empty() || messages[0][0] != 2) throw std::runtime_error("no ServerHello");
  auto hello = msgs::ServerHello::parse(BytesView(messages[0]).subspan(4));
  if (!hello) throw std::runtime_error("ServerHello: " + hello.error().detail);
  return std::move(*hello);
}

// ---- moving bytes between any two engines (Connection or ConnectionImpl) ----

template <typename Conn>
Bytes take_output(Conn& conn) {
  Bytes out(conn.pending_output().begin(), conn.pending_output().end());
  conn.consume_output(out.size());
  return out;
}

template <typename From, typename To>
Result<void> move_bytes(From& from, To& to) {
  Bytes out = take_output(from);
  if (out.empty()) return ok();
  return to.feed(out);
}

// Both ways until quiet; the first error either side reported.
template <typename A, typename B>
Result<void> pump_any(A& client, B& server) {
  Result<void> first;
  for (int round = 0; round < 100; ++round) {
    if (client.pending_output().empty() && server.pending_output().empty()) return first;
    auto a = move_bytes(client, server);
    if (!a && first) first = std::move(a).error();
    auto b = move_bytes(server, client);
    if (!b && first) first = std::move(b).error();
  }
  return Error(Errc::internal, "pump_any: no quiescence after 100 rounds");
}

// ---- engines built by hand ----

// A client engine whose ClientHello a test may edit before it is sent (the TLS 1.3 client's
// test hook: it builds the ClientHello for both versions).
struct RawClient {
  std::unique_ptr<ClientConfig> config;
  std::unique_ptr<ConnectionImpl> conn;
};

inline RawClient raw_client(ClientConfig config,
                            std::function<void(msgs::ClientHello&)> hook = nullptr) {
  RawClient c;
  c.config = std::make_unique<ClientConfig>(std::move(config));
  const crypto::Provider& provider = crypto::default_provider();
  c.conn = std::make_unique<ConnectionImpl>(provider, *c.config);
  c.conn->set_client();
  auto machine = std::make_unique<handshake::Tls13Client>(provider, *c.config, *c.conn);
  if (hook) machine->set_client_hello_hook(std::move(hook));
  c.conn->set_machine(std::move(machine));
  if (auto started = c.conn->start(); !started)
    throw std::runtime_error("raw_client: " + started.error().detail);
  return c;
}

// A server engine a test can make send arbitrary handshake messages (HelloRequest).
struct RawServer {
  std::shared_ptr<ServerConfig> config;
  std::unique_ptr<ConnectionImpl> conn;
};

inline RawServer raw_server(std::shared_ptr<ServerConfig> config) {
  RawServer s;
  s.config = std::move(config);
  const crypto::Provider& provider = crypto::default_provider();
  auto credentials = handshake::make_server_context(provider, *s.config);
  if (!credentials) throw std::runtime_error("raw_server: " + credentials.error().detail);
  s.conn = std::make_unique<ConnectionImpl>(provider, *s.config);
  s.conn->set_machine(std::make_unique<handshake::Tls13Server>(
      provider, *s.config, *s.conn,
      std::make_shared<const handshake::ServerContext>(std::move(*credentials))));
  if (auto started = s.conn->start(); !started)
    throw std::runtime_error("raw_server: " + started.error().detail);
  return s;
}

// Queues one handshake message under the engine's current write keys and flushes it (an
// empty feed flushes pending handshake output).
inline Result<void> send_handshake_now(ConnectionImpl& conn, BytesView message) {
  conn.send_handshake(message);
  return conn.feed({});
}

// ---- alerts seen by an engine ----

class AlertRecorder : public Observer {
 public:
  struct Seen {
    Direction direction;
    uint8_t level, description;
  };
  void on_alert(Direction d, uint8_t level, uint8_t description) override {
    alerts.push_back({d, level, description});
  }
  size_t count(Direction d, uint8_t level, Alert description) const {
    size_t n = 0;
    for (const auto& a : alerts)
      n += a.direction == d && a.level == level && a.description == static_cast<uint8_t>(description);
    return n;
  }
  std::vector<Seen> alerts;
};

// ---- TLS 1.2 keys from the key log ----

// "CLIENT_RANDOM <client random> <master secret>" (NSS key log format).
struct ClientRandomLine {
  Bytes client_random, master_secret;
};

inline std::optional<ClientRandomLine> parse_client_random_line(const std::string& line) {
  static const std::regex kLine("^CLIENT_RANDOM ([0-9a-f]{64}) ([0-9a-f]{96})$");
  std::smatch m;
  if (!std::regex_match(line, m, kLine)) return std::nullopt;
  return ClientRandomLine{*base::unhex(m[1].str()), *base::unhex(m[2].str())};
}

// Seals and opens TLS 1.2 records as one side of a session whose master secret is known.
class Tls12Session {
 public:
  Tls12Session(msgs::CipherSuite suite, BytesView master, const msgs::Random& client_random,
               const msgs::Random& server_random)
      : info_(*handshake::tls12_suite_info(suite)) {
    auto keys = handshake::tls12_key_block(crypto::default_provider(), info_.hash, info_.aead,
                                           master, client_random, server_random);
    if (!keys) throw std::runtime_error("tls12_key_block: " + keys.error().detail);
    keys_.emplace(std::move(*keys));
  }

  // A fresh cipher (sequence number 0) for one direction.
  record::Cipher cipher(bool server_writes) const {
    const auto& key = server_writes ? keys_->server_key : keys_->client_key;
    const auto& iv = server_writes ? keys_->server_iv : keys_->client_iv;
    auto c = record::Cipher::create(crypto::default_provider(), record::Version::tls12,
                                    info_.aead, key.view(), iv.view());
    if (!c) throw std::runtime_error("Cipher::create: " + c.error().detail);
    return std::move(*c);
  }
  const handshake::Tls12SuiteInfo& info() const { return info_; }
  const handshake::Tls12Keys& keys() const { return *keys_; }

 private:
  handshake::Tls12SuiteInfo info_;
  std::optional<handshake::Tls12Keys> keys_;
};

inline Bytes seal_record(record::Cipher& cipher, msgs::ContentType type, BytesView data) {
  Bytes out(cipher.plaintext_offset() + data.size() + cipher.overhead());
  std::copy(data.begin(), data.end(), out.begin() + static_cast<std::ptrdiff_t>(cipher.plaintext_offset()));
  auto size = cipher.seal(type, out, data.size());
  if (!size) throw std::runtime_error("seal: " + size.error().detail);
  out.resize(*size);
  return out;
}

// Opens one whole record; nullopt if it does not authenticate.
inline std::optional<std::pair<msgs::ContentType, Bytes>> open_record(record::Cipher& cipher,
                                                                      const WireRecord& rec) {
  Bytes fragment = rec.fragment;
  record::RecordView view{static_cast<msgs::ContentType>(rec.type), rec.version, fragment};
  auto opened = cipher.open(view);
  if (!opened) return std::nullopt;
  return std::make_pair(opened->type, Bytes(opened->data.begin(), opened->data.end()));
}

inline msgs::Random to_random(BytesView b) {
  if (b.size() != 32) throw std::runtime_error("to_random: not 32 bytes");
  msgs::Random r;
  std::copy(b.begin(), b.end(), r.begin());
  return r;
}

inline Bytes bytes_of(const base::SecretBytes& s) { return Bytes(s.view().begin(), s.view().end()); }

// ---- OpenSSL as an independent oracle ----

// The TLS 1.2 PRF (RFC 5246 §5) by libcrypto's TLS1-PRF: PRF(secret, label, seed).
inline Bytes openssl_tls12_prf(crypto::Hash hash, BytesView secret, std::string_view label,
                               BytesView seed, size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
  if (!kdf) throw std::runtime_error("EVP_KDF_fetch(TLS1-PRF) failed");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (!ctx) throw std::runtime_error("EVP_KDF_CTX_new failed");
  Bytes label_seed(label.begin(), label.end());
  label_seed.insert(label_seed.end(), seed.begin(), seed.end());
  std::string digest = hash == crypto::Hash::sha384 ? "SHA384" : "SHA256";
  Bytes secret_copy(secret.begin(), secret.end());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, secret_copy.data(),
                                        secret_copy.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, label_seed.data(), label_seed.size()),
      OSSL_PARAM_construct_end()};
  Bytes out(length);
  int rc = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (rc != 1) throw std::runtime_error("EVP_KDF_derive(TLS1-PRF) failed");
  return out;
}

inline Bytes openssl_digest(crypto::Hash hash, BytesView data) {
  const EVP_MD* md = hash == crypto::Hash::sha384 ? EVP_sha384() : EVP_sha256();
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1)
    throw std::runtime_error("EVP_Digest failed");
  out.resize(len);
  return out;
}

// X25519(private scalar, peer public value) by libcrypto (RFC 7748).
inline Bytes openssl_x25519(BytesView private_key, BytesView peer_public) {
  EVP_PKEY* mine =
      EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, private_key.data(), private_key.size());
  EVP_PKEY* peer =
      EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_public.data(), peer_public.size());
  EVP_PKEY_CTX* ctx = mine ? EVP_PKEY_CTX_new(mine, nullptr) : nullptr;
  Bytes out(32);
  size_t len = out.size();
  bool good = ctx && peer && EVP_PKEY_derive_init(ctx) == 1 &&
              EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
              EVP_PKEY_derive(ctx, out.data(), &len) == 1 && len == 32;
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(peer);
  EVP_PKEY_free(mine);
  if (!good) throw std::runtime_error("X25519 by OpenSSL failed");
  return out;
}

}  // namespace tern::testing
