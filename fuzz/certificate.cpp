// SPDX-License-Identifier: Apache-2.0
// Fuzzes the strict certificate parser and everything that reads a parsed certificate
// (names, display strings, signature check). Must never crash, hang or read out of bounds.
#include "x509/certificate.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  auto cert = x509::parse_certificate(BytesView(data, size));
  if (!cert.ok()) {
    (void)cert.error().detail.size();
    return 0;
  }
  const x509::Certificate& c = **cert;
  (void)c.display_name();
  (void)c.issuer.to_string();
  (void)c.subject.common_name();
  (void)x509::names_match(c.issuer, c.subject);
  for (const auto& x : c.extensions) (void)x509::oid::describe(x.id);
  for (const auto& g : c.subject_alt_names)
    if (g.directory) (void)g.directory->to_string();
  if (c.public_key) (void)x509::verify_signature(c, *c.public_key);
  return 0;
}
