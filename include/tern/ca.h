// SPDX-License-Identifier: Apache-2.0
/// @file
/// A local certificate authority for development, in the habits of mkcert: one root kept in
/// a directory, leaves issued for the names a developer's machine serves (localhost, *.test,
/// 127.0.0.1), revocation through a CRL. What `tern ca` runs; usable on its own.
///
/// The CA directory (docs/cli.md "tern ca" describes it for users):
/// @verbatim
/// root.pem    the CA certificate, PEM (mode 0644: it is what others trust)
/// root.key    the CA's private key, PKCS#8 PEM, mode 0600; open() refuses it if group or
///             others may read or write it
/// index       one line per issued certificate: status (V valid, R revoked), serial,
///             not_after, revocation time, reason, subject and names, tab-separated
/// crlnumber   the number of the last CRL written (CRL numbers only grow, RFC 5280 §5.2.3)
/// crl.pem     the current CRL, written by crl() and by revoke()
/// lock        taken (flock) while the index is read and rewritten, so two processes
///             issuing at once do not lose each other's lines
/// @endverbatim
/// The directory itself is mode 0700. Serials are 16 random bytes, positive (RFC 5280
/// §4.1.2.2 allows up to 20 octets), checked against the index for uniqueness.
///
/// Time is always a parameter (seconds since 1970, UTC): the library never reads a clock.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tern/export.h"
#include "tern/ocsp.h"
#include "tern/result.h"
#include "tern/x509.h"

namespace tern {

/// The keys a local CA and its leaves can have. Ed25519 works with tern and OpenSSL but not
/// with browsers (neither Chromium nor Firefox accept Ed25519 certificates).
enum class CaKeyType : uint8_t { p256, p384, rsa2048, rsa3072, ed25519 };
/// "p256", "p384", "rsa2048", "rsa3072", "ed25519": what --key takes.
TERN_API const char* ca_key_type_name(CaKeyType type);
/// The key type of a name ca_key_type_name() gives; nullopt for any other text.
TERN_API std::optional<CaKeyType> parse_ca_key_type(std::string_view name);

/// RFC 5280 §5.3.1 reasons that make sense for a leaf of a local CA. `unspecified` is left
/// out of the CRL entry, as RFC 5280 recommends.
enum class CrlReason : uint8_t {
  unspecified = 0,
  key_compromise = 1,
  affiliation_changed = 3,
  superseded = 4,
  cessation_of_operation = 5,
  privilege_withdrawn = 9,
};
/// "unspecified", "keyCompromise", "affiliationChanged", "superseded",
/// "cessationOfOperation", "privilegeWithdrawn" (RFC 5280's spelling, as openssl prints it).
TERN_API const char* crl_reason_name(CrlReason reason);
/// The reason of a name crl_reason_name() gives; nullopt for any other text.
TERN_API std::optional<CrlReason> parse_crl_reason(std::string_view name);

/// How LocalCa::init() makes a CA.
struct CaInitOptions {
  /// The type of the root's key.
  CaKeyType key = CaKeyType::p256;
  /// What the CA may vouch for, as permitted name constraints (RFC 5280 §4.2.1.10) in its
  /// certificate: DNS names ("localhost"; "test" or ".test": the name and every name under
  /// it), IP addresses ("127.0.0.1") and ranges ("10.0.0.0/8", "fd00::/8"). Empty: no
  /// constraints. When DNS names are given but no address, the CA may vouch for no address
  /// at all (every IPv4 and IPv6 address is excluded), and the other way round: a
  /// constraint is a promise about everything the CA can sign, not only the listed kind.
  std::vector<std::string> name_constraints;
  std::string owner;  ///< "user@host", shown in the subject; empty: "tern"
  int64_t now = 0;    ///< the root is valid from an hour before, for 10 years
};

/// How LocalCa::issue() makes a certificate.
struct CaIssueOptions {
  bool client = false;  ///< extendedKeyUsage clientAuth instead of serverAuth
  int days = 825;       ///< validity, 1 to 3650, and never past the root's own end
  /// The type of the certificate's key.
  CaKeyType key = CaKeyType::p256;
  /// Where the files go (must exist). Named after the first name as mkcert does:
  /// "localhost+2.pem" for three names, "_wildcard.example.test.pem" for *.example.test,
  /// "-client" appended for client certificates.
  std::string out_dir = ".";
  /// The time of issue, seconds since 1970 (UTC): the certificate is valid from an hour
  /// before, for `days`.
  int64_t now = 0;
};

/// One line of the index.
struct CaRecord {
  std::string serial;  ///< upper-case hex, as `openssl x509 -serial` prints it
  /// The certificate's subject.
  std::string subject;
  std::vector<std::string> names;  ///< "localhost", "127.0.0.1", as given (normalised)
  /// The end of its validity, seconds since 1970 (UTC).
  int64_t not_after = 0;
  /// When it was revoked, seconds since 1970 (UTC); unset while it is valid.
  std::optional<int64_t> revoked_at;
  /// Why it was revoked (`unspecified` while it is valid).
  CrlReason reason = CrlReason::unspecified;
};

/// What LocalCa::issue() made and wrote.
struct IssuedCertificate {
  Certificate certificate;  ///< the leaf
  /// Its line in the index.
  CaRecord record;
  /// A client certificate (clientAuth) rather than a server one (serverAuth).
  bool client = false;
  /// The start of its validity, seconds since 1970 (UTC).
  int64_t not_before = 0;
  /// @{
  /// The files written: the leaf alone; its private key (PKCS#8 PEM, mode 0600); the chain
  /// a server sends (leaf, then intermediates: a local CA has none, so it is the leaf again,
  /// for servers that ask for a "fullchain" file). The root is in none of them: clients
  /// must already trust it, and a server gains nothing by sending it.
  std::string certificate_path, key_path, fullchain_path;
  /// @}
};

/// What LocalCa::crl() wrote.
struct CaCrl {
  std::string path;  ///< DIR/crl.pem
  /// The CRL number (RFC 5280 §5.2.3): one more than the last CRL's.
  uint64_t number = 0;
  /// @{
  /// Its thisUpdate and nextUpdate, seconds since 1970 (UTC).
  int64_t this_update = 0, next_update = 0;
  /// @}
  size_t revoked = 0;  ///< entries listed
};

/// How LocalCa::ocsp() answers.
struct CaOcspOptions {
  /// Answer `revoked` (with `reason`, at `now`) whatever the index says; a certificate the
  /// index lists as revoked is answered `revoked` in any case, with its recorded time and reason.
  bool revoked = false;
  /// The reason given with `revoked`.
  CrlReason reason = CrlReason::unspecified;
  /// thisUpdate and producedAt, seconds since 1970 (UTC).
  int64_t now = 0;
  /// nextUpdate is this many days after `now` (1 to 365).
  int days = 7;
};

/// What LocalCa::ocsp() made.
struct CaOcspResponse {
  Bytes der;        ///< the DER OCSPResponse, signed with the CA's key
  CaRecord record;  ///< the certificate it answers for
  /// The status it gives.
  OcspCertStatus status = OcspCertStatus::good;
  /// @{
  /// Its thisUpdate and nextUpdate, seconds since 1970 (UTC).
  int64_t this_update = 0, next_update = 0;
  /// @}
};

/// A local certificate authority kept in a directory (see the description of this
/// file): made by init(), loaded by open().
class TERN_API LocalCa {
 public:
  /// Creates a CA in `dir` (made, with its parents, if missing; mode 0700). Refuses a
  /// directory that already holds a CA, and name constraints it cannot parse.
  static Result<LocalCa> init(const std::string& dir, const CaInitOptions& options);
  /// Loads the CA in `dir`: "no CA in DIR" (Errc::usage) if there is none; a clear message
  /// naming the file for a key readable by others, a key that is not the root's, or a root
  /// or index that does not parse.
  static Result<LocalCa> open(const std::string& dir);

