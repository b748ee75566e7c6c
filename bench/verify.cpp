// SPDX-License-Identifier: Apache-2.0
// What verifying a certificate chain costs beyond its signatures: a 3-certificate ECDSA
// P-256 chain (root -> intermediate -> leaf, made with x509::make_test_pki) through the
// public verify_chain, pre-parsed and with parsing, against the two bare ECDSA P-256
// verifications the chain needs (same messages, same signatures, through the provider),
// and OpenSSL's X509_verify_cert on the same chain as the reference. Prints the ratios.
//
//   build/bench/bench/bench_verify --benchmark_repetitions=5
#include <benchmark/benchmark.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "base/reader.h"
#include "crypto/provider.h"
#include "tern/x509.h"
#include "x509/builder.h"
#include "x509/certificate.h"

namespace {

constexpr int64_t kCheckTime = 1800000000;  // inside make_test_pki's default validity

// The chain, made once per process.
struct Fixture {
  tern::x509::TestPki pki;
  std::vector<tern::Certificate> leaf, intermediate;  // parsed through the public API
  tern::TrustStore roots;
  tern::VerifyOptions options;

  // The two signed messages of the chain and their signatures, with the verifying keys.
  struct SignedPart {
    tern::BytesView tbs, signature;
    std::unique_ptr<tern::crypto::PublicKey> issuer_key;
  };
  SignedPart leaf_part, intermediate_part;

  Fixture() {
    auto made = tern::x509::make_test_pki();
    if (!made) fail("make_test_pki", made.error());
    pki = std::move(*made);
    leaf = parse(pki.leaf.der);
    intermediate = parse(pki.intermediate.der);
    roots.add(parse(pki.root.der).front(), "bench root");
    options.time = kCheckTime;
    options.hostname = "localhost";
    leaf_part = split(pki.leaf.der, *pki.intermediate.key);
    intermediate_part = split(pki.intermediate.der, *pki.root.key);
  }

  static void fail(const char* what, const tern::Error& error) {
    std::fprintf(stderr, "bench_verify: %s failed: %s\n", what, error.detail.c_str());
    std::exit(1);
  }
  static std::vector<tern::Certificate> parse(const tern::Bytes& der) {
    auto certs = tern::Certificate::parse_all(der);
    if (!certs) fail("parsing a certificate", certs.error());
    return std::move(*certs);
  }
  // SEQUENCE { tbs, algorithm, BIT STRING } -> the signed bytes and the signature.
  static SignedPart split(const tern::Bytes& der, const tern::crypto::PrivateKey& issuer) {
    namespace der_tag = tern::base::der;
    tern::base::Reader outer(der), body;
    uint8_t tag;
    tern::BytesView contents, tbs, algorithm, bits;
    if (!outer.der(der_tag::kSequence, body) || !body.der_any_element(tag, contents, tbs) ||
        !body.der_any_element(tag, contents, algorithm) || !body.der(der_tag::kBitString, bits))
      fail("splitting a certificate", tern::Error(tern::Errc::decode, "bad DER"));
    // The key as a certificate parser gets it: decoded from the issuer's SPKI.
    auto key = tern::crypto::default_provider().parse_public_key(issuer.public_key()->spki());
    if (!key) fail("decoding the issuer key", key.error());
    return {tbs, bits.subspan(1), std::move(*key)};
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

const tern::crypto::SignatureAlgorithm kEcdsaSha256{tern::crypto::SigKind::ecdsa,
                                                    tern::crypto::Hash::sha256, 0};

void BM_TwoEcdsaP256Verifications(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    auto a = f.leaf_part.issuer_key->verify(kEcdsaSha256, f.leaf_part.tbs, f.leaf_part.signature);
    auto b = f.intermediate_part.issuer_key->verify(kEcdsaSha256, f.intermediate_part.tbs,
                                                    f.intermediate_part.signature);
    if (!a || !b) state.SkipWithError("signature did not verify");
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
  }
}
BENCHMARK(BM_TwoEcdsaP256Verifications);

void BM_VerifyChainPreParsed(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    auto chain = tern::verify_chain(f.leaf.front(), f.intermediate, f.roots, {}, f.options);
    if (!chain) state.SkipWithError(chain.error().detail.c_str());
    benchmark::DoNotOptimize(chain);
  }
}
BENCHMARK(BM_VerifyChainPreParsed);

// The leaf and intermediate parsed from DER every time, as a TLS client receives them;
// the trust store is loaded once, as in a long-running client.
void BM_VerifyChainWithParse(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    auto leaf = tern::Certificate::parse_all(f.pki.leaf.der);
    auto intermediate = tern::Certificate::parse_all(f.pki.intermediate.der);
    if (!leaf || !intermediate) {
      state.SkipWithError("parse failed");
      break;
    }
    auto chain = tern::verify_chain(leaf->front(), *intermediate, f.roots, {}, f.options);
    if (!chain) state.SkipWithError(chain.error().detail.c_str());
    benchmark::DoNotOptimize(chain);
  }
}
BENCHMARK(BM_VerifyChainWithParse);

