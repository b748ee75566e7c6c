// SPDX-License-Identifier: Apache-2.0
// Reference points measured through libcrypto directly: the primitives a handshake cannot
// avoid (the "floor"), and one TLS 1.3 record sealed and opened (the raw AEAD speed that
// bulk transfer is compared to). Algorithms are fetched and keys decoded once.
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>
#include <string>

#include "bench.h"

namespace tern_bench {
namespace {

bool fail(std::string& error, const char* what) {
  char buf[256] = "no OpenSSL error queued";
  if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, buf, sizeof buf);
  error = std::string(what) + ": " + buf;
  ERR_clear_error();
  return false;
}

class FloorImpl : public Operation {
 public:
  ~FloorImpl() override {
    EVP_PKEY_CTX_free(x25519_);
    EVP_PKEY_free(leaf_key_);
    EVP_PKEY_free(leaf_public_);
    EVP_PKEY_free(root_public_);
    EVP_MD_free(sha256_);
    EVP_MD_CTX_free(md_);
  }

  bool setup(FloorKind kind, std::string& error) {
    kind_ = kind;
    x25519_ = EVP_PKEY_CTX_new_from_name(nullptr, "X25519", nullptr);
    if (!x25519_ || EVP_PKEY_keygen_init(x25519_) != 1) return fail(error, "X25519 context");
    if (kind == FloorKind::key_exchange) return true;
    const Pki& p = pki(key_kind());
    const unsigned char* der = p.leaf_key_pkcs8.data();
    leaf_key_ = d2i_AutoPrivateKey(nullptr, &der, static_cast<long>(p.leaf_key_pkcs8.size()));
    if (!leaf_key_) return fail(error, "leaf key");
    leaf_public_ = public_key_of(p.leaf_der);
    root_public_ = public_key_of(p.root_der);
    if (!leaf_public_ || !root_public_) return fail(error, "certificate keys");
    sha256_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    md_ = EVP_MD_CTX_new();
    if (!sha256_ || !md_) return fail(error, "SHA-256");
    signed_content_ = certificate_verify_content();
    return true;
  }

  bool once(std::string& error) override {
    // Both sides' key shares: generate, send the public key, derive from the peer's.
    EVP_PKEY* client = nullptr;
    EVP_PKEY* server = nullptr;
    if (EVP_PKEY_keygen(x25519_, &client) != 1 || EVP_PKEY_keygen(x25519_, &server) != 1) {
      EVP_PKEY_free(client);
      return fail(error, "X25519 keygen");
    }
    bool ok = derive(server, client) && derive(client, server);
    EVP_PKEY_free(client);
    EVP_PKEY_free(server);
    if (!ok) return fail(error, "X25519 derive");
    if (kind_ == FloorKind::key_exchange) return true;
    // The server signs CertificateVerify; the client verifies it and the leaf certificate.
    uint8_t signature[512];
    size_t signature_size = sizeof signature;
    EVP_PKEY_CTX* pctx = nullptr;
    EVP_MD_CTX_reset(md_);
    if (EVP_DigestSignInit(md_, &pctx, sha256_, nullptr, leaf_key_) != 1 || !pss(pctx) ||
        EVP_DigestSign(md_, signature, &signature_size, signed_content_.data(), signed_content_.size()) != 1)
      return fail(error, "CertificateVerify sign");
    EVP_MD_CTX_reset(md_);
    if (EVP_DigestVerifyInit(md_, &pctx, sha256_, nullptr, leaf_public_) != 1 || !pss(pctx) ||
        EVP_DigestVerify(md_, signature, signature_size, signed_content_.data(), signed_content_.size()) != 1)
      return fail(error, "CertificateVerify verify");
    const Pki& p = pki(key_kind());
    EVP_MD_CTX_reset(md_);  // the root signs with ECDSA or RSA PKCS#1 v1.5
    if (EVP_DigestVerifyInit(md_, nullptr, sha256_, nullptr, root_public_) != 1 ||
        EVP_DigestVerify(md_, p.leaf_signature.data(), p.leaf_signature.size(), p.leaf_tbs.data(),
                         p.leaf_tbs.size()) != 1)
      return fail(error, "leaf certificate verify");
    return true;
  }

 private:
  KeyKind key_kind() const {
    return kind_ == FloorKind::rsa_2048 ? KeyKind::rsa_2048 : KeyKind::ecdsa_p256;
  }
  // RSA CertificateVerify is RSA-PSS with a salt as long as the hash (RFC 8446 §4.2.3).
  bool pss(EVP_PKEY_CTX* pctx) const {
    return kind_ != FloorKind::rsa_2048 ||
           (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1);
  }
  static EVP_PKEY* public_key_of(const Bytes& cert_der) {
    const unsigned char* der = cert_der.data();
    X509* cert = d2i_X509(nullptr, &der, static_cast<long>(cert_der.size()));
    if (!cert) return nullptr;
    EVP_PKEY* key = X509_get_pubkey(cert);
    X509_free(cert);
    return key;
  }

