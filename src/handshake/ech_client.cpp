// SPDX-License-Identifier: Apache-2.0
#include "handshake/ech_client.h"

#include <algorithm>

#include "base/encoding.h"
#include "base/secret.h"
#include "handshake/key_schedule.h"

namespace tern::handshake {

using msgs::ExtensionType;

namespace {

// Extensions the inner hello shares with the outer one, sent once (ech_outer_extensions).
bool compressible(ExtensionType t) {
  return t == ExtensionType::supported_groups || t == ExtensionType::signature_algorithms ||
         t == ExtensionType::supported_versions || t == ExtensionType::key_share ||
         t == ExtensionType::ec_point_formats;
}

// The first run of consecutive compressible extensions: one ech_outer_extensions stands in
// for them, and the server's expansion puts them back at the same place.
std::vector<ExtensionType> compress_run(const msgs::Extensions& extensions) {
  std::vector<ExtensionType> run;
  for (const auto& ext : extensions) {
    if (compressible(ext.type)) {
      run.push_back(ext.type);
    } else if (!run.empty()) {
      break;
    }
  }
  return run;
}

std::string why_unusable(const msgs::EchConfig& c) {
  if (!crypto::hpke::supported_kem(c.kem_id))
    return "KEM " + std::to_string(c.kem_id) + " (tern has DHKEM(X25519, HKDF-SHA256), 32)";
  if (c.public_key.size() != crypto::hpke::kX25519KeySize) return "a public key not 32 bytes";
  if (!msgs::valid_public_name(c.public_name)) return "an invalid public_name";
  for (const auto& e : c.extensions)
    if (e.mandatory()) return "a mandatory extension " + std::to_string(e.type) + " tern lacks";
  for (const auto& s : c.cipher_suites)
    if (crypto::hpke::supported_kdf(s.kdf_id) && crypto::hpke::supported_aead(s.aead_id) &&
        s.aead_id != crypto::hpke::kAeadExportOnly)
      return "";
  return "no cipher suite tern supports";
}

}  // namespace

Result<std::unique_ptr<EchClient>> EchClient::create(const crypto::Provider& provider,
                                                     const ClientConfig& config, RandomFn random) {
  if (config.max_version < tls::kTls13) return std::unique_ptr<EchClient>();
  std::unique_ptr<EchClient> ech(new EchClient(provider, std::move(random)));
  if (config.ech_config_list.empty()) {
    if (!config.ech_grease) return std::unique_ptr<EchClient>();
    return ech;
  }
  if (config.min_version < tls::kTls13)
    return Error(Errc::usage, "ECH needs TLS 1.3 only: set min_version to TLS 1.3");
  TERN_TRY(auto list, msgs::parse_ech_config_list(config.ech_config_list));
  std::string reasons;
  for (auto& c : list.configs) {
    std::string why = why_unusable(c);
    if (!why.empty()) {
      reasons += (reasons.empty() ? "" : "; ") + ("config " + std::to_string(c.config_id) + ": " + why);
      continue;
    }
    for (const auto& s : c.cipher_suites)
      if (crypto::hpke::supported_kdf(s.kdf_id) && crypto::hpke::supported_aead(s.aead_id) &&
          s.aead_id != crypto::hpke::kAeadExportOnly) {
        ech->suite_ = s;
        break;
      }
    ech->config_ = std::move(c);
    return ech;
  }
  if (list.skipped_versions) reasons += (reasons.empty() ? "" : "; ") + std::to_string(list.skipped_versions) + " of another version";
  return Error(Errc::unsupported, "the ECHConfigList has no config tern can use (" + reasons + ")");
}

void EchClient::mark_hello(msgs::ClientHello& hello) {
  msgs::EchClientHello ech;
  if (config_) {
    if (auto* sni = hello.get<msgs::ServerNameList>(ExtensionType::server_name))
      inner_server_name_ = sni->host_names.empty() ? "" : sni->host_names[0];
    ech.type = msgs::EchClientHelloType::inner;
  } else if (!after_hrr_ || outer_hello_.empty()) {
    // GREASE (§6.2): an outer extension a server without ECH cannot tell from a real one.
    // One draw for all its random bytes: each call to the CSPRNG has a fixed cost.
    constexpr size_t kEnc = crypto::hpke::kX25519KeySize, kMaxPayload = 144 + 32 * 3 + 16;
    uint8_t noise[2 + kEnc + kMaxPayload];
    random_(noise);
    ech.cipher_suite = {crypto::hpke::kKdfSha256, crypto::hpke::kAeadAes128Gcm};
    ech.config_id = noise[0];
    ech.enc.assign(noise + 2, noise + 2 + kEnc);
    ech.payload.assign(noise + 2 + kEnc, noise + 2 + kEnc + 144 + 32 * (noise[1] % 4) + 16);
    outer_hello_ = ech.encode();  // GREASE keeps the extension for a second hello
  }
  Bytes body = config_ ? ech.encode() : outer_hello_;
  hello.extensions.push_back({ExtensionType::encrypted_client_hello, msgs::RawExtension{body}});
}

Result<Bytes> EchClient::send_hello(const msgs::ClientHello& hello, const Bytes& encoded,
                                    Transcript& transcript) {
  if (!config_) {
    transcript.add(encoded);
    return encoded;
  }
  // Parse what is sent: the PSK binders were filled in after the hello was encoded.
  TERN_TRY(auto inner, msgs::ClientHello::parse(BytesView(encoded).subspan(4)));
  (void)hello;
  std::vector<ExtensionType> run = compress_run(inner.extensions);
  Bytes encoded_inner = msgs::encode_client_hello_inner(
      inner, run, config_->maximum_name_length, inner_server_name_.size());

  if (!hpke_) {
    Bytes info = {'t', 'l', 's', ' ', 'e', 'c', 'h', 0};
    info.insert(info.end(), config_->encoded.begin(), config_->encoded.end());
    crypto::hpke::Suite suite{config_->kem_id, suite_.kdf_id, suite_.aead_id};
    TERN_TRY(auto setup, crypto::hpke::setup_base_sender(provider_, suite, config_->public_key, info));
    hpke_ = std::move(setup.context);
    random_(outer_random_);
    enc_ = std::move(setup.enc);
  }
  msgs::ClientHello outer;
  outer.legacy_version = inner.legacy_version;
  outer.random = outer_random_;
  outer.legacy_session_id = inner.legacy_session_id;
  outer.cipher_suites = inner.cipher_suites;
  outer.legacy_compression_methods = inner.legacy_compression_methods;
  for (const auto& ext : inner.extensions) {
    switch (ext.type) {
      case ExtensionType::server_name:
        outer.extensions.push_back(
            {ExtensionType::server_name, msgs::ServerNameList{{config_->public_name}}});
        break;
      case ExtensionType::encrypted_client_hello:
      case ExtensionType::pre_shared_key:  // a ticket would link the two hellos
        break;
      default:
        // early_data too (§6.1 rule 7): a server that rejects ECH then skips the early
        // records (sealed under the inner hello's keys) instead of failing on them.
        outer.extensions.push_back(ext);
    }
  }
  if (!inner.find(ExtensionType::server_name))
    outer.extensions.insert(outer.extensions.begin(),
                            {ExtensionType::server_name, msgs::ServerNameList{{config_->public_name}}});
  msgs::EchClientHello ech;
  ech.cipher_suite = suite_;
  ech.config_id = config_->config_id;
  if (!after_hrr_) ech.enc = enc_;  // a second hello reuses the HPKE context (§6.1.5)
  ech.payload.assign(encoded_inner.size() + crypto::kAeadTagSize, 0);
  outer.extensions.push_back({ExtensionType::encrypted_client_hello, msgs::RawExtension{ech.encode()}});
  size_t ech_at = outer.extensions.size() - 1;
  // A ticket offered inside shows outside as a GREASE pre_shared_key (§6.1.2), last as
  // pre_shared_key must be; psk_key_exchange_modes was copied above.
  if (auto* psk = inner.get<msgs::PreSharedKeyOffer>(ExtensionType::pre_shared_key))
    outer.extensions.push_back({ExtensionType::pre_shared_key, grease_psk(*psk)});
  // The AAD is the outer hello with the payload zeroed (§5.2).
  Bytes aad_message = outer.encode();
  TERN_TRY(ech.payload, hpke_->seal(BytesView(aad_message).subspan(4), encoded_inner));
  outer.extensions[ech_at].body = msgs::RawExtension{ech.encode()};
  outer_hello_ = outer.encode();
  if (!after_hrr_) outer_hello1_ = outer_hello_;
  transcript.add(rejected() ? BytesView(outer_hello_) : BytesView(encoded));
  return outer_hello_;
}

msgs::PreSharedKeyOffer EchClient::grease_psk(const msgs::PreSharedKeyOffer& inner) {
  // The identities and ages stay the same in a second hello, as a real ticket's would.
  bool same_shape = grease_psk_.identities.size() == inner.identities.size();
  for (size_t i = 0; same_shape && i < inner.identities.size(); ++i)
    same_shape = grease_psk_.identities[i].identity.size() == inner.identities[i].identity.size();
  if (!same_shape) {
    grease_psk_.identities.clear();
    for (const auto& real : inner.identities) {
      msgs::PskIdentity fake;
      fake.identity.resize(real.identity.size());
      random_(fake.identity);
      uint8_t age[4];
      random_(age);
      fake.obfuscated_ticket_age = static_cast<uint32_t>(age[0]) << 24 |
                                   static_cast<uint32_t>(age[1]) << 16 |
                                   static_cast<uint32_t>(age[2]) << 8 | age[3];
      grease_psk_.identities.push_back(std::move(fake));
    }
  }
  grease_psk_.binders.clear();
  for (const auto& real : inner.binders) {
    Bytes binder(real.size());
    random_(binder);
    grease_psk_.binders.push_back(std::move(binder));
  }
  return grease_psk_;
}

Result<bool> EchClient::confirmed(std::string_view label, BytesView inner_random,
                                  BytesView transcript_hash, BytesView confirmation,
                                  crypto::Hash hash) const {
  SecretBytes secret = provider_.hkdf_extract(hash, {}, inner_random);
  TERN_TRY(auto expected, hkdf_expand_label(provider_, hash, secret.view(), label,
                                            transcript_hash, msgs::kEchConfirmationSize));
  return confirmation.size() == msgs::kEchConfirmationSize &&
         base::constant_time_equal(expected.view(), confirmation);
}

Result<void> EchClient::on_hello_retry_request(const msgs::ServerHello& hrr, BytesView hrr_encoded,
                                               Transcript& transcript,
                                               msgs::Random& client_random) {
  after_hrr_ = true;
  if (!config_) return ok();
  bool accepted = false;
  if (auto* ext = hrr.find(ExtensionType::encrypted_client_hello)) {
    auto* raw = ext->get<msgs::RawExtension>();
    if (!raw || raw->data.size() != msgs::kEchConfirmationSize)
      return Error(Errc::decode, "the HelloRetryRequest's encrypted_client_hello is not 8 bytes",
                   Alert::decode_error);
    msgs::ServerHello zeroed = hrr;
    for (auto& e : zeroed.extensions)
      if (e.type == ExtensionType::encrypted_client_hello)
        e.body = msgs::RawExtension{Bytes(msgs::kEchConfirmationSize, 0)};
    Bytes zeroed_encoded = zeroed.encode();
    TERN_TRY(accepted, confirmed("hrr ech accept confirmation", client_random,
                                 transcript.current_with(zeroed_encoded), raw->data,
                                 transcript.hash()));
  }
  (void)hrr_encoded;
  if (accepted) return ok();
  decision_ = Decision::rejected;
  crypto::Hash hash = transcript.hash();
  Transcript outer(provider_);
  outer.add(outer_hello1_);
  outer.start(hash);
  outer.replace_with_message_hash();
  transcript = std::move(outer);
  client_random = outer_random_;
  return ok();
}

Result<void> EchClient::on_server_hello(BytesView server_hello_encoded, Transcript& transcript,
                                        msgs::Random& client_random) {
  if (!config_ || rejected()) return ok();
  constexpr size_t kRandomEnd = 4 + 2 + 32;  // header, legacy_version, random
  if (server_hello_encoded.size() < kRandomEnd)
    return Error(Errc::internal, "ECH: a ServerHello shorter than its random");
  Bytes zeroed(server_hello_encoded.begin(), server_hello_encoded.end());
  std::fill(zeroed.begin() + kRandomEnd - msgs::kEchConfirmationSize,
            zeroed.begin() + kRandomEnd, 0);
  TERN_TRY(bool accepted,
           confirmed("ech accept confirmation", client_random, transcript.current_with(zeroed),
                     server_hello_encoded.subspan(kRandomEnd - msgs::kEchConfirmationSize,
                                                  msgs::kEchConfirmationSize),
                     transcript.hash()));
  if (accepted) {
    decision_ = Decision::accepted;
    return ok();
  }
  if (after_hrr_)  // the HelloRetryRequest confirmed ECH, so the ServerHello must too
    return Error(Errc::protocol,
                 "the server accepted ECH in its HelloRetryRequest but not in its ServerHello",
                 Alert::illegal_parameter);
  decision_ = Decision::rejected;
  crypto::Hash hash = transcript.hash();
  Transcript outer(provider_);
  outer.add(outer_hello_);
  outer.start(hash);
  transcript = std::move(outer);
  client_random = outer_random_;
  return ok();
}

Result<void> EchClient::on_encrypted_extensions(const msgs::Extensions& extensions) {
  const msgs::Extension* ext = msgs::find_extension(extensions, ExtensionType::encrypted_client_hello);
  if (!ext) return ok();
  if (accepted())
    return Error(Errc::protocol,
                 "the server sent retry_configs although it accepted ECH (RFC 9849 §7.1)",
                 Alert::unsupported_extension);
  auto* raw = ext->get<msgs::RawExtension>();
  if (!raw) return ok();
  // The syntax is checked even under GREASE; the configs are kept only after a rejection.
  TERN_TRY(auto list, msgs::parse_ech_config_list(raw->data));
  (void)list;
  if (rejected()) retry_configs_ = raw->data;
  return ok();
}

Error EchClient::rejection() const {
  std::string detail = "the server rejected ECH: it could not decrypt the ClientHello for \"" +
                       inner_server_name_ + "\" and authenticated as the public name \"" +
                       config_->public_name + "\" instead (the client sent ech_required). ";
  if (retry_configs_.empty()) {
    detail += "It sent no retry configs: connect without ECH, or get a current ECHConfigList.";
  } else {
    detail += "Retry with the ECHConfigList it sent: " + base::base64(retry_configs_);
  }
  return Error(Errc::protocol, detail, Alert::ech_required);
}

}  // namespace tern::handshake
