// SPDX-License-Identifier: Apache-2.0
#include "handshake/ech_server.h"

#include <algorithm>

#include "handshake/key_schedule.h"

namespace tern::handshake {

using msgs::ExtensionType;

namespace {

Bytes hpke_info(const msgs::EchConfig& config) {
  Bytes info = {'t', 'l', 's', ' ', 'e', 'c', 'h', 0};
  info.insert(info.end(), config.encoded.begin(), config.encoded.end());
  return info;
}

Result<SecretBytes> confirmation(const crypto::Provider& p, crypto::Hash hash,
                                 std::string_view label, BytesView inner_random,
                                 BytesView transcript_hash) {
  SecretBytes secret = p.hkdf_extract(hash, {}, inner_random);
  return hkdf_expand_label(p, hash, secret.view(), label, transcript_hash,
                           msgs::kEchConfirmationSize);
}

Error ech_illegal(const std::string& what) {
  return Error(Errc::protocol, "ECH: " + what, Alert::illegal_parameter);
}

}  // namespace

Result<EchServerKeys> EchServer::load_keys(const crypto::Provider& provider,
                                           const ServerConfig& config) {
  EchServerKeys out;
  std::vector<BytesView> retry;
  for (const auto& source : config.ech_keys) {
    std::string which = "ECH key " + std::to_string(out.keys.size() + 1) + ": ";
    TERN_TRY(auto list, msgs::parse_ech_config_list(msgs::encode_ech_config_list({source.config})));
    if (list.configs.size() != 1)
      return Error(Errc::usage, which + "the config is not one ECHConfig of version 0xfe0d");
    EchServerKey key;
    key.config = std::move(list.configs[0]);
    if (key.config.kem_id != crypto::hpke::kKemX25519Sha256)
      return Error(Errc::unsupported, which + "only DHKEM(X25519, HKDF-SHA256) keys are supported");
    if (source.private_key.size() != crypto::hpke::kX25519KeySize)
      return Error(Errc::decode, which + "an X25519 private key is 32 bytes");
    TERN_TRY(key.private_key, provider.key_share_from_private(crypto::Group::x25519,
                                                              source.private_key));
    if (!equal(key.private_key->public_key(), key.config.public_key))
      return Error(Errc::usage, which + "the private key does not belong to the config's public key");
    key.hpke_info = hpke_info(key.config);
    key.retry = source.retry;
    out.keys.push_back(std::move(key));
  }
  for (const auto& key : out.keys)
    if (key.retry) retry.push_back(key.config.encoded);
  if (!retry.empty()) out.retry_configs = msgs::encode_ech_config_list(retry);
  return out;
}

Result<std::optional<Bytes>> EchServer::try_decrypt(const msgs::EchClientHello& ech, BytesView aad) {
  // Every key with the client's config_id is tried: ids are one byte and may collide (§7.1).
  for (const auto& key : keys_.keys) {
    if (key.config.config_id != ech.config_id) continue;
    const auto& suites = key.config.cipher_suites;
    if (std::find(suites.begin(), suites.end(), ech.cipher_suite) == suites.end()) continue;
    crypto::hpke::Suite suite{key.config.kem_id, ech.cipher_suite.kdf_id, ech.cipher_suite.aead_id};
    if (!crypto::hpke::supported(suite) || suite.aead == crypto::hpke::kAeadExportOnly) continue;
    auto context = crypto::hpke::setup_base_receiver(provider_, suite, ech.enc, *key.private_key,
                                                     key.hpke_info);
    if (!context) continue;  // a bad enc is a decryption failure, not an error (§7.1)
    auto plain = (*context)->open(aad, ech.payload);
    if (!plain) continue;
    hpke_ = std::move(*context);
    return std::optional<Bytes>(std::move(*plain));
  }
  return std::optional<Bytes>();
}

Result<std::optional<msgs::HandshakeMessage>> EchServer::open(const msgs::ClientHello& hello,
                                                              const msgs::HandshakeMessage& message,
                                                              bool retry) {
  using Out = std::optional<msgs::HandshakeMessage>;
  const msgs::Extension* ext = hello.find(ExtensionType::encrypted_client_hello);
  if (!ext) {
    if (retry && accepted_)
      return ech_illegal("the second ClientHello dropped encrypted_client_hello");
    return Out();
  }
  auto* raw = ext->get<msgs::RawExtension>();
  if (!raw) return Out();
  TERN_TRY(auto ech, msgs::EchClientHello::parse(raw->data));
  if (ech.type == msgs::EchClientHelloType::inner)
    return ech_illegal("an inner encrypted_client_hello in a ClientHelloOuter");
  offered_ = true;
  if (retry && !accepted_) return Out();  // rejected once, rejected for good
  if (retry && (!ech.enc.empty() || ech.config_id != first_.config_id ||
                ech.cipher_suite != first_.cipher_suite))
    return ech_illegal("the second ClientHelloOuter changes the ECH config, suite or enc");
  // The AAD: the ClientHelloOuter with the payload zeroed (§5.2).
  msgs::ClientHello aad_hello = hello;
  msgs::EchClientHello zeroed = ech;
  std::fill(zeroed.payload.begin(), zeroed.payload.end(), 0);
  for (auto& e : aad_hello.extensions)
    if (e.type == ExtensionType::encrypted_client_hello) e.body = msgs::RawExtension{zeroed.encode()};
  Bytes aad = aad_hello.encode();
  if (aad.size() != message.encoded.size()) return Out();  // not canonically encoded
  BytesView aad_body = BytesView(aad).subspan(4);
  std::optional<Bytes> plain;
  if (retry) {
    auto opened = hpke_->open(aad_body, ech.payload);
    if (!opened)
      return Error(Errc::crypto, "ECH: the second ClientHelloOuter does not decrypt",
                   Alert::decrypt_error);
    plain = std::move(*opened);
  } else {
    TERN_TRY(plain, try_decrypt(ech, aad_body));
    if (!plain) return Out();
    first_ = ech;
  }
  TERN_TRY(auto inner_message, msgs::decode_client_hello_inner(*plain, message.body()));
  TERN_TRY(auto inner, msgs::ClientHello::parse(BytesView(inner_message).subspan(4)));
  const msgs::Extension* marker = inner.find(ExtensionType::encrypted_client_hello);
  auto* marker_raw = marker ? marker->get<msgs::RawExtension>() : nullptr;
  if (!marker_raw || marker_raw->data != Bytes{1})
    return ech_illegal("the ClientHelloInner lacks the inner encrypted_client_hello");
  auto* versions = inner.get<msgs::SupportedVersionsList>(ExtensionType::supported_versions);
  if (!versions || std::any_of(versions->versions.begin(), versions->versions.end(), [](auto v) {
        return v != msgs::ProtocolVersion::tls13 && (static_cast<uint16_t>(v) & 0x0f0f) != 0x0a0a;
      }))
    return ech_illegal("the ClientHelloInner offers a version other than TLS 1.3");
  accepted_ = true;
  return Out(msgs::HandshakeMessage{msgs::HandshakeType::client_hello, std::move(inner_message)});
}

Result<void> EchServer::confirm_server_hello(Bytes& server_hello, BytesView inner_random,
                                             const Transcript& transcript) const {
  constexpr size_t kRandomEnd = 4 + 2 + 32;
  auto at = server_hello.begin() + kRandomEnd - msgs::kEchConfirmationSize;
  std::fill(at, at + msgs::kEchConfirmationSize, 0);
  TERN_TRY(auto conf, confirmation(provider_, transcript.hash(), "ech accept confirmation",
                                   inner_random, transcript.current_with(server_hello)));
  std::copy(conf.view().begin(), conf.view().end(), at);
  return ok();
}

Result<Bytes> EchServer::encode_hello_retry_request(msgs::ServerHello hrr, BytesView inner_random,
                                                    const Transcript& transcript) const {
  hrr.extensions.push_back({ExtensionType::encrypted_client_hello,
                            msgs::RawExtension{Bytes(msgs::kEchConfirmationSize, 0)}});
  Bytes encoded = hrr.encode();
  TERN_TRY(auto conf, confirmation(provider_, transcript.hash(), "hrr ech accept confirmation",
                                   inner_random, transcript.current_with(encoded)));
  std::copy(conf.view().begin(), conf.view().end(), encoded.end() - msgs::kEchConfirmationSize);
  return encoded;
}

Result<void> EchServer::add_retry_configs(msgs::Extensions& extensions) const {
  if (!offered_ || accepted_ || keys_.retry_configs.empty()) return ok();
  extensions.push_back({ExtensionType::encrypted_client_hello,
                        msgs::RawExtension{keys_.retry_configs}});
  return ok();
}

}  // namespace tern::handshake
