// SPDX-License-Identifier: Apache-2.0
// The BMI2/ADX path: curve.h over AdxField. Called only when adx_supported().
#include "crypto/x25519/field_adx.h"
#include "crypto/x25519/impl.h"

#define TERN_ADX __attribute__((target("bmi2,adx")))

namespace tern::crypto::x25519::adx {

TERN_ADX Fe fixed_base(const uint8_t k[32]) {
  return x25519::fixed_base<AdxField>(k, kBaseTable);
}

TERN_ADX Fe ladder(const uint8_t k[32], const Fe& u) {
  return montgomery_ladder<AdxField>(k, u);
}

}  // namespace tern::crypto::x25519::adx
