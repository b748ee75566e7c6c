// SPDX-License-Identifier: Apache-2.0
#include "x509/builder.h"

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "base/reader.h"
#include "base/writer.h"
#include "x509/certificate.h"

namespace tern::x509 {

namespace der = base::der;
using base::Writer;

Bytes encode_oid(std::string_view dotted) {
  std::vector<uint64_t> arcs;
  uint64_t current = 0;
  bool have_digit = false;
  for (char c : dotted) {
    if (c == '.') {
      if (!have_digit) return {};
      arcs.push_back(current);
      current = 0;
      have_digit = false;
    } else if (c >= '0' && c <= '9') {
      if (current > (UINT64_MAX - 9) / 10) return {};
      current = current * 10 + static_cast<uint64_t>(c - '0');
      have_digit = true;
    } else {
      return {};
    }
  }
  if (!have_digit) return {};
  arcs.push_back(current);
  if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39)) return {};
  if (arcs[1] > UINT64_MAX - 80) return {};

  Bytes out;
  auto base128 = [&out](uint64_t v) {
    uint8_t groups[10];
    size_t n = 0;
    do {
      groups[n++] = static_cast<uint8_t>(v & 0x7f);
      v >>= 7;
    } while (v);
    while (n-- > 0) out.push_back(static_cast<uint8_t>(groups[n] | (n ? 0x80 : 0)));
  };
  base128(arcs[0] * 40 + arcs[1]);
  for (size_t i = 2; i < arcs.size(); ++i) base128(arcs[i]);
  return out;
}

namespace build_oid {
const Bytes kCommonName = encode_oid("2.5.4.3");
const Bytes kCountry = encode_oid("2.5.4.6");
const Bytes kOrganization = encode_oid("2.5.4.10");
const Bytes kOrganizationalUnit = encode_oid("2.5.4.11");
const Bytes kLocality = encode_oid("2.5.4.7");
const Bytes kState = encode_oid("2.5.4.8");
const Bytes kSerialNumber = encode_oid("2.5.4.5");
const Bytes kDomainComponent = encode_oid("0.9.2342.19200300.100.1.25");
const Bytes kEmailAddress = encode_oid("1.2.840.113549.1.9.1");
const Bytes kEkuServerAuth = encode_oid("1.3.6.1.5.5.7.3.1");
const Bytes kEkuClientAuth = encode_oid("1.3.6.1.5.5.7.3.2");
const Bytes kEkuCodeSigning = encode_oid("1.3.6.1.5.5.7.3.3");
const Bytes kEkuAny = encode_oid("2.5.29.37.0");
}  // namespace build_oid

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

// RFC 8017 Appendix C: the DigestInfo hash OIDs and the PKCS#1 signature OIDs.
Bytes hash_oid(crypto::Hash h) {
  switch (h) {
    case crypto::Hash::sha1:
      return encode_oid("1.3.14.3.2.26");
    case crypto::Hash::sha256:
      return encode_oid("2.16.840.1.101.3.4.2.1");
    case crypto::Hash::sha384:
      return encode_oid("2.16.840.1.101.3.4.2.2");
    case crypto::Hash::sha512:
      return encode_oid("2.16.840.1.101.3.4.2.3");
  }
  return {};
}

void write_null(Writer& w) { w.der_bytes(der::kNull, {}); }

void write_hash_algorithm(Writer& w, crypto::Hash h) {
  w.der(der::kSequence, [&] {
    w.der_bytes(der::kOid, hash_oid(h));
    write_null(w);
  });
}

void write_extension(Writer& w, BytesView oid, bool critical, BytesView value) {
  w.der(der::kSequence, [&] {
    w.der_bytes(der::kOid, oid);
    if (critical) w.der_bytes(der::kBoolean, Bytes{0xff});
    w.der_bytes(der::kOctetString, value);
  });
}

// DER SET OF: the elements sorted by their encodings (X.690 §11.6).
void write_set_of(Writer& w, std::vector<Bytes> elements) {
  std::sort(elements.begin(), elements.end(), [](const Bytes& a, const Bytes& b) {
    size_t n = std::max(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      uint8_t x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
      if (x != y) return x < y;
    }
    return false;
  });
  w.der(der::kSet, [&] {
    for (const Bytes& e : elements) w.bytes(e);
  });
}

