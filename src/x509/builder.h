// SPDX-License-Identifier: Apache-2.0
// Certificate and CRL builders: DER encoders for the test suite, the benchmarks and
// `tern ca` (x509/local_ca.cpp). They write exactly what they are told, including things a
// strict parser must refuse (duplicate extensions, unknown critical ones, odd time
// encodings), so tests can produce every case they need without hand-written DER.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "crypto/provider.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::x509 {

// An OBJECT IDENTIFIER's DER contents from its dotted form ("2.5.29.19"). Returns an empty
// vector if `dotted` is not a valid OID (fewer than two arcs, a first arc above 2, ...).
Bytes encode_oid(std::string_view dotted);

// OIDs the builders use, as DER contents (encode_oid of the dotted form).
namespace build_oid {
extern const Bytes kCommonName, kCountry, kOrganization, kOrganizationalUnit, kLocality, kState,
    kSerialNumber, kDomainComponent, kEmailAddress;
extern const Bytes kEkuServerAuth, kEkuClientAuth, kEkuCodeSigning, kEkuAny;
}  // namespace build_oid

// One attribute of a distinguished name. `join_previous` puts it in the same RDN as the
// attribute before it (a multi-valued RDN such as "CN=a+O=b").
struct NameAttribute {
  Bytes type;                 // OID contents
  std::string value;          // the string's contents octets, written as given
  uint8_t string_tag = 0x0c;  // UTF8String; PrintableString is 0x13, IA5String 0x16
  bool join_previous = false;
};

// The DER Name (RDNSequence) for `attributes`, in order.
Bytes encode_name(const std::vector<NameAttribute>& attributes);
// "CN=Test Root, O=Example, C=US" -> attributes. Keys: CN, O, OU, C, L, ST, serialNumber,
// DC, emailAddress. C is a PrintableString, DC and emailAddress IA5Strings, the rest
// UTF8Strings. "\," escapes a comma, "+" joins the next attribute to the same RDN.
Result<std::vector<NameAttribute>> parse_name_spec(std::string_view spec);
// encode_name(parse_name_spec(spec)).
Result<Bytes> encode_name(std::string_view spec);

// A GeneralName as written into SAN, name constraints and AKI.
struct GeneralNameSpec {
  enum class Type : uint8_t { email, dns, directory, uri, ip, raw };
  Type type = Type::dns;
  Bytes value;  // IA5String contents, IP bytes (with the mask appended for constraints),
                // a Name's DER for directory, or a whole TLV for raw
  static GeneralNameSpec dns(std::string_view name);
  static GeneralNameSpec email(std::string_view address);
  static GeneralNameSpec uri(std::string_view uri);
  static GeneralNameSpec ip(BytesView address);  // 4 or 16 bytes, or 8/32 with a mask
  static GeneralNameSpec directory(Bytes name_der);
  static GeneralNameSpec raw(Bytes tlv);  // an arbitrary pre-encoded GeneralName
};
// An IPv4 or IPv6 literal ("127.0.0.1", "::1") as 4 or 16 bytes; nullopt if not one.
std::optional<Bytes> parse_ip(std::string_view text);
// A name-constraints IP subtree from CIDR notation ("10.0.0.0/8", "fd00::/8").
std::optional<GeneralNameSpec> ip_subtree(std::string_view cidr);

Bytes encode_general_names(const std::vector<GeneralNameSpec>& names);

enum class TimeEncoding : uint8_t {
  automatic,    // UTCTime for 1950-2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5)
  utc,          // force UTCTime (invalid outside 1950-2049; for tests)
  generalized,  // force GeneralizedTime (forbidden before 2050 by RFC 5280; for tests)
};
// The DER Time element for `unix_seconds`.
Bytes encode_time(int64_t unix_seconds, TimeEncoding encoding = TimeEncoding::automatic);

// The AlgorithmIdentifier for a signature algorithm (RFC 5280, RFC 4055 for PSS with
// explicit parameters and NULL hash parameters, RFC 8410 for Ed25519 without parameters).
Bytes encode_signature_algorithm(const crypto::SignatureAlgorithm& alg);
// The algorithm a key signs with when none is chosen: ECDSA with the curve's hash, RSA
// PKCS#1 v1.5 with SHA-256, PSS with SHA-256 and a 32-byte salt, Ed25519.
crypto::SignatureAlgorithm default_signature_algorithm(crypto::KeyType key_type);

// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bits.
Result<Bytes> key_identifier(BytesView spki);

// Signs `tbs` and wraps it as SEQUENCE { tbs, algorithm, BIT STRING signature }.
Result<Bytes> sign_der(BytesView tbs, BytesView algorithm_der, const crypto::PrivateKey& key,
                       const crypto::SignatureAlgorithm& alg);

class CertificateBuilder {
 public:
  CertificateBuilder();

