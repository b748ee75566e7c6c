// SPDX-License-Identifier: Apache-2.0
// The TLS 1.2 key schedule (RFC 5246 §5, §6.3, §8.1; RFC 7627): pre-master secret ->
// master secret (extended: bound to the handshake's hash) -> key block, and the Finished
// verify_data. PRF(secret, label, seed) = P_<hash>(secret, label + seed), with the suite's
// hash (SHA-256 or SHA-384).
#pragma once

#include <string_view>

#include "crypto/provider.h"
#include "msgs/handshake.h"

namespace tern::handshake {

using base::SecretBytes;

inline constexpr size_t kTls12MasterSecretSize = 48;
inline constexpr size_t kTls12VerifyDataSize = 12;

Result<SecretBytes> tls12_prf(const crypto::Provider& provider, crypto::Hash hash,
                              BytesView secret, std::string_view label, BytesView seed,
                              size_t length);

// With `session_hash` (RFC 7627 §4): PRF(pre_master, "extended master secret", session_hash).
// Without: PRF(pre_master, "master secret", client_random + server_random).
Result<SecretBytes> tls12_master_secret(const crypto::Provider& provider, crypto::Hash hash,
                                        BytesView pre_master, const msgs::Random& client_random,
                                        const msgs::Random& server_random,
                                        const Bytes* session_hash);

// One direction's AEAD key and IV (4-byte salt for AES-GCM, RFC 5288; 12 bytes for
// ChaCha20-Poly1305, RFC 7905).
struct Tls12Keys {
  SecretBytes client_key, server_key, client_iv, server_iv;
};
Result<Tls12Keys> tls12_key_block(const crypto::Provider& provider, crypto::Hash hash,
                                  crypto::Aead aead, BytesView master,
                                  const msgs::Random& client_random,
                                  const msgs::Random& server_random);

// PRF(master, "client finished" / "server finished", Hash(handshake_messages))[0..12].
Result<SecretBytes> tls12_finished(const crypto::Provider& provider, crypto::Hash hash,
                                   BytesView master, bool server, BytesView transcript_hash);

}  // namespace tern::handshake
