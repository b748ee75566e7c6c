// SPDX-License-Identifier: Apache-2.0
// ECDHE key shares (X25519, P-256, P-384) in the KEM shape of provider.h. Peer values
// arrive straight from the network, so every check TLS asks for happens here, before the
// value reaches libcrypto: exact length, uncompressed form, point on the curve, and a
// non-zero X25519 result (RFC 8446 §4.2.8.2, §7.4.2). X25519 itself is tern's own
// (src/crypto/x25519/) unless tern::primitives() says libcrypto.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include <optional>

#include "crypto/openssl_util.h"
#include "crypto/x25519/x25519.h"
#include "tern/primitives.h"

namespace tern::crypto::ossl {
namespace {

struct GroupInfo {
  bool x25519 = false;
  const char* curve = nullptr;  // OpenSSL group name for the NIST curves
  Curve curve_id = Curve::p256;
  int nid = 0;
  size_t field_len = 0;  // bytes of one coordinate (and of the shared secret)
  size_t share_len = 0;  // bytes of the TLS key_share value
};

std::optional<GroupInfo> group_info(Group g) {
  switch (g) {
    case Group::x25519: return GroupInfo{true, nullptr, Curve::p256, NID_X25519, 32, 32};
    case Group::secp256r1:
      return GroupInfo{false, "P-256", Curve::p256, NID_X9_62_prime256v1, 32, 65};
    case Group::secp384r1: return GroupInfo{false, "P-384", Curve::p384, NID_secp384r1, 48, 97};
    default: return std::nullopt;
  }
}

bool tern_x25519() { return primitives() == Primitives::tern; }

Error peer_share_length(Group g, size_t got, size_t want) {
  return Error(Errc::decode,
               std::string("the peer's ") + group_name(g) + " key share is " +
                   std::to_string(got) + " bytes; it must be " + std::to_string(want),
               Alert::illegal_parameter);
}

Error x25519_all_zero() {
  return Error(Errc::crypto, "the peer's x25519 key share gives an all-zero secret",
               Alert::illegal_parameter);
}

Error unsupported_group(Group g) {
  return Error(Errc::unsupported,
               std::string("key exchange group ") + group_name(g) + " is not supported",
               Alert::illegal_parameter);
}

Result<Bytes> encoded_public(EVP_PKEY* key, const GroupInfo& info) {
  Bytes out(info.share_len);
  size_t len = out.size();
  int rc = info.x25519 ? EVP_PKEY_get_raw_public_key(key, out.data(), &len)
                       : EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                                         out.data(), out.size(), &len);
  if (rc != 1 || len != info.share_len) {
    return openssl_error(Errc::internal, "encoding a key share failed", Alert::internal_error);
  }
  return out;
}

// An EC key pair from its parts (for key_share_from_private).
EVP_PKEY* ec_keypair(const char* curve, BytesView pub, const BIGNUM* priv) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  EVP_PKEY* key = nullptr;
  OSSL_PARAM* params = nullptr;
  if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve, 0) &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size()) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) &&
      (params = OSSL_PARAM_BLD_to_param(bld)) != nullptr) {
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1) {
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_KEYPAIR, params);
    }
  }
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return key;
}

// The peer's share as an EVP_PKEY, or an illegal_parameter/decode_error Error.
Result<PkeyPtr> peer_key(Group g, const GroupInfo& info, BytesView peer) {
  const std::string group = group_name(g);
  if (peer.size() != info.share_len) return peer_share_length(g, peer.size(), info.share_len);
  if (info.x25519) {
    PkeyPtr key(
        EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, peer.data(), peer.size()));
    if (!key)
      return openssl_error(Errc::crypto, "the peer's x25519 key share is invalid",
                           Alert::illegal_parameter);
    return key;
  }
  // RFC 8446 §4.2.8.2: only the uncompressed form (0x04 || X || Y) is allowed.
  if (peer[0] != 0x04) {
    return Error(Errc::decode,
                 "the peer's " + group + " key share is not an uncompressed point (first byte " +
                     std::to_string(peer[0]) + ", expected 4)",
                 Alert::illegal_parameter);
  }
  // Decoding the point checks that it satisfies the curve equation; with cofactor 1 that
  // also puts it in the prime-order group.
  PkeyPtr key = ec_public_key(info.curve_id, peer);
  if (!key) {
    return Error(Errc::crypto, "the peer's " + group + " key share is not a point on the curve",
                 Alert::illegal_parameter);
  }
  return key;
}

class EcdheKeyShare final : public KeyShare {
 public:
  EcdheKeyShare(Group g, GroupInfo info, PkeyPtr key, Bytes pub)
      : group_(g), info_(info), key_(std::move(key)), public_(std::move(pub)) {}

  Group group() const override { return group_; }
  BytesView public_key() const override { return public_; }

  Result<SecretBytes> decapsulate(BytesView ciphertext) const override {
    TERN_TRY(PkeyPtr peer, peer_key(group_, info_, ciphertext));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    SecretBytes shared(info_.field_len);
    size_t len = shared.size();
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
        EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 0) != 1 ||
        EVP_PKEY_derive(ctx.get(), shared.data(), &len) != 1 || len != info_.field_len) {
      // For X25519 OpenSSL refuses an all-zero result (a small-order peer point).
      return openssl_error(Errc::crypto,
                           std::string("key agreement with the peer's ") + group_name(group_) +
                               " key share failed (invalid or small-order public value)",
                           Alert::illegal_parameter);
    }
    if (info_.x25519) {
      // Belt and braces for RFC 7748 §6.1: never accept the all-zero secret.
      uint8_t acc = 0;
      for (uint8_t b : shared.view()) acc |= b;
      if (acc == 0) return x25519_all_zero();
    }
    return shared;
  }

 private:
  Group group_;
  GroupInfo info_;
  PkeyPtr key_;
  Bytes public_;
};

