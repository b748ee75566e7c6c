// SPDX-License-Identifier: Apache-2.0
// ECDSA P-256 verification of a SHA-256 signature: tern's own (each path this CPU runs)
// against libcrypto's EVP_DigestVerify, as the handshake calls them (PublicKey::verify:
// hash, DER parse, verify), and tern's verify_digest alone. Seven repetitions each, with
// the median reported, e.g. "BM_PublicKeyVerify/tern-adx_median".
//
// With --ir-impl=portable|adx|libcrypto it instead runs --ir-count verifications through
// PublicKey::verify and exits, for instruction counting under callgrind
// (scripts/p256_instructions.sh).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <valgrind/valgrind.h>

#include <cstdio>
#include <cstdlib>
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "crypto/p256/impl.h"
#include "crypto/p256/p256.h"
#include "crypto/provider.h"
#include "tern/primitives.h"

namespace {

namespace p256 = tern::crypto::p256;
using tern::Bytes;
using tern::BytesView;

constexpr int kSignatures = 16;

// A fresh P-256 key, its SPKI and kSignatures (message, DER signature) pairs made by
// libcrypto.
struct Fixture {
  Bytes spki;
  std::vector<Bytes> messages, signatures;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture out;
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key, &der);
    if (!key || len <= 0) std::abort();
    out.spki.assign(der, der + len);
    OPENSSL_free(der);
    for (int i = 0; i < kSignatures; ++i) {
      Bytes message(100, static_cast<uint8_t>(i));
      EVP_MD_CTX* ctx = EVP_MD_CTX_new();
      size_t sig_len = 80;
      Bytes sig(sig_len);
      if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) != 1 ||
          EVP_DigestSign(ctx, sig.data(), &sig_len, message.data(), message.size()) != 1) {
        std::abort();
      }
      sig.resize(sig_len);
      EVP_MD_CTX_free(ctx);
      out.messages.push_back(std::move(message));
      out.signatures.push_back(std::move(sig));
    }
    EVP_PKEY_free(key);
    return out;
  }();
  return f;
}

const tern::crypto::SignatureAlgorithm& ecdsa_sha256() {
  static const tern::crypto::SignatureAlgorithm alg = [] {
    tern::crypto::SignatureAlgorithm a;
    a.kind = tern::crypto::SigKind::ecdsa;
    a.hash = tern::crypto::Hash::sha256;
    return a;
  }();
  return alg;
}

// Selects "portable", "adx" (tern) or "libcrypto"; false if the CPU lacks the path.
bool select(const std::string& name) {
  if (name == "libcrypto") {
    tern::set_primitives(tern::Primitives::libcrypto);
    return true;
  }
  tern::set_primitives(tern::Primitives::tern);
  return p256::set_implementation(name == "adx" ? p256::Implementation::adx
                                                : p256::Implementation::portable);
}

std::unique_ptr<tern::crypto::PublicKey> public_key() {
  auto key = tern::crypto::default_provider().parse_public_key(fixture().spki);
  if (!key.ok()) std::abort();
  return std::move(*key);
}

void BM_PublicKeyVerify(benchmark::State& state, std::string impl) {
  if (!select(impl)) {
    state.SkipWithError("not supported on this CPU");
    return;
  }
  const Fixture& f = fixture();
  auto key = public_key();
  int i = 0;
  for (auto _ : state) {
    if (!key->verify(ecdsa_sha256(), f.messages[i], f.signatures[i]).ok()) std::abort();
    i = (i + 1) % kSignatures;
  }
}

void BM_VerifyDigest(benchmark::State& state, std::string impl) {
  if (!select(impl)) {
    state.SkipWithError("not supported on this CPU");
    return;
  }
  const Fixture& f = fixture();
  // The public point from the SPKI's last 65 bytes (uncompressed point in the BIT STRING).
  auto point = p256::parse_uncompressed_point(BytesView(f.spki).last(65));
  if (!point) std::abort();
  std::vector<Bytes> digests;
  std::vector<std::array<uint8_t, 64>> rs(kSignatures);
  for (int i = 0; i < kSignatures; ++i) {
    digests.push_back(tern::crypto::default_provider().hash(tern::crypto::Hash::sha256,
                                                            f.messages[i]));
    if (!p256::parse_der_signature(f.signatures[i], rs[i])) std::abort();
  }
  int i = 0;
  for (auto _ : state) {
    if (!p256::verify_digest(digests[i], rs[i], *point)) std::abort();
    i = (i + 1) % kSignatures;
  }
}

const char* flag(int argc, char** argv, const char* name) {
  const size_t n = std::strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') return argv[i] + n + 1;
  }
  return nullptr;
}

// The --ir-impl mode: --ir-count verifications through PublicKey::verify, nothing else
// but the fixed set-up.
int run_fixed(const std::string& impl, const char* count_text) {
  if (impl == "adx" && !select(impl) && RUNNING_ON_VALGRIND) {
    p256::force_adx_for_valgrind();  // valgrind runs ADX but its CPUID hides it
  } else if (!select(impl)) {
    std::fprintf(stderr, "%s is not supported on this CPU\n", impl.c_str());
    return 1;
  }
  const int count = count_text ? std::atoi(count_text) : 1;
  const Fixture& f = fixture();
  auto key = public_key();
  int accepted = 0;
  for (int i = 0; i < count; ++i) {
    accepted += key->verify(ecdsa_sha256(), f.messages[i % kSignatures],
                            f.signatures[i % kSignatures])
                    .ok();
  }
  std::printf("%s x%d (%d accepted)\n", impl.c_str(), count, accepted);
  return accepted == count ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (const char* impl = flag(argc, argv, "--ir-impl")) {
    return run_fixed(impl, flag(argc, argv, "--ir-count"));
  }
  for (const char* impl : {"portable", "adx", "libcrypto"}) {
    const std::string label = std::string(impl == std::string("libcrypto") ? "" : "tern-") + impl;
    benchmark::RegisterBenchmark(("BM_PublicKeyVerify/" + label).c_str(), BM_PublicKeyVerify,
                                 std::string(impl))
        ->Unit(benchmark::kMicrosecond)
        ->Repetitions(7)
        ->ReportAggregatesOnly(true);
    if (std::string(impl) != "libcrypto") {
      benchmark::RegisterBenchmark(("BM_VerifyDigest/" + label).c_str(), BM_VerifyDigest,
                                   std::string(impl))
          ->Unit(benchmark::kMicrosecond)
          ->Repetitions(7)
          ->ReportAggregatesOnly(true);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
