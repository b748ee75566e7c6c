// SPDX-License-Identifier: Apache-2.0
// Fuzzes the OCSP response parser (DER) and the checks of a stapled response against a
// fixed leaf and issuer. Must never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "tern/ocsp.h"
#include "x509/builder.h"
#include "x509/ocsp.h"

namespace {

struct Pair {
  std::unique_ptr<tern::Certificate> leaf, issuer;
};

const Pair& pair() {
  static const Pair made = [] {
    Pair p;
    auto pki = tern::x509::make_test_pki();
    if (!pki) __builtin_trap();
    p.leaf = std::make_unique<tern::Certificate>(
        (*tern::Certificate::parse_all(pki->leaf.der))[0]);
    p.issuer = std::make_unique<tern::Certificate>(
        (*tern::Certificate::parse_all(pki->intermediate.der))[0]);
    return p;
  }();
  return made;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  BytesView input(data, size);
  auto parsed = x509::parse_ocsp_response(input);
  if (parsed.ok()) {
    for (const auto& cert : (*parsed)->certs) (void)cert->subject.to_string();
    if ((*parsed)->responder_name) (void)(*parsed)->responder_name->to_string();
  }
  const Pair& p = pair();
  auto status = check_ocsp_response(input, *p.leaf, *p.issuer, 1800000000);
  if (status.ok()) (void)describe_ocsp_status(*status);
  (void)inspect_ocsp_response(input, *p.leaf, 1800000000);
  return 0;
}
