// SPDX-License-Identifier: Apache-2.0
// Public and private keys: SubjectPublicKeyInfo parsing, signature verification and
// creation, key generation, PKCS#8 export, and the implicit-rejection RSA decryption of
// TLS 1.2 key transport.
//
// Public keys come from certificates, so the SPKI is parsed here with base::Reader and
// only well-formed keys of a supported kind are handed to libcrypto (as raw components
// through EVP_PKEY_fromdata, which is also much cheaper than OpenSSL 3.0's decoders).
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <climits>
#include <optional>

#include "base/reader.h"
#include "crypto/openssl_util.h"
#include "crypto/p256/p256.h"
#include "tern/primitives.h"

namespace tern::crypto::ossl {
namespace {

namespace der = base::der;

// DER contents of the object identifiers that name keys and curves.
constexpr uint8_t kOidRsaEncryption[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
constexpr uint8_t kOidRsassaPss[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
constexpr uint8_t kOidEcPublicKey[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
constexpr uint8_t kOidPrime256v1[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
constexpr uint8_t kOidSecp384r1[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
constexpr uint8_t kOidSecp521r1[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
constexpr uint8_t kOidEd25519[] = {0x2b, 0x65, 0x70};
constexpr uint8_t kOidX25519[] = {0x2b, 0x65, 0x6e};

constexpr size_t kMinRsaBits = 2048;
constexpr size_t kMaxRsaBits = 16384;  // OpenSSL's own ceiling; bigger keys are a DoS

bool is_oid(BytesView oid, BytesView expected) { return equal(oid, expected); }

std::string oid_text(BytesView oid) {
  // Dotted form for error messages, e.g. "1.3.132.0.10".
  if (oid.empty()) return "(empty OID)";
  std::string out = std::to_string(oid[0] / 40) + "." + std::to_string(oid[0] % 40);
  uint64_t arc = 0;
  for (size_t i = 1; i < oid.size(); ++i) {
    if (arc > (UINT64_MAX >> 7)) return "(malformed OID)";
    arc = (arc << 7) | (oid[i] & 0x7f);
    if (!(oid[i] & 0x80)) {
      out += "." + std::to_string(arc);
      arc = 0;
    }
  }
  return out;
}

Error bad_key(const std::string& what) {
  return Error(Errc::decode, "malformed public key: " + what, Alert::bad_certificate);
}
Error unsupported_key(const std::string& what) {
  return Error(Errc::unsupported, what, Alert::unsupported_certificate);
}

// A DER INTEGER that must be positive and minimally encoded; returns its magnitude.
bool positive_integer(base::Reader& r, BytesView& magnitude) {
  BytesView c;
  if (!r.der(der::kInteger, c) || c.empty() || (c[0] & 0x80)) return false;
  if (c[0] == 0x00) {
    if (c.size() == 1 || !(c[1] & 0x80)) return false;  // zero, or a redundant 0x00
    c = c.subspan(1);
  }
  magnitude = c;
  return true;
}

size_t bit_length(BytesView magnitude) {
  if (magnitude.empty()) return 0;
  size_t bits = magnitude.size() * 8;
  for (uint8_t top = magnitude[0]; !(top & 0x80); top = static_cast<uint8_t>(top << 1)) --bits;
  return bits;
}

EVP_PKEY* pkey_from_params(const char* type, OSSL_PARAM_BLD* bld, int selection) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY* key = nullptr;
  if (params) {
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    if (ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1) {
      EVP_PKEY_fromdata(ctx.get(), &key, selection, params);
    }
  }
  OSSL_PARAM_free(params);
  return key;
}

Result<PkeyPtr> rsa_public(BytesView key_bits, size_t& bits) {
  base::Reader outer(key_bits), seq;
  BytesView n, e;
  if (!outer.der(der::kSequence, seq) || !outer.empty() || !positive_integer(seq, n) ||
      !positive_integer(seq, e) || !seq.empty()) {
    return bad_key("the RSA public key is not a DER RSAPublicKey (modulus, exponent)");
  }
  bits = bit_length(n);
  if (bits < kMinRsaBits) {
    return unsupported_key("RSA key of " + std::to_string(bits) +
                           " bits is too small; at least 2048 bits are required");
  }
  if (bits > kMaxRsaBits) {
    return unsupported_key("RSA key of " + std::to_string(bits) +
                           " bits is too large; at most 16384 bits are supported");
  }
  // e = 1 (or any even e) would make signatures forgeable or the key unusable.
  if (!(e.back() & 1) || (e.size() == 1 && e[0] < 3) || e.size() > 8) {
    return bad_key(
        "the RSA public exponent is invalid (it must be odd, at least 3, and at "
        "most 64 bits)");
  }
  BIGNUM* bn_n = BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  PkeyPtr key;
  if (bn_n && bn_e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e)) {
    key.reset(pkey_from_params("RSA", bld, EVP_PKEY_PUBLIC_KEY));
  }
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  if (!key) return openssl_error(Errc::internal, "loading an RSA public key failed");
  return key;
}

Result<PkeyPtr> ec_public(Curve id, const char* curve, size_t field_len, BytesView point) {
  if (point.empty() || point[0] != 0x04) {
    if (!point.empty() && (point[0] == 0x02 || point[0] == 0x03)) {
      return unsupported_key("compressed EC public keys are not supported");
    }
    return bad_key(std::string("the ") + curve + " public key is not an uncompressed point");
  }
  if (point.size() != 1 + 2 * field_len) {
    return bad_key(std::string("the ") + curve + " public key is " + std::to_string(point.size()) +
                   " bytes, expected " + std::to_string(1 + 2 * field_len));
  }
  PkeyPtr key = ec_public_key(id, point);
  if (!key) return bad_key(std::string("the ") + curve + " public key is not a point on the curve");
  return key;
}

bool sig_fits_key(SigKind kind, KeyType type) {
  switch (kind) {
    case SigKind::ecdsa:
      return type == KeyType::ec_p256 || type == KeyType::ec_p384 || type == KeyType::ec_p521;
    case SigKind::rsa_pkcs1: return type == KeyType::rsa;
    case SigKind::rsa_pss: return type == KeyType::rsa || type == KeyType::rsa_pss;
    case SigKind::ed25519: return type == KeyType::ed25519;
  }
  return false;
}

Error wrong_key(const SignatureAlgorithm& alg, KeyType type) {
  return Error(
      Errc::crypto,
      signature_algorithm_name(alg) + " cannot be used with a " + key_type_name(type) + " key",
      Alert::illegal_parameter);
}

// Sets RSA padding parameters on a signing or verifying context.
bool configure_rsa(EVP_PKEY_CTX* pctx, const SignatureAlgorithm& alg) {
  if (alg.kind == SigKind::rsa_pkcs1) {
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  }
  if (alg.kind == SigKind::rsa_pss) {
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, static_cast<int>(alg.pss_salt_len)) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md(alg.hash)) == 1;
  }
  return true;
}

const EVP_MD* digest_for(const SignatureAlgorithm& alg) {
  return alg.kind == SigKind::ed25519 ? nullptr : md(alg.hash);
}

class OpensslPublicKey final : public PublicKey {
 public:
  OpensslPublicKey(KeyType type, size_t bits, PkeyPtr key, Bytes spki)
      : type_(type), bits_(bits), key_(std::move(key)), spki_(std::move(spki)) {}
  // A P-256 key also keeps its point decoded for tern's own ECDSA verification (decoded
  // once here, not per signature).
  OpensslPublicKey(PkeyPtr key, Bytes spki, std::optional<p256::PublicPoint> point)
      : OpensslPublicKey(KeyType::ec_p256, 256, std::move(key), std::move(spki)) {
    p256_point_ = point;
  }

  KeyType type() const override { return type_; }
  size_t bits() const override { return bits_; }
  Bytes spki() const override { return spki_; }

  Result<void> verify(const SignatureAlgorithm& alg, BytesView message,
                      BytesView signature) const override {
    if (!sig_fits_key(alg.kind, type_)) return wrong_key(alg, type_);
    if (alg.kind == SigKind::rsa_pss && alg.pss_salt_len > static_cast<size_t>(INT_MAX)) {
      return Error(Errc::crypto, "RSA-PSS salt length is out of range", Alert::illegal_parameter);
    }
    // Built only on failure: verification is on the handshake's hot path.
    auto bad_signature = [&] {
      return Error(Errc::crypto,
                   "the " + signature_algorithm_name(alg) + " signature of a " +
                       key_type_name(type_) + " key does not verify",
                   Alert::decrypt_error);
    };
    // RFC 8017 §8.2.2: an RSA signature is exactly as long as the modulus.
    if ((type_ == KeyType::rsa || type_ == KeyType::rsa_pss) &&
        signature.size() != (bits_ + 7) / 8) {
      return bad_signature();
    }
    if (p256_point_ && alg.kind == SigKind::ecdsa && primitives() == Primitives::tern) {
      // tern's own P-256 verification (tern/primitives.h): the same verdicts as
      // libcrypto's, with a strict DER signature.
      auto hash = make_hash_context(alg.hash);
      hash->update(message);
      const Bytes digest = hash->peek();
      uint8_t rs[64];
      if (!p256::parse_der_signature(signature, rs) ||
          !p256::verify_digest(digest, rs, *p256_point_)) {
        return bad_signature();
      }
      return ok();
    }
    MdCtxPtr mctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;  // owned by mctx
    if (!mctx ||
        EVP_DigestVerifyInit(mctx.get(), &pctx, digest_for(alg), nullptr, key_.get()) != 1 ||
        !configure_rsa(pctx, alg)) {
      return openssl_error(Errc::internal,
                           "setting up " + signature_algorithm_name(alg) + " verification failed");
    }
    if (EVP_DigestVerify(mctx.get(), signature.data(), signature.size(), message.data(),
                         message.size()) != 1) {
      clear_errors();
      return bad_signature();
    }
    return ok();
  }

  Result<Bytes> rsa_encrypt(BytesView plaintext) const override {
    if (type_ != KeyType::rsa)
      return Error(Errc::unsupported, std::string("RSA key transport needs an RSA key, not ") +
                                          key_type_name(type_),
                   Alert::handshake_failure);
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    size_t len = 0;
    if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
        EVP_PKEY_encrypt(ctx.get(), nullptr, &len, plaintext.data(), plaintext.size()) != 1)
      return openssl_error(Errc::internal, "setting up RSA encryption failed",
                           Alert::internal_error);
    Bytes out(len);
    if (EVP_PKEY_encrypt(ctx.get(), out.data(), &len, plaintext.data(), plaintext.size()) != 1)
      return openssl_error(Errc::internal, "RSA encryption failed", Alert::internal_error);
    out.resize(len);
    return out;
  }

 private:
  KeyType type_;
  size_t bits_;
  PkeyPtr key_;
  Bytes spki_;
  std::optional<p256::PublicPoint> p256_point_;  // P-256 keys only
};

KeyType private_key_type(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "RSA")) return KeyType::rsa;
  if (EVP_PKEY_is_a(key, "RSA-PSS")) return KeyType::rsa_pss;
  if (EVP_PKEY_is_a(key, "ED25519")) return KeyType::ed25519;
  if (EVP_PKEY_is_a(key, "X25519")) return KeyType::x25519;
  if (EVP_PKEY_is_a(key, "EC")) {
    char name[64] = {};
    size_t len = 0;
    if (EVP_PKEY_get_group_name(key, name, sizeof(name), &len) != 1) {
      clear_errors();
      return KeyType::unknown;  // explicit curve parameters
    }
    std::string_view n(name, len);
    if (n == "prime256v1" || n == "P-256") return KeyType::ec_p256;
    if (n == "secp384r1" || n == "P-384") return KeyType::ec_p384;
    if (n == "secp521r1" || n == "P-521") return KeyType::ec_p521;
  }
  return KeyType::unknown;
}

// Constant-time helpers for the implicit-rejection decoder: all-ones when the condition
// holds, zero otherwise, computed without branches. The empty asm hides the value from
// the optimiser, so it cannot turn the mask arithmetic back into a branch on a secret.
uint32_t value_barrier(uint32_t x) {
  __asm__("" : "+r"(x));
  return x;
}
uint32_t ct_is_zero(uint32_t x) { return value_barrier(0u - ((~x & (x - 1)) >> 31)); }
uint32_t ct_eq(uint32_t a, uint32_t b) { return ct_is_zero(a ^ b); }

class OpensslPrivateKey final : public PrivateKey {
 public:
  OpensslPrivateKey(KeyType type, PkeyPtr key)
      : type_(type),
        bits_(static_cast<size_t>(EVP_PKEY_get_bits(key.get()))),
        key_(std::move(key)) {}