  CertificateBuilder& version(int v);               // 1 or 3 (default 3); 1 omits the extensions
  CertificateBuilder& serial(BytesView magnitude);  // big-endian unsigned
  CertificateBuilder& serial(uint64_t value);
  CertificateBuilder& issuer(Bytes name_der);
  CertificateBuilder& subject(Bytes name_der);
  // Both fail only on a malformed spec; the builder remembers and reports it in sign().
  CertificateBuilder& issuer(std::string_view spec);
  CertificateBuilder& subject(std::string_view spec);
  CertificateBuilder& validity(int64_t not_before, int64_t not_after,
                               TimeEncoding encoding = TimeEncoding::automatic);
  CertificateBuilder& public_key(const crypto::PublicKey& key);
  CertificateBuilder& spki(Bytes spki_der);
  // The algorithm to sign with; by default the signing key's default.
  CertificateBuilder& signature_algorithm(const crypto::SignatureAlgorithm& alg);
  // Replace the outer (or the TBS) AlgorithmIdentifier with arbitrary DER, for tests of
  // mismatched or unknown algorithms. The signature is still made with the real algorithm.
  CertificateBuilder& outer_algorithm_override(Bytes algorithm_der);
  CertificateBuilder& tbs_algorithm_override(Bytes algorithm_der);

  // Typed extensions. Setting one twice replaces it; they are written in the order first set.
  CertificateBuilder& basic_constraints(bool ca, std::optional<uint32_t> path_len = std::nullopt,
                                        bool critical = true);
  CertificateBuilder& key_usage(uint16_t bits, bool critical = true);  // x509::KeyUsage bits
  CertificateBuilder& extended_key_usage(std::vector<Bytes> oids, bool critical = false);
  CertificateBuilder& subject_alt_names(std::vector<GeneralNameSpec> names, bool critical = false);
  CertificateBuilder& name_constraints(std::vector<GeneralNameSpec> permitted,
                                       std::vector<GeneralNameSpec> excluded, bool critical = true);
  CertificateBuilder& authority_key_id(Bytes key_id);
  CertificateBuilder& subject_key_id(Bytes key_id);
  // SKI computed from the SPKI (method 1) when the certificate is signed.
  CertificateBuilder& subject_key_id_from_key();
  // An arbitrary extension, always appended (so it can duplicate a typed one).
  CertificateBuilder& extension(Bytes oid, bool critical, Bytes value);
  // Drops every extension `oid` added so far (a certificate without, say, extendedKeyUsage).
  CertificateBuilder& remove_extension(const Bytes& oid) {
    std::erase_if(extensions_, [&](const Ext& e) { return e.oid == oid; });
    return *this;
  }

  Result<Bytes> tbs(const crypto::SignatureAlgorithm& alg) const;
  // The signed certificate's DER.
  Result<Bytes> sign(const crypto::PrivateKey& issuer_key) const;

 private:
  struct Ext {
    Bytes oid;
    bool critical;
    Bytes value;
    bool typed;
  };
  CertificateBuilder& set_typed(const Bytes& oid, bool critical, Bytes value);

  int version_ = 3;
  Bytes serial_;
  Bytes issuer_, subject_;
  int64_t not_before_ = 0, not_after_ = 0;
  TimeEncoding time_encoding_ = TimeEncoding::automatic;
  Bytes spki_;
  std::optional<crypto::SignatureAlgorithm> alg_;
  Bytes outer_alg_override_, tbs_alg_override_;
  std::vector<Ext> extensions_;
  bool ski_from_key_ = false;
  std::string error_;  // first malformed input, reported by sign()
};

struct RevokedSpec {
  Bytes serial;  // big-endian unsigned magnitude
  int64_t date = 0;
  std::optional<uint8_t> reason;  // CRLReason code
};

class CrlBuilder {
 public:
  CrlBuilder& issuer(Bytes name_der);
  CrlBuilder& issuer(std::string_view spec);
  CrlBuilder& this_update(int64_t t);
  CrlBuilder& next_update(std::optional<int64_t> t);
  CrlBuilder& revoke(BytesView serial, int64_t date, std::optional<uint8_t> reason = {});
  CrlBuilder& crl_number(uint64_t n);
  CrlBuilder& authority_key_id(Bytes key_id);
  CrlBuilder& extension(Bytes oid, bool critical, Bytes value);
  CrlBuilder& signature_algorithm(const crypto::SignatureAlgorithm& alg);

  Result<Bytes> sign(const crypto::PrivateKey& issuer_key) const;

 private:
  Bytes issuer_;
  int64_t this_update_ = 0;
  std::optional<int64_t> next_update_;
  std::vector<RevokedSpec> revoked_;
  std::optional<uint64_t> crl_number_;
  Bytes aki_;
  std::vector<std::tuple<Bytes, bool, Bytes>> extensions_;
  std::optional<crypto::SignatureAlgorithm> alg_;
  std::string error_;
};

// A typical three-level PKI made in one call: a self-signed root, an intermediate CA and a
// leaf with the given names, each with SKI/AKI and the usual extensions.
struct TestPkiOptions {
  crypto::KeyType key_type = crypto::KeyType::ec_p256;
  int64_t not_before = 1700000000;  // 2023-11-14
  int64_t not_after = 2000000000;   // 2033-05-18
  std::string root_name = "CN=tern Test Root, O=tern";
  std::string intermediate_name = "CN=tern Test Intermediate, O=tern";
  std::string leaf_name = "CN=localhost";
  std::vector<GeneralNameSpec> leaf_names = {GeneralNameSpec::dns("localhost")};
  std::vector<Bytes> leaf_ekus = {build_oid::kEkuServerAuth};
};

struct IssuedCertificate {
  Bytes der;
  Bytes name_der;
  Bytes key_id;
  std::unique_ptr<crypto::PrivateKey> key;
};

struct TestPki {
  IssuedCertificate root, intermediate, leaf;
};

Result<TestPki> make_test_pki(const TestPkiOptions& options = {});

}  // namespace tern::x509
