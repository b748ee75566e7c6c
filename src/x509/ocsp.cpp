// SPDX-License-Identifier: Apache-2.0
// OCSP responses (RFC 6960 §4.2.1), parsed as strictly as certificates, and the checks a
// TLS client makes of a stapled one (§3.2): the CertID names the leaf, the signer is the
// issuer or its delegated responder (§4.2.2.2), the times are current.
#include "x509/ocsp.h"

#include <algorithm>

#include "base/encoding.h"
#include "x509/der.h"
#include "x509/revocation.h"
#include "x509/verify.h"

namespace tern::x509 {

namespace tag = base::der;
using base::Reader;

namespace {

// id-pkix-ocsp-basic, 1.3.6.1.5.5.7.48.1.1
const Bytes kOcspBasic = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01};
// id-pe-tlsfeature, 1.3.6.1.5.5.7.1.24 (RFC 7633)
const Bytes kTlsFeature = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x18};
constexpr int64_t kClockSkew = 300;
// Without nextUpdate a response is taken to be fresh this long (RFC 6960 §4.2.2.1 leaves
// it to local policy).
constexpr int64_t kMaxAgeWithoutNextUpdate = 7 * 86400;

Error staple_error(std::string detail) {
  return Error(Errc::certificate, std::move(detail), Alert::bad_certificate_status_response);
}

Result<crypto::Hash> cert_id_hash(BytesView algorithm_contents) {
  Reader r(algorithm_contents);
  TERN_TRY(BytesView id, der::oid(r, "CertID hashAlgorithm"));
  if (!r.empty()) TERN_CHECK(der::null(r, "CertID hashAlgorithm parameters"));
  TERN_CHECK(der::done(r, "CertID hashAlgorithm"));
  if (equal(id, oid::kSha1)) return crypto::Hash::sha1;
  if (equal(id, oid::kSha256)) return crypto::Hash::sha256;
  return Error(Errc::unsupported, "CertID hashAlgorithm " + oid::describe(id) +
                                      " is not SHA-1 or SHA-256",
               Alert::bad_certificate_status_response);
}

Result<void> parse_single(Reader& list, OcspSingleResponse& single) {
  TERN_TRY(Reader s, der::sequence(list, "SingleResponse"));
  TERN_TRY(Reader cert_id, der::sequence(s, "CertID"));
  TERN_TRY(BytesView algorithm, der::element(cert_id, tag::kSequence, "CertID hashAlgorithm"));
  TERN_TRY(single.hash, cert_id_hash(algorithm));
  TERN_TRY(single.issuer_name_hash, der::element(cert_id, tag::kOctetString, "issuerNameHash"));
  TERN_TRY(single.issuer_key_hash, der::element(cert_id, tag::kOctetString, "issuerKeyHash"));
  TERN_TRY(single.serial, der::integer(cert_id, "CertID serialNumber"));
  TERN_CHECK(der::done(cert_id, "CertID"));
  size_t hash_size = crypto::hash_size(single.hash);
  if (single.issuer_name_hash.size() != hash_size || single.issuer_key_hash.size() != hash_size)
    return der::error("CertID hashes are not the size of their hash algorithm");

  uint8_t status_tag;
  BytesView status;
  if (!s.der_any(status_tag, status)) return der::error("certStatus is missing or malformed");
  if (status_tag == tag::context(0, false) && status.empty()) {
    single.status = OcspCertStatus::good;
  } else if (status_tag == tag::context(2, false) && status.empty()) {
    single.status = OcspCertStatus::unknown;
  } else if (status_tag == tag::context(1, true)) {
    single.status = OcspCertStatus::revoked;
    Reader info(status);
    TERN_TRY(single.revocation_time, der::time(info, "revocationTime"));
    if (!info.empty()) {
      TERN_TRY(Reader reason, der::sequence(info, "revocationReason", tag::context(0, true)));
      TERN_TRY(uint64_t code, der::small_uint(reason, "revocationReason", 10, tag::kEnumerated));
      if (code == 7) return der::error("revocationReason is 7, which is not a defined CRLReason");
      single.reason = static_cast<uint8_t>(code);
      TERN_CHECK(der::done(reason, "revocationReason"));
    }
    TERN_CHECK(der::done(info, "RevokedInfo"));
  } else {
    return der::error("certStatus is not good, revoked or unknown");
  }
  TERN_TRY(single.this_update, der::time(s, "thisUpdate"));
  if (s.peek_der_tag(tag::context(0, true))) {
    TERN_TRY(Reader next, der::sequence(s, "nextUpdate", tag::context(0, true)));
    TERN_TRY(int64_t next_update, der::time(next, "nextUpdate"));
    TERN_CHECK(der::done(next, "nextUpdate"));
    single.next_update = next_update;
  }
  if (s.peek_der_tag(tag::context(1, true))) {
    TERN_TRY(Reader wrapper, der::sequence(s, "singleExtensions", tag::context(1, true)));
    TERN_TRY(BytesView list_contents, der::element(wrapper, tag::kSequence, "singleExtensions"));
    TERN_CHECK(der::done(wrapper, "singleExtensions"));
    TERN_TRY(auto extensions, der::extensions(list_contents, "singleExtensions"));
    for (const Extension& x : extensions)
      if (x.critical)
        return der::error("singleExtension " + oid::describe(x.id) +
                          " is critical and unknown to tern");
  }
  return der::done(s, "SingleResponse");
}