  KeyType type() const override { return type_; }
  size_t bits() const override { return bits_; }

  Result<Bytes> sign(const SignatureAlgorithm& alg, BytesView message) const override {
    if (!sig_fits_key(alg.kind, type_)) return wrong_key(alg, type_);
    if (alg.kind == SigKind::rsa_pss && alg.pss_salt_len > static_cast<size_t>(INT_MAX)) {
      return Error(Errc::usage, "RSA-PSS salt length is out of range");
    }
    MdCtxPtr mctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;  // owned by mctx
    size_t len = 0;
    if (!mctx || EVP_DigestSignInit(mctx.get(), &pctx, digest_for(alg), nullptr, key_.get()) != 1 ||
        !configure_rsa(pctx, alg) ||
        EVP_DigestSign(mctx.get(), nullptr, &len, message.data(), message.size()) != 1) {
      return openssl_error(Errc::internal,
                           "setting up " + signature_algorithm_name(alg) + " signing failed",
                           Alert::internal_error);
    }
    Bytes sig(len);
    if (EVP_DigestSign(mctx.get(), sig.data(), &len, message.data(), message.size()) != 1) {
      return openssl_error(Errc::internal, signature_algorithm_name(alg) + " signing failed",
                           Alert::internal_error);
    }
    sig.resize(len);
    return sig;
  }

