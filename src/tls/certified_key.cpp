// SPDX-License-Identifier: Apache-2.0
// CertifiedKey::load: a server's chain and key from the files people have (certbot's
// fullchain.pem + privkey.pem, mkcert's output, openssl req).
#include <fstream>
#include <iterator>

#include "base/encoding.h"
#include "crypto/provider.h"
#include "tern/tls.h"
#include "x509/certificate.h"

namespace tern {
namespace {

Result<Bytes> read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::io, "cannot read the " + std::string(what) + " file " + path);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Result<Bytes> private_key_der(const Bytes& file, const std::string& path) {
  if (!base::looks_like_pem(file)) return file;
  std::string_view text(reinterpret_cast<const char*>(file.data()), file.size());
  TERN_TRY(auto blocks, base::parse_pem(text));
  for (auto& block : blocks) {
    if (block.label == "ENCRYPTED PRIVATE KEY")
      return Error(Errc::usage, path + " holds an encrypted key; decrypt it first (openssl pkey -in " +
                                    path + " -out KEY)");
    if (block.label == "PRIVATE KEY" || block.label == "EC PRIVATE KEY" ||
        block.label == "RSA PRIVATE KEY")
      return std::move(block.der);
  }
  return Error(Errc::usage, path + " has no PEM PRIVATE KEY block");
}

// A signature the key makes and the leaf's public key checks: proves they are a pair.
Result<void> check_pair(const crypto::PrivateKey& key, const crypto::PublicKey& leaf_key) {
  crypto::SignatureAlgorithm alg;
  switch (key.type()) {
    case crypto::KeyType::ec_p256: alg = {crypto::SigKind::ecdsa, crypto::Hash::sha256}; break;
    case crypto::KeyType::ec_p384: alg = {crypto::SigKind::ecdsa, crypto::Hash::sha384}; break;
    case crypto::KeyType::ed25519: alg = {crypto::SigKind::ed25519}; break;
    case crypto::KeyType::rsa:
    case crypto::KeyType::rsa_pss:
      alg = {crypto::SigKind::rsa_pss, crypto::Hash::sha256, 32};
      break;
    default:
      return Error(Errc::unsupported,
                   std::string("a ") + crypto::key_type_name(key.type()) +
                       " key cannot sign TLS 1.3 handshakes");
  }
  static const uint8_t kProbe[] = "tern: does this key belong to this certificate?";
  TERN_TRY(auto signature, key.sign(alg, kProbe));
  return leaf_key.verify(alg, kProbe, signature);
}

}  // namespace

Result<CertifiedKey> CertifiedKey::load(const std::string& chain_path, const std::string& key_path,
                                        std::vector<std::string> names) {
  TERN_TRY(auto certificates, Certificate::load_file(chain_path));
  if (certificates.empty())
    return Error(Errc::usage, chain_path + " holds no certificate");
  TERN_TRY(auto key_file, read_file(key_path, "private key"));
  TERN_TRY(auto key_der, private_key_der(key_file, key_path));
  auto key = crypto::default_provider().parse_private_key(key_der);
  if (!key) return Error(Errc::usage, key_path + ": " + key.error().detail);

  const x509::Certificate& leaf = certificates.front().internal();
  if (!leaf.public_key)
    return Error(Errc::unsupported, chain_path + ": the first certificate's key cannot be used: " +
                                        leaf.public_key_error);
  if (!check_pair(**key, *leaf.public_key))
    return Error(Errc::usage, "the key in " + key_path + " does not belong to the first certificate in " +
                                  chain_path + " (is the leaf certificate first?)");

  CertifiedKey out;
  for (const Certificate& c : certificates) out.chain.emplace_back(c.der().begin(), c.der().end());
  out.private_key = std::move(key_der);
  if (names.empty())
    for (const std::string& name : certificates.front().info().names)
      if (name.starts_with("DNS:")) names.push_back(name.substr(4));
  out.names = std::move(names);
  return out;
}

}  // namespace tern
