#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks that every file of reference/ is byte for byte its source: each line of
# reference/SHA256SUMS names a source file and its SHA-256; the repository holds the file
# itself, or, for one over 1 MiB, FILE.gz, whose decompressed contents are checked.
set -euo pipefail
cd "$(dirname "$0")/reference"
failures=0 checked=0
while read -r sum name; do
  if [[ -f $name ]]; then
    got=$(sha256sum <"$name")
  elif [[ -f $name.gz ]]; then
    got=$(gzip -dc "$name.gz" | sha256sum)
  else
    echo "missing: $name (nor $name.gz)"
    failures=$((failures + 1))
    continue
  fi
  checked=$((checked + 1))
  if [[ ${got%% *} != "$sum" ]]; then
    echo "changed: $name"
    failures=$((failures + 1))
  fi
done <SHA256SUMS
echo "$checked files checked, $failures problems"
((failures == 0 && checked > 0))
