// SPDX-License-Identifier: Apache-2.0
// The primitives tern carries its own of (issue 19), called through the crypto provider
// as a handshake calls them, so the same code measures either implementation
// (tern::set_primitives): an X25519 key share generated, one derived from the peer's,
// and an ECDSA P-256 SHA-256 signature verified (PublicKey::verify: hash, DER parse,
// verify). And the floor of floor.cpp made of provider calls, which with tern's own
// primitives is the floor tern's handshakes now stand on.
#include <cstring>
#include <memory>
#include <string>

#include "bench.h"
#include "crypto/provider.h"
#include "x509/certificate.h"

namespace tern_bench {
namespace {

namespace crypto = tern::crypto;

bool fail(std::string& error, const char* what, const tern::Error& e) {
  error = std::string(what) + ": " + e.detail;
  return false;
}

crypto::SignatureAlgorithm algorithm(crypto::SigKind kind) {
  crypto::SignatureAlgorithm a;
  a.kind = kind;
  a.hash = crypto::Hash::sha256;
  if (kind == crypto::SigKind::rsa_pss) a.pss_salt_len = 32;
  return a;
}

class PrimitiveImpl : public Operation {
 public:
  explicit PrimitiveImpl(PrimitiveOp op) : op_(op) {}

  bool setup(std::string& error) {
    const auto& provider = crypto::default_provider();
    auto share = provider.generate_key_share(crypto::Group::x25519);
    if (!share) return fail(error, "X25519 key share", share.error());
    share_ = std::move(*share);
    auto peer = provider.generate_key_share(crypto::Group::x25519);
    if (!peer) return fail(error, "X25519 key share", peer.error());
    peer_public_.assign((*peer)->public_key().begin(), (*peer)->public_key().end());
    // The leaf of the bench PKI signs 100 bytes, as a CertificateVerify would be signed.
    const Pki& p = pki(KeyKind::ecdsa_p256);
    auto key = provider.parse_private_key(p.leaf_key_pkcs8);
    if (!key) return fail(error, "leaf key", key.error());
    public_key_ = (*key)->public_key();
    message_.assign(100, 0x5a);
    auto signature = (*key)->sign(algorithm(crypto::SigKind::ecdsa), message_);
    if (!signature) return fail(error, "ECDSA sign", signature.error());
    signature_ = std::move(*signature);
    return true;
  }

  bool once(std::string& error) override {
    const auto& provider = crypto::default_provider();
    switch (op_) {
      case PrimitiveOp::x25519_keygen: {
        auto share = provider.generate_key_share(crypto::Group::x25519);
        return share ? true : fail(error, "X25519 keygen", share.error());
      }
      case PrimitiveOp::x25519_derive: {
        auto secret = share_->decapsulate(peer_public_);
        return secret ? true : fail(error, "X25519 derive", secret.error());
      }
      case PrimitiveOp::p256_verify: {
        auto ok = public_key_->verify(algorithm(crypto::SigKind::ecdsa), message_, signature_);
        return ok ? true : fail(error, "ECDSA P-256 verify", ok.error());
      }
    }
    return false;
  }

 private:
  PrimitiveOp op_;
  std::unique_ptr<crypto::KeyShare> share_;
  Bytes peer_public_;
  std::unique_ptr<crypto::PublicKey> public_key_;
  Bytes message_, signature_;
};

// floor.cpp's floor through the provider: X25519 both sides as a handshake does it (the
// client's key share, the server's encapsulation, the client's decapsulation), then for
// the signed kinds the server's CertificateVerify signature and the client's two
// verifications (CertificateVerify, the leaf by the root).
class ProviderFloor : public Operation {
 public:
  explicit ProviderFloor(FloorKind kind) : kind_(kind) {}

  bool setup(std::string& error) {
    if (kind_ == FloorKind::key_exchange) return true;
    const auto& provider = crypto::default_provider();
    const Pki& p = pki(kind_ == FloorKind::rsa_2048 ? KeyKind::rsa_2048 : KeyKind::ecdsa_p256);
    auto key = provider.parse_private_key(p.leaf_key_pkcs8);
    if (!key) return fail(error, "leaf key", key.error());
    leaf_key_ = std::move(*key);
    leaf_public_ = leaf_key_->public_key();
    auto root = tern::x509::parse_certificate(p.root_der);
    if (!root) return fail(error, "root certificate", root.error());
    root_ = std::move(*root);
    if (!root_->public_key) {
      error = "root certificate: " + root_->public_key_error;
      return false;
    }
    auto leaf = tern::x509::parse_certificate(p.leaf_der);
    if (!leaf) return fail(error, "leaf certificate", leaf.error());
    leaf_cert_ = std::move(*leaf);
    signed_content_ = certificate_verify_content();
    return true;
  }

  bool once(std::string& error) override {
    const auto& provider = crypto::default_provider();
    auto client = provider.generate_key_share(crypto::Group::x25519);
    if (!client) return fail(error, "X25519 keygen", client.error());
    auto server = provider.encapsulate(crypto::Group::x25519, (*client)->public_key());
    if (!server) return fail(error, "X25519 server share", server.error());
    auto secret = (*client)->decapsulate(server->ciphertext);
    if (!secret) return fail(error, "X25519 derive", secret.error());
    if (kind_ == FloorKind::key_exchange) return true;
    const auto scheme =
        algorithm(kind_ == FloorKind::rsa_2048 ? crypto::SigKind::rsa_pss : crypto::SigKind::ecdsa);
    auto signature = leaf_key_->sign(scheme, signed_content_);
    if (!signature) return fail(error, "CertificateVerify sign", signature.error());
    if (auto ok = leaf_public_->verify(scheme, signed_content_, *signature); !ok)
      return fail(error, "CertificateVerify verify", ok.error());
    if (auto ok = tern::x509::verify_signature(*leaf_cert_, *root_->public_key); !ok)
      return fail(error, "leaf certificate verify", ok.error());
    return true;
  }

 private:
  FloorKind kind_;
  std::unique_ptr<crypto::PrivateKey> leaf_key_;
  std::unique_ptr<crypto::PublicKey> leaf_public_;
  std::shared_ptr<const tern::x509::Certificate> root_, leaf_cert_;
  Bytes signed_content_;
};

}  // namespace

std::unique_ptr<Operation> make_primitive(PrimitiveOp op, std::string& error) {
  auto primitive = std::make_unique<PrimitiveImpl>(op);
  if (!primitive->setup(error)) return nullptr;
  return primitive;
}

std::unique_ptr<Operation> make_provider_floor(FloorKind kind, std::string& error) {
  auto floor = std::make_unique<ProviderFloor>(kind);
  if (!floor->setup(error)) return nullptr;
  return floor;
}

}  // namespace tern_bench