Result<void> parse_response_data(OcspResponse& out, BytesView tbs_contents) {
  Reader tbs(tbs_contents);
  if (tbs.peek_der_tag(tag::context(0, true))) {
    TERN_TRY(Reader version, der::sequence(tbs, "version", tag::context(0, true)));
    TERN_TRY(uint64_t v, der::small_uint(version, "version", 0));
    (void)v;  // DEFAULT v1 written out is not DER, but deployed responders do it
    TERN_CHECK(der::done(version, "version"));
  }
  uint8_t id_tag;
  BytesView id;
  if (!tbs.der_any(id_tag, id)) return der::error("responderID is missing or malformed");
  Reader id_reader(id);
  if (id_tag == tag::context(1, true)) {
    BytesView name_contents;
    TERN_TRY(BytesView name, der::whole(id_reader, tag::kSequence, "responderID byName",
                                        name_contents));
    TERN_TRY(out.responder_name, der::name(name, "responderID byName"));
  } else if (id_tag == tag::context(2, true)) {
    TERN_TRY(out.responder_key_hash, der::element(id_reader, tag::kOctetString,
                                                  "responderID byKey"));
    if (out.responder_key_hash.size() != 20)
      return der::error("responderID byKey is not a SHA-1 hash");
  } else {
    return der::error("responderID is neither byName nor byKey");
  }
  TERN_CHECK(der::done(id_reader, "responderID"));
  TERN_TRY(out.produced_at, der::time(tbs, "producedAt"));
  TERN_TRY(Reader list, der::sequence(tbs, "responses"));
  while (!list.empty()) {
    if (out.responses.size() == kMaxOcspSingleResponses)
      return der::error("more than " + std::to_string(kMaxOcspSingleResponses) +
                        " SingleResponses");
    OcspSingleResponse single;
    if (auto parsed = parse_single(list, single); !parsed)
      return der::in("SingleResponse " + std::to_string(out.responses.size() + 1),
                     std::move(parsed).error());
    out.responses.push_back(single);
  }
  if (out.responses.empty()) return der::error("responses is empty");
  if (tbs.peek_der_tag(tag::context(1, true))) {
    TERN_TRY(Reader wrapper, der::sequence(tbs, "responseExtensions", tag::context(1, true)));
    TERN_TRY(BytesView list_contents, der::element(wrapper, tag::kSequence, "responseExtensions"));
    TERN_CHECK(der::done(wrapper, "responseExtensions"));
    TERN_TRY(auto extensions, der::extensions(list_contents, "responseExtensions"));
    for (const Extension& x : extensions)  // a nonce is not critical; nothing tern knows is
      if (x.critical)
        return der::error("responseExtension " + oid::describe(x.id) +
                          " is critical and unknown to tern");
  }
  return der::done(tbs, "tbsResponseData");
}

