// SPDX-License-Identifier: Apache-2.0
#include "x509/ocsp_builder.h"

#include "base/reader.h"
#include "base/writer.h"
#include "x509/builder.h"
#include "x509/der.h"

namespace tern::x509 {

namespace tag = base::der;
using base::Writer;

namespace {

const Bytes kOcspBasic = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01};

// The subjectPublicKey bits of a DER SubjectPublicKeyInfo.
Result<BytesView> key_bits(BytesView spki_der) {
  base::Reader top(spki_der);
  TERN_TRY(base::Reader spki, der::sequence(top, "subjectPublicKeyInfo"));
  TERN_CHECK(der::element(spki, tag::kSequence, "subjectPublicKeyInfo algorithm"));
  TERN_TRY(auto bits, der::bit_string(spki, "subjectPublicKey"));
  return bits.bytes;
}

Bytes generalized_time(int64_t t) { return encode_time(t, TimeEncoding::generalized); }

}  // namespace

Result<Bytes> build_ocsp_response(const OcspResponseSpec& spec, const crypto::PrivateKey& key) {
  const crypto::Provider& provider = crypto::default_provider();
  TERN_TRY(BytesView issuer_key, key_bits(spec.issuer_spki));
  TERN_TRY(BytesView responder_key,
           key_bits(spec.responder_spki.empty() ? spec.issuer_spki : spec.responder_spki));
  Writer tbs(512);
  tbs.der(tag::kSequence, [&] {
    tbs.der(tag::context(2, true), [&] {  // ResponderID byKey
      tbs.der_bytes(tag::kOctetString, provider.hash(crypto::Hash::sha1, responder_key));
    });
    tbs.bytes(generalized_time(spec.produced_at));
    tbs.der(tag::kSequence, [&] {
      tbs.der(tag::kSequence, [&] {  // SingleResponse
        tbs.der(tag::kSequence, [&] {  // CertID
          tbs.der(tag::kSequence, [&] {
            tbs.der_bytes(tag::kOid, spec.hash == crypto::Hash::sha1 ? oid::kSha1 : oid::kSha256);
            tbs.der_bytes(tag::kNull, {});
          });
          tbs.der_bytes(tag::kOctetString, provider.hash(spec.hash, spec.issuer_name));
          tbs.der_bytes(tag::kOctetString, provider.hash(spec.hash, issuer_key));
          tbs.der_uint(BytesView(spec.serial));
        });
        if (spec.status == OcspCertStatus::good) {
          tbs.der_bytes(tag::context(0, false), {});
        } else if (spec.status == OcspCertStatus::unknown) {
          tbs.der_bytes(tag::context(2, false), {});
        } else {
          tbs.der(tag::context(1, true), [&] {
            tbs.bytes(generalized_time(spec.revocation_time));
            if (spec.reason)
              tbs.der(tag::context(0, true), [&] { tbs.der_bytes(tag::kEnumerated, Bytes{*spec.reason}); });
          });
        }
        tbs.bytes(generalized_time(spec.this_update));
        if (spec.next_update)
          tbs.der(tag::context(0, true), [&] { tbs.bytes(generalized_time(*spec.next_update)); });
      });
    });
  });
  crypto::SignatureAlgorithm alg = default_signature_algorithm(key.type());
  TERN_TRY(Bytes signed_basic, sign_der(tbs.data(), encode_signature_algorithm(alg), key, alg));
  if (!spec.certs.empty()) {
    // sign_der wrote SEQUENCE { tbs, alg, sig }: rewrite it with certs appended.
    base::Reader top(signed_basic);
    base::Reader body;
    if (!top.der(tag::kSequence, body)) return Error(Errc::internal, "OCSP builder: bad SEQUENCE");
    BytesView contents = body.rest();
    Writer with_certs(signed_basic.size() + 2048);
    with_certs.der(tag::kSequence, [&] {
      with_certs.bytes(contents);
      with_certs.der(tag::context(0, true), [&] {
        with_certs.der(tag::kSequence, [&] {
          for (const Bytes& cert : spec.certs) with_certs.bytes(cert);
        });
      });
    });
    signed_basic = with_certs.take();
  }
  Writer out(signed_basic.size() + 32);
  out.der(tag::kSequence, [&] {
    out.der_bytes(tag::kEnumerated, Bytes{0});  // successful
    out.der(tag::context(0, true), [&] {
      out.der(tag::kSequence, [&] {
        out.der_bytes(tag::kOid, kOcspBasic);
        out.der_bytes(tag::kOctetString, signed_basic);
      });
    });
  });
  return out.take();
}

}  // namespace tern::x509
