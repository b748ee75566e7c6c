#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The API reference: Doxygen on docs/Doxyfile (include/tern/ and docs/guide.md) must not
# print a single warning: every public declaration documented, every comment readable.
# The pages go to a scratch directory, not to build/docs.
# Usage: api_reference.sh SOURCE_DIR [DOXYGEN]
set -uo pipefail

source=$1 doxygen=${2:-doxygen}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cd "$source" || exit 1
log=$({ cat docs/Doxyfile; echo "OUTPUT_DIRECTORY = $out"; } | "$doxygen" - 2>&1)
status=$?
if ((status != 0)) || [[ -n $log ]]; then
  echo "$log"
  echo "FAIL: doxygen docs/Doxyfile: exit status $status, $(grep -c . <<<"$log") line(s) of" \
    "warnings"
  exit 1
fi
[[ -f $out/html/index.html ]] || { echo "FAIL: no html/index.html"; exit 1; }
echo "ok: the API reference builds without a warning"