Result<void> parse_basic(OcspResponse& out, BytesView basic_der) {
  Reader top(basic_der);
  TERN_TRY(Reader basic, der::sequence(top, "BasicOCSPResponse"));
  TERN_CHECK(der::done(top, "BasicOCSPResponse"));
  BytesView tbs_contents, alg_contents;
  TERN_TRY(out.tbs, der::whole(basic, tag::kSequence, "tbsResponseData", tbs_contents));
  TERN_CHECK(parse_response_data(out, tbs_contents));
  TERN_CHECK(der::whole(basic, tag::kSequence, "signatureAlgorithm", alg_contents));
  TERN_TRY(auto sig, der::bit_string(basic, "signature"));
  if (sig.unused) return der::error("signature has unused bits");
  out.signature = sig.bytes;
  auto alg = der::signature_algorithm(alg_contents, "signatureAlgorithm");
  if (alg) {
    out.signature_algorithm = *alg;
  } else if (alg.error().code == Errc::unsupported) {
    out.signature_algorithm_error = alg.error().detail;
  } else {
    return std::move(alg).error();
  }
  if (basic.peek_der_tag(tag::context(0, true))) {
    TERN_TRY(Reader wrapper, der::sequence(basic, "certs", tag::context(0, true)));
    TERN_TRY(Reader certs, der::sequence(wrapper, "certs"));
    TERN_CHECK(der::done(wrapper, "certs"));
    while (!certs.empty()) {
      if (out.certs.size() == kMaxOcspCertificates)
        return der::error("more than " + std::to_string(kMaxOcspCertificates) +
                          " responder certificates");
      uint8_t t;
      BytesView contents, element;
      if (!certs.der_any_element(t, contents, element) || t != tag::kSequence)
        return der::error("certs holds something that is not a certificate");
      auto cert = parse_certificate(element);
      if (!cert) return der::in("responder certificate", std::move(cert).error());
      out.certs.push_back(std::move(*cert));
    }
  }
  return der::done(basic, "BasicOCSPResponse");
}

Bytes hash_of(crypto::Hash h, BytesView data) { return crypto::default_provider().hash(h, data); }

bool cert_id_matches(const OcspSingleResponse& single, const Certificate& leaf,
                     const Certificate* issuer) {
  if (!equal(single.serial, leaf.serial)) return false;
  if (!issuer) return true;
  auto key = subject_public_key_bits(*issuer);
  return key && equal(hash_of(single.hash, issuer->subject.der), single.issuer_name_hash) &&
         equal(hash_of(single.hash, *key), single.issuer_key_hash);
}

bool responder_is(const OcspResponse& response, const Certificate& cert) {
  if (response.responder_name) return names_match(*response.responder_name, cert.subject);
  auto key = subject_public_key_bits(cert);
  return key && equal(hash_of(crypto::Hash::sha1, *key), response.responder_key_hash);
}

std::string responder_text(const OcspResponse& response) {
  if (response.responder_name) return "\"" + response.responder_name->to_string() + "\"";
  return "the key " + base::hex(response.responder_key_hash);
}

Result<void> verify_with(const OcspResponse& response, const crypto::PublicKey& key,
                         const std::string& whose) {
  if (!response.signature_algorithm_error.empty())
    return staple_error("the OCSP response cannot be checked: its " +
                        response.signature_algorithm_error);
  auto verified = key.verify(response.signature_algorithm, response.tbs, response.signature);
  if (!verified)
    return staple_error("the signature of the OCSP response does not verify with the key of " +
                        whose + " (" + verified.error().detail + ")");
  return ok();
}