  std::unique_ptr<PublicKey> public_key() const override {
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(key_.get(), &der);
    if (len <= 0) {
      clear_errors();
      return nullptr;
    }
    auto parsed = parse_public_key(BytesView(der, static_cast<size_t>(len)));
    OPENSSL_free(der);
    if (!parsed) return nullptr;
    return std::move(parsed).value();
  }

  Result<SecretBytes> rsa_decrypt_implicit(BytesView ciphertext,
                                           const SecretBytes& fallback) const override {
    if (type_ != KeyType::rsa) {
      return Error(Errc::usage,
                   std::string("RSA key transport needs an RSA key, not ") + key_type_name(type_));
    }
    const size_t k = (bits_ + 7) / 8;
    const size_t msg_len = fallback.size();
    // Lengths are public: a ciphertext of the wrong size, or an expected plaintext that
    // cannot fit with 8 bytes of padding, can only ever yield the fallback. A wrong-size
    // ciphertext still costs one decryption (of itself, cut or zero-extended to the modulus
    // size), so even the timing says nothing.
    if (msg_len + 11 > k) return fallback.clone();
    bool wrong_size = ciphertext.size() != k;
    Bytes resized;
    if (wrong_size) {
      resized.assign(k, 0);
      size_t n = std::min(k, ciphertext.size());
      std::copy(ciphertext.end() - static_cast<std::ptrdiff_t>(n), ciphertext.end(),
                resized.end() - static_cast<std::ptrdiff_t>(n));
      resized[0] = 0;  // below the modulus, so the decryption runs in full
      ciphertext = resized;
    }

    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    SecretBytes em(k);
    size_t em_len = em.size();
    if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) != 1) {
      return openssl_error(Errc::internal, "setting up RSA decryption failed",
                           Alert::internal_error);
    }
    // Raw RSA fails only for a ciphertext not below the modulus, which is public.
    if (EVP_PKEY_decrypt(ctx.get(), em.data(), &em_len, ciphertext.data(), ciphertext.size()) !=
            1 ||
        em_len != k) {
      clear_errors();
      return fallback.clone();
    }

