// SPDX-License-Identifier: Apache-2.0
// The out-of-line ADX multiplication and squaring (field_adx.h), compiled for BMI2 and ADX.
#include "crypto/p256/field_adx.h"

namespace tern::crypto::p256 {

#if defined(TERN_P256_HAVE_ADX_ASM)

__attribute__((target("bmi2,adx"))) void fe_mul_adx(Fe& r, const Fe& a, const Fe& b) {
  fe_mul_adx_inline(r, a, b);
}
__attribute__((target("bmi2,adx"))) void fe_sqr_adx(Fe& r, const Fe& a) {
  fe_sqr_adx_inline(r, a);
}

#else

void fe_mul_adx(Fe& r, const Fe& a, const Fe& b) { fe_mul_portable(r, a, b); }
void fe_sqr_adx(Fe& r, const Fe& a) { fe_sqr_portable(r, a); }

#endif

}  // namespace tern::crypto::p256
