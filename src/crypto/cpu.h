// SPDX-License-Identifier: Apache-2.0
// What the CPU offers the hand-written paths (X25519's and P-256's mulx/adcx/adox code).
#pragma once

namespace tern::crypto {

// BMI2 (mulx) and ADX (adcx/adox), from CPUID leaf 7 (clang 14's __builtin_cpu_supports
// does not know "adx"). General-purpose registers only, so there is no OS support to check.
bool cpu_has_bmi2_adx();

// Whether the process runs under valgrind, which executes mulx/adcx/adox but hides ADX from
// CPUID: TERN_X25519_IMPL=adx and TERN_P256_IMPL=adx may then force the ADX paths, so that
// callgrind and the constant-time test reach them (as OPENSSL_ia32cap does for libcrypto).
bool cpu_under_valgrind();

}  // namespace tern::crypto