    // EM = 0x00 || 0x02 || PS (k - msg_len - 3 non-zero bytes) || 0x00 || M. Check every
    // byte without branching on it, then select M or the fallback with a mask.
    const uint8_t* b = em.data();
    uint32_t good = ct_eq(b[0], 0x00) & ct_eq(b[1], 0x02);
    const size_t sep = k - msg_len - 1;
    for (size_t i = 2; i < sep; ++i) good &= ~ct_is_zero(b[i]);
    good &= ct_is_zero(b[sep]);
    good &= ~(0u - static_cast<uint32_t>(wrong_size));  // public: no need to hide it
    const auto mask = static_cast<uint8_t>(value_barrier(good));
    SecretBytes out(msg_len);
    for (size_t i = 0; i < msg_len; ++i) {
      out.data()[i] = static_cast<uint8_t>((b[sep + 1 + i] & mask) |
                                           (fallback.data()[i] & static_cast<uint8_t>(~mask)));
    }
    return out;
  }

  Result<SecretBytes> pkcs8() const override {
    OSSL_ENCODER_CTX* ectx = OSSL_ENCODER_CTX_new_for_pkey(key_.get(), EVP_PKEY_KEYPAIR, "DER",
                                                           "PrivateKeyInfo", nullptr);
    unsigned char* data = nullptr;
    size_t len = 0;
    if (!ectx || OSSL_ENCODER_to_data(ectx, &data, &len) != 1) {
      OSSL_ENCODER_CTX_free(ectx);
      return openssl_error(Errc::internal, "encoding the private key as PKCS#8 failed");
    }
    OSSL_ENCODER_CTX_free(ectx);
    SecretBytes out(BytesView(data, len));
    OPENSSL_clear_free(data, len);
    return out;
  }

 private:
  KeyType type_;
  size_t bits_;
  PkeyPtr key_;
};

