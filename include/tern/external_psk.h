// SPDX-License-Identifier: Apache-2.0
/// @file
/// TLS 1.3 external pre-shared keys (RFC 8446 §4.2.11, RFC 9257): a key both sides were
/// given out of band, named by an identity, that authenticates the handshake in place of
/// certificates (ClientConfig::external_psk, ServerConfig::external_psks).
#pragma once

#include <cstdint>
#include <string>

#include "tern/bytes.h"
#include "tern/export.h"
#include "tern/result.h"
#include "tern/session.h"

namespace tern {

/// One external PSK. RFC 9257 asks that each PSK be shared by one client and one server
/// only, hold at least 128 bits of entropy, and be used with one hash function only: tern
/// refuses keys shorter than 16 bytes and binds each key to `hash`. By default the key is
/// spoken only with (EC)DHE (psk_dhe_ke); psk_ke, the mode without it, must be chosen in
/// `key_exchange`, because it has no forward secrecy: a key that leaks later decrypts every
/// recorded session made with it (RFC 9257 §4). It is for peers that cannot afford an
/// (EC)DHE exchange.
struct TERN_API ExternalPsk {
  /// The hash the key is used with: the cipher suite negotiated must use it too.
  enum class Hash : uint8_t { sha256, sha384 };
  /// The key exchange modes (RFC 8446 §4.2.9) the key may be used with.
  enum class KeyExchange : uint8_t {
    with_dhe,     ///< psk_dhe_ke only: forward secrecy (the default)
    dhe_or_none,  ///< psk_dhe_ke, or psk_ke with a peer that offers only that
    without_dhe,  ///< psk_ke only: no (EC)DHE, no forward secrecy
  };

  /// What the client sends to name the key (1 to 65535 bytes); not secret, sent in clear.
  Bytes identity;
  /// The key itself (16 to 512 bytes): never logged or printed.
  SecretBuffer key;
  /// SHA-256 unless set (what OpenSSL and GnuTLS assume for their -psk/--pskkey keys).
  Hash hash = Hash::sha256;
  /// psk_dhe_ke unless set. A client offers the modes allowed here, psk_dhe_ke first; a
  /// server uses psk_ke only when the client offers no psk_dhe_ke or the key is without_dhe.
  KeyExchange key_exchange = KeyExchange::with_dhe;

  /// Whether identity, key and hash are within the limits above; the error says which is not.
  Result<void> check() const;

  /// A key from a file: hex digits (as `openssl s_server -psk` and `gnutls-cli --pskkey`
  /// take them; whitespace around them is ignored) or, if the file is not hex, its raw
  /// bytes. The file must be a regular file at most 4 KiB long that neither group nor others
  /// may access (Errc::usage says which chmod fixes it): it holds a long-term secret.
  static Result<ExternalPsk> load(std::string identity, const std::string& key_path,
                                  Hash hash = Hash::sha256);
};

}  // namespace tern
