// SPDX-License-Identifier: Apache-2.0
// The engine configs the TLS 1.2 fuzz targets run with, shared with the seed generator
// (fuzz/tools/make_tls12_seeds.cpp) so that its recorded flights match what the targets expect.
//
// Everything the peer's bytes depend on is pinned, across processes too: randomness, key
// shares, and the server certificates and keys (made from fixed keys, self-signed, with
// deterministic signatures: Ed25519 and RSA PKCS#1 v1.5). A recorded client flight then
// stays an answer to the server's flight, Finished included, so the fuzzers start past the
// handshake instead of at the first Finished.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "base/encoding.h"
#include "crypto/provider.h"
#include "tern/tls.h"
#include "x509/builder.h"

namespace tern::fuzzing {

// Fixed random and key shares: the client's ClientHello and ClientKeyExchange are the same
// every run. TLS 1.2 only, RSA key transport offered too (after ECDHE), and a server without
// the extended master secret accepted (the ClientHello still offers it), so that the fuzzer
// can reach those paths.
inline ClientConfig tls12_client_config() {
  ClientConfig config;
  config.max_version = tls::kTls12;
  config.allow_no_extended_master_secret = true;
  config.server_name = "localhost";
  config.insecure_skip_verify = true;  // let certificate bytes reach ServerKeyExchange
  config.legacy_rsa_key_exchange = true;
  config.random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0x42); };
  config.key_share_private_key = [](uint16_t group) {
    return Bytes(group == tls::kSecp384r1 ? 48 : 32, 0x11);
  };
  config.alpn = {"h2", "http/1.1"};
  return config;
}

