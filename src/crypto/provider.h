// SPDX-License-Identifier: Apache-2.0
// The crypto Provider: every primitive tern uses, behind one interface, so the protocol
// code never names a backend. The default backend is OpenSSL 3 libcrypto (EVP); see
// openssl_provider.cpp (and openssl_aead/key_share/keys.cpp). Algorithms are fetched once
// per process and reused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>

#include "base/secret.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::crypto {

using base::SecretBytes;

enum class Hash : uint8_t { sha1, sha256, sha384, sha512 };
size_t hash_size(Hash h);
const char* hash_name(Hash h);

// Incremental hashing (the TLS transcript). copy() forks the running state.
class HashContext {
 public:
  virtual ~HashContext() = default;
  virtual void update(BytesView data) = 0;
  // The digest of everything so far; the context stays usable.
  virtual Bytes peek() const = 0;
  virtual std::unique_ptr<HashContext> copy() const = 0;
  virtual Hash algorithm() const = 0;
};

// HMAC under one key, the key's padded blocks hashed once and reused for every message:
// TLS takes several MACs under one secret (HKDF-Expand of several labels, the TLS 1.2
// PRF), so each costs two compression rounds instead of four.
class HmacKey {
 public:
  virtual ~HmacKey() = default;
  virtual Hash algorithm() const = 0;
  // HMAC(key, parts[0] || parts[1] || ...) into `out`, which has hash_size() bytes. False
  // only if the backend fails.
  virtual bool mac_into(std::initializer_list<BytesView> parts, std::span<uint8_t> out) const = 0;
  SecretBytes mac(BytesView data) const;
  // HKDF-Expand (RFC 5869) with this key as the PRK. Fails (Errc::usage) for a length over
  // 255 * hash_size, the RFC 5869 limit.
  Result<SecretBytes> expand(BytesView info, size_t length) const;
};

enum class Aead : uint8_t { aes128_gcm, aes256_gcm, chacha20_poly1305 };
size_t aead_key_size(Aead a);
constexpr size_t kAeadNonceSize = 12, kAeadTagSize = 16;

// One direction of record protection under one key. seal/open work in place; the
// context is set up once per key and reused for every record.
class AeadContext {
 public:
  virtual ~AeadContext() = default;
  // Encrypts `data` in place and writes the 16-byte tag to `tag`.
  Result<void> seal(BytesView nonce, BytesView aad, std::span<uint8_t> data,
                    std::span<uint8_t> tag) {
    return seal_parts(nonce, aad, data, data, {}, tag);
  }
  // One message of `source` then `tail`: `source` is encrypted into `dest` (the same size;
  // the same memory or not overlapping at all), `tail` in place right after, and the tag
  // written to `tag`. The record layer seals a caller's plaintext straight into the record
  // this way, without first copying it there.
  virtual Result<void> seal_parts(BytesView nonce, BytesView aad, BytesView source,
                                  std::span<uint8_t> dest, std::span<uint8_t> tail,
                                  std::span<uint8_t> tag) = 0;
  // Decrypts `data` in place; fails (and the plaintext must be discarded) if `tag` does
  // not verify.
  virtual Result<void> open(BytesView nonce, BytesView aad, std::span<uint8_t> data,
                            BytesView tag) = 0;
};

enum class KeyType : uint8_t { rsa, rsa_pss, ec_p256, ec_p384, ec_p521, ed25519, x25519, unknown };
const char* key_type_name(KeyType t);

// A signature algorithm as X.509 and TLS both need it: the scheme, its hash and, for PSS,
// the salt length (RFC 8446 fixes it to the hash size; X.509 states it in parameters).
enum class SigKind : uint8_t { ecdsa, rsa_pkcs1, rsa_pss, ed25519 };
struct SignatureAlgorithm {
  SigKind kind = SigKind::ecdsa;
  Hash hash = Hash::sha256;  // ignored for ed25519
  size_t pss_salt_len = 0;   // rsa_pss only
  bool operator==(const SignatureAlgorithm&) const = default;
};
std::string signature_algorithm_name(const SignatureAlgorithm& alg);

class PublicKey {
 public:
  virtual ~PublicKey() = default;
  virtual KeyType type() const = 0;
  virtual size_t bits() const = 0;
  // Fails with Errc::crypto when the signature does not verify (alert decrypt_error), or
  // when `alg` does not fit the key type (alert illegal_parameter).
  virtual Result<void> verify(const SignatureAlgorithm& alg, BytesView message,
                              BytesView signature) const = 0;
  // The DER SubjectPublicKeyInfo.
  virtual Bytes spki() const = 0;
  // RSAES-PKCS1-v1_5 encryption (the TLS 1.2 client's RSA key transport).
  virtual Result<Bytes> rsa_encrypt(BytesView plaintext) const = 0;
};

