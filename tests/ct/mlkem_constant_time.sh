#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ML-KEM is constant time with respect to its secrets: run KeyGen/Encaps/Decaps with the
# secrets marked undefined under valgrind's memcheck, which reports any branch or memory
# index that depends on them (tests/ct/mlkem_ct_check.cpp). $1 is the checker binary.
# Registered only in non-sanitizer builds: valgrind cannot run ASan binaries.
set -euo pipefail
checker=${1:?usage: mlkem_constant_time.sh /path/to/mlkem_ct_check}
if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed" >&2
  exit 1
fi
valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes --quiet "$checker"
echo "valgrind found no secret-dependent branch or memory index"
