// SPDX-License-Identifier: Apache-2.0
// tern's ECDSA P-256 verification against libcrypto's on fuzzer-chosen inputs: both must
// accept or reject the same (key, digest, signature), and tern's portable and ADX paths
// must agree. Free-form inputs alone would almost never hold a valid signature, so half of
// them are a digest signed by a fixed key, then optionally corrupted by the fuzzer's bytes.
//
// Input: byte 0 picks the form.
//   even: key (65 bytes, SEC 1) || digest length (1 byte, mod 65) || digest || DER signature
//   odd:  digest length (1 byte, mod 65) || digest || how (1 byte) || bytes, where `how`
//         0 keeps the fixed key's signature, 1 XORs the bytes into r || s, 2 into the DER
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "crypto/p256/impl.h"
#include "crypto/p256/p256.h"

namespace {

using namespace tern::crypto::p256;
using Bytes = std::vector<uint8_t>;

// A libcrypto P-256 key from an encoded point (and a private scalar, if given); null if
// libcrypto refuses the point.
EVP_PKEY* libcrypto_key(const uint8_t* point, size_t point_len, const BIGNUM* priv) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, point_len);
  if (priv) OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata_init(ctx) != 1 ||
      EVP_PKEY_fromdata(ctx, &key, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1) {
    key = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  ERR_clear_error();
  return key;
}

bool libcrypto_verify(EVP_PKEY* key, const Bytes& digest, const Bytes& der) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
  const bool ok = EVP_PKEY_verify_init(ctx) == 1 &&
                  EVP_PKEY_verify(ctx, der.data(), der.size(), digest.data(), digest.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

// tern's answer, on every implementation the CPU has (they must agree).
bool tern_verify(const Bytes& digest, const Bytes& der, const PublicPoint& key) {
  uint8_t rs[64];
  if (!parse_der_signature(der, rs)) return false;
  const Implementation saved = implementation();
  set_implementation(Implementation::portable);
  const bool portable = verify_digest(digest, rs, key);
  bool adx = portable;
  if (set_implementation(Implementation::adx)) adx = verify_digest(digest, rs, key);
  set_implementation(saved);
  if (adx != portable) std::abort();
  return portable;
}

struct FixedKey {
  EVP_PKEY* key = nullptr;
  uint8_t point[65] = {};
};

// The signing key of the odd form: private scalar 0x1234...; made once.
const FixedKey& fixed_key() {
  static const FixedKey k = [] {
    FixedKey out;
    EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    BIGNUM* priv = nullptr;
    BN_hex2bn(&priv, "123456789abcdef0fedcba9876543210c0ffee00decafbad0123456789abcdef");
    EC_POINT* pub = EC_POINT_new(group);
    EC_POINT_mul(group, pub, priv, nullptr, nullptr, nullptr);
    EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, out.point, 65, nullptr);
    out.key = libcrypto_key(out.point, 65, priv);
    EC_POINT_free(pub);
    BN_free(priv);
    EC_GROUP_free(group);
    if (!out.key) std::abort();
    return out;
  }();
  return k;
}

Bytes take(const uint8_t*& data, size_t& size, size_t n) {
  n = n < size ? n : size;
  Bytes out(data, data + n);
  data += n, size -= n;
  return out;
}

Bytes der_of(const uint8_t rs[64]) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(rs, 32, nullptr), BN_bin2bn(rs + 32, 32, nullptr));
  unsigned char* out = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &out);
  Bytes der(out, out + (len > 0 ? len : 0));
  OPENSSL_free(out);
  ECDSA_SIG_free(sig);
  return der;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const bool signed_form = data[0] & 1;
  ++data, --size;

  if (!signed_form) {
    if (size < 66) return 0;
    const Bytes point = take(data, size, 65);
    const size_t digest_len = take(data, size, 1)[0] % 65;
    const Bytes digest = take(data, size, digest_len);
    const Bytes der(data, data + size);
    auto ours = parse_uncompressed_point(point);
    EVP_PKEY* theirs = point[0] == 0x04 ? libcrypto_key(point.data(), 65, nullptr) : nullptr;
    if (ours.has_value() != (theirs != nullptr) && point[0] == 0x04) std::abort();
    if (ours && theirs && tern_verify(digest, der, *ours) != libcrypto_verify(theirs, digest, der)) {
      std::abort();
    }
    EVP_PKEY_free(theirs);
    return 0;
  }

  const FixedKey& key = fixed_key();
  const size_t digest_len = take(data, size, 1)[0] % 65;
  const Bytes digest = take(data, size, digest_len);
  const uint8_t how = size ? take(data, size, 1)[0] % 3 : 0;
  const Bytes bytes(data, data + size);

  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key.key, nullptr);
  uint8_t sig_buf[80];
  size_t sig_len = sizeof sig_buf;
  if (EVP_PKEY_sign_init(ctx) != 1 ||
      EVP_PKEY_sign(ctx, sig_buf, &sig_len, digest.data(), digest.size()) != 1) {
    std::abort();
  }
  EVP_PKEY_CTX_free(ctx);
  Bytes der(sig_buf, sig_buf + sig_len);
  if (how == 1) {
    uint8_t rs[64];
    if (!parse_der_signature(der, rs)) std::abort();  // libcrypto's own DER must parse
    for (size_t i = 0; i < bytes.size() && i < 64; ++i) rs[i] ^= bytes[i];
    der = der_of(rs);
  } else if (how == 2) {
    for (size_t i = 0; i < bytes.size() && i < der.size(); ++i) der[i] ^= bytes[i];
    if (bytes.size() > der.size()) der.insert(der.end(), bytes.begin() + der.size(), bytes.end());
  }
  auto point = parse_uncompressed_point(key.point);
  if (!point) std::abort();
  const bool ours = tern_verify(digest, der, *point);
  if (ours != libcrypto_verify(key.key, digest, der)) std::abort();
  if (how == 0 && !ours) std::abort();  // a fresh signature must verify
  return 0;
}
