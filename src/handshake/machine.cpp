// SPDX-License-Identifier: Apache-2.0
#include "handshake/machine.h"

#include <ctime>

#include "msgs/print.h"

namespace tern::handshake {

std::string hex_lower(BytesView b) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (uint8_t c : b) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

Error unexpected(bool from_server, msgs::HandshakeType got, const char* expected) {
  return Error(Errc::protocol,
               std::string("the ") + (from_server ? "server" : "client") + " sent " +
                   msgs::to_string(got) + " where " + expected + " was expected",
               Alert::unexpected_message);
}

Error illegal(std::string what) {
  return Error(Errc::protocol, std::move(what), Alert::illegal_parameter);
}

Result<void> Machine::choose_alpn(const msgs::ClientHello& hello) {
  auto* alpn = hello.get<msgs::AlpnProtocols>(
      msgs::ExtensionType::application_layer_protocol_negotiation);
  if (!alpn || config_.alpn.empty()) return ok();
  auto chosen = first_common(config_.alpn, alpn->protocols);
  if (!chosen)
    return Error(Errc::protocol,
                 "no application protocol in common: the client offers " +
                     std::to_string(alpn->protocols.size()) + " that this server does not serve",
                 Alert::no_application_protocol);
  negotiated_.alpn = *chosen;
  return ok();
}

Result<void> Machine::on_change_cipher_spec() {
  return Error(Errc::protocol, "unexpected change_cipher_spec record", Alert::unexpected_message);
}

void Machine::random(std::span<uint8_t> out) const {
  if (config_.random) {
    config_.random(out);
    return;
  }
  // A failing CSPRNG leaves zeros rather than uninitialised bytes; the provider's failure
  // is not recoverable here.
  if (!provider_.random(out)) std::fill(out.begin(), out.end(), 0);
}

int64_t Machine::now() const {
  return config_.now ? config_.now() : static_cast<int64_t>(std::time(nullptr));
}

Result<std::unique_ptr<crypto::KeyShare>> Machine::make_key_share(msgs::NamedGroup group) const {
  auto g = static_cast<crypto::Group>(group);
  if (config_.key_share_private_key) {
    Bytes key = config_.key_share_private_key(static_cast<uint16_t>(group));
    if (!key.empty()) return provider_.key_share_from_private(g, key);
  }
  return provider_.generate_key_share(g);
}

msgs::DescribeOptions Machine::describe_options() const {
  msgs::DescribeOptions options;
  if (negotiated_.version == tls::kTls12) options.version = msgs::ProtocolVersion::tls12;
  options.rsa_key_exchange = negotiated_.suite == msgs::CipherSuite::tls_rsa_with_aes_128_gcm_sha256 ||
                             negotiated_.suite == msgs::CipherSuite::tls_rsa_with_aes_256_gcm_sha384;
  return options;
}

void Machine::send_message(const Bytes& message) {
  transcript_.add(message);
  io_.send_handshake(message);
  observe_sent(message);
}

void Machine::observe_sent(BytesView message) const {
  if (config_.observer)
    config_.observer->on_handshake_message(Direction::sent, io_.write_protection(), message[0],
                                           message,
                                           msgs::describe_handshake(message, describe_options()));
}

void Machine::observe_received(const msgs::HandshakeMessage& message,
                               Protection protection) const {
  if (config_.observer)
    config_.observer->on_handshake_message(
        Direction::received, protection, static_cast<uint8_t>(message.type), message.encoded,
        msgs::describe_handshake(message.encoded, describe_options()));
}

void Machine::observe_stage(const std::string& stage) const {
  if (config_.observer) config_.observer->on_key_schedule(stage);
}

void Machine::keylog(const char* label, BytesView secret) const {
  if (!config_.keylog) return;
  config_.keylog(std::string(label) + " " + hex_lower(client_random_) + " " + hex_lower(secret));
}

}  // namespace tern::handshake
