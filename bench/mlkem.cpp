// ML-KEM KeyGen / Encaps / Decaps timings (portable C++ path), per parameter set.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "crypto/mlkem/mlkem.h"

namespace {

using tern::crypto::mlkem::Variant;
namespace mlkem = tern::crypto::mlkem;

Variant variant(const benchmark::State& state) { return static_cast<Variant>(state.range(0)); }

void label(benchmark::State& state) { state.SetLabel(mlkem::variant_name(variant(state))); }

void BM_KeyGen(benchmark::State& state) {
  for (auto _ : state) {
    auto kp = mlkem::keygen(variant(state));
    if (!kp.ok()) std::abort();
    benchmark::DoNotOptimize(kp->encapsulation_key.data());
  }
  label(state);
}

void BM_Encaps(benchmark::State& state) {
  auto kp = mlkem::keygen(variant(state));
  if (!kp.ok()) std::abort();
  for (auto _ : state) {
    auto enc = mlkem::encaps(variant(state), kp->encapsulation_key);
    if (!enc.ok()) std::abort();
    benchmark::DoNotOptimize(enc->ciphertext.data());
  }
  label(state);
}

void BM_Decaps(benchmark::State& state) {
  auto kp = mlkem::keygen(variant(state));
  if (!kp.ok()) std::abort();
  auto enc = mlkem::encaps(variant(state), kp->encapsulation_key);
  if (!enc.ok()) std::abort();
  for (auto _ : state) {
    auto k = mlkem::decaps(variant(state), kp->decapsulation_key.view(), enc->ciphertext);
    if (!k.ok()) std::abort();
    benchmark::DoNotOptimize(k->data());
  }
  label(state);
}

constexpr int64_t k512 = static_cast<int64_t>(Variant::ml_kem_512);
constexpr int64_t k768 = static_cast<int64_t>(Variant::ml_kem_768);
constexpr int64_t k1024 = static_cast<int64_t>(Variant::ml_kem_1024);

BENCHMARK(BM_KeyGen)->Arg(k512)->Arg(k768)->Arg(k1024)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Encaps)->Arg(k512)->Arg(k768)->Arg(k1024)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Decaps)->Arg(k512)->Arg(k768)->Arg(k1024)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
