// SPDX-License-Identifier: Apache-2.0
// Hashing (the transcript) and HMAC (RFC 2104, the padded key absorbed once per key) over
// libcrypto's SHA-1/SHA-2 functions. These low-level functions are deprecated in OpenSSL
// 3.0 in favour of EVP, but they run the same assembly (SHA-NI, AVX2) without EVP's
// per-call provider dispatch, context duplication (an allocation per copy) and cleansing,
// which cost a quarter of a short HMAC: a handshake side computes about 25 HMACs and a
// dozen transcript snapshots.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include "base/secret.h"
#include "crypto/openssl_util.h"

namespace tern::crypto::ossl {

namespace {

size_t block_size(Hash h) { return h == Hash::sha384 || h == Hash::sha512 ? 128 : 64; }

// One running hash of any of the four functions; a plain value, so copying it is a memcpy.
class ShaState {
 public:
  explicit ShaState(Hash h) : hash_(h) {
    switch (h) {
      case Hash::sha1: SHA1_Init(&ctx_.sha1); break;
      case Hash::sha256: SHA256_Init(&ctx_.sha256); break;
      case Hash::sha384: SHA384_Init(&ctx_.sha512); break;
      case Hash::sha512: SHA512_Init(&ctx_.sha512); break;
    }
  }
  void update(BytesView data) {
    if (data.empty()) return;
    switch (hash_) {
      case Hash::sha1: SHA1_Update(&ctx_.sha1, data.data(), data.size()); break;
      case Hash::sha256: SHA256_Update(&ctx_.sha256, data.data(), data.size()); break;
      case Hash::sha384:  // SHA-384 is SHA-512 with other initial values, truncated
      case Hash::sha512: SHA512_Update(&ctx_.sha512, data.data(), data.size()); break;
    }
  }
  // Writes hash_size() bytes.
  void finish(uint8_t* out) {
    switch (hash_) {
      case Hash::sha1: SHA1_Final(out, &ctx_.sha1); break;
      case Hash::sha256: SHA256_Final(out, &ctx_.sha256); break;
      case Hash::sha384: SHA384_Final(out, &ctx_.sha512); break;
      case Hash::sha512: SHA512_Final(out, &ctx_.sha512); break;
    }
  }
  void wipe() { base::secure_zero(&ctx_, sizeof ctx_); }

 private:
  Hash hash_;
  union {
    SHA_CTX sha1;
    SHA256_CTX sha256;
    SHA512_CTX sha512;
  } ctx_;
};

// A running hash; a copy is a plain copy of the state, so transcript snapshots are cheap.
class ShaHashContext final : public HashContext {
 public:
  explicit ShaHashContext(Hash h) : hash_(h), state_(h) {}
  ~ShaHashContext() override { state_.wipe(); }
  void update(BytesView data) override { state_.update(data); }
  Bytes peek() const override {
    Bytes out(hash_size(hash_));
    ShaState s = state_;
    s.finish(out.data());
    s.wipe();
    return out;
  }
  std::unique_ptr<HashContext> copy() const override {
    return std::unique_ptr<HashContext>(new ShaHashContext(*this));
  }
  Hash algorithm() const override { return hash_; }

 private:
  ShaHashContext(const ShaHashContext&) = default;
  Hash hash_;
  ShaState state_;
};

class ShaHmacKey final : public HmacKey {
 public:
  ShaHmacKey(Hash h, BytesView key) : hash_(h), inner_(h), outer_(h) {
    const size_t b = block_size(h);
    uint8_t hashed[64];
    if (key.size() > b) {  // RFC 2104: a key longer than the block is hashed first
      ShaState s(h);
      s.update(key);
      s.finish(hashed);
      s.wipe();
      key = BytesView(hashed, hash_size(h));
    }
    uint8_t pad[128];
    for (size_t i = 0; i < b; ++i) pad[i] = static_cast<uint8_t>((i < key.size() ? key[i] : 0) ^ 0x36);
    inner_.update(BytesView(pad, b));
    for (size_t i = 0; i < b; ++i) pad[i] ^= 0x36 ^ 0x5c;
    outer_.update(BytesView(pad, b));
    base::secure_zero(pad, sizeof pad);
    base::secure_zero(hashed, sizeof hashed);
  }
  ~ShaHmacKey() override {
    inner_.wipe();
    outer_.wipe();
  }

  Hash algorithm() const override { return hash_; }

  bool mac_into(std::initializer_list<BytesView> parts, std::span<uint8_t> out) const override {
    const size_t n = hash_size(hash_);
    if (out.size() != n) return false;
    uint8_t inner_hash[64];
    ShaState s = inner_;
    for (BytesView part : parts) s.update(part);
    s.finish(inner_hash);
    s = outer_;
    s.update(BytesView(inner_hash, n));
    s.finish(out.data());
    s.wipe();
    base::secure_zero(inner_hash, sizeof inner_hash);
    return true;
  }

 private:
  Hash hash_;
  ShaState inner_, outer_;  // after absorbing the key XOR ipad, and XOR opad
};

}  // namespace

std::unique_ptr<HashContext> make_hash_context(Hash h) {
  return std::make_unique<ShaHashContext>(h);
}

std::unique_ptr<HmacKey> make_hmac_key(Hash h, BytesView key) {
  return std::make_unique<ShaHmacKey>(h, key);
}

}  // namespace tern::crypto::ossl
