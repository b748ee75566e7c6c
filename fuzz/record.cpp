// SPDX-License-Identifier: Apache-2.0
// Fuzzes the record layer's receive path as a peer would drive it: framing of arbitrary
// bytes, then opening each record under fixed TLS 1.3 and TLS 1.2 keys. Must never crash
// or read out of bounds, whatever the headers, lengths and ciphertexts.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "record/record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  if (size == 0) return 0;
  const uint8_t key[32] = {7}, iv[12] = {9};
  bool tls13 = data[0] & 1;
  auto aead = (data[0] & 2) ? crypto::Aead::chacha20_poly1305 : crypto::Aead::aes128_gcm;
  size_t iv_len = !tls13 && aead == crypto::Aead::aes128_gcm ? 4 : 12;
  auto cipher = record::Cipher::create(crypto::default_provider(),
                                       tls13 ? record::Version::tls13 : record::Version::tls12,
                                       aead, BytesView(key, crypto::aead_key_size(aead)),
                                       BytesView(iv, iv_len));
  if (!cipher.ok()) __builtin_trap();
  std::vector<uint8_t> buffer(data + 1, data + size);
  std::span<uint8_t> rest(buffer);
  size_t max = tls13 ? record::kMaxCiphertext13 : record::kMaxCiphertext12;
  while (true) {
    auto rec = record::next_record(rest, max);
    if (!rec.ok() || !rec->has_value()) break;
    size_t consumed = (*rec)->size();
    (void)cipher->open(**rec);
    rest = rest.subspan(consumed);
  }
  return 0;
}
