// SPDX-License-Identifier: Apache-2.0
// The per-path entry points behind x25519.h, and the Edwards base-point table with the
// function that computes it (used by tests/tools/gen_x25519_table.cpp, which wrote
// base_table.cpp, and by the unit test that checks that file).
#pragma once

#include <cstdint>

#include "crypto/x25519/curve.h"
#include "crypto/x25519/x25519.h"

namespace tern::crypto::x25519 {

extern const BaseTable kBaseTable;  // base_table.cpp (generated)

// Computes kBaseTable from the curve's definition (variable time: public data only).
void compute_base_table(BaseTable& out);

// set_implementation without the CPU check, for tests/ct/x25519_ct_check.cpp only:
// valgrind 3.19 runs mulx/adcx/adox but hides the ADX bit of CPUID from the program, so
// the checker forces the path when its script has seen "adx" in /proc/cpuinfo.
void force_implementation(Implementation i);

// u-coordinates (not yet frozen) of k·B and k·P for a clamped k, P's u masked to 255 bits.
namespace portable {
Fe fixed_base(const uint8_t k[32]);
Fe ladder(const uint8_t k[32], const Fe& u);
}  // namespace portable
namespace adx {
Fe fixed_base(const uint8_t k[32]);
Fe ladder(const uint8_t k[32], const Fe& u);
}  // namespace adx

}  // namespace tern::crypto::x25519
