// SPDX-License-Identifier: Apache-2.0
#include "handshake/tls12_key_schedule.h"

#include <cstring>

namespace tern::handshake {

Result<SecretBytes> tls12_prf(const crypto::Provider& provider, crypto::Hash hash,
                              BytesView secret, std::string_view label, BytesView seed,
                              size_t length) {
  // P_hash (RFC 5246 §5): A(0) = label + seed, A(i) = HMAC(secret, A(i-1));
  // output = HMAC(secret, A(1) + label + seed) + HMAC(secret, A(2) + label + seed) + ...
  // The secret is set up as an HMAC key once for all the blocks.
  auto key = provider.hmac_key(hash, secret);
  if (!key) return Error(Errc::internal, "TLS 1.2 PRF: HMAC set-up failed");
  const BytesView label_view(reinterpret_cast<const uint8_t*>(label.data()), label.size());
  const size_t n = crypto::hash_size(hash);
  SecretBytes out(length);
  uint8_t a[64], chunk[64];  // A(i) and one output block, at most SHA-512's 64 bytes
  std::span<uint8_t> a_span(a, n), chunk_span(chunk, n);
  bool good = key->mac_into({label_view, seed}, a_span);
  size_t done = 0;
  while (good && done < length) {
    good = key->mac_into({BytesView(a, n), label_view, seed}, chunk_span);
    if (!good) break;
    size_t take = std::min(n, length - done);
    std::memcpy(out.data() + done, chunk, take);
    done += take;
    if (done < length) good = key->mac_into({BytesView(a, n)}, a_span);
  }
  base::secure_zero(a, sizeof a);
  base::secure_zero(chunk, sizeof chunk);
  if (!good) return Error(Errc::internal, "TLS 1.2 PRF: HMAC failed");
  return out;
}

namespace {

Bytes concat(const msgs::Random& first, const msgs::Random& second) {
  Bytes out(first.begin(), first.end());
  out.insert(out.end(), second.begin(), second.end());
  return out;
}

}  // namespace

Result<SecretBytes> tls12_master_secret(const crypto::Provider& provider, crypto::Hash hash,
                                        BytesView pre_master, const msgs::Random& client_random,
                                        const msgs::Random& server_random,
                                        const Bytes* session_hash) {
  if (session_hash)
    return tls12_prf(provider, hash, pre_master, "extended master secret", *session_hash,
                     kTls12MasterSecretSize);
  return tls12_prf(provider, hash, pre_master, "master secret",
                   concat(client_random, server_random), kTls12MasterSecretSize);
}

Result<Tls12Keys> tls12_key_block(const crypto::Provider& provider, crypto::Hash hash,
                                  crypto::Aead aead, BytesView master,
                                  const msgs::Random& client_random,
                                  const msgs::Random& server_random) {
  size_t key_size = crypto::aead_key_size(aead);
  size_t iv_size = aead == crypto::Aead::chacha20_poly1305 ? 12 : 4;
  // AEAD suites have no MAC keys (RFC 5246 §6.3 with mac_key_length 0).
  TERN_TRY(auto block, tls12_prf(provider, hash, master, "key expansion",
                                 concat(server_random, client_random), 2 * (key_size + iv_size)));
  BytesView b = block.view();
  Tls12Keys keys;
  keys.client_key = SecretBytes(b.subspan(0, key_size));
  keys.server_key = SecretBytes(b.subspan(key_size, key_size));
  keys.client_iv = SecretBytes(b.subspan(2 * key_size, iv_size));
  keys.server_iv = SecretBytes(b.subspan(2 * key_size + iv_size, iv_size));
  return keys;
}

Result<SecretBytes> tls12_finished(const crypto::Provider& provider, crypto::Hash hash,
                                   BytesView master, bool server, BytesView transcript_hash) {
  return tls12_prf(provider, hash, master, server ? "server finished" : "client finished",
                   transcript_hash, kTls12VerifyDataSize);
}

}  // namespace tern::handshake
