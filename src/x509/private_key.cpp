// SPDX-License-Identifier: Apache-2.0
// Private key files: PEM (PKCS#8, SEC1 EC, PKCS#1 RSA) or DER, handed to the provider.
#include <string_view>

#include "base/encoding.h"
#include "x509/certificate.h"
#include "x509/der.h"

namespace tern::x509 {

namespace {

constexpr std::string_view kDecryptHint =
    "decrypt it first, e.g. `openssl pkcs8 -in key.pem -out plain.pem` (or `openssl pkey "
    "-in key.pem -out plain.pem`), and keep the plain file private";

Error key_error(Errc code, std::string detail) {
  return Error(code, std::move(detail), Alert::none);
}

// EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }, where a
// plain PrivateKeyInfo or RSAPrivateKey/ECPrivateKey starts with an INTEGER version.
bool looks_encrypted_pkcs8(BytesView der) {
  base::Reader top(der), seq;
  BytesView ignored;
  return top.der(base::der::kSequence, seq) && seq.der(base::der::kSequence, ignored) &&
         seq.der(base::der::kOctetString, ignored) && seq.empty();
}

Result<std::unique_ptr<crypto::PrivateKey>> from_der(BytesView der, const std::string& what) {
  if (looks_encrypted_pkcs8(der))
    return key_error(Errc::unsupported,
                     what + " is an encrypted PKCS#8 key; " + std::string(kDecryptHint));
  auto key = crypto::default_provider().parse_private_key(der);
  if (!key.ok()) {
    Error e = std::move(key).error();
    e.detail = what + " cannot be loaded: " + e.detail;
    return e;
  }
  return std::move(*key);
}

}  // namespace

Result<std::unique_ptr<crypto::PrivateKey>> parse_private_key(BytesView input) {
  if (input.empty()) return key_error(Errc::decode, "no private key: the input is empty");
  if (!base::looks_like_pem(input)) return from_der(input, "the DER private key");
  std::string_view text = as_chars(input);
  if (text.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos)
    return key_error(Errc::unsupported,
                     "the PEM private key is encrypted (Proc-Type: "
                     "4,ENCRYPTED); " +
                         std::string(kDecryptHint));
  auto blocks = base::parse_pem(text);
  if (!blocks.ok()) return key_error(Errc::decode, blocks.error().detail);
  std::string labels;
  for (const base::PemBlock& block : *blocks) {
    if (block.label == "ENCRYPTED PRIVATE KEY")
      return key_error(Errc::unsupported, "the private key is encrypted (ENCRYPTED PRIVATE KEY); " +
                                              std::string(kDecryptHint));
    if (block.label == "PRIVATE KEY" || block.label == "EC PRIVATE KEY" ||
        block.label == "RSA PRIVATE KEY")
      return from_der(block.der, "the PEM '" + block.label + "' block");
    labels += (labels.empty() ? "" : ", ") + block.label;
  }
  return key_error(Errc::decode,
                   "no PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block in the PEM data" +
                       (labels.empty() ? std::string() : " (found: " + labels + ")"));
}

}  // namespace tern::x509
