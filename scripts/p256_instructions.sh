#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Instructions (callgrind's Ir) per ECDSA P-256 verification through PublicKey::verify
# (SHA-256 of a 100-byte message, DER parse, verify): tern's portable and ADX paths and
# libcrypto's EVP_DigestVerify. Each runs N+1 and 1 times under callgrind
# (bench_p256_verify --ir-impl); the difference divided by N leaves out start-up and set-up.
# valgrind hides ADX from CPUID, which sends libcrypto to its mulq code; on a host with
# BMI2 and ADX the row "libcrypto-adx" sets OPENSSL_ia32cap so that it takes its
# mulx/adcx/adox code, as it does outside valgrind (tern's adx path is forced likewise).
#   scripts/p256_instructions.sh BUILD_DIR [N]
set -euo pipefail
build=${1:?usage: p256_instructions.sh BUILD_DIR [N]}
n=${2:-50}
bench="$build/bench/bench_p256_verify"
[[ -x $bench ]] || { echo "no $bench (build the release preset first)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

total_ir() {  # impl count
  local env=()
  if [[ $1 == libcrypto-adx ]]; then env=(env OPENSSL_ia32cap=:0x80100); fi  # BMI2 | ADX
  "${env[@]}" valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$bench" \
    --ir-impl="${1%-adx}" --ir-count="$2" >/dev/null 2>"$tmp/log" ||
    { cat "$tmp/log" >&2; return 1; }
  sed -n 's/^summary: //p' "$tmp/out"
}

printf "ECDSA P-256 verify, Ir per verification (callgrind, mean of %d)\n" "$n"
impls=(portable libcrypto)
if grep -qw adx /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo; then impls=(portable adx libcrypto libcrypto-adx); fi
for impl in "${impls[@]}"; do
  one=$(total_ir "$impl" 1)
  many=$(total_ir "$impl" $((n + 1)))
  printf "%-14s %10d\n" "$impl" $(((many - one) / n))
done
