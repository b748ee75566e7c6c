// SPDX-License-Identifier: Apache-2.0
// The post-quantum hybrid groups of RFC 10024 (X25519MLKEM768, SecP256r1MLKEM768,
// SecP384r1MLKEM1024): an ECDHE share and an ML-KEM exchange side by side in one
// key_share, with the two shared secrets concatenated. The ECDHE half goes through the
// given provider, the ML-KEM half through src/crypto/mlkem.
#pragma once

#include <memory>
#include <string>

#include "crypto/provider.h"

namespace tern::crypto::hybrid {

bool is_hybrid(Group g);
// The classical group inside a hybrid (x25519 for X25519MLKEM768); g itself otherwise.
Group classical_part(Group g);
// The ML-KEM parameter set inside a hybrid ("ML-KEM-768"); empty otherwise.
std::string kem_part_name(Group g);

// The client's share: ML-KEM encapsulation key and ECDHE public value, in RFC 10024 order.
Result<std::unique_ptr<KeyShare>> generate(const Provider& ecdh, Group g);
// The same from pinned secrets (known-answer tests): ML-KEM's d || z, then the ECDHE scalar.
Result<std::unique_ptr<KeyShare>> from_private(const Provider& ecdh, Group g,
                                               BytesView private_key);

// The server's answer to a client share. `pinned` is empty for fresh randomness, or
// ML-KEM's m followed by the ECDHE scalar (known-answer tests).
Result<Encapsulation> encapsulate(const Provider& ecdh, Group g, BytesView peer_public,
                                  BytesView pinned = {});

}  // namespace tern::crypto::hybrid