  // `self` derives with the public key `peer` sent (as raw bytes, as on the wire).
  static bool derive(EVP_PKEY* self, EVP_PKEY* peer) {
    uint8_t raw[32], secret[32];
    size_t raw_size = sizeof raw, secret_size = sizeof secret;
    if (EVP_PKEY_get_raw_public_key(peer, raw, &raw_size) != 1) return false;
    EVP_PKEY* received = EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, raw, raw_size);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, self, nullptr);
    bool ok = received && ctx && EVP_PKEY_derive_init(ctx) == 1 &&
              EVP_PKEY_derive_set_peer(ctx, received) == 1 &&
              EVP_PKEY_derive(ctx, secret, &secret_size) == 1;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(received);
    return ok;
  }

  FloorKind kind_ = FloorKind::ecdsa_p256;
  EVP_PKEY_CTX* x25519_ = nullptr;
  EVP_PKEY* leaf_key_ = nullptr;
  EVP_PKEY* leaf_public_ = nullptr;
  EVP_PKEY* root_public_ = nullptr;
  EVP_MD* sha256_ = nullptr;
  EVP_MD_CTX* md_ = nullptr;
  Bytes signed_content_;
};

class RawAeadImpl : public Operation {
 public:
  explicit RawAeadImpl(size_t size) : plaintext_(size + 1, 0x17), sealed_(size + 1), opened_(size + 1) {}
  ~RawAeadImpl() override {
    EVP_CIPHER_CTX_free(seal_);
    EVP_CIPHER_CTX_free(open_);
    EVP_CIPHER_free(cipher_);
  }

  bool setup(uint16_t suite, std::string& error) {
    const char* name = suite == 0x1301 ? "AES-128-GCM" : suite == 0x1302 ? "AES-256-GCM"
                                                        : "ChaCha20-Poly1305";
    cipher_ = EVP_CIPHER_fetch(nullptr, name, nullptr);
    seal_ = EVP_CIPHER_CTX_new();
    open_ = EVP_CIPHER_CTX_new();
    uint8_t key[32] = {1, 2, 3};
    if (!cipher_ || !seal_ || !open_ || EVP_EncryptInit_ex2(seal_, cipher_, key, nullptr, nullptr) != 1 ||
        EVP_DecryptInit_ex2(open_, cipher_, key, nullptr, nullptr) != 1)
      return fail(error, name);
    return true;
  }

  bool once(std::string& error) override {
    // The per-record nonce: the IV XOR the sequence number.
    uint8_t nonce[12] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0};
    std::memcpy(nonce + 4, &sequence_, sizeof sequence_);
    ++sequence_;
    size_t n = plaintext_.size();
    uint8_t aad[5] = {0x17, 0x03, 0x03, static_cast<uint8_t>((n + 16) >> 8),
                      static_cast<uint8_t>(n + 16)};
    uint8_t tag[16];
    int len = 0, final_len = 0;
    if (EVP_EncryptInit_ex2(seal_, nullptr, nullptr, nonce, nullptr) != 1 ||
        EVP_EncryptUpdate(seal_, nullptr, &len, aad, sizeof aad) != 1 ||
        EVP_EncryptUpdate(seal_, sealed_.data(), &len, plaintext_.data(), static_cast<int>(n)) != 1 ||
        EVP_EncryptFinal_ex(seal_, sealed_.data() + len, &final_len) != 1 ||
        EVP_CIPHER_CTX_ctrl(seal_, EVP_CTRL_AEAD_GET_TAG, sizeof tag, tag) != 1)
      return fail(error, "seal");
    if (EVP_DecryptInit_ex2(open_, nullptr, nullptr, nonce, nullptr) != 1 ||
        EVP_DecryptUpdate(open_, nullptr, &len, aad, sizeof aad) != 1 ||
        EVP_DecryptUpdate(open_, opened_.data(), &len, sealed_.data(), static_cast<int>(n)) != 1 ||
        EVP_CIPHER_CTX_ctrl(open_, EVP_CTRL_AEAD_SET_TAG, sizeof tag, tag) != 1 ||
        EVP_DecryptFinal_ex(open_, opened_.data() + len, &final_len) != 1)
      return fail(error, "open");
    return true;
  }

 private:
  Bytes plaintext_, sealed_, opened_;
  EVP_CIPHER* cipher_ = nullptr;
  EVP_CIPHER_CTX* seal_ = nullptr;
  EVP_CIPHER_CTX* open_ = nullptr;
  uint64_t sequence_ = 0;
};

}  // namespace

Bytes certificate_verify_content() {
  static const char kContext[] = "TLS 1.3, server CertificateVerify";
  Bytes content(64, ' ');
  content.insert(content.end(), kContext, kContext + sizeof kContext);  // with its zero byte
  for (uint8_t i = 0; i < 32; ++i) content.push_back(i);
  return content;
}

std::unique_ptr<Operation> make_floor(FloorKind kind, std::string& error) {
  auto floor = std::make_unique<FloorImpl>();
  if (!floor->setup(kind, error)) return nullptr;
  return floor;
}

std::unique_ptr<Operation> make_raw_aead(uint16_t suite, size_t size, std::string& error) {
  auto raw = std::make_unique<RawAeadImpl>(size);
  if (!raw->setup(suite, error)) return nullptr;
  return raw;
}

}  // namespace tern_bench
