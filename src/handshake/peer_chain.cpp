// SPDX-License-Identifier: Apache-2.0
#include "handshake/peer_chain.h"

#include <ctime>
#include <mutex>

#include "handshake/ocsp_staple.h"

#include "x509/certificate.h"

namespace tern::handshake {

namespace {

// The system trust store, loaded once per process.
Result<std::shared_ptr<const TrustStore>> system_store() {
  static std::mutex mutex;
  static std::shared_ptr<const TrustStore> store;
  std::lock_guard<std::mutex> lock(mutex);
  if (!store) {
    TERN_TRY(auto loaded, TrustStore::system());
    store = std::make_shared<const TrustStore>(std::move(loaded));
  }
  return store;
}

}  // namespace

PeerChainCheck server_chain_check(const ClientConfig& config) {
  PeerChainCheck check;
  check.roots = config.trust_store;
  check.skip_verify = config.insecure_skip_verify;
  check.hostname = config.server_name;
  check.purpose = Purpose::server;
  check.now = &config.now;
  check.observer = config.observer;
  check.require_ocsp = config.require_ocsp;
  return check;
}

PeerChainCheck client_chain_check(const ServerConfig& config) {
  PeerChainCheck check;
  check.roots = config.client_roots;
  check.purpose = Purpose::client;
  check.now = &config.now;
  check.observer = config.observer;
  return check;
}

}  // namespace tern::handshake

namespace tern {

Result<AuthContext> auth_context(const ClientConfig& config) {
  AuthContext auth;
  if (config.insecure_skip_verify) return auth;
  std::shared_ptr<const TrustStore> store = config.trust_store;
  if (!store) {
    TERN_TRY(store, handshake::system_store());
  }
  auth.mode = AuthContext::Mode::verified;
  auth.roots = store->fingerprint();
  auth.hostname = config.server_name;
  auth.require_ocsp = config.require_ocsp;
  return auth;
}

AuthContext auth_context(const ServerConfig& config) {
  using ClientAuth = ServerConfig::ClientAuth;
  AuthContext auth;
  if (config.client_auth == ClientAuth::none) return auth;
  auth.mode = config.client_auth == ClientAuth::require ? AuthContext::Mode::require
                                                         : AuthContext::Mode::request;
  if (config.client_roots) auth.roots = config.client_roots->fingerprint();
  return auth;
}

}  // namespace tern

namespace tern::handshake {

Result<std::shared_ptr<const crypto::PublicKey>> verify_peer_chain(
    const std::vector<BytesView>& der_chain, const PeerChainCheck& check, const char* who) {
  std::vector<Certificate> chain;
  for (BytesView der : der_chain) {
    auto parsed = Certificate::parse_all(der);
    if (!parsed || parsed->size() != 1) {
      std::string why = parsed ? "not exactly one certificate" : parsed.error().detail;
      return Error(Errc::certificate,
                   "certificate " + std::to_string(chain.size()) + " of the " + who +
                       "'s chain: " + why,
                   Alert::bad_certificate);
    }
    chain.push_back(std::move((*parsed)[0]));
  }
  std::shared_ptr<const crypto::PublicKey> key = chain[0].internal().public_key;
  if (!key && !check.key_optional)
    return Error(Errc::certificate,
                 std::string("the ") + who + "'s certificate key is unusable: " +
                     chain[0].internal().public_key_error,
                 Alert::unsupported_certificate);
  std::vector<CertificateInfo> infos;
  if (check.observer)
    for (const auto& c : chain) infos.push_back(c.info());
  if (check.skip_verify) {
    if (check.observer) check.observer->on_certificate_verification(infos, "not verified (insecure)");
    return key;
  }
  std::shared_ptr<const TrustStore> store = check.roots;
  if (!store) {
    TERN_TRY(store, system_store());
  }
  VerifyOptions options;
  if (check.now && *check.now) options.time = (*check.now)();
  options.hostname = check.hostname;
  options.purpose = check.purpose;
  if (check.observer)
    options.on_step = [observer = check.observer](const VerifyStep& step) {
      observer->on_verification_step(step);
    };
  std::vector<Certificate> intermediates(chain.begin() + 1, chain.end());
  auto verified = verify_chain(chain[0], intermediates, *store, {}, options);
  if (check.observer)
    check.observer->on_certificate_verification(infos, verified ? "" : verified.error().detail);
  if (!verified) {
    Error e = verified.error();
    if (e.alert == Alert::none) e.alert = Alert::bad_certificate;
    e.detail = std::string(who) + " certificate rejected: " + e.detail;
    return e;
  }
  if (check.staple) {
    const auto& path = verified->path;
    check.staple->chain_verified(path[0], path.size() > 1 ? &path[1] : nullptr,
                                 options.time.value_or(static_cast<int64_t>(std::time(nullptr))),
                                 check.require_ocsp, check.observer);
  }
  return key;
}

}  // namespace tern::handshake
