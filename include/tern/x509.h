// SPDX-License-Identifier: Apache-2.0
/// @file
/// Certificates, trust stores and chain verification: the public face of src/x509.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tern/export.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern {

namespace x509 {
struct Certificate;
struct Crl;
}  // namespace x509

/// What a person wants to see of a certificate.
struct CertificateInfo {
  std::string subject;              ///< "CN=example.org, O=Example"
  /// The issuer's name, in the same form.
  std::string issuer;
  std::string serial;               ///< colon hex, "01:A2:..."
  /// @{
  /// The validity period.
  int64_t not_before = 0, not_after = 0;  ///< seconds since 1970, UTC
  std::vector<std::string> names;   ///< subjectAltName entries: "DNS:example.org", "IP:127.0.0.1"
  std::string key;                  ///< "EC P-256", "RSA 2048", "Ed25519"
  std::string signature_algorithm;  ///< "ECDSA with SHA-256", ...
  std::string sha256_fingerprint;   ///< colon hex of the DER's SHA-256
  /// basicConstraints cA: a CA certificate.
  bool is_ca = false;
  /// @}
};

/// A parsed X.509 certificate. Immutable; copies share it.
class TERN_API Certificate {
 public:
  /// Every certificate in a PEM bundle (or one DER certificate). Fails on the first one
  /// that does not parse, saying which and why.
  static Result<std::vector<Certificate>> parse_all(BytesView pem_or_der);
  /// parse_all() of a file; errors name the file.
  static Result<std::vector<Certificate>> load_file(const std::string& path);

  /// What a person wants to see of it.
  CertificateInfo info() const;
  /// Its DER encoding.
  BytesView der() const;
  /// The library's own form of it, for tern's code.
  const x509::Certificate& internal() const { return *cert_; }
  /// Wraps the library's own form, for tern's code.
  explicit Certificate(std::shared_ptr<const x509::Certificate> cert) : cert_(std::move(cert)) {}

 private:
  std::shared_ptr<const x509::Certificate> cert_;
};

/// A parsed certificate revocation list.
class TERN_API Crl {
 public:
  /// Every CRL in a PEM bundle (or one DER CRL). Fails on the first one that does
  /// not parse.
  static Result<std::vector<Crl>> parse_all(BytesView pem_or_der);
  /// parse_all() of a file; errors name the file.
  static Result<std::vector<Crl>> load_file(const std::string& path);
  /// Like load_file, but a CRL that does not parse is left out and described in `skipped`
  /// rather than failing the whole file: a malformed CRL revokes nothing (RFC 5280 §6.3
  /// trusts only valid CRLs), so verification goes on without it.
  struct Loaded {
    /// The CRLs that parse.
    std::vector<Crl> crls;
    /// Each CRL left out: which one, and why.
    std::vector<std::string> skipped;
  };
  /// Like load_file(), but the CRLs that do not parse are left out (see Loaded).
  static Result<Loaded> load_file_skipping_invalid(const std::string& path);
  /// The library's own form of it, for tern's code.
  const x509::Crl& internal() const { return *crl_; }
  /// Wraps the library's own form, for tern's code.
  explicit Crl(std::shared_ptr<const x509::Crl> crl) : crl_(std::move(crl)) {}

 private:
  std::shared_ptr<const x509::Crl> crl_;
};

/// Trust anchors, each remembered with where it came from (for messages and traces).
class TERN_API TrustStore {
 public:
  TrustStore();
  ~TrustStore();
  /// Movable, not copyable.
  TrustStore(TrustStore&&) noexcept;
  /// Movable, not copyable.
  TrustStore& operator=(TrustStore&&) noexcept;

  /// The operating system's bundle (/etc/ssl/certs/ca-certificates.crt on Debian).
  static Result<TrustStore> system();
  /// A PEM file or a directory of PEM files.
  static Result<TrustStore> load(const std::string& path);

