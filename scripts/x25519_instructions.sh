#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Instructions (callgrind's Ir) per X25519 operation, tern's paths against libcrypto:
# keygen/derive are the primitive, share-keygen/share-derive the provider's key share
# (what a handshake pays). Each runs N+1 and 1 times under callgrind on fixed inputs
# (bench_x25519 --ir-op); the difference divided by N leaves out start-up and set-up.
#   scripts/x25519_instructions.sh BUILD_DIR [N]
set -euo pipefail
build=${1:?usage: x25519_instructions.sh BUILD_DIR [N]}
n=${2:-20}
bench="$build/bench/bench_x25519"
[[ -x $bench ]] || { echo "no $bench (build the release preset first)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

total_ir() {  # op impl count
  valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$bench" --ir-op="$1" \
    --ir-impl="$2" --ir-count="$3" >/dev/null 2>"$tmp/log" ||
    { cat "$tmp/log" >&2; return 1; }
  sed -n 's/^summary: //p' "$tmp/out"
}

impls=(portable libcrypto)
if grep -qw adx /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo; then impls=(portable adx libcrypto); fi
printf "X25519, Ir per operation (callgrind, mean of %d)\n" "$n"
printf "%-10s %10s %10s %13s %13s\n" path keygen derive share-keygen share-derive
for impl in "${impls[@]}"; do
  row=$(printf "%-10s" "$impl")
  for op in keygen derive share-keygen share-derive; do
    one=$(total_ir "$op" "$impl" 1)
    many=$(total_ir "$op" "$impl" $((n + 1)))
    row+=$(printf " %10d" $(((many - one) / n)))
  done
  echo "$row"
done
