// SPDX-License-Identifier: Apache-2.0
// The default Provider over OpenSSL 3 libcrypto: names, hashing, HMAC, HKDF, randomness,
// and the wiring to the AEAD, key-share and key files of this folder.
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "crypto/hybrid.h"
#include "crypto/openssl_util.h"
#include "crypto/provider.h"

namespace tern::crypto {

size_t hash_size(Hash h) {
  switch (h) {
    case Hash::sha1: return 20;
    case Hash::sha256: return 32;
    case Hash::sha384: return 48;
    case Hash::sha512: return 64;
  }
  return 0;
}

const char* hash_name(Hash h) {
  switch (h) {
    case Hash::sha1: return "SHA-1";
    case Hash::sha256: return "SHA-256";
    case Hash::sha384: return "SHA-384";
    case Hash::sha512: return "SHA-512";
  }
  return "unknown hash";
}

size_t aead_key_size(Aead a) {
  switch (a) {
    case Aead::aes128_gcm: return 16;
    case Aead::aes256_gcm: return 32;
    case Aead::chacha20_poly1305: return 32;
  }
  return 0;
}

const char* key_type_name(KeyType t) {
  switch (t) {
    case KeyType::rsa: return "RSA";
    case KeyType::rsa_pss: return "RSA-PSS";
    case KeyType::ec_p256: return "ECDSA P-256";
    case KeyType::ec_p384: return "ECDSA P-384";
    case KeyType::ec_p521: return "ECDSA P-521";
    case KeyType::ed25519: return "Ed25519";
    case KeyType::x25519: return "X25519";
    case KeyType::unknown: return "unknown key type";
  }
  return "unknown key type";
}

const char* group_name(Group g) {
  switch (g) {
    case Group::secp256r1: return "secp256r1";
    case Group::secp384r1: return "secp384r1";
    case Group::x25519: return "x25519";
    case Group::secp256r1_mlkem768: return "SecP256r1MLKEM768";
    case Group::x25519_mlkem768: return "X25519MLKEM768";
    case Group::secp384r1_mlkem1024: return "SecP384r1MLKEM1024";
  }
  return "unknown group";
}

std::string signature_algorithm_name(const SignatureAlgorithm& alg) {
  switch (alg.kind) {
    case SigKind::ecdsa: return std::string("ECDSA with ") + hash_name(alg.hash);
    case SigKind::rsa_pkcs1: return std::string("RSA PKCS#1 v1.5 with ") + hash_name(alg.hash);
    case SigKind::rsa_pss:
      return std::string("RSA-PSS with ") + hash_name(alg.hash) + " (salt " +
             std::to_string(alg.pss_salt_len) + " bytes)";
    case SigKind::ed25519: return "Ed25519";
  }
  return "unknown signature algorithm";
}

Result<std::unique_ptr<KeyShare>> Provider::key_share_from_private(Group g, BytesView) const {
  return Error(
      Errc::unsupported,
      std::string("this crypto provider cannot import a private key for group ") + group_name(g));
}

Result<Encapsulation> Provider::encapsulate_with(Group g, BytesView peer_public,
                                                 BytesView private_key) const {
  TERN_TRY(auto mine, key_share_from_private(g, private_key));
  TERN_TRY(SecretBytes secret, mine->decapsulate(peer_public));
  BytesView pub = mine->public_key();
  return Encapsulation{Bytes(pub.begin(), pub.end()), std::move(secret)};
}

// HKDF is built on HMAC rather than EVP_KDF: the KDF API in OpenSSL 3.0 looks the digest up
// by name on every call, and the key schedule calls expand a dozen times per handshake.
SecretBytes Provider::hmac(Hash h, BytesView key, BytesView data) const {
  auto k = hmac_key(h, key);
  return k ? k->mac(data) : SecretBytes();
}

SecretBytes Provider::hkdf_extract(Hash h, BytesView salt, BytesView ikm) const {
  // An absent salt is HashLen zero bytes, which HMAC's zero-padding of the key makes
  // identical to an empty key.
  return hmac(h, salt, ikm);
}

Result<SecretBytes> Provider::hkdf_expand(Hash h, BytesView prk, BytesView info,
                                          size_t length) const {
  auto k = hmac_key(h, prk);
  if (!k) return Error(Errc::internal, "HMAC set-up for HKDF-Expand failed");
  return k->expand(info, length);
}

SecretBytes HmacKey::mac(BytesView data) const {
  SecretBytes out(hash_size(algorithm()));
  if (!mac_into({data}, out.span())) return SecretBytes();
  return out;
}

Result<SecretBytes> HmacKey::expand(BytesView info, size_t length) const {
  const Hash h = algorithm();
  const size_t n = hash_size(h);
  if (length > 255 * n) {
    return Error(Errc::usage, "HKDF-Expand with " + std::string(hash_name(h)) +
                                  " can produce at most " + std::to_string(255 * n) + " bytes; " +
                                  std::to_string(length) + " were asked for");
  }
  SecretBytes out(length);
  uint8_t block[64];  // T(i), at most SHA-512's 64 bytes
  size_t done = 0;
  for (unsigned counter = 1; done < length; ++counter) {
    const uint8_t c = static_cast<uint8_t>(counter);
    std::span<uint8_t> t(block, n);
    bool good = counter == 1 ? mac_into({info, BytesView(&c, 1)}, t)
                             : mac_into({BytesView(block, n), info, BytesView(&c, 1)}, t);
    if (!good) {
      base::secure_zero(block, sizeof block);
      return Error(Errc::internal, "HMAC in HKDF-Expand failed");
    }
    size_t take = std::min(n, length - done);
    std::memcpy(out.data() + done, block, take);
    done += take;
  }
  base::secure_zero(block, sizeof block);
  return out;
}

namespace ossl {
namespace {

const char* openssl_md_name(Hash h) {
  switch (h) {
    case Hash::sha1: return "SHA1";
    case Hash::sha256: return "SHA256";
    case Hash::sha384: return "SHA384";
    case Hash::sha512: return "SHA512";
  }
  return "";
}

constexpr Hash kAllHashes[] = {Hash::sha1, Hash::sha256, Hash::sha384, Hash::sha512};

[[noreturn]] void fatal(const char* what) {
  // Without these algorithms no TLS connection can work at all; this is an installation
  // problem (e.g. a broken OPENSSL_CONF), not a peer's doing.
  std::fprintf(stderr, "tern: OpenSSL cannot provide %s; check the OpenSSL installation\n", what);
  std::abort();
}

Algorithms fetch_algorithms() {
  Algorithms a;
  for (Hash h : kAllHashes) {
    auto i = static_cast<size_t>(h);
    a.md[i] = EVP_MD_fetch(nullptr, openssl_md_name(h), nullptr);
    if (!a.md[i]) fatal(openssl_md_name(h));
  }
  a.aes128_gcm = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  a.aes256_gcm = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  a.chacha20_poly1305 = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  if (!a.aes128_gcm || !a.aes256_gcm || !a.chacha20_poly1305) fatal("the TLS AEAD ciphers");
  const char* curves[] = {"P-256", "P-384", "P-521"};
  for (size_t i = 0; i < 3; ++i) {
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                            const_cast<char*>(curves[i]), 0),
                           OSSL_PARAM_construct_end()};
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &a.ec_params[i], EVP_PKEY_KEY_PARAMETERS, params) != 1) {
      fatal(curves[i]);
    }
  }
  ERR_clear_error();
  return a;
}

}  // namespace

