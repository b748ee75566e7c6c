#!/usr/bin/env bash
# ML-KEM is constant time with respect to its secrets: run KeyGen/Encaps/Decaps with the
# secrets marked undefined under valgrind's memcheck, which reports any branch or memory
# index that depends on them (tests/ct/mlkem_ct_check.cpp). $1 is the tern binary; the
# checker is built next to the tests in the same build directory.
set -euo pipefail
build_dir=$(cd "$(dirname "$1")" && pwd)
checker="$build_dir/tests/mlkem_ct_check"
if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed" >&2
  exit 1
fi
if [[ ! -x "$checker" ]]; then
  echo "missing $checker (build the mlkem_ct_check target)" >&2
  exit 1
fi
valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes --quiet "$checker"
