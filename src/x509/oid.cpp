// SPDX-License-Identifier: Apache-2.0
// OBJECT IDENTIFIER constants, dotted-decimal printing and the lists of known extensions.
#include <string_view>
#include <utility>
#include <vector>

#include "x509/certificate.h"
#include "x509/der.h"

namespace tern::x509::oid {

const Bytes kCommonName = {0x55, 0x04, 0x03};  // 2.5.4.3
// 1.2.840.113549.1.9.1
const Bytes kEmailAddress = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01};
const Bytes kBasicConstraints = {0x55, 0x1d, 0x13};       // 2.5.29.19
const Bytes kKeyUsage = {0x55, 0x1d, 0x0f};               // 2.5.29.15
const Bytes kExtKeyUsage = {0x55, 0x1d, 0x25};            // 2.5.29.37
const Bytes kSubjectAltName = {0x55, 0x1d, 0x11};         // 2.5.29.17
const Bytes kIssuerAltName = {0x55, 0x1d, 0x12};          // 2.5.29.18
const Bytes kNameConstraints = {0x55, 0x1d, 0x1e};        // 2.5.29.30
const Bytes kAuthorityKeyId = {0x55, 0x1d, 0x23};         // 2.5.29.35
const Bytes kSubjectKeyId = {0x55, 0x1d, 0x0e};           // 2.5.29.14
const Bytes kCertificatePolicies = {0x55, 0x1d, 0x20};    // 2.5.29.32
const Bytes kPolicyConstraints = {0x55, 0x1d, 0x24};      // 2.5.29.36
const Bytes kPolicyMappings = {0x55, 0x1d, 0x21};         // 2.5.29.33
const Bytes kInhibitAnyPolicy = {0x55, 0x1d, 0x36};       // 2.5.29.54
const Bytes kCrlDistributionPoints = {0x55, 0x1d, 0x1f};  // 2.5.29.31
// 1.3.6.1.5.5.7.1.1
const Bytes kAuthorityInfoAccess = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01};
const Bytes kCrlNumber = {0x55, 0x1d, 0x14};                 // 2.5.29.20
const Bytes kDeltaCrlIndicator = {0x55, 0x1d, 0x1b};         // 2.5.29.27
const Bytes kIssuingDistributionPoint = {0x55, 0x1d, 0x1c};  // 2.5.29.28
const Bytes kReasonCode = {0x55, 0x1d, 0x15};                // 2.5.29.21
const Bytes kInvalidityDate = {0x55, 0x1d, 0x18};            // 2.5.29.24
const Bytes kCertificateIssuer = {0x55, 0x1d, 0x1d};         // 2.5.29.29
const Bytes kFreshestCrl = {0x55, 0x1d, 0x2e};               // 2.5.29.46
// 1.3.6.1.5.5.7.1.11
const Bytes kSubjectInfoAccess = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x0b};
// 1.3.6.1.4.1.11129.2.4.2
const Bytes kCtPoisonOrScts = {0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02};
const Bytes kEkuServerAuth = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01};  // 1.3.6.1.5.5.7.3.1
const Bytes kEkuClientAuth = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02};  // 1.3.6.1.5.5.7.3.2
// 1.3.6.1.5.5.7.3.3
const Bytes kEkuCodeSigning = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03};
// 1.3.6.1.5.5.7.3.4
const Bytes kEkuEmailProtection = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04};
// 1.3.6.1.5.5.7.3.8
const Bytes kEkuTimeStamping = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08};
// 1.3.6.1.5.5.7.3.9
const Bytes kEkuOcspSigning = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x09};
const Bytes kEkuAny = {0x55, 0x1d, 0x25, 0x00};  // 2.5.29.37.0
// 1.3.6.1.4.1.11129.2.4.3
const Bytes kCtPoison = {0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x03};
// 1.2.840.113549.1.1.1
const Bytes kRsaEncryption = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
// 1.2.840.113549.1.1.4
const Bytes kMd5WithRsa = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04};
// 1.2.840.113549.1.1.5
const Bytes kSha1WithRsa = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05};
// 1.2.840.113549.1.1.10
const Bytes kRsaPss = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
// 1.2.840.113549.1.1.11
const Bytes kSha256WithRsa = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};
// 1.2.840.113549.1.1.12
const Bytes kSha384WithRsa = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c};
// 1.2.840.113549.1.1.13
const Bytes kSha512WithRsa = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d};
const Bytes kMgf1 = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08};  // 1.2.840.113549.1.1.8
const Bytes kEcdsaSha1 = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01};         // 1.2.840.10045.4.1
const Bytes kEcdsaSha256 = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};  // 1.2.840.10045.4.3.2
const Bytes kEcdsaSha384 = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};  // 1.2.840.10045.4.3.3
const Bytes kEcdsaSha512 = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04};  // 1.2.840.10045.4.3.4
const Bytes kEcPublicKey = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};        // 1.2.840.10045.2.1
const Bytes kP256 = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};         // 1.2.840.10045.3.1.7
const Bytes kP384 = {0x2b, 0x81, 0x04, 0x00, 0x22};                           // 1.3.132.0.34
const Bytes kP521 = {0x2b, 0x81, 0x04, 0x00, 0x23};                           // 1.3.132.0.35
const Bytes kEd25519 = {0x2b, 0x65, 0x70};                                    // 1.3.101.112
const Bytes kSha1 = {0x2b, 0x0e, 0x03, 0x02, 0x1a};                           // 1.3.14.3.2.26
// 2.16.840.1.101.3.4.2.1
const Bytes kSha256 = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
// 2.16.840.1.101.3.4.2.2
const Bytes kSha384 = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02};
// 2.16.840.1.101.3.4.2.3
const Bytes kSha512 = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03};

