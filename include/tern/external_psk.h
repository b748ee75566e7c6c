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
/// refuses keys shorter than 16 bytes and binds each key to `hash`. Only psk_dhe_ke is
/// spoken: psk_ke, the mode without (EC)DHE, has no forward secrecy (a key that leaks later
/// decrypts every recorded session made with it, RFC 9257 §4), so tern neither offers nor
/// accepts it.
struct TERN_API ExternalPsk {
  /// The hash the key is used with: the cipher suite negotiated must use it too.
  enum class Hash : uint8_t { sha256, sha384 };

  /// What the client sends to name the key (1 to 65535 bytes); not secret, sent in clear.
  Bytes identity;
  /// The key itself (16 to 512 bytes): never logged or printed.
  SecretBuffer key;
  /// SHA-256 unless set (what OpenSSL and GnuTLS assume for their -psk/--pskkey keys).
  Hash hash = Hash::sha256;

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
