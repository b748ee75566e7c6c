// SPDX-License-Identifier: Apache-2.0
// Tls13Client's external PSK checks (the offer itself is offer_external_psk()).
#include <algorithm>

#include "handshake/external_psk.h"
#include "handshake/tls13_client.h"

namespace tern::handshake {

Result<void> Tls13Client::check_external_psk_offer() const {
  const ExternalPsk& psk = *client_config_.external_psk;
  TERN_CHECK(psk.check());
  if (!offer_tls13_)
    return Error(Errc::usage, "an external PSK needs TLS 1.3, which this config does not enable");
  crypto::Hash hash = external_psk_hash(psk);
  bool fits = std::any_of(suites_.begin(), suites_.end(),
                          [&](msgs::CipherSuite s) { return tls13_suite_info(s)->hash == hash; });
  if (!fits)
    return Error(Errc::usage, std::string("the external PSK is for ") + crypto::hash_name(hash) +
                                  ", and no TLS 1.3 cipher suite enabled uses it");
  return ok();
}

msgs::PskKeyExchangeModes Tls13Client::psk_modes_to_offer() const {
  const ExternalPsk* psk = client_config_.external_psk ? &*client_config_.external_psk : nullptr;
  msgs::PskKeyExchangeModes modes;
  if (client_config_.session_cache || (psk && allows_dhe(*psk)))
    modes.modes.push_back(msgs::PskKeyExchangeMode::psk_dhe_ke);
  if (psk && allows_no_dhe(*psk)) modes.modes.push_back(msgs::PskKeyExchangeMode::psk_ke);
  return modes;
}

Result<void> Tls13Client::check_psk_without_dhe() const {
  if (!negotiated_.external_psk || !allows_no_dhe(*client_config_.external_psk))
    return Error(Errc::protocol,
                 "the ServerHello has no key_share, and tern offered no PSK without (EC)DHE",
                 Alert::missing_extension);
  return ok();
}

Result<void> Tls13Client::accept_external_psk_selected(const msgs::ServerHello& hello,
                                                       std::optional<SecretBytes>& psk) {
  auto* selected = hello.get<msgs::PreSharedKeySelected>(msgs::ExtensionType::pre_shared_key);
  if (selected->selected_identity != 0)
    return illegal("the server selected PSK identity " +
                   std::to_string(selected->selected_identity) + "; tern offered one");
  const ExternalPsk& mine = *client_config_.external_psk;
  if (tls13_suite_info(hello.cipher_suite)->hash != external_psk_hash(mine))
    return illegal("the server accepted the external PSK with " +
                   msgs::to_string(hello.cipher_suite) + ", whose hash is not the PSK's");
  psk.emplace(mine.key.view());
  negotiated_.external_psk = true;
  return ok();
}

}  // namespace tern::handshake