void write_general_name(Writer& w, const GeneralNameSpec& name) {
  using Type = GeneralNameSpec::Type;
  switch (name.type) {
    case Type::email:
      w.der_bytes(der::context(1, false), name.value);
      break;
    case Type::dns:
      w.der_bytes(der::context(2, false), name.value);
      break;
    // Name is a CHOICE, so directoryName's tag is explicit (RFC 5280 Appendix A.2).
    case Type::directory:
      w.der_bytes(der::context(4, true), name.value);
      break;
    case Type::uri:
      w.der_bytes(der::context(6, false), name.value);
      break;
    case Type::ip:
      w.der_bytes(der::context(7, false), name.value);
      break;
    case Type::raw:
      w.bytes(name.value);
      break;
  }
}

// Seconds since 1970 -> calendar fields, proleptic Gregorian, UTC.
struct CivilTime {
  int year;
  unsigned month, day, hour, minute, second;
};
CivilTime to_civil(int64_t t) {
  using namespace std::chrono;
  sys_seconds tp{seconds{t}};
  sys_days day = floor<days>(tp);
  year_month_day ymd{day};
  auto secs = (tp - day).count();
  return {static_cast<int>(ymd.year()),          static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()),      static_cast<unsigned>(secs / 3600),
          static_cast<unsigned>(secs / 60 % 60), static_cast<unsigned>(secs % 60)};
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

Bytes encode_name(const std::vector<NameAttribute>& attributes) {
  // Group into RDNs first, then write each RDN as a SET OF AttributeTypeAndValue.
  std::vector<std::vector<Bytes>> rdns;
  for (const NameAttribute& a : attributes) {
    Writer atv;
    atv.der(der::kSequence, [&] {
      atv.der_bytes(der::kOid, a.type);
      atv.der_bytes(a.string_tag, as_bytes(a.value));
    });
    if (a.join_previous && !rdns.empty())
      rdns.back().push_back(atv.take());
    else
      rdns.push_back({atv.take()});
  }
  Writer w;
  w.der(der::kSequence, [&] {
    for (auto& rdn : rdns) write_set_of(w, std::move(rdn));
  });
  return w.take();
}

Result<std::vector<NameAttribute>> parse_name_spec(std::string_view spec) {
  struct Key {
    std::string_view name;
    const Bytes* oid;
    uint8_t tag;
  };
  const Key keys[] = {
      {"CN", &build_oid::kCommonName, der::kUtf8String},
      {"O", &build_oid::kOrganization, der::kUtf8String},
      {"OU", &build_oid::kOrganizationalUnit, der::kUtf8String},
      {"C", &build_oid::kCountry, der::kPrintableString},
      {"L", &build_oid::kLocality, der::kUtf8String},
      {"ST", &build_oid::kState, der::kUtf8String},
      {"serialNumber", &build_oid::kSerialNumber, der::kPrintableString},
      {"DC", &build_oid::kDomainComponent, der::kIa5String},
      {"emailAddress", &build_oid::kEmailAddress, der::kIa5String},
  };
  auto trim = [](std::string s) {
    size_t b = s.find_first_not_of(' ');
    size_t e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };

  std::vector<NameAttribute> out;
  std::string part;
  bool join_next = false;
  auto finish = [&](bool next_joins) -> Result<void> {
    std::string item = trim(part);
    part.clear();
    if (item.empty()) {
      if (out.empty() && !next_joins && !join_next) return ok();  // "" is the empty name
      return Error(Errc::usage, "empty attribute in name \"" + std::string(spec) + "\"");
    }
    size_t eq = item.find('=');
    if (eq == std::string::npos)
      return Error(Errc::usage, "attribute \"" + item + "\" in name \"" + std::string(spec) +
                                    "\" has no '='; write it as KEY=value");
    std::string key = trim(item.substr(0, eq));
    auto it =
        std::find_if(std::begin(keys), std::end(keys), [&](const Key& k) { return k.name == key; });
    if (it == std::end(keys))
      return Error(Errc::usage, "unknown attribute \"" + key + "\" in name \"" + std::string(spec) +
                                    "\"; known: CN, O, OU, C, L, ST, serialNumber, DC, "
                                    "emailAddress");
    out.push_back({*it->oid, trim(item.substr(eq + 1)), it->tag, join_next});
    join_next = next_joins;
    return ok();
  };
  for (size_t i = 0; i < spec.size(); ++i) {
    char c = spec[i];
    if (c == '\\' && i + 1 < spec.size()) {
      part += spec[++i];
    } else if (c == ',' || c == '+') {
      TERN_CHECK(finish(c == '+'));
    } else {
      part += c;
    }
  }
  TERN_CHECK(finish(false));
  return out;
}

