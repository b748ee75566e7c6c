#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every fuzz target in BUILD_DIR for SECONDS each, from its seed corpus in fuzz/corpus/
# when there is one. Fails if any target finds a crash, leak or timeout.
set -euo pipefail
build=$(cd "${1:?usage: run-fuzzers.sh BUILD_DIR SECONDS}" && pwd)
seconds=${2:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
for target in "$build"/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target" | sed 's/^fuzz_//')
  work=$(mktemp -d)
  seeds=()
  [ -d "$root/fuzz/corpus/$name" ] && seeds=("$root/fuzz/corpus/$name")
  echo "fuzz $name: ${seconds}s"
  if ! (cd "$work" && "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=0 "$work" "${seeds[@]}" >"$work/log" 2>&1); then
    echo "fuzz $name FAILED:"; tail -40 "$work/log"; status=1
  else
    grep -E '^Done [0-9]+ runs' "$work/log" | tail -1 || true
  fi
  rm -rf "$work"
done
exit $status
