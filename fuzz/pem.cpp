// SPDX-License-Identifier: Apache-2.0
// Fuzzes the PEM reader and the bundle loaders on top of it: certificate and CRL bundles
// and private key files. Must never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>

#include "base/encoding.h"
#include "x509/certificate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  BytesView input(data, size);
  auto blocks = base::parse_pem(as_chars(input));
  if (blocks.ok())
    for (const auto& b : *blocks) (void)base::to_pem(b.label, b.der);
  if (auto certs = x509::parse_certificates(input); certs.ok())
    for (const auto& c : *certs) (void)c->display_name();
  (void)x509::parse_crls(input);
  (void)x509::parse_private_key(input);
  return 0;
}
