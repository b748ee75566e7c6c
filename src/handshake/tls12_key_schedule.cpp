#include "handshake/tls12_key_schedule.h"

#include <cstring>

namespace tern::handshake {

Result<SecretBytes> tls12_prf(const crypto::Provider& provider, crypto::Hash hash,
                              BytesView secret, std::string_view label, BytesView seed,
                              size_t length) {
  // P_hash (RFC 5246 §5): A(0) = label + seed, A(i) = HMAC(secret, A(i-1));
  // output = HMAC(secret, A(1) + label + seed) + HMAC(secret, A(2) + label + seed) + ...
  Bytes label_seed(label.begin(), label.end());
  label_seed.insert(label_seed.end(), seed.begin(), seed.end());
  SecretBytes out(length);
  SecretBytes a = provider.hmac(hash, secret, label_seed);
  Bytes block;
  size_t done = 0;
  while (done < length) {
    block.assign(a.view().begin(), a.view().end());
    block.insert(block.end(), label_seed.begin(), label_seed.end());
    SecretBytes chunk = provider.hmac(hash, secret, block);
    if (chunk.empty()) return Error(Errc::internal, "TLS 1.2 PRF: HMAC failed");
    size_t n = std::min(chunk.size(), length - done);
    std::memcpy(out.data() + done, chunk.data(), n);
    done += n;
    if (done < length) a = provider.hmac(hash, secret, a.view());
  }
  base::secure_zero(block.data(), block.size());
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
