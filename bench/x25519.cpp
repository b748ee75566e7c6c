// SPDX-License-Identifier: Apache-2.0
// X25519 timings: tern's own on each path this CPU runs (portable, adx) and libcrypto's,
// at two levels. "Keygen"/"Derive" are the primitive: tern's x25519::public_key and
// shared_secret against libcrypto's EVP calls as the provider made them before
// (EVP_PKEY_keygen; a peer EVP_PKEY, a context and EVP_PKEY_derive). "ShareKeygen"/
// "ShareDerive" are what a handshake pays: the provider's generate_key_share(x25519) and
// KeyShare::decapsulate with TERN_CRYPTO's two settings (tern::set_primitives). Run with
// --benchmark_repetitions=7 --benchmark_report_aggregates_only=true for medians.
//
//   --rfc7748-million   checks RFC 7748 §5.2's 1,000,000-iteration value on each path
//                       (the expected value is read from tests/data/reference/rfc/rfc7748.txt)
//   --ir-op=keygen|derive|share-keygen|share-derive --ir-impl=portable|adx|libcrypto
//   --ir-count=N        runs one operation N times and exits, for callgrind
//                       (scripts/x25519_instructions.sh)
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "base/encoding.h"
#include "crypto/provider.h"
#include "crypto/x25519/impl.h"
#include "crypto/x25519/x25519.h"
#include "tern/primitives.h"

namespace {

namespace x25519 = tern::crypto::x25519;
using x25519::Implementation;
using tern::crypto::Group;

// A fixed peer public key and scalar, so every run does the same work.
struct Inputs {
  uint8_t scalar[32];
  uint8_t peer[32];
  Inputs() {
    uint8_t other[32];
    for (int i = 0; i < 32; ++i) {
      scalar[i] = static_cast<uint8_t>(i * 29 + 7);
      other[i] = static_cast<uint8_t>(i * 13 + 101);
    }
    x25519::public_key(peer, other);
  }
};

void select(Implementation impl) {
  // valgrind hides ADX from CPUID (see impl.h), so the adx path is forced here; this program
  // is only run on the machine whose numbers it reports.
  if (!x25519::set_implementation(impl)) x25519::force_implementation(impl);
}

// libcrypto as openssl_key_share.cpp uses it.
EVP_PKEY* libcrypto_keygen() {
  static EVP_PKEY_CTX* ctx = [] {
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_new_from_name(nullptr, "X25519", nullptr);
    if (!c || EVP_PKEY_keygen_init(c) != 1) std::abort();
    return c;
  }();
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_keygen(ctx, &key) != 1) std::abort();
  return key;
}

void libcrypto_derive(EVP_PKEY* mine, const uint8_t peer[32], uint8_t out[32]) {
  EVP_PKEY* pub = EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, peer, 32);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, mine, nullptr);
  size_t len = 32;
  if (!pub || !ctx || EVP_PKEY_derive_init(ctx) != 1 ||
      EVP_PKEY_derive_set_peer_ex(ctx, pub, 0) != 1 || EVP_PKEY_derive(ctx, out, &len) != 1) {
    std::abort();
  }
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(pub);
}

void BM_Keygen(benchmark::State& state, Implementation impl) {
  select(impl);
  Inputs in;
  uint8_t out[32];
  for (auto _ : state) {
    ++in.scalar[0];
    x25519::public_key(out, in.scalar);
    benchmark::DoNotOptimize(out);
  }
}

void BM_Derive(benchmark::State& state, Implementation impl) {
  select(impl);
  Inputs in;
  uint8_t out[32];
  for (auto _ : state) {
    ++in.scalar[0];
    if (!x25519::shared_secret(out, in.scalar, in.peer)) std::abort();
    benchmark::DoNotOptimize(out);
  }
}

void BM_KeygenLibcrypto(benchmark::State& state) {
  for (auto _ : state) {
    EVP_PKEY* key = libcrypto_keygen();
    uint8_t pub[32];
    size_t len = 32;
    EVP_PKEY_get_raw_public_key(key, pub, &len);
    benchmark::DoNotOptimize(pub);
    EVP_PKEY_free(key);
  }
}

void BM_DeriveLibcrypto(benchmark::State& state) {
  Inputs in;
  EVP_PKEY* key = libcrypto_keygen();
  uint8_t out[32];
  for (auto _ : state) {
    libcrypto_derive(key, in.peer, out);
    benchmark::DoNotOptimize(out);
  }
  EVP_PKEY_free(key);
}

// The path the library picks by itself: an earlier benchmark (in any order, with
// --benchmark_enable_random_interleaving) may have forced another.
void select_default() {
  select(x25519::adx_supported() ? Implementation::adx : Implementation::portable);
}

void BM_ShareKeygen(benchmark::State& state, tern::Primitives p) {
  tern::set_primitives(p);
  select_default();
  const auto& provider = tern::crypto::default_provider();
  for (auto _ : state) {
    auto share = provider.generate_key_share(Group::x25519);
    if (!share.ok()) std::abort();
    benchmark::DoNotOptimize((*share)->public_key().data());
  }
}

void BM_ShareDerive(benchmark::State& state, tern::Primitives p) {
  tern::set_primitives(p);
  select_default();
  const auto& provider = tern::crypto::default_provider();
  Inputs in;
  auto share = provider.generate_key_share(Group::x25519);
  if (!share.ok()) std::abort();
  for (auto _ : state) {
    auto k = (*share)->decapsulate(tern::BytesView(in.peer, 32));
    if (!k.ok()) std::abort();
    benchmark::DoNotOptimize(k->data());
  }
}

