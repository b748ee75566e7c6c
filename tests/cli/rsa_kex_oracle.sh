#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A Bleichenbacher-oracle probe of RSA key transport (RFC 5246 7.4.7.1), rsa_kex_oracle.py:
# first against leaky_rsa_server.py (a deliberate oracle: the probe must flag it), then
# against openssl s_server -tls1_2 -cipher AES128-GCM-SHA256 (the reference: the probe
# must find its answers indistinguishable and complete a handshake with its own keys), then
# against tern serve --legacy-rsa-kex with the RSA leaf. Also: tern serve without the flag
# answers an RSA-only ClientHello with handshake_failure.
# Usage: bash tests/cli/rsa_kex_oracle.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init rsa_kex_oracle "$@"
if ! python3 -c 'import cryptography' 2>/dev/null; then
  echo "not ok - python3 cannot import cryptography (make deps installs python3-cryptography)"
  exit 1
fi
make_pki
make_docroot
cd "$work"
cat "$pki/leaf-rsa.pem" "$pki/chain.pem" >"$pki/fullchain-rsa.pem"
# 30 rounds, within 20 s a probe (fewer on a slow machine or a sanitizer build: every round
# still compares all 8 variants).
rounds=30

# probe NAME PORT: runs the probe; its ok/not ok lines count here, prefixed with NAME.
probe() {
  out=$(timeout 80 python3 "$lib_dir/rsa_kex_oracle.py" "$2" probe "$rounds" 20 2>&1)
  status=$?
  out=$(sed -e "s/^ok - /ok - $1: /" -e "s/^not ok - /not ok - $1: /" -e "s/^# /# $1: /" <<<"$out")
  printf '%s\n' "$out"
  count_tap
  check "$1: probe finished (exit 0)" exit_is 0
}

# --- negative control: leaky_rsa_server.py answers bad padding with decrypt_error ---
timeout 100 python3 "$lib_dir/leaky_rsa_server.py" "$pki/leaf-rsa.pem" "$pki/chain.pem" \
  "$pki/leaf-rsa.key" >leaky.port 2>leaky.err &
leaky_pid=$!
background_pids+=("$leaky_pid")
for ((i = 0; i < 100; i++)); do [[ -s leaky.port ]] && break; sleep 0.1; done
out=$(timeout 60 python3 "$lib_dir/rsa_kex_oracle.py" "$(head -n 1 leaky.port)" probe 5 15 2>&1)
status=$?
check "negative control: the probe completes a handshake with a deliberately leaky server" \
  says "ok - positive control: a valid ClientKeyExchange with the matching Finished completes"
check "negative control: the probe flags the leaky server (decrypt_error for bad padding)" \
  eval 'exit_is 1 && says "not ok - every malformed or unknown premaster gets the identical response" && says "alert fatal decrypt_error"'
kill "$leaky_pid" 2>/dev/null
wait "$leaky_pid" 2>/dev/null

# --- the reference ---
port=$(free_port)
(cd "$www" && exec timeout 200 openssl s_server -accept "127.0.0.1:$port" \
  -cert "$pki/leaf-rsa.pem" -key "$pki/leaf-rsa.key" -cert_chain "$pki/chain.pem" -tls1_2 \
  -cipher AES128-GCM-SHA256 -quiet -WWW >"$work/s_server.out" 2>&1) &
s_server_pid=$!
background_pids+=("$s_server_pid")
wait_port "$port" || { echo "not ok - openssl s_server did not start"; exit 1; }
probe "openssl s_server (reference)" "$port"
kill "$s_server_pid" 2>/dev/null
wait "$s_server_pid" 2>/dev/null

# --- tern serve without --legacy-rsa-kex: no RSA key transport at all ---
start_serve_with "$pki/fullchain-rsa.pem" "$pki/leaf-rsa.key"
out=$(timeout 20 python3 "$lib_dir/rsa_kex_oracle.py" "$port" hello 2>&1)
status=$?
check "tern serve without --legacy-rsa-kex: RSA-only ClientHello gets a fatal handshake_failure" \
  eval 'exit_is 0 && says "answer: alert fatal handshake_failure"'
note "without --legacy-rsa-kex: $out"

# --- tern serve --legacy-rsa-kex ---
start_serve_with "$pki/fullchain-rsa.pem" "$pki/leaf-rsa.key" --legacy-rsa-kex
probe "tern serve --legacy-rsa-kex" "$port"
check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