const Algorithms& algorithms() {
  // Never freed: the table lives as long as the process, like libcrypto itself.
  static const Algorithms* table = new Algorithms(fetch_algorithms());
  return *table;
}

const EVP_MD* md(Hash h) { return algorithms().md[static_cast<size_t>(h)]; }

void clear_errors() { ERR_clear_error(); }

PkeyPtr ec_public_key(Curve c, BytesView point) {
  PkeyPtr key(EVP_PKEY_new());
  // set1_encoded_public_key decodes the point and checks that it is on the curve.
  if (!key || point.empty() ||
      EVP_PKEY_copy_parameters(key.get(), algorithms().ec_params[static_cast<size_t>(c)]) != 1 ||
      EVP_PKEY_set1_encoded_public_key(key.get(), point.data(), point.size()) != 1) {
    clear_errors();
    return nullptr;
  }
  return key;
}

PkeyPtr ec_generate(Curve c) {
  PkeyCtxPtr ctx(
      EVP_PKEY_CTX_new_from_pkey(nullptr, algorithms().ec_params[static_cast<size_t>(c)], nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_generate(ctx.get(), &key) != 1) {
    clear_errors();
    return nullptr;
  }
  return PkeyPtr(key);
}

Error openssl_error(Errc code, std::string what, Alert alert) {
  unsigned long e = ERR_peek_last_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    const char* reason = ERR_reason_error_string(e);
    what += " (OpenSSL: ";
    what += reason ? reason : buf;
    what += ")";
  }
  ERR_clear_error();
  return Error(code, std::move(what), alert);
}

