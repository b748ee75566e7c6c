// SPDX-License-Identifier: Apache-2.0
// The certificate and CRL builders and make_test_pki: TBS and TBSCertList assembly, the
// typed extensions, and signing. The DER encoders under them are in builder_encode.cpp.
#include "x509/builder.h"

#include <algorithm>

#include "base/reader.h"
#include "base/writer.h"
#include "x509/builder_util.h"
#include "x509/certificate.h"

namespace tern::x509 {

namespace der = base::der;
using base::Writer;

namespace {

// Extension and algorithm OIDs used only here.
const Bytes kBasicConstraints = encode_oid("2.5.29.19");
const Bytes kKeyUsage = encode_oid("2.5.29.15");
const Bytes kExtKeyUsage = encode_oid("2.5.29.37");
const Bytes kSubjectAltName = encode_oid("2.5.29.17");
const Bytes kNameConstraints = encode_oid("2.5.29.30");
const Bytes kAuthorityKeyId = encode_oid("2.5.29.35");
const Bytes kSubjectKeyId = encode_oid("2.5.29.14");
const Bytes kCrlNumber = encode_oid("2.5.29.20");
const Bytes kReasonCode = encode_oid("2.5.29.21");

void write_extension(Writer& w, BytesView oid, bool critical, BytesView value) {
  w.der(der::kSequence, [&] {
    w.der_bytes(der::kOid, oid);
    if (critical) w.der_bytes(der::kBoolean, Bytes{0xff});
    w.der_bytes(der::kOctetString, value);
  });
}

Bytes random_serial() {
  Bytes serial(16);
  if (!crypto::default_provider().random(serial).ok()) {
    // No randomness: fall back to a fixed, still valid serial (tests only care it exists).
    std::fill(serial.begin(), serial.end(), 0x5a);
  }
  serial[0] &= 0x7f;  // positive without a sign byte
  if (serial[0] == 0) serial[0] = 1;
  return serial;
}

}  // namespace

// ---- CertificateBuilder ----

CertificateBuilder::CertificateBuilder() : serial_(random_serial()) {}

CertificateBuilder& CertificateBuilder::version(int v) {
  version_ = v;
  return *this;
}
CertificateBuilder& CertificateBuilder::serial(BytesView magnitude) {
  serial_.assign(magnitude.begin(), magnitude.end());
  return *this;
}
CertificateBuilder& CertificateBuilder::serial(uint64_t value) {
  Writer w;
  w.der_uint(value);
  Bytes encoded = w.take();
  serial_.assign(encoded.begin() + 2, encoded.end());  // INTEGER contents, short form
  return *this;
}
CertificateBuilder& CertificateBuilder::issuer(Bytes name_der) {
  issuer_ = std::move(name_der);
  return *this;
}
CertificateBuilder& CertificateBuilder::subject(Bytes name_der) {
  subject_ = std::move(name_der);
  return *this;
}
CertificateBuilder& CertificateBuilder::issuer(std::string_view spec) {
  auto name = encode_name(spec);
  if (name)
    issuer_ = std::move(*name);
  else if (error_.empty())
    error_ = "issuer: " + name.error().detail;
  return *this;
}
CertificateBuilder& CertificateBuilder::subject(std::string_view spec) {
  auto name = encode_name(spec);
  if (name)
    subject_ = std::move(*name);
  else if (error_.empty())
    error_ = "subject: " + name.error().detail;
  return *this;
}
CertificateBuilder& CertificateBuilder::validity(int64_t not_before, int64_t not_after,
                                                 TimeEncoding encoding) {
  not_before_ = not_before;
  not_after_ = not_after;
  time_encoding_ = encoding;
  return *this;
}
CertificateBuilder& CertificateBuilder::public_key(const crypto::PublicKey& key) {
  spki_ = key.spki();
  return *this;
}
CertificateBuilder& CertificateBuilder::spki(Bytes spki_der) {
  spki_ = std::move(spki_der);
  return *this;
}
CertificateBuilder& CertificateBuilder::signature_algorithm(const crypto::SignatureAlgorithm& alg) {
  alg_ = alg;
  return *this;
}
CertificateBuilder& CertificateBuilder::outer_algorithm_override(Bytes algorithm_der) {
  outer_alg_override_ = std::move(algorithm_der);
  return *this;
}
CertificateBuilder& CertificateBuilder::tbs_algorithm_override(Bytes algorithm_der) {
  tbs_alg_override_ = std::move(algorithm_der);
  return *this;
}

CertificateBuilder& CertificateBuilder::set_typed(const Bytes& oid, bool critical, Bytes value) {
  for (Ext& e : extensions_) {
    if (e.typed && e.oid == oid) {
      e.critical = critical;
      e.value = std::move(value);
      return *this;
    }
  }
  extensions_.push_back({oid, critical, std::move(value), true});
  return *this;
}

CertificateBuilder& CertificateBuilder::basic_constraints(bool ca, std::optional<uint32_t> path_len,
                                                          bool critical) {
  Writer w;
  w.der(der::kSequence, [&] {
    if (ca) w.der_bytes(der::kBoolean, Bytes{0xff});  // DEFAULT FALSE is omitted
    if (path_len) w.der_uint(uint64_t{*path_len});
  });
  return set_typed(kBasicConstraints, critical, w.take());
}

CertificateBuilder& CertificateBuilder::key_usage(uint16_t bits, bool critical) {
  // A named bit list in DER: bit 0 is the first byte's most significant bit, and trailing
  // zero bits are dropped (X.690 §11.2.2).
  Bytes octets;
  int highest = -1;
  for (int i = 0; i < 16; ++i)
    if (bits & (1u << i)) highest = i;
  uint8_t unused = 0;
  if (highest >= 0) {
    octets.resize(static_cast<size_t>(highest / 8 + 1), 0);
    for (int i = 0; i <= highest; ++i)
      if (bits & (1u << i))
        octets[static_cast<size_t>(i / 8)] |= static_cast<uint8_t>(0x80 >> (i % 8));
    unused = static_cast<uint8_t>(7 - highest % 8);
  }
  Writer w;
  w.der(der::kBitString, [&] {
    w.u8(unused);
    w.bytes(octets);
  });
  return set_typed(kKeyUsage, critical, w.take());
}

CertificateBuilder& CertificateBuilder::extended_key_usage(std::vector<Bytes> oids, bool critical) {
  Writer w;
  w.der(der::kSequence, [&] {
    for (const Bytes& o : oids) w.der_bytes(der::kOid, o);
  });
  return set_typed(kExtKeyUsage, critical, w.take());
}

CertificateBuilder& CertificateBuilder::subject_alt_names(std::vector<GeneralNameSpec> names,
                                                          bool critical) {
  return set_typed(kSubjectAltName, critical, encode_general_names(names));
}

CertificateBuilder& CertificateBuilder::name_constraints(std::vector<GeneralNameSpec> permitted,
                                                         std::vector<GeneralNameSpec> excluded,
                                                         bool critical) {
  auto subtrees = [](Writer& w, uint8_t tag, const std::vector<GeneralNameSpec>& names) {
    if (names.empty()) return;
    w.der(tag, [&] {
      for (const auto& n : names) w.der(der::kSequence, [&] { write_general_name(w, n); });
    });
  };
  Writer w;
  w.der(der::kSequence, [&] {
    subtrees(w, der::context(0, true), permitted);
    subtrees(w, der::context(1, true), excluded);
  });
  return set_typed(kNameConstraints, critical, w.take());
}

CertificateBuilder& CertificateBuilder::authority_key_id(Bytes key_id) {
  Writer w;
  w.der(der::kSequence, [&] { w.der_bytes(der::context(0, false), key_id); });
  return set_typed(kAuthorityKeyId, false, w.take());
}

CertificateBuilder& CertificateBuilder::subject_key_id(Bytes key_id) {
  ski_from_key_ = false;
  Writer w;
  w.der_bytes(der::kOctetString, key_id);
  return set_typed(kSubjectKeyId, false, w.take());
}

CertificateBuilder& CertificateBuilder::subject_key_id_from_key() {
  set_typed(kSubjectKeyId, false, {});  // placeholder keeps its position; filled in tbs()
  ski_from_key_ = true;
  return *this;
}

CertificateBuilder& CertificateBuilder::extension(Bytes oid, bool critical, Bytes value) {
  extensions_.push_back({std::move(oid), critical, std::move(value), false});
  return *this;
}

Result<Bytes> CertificateBuilder::tbs(const crypto::SignatureAlgorithm& alg) const {
  if (!error_.empty()) return Error(Errc::usage, "certificate builder: " + error_);
  if (spki_.empty())
    return Error(Errc::usage, "certificate builder: no public key set (call public_key())");
  if (version_ != 1 && version_ != 3)
    return Error(Errc::usage, "certificate builder: version must be 1 or 3");
  Bytes ski_value;
  if (ski_from_key_) {
    TERN_TRY(Bytes id, key_identifier(spki_));
    Writer w;
    w.der_bytes(der::kOctetString, id);
    ski_value = w.take();
  }
  Bytes empty_name = encode_name(std::vector<NameAttribute>{});
  Writer w(1024);
  w.der(der::kSequence, [&] {
    if (version_ == 3) w.der(der::context(0, true), [&] { w.der_uint(uint64_t{2}); });
    w.der_uint(BytesView(serial_));
    w.bytes(tbs_alg_override_.empty() ? encode_signature_algorithm(alg) : tbs_alg_override_);
    w.bytes(issuer_.empty() ? empty_name : issuer_);
    w.der(der::kSequence, [&] {
      w.bytes(encode_time(not_before_, time_encoding_));
      w.bytes(encode_time(not_after_, time_encoding_));
    });
    w.bytes(subject_.empty() ? empty_name : subject_);
    w.bytes(spki_);
    if (version_ == 3 && !extensions_.empty()) {
      w.der(der::context(3, true), [&] {
        w.der(der::kSequence, [&] {
          for (const Ext& e : extensions_) {
            bool is_ski = e.typed && e.oid == kSubjectKeyId && ski_from_key_;
            write_extension(w, e.oid, e.critical, is_ski ? ski_value : e.value);
          }
        });
      });
    }
  });
  return w.take();
}

Result<Bytes> CertificateBuilder::sign(const crypto::PrivateKey& issuer_key) const {
  crypto::SignatureAlgorithm alg = alg_ ? *alg_ : default_signature_algorithm(issuer_key.type());
  TERN_TRY(Bytes tbs_der, tbs(alg));
  Bytes outer = outer_alg_override_.empty() ? encode_signature_algorithm(alg) : outer_alg_override_;
  return sign_der(tbs_der, outer, issuer_key, alg);
}

// ---- CrlBuilder ----

CrlBuilder& CrlBuilder::issuer(Bytes name_der) {
  issuer_ = std::move(name_der);
  return *this;
}
CrlBuilder& CrlBuilder::issuer(std::string_view spec) {
  auto name = encode_name(spec);
  if (name)
    issuer_ = std::move(*name);
  else if (error_.empty())
    error_ = "issuer: " + name.error().detail;
  return *this;
}
CrlBuilder& CrlBuilder::this_update(int64_t t) {
  this_update_ = t;
  return *this;
}
CrlBuilder& CrlBuilder::next_update(std::optional<int64_t> t) {
  next_update_ = t;
  return *this;
}
CrlBuilder& CrlBuilder::revoke(BytesView serial, int64_t date, std::optional<uint8_t> reason) {
  revoked_.push_back({Bytes(serial.begin(), serial.end()), date, reason});
  return *this;
}
CrlBuilder& CrlBuilder::crl_number(uint64_t n) {
  crl_number_ = n;
  return *this;
}
CrlBuilder& CrlBuilder::authority_key_id(Bytes key_id) {
  aki_ = std::move(key_id);
  return *this;
}
CrlBuilder& CrlBuilder::extension(Bytes oid, bool critical, Bytes value) {
  extensions_.emplace_back(std::move(oid), critical, std::move(value));
  return *this;
}
CrlBuilder& CrlBuilder::signature_algorithm(const crypto::SignatureAlgorithm& alg) {
  alg_ = alg;
  return *this;
}

Result<Bytes> CrlBuilder::sign(const crypto::PrivateKey& issuer_key) const {
  if (!error_.empty()) return Error(Errc::usage, "CRL builder: " + error_);
  if (issuer_.empty()) return Error(Errc::usage, "CRL builder: no issuer set");
  crypto::SignatureAlgorithm alg = alg_ ? *alg_ : default_signature_algorithm(issuer_key.type());
  Bytes algorithm_der = encode_signature_algorithm(alg);
  Writer w(512);
  w.der(der::kSequence, [&] {
    w.der_uint(uint64_t{1});  // v2: we may write extensions
    w.bytes(algorithm_der);
    w.bytes(issuer_);
    w.bytes(encode_time(this_update_));
    if (next_update_) w.bytes(encode_time(*next_update_));
    if (!revoked_.empty()) {
      w.der(der::kSequence, [&] {
        for (const RevokedSpec& r : revoked_) {
          w.der(der::kSequence, [&] {
            w.der_uint(BytesView(r.serial));
            w.bytes(encode_time(r.date));
            if (r.reason) {
              Writer reason;
              reason.der_bytes(der::kEnumerated, Bytes{*r.reason});
              w.der(der::kSequence, [&] { write_extension(w, kReasonCode, false, reason.data()); });
            }
          });
        }
      });
    }
    bool any_extension = crl_number_ || !aki_.empty() || !extensions_.empty();
    if (any_extension) {
      w.der(der::context(0, true), [&] {
        w.der(der::kSequence, [&] {
          if (!aki_.empty()) {
            Writer aki;
            aki.der(der::kSequence, [&] { aki.der_bytes(der::context(0, false), aki_); });
            write_extension(w, kAuthorityKeyId, false, aki.data());
          }
          if (crl_number_) {
            Writer number;
            number.der_uint(*crl_number_);
            write_extension(w, kCrlNumber, false, number.data());
          }
          for (const auto& [oid, critical, value] : extensions_)
            write_extension(w, oid, critical, value);
        });
      });
    }
  });
  return sign_der(w.data(), algorithm_der, issuer_key, alg);
}

// ---- make_test_pki ----

Result<TestPki> make_test_pki(const TestPkiOptions& options) {
  const crypto::Provider& provider = crypto::default_provider();
  auto make_key = [&]() { return provider.generate_private_key(options.key_type); };
  TestPki pki;

  TERN_TRY(pki.root.key, make_key());
  TERN_TRY(pki.root.name_der, encode_name(options.root_name));
  auto root_public = pki.root.key->public_key();
  TERN_TRY(pki.root.key_id, key_identifier(root_public->spki()));
  TERN_TRY(pki.root.der, CertificateBuilder()
                             .issuer(pki.root.name_der)
                             .subject(pki.root.name_der)
                             .validity(options.not_before, options.not_after)
                             .public_key(*root_public)
                             .basic_constraints(true)
                             .key_usage(kKeyCertSign | kCrlSign)
                             .subject_key_id(pki.root.key_id)
                             .sign(*pki.root.key));

  TERN_TRY(pki.intermediate.key, make_key());
  TERN_TRY(pki.intermediate.name_der, encode_name(options.intermediate_name));
  auto intermediate_public = pki.intermediate.key->public_key();
  TERN_TRY(pki.intermediate.key_id, key_identifier(intermediate_public->spki()));
  TERN_TRY(pki.intermediate.der, CertificateBuilder()
                                     .issuer(pki.root.name_der)
                                     .subject(pki.intermediate.name_der)
                                     .validity(options.not_before, options.not_after)
                                     .public_key(*intermediate_public)
                                     .basic_constraints(true, 0)
                                     .key_usage(kKeyCertSign | kCrlSign)
                                     .subject_key_id(pki.intermediate.key_id)
                                     .authority_key_id(pki.root.key_id)
                                     .sign(*pki.root.key));

  TERN_TRY(pki.leaf.key, make_key());
  TERN_TRY(pki.leaf.name_der, encode_name(options.leaf_name));
  auto leaf_public = pki.leaf.key->public_key();
  TERN_TRY(pki.leaf.key_id, key_identifier(leaf_public->spki()));
  bool rsa = options.key_type == crypto::KeyType::rsa;
  CertificateBuilder leaf;
  leaf.issuer(pki.intermediate.name_der)
      .subject(pki.leaf.name_der)
      .validity(options.not_before, options.not_after)
      .public_key(*leaf_public)
      .basic_constraints(false)
      .key_usage(static_cast<uint16_t>(kDigitalSignature | (rsa ? kKeyEncipherment : 0)));
  if (!options.leaf_ekus.empty()) leaf.extended_key_usage(options.leaf_ekus);
  if (!options.leaf_names.empty()) leaf.subject_alt_names(options.leaf_names);
  leaf.subject_key_id(pki.leaf.key_id).authority_key_id(pki.intermediate.key_id);
  TERN_TRY(pki.leaf.der, leaf.sign(*pki.intermediate.key));
  return pki;
}

}  // namespace tern::x509
