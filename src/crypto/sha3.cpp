#include "crypto/sha3.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace tern::crypto {
namespace {

struct Digests {
  EVP_MD* sha3_256 = EVP_MD_fetch(nullptr, "SHA3-256", nullptr);
  EVP_MD* sha3_512 = EVP_MD_fetch(nullptr, "SHA3-512", nullptr);
  EVP_MD* shake128 = EVP_MD_fetch(nullptr, "SHAKE128", nullptr);
  EVP_MD* shake256 = EVP_MD_fetch(nullptr, "SHAKE256", nullptr);
};

const Digests& digests() {
  static const Digests d;
  return d;
}

// The hashes here cannot fail short of a broken libcrypto; there is no sensible recovery
// for a KEM whose hash is missing, so that is fatal rather than a Result on every call.
void check(int ok) {
  if (ok != 1) std::abort();
}

// One context per thread, reset by each use: ML-KEM makes dozens of hash calls per
// operation and allocating a context for each is measurable.
EVP_MD_CTX* thread_context() {
  struct Holder {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Holder() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Holder holder;
  if (!holder.ctx) std::abort();
  return holder.ctx;
}

void run(const EVP_MD* md, bool xof, std::initializer_list<BytesView> parts,
         std::span<uint8_t> out) {
  if (!md) std::abort();
  EVP_MD_CTX* ctx = thread_context();
  check(EVP_DigestInit_ex2(ctx, md, nullptr));
  for (BytesView p : parts) check(EVP_DigestUpdate(ctx, p.data(), p.size()));
  if (xof) {
    check(EVP_DigestFinalXOF(ctx, out.data(), out.size()));
  } else {
    check(EVP_DigestFinal_ex(ctx, out.data(), nullptr));
  }
}

}  // namespace

void sha3_256(std::initializer_list<BytesView> parts, std::span<uint8_t, 32> out) {
  run(digests().sha3_256, false, parts, out);
}
void sha3_512(std::initializer_list<BytesView> parts, std::span<uint8_t, 64> out) {
  run(digests().sha3_512, false, parts, out);
}
void shake128(std::initializer_list<BytesView> parts, std::span<uint8_t> out) {
  run(digests().shake128, true, parts, out);
}
void shake256(std::initializer_list<BytesView> parts, std::span<uint8_t> out) {
  run(digests().shake256, true, parts, out);
}

struct Shake::State {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(ctx); }
};

Shake::Shake(Strength s) : state_(std::make_unique<State>()) {
  const EVP_MD* md = s == Strength::shake128 ? digests().shake128 : digests().shake256;
  if (!md || !state_->ctx) std::abort();
  check(EVP_DigestInit_ex2(state_->ctx, md, nullptr));
}
Shake::~Shake() = default;

void Shake::absorb(BytesView data) { check(EVP_DigestUpdate(state_->ctx, data.data(), data.size())); }

void Shake::finish(std::span<uint8_t> out) {
  check(EVP_DigestFinalXOF(state_->ctx, out.data(), out.size()));
}

}  // namespace tern::crypto
