// SHA3-256/512 and SHAKE128/256 (FIPS 202) through libcrypto, for ML-KEM's H, G, J, PRF
// and XOF. Inputs are given as a list of parts so callers need not concatenate.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>

#include "tern/bytes.h"

namespace tern::crypto {

void sha3_256(std::initializer_list<BytesView> parts, std::span<uint8_t, 32> out);
void sha3_512(std::initializer_list<BytesView> parts, std::span<uint8_t, 64> out);
// Fills `out` with the first out.size() bytes of the XOF output. A longer request returns
// the same prefix, which is how a caller that needs more output "continues" the stream.
void shake128(std::initializer_list<BytesView> parts, std::span<uint8_t> out);
void shake256(std::initializer_list<BytesView> parts, std::span<uint8_t> out);

// A SHAKE instance fed incrementally and finished once (OpenSSL 3.0 has no squeeze-more).
class Shake {
 public:
  enum class Strength : uint8_t { shake128, shake256 };
  explicit Shake(Strength s);
  ~Shake();
  Shake(const Shake&) = delete;
  Shake& operator=(const Shake&) = delete;
  void absorb(BytesView data);
  void finish(std::span<uint8_t> out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tern::crypto
