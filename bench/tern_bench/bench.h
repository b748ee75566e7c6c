// SPDX-License-Identifier: Apache-2.0
// tern-bench: tern and OpenSSL libssl 3.0 side by side in one process, one thread, joined
// by in-memory transports (issue 7). This header is what the library drivers
// (tern_driver.cpp, openssl_driver.cpp), the libcrypto floor (floor.cpp) and the case
// table (main.cpp) share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tern/primitives.h"

namespace tern_bench {

using Bytes = std::vector<uint8_t>;

enum class KeyKind : uint8_t { ecdsa_p256, rsa_2048 };

// The test PKI: a self-signed root and a leaf for "localhost" issued by it (no
// intermediate), made once per process and key kind. The root signs with its own kind:
// ECDSA P-256 with SHA-256, or RSA PKCS#1 v1.5 with SHA-256.
struct Pki {
  Bytes root_der;
  Bytes leaf_der;
  Bytes leaf_key_pkcs8;
  // The leaf certificate's signed part and signature (for the libcrypto floor).
  Bytes leaf_tbs, leaf_signature;
};
const Pki& pki(KeyKind kind);

inline constexpr const char* kServerName = "localhost";

// What both libraries are restricted to for one case: one version, one group, one suite,
// one signature scheme; sessions only when `resume`.
struct HandshakeParams {
  std::string id;               // "1a"
  uint16_t version = 0x0304;    // 0x0304 TLS 1.3 or 0x0303 TLS 1.2
  uint16_t group = 0x001d;      // X25519; 0x11ec X25519MLKEM768
  uint16_t suite = 0x1301;      // TLS 1.3 or TLS 1.2 code point
  uint16_t scheme = 0x0403;     // ecdsa_secp256r1_sha256; 0x0804 rsa_pss_rsae_sha256
  KeyKind key = KeyKind::ecdsa_p256;
  bool resume = false;          // each handshake resumes the previous one's session
  bool release_buffers = false;  // OpenSSL only: SSL_MODE_RELEASE_BUFFERS
};

// The supported_groups both sides offer: the case's group, and for TLS 1.2 with an ECDSA
// certificate also P-256, the certificate's curve (RFC 8422 §5.1: without it a TLS 1.2
// server may not use the certificate; OpenSSL refuses to). The key exchange is still the
// case's group, the first in both lists.
inline std::vector<uint16_t> offered_groups(const HandshakeParams& params) {
  if (params.version == 0x0303 && params.key == KeyKind::ecdsa_p256 && params.group != 0x0017)
    return {params.group, 0x0017};
  return {params.group};
}

// A client and a server, handshake complete. Freed by the destructor.
class Pair {
 public:
  virtual ~Pair() = default;
  // "ping" client -> server, "pong" back, each read by its peer.
  virtual bool exchange(std::string& error) = 0;
  // `size` bytes client -> server as one write, read completely by the server.
  virtual bool send(const uint8_t* data, size_t size, std::string& error) = 0;
  virtual void free_client() = 0;
  virtual void free_server() = 0;
};

// One library set up for one case: its configs / SSL_CTXs, made once.
class Driver {
 public:
  virtual ~Driver() = default;
  // Creates both endpoints and completes a handshake (for resumption cases: resumed, and
  // the new ticket taken in). Null with `error` set on failure.
  virtual std::unique_ptr<Pair> connect(std::string& error) = 0;
  // One handshake: both endpoints created and freed.
  bool handshake(std::string& error) { return connect(error) != nullptr; }
};

// Null with `error` set when the library cannot do the case. For tern, `unsupported` is set
// when the failure is that this tern build lacks the group (X25519MLKEM768).
std::unique_ptr<Driver> make_tern_driver(const HandshakeParams& params, std::string& error,
                                         bool& unsupported);
std::unique_ptr<Driver> make_openssl_driver(const HandshakeParams& params, std::string& error);
std::string openssl_version();

// What is measured by repeating it: a floor, a primitive, one raw AEAD record.
class Operation {
 public:
  virtual ~Operation() = default;
  virtual bool once(std::string& error) = 0;
};

// The primitives of a handshake, called directly through libcrypto: X25519 key generation
// and derivation for both sides, then (unless key_exchange) one signature of the leaf's
// kind (CertificateVerify: ECDSA P-256, or RSA-2048 PSS) and two verifications
// (CertificateVerify, the leaf certificate's signature by the root). ecdsa_p256 is the
// floor of 1a and 1c (the TLS 1.2 ServerKeyExchange signature), rsa_2048 of 1b,
// key_exchange of 2 (psk_dhe_ke authenticates with the PSK).
enum class FloorKind : uint8_t { ecdsa_p256, rsa_2048, key_exchange };
std::unique_ptr<Operation> make_floor(FloorKind kind, std::string& error);
// The same floor through tern's crypto provider (primitives.cpp), so that it uses the
// primitives tern::primitives() selects: with tern's own, the floor tern now stands on.
std::unique_ptr<Operation> make_provider_floor(FloorKind kind, std::string& error);
// What TLS 1.3 signs in a server CertificateVerify (RFC 8446 §4.4.3): 64 spaces, the
// context string, a zero byte and a 32-byte transcript hash (here a fixed one).
Bytes certificate_verify_content();

// The primitives tern carries its own of (issue 19), through the crypto provider as a
// handshake calls them; which implementation runs is tern::primitives()'s choice when the
// Primitive is made (its X25519 key share keeps the implementation it was made with).
enum class PrimitiveOp : uint8_t { x25519_keygen, x25519_derive, p256_verify };
std::unique_ptr<Operation> make_primitive(PrimitiveOp op, std::string& error);

// Selects tern's or libcrypto's primitives for the scope (tern::set_primitives).
class PrimitivesScope {
 public:
  explicit PrimitivesScope(tern::Primitives p) : saved_(tern::primitives()) {
    tern::set_primitives(p);
  }
  ~PrimitivesScope() { tern::set_primitives(saved_); }
  PrimitivesScope(const PrimitivesScope&) = delete;
  PrimitivesScope& operator=(const PrimitivesScope&) = delete;

 private:
  tern::Primitives saved_;
};

// One TLS 1.3 record sealed and opened through libcrypto EVP (the raw AEAD speed):
// `size` bytes + the inner content type, 5 bytes of AAD, a fresh nonce each time.
std::unique_ptr<Operation> make_raw_aead(uint16_t suite, size_t size, std::string& error);

}  // namespace tern_bench