Result<std::unique_ptr<PrivateKey>> wrap_private(PkeyPtr key) {
  KeyType type = private_key_type(key.get());
  switch (type) {
    case KeyType::rsa:
    case KeyType::rsa_pss: {
      auto bits = static_cast<size_t>(EVP_PKEY_get_bits(key.get()));
      if (bits < kMinRsaBits) {
        return unsupported_key("RSA key of " + std::to_string(bits) +
                               " bits is too small; at least 2048 bits are required");
      }
      if (bits > kMaxRsaBits) {
        return unsupported_key("RSA key of " + std::to_string(bits) +
                               " bits is too large; at most 16384 bits are supported");
      }
      break;
    }
    case KeyType::ec_p256:
    case KeyType::ec_p384:
    case KeyType::ec_p521:
    case KeyType::ed25519: break;
    case KeyType::x25519:
      return unsupported_key(
          "an X25519 key cannot sign; certificates need RSA, ECDSA or "
          "Ed25519 keys");
    case KeyType::unknown:
      return unsupported_key(
          "unsupported private key type (supported: RSA, RSA-PSS, EC "
          "P-256/P-384/P-521 with a named curve, Ed25519)");
  }
  return std::unique_ptr<PrivateKey>(std::make_unique<OpensslPrivateKey>(type, std::move(key)));
}

// EVP_PKEY_Q_keygen knows the bit-size argument for "RSA" only, so RSA-PSS needs the
// long way; both use it for symmetry.
EVP_PKEY* generate_rsa(const char* type, size_t bits) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), static_cast<int>(bits)) != 1 ||
      EVP_PKEY_generate(ctx.get(), &key) != 1) {
    return nullptr;
  }
  return key;
}

}  // namespace

Result<std::unique_ptr<PublicKey>> parse_public_key(BytesView spki) {
  base::Reader outer(spki), seq, alg;
  BytesView oid, key_bits;
  if (!outer.der(der::kSequence, seq) || !outer.empty()) {
    return bad_key("not a single DER SubjectPublicKeyInfo SEQUENCE");
  }
  if (!seq.der(der::kSequence, alg) || !alg.der(der::kOid, oid) ||
      !seq.der(der::kBitString, key_bits) || !seq.empty()) {
    return bad_key("SubjectPublicKeyInfo must be SEQUENCE { AlgorithmIdentifier, BIT STRING }");
  }
  if (key_bits.empty() || key_bits[0] != 0) {
    return bad_key("the subjectPublicKey BIT STRING has unused bits");
  }
  key_bits = key_bits.subspan(1);
  const BytesView params = alg.rest();  // the optional parameters, still encoded
  Bytes der_copy(spki.begin(), spki.end());

  if (is_oid(oid, kOidRsaEncryption) || is_oid(oid, kOidRsassaPss)) {
    const bool pss = is_oid(oid, kOidRsassaPss);
    base::Reader p(params);
    BytesView contents;
    // rsaEncryption carries NULL (RFC 3279); RSASSA-PSS may carry RSASSA-PSS-params
    // (RFC 4055). The PSS restrictions are not enforced here: the certificate's
    // signatureAlgorithm, checked by the caller, states the parameters actually used.
    if (!params.empty() &&
        !((!pss && p.der(der::kNull, contents) && contents.empty() && p.empty()) ||
          (pss && p.der(der::kSequence, contents) && p.empty()))) {
      return bad_key(pss ? "RSASSA-PSS parameters are not a SEQUENCE"
                         : "rsaEncryption parameters must be NULL");
    }
    size_t bits = 0;
    TERN_TRY(PkeyPtr key, rsa_public(key_bits, bits));
    return std::unique_ptr<PublicKey>(std::make_unique<OpensslPublicKey>(
        pss ? KeyType::rsa_pss : KeyType::rsa, bits, std::move(key), std::move(der_copy)));
  }

  if (is_oid(oid, kOidEcPublicKey)) {
    base::Reader p(params);
    BytesView curve;
    if (p.peek_der_tag(der::kSequence)) {
      return unsupported_key(
          "EC keys with explicit curve parameters are not supported; the "
          "key must name its curve (P-256, P-384 or P-521)");
    }
    if (!p.der(der::kOid, curve) || !p.empty()) {
      return bad_key("EC public key parameters must be a named-curve OID");
    }
    KeyType type;
    Curve id;
    const char* name;
    size_t field_len;
    if (is_oid(curve, kOidPrime256v1)) {
      type = KeyType::ec_p256, id = Curve::p256, name = "P-256", field_len = 32;
    } else if (is_oid(curve, kOidSecp384r1)) {
      type = KeyType::ec_p384, id = Curve::p384, name = "P-384", field_len = 48;
    } else if (is_oid(curve, kOidSecp521r1)) {
      type = KeyType::ec_p521, id = Curve::p521, name = "P-521", field_len = 66;
    } else {
      return unsupported_key("EC key on curve " + oid_text(curve) +
                             " is not supported; use P-256, P-384 or P-521");
    }
    TERN_TRY(PkeyPtr key, ec_public(id, name, field_len, key_bits));
    if (type == KeyType::ec_p256) {
      return std::unique_ptr<PublicKey>(std::make_unique<OpensslPublicKey>(
          std::move(key), std::move(der_copy), p256::parse_uncompressed_point(key_bits)));
    }
    return std::unique_ptr<PublicKey>(std::make_unique<OpensslPublicKey>(
        type, field_len == 66 ? 521 : field_len * 8, std::move(key), std::move(der_copy)));
  }

  if (is_oid(oid, kOidEd25519)) {
    if (!params.empty()) return bad_key("Ed25519 public keys must not have parameters");
    if (key_bits.size() != 32) {
      return bad_key("an Ed25519 public key is 32 bytes, found " + std::to_string(key_bits.size()));
    }
    PkeyPtr key(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, key_bits.data(),
                                               key_bits.size()));
    if (!key)
      return openssl_error(Errc::decode, "the Ed25519 public key is invalid",
                           Alert::bad_certificate);
    return std::unique_ptr<PublicKey>(std::make_unique<OpensslPublicKey>(
        KeyType::ed25519, 256, std::move(key), std::move(der_copy)));
  }

  if (is_oid(oid, kOidX25519)) {
    return unsupported_key("X25519 public keys cannot verify signatures");
  }
  return unsupported_key("public key algorithm " + oid_text(oid) +
                         " is not supported (supported: RSA, RSA-PSS, ECDSA, Ed25519)");
}