// RFC 6960 §4.2.2.2: the issuer itself, or a certificate it issued for OCSPSigning.
Result<std::string> verify_signer(const OcspResponse& response, const Certificate& issuer,
                                  int64_t now) {
  std::string issuer_name = "\"" + issuer.subject.to_string() + "\"";
  if (responder_is(response, issuer)) {
    if (!issuer.public_key) return staple_error("the key of the issuer is unusable");
    TERN_CHECK(verify_with(response, *issuer.public_key, "the issuer " + issuer_name));
    return std::string("the issuer");
  }
  for (const auto& responder : response.certs) {
    if (!responder_is(response, *responder)) continue;
    std::string who = "the OCSP responder \"" + responder->subject.to_string() + "\"";
    if (!names_match(responder->issuer, issuer.subject) || !issuer.public_key ||
        !verify_signature(*responder, *issuer.public_key))
      return staple_error("the OCSP response is signed by " + who +
                          ", which was not issued by the certificate's issuer " + issuer_name);
    const auto& eku = responder->extended_key_usage;
    if (!eku || std::none_of(eku->begin(), eku->end(),
                             [](Oid id) { return equal(id, oid::kEkuOcspSigning); }))
      return staple_error("the OCSP response is signed by " + who +
                          ", whose certificate lacks extendedKeyUsage OCSPSigning, so it may not "
                          "answer for its issuer (RFC 6960 §4.2.2.2)");
    if (now < responder->not_before - kClockSkew || now > responder->not_after + kClockSkew)
      return staple_error("the certificate of " + who + " is not valid at " + format_time(now));
    if (!responder->unknown_critical_extensions.empty())
      return staple_error("the certificate of " + who + " has an unknown critical extension");
    if (!responder->public_key) return staple_error("the key of " + who + " is unusable");
    TERN_CHECK(verify_with(response, *responder->public_key, who));
    return "delegated responder \"" + responder->subject.to_string() + "\"";
  }
  return staple_error("the OCSP response is signed by " + responder_text(response) +
                      ", which is neither the certificate's issuer " + issuer_name +
                      " nor a responder certificate included in the response");
}

}  // namespace

std::string ocsp_response_status_name(uint8_t status) {
  switch (status) {
    case 0: return "successful";
    case 1: return "malformedRequest";
    case 2: return "internalError";
    case 3: return "tryLater";
    case 5: return "sigRequired";
    case 6: return "unauthorized";
    default: return "status " + std::to_string(status);
  }
}

Result<BytesView> subject_public_key_bits(const Certificate& cert) {
  Reader top(cert.spki);
  TERN_TRY(Reader spki, der::sequence(top, "subjectPublicKeyInfo"));
  TERN_CHECK(der::element(spki, tag::kSequence, "subjectPublicKeyInfo algorithm"));
  TERN_TRY(auto bits, der::bit_string(spki, "subjectPublicKey"));
  return bits.bytes;
}

Result<std::shared_ptr<const OcspResponse>> parse_ocsp_response(BytesView input) {
  if (input.size() > kMaxOcspResponseSize)
    return der::error("the OCSP response is larger than " +
                      std::to_string(kMaxOcspResponseSize / 1024) + " KiB");
  auto owned = std::make_shared<OcspResponse>();
  OcspResponse& out = *owned;
  out.der.assign(input.begin(), input.end());
  Reader top(out.der);
  TERN_TRY(Reader response, der::sequence(top, "OCSPResponse"));
  TERN_CHECK(der::done(top, "OCSPResponse"));
  TERN_TRY(uint64_t status, der::small_uint(response, "responseStatus", 6, tag::kEnumerated));
  if (status == 4) return der::error("responseStatus 4 is not defined");
  out.response_status = static_cast<uint8_t>(status);
  if (status != 0) {
    TERN_CHECK(der::done(response, "OCSPResponse"));  // no responseBytes on a failure
    return std::shared_ptr<const OcspResponse>(std::move(owned));
  }
  TERN_TRY(Reader wrapper, der::sequence(response, "responseBytes", tag::context(0, true)));
  TERN_CHECK(der::done(response, "OCSPResponse"));
  TERN_TRY(Reader bytes, der::sequence(wrapper, "responseBytes"));
  TERN_CHECK(der::done(wrapper, "responseBytes"));
  TERN_TRY(BytesView type, der::oid(bytes, "responseType"));
  if (!equal(type, kOcspBasic))
    return Error(Errc::unsupported, "responseType " + oid::describe(type) +
                                        " is not id-pkix-ocsp-basic",
                 Alert::bad_certificate_status_response);
  TERN_TRY(BytesView basic, der::element(bytes, tag::kOctetString, "response"));
  TERN_CHECK(der::done(bytes, "responseBytes"));
  if (auto parsed = parse_basic(out, basic); !parsed)
    return der::in("BasicOCSPResponse", std::move(parsed).error());
  return std::shared_ptr<const OcspResponse>(std::move(owned));
}