  /// Adds a trust anchor, remembered with `source` (a file name, say).
  void add(Certificate anchor, std::string source);
  /// How many anchors it holds.
  size_t size() const;
  /// The anchors, each with where it came from.
  const std::vector<std::pair<Certificate, std::string>>& anchors() const;
  /// SHA-256 over the anchors' DER, sorted (the order they were loaded in does not count):
  /// names this set of roots. Sessions record it to resume only under the same roots.
  /// Computed once (again after add()); thread-safe.
  Bytes fingerprint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// What a leaf is for: a TLS server (extendedKeyUsage serverAuth) or a TLS client
/// (clientAuth).
enum class Purpose : uint8_t { server, client };

/// Which rules a verification applies. `web`, the default and what TLS uses, adds the CA/
/// Browser Forum Baseline Requirements as browsers enforce them: a server leaf must carry
/// extendedKeyUsage serverAuth, a subject CN naming a host must copy a SAN entry exactly, no
/// dNSName may hold an underscore, RSA moduli are a whole number of bytes, roots carry no
/// extendedKeyUsage. `rfc5280` keeps only what RFC 5280 requires (no EKU means any purpose,
/// the CN is not looked at). Both refuse a CA certificate as a server's leaf, wildcards over
/// a public suffix, RSA moduli under 2048 or over 8192 bits, and public exponents that are
/// even, below 3 or above 2^32 - 1.
enum class VerifyProfile : uint8_t { web, rfc5280 };
/// "web", "rfc5280".
TERN_API const char* verify_profile_name(VerifyProfile profile);

/// The checks of a verification, as reported step by step (VerifyOptions::on_step).
enum class VerifyCheck : uint8_t {
  validity,   ///< the certificate's validity window against the verification time
  key_usage,  ///< the leaf's keyUsage and extendedKeyUsage allow the purpose
  name,       ///< the leaf's subjectAltName covers the host name asked for
  issuer,     ///< an issuing certificate is a CA that may sign certificates
  signature,  ///< the certificate's signature verifies with its issuer's key
  anchor,     ///< the path ends at a trust anchor (a failure: no issuer was found)
  profile,    ///< RFC 5280 and web PKI rules on a certificate's fields (reported on failure)
  path,       ///< path-wide rules: key identifiers, pathLen, name constraints, revocation
  ocsp,       ///< the OCSP response the server stapled (RFC 6066 §8, RFC 6960), after the path
};
/// "validity", "key usage", "name", "issuer", "signature", "anchor", "profile", "path",
/// "ocsp".
TERN_API const char* verify_check_name(VerifyCheck check);

/// One check, in the order the verifier makes them on the path it settles on: the leaf's
/// validity, key usage and name, then for each issuer up the path its validity, that it is a
/// CA, and the signature it made, and last the anchor. A failure is the last step: the
/// verifier stops there, and the verification fails with the same message as `detail`.
/// (Candidate issuers that were tried and abandoned while building the path are not shown.)
struct VerifyStep {
  /// Which check.
  VerifyCheck check = VerifyCheck::validity;
  /// Whether it passed.
  bool ok = true;
  size_t depth = 0;            ///< the certificate's place on the path: 0 is the leaf
  std::string subject;         ///< that certificate's subject
  std::string detail;          ///< what was compared, or why the check failed
  std::string anchor_source;   ///< check == anchor and ok: where the trust store got it from
};

/// What verify_chain() checks a chain for.
struct VerifyOptions {
  std::optional<int64_t> time;  ///< seconds since 1970; now if unset
  std::string hostname;         ///< DNS name or IP literal to match; empty: no name check
  /// What the leaf must be valid for.
  Purpose purpose = Purpose::server;
  /// Which rules apply.
  VerifyProfile profile = VerifyProfile::web;
  /// Most intermediates allowed between leaf and anchor, counting only those that are not
  /// self-issued (RFC 5280 §6.1.4 (l)): a key-rollover certificate does not count.
  size_t max_depth = 8;
  /// Told each check as it is made (for traces: `tern trace`). Null: nothing is formatted.
  std::function<void(const VerifyStep&)> on_step;
};

/// The path verify_chain() accepted.
struct VerifiedChain {
  std::vector<Certificate> path;  ///< leaf first, trust anchor last
  std::string anchor_source;      ///< the file the anchor came from
};

/// Builds a path from `leaf` through `intermediates` (any order, any extras) to an anchor
/// in `roots`, and checks it for `options`. A rejection is Errc::certificate with a message
/// naming the certificate, the rule and what was found, and the TLS alert a client sends.
TERN_API Result<VerifiedChain> verify_chain(const Certificate& leaf,
                                   const std::vector<Certificate>& intermediates,
                                   const TrustStore& roots, const std::vector<Crl>& crls,
                                   const VerifyOptions& options);

}  // namespace tern