Result<Bytes> encode_name(std::string_view spec) {
  TERN_TRY(auto attributes, parse_name_spec(spec));
  return encode_name(attributes);
}

GeneralNameSpec GeneralNameSpec::dns(std::string_view name) {
  return {Type::dns, Bytes(name.begin(), name.end())};
}
GeneralNameSpec GeneralNameSpec::email(std::string_view address) {
  return {Type::email, Bytes(address.begin(), address.end())};
}
GeneralNameSpec GeneralNameSpec::uri(std::string_view uri) {
  return {Type::uri, Bytes(uri.begin(), uri.end())};
}
GeneralNameSpec GeneralNameSpec::ip(BytesView address) {
  return {Type::ip, Bytes(address.begin(), address.end())};
}
GeneralNameSpec GeneralNameSpec::directory(Bytes name_der) {
  return {Type::directory, std::move(name_der)};
}
GeneralNameSpec GeneralNameSpec::raw(Bytes tlv) { return {Type::raw, std::move(tlv)}; }

std::optional<Bytes> parse_ip(std::string_view text) {
  std::string s(text);
  uint8_t buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return Bytes(buf, buf + 4);
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return Bytes(buf, buf + 16);
  return std::nullopt;
}

std::optional<GeneralNameSpec> ip_subtree(std::string_view cidr) {
  size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto address = parse_ip(cidr.substr(0, slash));
  if (!address) return std::nullopt;
  std::string_view len_text = cidr.substr(slash + 1);
  if (len_text.empty() || len_text.size() > 3) return std::nullopt;
  size_t prefix = 0;
  for (char c : len_text) {
    if (c < '0' || c > '9') return std::nullopt;
    prefix = prefix * 10 + static_cast<size_t>(c - '0');
  }
  if (prefix > address->size() * 8) return std::nullopt;
  Bytes value = *address;
  for (size_t i = 0; i < address->size(); ++i) {
    size_t bits = prefix > i * 8 ? std::min<size_t>(8, prefix - i * 8) : 0;
    value.push_back(static_cast<uint8_t>(0xff00 >> bits));
  }
  return GeneralNameSpec::ip(value);
}

Bytes encode_general_names(const std::vector<GeneralNameSpec>& names) {
  Writer w;
  w.der(der::kSequence, [&] {
    for (const auto& n : names) write_general_name(w, n);
  });
  return w.take();
}

Bytes encode_time(int64_t unix_seconds, TimeEncoding encoding) {
  CivilTime c = to_civil(unix_seconds);
  bool utc = encoding == TimeEncoding::utc ||
             (encoding == TimeEncoding::automatic && c.year >= 1950 && c.year <= 2049);
  char text[32];
  int n = utc ? std::snprintf(text, sizeof text, "%02d%02u%02u%02u%02u%02uZ", c.year % 100, c.month,
                              c.day, c.hour, c.minute, c.second)
              : std::snprintf(text, sizeof text, "%04d%02u%02u%02u%02u%02uZ", c.year, c.month,
                              c.day, c.hour, c.minute, c.second);
  Writer w;
  w.der_bytes(utc ? der::kUtcTime : der::kGeneralizedTime,
              as_bytes(std::string_view(text, static_cast<size_t>(n > 0 ? n : 0))));
  return w.take();
}

