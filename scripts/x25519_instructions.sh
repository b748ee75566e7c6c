#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Instructions (callgrind's Ir) per X25519 operation, tern's paths against libcrypto:
# keygen/derive are the primitive, share-keygen/share-derive the provider's key share
# (what a handshake pays). Each runs N+1 and 1 times under callgrind on fixed inputs
# (bench_x25519 --ir-op); the difference divided by N leaves out start-up and set-up.
# valgrind hides ADX from CPUID, which sends libcrypto to its mulq code; on a host with
# BMI2 and ADX the row "libcrypto-adx" sets OPENSSL_ia32cap so that it takes its
# mulx/adcx/adox code, as it does outside valgrind (tern's adx path is forced likewise).
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
  local env=()
  if [[ $2 == libcrypto-adx ]]; then env=(env OPENSSL_ia32cap=:0x80100); fi  # BMI2 | ADX
  "${env[@]}" valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$bench" --ir-op="$1" \
    --ir-impl="${2%-adx}" --ir-count="$3" >/dev/null 2>"$tmp/log" ||
    { cat "$tmp/log" >&2; return 1; }
  sed -n 's/^summary: //p' "$tmp/out"
}

impls=(portable libcrypto)
if grep -qw adx /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo; then impls=(portable adx libcrypto libcrypto-adx); fi
printf "X25519, Ir per operation (callgrind, mean of %d)\n" "$n"
printf "%-14s %13s %13s %13s %13s\n" path keygen derive share-keygen share-derive
for impl in "${impls[@]}"; do
  row=$(printf "%-14s" "$impl")
  for op in keygen derive share-keygen share-derive; do
    one=$(total_ir "$op" "$impl" 1)
    many=$(total_ir "$op" "$impl" $((n + 1)))
    row+=$(printf " %13d" $(((many - one) / n)))
  done
  echo "$row"
done