namespace detail {

// A test-only RSA-2048 key (PKCS#8), generated for these configs: it only has to be the same
// in every run. Not a secret.
inline constexpr const char* kRsaKeyBase64 =
    "MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCuWfFx0Ujn9f/21b1bWrEO6GFI5MoEhO1PYaYo"
    "xqQe7E9cm796EMCU2SILHZPD6xoRZgSdBuvWL4uI+G/1kaiIy6jH+YMA/t0cVOO13BUTHMBv0oVPEDROhNDofmI9"
    "bPHpkZJIbek//Mp/nvQNAI1DOMEjGiLqG/135IEuD4Z8gZoxE2mS5ZrbW8GIYGSRp11prb8Ec11HsJJQjCcqQ+SE"
    "WBTny4L5INP5N8s0OuF1TkmByh4Sle3QwtW3YaR8hk7dX2tYXKtEsIwpOqQzRx7fxPzH2oPMM4P6ipJa8g8hHU1A"
    "IqZXtYI2OPdcK6O9hwYXD5/xShMqFOU0QB+UKCstAgMBAAECgf9eHvzSQY9NQ0y3wKsSDH0ijx0o1lnSFr04tuTJ"
    "HnMUpOPMgRSp0Me/kxHNuynWzUd4g2ctXfWMRITcBg7RHGp4od97rp09Ur898pXHym38fO9l1Nm8CANn+X5nN2ye"
    "Isuose1GX6jx4h9vLCz6Cx8EKwWyIJ0e9/1Du+RnLGDUCD7nVyKqgZvId2FTAW4UfOCst8NkVRtdiuLZQ9ZFW/Nu"
    "Q+Y4zdFZQcTzSE1+tERdFBhX0kaxqrUQE27eS891p9iMcVO2X+WkcZw+kTEFiVozdfQe3F8KQMqrzJMechkzjjUc"
    "D63G9WLtj7GFSpjj4Dw0Ef8vDrVHDGH2cE/1PWECgYEA08qKBB5TC4cuF31q9Z5iLRGNNALdizeEIUFJjuwo/1ns"
    "lxTsXhJOAqqFEM15n2YK1TVSB2YMNK6x6vnDiCNfGPD6/twB21l+sUtM2y+iT8T1Heh+XEOoRe56f4Zq7l3nXKsZ"
    "Cc9Cydoe3yIOgG1VJdUNYJjLlOJ1l64SO+D5D+UCgYEA0r68cyax6Y9Q7Xy4woUFLLV+8cuwT9gj00Cfy9uQqqYh"
    "J7YnUFXUFLiPEGTjyGrfURA8Z/ccDzbYDmjozSXnqeAAoBC6YL56AB8ssy1FRiTKZcLOdkIbq3p7bWDmrdPIQxP7"
    "7Nr+0/w+u3StZ+LEuTX1R8Qz22Pb8xtxLW5dKakCgYEApa3X8gjW5jnFsNKIDcTtAFyunXVwYiv3zRwJsyjDmZ57"
    "GmVf0ud251cF6XMUJcHpz4h6txb5jWzr+emRMLqa9iPt9dmeCj4kggVqBj1pOAXXyqHJ19uFk89PPNumYvpKt4+R"
    "cr8UfFuJsvwtZAIjjgjxAhQFjl7pptKhqP4BWJECgYAlDDTSxW2nUnN2nGNahsnnFyzu0tD26Fc77vNogfvHlBbm"
    "BUaZ/8ydq+gyiJnmhKsndAQ6fp1nK0wGFHlAfzZfjapueSJamYGW/eP8x6uS7irKgtmKvopgtdJ24v8Kdd2RtTSn"
    "acQ8fe6FQ7isN5g/uvWYnSxEmCR1c1CNHQaxqQKBgQC8Ak0AugnwZaU3t9KpdyGKpsgg3EpK8jSJ6f0tq5ed6H/k"
    "X5cEeboUu1AuMTsAdLOGfLIsfOSfweRYy8W50XMOLEu2Mg69M/50GMTiU9kd7NjGrqgdsOvw49x1q94bvuiBTzCs"
    "cslCsgBRigVm11RQyi0PRYMWvRbhQyr2K9n3mA==";;

// A self-signed certificate for "localhost" over `key`, the same bytes every time.
inline CertifiedKey self_signed(const Bytes& pkcs8) {
  auto key = crypto::default_provider().parse_private_key(pkcs8);
  if (!key) abort();
  auto pub = (*key)->public_key();
  if (!pub) abort();
  x509::CertificateBuilder builder;
  builder.serial(uint64_t{0x7e12})
      .issuer("CN=localhost")
      .subject("CN=localhost")
      .validity(1700000000, 2000000000)
      .public_key(*pub)
      .basic_constraints(false)
      .subject_alt_names({x509::GeneralNameSpec::dns("localhost")});
  auto der = builder.sign(**key);
  if (!der) abort();
  CertifiedKey certified;
  certified.chain = {*der};
  certified.private_key = pkcs8;
  certified.names = {"localhost"};
  return certified;
}

inline void pin_server(ServerConfig& config) {
  config.max_version = tls::kTls12;
  config.alpn = {"h2"};
  config.random = [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), 0x24); };
  config.key_share_private_key = [](uint16_t group) {
    return Bytes(group == tls::kSecp384r1 ? 48 : 32, 0x33);
  };
}

}  // namespace detail

// ECDHE with an Ed25519 certificate (deterministic ServerKeyExchange signatures).
inline std::shared_ptr<ServerConfig> tls12_server_config() {
  // RFC 8410 PrivateKeyInfo for Ed25519 with a fixed 32-byte seed.
  Bytes pkcs8 = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                 0x04, 0x22, 0x04, 0x20};
  pkcs8.resize(pkcs8.size() + 32, 0x5e);
  auto config = std::make_shared<ServerConfig>();
  config->certificates.push_back(detail::self_signed(pkcs8));
  detail::pin_server(*config);
  return config;
}

// RSA: ECDHE_RSA (signing with PKCS#1 v1.5, which is deterministic) and RSA key transport;
// clients without the extended master secret are let in, so those paths are reachable too.
inline std::shared_ptr<ServerConfig> tls12_rsa_server_config() {
  auto pkcs8 = base::unbase64(detail::kRsaKeyBase64);
  if (!pkcs8) abort();
  auto config = std::make_shared<ServerConfig>();
  config->certificates.push_back(detail::self_signed(*pkcs8));
  detail::pin_server(*config);
  config->legacy_rsa_key_exchange = true;
  config->allow_no_extended_master_secret = true;
  config->signature_schemes = {0x0401, 0x0501, 0x0601};  // rsa_pkcs1_sha256/384/512
  return config;
}

}  // namespace tern::fuzzing
