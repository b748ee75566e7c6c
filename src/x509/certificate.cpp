// SPDX-License-Identifier: Apache-2.0
// The strict X.509 v3 certificate parser (RFC 5280 §4) and the pieces the CRL parser
// shares with it: signature AlgorithmIdentifiers and the Extensions list.
#include "x509/certificate.h"

#include <algorithm>
#include <cstdio>

#include "base/encoding.h"
#include "x509/der.h"

namespace tern::x509 {

namespace tag = base::der;
using base::Reader;
using crypto::Hash;
using crypto::SigKind;
using crypto::SignatureAlgorithm;

namespace der {

namespace {
Error unsupported(std::string detail) {
  return Error(Errc::unsupported, std::move(detail), Alert::bad_certificate);
}

// A hash AlgorithmIdentifier inside RSASSA-PSS parameters: SHA-256/384/512, with NULL or
// absent parameters (encoders disagree; both are unambiguous).
Result<Hash> pss_hash(Reader& r, std::string_view what) {
  TERN_TRY(Reader alg, sequence(r, what));
  TERN_TRY(BytesView id, oid(alg, std::string(what) + " OID"));
  if (alg.peek_der_tag(tag::kNull)) TERN_CHECK(null(alg, std::string(what) + " parameters"));
  TERN_CHECK(done(alg, what));
  if (equal(id, oid::kSha256)) return Hash::sha256;
  if (equal(id, oid::kSha384)) return Hash::sha384;
  if (equal(id, oid::kSha512)) return Hash::sha512;
  return unsupported(std::string(what) + " " + oid::to_string(id) +
                     " is not supported in RSASSA-PSS (use SHA-256, SHA-384 or SHA-512)");
}

Result<SignatureAlgorithm> pss_parameters(Reader& r, std::string_view what) {
  std::string w = std::string(what) + " RSASSA-PSS parameters";
  TERN_TRY(Reader p, sequence(r, w));
  if (!p.peek_der_tag(tag::context(0, true)))
    return unsupported(w + " use the default hash SHA-1, which is not supported");
  TERN_TRY(Reader hash_field, sequence(p, w + " hashAlgorithm", tag::context(0, true)));
  TERN_TRY(Hash hash, pss_hash(hash_field, w + " hashAlgorithm"));
  TERN_CHECK(done(hash_field, w + " hashAlgorithm"));
  if (!p.peek_der_tag(tag::context(1, true)))
    return unsupported(w + " use the default mask generation MGF1 with SHA-1");
  TERN_TRY(Reader mgf_field, sequence(p, w + " maskGenAlgorithm", tag::context(1, true)));
  TERN_TRY(Reader mgf, sequence(mgf_field, w + " maskGenAlgorithm"));
  TERN_CHECK(done(mgf_field, w + " maskGenAlgorithm"));
  TERN_TRY(BytesView mgf_id, oid(mgf, w + " maskGenAlgorithm OID"));
  if (!equal(mgf_id, oid::kMgf1))
    return unsupported(w + " use mask generation " + oid::to_string(mgf_id) + ", not MGF1");
  TERN_TRY(Hash mgf_hash, pss_hash(mgf, w + " MGF1 hash"));
  TERN_CHECK(done(mgf, w + " maskGenAlgorithm"));
  if (mgf_hash != hash)
    return unsupported(w + " use MGF1 with " + crypto::hash_name(mgf_hash) +
                       " but the message hash " + crypto::hash_name(hash));
  uint64_t salt = 20;
  if (p.peek_der_tag(tag::context(2, true))) {
    TERN_TRY(Reader salt_field, sequence(p, w + " saltLength", tag::context(2, true)));
    TERN_TRY(salt, small_uint(salt_field, w + " saltLength", 1024));
    TERN_CHECK(done(salt_field, w + " saltLength"));
    if (salt == 20) return error(w + " encode the DEFAULT saltLength 20, which DER omits");
  }
  if (p.peek_der_tag(tag::context(3, true)))
    return error(w +
                 " carry trailerField, whose only allowed value is the DEFAULT that DER "
                 "omits");
  TERN_CHECK(done(p, w));
  return SignatureAlgorithm{SigKind::rsa_pss, hash, static_cast<size_t>(salt)};
}
}  // namespace

Result<SignatureAlgorithm> signature_algorithm(BytesView contents, std::string_view what) {
  std::string w(what);
  Reader r(contents);
  TERN_TRY(BytesView id, oid(r, w + " OID"));
  struct Simple {
    const Bytes* id;
    SigKind kind;
    Hash hash;
  };
  static const Simple kSimple[] = {
      {&oid::kSha256WithRsa, SigKind::rsa_pkcs1, Hash::sha256},
      {&oid::kSha384WithRsa, SigKind::rsa_pkcs1, Hash::sha384},
      {&oid::kSha512WithRsa, SigKind::rsa_pkcs1, Hash::sha512},
      {&oid::kSha1WithRsa, SigKind::rsa_pkcs1, Hash::sha1},
      {&oid::kEcdsaSha256, SigKind::ecdsa, Hash::sha256},
      {&oid::kEcdsaSha384, SigKind::ecdsa, Hash::sha384},
      {&oid::kEcdsaSha512, SigKind::ecdsa, Hash::sha512},
      {&oid::kEcdsaSha1, SigKind::ecdsa, Hash::sha1},
      {&oid::kEd25519, SigKind::ed25519, Hash::sha512},
  };
  for (const Simple& s : kSimple) {
    if (!equal(id, *s.id)) continue;
    // RSA PKCS#1 requires NULL parameters (RFC 4055 §5); ECDSA and Ed25519 forbid them
    // (RFC 5758 §3.2, RFC 8410 §3).
    if (s.kind == SigKind::rsa_pkcs1) {
      if (r.empty()) return error(w + " for RSA lacks the NULL parameters it requires");
      TERN_CHECK(null(r, w + " parameters"));
    }
    TERN_CHECK(done(r, w + " (parameters must be absent for ECDSA and Ed25519)"));
    return SignatureAlgorithm{s.kind, s.hash, 0};
  }
  if (equal(id, oid::kRsaPss)) {
    TERN_TRY(SignatureAlgorithm alg, pss_parameters(r, w));
    TERN_CHECK(done(r, w));
    return alg;
  }
  if (equal(id, oid::kMd5WithRsa))
    return unsupported(w +
                       " is md5WithRSAEncryption; MD5 signatures are broken and not "
                       "supported");
  return unsupported(w + " " + oid::to_string(id) + " is not a supported signature algorithm");
}

Result<std::vector<Extension>> extensions(BytesView contents, std::string_view what) {
  std::string w(what);
  Reader r(contents);
  std::vector<Extension> out;
  if (r.empty()) return error(w + " is an empty SEQUENCE (omit it instead)");
  while (!r.empty()) {
    if (out.size() >= kMaxItems)
      return error(w + " has more than " + std::to_string(kMaxItems) + " extensions");
    // Messages name the extension, but only once something is wrong: building the
    // strings up front would cost more than parsing.
    auto at_index = [&](Error e) { return in("extension " + std::to_string(out.size() + 1), e); };
    Extension x;
    auto e = sequence(r, "the Extension");
    if (!e.ok()) return at_index(std::move(e).error());
    auto id = oid(*e, "extnID");
    if (!id.ok()) return at_index(std::move(id).error());
    x.id = *id;
    auto named = [&](Error err) { return in("extension " + oid::describe(x.id), err); };
    auto critical = boolean_default_false(*e, "the critical flag");
    if (!critical.ok()) return named(std::move(critical).error());
    x.critical = *critical;
    auto value = element(*e, tag::kOctetString, "extnValue");
    if (!value.ok()) return named(std::move(value).error());
    x.value = *value;
    if (auto end = done(*e, "the Extension"); !end.ok()) return named(std::move(end).error());
    for (const Extension& seen : out)
      if (equal(seen.id, x.id)) return error("extension " + oid::describe(x.id) + " appears twice");
    out.push_back(x);
  }
  return out;
}

}  // namespace der

namespace {

Result<Reader> sole_sequence(BytesView value, std::string_view what) {
  Reader r(value);
  TERN_TRY(Reader s, der::sequence(r, what));
  TERN_CHECK(der::done(r, what));
  return s;
}

Result<void> parse_basic_constraints(Certificate& c, BytesView value, const std::string& w) {
  TERN_TRY(Reader s, sole_sequence(value, w));
  BasicConstraints bc;
  // cA is BOOLEAN DEFAULT FALSE, so DER omits FALSE; but many deployed leaf certificates
  // spell out "cA FALSE" and every major verifier accepts it, so it is tolerated here
  // (only here: an explicit FALSE critical flag is still rejected).
  if (s.peek_der_tag(tag::kBoolean)) {
    TERN_TRY(bc.ca, der::boolean(s, w + " cA"));
  }
  if (!s.empty()) {
    TERN_TRY(uint64_t len, der::small_uint(s, w + " pathLenConstraint", UINT32_MAX));
    bc.path_len = static_cast<uint32_t>(len);
  }
  TERN_CHECK(der::done(s, w));
  c.basic_constraints = bc;
  return ok();
}

Result<void> parse_key_usage(Certificate& c, BytesView value, const std::string& w) {
  Reader r(value);
  TERN_TRY(der::BitString bits, der::bit_string(r, w));
  TERN_CHECK(der::done(r, w));
  // DER drops trailing zero bits from a named bit list, but roots in the Mozilla store
  // (Trustwave Global ECC) carry them, so only the BIT STRING rules themselves are strict.
  uint16_t usage = 0;
  for (size_t i = 0; i < bits.bytes.size(); ++i) {
    for (int b = 0; b < 8; ++b) {
      if (!(bits.bytes[i] & (0x80 >> b))) continue;
      if (i >= 2) return der::error(w + " sets bits beyond decipherOnly (bit 8)");
      usage |= static_cast<uint16_t>(1u << (i * 8 + b));
    }
  }
  if (!usage) return der::error(w + " has no bit set (RFC 5280 §4.2.1.3 requires one)");
  c.key_usage = usage;
  return ok();
}

Result<void> parse_ext_key_usage(Certificate& c, BytesView value, const std::string& w) {
  TERN_TRY(Reader s, sole_sequence(value, w));
  if (s.empty()) return der::error(w + " is an empty list");
  std::vector<Oid> purposes;
  while (!s.empty()) {
    if (purposes.size() >= der::kMaxItems) return der::error(w + " has too many purposes");
    TERN_TRY(Oid p, der::oid(s, w + " purpose " + std::to_string(purposes.size() + 1)));
    purposes.push_back(p);
  }
  c.extended_key_usage = std::move(purposes);
  return ok();
}

Result<void> parse_subject_alt_name(Certificate& c, BytesView value, const std::string& w) {
  Reader r(value);
  TERN_TRY(BytesView list, der::element(r, tag::kSequence, w));
  TERN_CHECK(der::done(r, w));
  TERN_TRY(c.subject_alt_names, der::general_names(list, w));
  for (size_t i = 0; i < c.subject_alt_names.size(); ++i) {
    const GeneralName& g = c.subject_alt_names[i];
    if (g.type == GeneralName::Type::ip && g.value.size() != 4 && g.value.size() != 16)
      return der::error(w + " entry " + std::to_string(i + 1) + ": iPAddress has " +
                        std::to_string(g.value.size()) + " bytes (4 or 16 expected)");
  }
  c.has_san_extension = true;
  return ok();
}

bool contiguous_mask(BytesView mask) {
  bool zeros = false;
  for (uint8_t b : mask)
    for (int bit = 7; bit >= 0; --bit) {
      bool one = (b >> bit) & 1;
      if (one && zeros) return false;
      if (!one) zeros = true;
    }
  return true;
}

Result<std::vector<GeneralSubtree>> parse_subtrees(Reader& r, uint8_t t, const std::string& w) {
  TERN_TRY(Reader list, der::sequence(r, w, t));
  if (list.empty()) return der::error(w + " is an empty list");
  std::vector<GeneralSubtree> out;
  while (!list.empty()) {
    if (out.size() >= der::kMaxItems) return der::error(w + " has too many subtrees");
    std::string item = w + " subtree " + std::to_string(out.size() + 1);
    TERN_TRY(Reader st, der::sequence(list, item));
    GeneralSubtree subtree;
    TERN_TRY(subtree.base, der::general_name(st, item));
    if (!st.empty())
      return der::error(item +
                        " has minimum or maximum; RFC 5280 requires minimum 0 (which "
                        "DER omits) and no maximum");
    if (subtree.base.type == GeneralName::Type::ip) {
      BytesView v = subtree.base.value;
      if (v.size() != 8 && v.size() != 32)
        return der::error(item + ": iPAddress constraint has " + std::to_string(v.size()) +
                          " bytes (8 or 32 expected: address and mask)");
      subtree.base.value = v.first(v.size() / 2);
      subtree.ip_mask = v.subspan(v.size() / 2);
      if (!contiguous_mask(subtree.ip_mask))
        return der::error(item + ": iPAddress constraint mask " + base::hex(subtree.ip_mask) +
                          " is not a contiguous prefix");
    }
    out.push_back(std::move(subtree));
  }
  return out;
}

Result<void> parse_name_constraints(Certificate& c, BytesView value, const std::string& w) {
  TERN_TRY(Reader s, sole_sequence(value, w));
  NameConstraints nc;
  bool any = false;
  if (s.peek_der_tag(tag::context(0, true))) {
    TERN_TRY(nc.permitted, parse_subtrees(s, tag::context(0, true), w + " permittedSubtrees"));
    any = true;
  }
  if (s.peek_der_tag(tag::context(1, true))) {
    TERN_TRY(nc.excluded, parse_subtrees(s, tag::context(1, true), w + " excludedSubtrees"));
    any = true;
  }
  TERN_CHECK(der::done(s, w));
  if (!any) return der::error(w + " has neither permittedSubtrees nor excludedSubtrees");
  c.name_constraints = std::move(nc);
  return ok();
}

Result<void> parse_authority_key_id(BytesView value, const std::string& w, BytesView& key_id) {
  TERN_TRY(Reader s, sole_sequence(value, w));
  if (s.peek_der_tag(tag::context(0, false))) {
    TERN_TRY(key_id, der::element(s, tag::context(0, false), w + " keyIdentifier"));
  }
  if (s.peek_der_tag(tag::context(1, true))) {
    TERN_TRY(BytesView names, der::element(s, tag::context(1, true), w + " authorityCertIssuer"));
    TERN_CHECK(der::general_names(names, w + " authorityCertIssuer"));
  }
  if (s.peek_der_tag(tag::context(2, false)))
    TERN_CHECK(der::integer(s, w + " authorityCertSerialNumber", tag::context(2, false)));
  return der::done(s, w);
}

Result<void> parse_subject_key_id(Certificate& c, BytesView value, const std::string& w) {
  Reader r(value);
  TERN_TRY(c.subject_key_id, der::element(r, tag::kOctetString, w));
  return der::done(r, w);
}

// Extensions tern does not interpret: only their outer shape is checked.
Result<void> check_sequence(BytesView value, const std::string& w) {
  TERN_TRY(Reader s, sole_sequence(value, w));
  if (s.empty()) return der::error(w + " is an empty SEQUENCE");
  return ok();
}

Result<void> check_general_names(BytesView value, const std::string& w) {
  Reader r(value);
  TERN_TRY(BytesView list, der::element(r, tag::kSequence, w));
  TERN_CHECK(der::done(r, w));
  TERN_CHECK(der::general_names(list, w));
  return ok();
}

Result<void> parse_known_extension(Certificate& c, const Extension& x) {
  const std::string w = "the value";
  auto is = [&x](const Bytes& id) { return equal(x.id, id); };
  if (is(oid::kBasicConstraints)) return parse_basic_constraints(c, x.value, w);
  if (is(oid::kKeyUsage)) return parse_key_usage(c, x.value, w);
  if (is(oid::kExtKeyUsage)) return parse_ext_key_usage(c, x.value, w);
  if (is(oid::kSubjectAltName)) return parse_subject_alt_name(c, x.value, w);
  if (is(oid::kNameConstraints)) return parse_name_constraints(c, x.value, w);
  if (is(oid::kAuthorityKeyId)) return parse_authority_key_id(x.value, w, c.authority_key_id);
  if (is(oid::kSubjectKeyId)) return parse_subject_key_id(c, x.value, w);
  if (is(oid::kIssuerAltName)) return check_general_names(x.value, w);
  if (is(oid::kInhibitAnyPolicy)) {
    Reader r(x.value);
    TERN_CHECK(der::small_uint(r, w, UINT32_MAX));
    return der::done(r, w);
  }
  if (is(oid::kCtPoisonOrScts)) {
    Reader r(x.value);
    TERN_CHECK(der::element(r, tag::kOctetString, w));
    return der::done(r, w);
  }
  if (is(oid::kPolicyConstraints)) {
    TERN_TRY(Reader s, sole_sequence(x.value, w));
    (void)s;
    return ok();
  }
  return check_sequence(x.value, w);
}

Result<void> parse_extension(Certificate& c, const Extension& x) {
  if (!is_known_certificate_extension(x.id)) {
    // Refused by path validation, not here: only a path that uses the certificate fails.
    if (x.critical) c.unknown_critical_extensions.push_back(x.id);
    return ok();
  }
  auto parsed = parse_known_extension(c, x);
  if (!parsed.ok()) return der::in("extension " + oid::describe(x.id), std::move(parsed).error());
  return ok();
}

// Key type and size read from the SPKI itself, so messages can name a key the provider
// refused ("RSA 1024").
void describe_key(Certificate& c, BytesView key_oid, BytesView params, BytesView key) {
  auto modulus_bits = [](BytesView n) -> size_t {
    while (!n.empty() && n[0] == 0) n = n.subspan(1);
    if (n.empty()) return 0;
    size_t bits = n.size() * 8;
    for (uint8_t top = n[0]; !(top & 0x80); top <<= 1) --bits;
    return bits;
  };
  if (equal(key_oid, oid::kRsaEncryption) || equal(key_oid, oid::kRsaPss)) {
    c.key_type = equal(key_oid, oid::kRsaPss) ? crypto::KeyType::rsa_pss : crypto::KeyType::rsa;
    Reader r(key);
    Reader seq;
    BytesView n, e;
    if (!r.der(tag::kSequence, seq) || !seq.der(tag::kInteger, n)) return;
    c.key_bits = modulus_bits(n);
    if (seq.der(tag::kInteger, e)) c.rsa_exponent = e;
  } else if (equal(key_oid, oid::kEcPublicKey)) {
    Reader p(params);
    BytesView curve;
    if (!p.der(tag::kOid, curve)) return;
    if (equal(curve, oid::kP256)) c.key_type = crypto::KeyType::ec_p256, c.key_bits = 256;
    if (equal(curve, oid::kP384)) c.key_type = crypto::KeyType::ec_p384, c.key_bits = 384;
    if (equal(curve, oid::kP521)) c.key_type = crypto::KeyType::ec_p521, c.key_bits = 521;
  } else if (equal(key_oid, oid::kEd25519)) {
    c.key_type = crypto::KeyType::ed25519;
    c.key_bits = 256;
  }
}

Result<void> parse_spki(Certificate& c) {
  const std::string w = "subjectPublicKeyInfo";
  TERN_TRY(Reader s, sole_sequence(c.spki, w));
  TERN_TRY(Reader alg, der::sequence(s, w + " algorithm"));
  TERN_TRY(BytesView key_oid, der::oid(alg, w + " algorithm OID"));
  BytesView params = alg.rest();
  TERN_TRY(der::BitString key, der::bit_string(s, w + " subjectPublicKey"));
  if (key.unused) return der::error(w + " subjectPublicKey has unused bits");
  TERN_CHECK(der::done(s, w));
  describe_key(c, key_oid, params, key.bytes);
  auto parsed = crypto::default_provider().parse_public_key(c.spki);
  if (parsed.ok()) {
    c.key_type = (*parsed)->type();
    c.key_bits = (*parsed)->bits();
    c.public_key = std::shared_ptr<const crypto::PublicKey>(std::move(*parsed));
  } else {
    c.public_key_error = parsed.error().detail;
    if (c.public_key_error.empty()) c.public_key_error = "the public key cannot be used";
  }
  return ok();
}

// Everything after the subject: errors get the subject in front, which is what a person
// needs to find the certificate.
Result<void> parse_rest(Certificate& c, Reader& tbs) {
  BytesView spki_contents;
  TERN_TRY(c.spki, der::whole(tbs, tag::kSequence, "subjectPublicKeyInfo", spki_contents));
  for (uint8_t n : {1, 2}) {
    if (!tbs.peek_der_tag(tag::context(n, false))) continue;
    std::string w = n == 1 ? "issuerUniqueID" : "subjectUniqueID";
    if (c.version < 2) return der::error(w + " is present in a v1 certificate");
    TERN_CHECK(der::bit_string(tbs, w, tag::context(n, false)));
  }
  if (tbs.peek_der_tag(tag::context(3, true))) {
    if (c.version != 3)
      return der::error("extensions are present in a v" + std::to_string(c.version) +
                        " certificate (only v3 has extensions)");
    TERN_TRY(Reader wrapper, der::sequence(tbs, "extensions", tag::context(3, true)));
    TERN_TRY(BytesView list, der::element(wrapper, tag::kSequence, "extensions"));
    TERN_CHECK(der::done(wrapper, "extensions"));
    TERN_TRY(c.extensions, der::extensions(list, "extensions"));
  }
  TERN_CHECK(der::done(tbs, "tbsCertificate"));
  for (const Extension& x : c.extensions) TERN_CHECK(parse_extension(c, x));
  return parse_spki(c);
}

std::string ip_text(BytesView ip) {
  char buf[8];
  std::string out;
  if (ip.size() == 4) {
    for (size_t i = 0; i < 4; ++i) out += (i ? "." : "") + std::to_string(ip[i]);
    return out;
  }
  for (size_t i = 0; i + 1 < ip.size(); i += 2) {
    std::snprintf(buf, sizeof buf, "%x", unsigned{ip[i]} << 8 | ip[i + 1]);
    out += (i ? ":" : "") + std::string(buf);
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const Certificate>> parse_certificate(BytesView input) {
  auto cert = std::make_shared<Certificate>();
  Certificate& c = *cert;
  c.der.assign(input.begin(), input.end());
  Reader top(c.der);
  TERN_TRY(Reader body, der::sequence(top, "certificate"));
  if (!top.empty())
    return der::error(std::to_string(top.remaining()) +
                      " byte(s) of trailing data after the certificate");
  BytesView tbs_contents;
  TERN_TRY(c.tbs, der::whole(body, tag::kSequence, "tbsCertificate", tbs_contents));
  Reader tbs(tbs_contents);

  if (tbs.peek_der_tag(tag::context(0, true))) {
    TERN_TRY(Reader v, der::sequence(tbs, "version", tag::context(0, true)));
    TERN_TRY(uint64_t version, der::small_uint(v, "version", 2));
    TERN_CHECK(der::done(v, "version"));
    if (version == 0)
      return der::error("version v1 is encoded explicitly, but DER omits the DEFAULT v1");
    c.version = static_cast<int>(version) + 1;
  }
  TERN_TRY(c.serial, der::integer(tbs, "serialNumber"));
  if (c.serial[0] & 0x80) return der::error("serialNumber is negative");
  if (c.serial.size() > 20)
    return der::error("serialNumber is " + std::to_string(c.serial.size()) +
                      " octets long; RFC 5280 allows at most 20");
  BytesView tbs_alg_contents, outer_alg_contents;
  TERN_TRY(BytesView tbs_alg, der::whole(tbs, tag::kSequence, "signature", tbs_alg_contents));
  BytesView issuer_contents, subject_contents;
  TERN_TRY(BytesView issuer, der::whole(tbs, tag::kSequence, "issuer", issuer_contents));
  TERN_TRY(c.issuer, der::name(issuer, "issuer"));
  TERN_TRY(Reader validity, der::sequence(tbs, "validity"));
  TERN_TRY(c.not_before, der::time(validity, "validity notBefore"));
  TERN_TRY(c.not_after, der::time(validity, "validity notAfter"));
  TERN_CHECK(der::done(validity, "validity"));
  TERN_TRY(BytesView subject, der::whole(tbs, tag::kSequence, "subject", subject_contents));
  TERN_TRY(c.subject, der::name(subject, "subject"));

  TERN_TRY(BytesView outer_alg,
           der::whole(body, tag::kSequence, "signatureAlgorithm", outer_alg_contents));
  TERN_TRY(der::BitString sig, der::bit_string(body, "signatureValue"));
  TERN_CHECK(der::done(body, "certificate"));

  auto fail = [&c](Error e) {
    return der::in("certificate \"" + c.display_name() + "\"", std::move(e));
  };
  if (auto rest = parse_rest(c, tbs); !rest.ok()) return fail(std::move(rest).error());
  if (!equal(tbs_alg, outer_alg))
    return fail(
        der::error("signatureAlgorithm differs from the signature field inside "
                   "tbsCertificate"));
  if (sig.unused) return fail(der::error("signatureValue has unused bits"));
  c.signature = sig.bytes;
  auto alg = der::signature_algorithm(outer_alg_contents, "signatureAlgorithm");
  if (alg.ok()) {
    c.signature_algorithm = *alg;
  } else if (alg.error().code == Errc::unsupported) {
    c.signature_algorithm_error = alg.error().detail;
  } else {
    return fail(std::move(alg).error());
  }
  return std::shared_ptr<const Certificate>(std::move(cert));
}

Result<std::vector<std::shared_ptr<const Certificate>>> parse_certificates(BytesView input) {
  std::vector<std::shared_ptr<const Certificate>> out;
  if (input.empty()) return der::error("no certificate: the input is empty");
  if (!base::looks_like_pem(input)) {
    TERN_TRY(auto cert, parse_certificate(input));
    out.push_back(std::move(cert));
    return out;
  }
  auto blocks = base::parse_pem(as_chars(input));
  if (!blocks.ok()) return der::error(blocks.error().detail);
  std::string other_labels;
  for (const base::PemBlock& block : *blocks) {
    if (block.label != "CERTIFICATE") {
      other_labels += (other_labels.empty() ? "" : ", ") + block.label;
      continue;
    }
    auto cert = parse_certificate(block.der);
    if (!cert.ok())
      return der::in("certificate " + std::to_string(out.size() + 1) + " in bundle",
                     std::move(cert).error());
    out.push_back(std::move(*cert));
  }
  if (out.empty())
    return der::error("no CERTIFICATE block in the PEM data" +
                      (other_labels.empty() ? std::string() : " (found: " + other_labels + ")"));
  return out;
}

Result<void> check_holds_certificates(BytesView data, const std::string& path) {
  constexpr const char* kExpected = "expected -----BEGIN CERTIFICATE----- or one DER certificate";
  if (data.empty()) return Error(Errc::usage, path + " is empty (" + kExpected + ")");
  if (base::looks_like_pem(data)) {
    auto blocks = base::parse_pem(as_chars(data));
    if (!blocks.ok() || blocks->empty()) return ok();  // the parser says what is wrong
    std::string labels;
    for (const base::PemBlock& block : *blocks) {
      if (block.label == "CERTIFICATE") return ok();
      if (block.label.find("PRIVATE KEY") != std::string::npos)
        return Error(Errc::usage, path + " holds a private key (PEM \"" + block.label +
                                      "\"), not a certificate; give the certificate file");
      std::string quoted = "\"" + block.label + "\"";
      if (labels.find(quoted) == std::string::npos)
        labels += (labels.empty() ? "PEM " : ", ") + quoted;
    }
    return Error(Errc::usage,
                 path + " holds " + labels + ", not a certificate (" + kExpected + ")");
  }
  if (data[0] == 0x30) return ok();  // a DER SEQUENCE: the parser judges it
  size_t n = std::min<size_t>(data.size(), 24);
  bool text = true;
  for (size_t i = 0; i < n && text; ++i)
    text = (data[i] >= 0x20 && data[i] < 0x7f) || data[i] == '\n' || data[i] == '\r' ||
           data[i] == '\t';
  std::string start;
  if (text) {
    size_t i = 0;
    for (; i < n && data[i] != '\n' && data[i] != '\r'; ++i) start += static_cast<char>(data[i]);
    bool cut = i == n && n < data.size() && data[n] != '\n' && data[n] != '\r';  // mid-line
    start = "text '" + start + (cut ? "\u2026'" : "'");
  } else {
    start = "bytes";
    for (size_t i = 0; i < std::min<size_t>(n, 8); ++i) {
      char hex[4];
      std::snprintf(hex, sizeof hex, " %02x", data[i]);
      start += hex;
    }
  }
  return Error(Errc::usage, path + " holds no PEM certificate (it starts with " + start + "; " +
                                kExpected + ")");
}

Result<void> verify_signature(const Certificate& cert, const crypto::PublicKey& issuer_key) {
  if (!cert.signature_algorithm_error.empty())
    return Error(Errc::unsupported,
                 "certificate \"" + cert.display_name() + "\" cannot be checked: its " +
                     cert.signature_algorithm_error,
                 Alert::bad_certificate);
  auto verified = issuer_key.verify(cert.signature_algorithm, cert.tbs, cert.signature);
  if (verified.ok()) return ok();
  Error e = std::move(verified).error();
  e.detail = "the signature (" + crypto::signature_algorithm_name(cert.signature_algorithm) +
             ") of certificate \"" + cert.display_name() + "\" does not verify with the " +
             crypto::key_type_name(issuer_key.type()) + " key of its issuer: " + e.detail;
  if (e.alert == Alert::none) e.alert = Alert::bad_certificate;
  return e;
}

std::string Certificate::display_name() const {
  if (!subject.empty()) return subject.to_string();
  for (const GeneralName& g : subject_alt_names) {
    switch (g.type) {
      case GeneralName::Type::dns:
        return "DNS:" + std::string(as_chars(g.value));
      case GeneralName::Type::email:
        return "email:" + std::string(as_chars(g.value));
      case GeneralName::Type::uri:
        return "URI:" + std::string(as_chars(g.value));
      case GeneralName::Type::ip:
        return "IP:" + ip_text(g.value);
      default:
        break;
    }
  }
  return "(empty subject, serial " + base::hex_colon(serial) + ")";
}

}  // namespace tern::x509