Bytes encode_signature_algorithm(const crypto::SignatureAlgorithm& alg) {
  using crypto::Hash;
  using crypto::SigKind;
  Writer w;
  w.der(der::kSequence, [&] {
    switch (alg.kind) {
      case SigKind::ecdsa: {  // RFC 5758 §3.2: no parameters
        const char* oid = alg.hash == Hash::sha384   ? "1.2.840.10045.4.3.3"
                          : alg.hash == Hash::sha512 ? "1.2.840.10045.4.3.4"
                          : alg.hash == Hash::sha1   ? "1.2.840.10045.4.1"
                                                     : "1.2.840.10045.4.3.2";
        w.der_bytes(der::kOid, encode_oid(oid));
        break;
      }
      case SigKind::rsa_pkcs1: {  // RFC 8017 Appendix C: NULL parameters
        const char* oid = alg.hash == Hash::sha384   ? "1.2.840.113549.1.1.12"
                          : alg.hash == Hash::sha512 ? "1.2.840.113549.1.1.13"
                          : alg.hash == Hash::sha1   ? "1.2.840.113549.1.1.5"
                                                     : "1.2.840.113549.1.1.11";
        w.der_bytes(der::kOid, encode_oid(oid));
        write_null(w);
        break;
      }
      case SigKind::rsa_pss:  // RFC 4055 §3.1: explicit hash, MGF1 and salt length
        w.der_bytes(der::kOid, encode_oid("1.2.840.113549.1.1.10"));
        w.der(der::kSequence, [&] {
          w.der(der::context(0, true), [&] { write_hash_algorithm(w, alg.hash); });
          w.der(der::context(1, true), [&] {
            w.der(der::kSequence, [&] {
              w.der_bytes(der::kOid, encode_oid("1.2.840.113549.1.1.8"));
              write_hash_algorithm(w, alg.hash);
            });
          });
          w.der(der::context(2, true), [&] { w.der_uint(uint64_t{alg.pss_salt_len}); });
        });
        break;
      case SigKind::ed25519:  // RFC 8410 §3: parameters absent
        w.der_bytes(der::kOid, encode_oid("1.3.101.112"));
        break;
    }
  });
  return w.take();
}

crypto::SignatureAlgorithm default_signature_algorithm(crypto::KeyType key_type) {
  using crypto::Hash;
  using crypto::KeyType;
  using crypto::SigKind;
  switch (key_type) {
    case KeyType::ec_p384:
      return {SigKind::ecdsa, Hash::sha384, 0};
    case KeyType::ec_p521:
      return {SigKind::ecdsa, Hash::sha512, 0};
    case KeyType::rsa:
      return {SigKind::rsa_pkcs1, Hash::sha256, 0};
    case KeyType::rsa_pss:
      return {SigKind::rsa_pss, Hash::sha256, 32};
    case KeyType::ed25519:
      return {SigKind::ed25519, Hash::sha256, 0};
    default:
      return {SigKind::ecdsa, Hash::sha256, 0};
  }
}

Result<Bytes> key_identifier(BytesView spki) {
  base::Reader outer(spki), body, algorithm;
  BytesView bits;
  if (!outer.der(der::kSequence, body) || !outer.empty() || !body.der(der::kSequence, algorithm) ||
      !body.der(der::kBitString, bits) || !body.empty() || bits.empty())
    return Error(Errc::decode,
                 "cannot compute a key identifier: the SubjectPublicKeyInfo is "
                 "not a SEQUENCE of an AlgorithmIdentifier and a BIT STRING");
  return crypto::default_provider().hash(crypto::Hash::sha1, bits.subspan(1));
}

Result<Bytes> sign_der(BytesView tbs, BytesView algorithm_der, const crypto::PrivateKey& key,
                       const crypto::SignatureAlgorithm& alg) {
  TERN_TRY(Bytes signature, key.sign(alg, tbs));
  Writer w(tbs.size() + signature.size() + 32);
  w.der(der::kSequence, [&] {
    w.bytes(tbs);
    w.bytes(algorithm_der);
    w.der(der::kBitString, [&] {
      w.u8(0);  // no unused bits
      w.bytes(signature);
    });
  });
  return w.take();
}

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
