// SPDX-License-Identifier: Apache-2.0
#include "x509/web_profile.h"

#include <arpa/inet.h>

#include <algorithm>
#include <string>

#include "x509/hostname.h"
#include "x509/verify_util.h"

namespace tern::x509 {
namespace {

// DER contents of the CT precertificate-signing EKU, 1.3.6.1.4.1.11129.2.4.4.
const Bytes kEkuPrecertSigning = {0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x04};

// The bit length of a non-negative INTEGER's contents.
size_t integer_bits(BytesView n) {
  while (!n.empty() && n[0] == 0) n = n.subspan(1);
  if (n.empty()) return 0;
  size_t bits = n.size() * 8;
  for (uint8_t top = n[0]; !(top & 0x80); top <<= 1) --bits;
  return bits;
}

}  // namespace

Result<void> check_key_limits(const Certificate& cert, VerifyProfile profile) {
  if (cert.key_type != crypto::KeyType::rsa && cert.key_type != crypto::KeyType::rsa_pss)
    return ok();
  auto refuse = [&](const std::string& why) {
    return reject(who(cert) + " has an RSA key " + why, Alert::unsupported_certificate);
  };
  size_t bits = cert.key_bits;
  if (bits > kMaxRsaModulusBits) {
    return refuse("of " + std::to_string(bits) + " bits; tern accepts at most " +
                  std::to_string(kMaxRsaModulusBits) + " (larger keys only cost verifiers CPU)");
  }
  if (profile == VerifyProfile::web && bits % 8 != 0) {
    return refuse("of " + std::to_string(bits) + " bits, not a whole number of bytes, which " +
                  "the web PKI forbids (CA/Browser Forum 6.1.5)");
  }
  BytesView e = cert.rsa_exponent;
  bool negative = !e.empty() && (e[0] & 0x80);
  size_t e_bits = integer_bits(e);
  if (negative || e_bits > kMaxRsaExponentBits) {
    return refuse("whose public exponent is " + std::string(negative ? "negative" : "over 2^32") +
                  "; tern accepts odd exponents from 3 to 2^32 - 1");
  }
  if (e_bits < 2 || !(e.back() & 1)) {
    return refuse("whose public exponent is even or below 3; tern accepts odd exponents from 3 " +
                  std::string("to 2^32 - 1"));
  }
  return ok();
}

Result<void> check_server_eku(const Certificate& leaf, VerifyProfile profile) {
  const Extension* eku = find_extension(leaf, oid::kExtKeyUsage);
  if (profile == VerifyProfile::rfc5280) {
    // RFC 5280 §4.2.1.12: without the extension, or with anyExtendedKeyUsage, any purpose.
    if (!eku || has_eku(leaf, oid::kEkuServerAuth) || has_eku(leaf, oid::kEkuAny)) return ok();
    return reject(who(leaf) + " is not valid for TLS servers: its extendedKeyUsage lacks " +
                      "serverAuth",
                  Alert::unsupported_certificate);
  }
  if (!eku) {
    return reject(who(leaf) + " has no extendedKeyUsage extension; the web PKI requires " +
                      "serverAuth in a TLS server's certificate (CA/Browser Forum 7.1.2.7.10)",
                  Alert::unsupported_certificate);
  }
  if (eku->critical) {
    return reject(who(leaf) + " marks extendedKeyUsage critical, which the web PKI forbids");
  }
  if (!has_eku(leaf, oid::kEkuServerAuth)) {
    return reject(who(leaf) + " is not valid for TLS servers: its extendedKeyUsage lacks " +
                      "serverAuth",
                  Alert::unsupported_certificate);
  }
  for (const Bytes* forbidden : {&oid::kEkuAny, &oid::kEkuCodeSigning, &oid::kEkuEmailProtection,
                                 &oid::kEkuTimeStamping, &oid::kEkuOcspSigning,
                                 &kEkuPrecertSigning}) {
    if (has_eku(leaf, *forbidden)) {
      return reject(who(leaf) + " combines serverAuth with extendedKeyUsage " +
                        oid::to_string(*forbidden) + ", which the web PKI forbids",
                    Alert::unsupported_certificate);
    }
  }
  return ok();
}

Result<void> check_web_leaf_names(const Certificate& leaf) {
  for (const auto& name : leaf.subject_alt_names) {
    if (name.type == GeneralName::Type::dns &&
        as_chars(name.value).find('_') != std::string_view::npos) {
      return reject(who(leaf) + " has the subjectAltName " + general_name_to_string(name) +
                    ", but the web PKI forbids underscores in host names (CA/Browser Forum " +
                    "7.1.2.7.12)");
    }
  }
  // CA/Browser Forum 7.1.4.3: a CN, if any, is one of the SAN values, spelled exactly as
  // the dNSName is, or as the canonical text (RFC 3986 / RFC 5952) of the iPAddress. A CN
  // that names no host at all (a label such as "My Server", no dot) is tolerated: clients
  // match the SAN only, so it cannot be mistaken for a name the certificate covers.
  for (const auto& rdn : leaf.subject.rdns) {
    for (const auto& attr : rdn) {
      if (!equal(attr.type, oid::kCommonName)) continue;
      std::string_view cn = as_chars(attr.value);
      bool copy = std::any_of(
          leaf.subject_alt_names.begin(), leaf.subject_alt_names.end(), [&](const GeneralName& n) {
            return (n.type == GeneralName::Type::dns && equal(n.value, attr.value)) ||
                   (n.type == GeneralName::Type::ip && format_ip(n.value) == cn);
          });
      if (copy) continue;
      bool ascii = std::all_of(cn.begin(), cn.end(),
                               [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      // inet_aton also takes the hex, octal and single-number IPv4 forms (0xC0A80101).
      in_addr v4{};
      bool ip_like = parse_ip_literal(cn) || (ascii && inet_aton(std::string(cn).c_str(), &v4));
      bool spelled_differently = std::any_of(
          leaf.subject_alt_names.begin(), leaf.subject_alt_names.end(), [&](const GeneralName& n) {
            return n.type == GeneralName::Type::dns && cn.substr(0, 2) != "*." &&
                   as_chars(n.value).substr(0, 2) != "*." &&
                   dns_name_matches(as_chars(n.value), cn);
          });
      bool names_host = cn.find('.') != std::string_view::npos && is_valid_dns_name(cn, true);
      if (ascii && !ip_like && !spelled_differently && !names_host) continue;
      std::string why =
          spelled_differently ? "is not a character-for-character copy of its subjectAltName entry"
          : !ascii            ? "is not in ASCII (an internationalized name must be the A-label "
                                "its subjectAltName holds)"
          : ip_like ? "is not the canonical text (RFC 3986, RFC 5952) of an iPAddress in its "
                      "subjectAltName"
              : "names a host that is not among its subjectAltName entries";
      return reject(who(leaf) + " has the common name \"" + std::string(cn) + "\", which " + why +
                    " (CA/Browser Forum 7.1.4.3)");
    }
  }
  return ok();
}

}  // namespace tern::x509
