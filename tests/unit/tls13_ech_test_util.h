// SPDX-License-Identifier: Apache-2.0
// The ECH tests' PKI, keys and configs (tls13_ech_test.cpp, tls13_ech_resumption_test.cpp).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "tern/ech.h"
#include "tls13_test_util.h"

namespace tern::testing {

// A PKI whose leaf covers both the inner name and the public name.
inline const TestCredentials& ech_credentials() {
  static TestCredentials creds = [] {
    x509::TestPkiOptions options;
    options.leaf_names = {x509::GeneralNameSpec::dns("secret.test"),
                          x509::GeneralNameSpec::dns("public.test")};
    auto pki = x509::make_test_pki(options);
    if (!pki) throw std::runtime_error(pki.error().detail);
    TestCredentials c;
    auto store = std::make_shared<TrustStore>();
    store->add((*Certificate::parse_all(pki->root.der))[0], "test root");
    c.roots = store;
    c.certified.chain = {pki->leaf.der, pki->intermediate.der};
    auto pkcs8 = pki->leaf.key->pkcs8();
    c.certified.private_key.assign(pkcs8->view().begin(), pkcs8->view().end());
    return c;
  }();
  return creds;
}

inline EchKeyPair make_key(uint8_t id, const std::string& public_name = "public.test") {
  auto pair = generate_ech_key(public_name, id);
  if (!pair) throw std::runtime_error(pair.error().detail);
  return *pair;
}

inline ClientConfig ech_client(const Bytes& config_list) {
  ClientConfig c;
  c.server_name = "secret.test";
  c.trust_store = ech_credentials().roots;
  c.now = [] { return kTestNow; };
  c.min_version = tls::kTls13;
  c.ech_config_list = config_list;
  return c;
}

inline std::shared_ptr<ServerConfig> ech_server(const std::vector<EchKeyPair>& keys) {
  auto s = std::make_shared<ServerConfig>();
  s->certificates.push_back(ech_credentials().certified);
  for (const auto& k : keys) {
    auto key = load_ech_key(k.config, k.private_key);
    if (!key) throw std::runtime_error(key.error().detail);
    s->ech_keys.push_back(*key);
  }
  return s;
}

}  // namespace tern::testing
