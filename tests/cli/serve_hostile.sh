#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve` under hostile clients (hostile_client.py): garbage, truncated and oversized
# records, messages out of order, a ClientHello in one-byte records, and 2000 connections
# stalled mid-handshake while curl is still served. The server must answer each with the
# right alert or a close, never hang, and keep serving everyone else.
# Usage: bash tests/cli/serve_hostile.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_hostile "$@"
stalled=2000
# Room for the stalled connections in tern serve (it inherits the limit) and the client.
ulimit -n "$(ulimit -Hn)" 2>/dev/null
if (($(ulimit -n) < stalled + 200)); then
  echo "not ok - the open-file limit ($(ulimit -n)) is too low for $stalled connections"
  exit 1
fi
make_pki
make_docroot
start_serve --handshake-timeout 10 --max-connections 5000 --max-connections-per-ip 0
hostile=(timeout 120 python3 "$lib_dir/hostile_client.py" "$port" "$pki/root.pem")

run_case() {
  out=$("${hostile[@]}" "$@" 2>&1)
  status=$?
  printf '%s\n' "$out"
  checks=$((checks + $(grep -c '^\(not \)\?ok - ' <<<"$out")))
  failures=$((failures + $(grep -c '^not ok - ' <<<"$out")))
}
curl_ok() {
  out=$(curl -sS --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1" --max-time 30 \
    "https://localhost:$port/small.txt" 2>&1)
  status=$?
  exit_is 0 && [[ $out == "$(cat "$www/small.txt")" ]]
}

run_case records
check "bad records: the hostile client finished" exit_is 0
run_case split-hello
check "split ClientHello: the hostile client finished" exit_is 0
check "after the bad records, curl is still served" curl_ok

# The stalled connections stay open while curl fetches; then the client waits for the
# server's handshake timeout (10 s) to close them all.
mkfifo "$work/stall.in"
"${hostile[@]}" stall "$stalled" <"$work/stall.in" >"$work/stall.out" 2>&1 &
stall_pid=$!
background_pids+=("$stall_pid")
exec {stall_in}>"$work/stall.in"
for ((i = 0; i < 900; i++)); do  # at most 90 s to open them all
  grep -q '^stalled ' "$work/stall.out" && break
  kill -0 "$stall_pid" 2>/dev/null || break
  sleep 0.1
done
out=$(cat "$work/stall.out")
check "$stalled connections stalled mid-handshake" says "stalled $stalled"
check "curl is served while $stalled handshakes stall" curl_ok
echo >&"$stall_in"
exec {stall_in}>&-
wait "$stall_pid"
status=$?
out=$(cat "$work/stall.out")
printf '%s\n' "$out"
checks=$((checks + $(grep -c '^\(not \)\?ok - ' <<<"$out")))
failures=$((failures + $(grep -c '^not ok - ' <<<"$out")))
check "stall: the hostile client finished" exit_is 0
check "after the stalls, curl is still served" curl_ok

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
if grep -qiE 'AddressSanitizer|LeakSanitizer|runtime error|Segmentation' "$serve_err"; then
  out=$(cat "$serve_err")
  check "no sanitizer report or crash in tern serve's stderr" false
fi
finish
