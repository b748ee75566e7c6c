// SPDX-License-Identifier: Apache-2.0
// Fuzzes Encrypted Client Hello (RFC 9849) parsing: ECHConfigList, the encrypted_client_hello
// and ech_outer_extensions bodies, the expansion of an EncodedClientHelloInner against an
// outer hello, and a server with an ECH key fed a ClientHelloOuter whose payload is sealed
// (validly) around the fuzzer's bytes: what anyone who has the public config can send.
// Must never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>

#include "crypto/hpke.h"
#include "msgs/ech.h"
#include "tern/ech.h"
#include "tern/tls.h"
#include "tls13_configs.h"

namespace {

using namespace tern;

struct Fixture {
  EchKeyPair key;
  std::shared_ptr<ServerConfig> server;
  msgs::EchConfig config;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture x;
    x.key = generate_ech_key("public.example", 1).value();
    x.server = fuzzing::server_config();
    x.server->ech_keys.push_back(load_ech_key(x.key.config, x.key.private_key).value());
    x.config = msgs::parse_ech_config_list(x.key.config_list).value().configs[0];
    return x;
  }();
  return f;
}

// A ClientHelloOuter sealing `inner` to the fixture's key, as a client would build it.
Bytes sealed_outer_hello(BytesView inner) {
  const Fixture& f = fixture();
  msgs::ClientHello outer;
  outer.cipher_suites = {msgs::CipherSuite::tls_aes_128_gcm_sha256};
  outer.extensions.push_back(
      {msgs::ExtensionType::server_name, msgs::ServerNameList{{"public.example"}}});
  outer.extensions.push_back({msgs::ExtensionType::supported_versions,
                              msgs::SupportedVersionsList{{msgs::ProtocolVersion::tls13}}});
  outer.extensions.push_back(
      {msgs::ExtensionType::supported_groups, msgs::NamedGroupList{{msgs::NamedGroup::x25519}}});
  Bytes info = {'t', 'l', 's', ' ', 'e', 'c', 'h', 0};
  info.insert(info.end(), f.config.encoded.begin(), f.config.encoded.end());
  auto setup = crypto::hpke::setup_base_sender(crypto::default_provider(), {}, f.config.public_key,
                                               info, Bytes(32, 7));
  if (!setup) return {};
  msgs::EchClientHello ech;
  ech.cipher_suite = {1, 1};
  ech.config_id = 1;
  ech.enc = setup->enc;
  ech.payload.assign(inner.size() + 16, 0);
  outer.extensions.push_back({msgs::ExtensionType::encrypted_client_hello, msgs::RawExtension{ech.encode()}});
  Bytes aad = outer.encode();
  auto sealed = setup->context->seal(BytesView(aad).subspan(4), inner);
  if (!sealed) return {};
  ech.payload = *sealed;
  outer.extensions.back().body = msgs::RawExtension{ech.encode()};
  return outer.encode();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  BytesView input(data, size);
  (void)msgs::parse_ech_config_list(input);
  (void)read_ech_config_list(input);
  (void)describe_ech_config_list(input);
  (void)msgs::EchClientHello::parse(input);
  (void)msgs::parse_outer_extensions(input);
  // The first byte splits the rest into an EncodedClientHelloInner and an outer body.
  if (size > 1) {
    size_t cut = 1 + (data[0] * (size - 1)) / 256;
    (void)msgs::decode_client_hello_inner(input.subspan(1, cut - 1), input.subspan(cut));
  }
  Bytes hello = sealed_outer_hello(input);
  if (hello.empty() || hello.size() > 0xffff) return 0;
  auto server = ServerConnection::create(fixture().server);
  if (!server) return 0;
  Bytes record = {22, 3, 1, static_cast<uint8_t>(hello.size() >> 8),
                  static_cast<uint8_t>(hello.size())};
  record.insert(record.end(), hello.begin(), hello.end());
  if (hello.size() > 16384) return 0;  // one record
  (void)(*server)->feed(record);
  return 0;
}