namespace {

class OpensslProvider final : public Provider {
 public:
  Result<void> random(std::span<uint8_t> out) const override {
    if (out.empty()) return ok();
    if (out.size() > static_cast<size_t>(INT_MAX) ||
        RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
      return openssl_error(Errc::internal, "the system random number generator failed",
                           Alert::internal_error);
    }
    return ok();
  }

  Bytes hash(Hash h, BytesView data) const override {
    auto ctx = make_hash_context(h);
    ctx->update(data);
    return ctx->peek();
  }

  std::unique_ptr<HashContext> hash_context(Hash h) const override {
    return make_hash_context(h);
  }

  std::unique_ptr<HmacKey> hmac_key(Hash h, BytesView key) const override {
    return make_hmac_key(h, key);
  }

  Result<std::unique_ptr<AeadContext>> aead(Aead a, BytesView key) const override {
    return make_aead(a, key);
  }

  // ECDHE from libcrypto; the ML-KEM hybrids combine it with tern's own ML-KEM.
  bool supports(Group g) const override {
    return hybrid::is_hybrid(g) || g == Group::x25519 || g == Group::secp256r1 ||
           g == Group::secp384r1;
  }
  Result<std::unique_ptr<KeyShare>> generate_key_share(Group g) const override {
    if (hybrid::is_hybrid(g)) return hybrid::generate(*this, g);
    return ossl::generate_key_share(g);
  }
  Result<Encapsulation> encapsulate(Group g, BytesView peer_public) const override {
    if (hybrid::is_hybrid(g)) return hybrid::encapsulate(*this, g, peer_public);
    return ossl::encapsulate(g, peer_public);
  }
  Result<Encapsulation> encapsulate_with(Group g, BytesView peer_public,
                                         BytesView private_key) const override {
    if (hybrid::is_hybrid(g)) return hybrid::encapsulate(*this, g, peer_public, private_key);
    return Provider::encapsulate_with(g, peer_public, private_key);
  }
  Result<std::unique_ptr<KeyShare>> key_share_from_private(Group g,
                                                           BytesView private_key) const override {
    if (hybrid::is_hybrid(g)) return hybrid::from_private(*this, g, private_key);
    return ossl::key_share_from_private(g, private_key);
  }

  Result<std::unique_ptr<PublicKey>> parse_public_key(BytesView spki) const override {
    return ossl::parse_public_key(spki);
  }
  Result<std::unique_ptr<PrivateKey>> parse_private_key(BytesView der) const override {
    return ossl::parse_private_key(der);
  }
  Result<std::unique_ptr<PrivateKey>> generate_private_key(KeyType t,
                                                           size_t rsa_bits) const override {
    return ossl::generate_private_key(t, rsa_bits);
  }
};

}  // namespace
}  // namespace ossl

const Provider& default_provider() {
  static const ossl::OpensslProvider provider;
  (void)ossl::algorithms();  // fetch eagerly, on first use of the provider
  return provider;
}

}  // namespace tern::crypto
