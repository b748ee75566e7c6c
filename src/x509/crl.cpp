// SPDX-License-Identifier: Apache-2.0
// Certificate revocation lists (RFC 5280 §5), parsed as strictly as certificates.
#include "base/encoding.h"
#include "x509/certificate.h"
#include "x509/der.h"

namespace tern::x509 {

namespace tag = base::der;
using base::Reader;

namespace {

Result<void> parse_entry_extensions(RevokedEntry& entry, BytesView list, const std::string& w) {
  TERN_TRY(entry.extensions, der::extensions(list, w + " crlEntryExtensions"));
  for (const Extension& x : entry.extensions) {
    std::string xw = w + " extension " + oid::describe(x.id);
    Reader r(x.value);
    if (equal(x.id, oid::kReasonCode)) {
      TERN_TRY(uint64_t reason, der::small_uint(r, xw, 10, tag::kEnumerated));
      if (reason == 7) return der::error(xw + " is 7, which is not a defined CRLReason");
      entry.reason = static_cast<uint8_t>(reason);
    } else if (equal(x.id, oid::kInvalidityDate)) {
      TERN_TRY(BytesView date, der::element(r, tag::kGeneralizedTime, xw));
      TERN_CHECK(der::parse_time(tag::kGeneralizedTime, date, xw));
    } else if (equal(x.id, oid::kCertificateIssuer)) {
      TERN_TRY(BytesView names, der::element(r, tag::kSequence, xw));
      TERN_CHECK(der::general_names(names, xw));
    } else {
      if (x.critical)
        return der::error(xw + " is marked critical but tern does not know it (RFC 5280 §5.3)");
      continue;
    }
    TERN_CHECK(der::done(r, xw));
  }
  return ok();
}

Result<void> parse_entry(const Crl& crl, Reader& list, RevokedEntry& entry) {
  TERN_TRY(Reader e, der::sequence(list, "the entry"));
  TERN_TRY(entry.serial, der::integer(e, "userCertificate"));
  TERN_TRY(entry.revocation_date, der::time(e, "revocationDate"));
  if (!e.empty()) {
    if (crl.version != 2) return der::error("it has extensions in a v1 CRL");
    TERN_TRY(BytesView exts, der::element(e, tag::kSequence, "crlEntryExtensions"));
    TERN_CHECK(parse_entry_extensions(entry, exts, "its"));
  }
  return der::done(e, "the entry");
}

Result<void> parse_revoked(Crl& crl, Reader& tbs) {
  TERN_TRY(Reader list, der::sequence(tbs, "revokedCertificates"));
  while (!list.empty()) {
    RevokedEntry entry;
    // CRLs can list many thousands of entries: the entry's number goes into the message
    // only when something is wrong with it.
    if (auto parsed = parse_entry(crl, list, entry); !parsed.ok())
      return der::in("revoked entry " + std::to_string(crl.revoked.size() + 1),
                     std::move(parsed).error());
    crl.revoked.push_back(std::move(entry));
  }
  return ok();
}

Result<void> parse_crl_extension(Crl& crl, const Extension& x) {
  std::string w = "CRL extension " + oid::describe(x.id);
  Reader r(x.value);
  if (equal(x.id, oid::kCrlNumber) || equal(x.id, oid::kDeltaCrlIndicator)) {
    TERN_TRY(BytesView number, der::integer(r, w));
    if (number[0] & 0x80) return der::error(w + " is negative");
    if (number.size() > 20) return der::error(w + " is longer than 20 octets (RFC 5280 §5.2.3)");
    if (equal(x.id, oid::kCrlNumber))
      crl.crl_number = number;
    else
      crl.is_delta = true;
  } else if (equal(x.id, oid::kAuthorityKeyId)) {
    TERN_TRY(Reader s, der::sequence(r, w));
    if (s.peek_der_tag(tag::context(0, false))) {
      TERN_TRY(crl.authority_key_id, der::element(s, tag::context(0, false), w + " keyIdentifier"));
    }
    if (s.peek_der_tag(tag::context(1, true))) {
      TERN_TRY(BytesView names, der::element(s, tag::context(1, true), w + " authorityCertIssuer"));
      TERN_CHECK(der::general_names(names, w + " authorityCertIssuer"));
    }
    if (s.peek_der_tag(tag::context(2, false)))
      TERN_CHECK(der::integer(s, w + " authorityCertSerialNumber", tag::context(2, false)));
    TERN_CHECK(der::done(s, w));
  } else if (equal(x.id, oid::kIssuerAltName)) {
    TERN_TRY(BytesView names, der::element(r, tag::kSequence, w));
    TERN_CHECK(der::general_names(names, w));
  } else if (equal(x.id, oid::kIssuingDistributionPoint)) {
    TERN_CHECK(der::element(r, tag::kSequence, w));
    crl.has_issuing_distribution_point = true;
  } else if (is_known_crl_extension(x.id)) {  // freshestCRL, authorityInfoAccess
    TERN_CHECK(der::element(r, tag::kSequence, w));
  } else {
    if (x.critical)
      return der::error(w +
                        " is marked critical but tern does not know it, so the CRL "
                        "cannot be used (RFC 5280 §5.2)");
    return ok();
  }
  return der::done(r, w);
}

Result<void> parse_crl_rest(Crl& crl, Reader& tbs) {
  TERN_TRY(crl.this_update, der::time(tbs, "thisUpdate", der::TimeRule::rfc5280));
  if (tbs.peek_der_tag(tag::kUtcTime) || tbs.peek_der_tag(tag::kGeneralizedTime)) {
    TERN_TRY(int64_t next, der::time(tbs, "nextUpdate", der::TimeRule::rfc5280));
    crl.next_update = next;
  }
  if (tbs.peek_der_tag(tag::kSequence)) TERN_CHECK(parse_revoked(crl, tbs));
  if (tbs.peek_der_tag(tag::context(0, true))) {
    if (crl.version != 2) return der::error("crlExtensions are present in a v1 CRL");
    TERN_TRY(Reader wrapper, der::sequence(tbs, "crlExtensions", tag::context(0, true)));
    TERN_TRY(BytesView list, der::element(wrapper, tag::kSequence, "crlExtensions"));
    TERN_CHECK(der::done(wrapper, "crlExtensions"));
    TERN_TRY(crl.extensions, der::extensions(list, "crlExtensions"));
  }
  TERN_CHECK(der::done(tbs, "tbsCertList"));
  for (const Extension& x : crl.extensions) TERN_CHECK(parse_crl_extension(crl, x));
  return ok();
}

}  // namespace

Result<std::shared_ptr<const Crl>> parse_crl(BytesView input) {
  auto owned = std::make_shared<Crl>();
  Crl& crl = *owned;
  crl.der.assign(input.begin(), input.end());
  Reader top(crl.der);
  TERN_TRY(Reader body, der::sequence(top, "CRL"));
  if (!top.empty())
    return der::error(std::to_string(top.remaining()) + " byte(s) of trailing data after the CRL");
  BytesView tbs_contents;
  TERN_TRY(crl.tbs, der::whole(body, tag::kSequence, "tbsCertList", tbs_contents));
  Reader tbs(tbs_contents);
  if (tbs.peek_der_tag(tag::kInteger)) {
    TERN_TRY(uint64_t version, der::small_uint(tbs, "CRL version", 1));
    if (version != 1) return der::error("CRL version is present but not v2 (RFC 5280 §5.1.2.1)");
    crl.version = 2;
  }
  BytesView tbs_alg_contents, outer_alg_contents, issuer_contents;
  TERN_TRY(BytesView tbs_alg, der::whole(tbs, tag::kSequence, "signature", tbs_alg_contents));
  TERN_TRY(BytesView issuer, der::whole(tbs, tag::kSequence, "issuer", issuer_contents));
  TERN_TRY(crl.issuer, der::name(issuer, "CRL issuer"));
  std::string who = "CRL issued by \"" + crl.issuer.to_string() + "\"";
  if (auto rest = parse_crl_rest(crl, tbs); !rest.ok())
    return der::in(who, std::move(rest).error());
  auto outer = der::whole(body, tag::kSequence, "signatureAlgorithm", outer_alg_contents);
  if (!outer.ok()) return der::in(who, std::move(outer).error());
  auto sig = der::bit_string(body, "signatureValue");
  if (!sig.ok()) return der::in(who, std::move(sig).error());
  if (auto end = der::done(body, "CRL"); !end.ok()) return der::in(who, std::move(end).error());
  if (!equal(tbs_alg, *outer))
    return der::in(who, der::error("signatureAlgorithm differs from the signature field "
                                   "inside tbsCertList"));
  if (sig->unused) return der::in(who, der::error("signatureValue has unused bits"));
  crl.signature = sig->bytes;
  auto alg = der::signature_algorithm(outer_alg_contents, "signatureAlgorithm");
  if (alg.ok()) {
    crl.signature_algorithm = *alg;
  } else if (alg.error().code == Errc::unsupported) {
    crl.signature_algorithm_error = alg.error().detail;
  } else {
    return der::in(who, std::move(alg).error());
  }
  return std::shared_ptr<const Crl>(std::move(owned));
}

Result<std::vector<std::shared_ptr<const Crl>>> parse_crls(BytesView input) {
  std::vector<std::shared_ptr<const Crl>> out;
  if (input.empty()) return der::error("no CRL: the input is empty");
  if (!base::looks_like_pem(input)) {
    TERN_TRY(auto crl, parse_crl(input));
    out.push_back(std::move(crl));
    return out;
  }
  auto blocks = base::parse_pem(as_chars(input));
  if (!blocks.ok()) return der::error(blocks.error().detail);
  std::string other_labels;
  for (const base::PemBlock& block : *blocks) {
    if (block.label != "X509 CRL") {
      other_labels += (other_labels.empty() ? "" : ", ") + block.label;
      continue;
    }
    auto crl = parse_crl(block.der);
    if (!crl.ok())
      return der::in("CRL " + std::to_string(out.size() + 1) + " in bundle",
                     std::move(crl).error());
    out.push_back(std::move(*crl));
  }
  if (out.empty())
    return der::error("no X509 CRL block in the PEM data" +
                      (other_labels.empty() ? std::string() : " (found: " + other_labels + ")"));
  return out;
}

Result<void> verify_signature(const Crl& crl, const crypto::PublicKey& issuer_key) {
  if (!crl.signature_algorithm_error.empty())
    return Error(Errc::unsupported,
                 "the CRL issued by \"" + crl.issuer.to_string() + "\" cannot be checked: its " +
                     crl.signature_algorithm_error,
                 Alert::bad_certificate);
  auto verified = issuer_key.verify(crl.signature_algorithm, crl.tbs, crl.signature);
  if (verified.ok()) return ok();
  Error e = std::move(verified).error();
  e.detail = "the signature of the CRL issued by \"" + crl.issuer.to_string() +
             "\" does not verify with the " + crypto::key_type_name(issuer_key.type()) +
             " key of that issuer: " + e.detail;
  if (e.alert == Alert::none) e.alert = Alert::bad_certificate;
  return e;
}

}  // namespace tern::x509
