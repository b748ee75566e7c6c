#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every fuzz target in BUILD_DIR for SECONDS each, from its seed corpus in fuzz/corpus/
# when there is one, JOBS targets at a time (default 2). Fails if any target finds a crash,
# leak or timeout.
set -euo pipefail
build=$(cd "${1:?usage: run-fuzzers.sh BUILD_DIR [SECONDS] [JOBS]}" && pwd)
seconds=${2:-30}
jobs=${3:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# run_target TARGET: one target in its own directory; its report in $logs/NAME.
run_target() {
  local target=$1 name work
  name=$(basename "$target" | sed 's/^fuzz_//')
  work=$(mktemp -d)
  local seeds=()
  [ -d "$root/fuzz/corpus/$name" ] && seeds=("$root/fuzz/corpus/$name")
  if (cd "$work" && timeout $((seconds + 120)) "$target" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=0 "$work" "${seeds[@]}" >"$work/log" 2>&1); then
    echo "fuzz $name: ${seconds}s, $(grep -E '^Done [0-9]+ runs' "$work/log" | tail -1)" >"$logs/$name"
  else
    { echo "fuzz $name FAILED:"; tail -40 "$work/log"; } >"$logs/$name.failed"
  fi
  rm -rf "$work"
}

running=0
for target in "$build"/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  run_target "$target" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait
cat "$logs"/* 2>/dev/null || true
if compgen -G "$logs/*.failed" >/dev/null; then exit 1; fi
