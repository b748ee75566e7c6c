// SPDX-License-Identifier: Apache-2.0
// ML-KEM KeyGen / Encaps / Decaps timings per parameter set, for each implementation this
// CPU can run (portable C++ and AVX2), e.g. "BM_Encaps/avx2/ML-KEM-768".
//
// With --ir-op=keygen|encaps|decaps it instead runs that operation --ir-count times on
// fixed inputs and exits, for instruction counting under callgrind
// (scripts/mlkem_instructions.sh); --ir-impl=portable|avx2, --ir-variant=512|768|1024.
#include "crypto/mlkem/mlkem.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "crypto/mlkem/impl.h"

namespace {

using tern::crypto::mlkem::Implementation;
using tern::crypto::mlkem::Variant;
namespace mlkem = tern::crypto::mlkem;

void select(Implementation impl) {
  if (!mlkem::set_implementation(impl)) std::abort();
}

void BM_KeyGen(benchmark::State& state, Implementation impl, Variant v) {
  select(impl);
  for (auto _ : state) {
    auto kp = mlkem::keygen(v);
    if (!kp.ok()) std::abort();
    benchmark::DoNotOptimize(kp->encapsulation_key.data());
  }
}

void BM_Encaps(benchmark::State& state, Implementation impl, Variant v) {
  select(impl);
  auto kp = mlkem::keygen(v);
  if (!kp.ok()) std::abort();
  for (auto _ : state) {
    auto enc = mlkem::encaps(v, kp->encapsulation_key);
    if (!enc.ok()) std::abort();
    benchmark::DoNotOptimize(enc->ciphertext.data());
  }
}

void BM_Decaps(benchmark::State& state, Implementation impl, Variant v) {
  select(impl);
  auto kp = mlkem::keygen(v);
  if (!kp.ok()) std::abort();
  auto enc = mlkem::encaps(v, kp->encapsulation_key);
  if (!enc.ok()) std::abort();
  for (auto _ : state) {
    auto k = mlkem::decaps(v, kp->decapsulation_key.view(), enc->ciphertext);
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

// The --ir-op mode: deterministic inputs, no benchmark library in the measured region.
int run_fixed(const char* op, int argc, char** argv) {
  const char* impl_name = flag(argc, argv, "--ir-impl");
  const char* variant_name = flag(argc, argv, "--ir-variant");
  const char* count_text = flag(argc, argv, "--ir-count");
  const Implementation impl = impl_name && std::strcmp(impl_name, "avx2") == 0
                                  ? Implementation::avx2
                                  : Implementation::portable;
  const std::string bits = variant_name ? variant_name : "768";
  const Variant v = bits == "512"    ? Variant::ml_kem_512
                    : bits == "1024" ? Variant::ml_kem_1024
                                     : Variant::ml_kem_768;
  const int count = count_text ? std::atoi(count_text) : 1;
  if (!mlkem::set_implementation(impl)) {
    std::fprintf(stderr, "%s is not supported on this CPU\n", mlkem::implementation_name(impl));
    return 1;
  }
  uint8_t d[32], z[32], m[32];
  for (int i = 0; i < 32; ++i) {
    d[i] = static_cast<uint8_t>(i);
    z[i] = static_cast<uint8_t>(i + 32);
    m[i] = static_cast<uint8_t>(i + 64);
  }
  auto kp = mlkem::keygen_internal(v, d, z);
  auto enc = mlkem::encaps_internal(v, kp->encapsulation_key, m);
  if (!kp.ok() || !enc.ok()) return 1;
  unsigned sink = 0;
  for (int i = 0; i < count; ++i) {
    if (std::strcmp(op, "keygen") == 0) {
      d[0] = static_cast<uint8_t>(i);
      sink += mlkem::keygen_internal(v, d, z)->encapsulation_key[0];
    } else if (std::strcmp(op, "encaps") == 0) {
      m[0] = static_cast<uint8_t>(i);
      sink += mlkem::encaps_internal(v, kp->encapsulation_key, m)->ciphertext[0];
    } else if (std::strcmp(op, "decaps") == 0) {
      sink += mlkem::decaps(v, kp->decapsulation_key.view(), enc->ciphertext)->data()[0];
    } else {
      std::fprintf(stderr, "unknown --ir-op %s\n", op);
      return 1;
    }
  }
  std::printf("%s %s %s x%d (%u)\n", mlkem::implementation_name(impl), mlkem::variant_name(v), op,
              count, sink);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (const char* op = flag(argc, argv, "--ir-op")) return run_fixed(op, argc, argv);

  const Variant variants[] = {Variant::ml_kem_512, Variant::ml_kem_768, Variant::ml_kem_1024};
  const Implementation saved = mlkem::implementation();
  for (Implementation impl : {Implementation::portable, Implementation::avx2}) {
    if (impl == Implementation::avx2 && !mlkem::avx2_supported()) continue;
    const std::string suffix = std::string("/") + mlkem::implementation_name(impl) + "/";
    for (Variant v : variants) {
      const std::string name = suffix + mlkem::variant_name(v);
      benchmark::RegisterBenchmark(("BM_KeyGen" + name).c_str(), BM_KeyGen, impl, v)
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(("BM_Encaps" + name).c_str(), BM_Encaps, impl, v)
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(("BM_Decaps" + name).c_str(), BM_Decaps, impl, v)
          ->Unit(benchmark::kMicrosecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  mlkem::set_implementation(saved);
  return 0;
}
