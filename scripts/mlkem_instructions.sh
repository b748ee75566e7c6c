#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Instructions (callgrind's Ir) per ML-KEM KeyGen, Encaps and Decaps, for each path this
# CPU runs. Each operation runs N+1 and 1 times under callgrind on fixed inputs
# (bench_mlkem --ir-op); the difference divided by N leaves out start-up and set-up.
#   scripts/mlkem_instructions.sh BUILD_DIR [VARIANT (512|768|1024)] [N]
set -euo pipefail
build=${1:?usage: mlkem_instructions.sh BUILD_DIR [512|768|1024] [N]}
variant=${2:-768}
n=${3:-20}
bench="$build/bench/bench_mlkem"
[[ -x $bench ]] || { echo "no $bench (build the release preset first)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

total_ir() {  # op impl count
  valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$bench" --ir-op="$1" \
    --ir-impl="$2" --ir-variant="$variant" --ir-count="$3" >/dev/null 2>"$tmp/log" ||
    { cat "$tmp/log" >&2; return 1; }
  sed -n 's/^summary: //p' "$tmp/out"
}

printf "ML-KEM-%s, Ir per operation (callgrind, mean of %d)\n" "$variant" "$n"
printf "%-9s %10s %10s %10s\n" path KeyGen Encaps Decaps
for impl in portable avx2; do
  if ! "$bench" --ir-op=keygen --ir-impl="$impl" --ir-count=1 >/dev/null 2>&1; then
    printf "%-9s (not supported on this CPU)\n" "$impl"
    continue
  fi
  row=$(printf "%-9s" "$impl")
  for op in keygen encaps decaps; do
    one=$(total_ir "$op" "$impl" 1)
    many=$(total_ir "$op" "$impl" $((n + 1)))
    row+=$(printf " %10d" $(((many - one) / n)))
  done
  echo "$row"
done
