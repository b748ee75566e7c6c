// SPDX-License-Identifier: Apache-2.0
// Fuzzes path building: the input is a run of DER elements, each parsed as a certificate.
// The first that parses is the leaf, the last also serves as the trust anchor, and all of
// them (the leaf included) are offered as intermediates. Must never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/reader.h"
#include "x509/certificate.h"
#include "x509/verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  base::Reader reader(BytesView(data, size));
  std::vector<std::shared_ptr<const x509::Certificate>> certs;
  while (!reader.empty() && certs.size() < 64) {
    uint8_t tag;
    BytesView contents, element;
    if (!reader.der_any_element(tag, contents, element)) break;
    auto cert = x509::parse_certificate(element);
    if (cert) certs.push_back(std::move(*cert));
  }
  if (certs.empty()) return 0;

  std::vector<const x509::Certificate*> intermediates, anchors;
  for (const auto& cert : certs) intermediates.push_back(cert.get());
  anchors.push_back(certs.back().get());

  x509::PathOptions options;
  options.time = 1700000000;
  options.reference = (size & 1) ? "example.com" : "192.0.2.1";
  options.max_intermediates = 16;
  x509::PathStats stats;
  auto result = x509::build_and_validate(*certs.front(), intermediates, anchors, {}, options,
                                         x509::PathBudget{}, &stats);
  (void)result;
  return 0;
}
