// SPDX-License-Identifier: Apache-2.0
#include "crypto/hybrid.h"

#include <optional>
#include <string>

#include "crypto/mlkem/mlkem.h"

namespace tern::crypto::hybrid {
namespace {

using mlkem::Variant;

// How one hybrid lays out its parts (RFC 10024 §4). The same order holds for the client
// share, the server share and the shared secret.
struct Layout {
  Group ecdh;
  Variant kem;
  bool kem_first;     // X25519MLKEM768 puts ML-KEM first, the NIST-curve hybrids ECDHE
  size_t ecdh_share;  // bytes of the ECDHE public value
};

std::optional<Layout> layout(Group g) {
  switch (g) {
    case Group::x25519_mlkem768: return Layout{Group::x25519, Variant::ml_kem_768, true, 32};
    case Group::secp256r1_mlkem768:
      return Layout{Group::secp256r1, Variant::ml_kem_768, false, 65};
    case Group::secp384r1_mlkem1024:
      return Layout{Group::secp384r1, Variant::ml_kem_1024, false, 97};
    default: return std::nullopt;
  }
}

Error not_hybrid(Group g) {
  return Error(Errc::unsupported, std::string(group_name(g)) + " is not a hybrid group");
}

// Splits a share of `kem_len` + ECDHE bytes into its two parts, or says what is wrong.
struct Parts {
  BytesView kem, ecdh;
};
Result<Parts> split(Group g, const Layout& l, BytesView share, size_t kem_len, const char* what) {
  if (share.size() != kem_len + l.ecdh_share) {
    return Error(Errc::decode,
                 std::string("the peer's ") + group_name(g) + " " + what + " is " +
                     std::to_string(share.size()) + " bytes; it must be " +
                     std::to_string(kem_len + l.ecdh_share),
                 Alert::illegal_parameter);
  }
  if (l.kem_first) return Parts{share.first(kem_len), share.subspan(kem_len)};
  return Parts{share.subspan(l.ecdh_share), share.first(l.ecdh_share)};
}

template <typename Out>
void join(const Layout& l, BytesView kem, BytesView ecdh, Out& out) {
  out.resize(kem.size() + ecdh.size());
  BytesView first = l.kem_first ? kem : ecdh;
  BytesView second = l.kem_first ? ecdh : kem;
  std::copy(first.begin(), first.end(), out.data());
  std::copy(second.begin(), second.end(), out.data() + first.size());
}

class HybridKeyShare final : public KeyShare {
 public:
  HybridKeyShare(Group g, Layout l, std::unique_ptr<KeyShare> ecdh, mlkem::KeyPair kem)
      : group_(g), layout_(l), ecdh_(std::move(ecdh)), kem_(std::move(kem)) {
    join(layout_, kem_.encapsulation_key, ecdh_->public_key(), public_);
    Bytes().swap(kem_.encapsulation_key);  // a copy is in public_ (and in the decapsulation key)
  }

  Group group() const override { return group_; }
  BytesView public_key() const override { return public_; }

  Result<SecretBytes> decapsulate(BytesView ciphertext) const override {
    TERN_TRY(Parts parts, split(group_, layout_, ciphertext,
                                mlkem::ciphertext_size(layout_.kem), "key share"));
    TERN_TRY(SecretBytes ecdh_secret, ecdh_->decapsulate(parts.ecdh));
    auto kem_secret = mlkem::decaps(layout_.kem, kem_.decapsulation_key.view(), parts.kem);
    if (!kem_secret) {
      // The length was checked above, so this is our own key failing (RFC 10024 §4.2).
      return Error(Errc::internal,
                   std::string("ML-KEM decapsulation failed: ") + kem_secret.error().detail,
                   Alert::internal_error);
    }
    SecretBytes shared;
    join(layout_, kem_secret->view(), ecdh_secret.view(), shared);
    return shared;
  }

 private:
  Group group_;
  Layout layout_;
  std::unique_ptr<KeyShare> ecdh_;
  mlkem::KeyPair kem_;
  Bytes public_;
};

Result<std::unique_ptr<KeyShare>> make(Group g, const Layout& l, std::unique_ptr<KeyShare> ecdh,
                                       Result<mlkem::KeyPair> kem) {
  if (!kem) return kem.error();
  return std::unique_ptr<KeyShare>(
      std::make_unique<HybridKeyShare>(g, l, std::move(ecdh), std::move(*kem)));
}

}  // namespace

bool is_hybrid(Group g) { return layout(g).has_value(); }

Group classical_part(Group g) {
  auto l = layout(g);
  return l ? l->ecdh : g;
}

std::string kem_part_name(Group g) {
  auto l = layout(g);
  return l ? mlkem::variant_name(l->kem) : "";
}

Result<std::unique_ptr<KeyShare>> generate(const Provider& ecdh, Group g) {
  auto l = layout(g);
  if (!l) return not_hybrid(g);
  TERN_TRY(auto ecdh_share, ecdh.generate_key_share(l->ecdh));
  return make(g, *l, std::move(ecdh_share), mlkem::keygen(l->kem));
}

Result<std::unique_ptr<KeyShare>> from_private(const Provider& ecdh, Group g,
                                               BytesView private_key) {
  auto l = layout(g);
  if (!l) return not_hybrid(g);
  constexpr size_t seeds = 2 * mlkem::kSeedSize;
  if (private_key.size() <= seeds) {
    return Error(Errc::usage, std::string("a ") + group_name(g) +
                                  " private key is ML-KEM's d and z (64 bytes) followed by "
                                  "the ECDHE scalar");
  }
  TERN_TRY(auto ecdh_share, ecdh.key_share_from_private(l->ecdh, private_key.subspan(seeds)));
  return make(g, *l, std::move(ecdh_share),
              mlkem::keygen_internal(l->kem, private_key.first(mlkem::kSeedSize),
                                     private_key.subspan(mlkem::kSeedSize, mlkem::kSeedSize)));
}

Result<Encapsulation> encapsulate(const Provider& ecdh, Group g, BytesView peer_public,
                                  BytesView pinned) {
  auto l = layout(g);
  if (!l) return not_hybrid(g);
  if (!pinned.empty() && pinned.size() <= mlkem::kSeedSize) {
    return Error(Errc::usage, std::string("pinned randomness for ") + group_name(g) +
                                  " is ML-KEM's m (32 bytes) followed by the ECDHE scalar");
  }
  TERN_TRY(Parts parts, split(g, *l, peer_public, mlkem::encapsulation_key_size(l->kem),
                              "key share"));
  // RFC 10024 §4.2: the encapsulation key check failing is illegal_parameter, which is
  // what mlkem reports for a bad length or an unreduced coefficient.
  Result<mlkem::Encapsulation> kem = pinned.empty()
                                         ? mlkem::encaps(l->kem, parts.kem)
                                         : mlkem::encaps_internal(
                                               l->kem, parts.kem, pinned.first(mlkem::kSeedSize));
  if (!kem) return kem.error();
  Result<Encapsulation> classical =
      pinned.empty() ? ecdh.encapsulate(l->ecdh, parts.ecdh)
                     : ecdh.encapsulate_with(l->ecdh, parts.ecdh,
                                             pinned.subspan(mlkem::kSeedSize));
  if (!classical) return classical.error();
  Encapsulation out;
  join(*l, kem->ciphertext, classical->ciphertext, out.ciphertext);
  join(*l, kem->shared_secret.view(), classical->shared_secret.view(), out.shared_secret);
  return out;
}

}  // namespace tern::crypto::hybrid