// Where parsing's cost goes: decoding the two SubjectPublicKeyInfos alone (through the
// provider, which the certificate parser calls for every certificate).
void BM_DecodeTwoPublicKeys(benchmark::State& state) {
  Fixture& f = fixture();
  tern::Bytes leaf_spki = f.leaf.front().internal().public_key->spki();
  tern::Bytes intermediate_spki = f.intermediate.front().internal().public_key->spki();
  const auto& provider = tern::crypto::default_provider();
  for (auto _ : state) {
    auto a = provider.parse_public_key(leaf_spki);
    auto b = provider.parse_public_key(intermediate_spki);
    if (!a || !b) state.SkipWithError("SPKI did not decode");
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
  }
}
BENCHMARK(BM_DecodeTwoPublicKeys);

// OpenSSL 3 on the same chain, DER decoding included, as the reference point.
void BM_OpensslVerifyCertWithParse(benchmark::State& state) {
  Fixture& f = fixture();
  auto decode = [](const tern::Bytes& der) {
    const unsigned char* p = der.data();
    return d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  };
  X509* root = decode(f.pki.root.der);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, root);
  for (auto _ : state) {
    X509* leaf = decode(f.pki.leaf.der);
    X509* intermediate = decode(f.pki.intermediate.der);
    STACK_OF(X509)* untrusted = sk_X509_new_null();
    sk_X509_push(untrusted, intermediate);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, untrusted);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(kCheckTime));
    X509_VERIFY_PARAM_set1_host(param, "localhost", 0);
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
    int ok = X509_verify_cert(ctx);
    if (ok != 1) state.SkipWithError("X509_verify_cert rejected the chain");
    X509_STORE_CTX_free(ctx);
    sk_X509_pop_free(untrusted, X509_free);
    X509_free(leaf);
  }
  X509_STORE_free(store);
  X509_free(root);
}
BENCHMARK(BM_OpensslVerifyCertWithParse);

// Remembers each benchmark's CPU time per iteration (the median when repeated). CPU time,
// not wall time: the machines this runs on are shared, and the work is single-threaded.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_Defaults : OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      std::string name = run.run_name.function_name;
      if (run.run_type == Run::RT_Aggregate) {
        if (run.aggregate_name == "median") median_[name] = run.GetAdjustedCPUTime();
      } else {
        single_[name] = run.GetAdjustedCPUTime();
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  double time(const std::string& name) const {
    if (auto it = median_.find(name); it != median_.end()) return it->second;
    if (auto it = single_.find(name); it != single_.end()) return it->second;
    return 0;
  }

 private:
  std::map<std::string, double> median_, single_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  fixture();  // make the chain before any timing
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  double bare = reporter.time("BM_TwoEcdsaP256Verifications");
  if (bare <= 0) return 0;  // filtered out
  std::printf("\nCPU time, ratio to two bare ECDSA P-256 verifications (%.1f us):\n", bare / 1000);
  for (const char* name : {"BM_VerifyChainPreParsed", "BM_VerifyChainWithParse",
                           "BM_DecodeTwoPublicKeys", "BM_OpensslVerifyCertWithParse"}) {
    double t = reporter.time(name);
    if (t > 0) std::printf("  %-32s %8.1f us  %.2fx\n", name, t / 1000, t / bare);
  }
  return 0;
}
