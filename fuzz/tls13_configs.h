// SPDX-License-Identifier: Apache-2.0
// The engine configs the TLS 1.3 fuzz targets run with, shared with the seed generator
// (fuzz/tools/make_tls13_seeds.cpp) so that its recorded flights match what the targets expect.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "tern/tls.h"
#include "x509/builder.h"

namespace tern::fuzzing {

// Fixed random and key shares: the client's ClientHello is the same every run, so a recorded
// server flight stays an answer to it.
inline ClientConfig client_config() {
  ClientConfig config;
  config.server_name = "localhost";
  config.insecure_skip_verify = true;  // let certificate bytes reach CertificateVerify
  config.random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0x42); };
  // ML-KEM's d || z before the scalar for the hybrid.
  config.key_share_private_key = [](uint16_t group) {
    return Bytes(group == tls::kX25519Mlkem768 ? 96 : 32, 0x11);
  };
  config.key_share_groups = {tls::kX25519Mlkem768, tls::kX25519, tls::kSecp256r1};
  config.alpn = {"h2", "http/1.1"};
  config.ech_grease = false;  // the recorded flights answer a hello without GREASE ECH
  return config;
}

// The external PSK the server knows, so that inputs reach its lookup and binder check (the
// seed generator's "external_psk" ClientHello offers it).
inline ExternalPsk external_psk() {
  ExternalPsk psk;
  psk.identity = {'f', 'u', 'z', 'z'};
  psk.key = SecretBuffer(Bytes(32, 0x5a));
  return psk;
}

inline std::shared_ptr<ServerConfig> server_config() {
  auto pki = x509::make_test_pki();
  if (!pki) abort();
  auto key = pki->leaf.key->pkcs8();
  if (!key) abort();
  auto config = std::make_shared<ServerConfig>();
  CertifiedKey certified;
  certified.chain = {pki->leaf.der, pki->intermediate.der};
  certified.private_key = Bytes(key->view().begin(), key->view().end());
  certified.names = {"localhost"};
  config->certificates.push_back(std::move(certified));
  config->alpn = {"h2"};
  config->external_psks.push_back(external_psk());
  // The hybrid first, so recorded flights reach ML-KEM; a client with a P-384 share gets a HRR.
  config->groups = {tls::kX25519Mlkem768, tls::kX25519, tls::kSecp256r1};
  config->random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0x24); };
  config->key_share_private_key = [](uint16_t group) {  // ML-KEM's m before the hybrid's scalar
    if (group == tls::kX25519Mlkem768) return Bytes(64, 0x33);
    return group == tls::kX25519 || group == tls::kSecp256r1 ? Bytes(32, 0x33) : Bytes();
  };
  return config;
}

}  // namespace tern::fuzzing
