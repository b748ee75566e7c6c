// SPDX-License-Identifier: Apache-2.0
// The DER encoders of builder.h that the builders are made of: OIDs, names and their text
// form, GeneralNames, times, AlgorithmIdentifiers, key identifiers and the signed wrapper.
#include "x509/builder.h"

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "base/reader.h"
#include "base/writer.h"
#include "x509/builder_util.h"

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

}  // namespace

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

namespace {

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

}  // namespace tern::x509