Result<OcspStatus> check_ocsp(const OcspResponse& response, const Certificate& leaf,
                              const Certificate* issuer, int64_t now) {
  if (response.response_status != 0)
    return staple_error("the OCSP responder answered \"" +
                        ocsp_response_status_name(response.response_status) +
                        "\" instead of a response");
  auto single = std::find_if(response.responses.begin(), response.responses.end(),
                             [&](const OcspSingleResponse& s) {
                               return cert_id_matches(s, leaf, issuer);
                             });
  if (single == response.responses.end()) {
    const OcspSingleResponse& first = response.responses.front();
    bool same_serial = equal(first.serial, leaf.serial);
    return staple_error(
        "the OCSP response is for another certificate: it answers for serial " +
        base::hex_colon(first.serial) + (same_serial ? " of another issuer" : "") +
        ", not for the certificate " + leaf.display_name() + " (serial " +
        base::hex_colon(leaf.serial) + ", issuer \"" + leaf.issuer.to_string() + "\")");
  }
  OcspStatus status;
  status.status = single->status;
  status.this_update = single->this_update;
  status.next_update = single->next_update;
  status.revocation_time = single->revocation_time;
  status.reason = single->reason;
  if (single->this_update > now + kClockSkew)
    return staple_error("the OCSP response is not yet valid: its thisUpdate is " +
                        format_time(single->this_update) + ", after the time of the check " +
                        format_time(now));
  if (single->next_update && *single->next_update + kClockSkew < now)
    return staple_error("the OCSP response has expired: its nextUpdate was " +
                        format_time(*single->next_update) + ", before " + format_time(now));
  if (!single->next_update && single->this_update + kMaxAgeWithoutNextUpdate < now)
    return staple_error("the OCSP response is stale: it has no nextUpdate and its thisUpdate " +
                        format_time(single->this_update) + " is more than 7 days old");
  if (issuer) {
    TERN_TRY(status.signer, verify_signer(response, *issuer, now));
  }
  return status;
}

bool has_must_staple(const Certificate& cert) {
  for (const Extension& x : cert.extensions) {
    if (!equal(x.id, kTlsFeature)) continue;
    Reader top(x.value);
    Reader features;
    if (!top.der(tag::kSequence, features)) return true;  // malformed: be strict
    while (!features.empty()) {
      BytesView value;
      if (!features.der(tag::kInteger, value)) return true;
      if (value.size() == 1 && value[0] == 5) return true;  // status_request
    }
  }
  return false;
}

}  // namespace tern::x509

namespace tern {

const char* ocsp_cert_status_name(OcspCertStatus status) {
  switch (status) {
    case OcspCertStatus::good: return "good";
    case OcspCertStatus::revoked: return "revoked";
    case OcspCertStatus::unknown: break;
  }
  return "unknown";
}

std::string describe_ocsp_status(const OcspStatus& status) {
  std::string out = ocsp_cert_status_name(status.status);
  if (status.status == OcspCertStatus::revoked) {
    out += " on " + x509::format_time(status.revocation_time);
    if (status.reason) out += " (reason " + x509::crl_reason_name(*status.reason) + ")";
  }
  out += " (thisUpdate " + x509::format_time(status.this_update);
  if (status.next_update) out += ", nextUpdate " + x509::format_time(*status.next_update);
  out += ")";
  if (!status.signer.empty()) out += ", signed by " + status.signer;
  return out;
}

namespace {
Result<OcspStatus> check(BytesView response, const Certificate& leaf, const Certificate* issuer,
                         int64_t now) {
  auto parsed = x509::parse_ocsp_response(response);
  if (!parsed) {
    Error e = std::move(parsed).error();
    e.detail = "the OCSP response does not parse: " + e.detail;
    e.code = Errc::certificate;
    e.alert = Alert::bad_certificate_status_response;
    return e;
  }
  return x509::check_ocsp(**parsed, leaf.internal(), issuer ? &issuer->internal() : nullptr, now);
}
}  // namespace

Result<OcspStatus> check_ocsp_response(BytesView response, const Certificate& leaf,
                                       const Certificate& issuer, int64_t now) {
  return check(response, leaf, &issuer, now);
}

Result<OcspStatus> inspect_ocsp_response(BytesView response, const Certificate& leaf,
                                         int64_t now) {
  return check(response, leaf, nullptr, now);
}

bool must_staple(const Certificate& cert) { return x509::has_must_staple(cert.internal()); }

}  // namespace tern
