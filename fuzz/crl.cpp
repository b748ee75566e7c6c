// SPDX-License-Identifier: Apache-2.0
// Fuzzes the CRL parser (DER). Must never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>

#include "x509/certificate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  auto crl = x509::parse_crl(BytesView(data, size));
  if (!crl.ok()) return 0;
  (void)(*crl)->issuer.to_string();
  for (const auto& x : (*crl)->extensions) (void)x509::oid::describe(x.id);
  return 0;
}
