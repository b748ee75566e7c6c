#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve --access-log FILE --log-format combined`: curl's request logged in the
# Combined Log Format with its user agent, a hostile referer escaped; the file's mode; a
# symlink refused. Failed handshakes (openssl s_client offering only a cipher suite tern does
# not do): one line each with the reason, and the rate limit accounts for every failure.
# Usage: bash tests/cli/serve_access_log.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_access_log "$@"
make_pki
make_docroot
cd "$work"
ln -s "$work/elsewhere.log" "$work/link.log"
out=$(timeout 20 "$tern" serve "$www" --cert "$pki/fullchain.pem" --key "$pki/leaf.key" \
  --port 0 --access-log "$work/link.log" 2>&1)
status=$?
check "--access-log to a symlink: refused (exit 2), saying why" \
  eval 'exit_is 2 && says "symlink" && [[ ! -e $work/elsewhere.log ]]'

umask 022
start_serve --workers 1 --access-log "$work/access.log" --log-format combined
curl -sS --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1" --max-time 30 \
  -A 'test-agent/1.0' -e 'https://ref.example/"quoted"' -o /dev/null "https://localhost:$port/small.txt"
out=$(cat access.log 2>&1)
check "combined format: host - - [date] \"request\" status bytes \"referer\" \"user-agent\"" \
  eval 'grep -qE "^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0000\] \"GET /small.txt HTTP/(1.1|2)\" 200 [0-9]+ \"https://ref.example/\\\\\"quoted\\\\\"\" \"test-agent/1.0\"$" access.log'
check "the access log has mode 0640" eval '[[ $(stat -c %a access.log) == 640 ]]'
check "request lines go to the access log, not stdout" eval '! grep -q "GET /small.txt" "$serve_log"'

# Handshake failures: TLS 1.2 with only AES128-SHA (RSA key transport, refused by tern).
fail_once() {
  timeout 20 openssl s_client -connect "127.0.0.1:$port" -tls1_2 -cipher AES128-SHA \
    </dev/null >/dev/null 2>&1
}
fail_once
for ((i = 0; i < 50; i++)); do
  grep -q "handshake failed" "$serve_log" && break
  sleep 0.1
done
out=$(cat "$serve_log")
check "a refused handshake: one line with the peer and the reason" \
  eval 'grep -qE "^127\.0\.0\.1:[0-9]+ handshake failed: .+" "$serve_log"'
note "$(grep -m1 'handshake failed' "$serve_log")"
started=$(date +%s)
# 30 at once, so that many land within one second and the limit has something to hold back.
pids=()
for ((i = 0; i < 30; i++)); do
  fail_once &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
elapsed=$(($(date +%s) - started))
sleep 1.2
fail_once  # a new second: reports what the limit held back
for ((i = 0; i < 50; i++)); do
  (($(grep -c "handshake failed" "$serve_log") + $(grep -o '^[0-9]* more handshake failures suppressed' "$serve_log" | awk '{s += $1} END {print s + 0}') >= 32)) && break
  sleep 0.1
done
lines=$(grep -c "handshake failed" "$serve_log")
suppressed=$(grep -o '^[0-9]* more handshake failures suppressed' "$serve_log" | awk '{s += $1} END {print s + 0}')
note "32 failed handshakes in about $elapsed s: $lines lines, $suppressed suppressed"
out="lines=$lines suppressed=$suppressed elapsed=$elapsed"
check "every failed handshake is either logged or counted as suppressed" \
  eval '((lines + suppressed == 32))'
check "at most 10 lines a second (per worker)" eval '((lines <= 10 * (elapsed + 3)))'
stop_serve
finish