class PrivateKey {
 public:
  virtual ~PrivateKey() = default;
  virtual KeyType type() const = 0;
  virtual size_t bits() const = 0;
  virtual Result<Bytes> sign(const SignatureAlgorithm& alg, BytesView message) const = 0;
  virtual std::unique_ptr<PublicKey> public_key() const = 0;
  // RSAES-PKCS1-v1_5 decryption (TLS 1.2 RSA key transport). Never an oracle: on a bad
  // padding or a plaintext of the wrong length it returns `fallback` instead, in constant
  // time (RFC 5246 §7.4.7.1). `fallback.size()` is the expected plaintext length.
  virtual Result<SecretBytes> rsa_decrypt_implicit(BytesView ciphertext,
                                                   const SecretBytes& fallback) const = 0;
  // PKCS#8 PrivateKeyInfo DER, for writing key files.
  virtual Result<SecretBytes> pkcs8() const = 0;
};

// A key-exchange group seen as a KEM, so ECDHE and ML-KEM hybrids fit one interface:
// the client calls generate() and sends public_key(); the server calls encapsulate() on
// it and sends back the ciphertext (for ECDH, its own public key); the client calls
// decapsulate() on that. Both end with the same shared secret.
enum class Group : uint16_t {  // TLS NamedGroup code points
  secp256r1 = 0x0017,
  secp384r1 = 0x0018,
  x25519 = 0x001d,
  secp256r1_mlkem768 = 0x11eb,
  x25519_mlkem768 = 0x11ec,
  secp384r1_mlkem1024 = 0x11ed,
};
const char* group_name(Group g);

class KeyShare {
 public:
  virtual ~KeyShare() = default;
  virtual Group group() const = 0;
  virtual BytesView public_key() const = 0;
  // Fails with Alert::illegal_parameter on a malformed or invalid peer value.
  virtual Result<SecretBytes> decapsulate(BytesView ciphertext) const = 0;
};

struct Encapsulation {
  Bytes ciphertext;  // what the server sends in its key_share
  SecretBytes shared_secret;
};

class Provider {
 public:
  virtual ~Provider() = default;

  // Randomness from the OS CSPRNG (tests replace it via the TLS config, not here).
  virtual Result<void> random(std::span<uint8_t> out) const = 0;

  virtual Bytes hash(Hash h, BytesView data) const = 0;
  virtual std::unique_ptr<HashContext> hash_context(Hash h) const = 0;
  // The key set up once for many MACs (see HmacKey); null only if the backend fails.
  virtual std::unique_ptr<HmacKey> hmac_key(Hash h, BytesView key) const = 0;
  // One-off HMAC and HKDF (RFC 5869), all on hmac_key(); empty (or an error) only if the
  // backend fails.
  SecretBytes hmac(Hash h, BytesView key, BytesView data) const;
  SecretBytes hkdf_extract(Hash h, BytesView salt, BytesView ikm) const;
  // Fails (Errc::usage) for a length over 255 * hash_size(h), the RFC 5869 limit.
  Result<SecretBytes> hkdf_expand(Hash h, BytesView prk, BytesView info, size_t length) const;

  virtual Result<std::unique_ptr<AeadContext>> aead(Aead a, BytesView key) const = 0;

  virtual bool supports(Group g) const = 0;
  virtual Result<std::unique_ptr<KeyShare>> generate_key_share(Group g) const = 0;
  virtual Result<Encapsulation> encapsulate(Group g, BytesView peer_public) const = 0;
  // A key share from a given private key instead of a fresh one, for known-answer tests
  // (RFC 8448 traces, Wycheproof) and configs that pin randomness. X25519 takes the raw
  // 32-byte scalar (RFC 7748); P-256/P-384 a big-endian scalar of the field size, in
  // [1, n-1]; the ML-KEM hybrids ML-KEM's d || z (64 bytes) followed by the ECDHE scalar.
  // The default fails with Errc::unsupported.
  virtual Result<std::unique_ptr<KeyShare>> key_share_from_private(Group g,
                                                                   BytesView private_key) const;
  // The server's side with pinned randomness instead of fresh (known-answer tests): for
  // ECDHE groups the scalar as above; for the ML-KEM hybrids ML-KEM's m (32 bytes) followed
  // by the scalar. The default does ECDHE through key_share_from_private.
  virtual Result<Encapsulation> encapsulate_with(Group g, BytesView peer_public,
                                                 BytesView private_key) const;

  // A DER SubjectPublicKeyInfo. Unsupported or weak keys (RSA < 2048 bits, curves other
  // than P-256/P-384/P-521) fail with Errc::unsupported and a message naming the key.
  virtual Result<std::unique_ptr<PublicKey>> parse_public_key(BytesView spki) const = 0;
  // PKCS#8 PrivateKeyInfo, SEC1 ECPrivateKey or PKCS#1 RSAPrivateKey, DER.
  virtual Result<std::unique_ptr<PrivateKey>> parse_private_key(BytesView der) const = 0;
  virtual Result<std::unique_ptr<PrivateKey>> generate_private_key(KeyType t,
                                                                   size_t rsa_bits = 2048) const = 0;
};

// The process-wide OpenSSL-backed provider.
const Provider& default_provider();

}  // namespace tern::crypto
