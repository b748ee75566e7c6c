// SPDX-License-Identifier: Apache-2.0
// Fuzzes the strict DER helpers of src/x509 one by one on the same input: times, integers,
// booleans, BIT STRINGs, OIDs (and their dotted printing), Names, GeneralNames, Extensions
// and signature AlgorithmIdentifiers. Must never crash, hang or read out of bounds.
#include "x509/der.h"

#include <cstddef>
#include <cstdint>
#include <vector>

#include "x509/certificate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  using base::Reader;
  BytesView input(data, size);
  // Every element at every depth, walked with an explicit bounded work list.
  std::vector<BytesView> work{input};
  for (size_t steps = 0; !work.empty() && steps < 4096; ++steps) {
    Reader r(work.back());
    work.pop_back();
    while (!r.empty()) {
      uint8_t tag;
      BytesView contents;
      if (!r.der_any(tag, contents)) break;
      if (tag & base::der::kConstructed) work.push_back(contents);
      (void)x509::der::parse_time(tag, contents, "time");
      (void)x509::der::check_integer(contents, "integer");
      (void)x509::der::check_bit_string(contents, "bits");
      (void)x509::der::valid_string(tag, contents);
      if (x509::der::valid_oid(contents)) (void)x509::oid::describe(contents);
      (void)x509::der::signature_algorithm(contents, "algorithm");
      (void)x509::der::extensions(contents, "extensions");
      if (auto names = x509::der::general_names(contents, "names"); names.ok())
        for (const auto& g : *names)
          if (g.directory) (void)g.directory->to_string();
    }
  }
  {
    Reader r(input);
    (void)x509::der::boolean(r, "boolean");
    (void)x509::der::time(r, "time");
    (void)x509::der::small_uint(r, "uint", UINT32_MAX);
  }
  (void)x509::oid::to_string(input);
  if (auto name = x509::der::name(input, "name"); name.ok()) {
    (void)name->to_string();
    (void)name->common_name();
    (void)x509::names_match(*name, *name);
  }
  return 0;
}