namespace {
// Appends the decimal form of one base-128 arc; arcs may exceed 64 bits (UUID OIDs under
// 2.25 have 128-bit arcs), so the arc is kept as decimal digits, least significant first.
void append_arc(std::string& out, BytesView septets, unsigned subtract) {
  std::string digits = "0";
  auto mul_add = [&digits](unsigned mul, unsigned add) {
    unsigned carry = add;
    for (char& d : digits) {
      unsigned v = static_cast<unsigned>(d - '0') * mul + carry;
      d = static_cast<char>('0' + v % 10);
      carry = v / 10;
    }
    while (carry) {
      digits.push_back(static_cast<char>('0' + carry % 10));
      carry /= 10;
    }
  };
  for (uint8_t b : septets) mul_add(128, b & 0x7f);
  // Subtract the first-arc offset (40 or 80) from the second arc.
  unsigned borrow = subtract;
  for (char& d : digits) {
    if (!borrow) break;
    int v = (d - '0') - static_cast<int>(borrow % 10);
    borrow /= 10;
    if (v < 0) v += 10, ++borrow;
    d = static_cast<char>('0' + v);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  out.append(digits.rbegin(), digits.rend());
}

struct Named {
  std::string_view dotted, name;
};
constexpr Named kNames[] = {
    {"2.5.4.3", "CN"},
    {"2.5.4.4", "SN"},
    {"2.5.4.5", "serialNumber"},
    {"2.5.4.6", "C"},
    {"2.5.4.7", "L"},
    {"2.5.4.8", "ST"},
    {"2.5.4.9", "STREET"},
    {"2.5.4.10", "O"},
    {"2.5.4.11", "OU"},
    {"2.5.4.12", "title"},
    {"2.5.4.15", "businessCategory"},
    {"2.5.4.17", "postalCode"},
    {"2.5.4.42", "GN"},
    {"2.5.4.97", "organizationIdentifier"},
    {"0.9.2342.19200300.100.1.25", "DC"},
    {"0.9.2342.19200300.100.1.1", "UID"},
    {"1.2.840.113549.1.9.1", "emailAddress"},
    {"1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"},
    {"2.5.29.19", "basicConstraints"},
    {"2.5.29.15", "keyUsage"},
    {"2.5.29.37", "extendedKeyUsage"},
    {"2.5.29.17", "subjectAltName"},
    {"2.5.29.18", "issuerAltName"},
    {"2.5.29.30", "nameConstraints"},
    {"2.5.29.35", "authorityKeyIdentifier"},
    {"2.5.29.14", "subjectKeyIdentifier"},
    {"2.5.29.32", "certificatePolicies"},
    {"2.5.29.36", "policyConstraints"},
    {"2.5.29.33", "policyMappings"},
    {"2.5.29.54", "inhibitAnyPolicy"},
    {"2.5.29.31", "cRLDistributionPoints"},
    {"1.3.6.1.5.5.7.1.1", "authorityInfoAccess"},
    {"1.3.6.1.5.5.7.1.11", "subjectInfoAccess"},
    {"2.5.29.20", "cRLNumber"},
    {"2.5.29.27", "deltaCRLIndicator"},
    {"2.5.29.28", "issuingDistributionPoint"},
    {"2.5.29.21", "reasonCode"},
    {"2.5.29.24", "invalidityDate"},
    {"2.5.29.29", "certificateIssuer"},
    {"2.5.29.46", "freshestCRL"},
    {"1.3.6.1.4.1.11129.2.4.2", "signedCertificateTimestampList"},
    {"1.3.6.1.4.1.11129.2.4.3", "CT precertificate poison"},
    {"1.3.6.1.5.5.7.3.1", "serverAuth"},
    {"1.3.6.1.5.5.7.3.2", "clientAuth"},
    {"1.3.6.1.5.5.7.3.3", "codeSigning"},
    {"1.3.6.1.5.5.7.3.4", "emailProtection"},
    {"1.3.6.1.5.5.7.3.8", "timeStamping"},
    {"1.3.6.1.5.5.7.3.9", "OCSPSigning"},
    {"2.5.29.37.0", "anyExtendedKeyUsage"},
};

bool one_of(Oid id, std::initializer_list<const Bytes*> list) {
  for (const Bytes* b : list)
    if (equal(id, *b)) return true;
  return false;
}
}  // namespace

std::string to_string(Oid oid) {
  if (!der::valid_oid(oid)) return "(invalid OID)";
  std::string out;
  size_t start = 0;
  bool first = true;
  for (size_t i = 0; i < oid.size(); ++i) {
    if (oid[i] & 0x80) continue;
    BytesView arc = oid.subspan(start, i + 1 - start);
    start = i + 1;
    if (first) {
      // The first septet group encodes 40 * X + Y, X in 0..2 (X = 2 takes all values >= 80).
      first = false;
      unsigned x = 2;
      if (arc.size() == 1 && arc[0] < 40)
        x = 0;
      else if (arc.size() == 1 && arc[0] < 80)
        x = 1;
      out += static_cast<char>('0' + x);
      out += '.';
      append_arc(out, arc, x * 40);
      continue;
    }
    out += '.';
    append_arc(out, arc, 0);
  }
  return out;
}

namespace {
// DER contents of a dotted-decimal OID from the table above (trusted, small arcs).
Bytes encode_dotted(std::string_view dotted) {
  std::vector<uint64_t> arcs{0};
  for (char ch : dotted) {
    if (ch == '.')
      arcs.push_back(0);
    else
      arcs.back() = arcs.back() * 10 + static_cast<uint64_t>(ch - '0');
  }
  Bytes out;
  for (size_t i = 1; i < arcs.size(); ++i) {
    uint64_t v = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
    Bytes septets{static_cast<uint8_t>(v & 0x7f)};
    for (v >>= 7; v; v >>= 7)
      septets.insert(septets.begin(), static_cast<uint8_t>(0x80 | (v & 0x7f)));
    out.insert(out.end(), septets.begin(), septets.end());
  }
  return out;
}
}  // namespace

const char* name(Oid oid) {
  // Encoded once, so that naming an OID in a message or a display string costs a few
  // byte comparisons rather than a decimal conversion.
  static const std::vector<std::pair<Bytes, const char*>> kEncoded = [] {
    std::vector<std::pair<Bytes, const char*>> out;
    for (const Named& n : kNames) out.emplace_back(encode_dotted(n.dotted), n.name.data());
    return out;
  }();
  for (const auto& [der, label] : kEncoded)
    if (equal(oid, der)) return label;
  return nullptr;
}

std::string describe(Oid oid) {
  std::string out = to_string(oid);
  if (const char* n = name(oid)) out += std::string(" (") + n + ")";
  return out;
}

}  // namespace tern::x509::oid

namespace tern::x509 {

bool is_known_certificate_extension(Oid id) {
  using namespace oid;
  return one_of(id,
                {&kBasicConstraints, &kKeyUsage, &kExtKeyUsage, &kSubjectAltName, &kIssuerAltName,
                 &kNameConstraints, &kAuthorityKeyId, &kSubjectKeyId, &kCertificatePolicies,
                 &kPolicyConstraints, &kPolicyMappings, &kInhibitAnyPolicy, &kCrlDistributionPoints,
                 &kFreshestCrl, &kAuthorityInfoAccess, &kSubjectInfoAccess, &kCtPoisonOrScts});
}

bool is_known_crl_extension(Oid id) {
  using namespace oid;
  return one_of(id, {&kAuthorityKeyId, &kIssuerAltName, &kCrlNumber, &kDeltaCrlIndicator,
                     &kIssuingDistributionPoint, &kFreshestCrl, &kAuthorityInfoAccess});
}

bool is_known_crl_entry_extension(Oid id) {
  using namespace oid;
  return one_of(id, {&kReasonCode, &kInvalidityDate, &kCertificateIssuer});
}

}  // namespace tern::x509