Result<std::unique_ptr<PrivateKey>> parse_private_key(BytesView der) {
  if (der.empty() || der.size() > static_cast<size_t>(LONG_MAX)) {
    return Error(Errc::decode, "the private key is empty or too large");
  }
  const unsigned char* p = der.data();
  // Tries PKCS#8 PrivateKeyInfo, then the traditional SEC1 and PKCS#1 forms.
  PkeyPtr key(d2i_AutoPrivateKey_ex(nullptr, &p, static_cast<long>(der.size()), nullptr, nullptr));
  if (!key) {
    return openssl_error(Errc::decode, "the private key is not DER PKCS#8, SEC1 EC or PKCS#1 RSA");
  }
  if (p != der.data() + der.size()) {
    return Error(Errc::decode, "the private key has " +
                                   std::to_string(der.data() + der.size() - p) +
                                   " trailing bytes after the DER structure");
  }
  return wrap_private(std::move(key));
}

Result<std::unique_ptr<PrivateKey>> generate_private_key(KeyType t, size_t rsa_bits) {
  PkeyPtr key;
  switch (t) {
    case KeyType::rsa:
    case KeyType::rsa_pss:
      if (rsa_bits < kMinRsaBits || rsa_bits > kMaxRsaBits) {
        return unsupported_key("RSA key of " + std::to_string(rsa_bits) +
                               " bits cannot be generated; use 2048 to 16384 bits");
      }
      key.reset(generate_rsa(t == KeyType::rsa ? "RSA" : "RSA-PSS", rsa_bits));
      break;
    case KeyType::ec_p256: key = ec_generate(Curve::p256); break;
    case KeyType::ec_p384: key = ec_generate(Curve::p384); break;
    case KeyType::ec_p521: key = ec_generate(Curve::p521); break;
    case KeyType::ed25519: key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")); break;
    case KeyType::x25519:
    case KeyType::unknown:
      return unsupported_key(std::string("cannot generate a signing key of type ") +
                             key_type_name(t));
  }
  if (!key) {
    return openssl_error(Errc::internal,
                         std::string("generating a ") + key_type_name(t) + " key failed");
  }
  return wrap_private(std::move(key));
}

}  // namespace tern::crypto::ossl
