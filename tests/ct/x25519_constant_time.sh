#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# X25519 is constant time with respect to the scalar: run key generation and the shared
# secret with the scalars marked undefined under valgrind's memcheck, which reports any
# branch or memory index that depends on them (tests/ct/x25519_ct_check.cpp), on every
# path. $1 is the checker binary.
# Registered only in non-sanitizer builds: valgrind cannot run ASan binaries.
set -euo pipefail
checker=${1:?usage: x25519_constant_time.sh /path/to/x25519_ct_check}
if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed" >&2
  exit 1
fi
# valgrind runs mulx/adcx/adox but hides ADX from CPUID: tell the checker what the host has.
args=()
if grep -qw adx /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo; then args=(--force-adx); fi
valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes --quiet "$checker" "${args[@]}"
echo "valgrind found no secret-dependent branch or memory index"