  /// Movable, not copyable.
  LocalCa(LocalCa&&) noexcept;
  /// Movable, not copyable.
  LocalCa& operator=(LocalCa&&) noexcept;
  ~LocalCa();

  /// The CA directory.
  const std::string& dir() const;
  std::string root_path() const;  ///< DIR/root.pem
  /// The CA certificate.
  const Certificate& root() const;
  /// The root's common name, unique per CA (it ends in the key identifier): the nickname
  /// `tern ca trust --nss` gives it in an NSS database.
  std::string nickname() const;
  /// The type of the CA's key.
  CaKeyType key_type() const;
  /// The permitted name constraints in init()'s form, normalised ("localhost", "test" for
  /// ".test", "127.0.0.1/32" for one address, "10.0.0.0/8"); empty if none.
  std::vector<std::string> name_constraints() const;
  /// The index as last read or written by this object.
  const std::vector<CaRecord>& records() const;

  /// Issues a leaf for `names` (DNS names, "*.name" wildcards, IPv4/IPv6 literals; at
  /// least one) and writes its files. Subject CN is the first DNS name (none if all are
  /// addresses: OpenSSL would check an address CN against DNS name constraints);
  /// subjectAltName has them all; keyUsage digitalSignature (and keyEncipherment for RSA
  /// keys); EKU serverAuth or clientAuth; AKI and SKI. Refuses, naming the culprit: an
  /// invalid name, a wildcard on a single label, a name the CA's constraints exclude, days
  /// out of range.
  Result<IssuedCertificate> issue(const std::vector<std::string>& names,
                                  const CaIssueOptions& options);
  /// Marks the certificate with `serial` (hex, colons and case ignored) revoked at `now`
  /// and rewrites the CRL. Refuses a serial this CA did not issue or already revoked.
  Result<CaRecord> revoke(std::string_view serial, CrlReason reason, int64_t now);
  /// Writes DIR/crl.pem: every revoked certificate, thisUpdate `now`, nextUpdate `days`
  /// later (verifiers refuse a CRL past its nextUpdate: refresh it before then).
  Result<CaCrl> crl(int64_t now, int days = 30);
  /// An OCSP response (RFC 6960) for the certificate with `serial` (hex, as for revoke()),
  /// signed by the root itself: what a server staples (`tern serve --ocsp-response`).
  /// Refuses a serial this CA did not issue.
  Result<CaOcspResponse> ocsp(std::string_view serial, const CaOcspOptions& options);

 private:
  struct Impl;
  explicit LocalCa(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tern
