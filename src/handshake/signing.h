// SPDX-License-Identifier: Apache-2.0
// CertificateVerify (RFC 8446 §4.4.3) and TLS 1.2's digitally-signed structs: the signed
// content, and the mapping between TLS SignatureSchemes and the provider's algorithms.
#pragma once

#include <optional>
#include <vector>

#include "crypto/provider.h"
#include "msgs/codes.h"

namespace tern::handshake {

// The provider algorithm of a scheme TLS 1.3 allows; nullopt for the rest (PKCS#1 v1.5,
// SHA-1, ...). rsa_pss_rsae and rsa_pss_pss map alike; which key fits is key_fits()'s call.
std::optional<crypto::SignatureAlgorithm> tls13_signature_algorithm(msgs::SignatureScheme s);
// Whether a key of `type` (and `bits`) can make/check signatures of scheme `s`.
bool key_fits(msgs::SignatureScheme s, crypto::KeyType type);

std::vector<msgs::SignatureScheme> default_tls13_signature_schemes();

// TLS 1.2 (RFC 5246 §7.4.1.4.1, RFC 8422 §5.1.3): PKCS#1 v1.5 is allowed, and the ECDSA
// schemes name only the hash, so any curve fits them.
std::optional<crypto::SignatureAlgorithm> tls12_signature_algorithm(msgs::SignatureScheme s);
bool key_fits_tls12(msgs::SignatureScheme s, crypto::KeyType type);
std::vector<msgs::SignatureScheme> default_tls12_signature_schemes();
// The first of `ours` that `offered` contains and the key fits, for TLS 1.2.
std::optional<msgs::SignatureScheme> choose_signature_scheme_tls12(
    const std::vector<msgs::SignatureScheme>& ours,
    const std::vector<msgs::SignatureScheme>& offered, crypto::KeyType key);

// 64 spaces, the context string, a zero byte, then the transcript hash.
Bytes certificate_verify_content(bool server, BytesView transcript_hash);

// The server's choice: the first scheme of its preference list that the client offers and
// its key fits.
std::optional<msgs::SignatureScheme> choose_signature_scheme(
    const std::vector<msgs::SignatureScheme>& ours,
    const std::vector<msgs::SignatureScheme>& offered, crypto::KeyType key);

}  // namespace tern::handshake
