// SPDX-License-Identifier: Apache-2.0
// AEAD record protection: AES-GCM and ChaCha20-Poly1305 over one EVP_CIPHER_CTX per key.
// The key schedule runs once in make_aead(); each seal/open only sets the nonce, so the
// record path neither allocates nor fetches.
#include <openssl/core_names.h>

#include <climits>

#include "crypto/openssl_util.h"

namespace tern::crypto::ossl {
namespace {

bool fits_int(size_t n) { return n <= static_cast<size_t>(INT_MAX); }

// Gets (after sealing) or sets (before opening) the 16-byte tag through the parameter API
// directly: EVP_CIPHER_CTX_ctrl would translate to the same call on every record.
bool tag_param(EVP_CIPHER_CTX* c, uint8_t* tag, bool set) {
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, kAeadTagSize),
      OSSL_PARAM_construct_end()};
  return (set ? EVP_CIPHER_CTX_set_params(c, params) : EVP_CIPHER_CTX_get_params(c, params)) == 1;
}

class OpensslAead final : public AeadContext {
 public:
  explicit OpensslAead(CipherCtxPtr ctx) : ctx_(std::move(ctx)) {}

  Result<void> seal_parts(BytesView nonce, BytesView aad, BytesView source,
                          std::span<uint8_t> dest, std::span<uint8_t> tail,
                          std::span<uint8_t> tag) override {
    if (nonce.size() != kAeadNonceSize || tag.size() != kAeadTagSize) {
      return Error(Errc::usage, "AEAD seal needs a 12-byte nonce and a 16-byte tag buffer");
    }
    if (dest.size() != source.size()) {
      return Error(Errc::usage, "AEAD seal: the destination must be as long as the source");
    }
    if (!fits_int(aad.size()) || !fits_int(source.size()) || !fits_int(tail.size())) {
      return Error(Errc::usage, "AEAD seal input is too large");
    }
    EVP_CIPHER_CTX* c = ctx_.get();
    int len = 0;
    if (!EVP_CipherInit_ex2(c, nullptr, nullptr, nonce.data(), 1, nullptr) ||
        (!aad.empty() &&
         !EVP_CipherUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size()))) ||
        (!source.empty() && !EVP_CipherUpdate(c, dest.data(), &len, source.data(),
                                              static_cast<int>(source.size()))) ||
        (!tail.empty() &&
         !EVP_CipherUpdate(c, tail.data(), &len, tail.data(), static_cast<int>(tail.size()))) ||
        !EVP_CipherFinal_ex(c, nullptr, &len) || !tag_param(c, tag.data(), false)) {
      return openssl_error(Errc::internal, "AEAD encryption failed", Alert::internal_error);
    }
    return ok();
  }

  Result<void> open(BytesView nonce, BytesView aad, std::span<uint8_t> data,
                    BytesView tag) override {
    if (nonce.size() != kAeadNonceSize) {
      return Error(Errc::usage, "AEAD open needs a 12-byte nonce");
    }
    if (tag.size() != kAeadTagSize) {
      return Error(Errc::crypto, "record authentication tag is not 16 bytes",
                   Alert::bad_record_mac);
    }
    if (!fits_int(aad.size()) || !fits_int(data.size())) {
      return Error(Errc::usage, "AEAD open input is too large");
    }
    EVP_CIPHER_CTX* c = ctx_.get();
    int len = 0;
    if (!EVP_CipherInit_ex2(c, nullptr, nullptr, nonce.data(), 0, nullptr) ||
        !tag_param(c, const_cast<uint8_t*>(tag.data()), true) ||
        (!aad.empty() &&
         !EVP_CipherUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size()))) ||
        (!data.empty() &&
         !EVP_CipherUpdate(c, data.data(), &len, data.data(), static_cast<int>(data.size())))) {
      return openssl_error(Errc::internal, "AEAD decryption failed", Alert::internal_error);
    }
    if (EVP_CipherFinal_ex(c, nullptr, &len) != 1) {
      clear_errors();
      // The caller must not see unauthenticated plaintext.
      if (!data.empty()) base::secure_zero(data.data(), data.size());
      return Error(Errc::crypto, "record authentication failed (bad AEAD tag)",
                   Alert::bad_record_mac);
    }
    return ok();
  }

 private:
  CipherCtxPtr ctx_;
};

}  // namespace

Result<std::unique_ptr<AeadContext>> make_aead(Aead a, BytesView key) {
  const Algorithms& algs = algorithms();
  const EVP_CIPHER* cipher = nullptr;
  const char* name = "";
  switch (a) {
    case Aead::aes128_gcm:
      cipher = algs.aes128_gcm;
      name = "AES-128-GCM";
      break;
    case Aead::aes256_gcm:
      cipher = algs.aes256_gcm;
      name = "AES-256-GCM";
      break;
    case Aead::chacha20_poly1305:
      cipher = algs.chacha20_poly1305;
      name = "ChaCha20-Poly1305";
      break;
  }
  if (!cipher) return Error(Errc::unsupported, "unknown AEAD algorithm");
  if (key.size() != aead_key_size(a)) {
    return Error(Errc::usage, std::string(name) + " needs a " + std::to_string(aead_key_size(a)) +
                                  "-byte key, got " + std::to_string(key.size()) + " bytes");
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  // The nonce is set per record; 12 bytes is the default IV length of all three ciphers.
  if (!ctx || !EVP_CipherInit_ex2(ctx.get(), cipher, key.data(), nullptr, 1, nullptr)) {
    return openssl_error(Errc::internal, std::string("setting up ") + name + " failed");
  }
  return std::unique_ptr<AeadContext>(std::make_unique<OpensslAead>(std::move(ctx)));
}

}  // namespace tern::crypto::ossl