const char* flag(int argc, char** argv, const char* name) {
  const size_t n = std::strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') return argv[i] + n + 1;
  }
  return nullptr;
}

bool has_flag(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return true;
  }
  return false;
}

// RFC 7748 §5.2: k = u = 9, then k, u = X25519(k, u), k a million times.
int rfc7748_million() {
  std::ifstream file(std::string(TERN_SOURCE_DIR) + "/tests/data/reference/rfc/rfc7748.txt");
  std::stringstream text;
  text << file.rdbuf();
  const std::string s = text.str();
  const size_t label = s.find("After 1,000,000 iterations:");
  if (label == std::string::npos) {
    std::fprintf(stderr, "cannot find the 1,000,000-iteration value in rfc7748.txt\n");
    return 1;
  }
  const size_t start = s.find_first_not_of(" \n", s.find('\n', label));
  const auto want = tern::base::unhex(s.substr(start, 64));
  if (!want || want->size() != 32) return 1;
  int status = 0;
  for (Implementation impl : {Implementation::portable, Implementation::adx}) {
    if (!x25519::set_implementation(impl)) continue;
    uint8_t k[32] = {9}, u[32] = {9}, next[32];
    for (int i = 0; i < 1000000; ++i) {
      x25519::shared_secret(next, k, u);
      std::memcpy(u, k, 32);
      std::memcpy(k, next, 32);
    }
    const bool ok = std::memcmp(k, want->data(), 32) == 0;
    std::printf("RFC 7748 1,000,000 iterations, %s: %s\n", x25519::implementation_name(impl),
                ok ? "ok" : "WRONG");
    if (!ok) status = 1;
  }
  return status;
}

// The --ir-op mode: fixed inputs, no benchmark library in the measured region.
int run_fixed(const char* op, int argc, char** argv) {
  const char* impl_text = flag(argc, argv, "--ir-impl");
  const char* count_text = flag(argc, argv, "--ir-count");
  const std::string impl = impl_text ? impl_text : "adx";
  const int count = count_text ? std::atoi(count_text) : 1;
  const bool libcrypto = impl == "libcrypto";
  if (!libcrypto) select(impl == "adx" ? Implementation::adx : Implementation::portable);
  tern::set_primitives(libcrypto ? tern::Primitives::libcrypto : tern::Primitives::tern);
  Inputs in;
  const auto& provider = tern::crypto::default_provider();
  auto share = provider.generate_key_share(Group::x25519);
  EVP_PKEY* key = libcrypto_keygen();
  if (!share.ok()) return 1;
  unsigned sink = 0;
  const std::string o = op;
  for (int i = 0; i < count; ++i) {
    uint8_t out[32];
    in.scalar[0] = static_cast<uint8_t>(i);
    if (o == "keygen" && libcrypto) {
      EVP_PKEY* k = libcrypto_keygen();
      size_t len = 32;
      EVP_PKEY_get_raw_public_key(k, out, &len);
      EVP_PKEY_free(k);
    } else if (o == "keygen") {
      x25519::public_key(out, in.scalar);
    } else if (o == "derive" && libcrypto) {
      libcrypto_derive(key, in.peer, out);
    } else if (o == "derive") {
      if (!x25519::shared_secret(out, in.scalar, in.peer)) return 1;
    } else if (o == "share-keygen") {
      auto s = provider.generate_key_share(Group::x25519);
      if (!s.ok()) return 1;
      out[0] = (*s)->public_key()[0];
    } else if (o == "share-derive") {
      auto k = (*share)->decapsulate(tern::BytesView(in.peer, 32));
      if (!k.ok()) return 1;
      out[0] = k->data()[0];
    } else {
      std::fprintf(stderr, "unknown --ir-op %s\n", op);
      return 1;
    }
    sink += out[0];
  }
  EVP_PKEY_free(key);
  std::printf("%s %s x%d (%u)\n", impl.c_str(), op, count, sink);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (const char* op = flag(argc, argv, "--ir-op")) return run_fixed(op, argc, argv);
  if (has_flag(argc, argv, "--rfc7748-million")) return rfc7748_million();

  const Implementation saved = x25519::implementation();
  for (Implementation impl : {Implementation::portable, Implementation::adx}) {
    if (impl == Implementation::adx && !x25519::adx_supported()) continue;
    const std::string name = std::string("/") + x25519::implementation_name(impl);
    benchmark::RegisterBenchmark(("BM_Keygen" + name).c_str(), BM_Keygen, impl)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_Derive" + name).c_str(), BM_Derive, impl)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("BM_Keygen/libcrypto", BM_KeygenLibcrypto)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_Derive/libcrypto", BM_DeriveLibcrypto)
      ->Unit(benchmark::kMicrosecond);
  for (tern::Primitives p : {tern::Primitives::tern, tern::Primitives::libcrypto}) {
    const std::string name = std::string("/") + tern::primitives_name(p);
    benchmark::RegisterBenchmark(("BM_ShareKeygen" + name).c_str(), BM_ShareKeygen, p)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_ShareDerive" + name).c_str(), BM_ShareDerive, p)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  x25519::set_implementation(saved);
  return 0;
}