// An X25519 key pair computed by tern's own X25519: the same checks and errors as the
// libcrypto one, the all-zero secret refused.
class TernX25519KeyShare final : public KeyShare {
 public:
  explicit TernX25519KeyShare(BytesView private_key) : private_(private_key), public_(32) {
    x25519::public_key(public_.data(), private_.data());
  }

  Group group() const override { return Group::x25519; }
  BytesView public_key() const override { return public_; }

  Result<SecretBytes> decapsulate(BytesView peer) const override {
    if (peer.size() != 32) return peer_share_length(Group::x25519, peer.size(), 32);
    SecretBytes shared(32);
    if (!x25519::shared_secret(shared.data(), private_.data(), peer.data())) {
      return x25519_all_zero();
    }
    return shared;
  }

 private:
  SecretBytes private_;
  Bytes public_;
};

Result<std::unique_ptr<KeyShare>> tern_x25519_generate() {
  SecretBytes scalar(32);
  if (RAND_bytes(scalar.data(), static_cast<int>(scalar.size())) != 1) {
    return openssl_error(Errc::internal, "generating a x25519 key share failed",
                         Alert::internal_error);
  }
  return std::unique_ptr<KeyShare>(std::make_unique<TernX25519KeyShare>(scalar.view()));
}

Result<std::unique_ptr<KeyShare>> wrap(Group g, const GroupInfo& info, PkeyPtr key) {
  TERN_TRY(Bytes pub, encoded_public(key.get(), info));
  return std::unique_ptr<KeyShare>(
      std::make_unique<EcdheKeyShare>(g, info, std::move(key), std::move(pub)));
}

// P-256/P-384 key pair from a scalar: computes the public point so the share can be sent.
Result<PkeyPtr> ec_key_from_scalar(Group g, const GroupInfo& info, BytesView scalar) {
  if (scalar.size() != info.field_len) {
    return Error(Errc::usage, std::string("a ") + group_name(g) + " private key must be " +
                                  std::to_string(info.field_len) + " bytes");
  }
  EC_GROUP* grp = EC_GROUP_new_by_curve_name_ex(nullptr, nullptr, info.nid);
  BIGNUM* d = BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), nullptr);
  EC_POINT* point = grp ? EC_POINT_new(grp) : nullptr;
  PkeyPtr key;
  bool in_range = false;
  if (grp && d && point) {
    in_range = !BN_is_zero(d) && BN_cmp(d, EC_GROUP_get0_order(grp)) < 0;
    Bytes pub(info.share_len);
    if (in_range && EC_POINT_mul(grp, point, d, nullptr, nullptr, nullptr) == 1 &&
        EC_POINT_point2oct(grp, point, POINT_CONVERSION_UNCOMPRESSED, pub.data(), pub.size(),
                           nullptr) == pub.size()) {
      key.reset(ec_keypair(info.curve, pub, d));
    }
  }
  EC_POINT_free(point);
  BN_clear_free(d);
  EC_GROUP_free(grp);
  if (!in_range && grp && d) {
    return Error(Errc::usage, std::string("the ") + group_name(g) +
                                  " private key is zero or not below the group order");
  }
  if (!key) return openssl_error(Errc::internal, "importing an ECDH private key failed");
  return key;
}

// A fresh X25519 key pair. The key-generation context is made once per thread (not per
// key, which would look the algorithm up by name each time).
PkeyPtr x25519_generate() {
  thread_local PkeyCtxPtr ctx = [] {
    PkeyCtxPtr c(EVP_PKEY_CTX_new_from_name(nullptr, "X25519", nullptr));
    if (c && EVP_PKEY_keygen_init(c.get()) != 1) c.reset();
    return c;
  }();
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen(ctx.get(), &key) != 1) return nullptr;
  return PkeyPtr(key);
}

}  // namespace

Result<std::unique_ptr<KeyShare>> generate_key_share(Group g) {
  auto info = group_info(g);
  if (!info) return unsupported_group(g);
  if (info->x25519 && tern_x25519()) return tern_x25519_generate();
  PkeyPtr key = info->x25519 ? x25519_generate() : ec_generate(info->curve_id);
  if (!key) {
    return openssl_error(Errc::internal,
                         std::string("generating a ") + group_name(g) + " key share failed",
                         Alert::internal_error);
  }
  return wrap(g, *info, std::move(key));
}

Result<std::unique_ptr<KeyShare>> key_share_from_private(Group g, BytesView private_key) {
  auto info = group_info(g);
  if (!info) return unsupported_group(g);
  PkeyPtr key;
  if (info->x25519) {
    if (private_key.size() != 32) {
      return Error(Errc::usage, "an x25519 private key must be 32 bytes");
    }
    if (tern_x25519()) {
      return std::unique_ptr<KeyShare>(std::make_unique<TernX25519KeyShare>(private_key));
    }
    key.reset(EVP_PKEY_new_raw_private_key_ex(nullptr, "X25519", nullptr, private_key.data(),
                                              private_key.size()));
    if (!key) return openssl_error(Errc::internal, "importing an x25519 private key failed");
  } else {
    TERN_TRY(key, ec_key_from_scalar(g, *info, private_key));
  }
  return wrap(g, *info, std::move(key));
}

Result<Encapsulation> encapsulate(Group g, BytesView peer_public) {
  TERN_TRY(auto share, generate_key_share(g));
  TERN_TRY(SecretBytes shared, share->decapsulate(peer_public));
  BytesView pub = share->public_key();
  return Encapsulation{Bytes(pub.begin(), pub.end()), std::move(shared)};
}

}  // namespace tern::crypto::ossl
