#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Instructions per handshake, tern and OpenSSL libssl, counted by callgrind (issue 7).
#
#   scripts/callgrind_handshake.sh BUILD_DIR [CASES] [HANDSHAKES]
#   scripts/callgrind_handshake.sh build/release              # cases 1a 1c 2, 20 handshakes
#   scripts/callgrind_handshake.sh build/release "1a 1b" 50
#
# For each case and library, runs BUILD_DIR/bench/tern-bench --callgrind CASE --library LIB
# under valgrind --tool=callgrind --collect-atstart=no: the bench sets up (PKI, configs or
# SSL_CTXs, warm-up handshakes) with collection off and toggles it on around the N
# handshakes only. Each handshake creates and frees both endpoints, client and server, so
# the figure is client + server. For every case but 2b the libcrypto floor is counted too
# (X25519 both sides, then for 1a/1c one ECDSA sign and two verifies, for 1b one RSA-PSS
# sign, its verify and the leaf's PKCS#1 verify; 2 has none), and OpenSSL over it: the
# most a library on libcrypto can save. tern runs twice, on its own X25519 and P-256
# verification (tern) and on libcrypto's (tern-libcrypto), and the floor is counted twice
# too, of libcrypto's primitives (floor) and of tern's (floor-own). The count is
# deterministic up to the random bytes (key shares, signatures). valgrind hides BMI2/ADX
# from CPUID; on a host that has them, OpenSSL (OPENSSL_ia32cap) and tern
# (TERN_X25519_IMPL, TERN_P256_IMPL) are told to take their mulx/adcx/adox code, as they
# do outside valgrind.
set -euo pipefail
build=${1:?usage: callgrind_handshake.sh BUILD_DIR [CASES] [HANDSHAKES]}
cases=${2:-1a 1c 2}
n=${3:-20}
bench="$build/bench/tern-bench"
[[ -x $bench ]] || { echo "callgrind_handshake: $bench not found; build the tern-bench target" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "callgrind_handshake: valgrind is not installed" >&2; exit 2; }
if grep -qw adx /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo; then
  export OPENSSL_ia32cap=:0x80100 TERN_X25519_IMPL=adx TERN_P256_IMPL=adx  # BMI2 | ADX
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tern-callgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Instructions collected in one run: the "summary:" (or "totals:") line of the output file.
count() {
  local case=$1 library=$2 out="$work/callgrind.$1.$2"
  if ! valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out" \
      "$bench" --callgrind "$case" --library "$library" --iterations "$n" \
      >"$work/stdout" 2>"$work/stderr"; then
    echo "callgrind_handshake: $library $case failed:" >&2
    tail -n 20 "$work/stderr" >&2
    return 1
  fi
  if ! grep -q "callgrind_toggles 1" "$work/stdout"; then
    echo "callgrind_handshake: $library $case: unsupported or built without valgrind/callgrind.h" >&2
    cat "$work/stdout" "$work/stderr" >&2
    return 1
  fi
  awk '/^(summary|totals):/ { print $2; exit }' "$out"
}

# Per case: OpenSSL, tern and tern/OpenSSL; the floor, tern/floor and OpenSSL/floor; 1a-pq
# (OpenSSL 3.0 has no ML-KEM) is tern only, as a ratio to tern's 1a.
printf '%-6s %-14s %16s  %s\n' case library instructions/hs ratio
tern_1a=""
for case in $cases; do
  if [[ $case == 1a-pq ]]; then
    t=$(count 1a-pq tern) && t=$((t / n)) || t=""
    [[ -n $tern_1a ]] || { tern_1a=$(count 1a tern) && tern_1a=$((tern_1a / n)) || tern_1a=""; }
    ratio="-"
    if [[ -n $t && -n $tern_1a ]]; then ratio="tern 1a-pq/1a $(awk -v t="$t" -v b="$tern_1a" 'BEGIN { printf "%.3f", t / b }')"; fi
    printf '%-6s %-14s %16s  %s\n' 1a-pq tern "${t:-failed}" "$ratio"
    continue
  fi
  o=$(count "$case" openssl) && o=$((o / n)) || o=""
  t=$(count "$case" tern) && t=$((t / n)) || t=""
  ratio="-"
  if [[ -n $t && -n $o ]]; then ratio="tern/openssl $(awk -v t="$t" -v o="$o" 'BEGIN { printf "%.3f", t / o }')"; fi
  tl=$(count "$case" tern-libcrypto) && tl=$((tl / n)) || tl=""
  ratio_tl="-"
  if [[ -n $tl && -n $o ]]; then ratio_tl="tern-libcrypto/openssl $(awk -v t="$tl" -v o="$o" 'BEGIN { printf "%.3f", t / o }')"; fi
  printf '%-6s %-14s %16s\n' "$case" openssl "${o:-failed}"
  printf '%-6s %-14s %16s  %s\n' "$case" tern "${t:-failed}" "$ratio"
  printf '%-6s %-14s %16s  %s\n' "$case" tern-libcrypto "${tl:-failed}" "$ratio_tl"
  [[ $case == 1a ]] && tern_1a=$t
  if [[ $case != 2b ]]; then
    f=$(count "$case" floor) && f=$((f / n)) || f=""
    ratio="-"
    if [[ -n $tl && -n $f && -n $o ]]; then
      ratio="tern-libcrypto/floor $(awk -v t="$tl" -v f="$f" 'BEGIN { printf "%.3f", t / f }')"
      ratio+=", openssl/floor $(awk -v o="$o" -v f="$f" 'BEGIN { printf "%.3f", o / f }')"
    fi
    printf '%-6s %-14s %16s  %s\n' "$case" floor "${f:-failed}" "$ratio"
    fo=$(count "$case" floor-own) && fo=$((fo / n)) || fo=""
    ratio="-"
    if [[ -n $t && -n $fo ]]; then ratio="tern/floor-own $(awk -v t="$t" -v f="$fo" 'BEGIN { printf "%.3f", t / f }')"; fi
    printf '%-6s %-14s %16s  %s\n' "$case" floor-own "${fo:-failed}" "$ratio"
  fi
done
