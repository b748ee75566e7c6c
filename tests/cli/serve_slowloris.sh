#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve` under a small slowloris attack (slowloris.py): TLS connections from 127.0.0.1
# that send a request line and then a header byte every 0.5 s, never ending the head,
# reopened a second after the server closes them. bench/slowloris/run.sh is the full-size
# measurement (10,000 connections, the defaults).
#   1. 20 tricklers, room for all: the request head deadline (--header-timeout 2) closes
#      them although they keep sending (the idle timeout, 60 s, would not).
#      A client that kept its connection alive after a response and sends nothing is
#      closed after --keepalive-timeout 1.
#   2. 50 tricklers, --max-connections 30, no per-address limit: a client from 127.0.0.2
#      is served every time: its connections evict the oldest trickling ones.
#   3. 50 tricklers, --max-connections-per-ip 10: 127.0.0.1 never holds more than 10
#      connections, and 127.0.0.2 is served.
# Usage: bash tests/cli/serve_slowloris.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_slowloris "$@"
ulimit -n "$(ulimit -Hn)" 2>/dev/null
make_pki
make_docroot
slowloris=(python3 "$lib_dir/slowloris.py")

# attack COUNT: starts COUNT tricklers in the background ($attack_pid, $attack_out), for
# at most 90 s.
attack() {
  attack_out=$work/attack.$RANDOM.out
  timeout 120 "${slowloris[@]}" attack "$port" "$pki/root.pem" "$1" 0.5 90 >"$attack_out" \
    2>"$attack_out.err" &
  attack_pid=$!
  background_pids+=("$attack_pid")
}
# attack_field NAME: the attacker's last count of NAME (open, opened, closed, refused).
attack_field() {
  tail -n 1 "$attack_out" | sed -n "s/.*\\b$1 \\([0-9]*\\).*/\\1/p"
}
# wait_attack NAME MIN: waits (at most 60 s) until the attacker's count of NAME is >= MIN.
wait_attack() {
  local i n
  for ((i = 0; i < 600; i++)); do
    n=$(attack_field "$1")
    [[ -n $n ]] && ((n >= $2)) && return 0
    sleep 0.1
  done
  out=$(tail -n 5 "$attack_out")
  return 1
}
# probe: 10 requests from 127.0.0.2; sets $out to the result line.
probe_ok() {
  out=$(timeout 120 "${slowloris[@]}" probe "$port" "$pki/root.pem" 127.0.0.2 10 0.2 10 2>&1)
  status=$?
  note "$out"
  exit_is 0 && says "ok=10 of=10"
}
stop_attack() {
  kill -TERM "$attack_pid" 2>/dev/null
  wait "$attack_pid" 2>/dev/null
}

# keepalive_closed: one request on a kept-alive connection, then silence: the server must
# close it within 20 s (the idle timeout, 60 s, would not).
keepalive_closed() {
  out=$(timeout 60 python3 - "$port" "$pki/root.pem" <<'PY' 2>&1
import socket, ssl, sys, time
ctx = ssl.create_default_context(cafile=sys.argv[2])
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20) as raw:
    with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
        tls.sendall(b"GET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while b"small file served" not in data:
            chunk = tls.recv(65536)
            if not chunk:
                sys.exit("closed before the response")
            data += chunk
        start = time.monotonic()
        try:
            while tls.recv(65536):
                pass
        except socket.timeout:
            sys.exit("still open after 20 s")
        print("closed after %.1f s" % (time.monotonic() - start))
PY
)
  status=$?
  note "$out"
  exit_is 0
}

start_serve --workers 1 --max-connections-per-ip 0 --header-timeout 2 --keepalive-timeout 1
attack 20
check "20 tricklers are connected" wait_attack opened 20
check "the request head deadline closes tricklers that keep sending" wait_attack closed 1
stop_attack
check "the keep-alive deadline closes a silent kept-alive connection" keepalive_closed

start_serve_fresh --workers 1 --max-connections 30 --max-connections-per-ip 0 --header-timeout 30
attack 50
check "the tricklers fill the server (30 connections)" wait_attack open 28
check "a client from another address is served while the tricklers fill the server" probe_ok
note "attacker: $(tail -n 1 "$attack_out")"
stop_attack
check "tern serve still running" serve_alive

start_serve_fresh --workers 2 --max-connections-per-ip 10 --header-timeout 30
attack 50
check "127.0.0.1 gets 10 connections" wait_attack open 10
check "and its connections over 10 are refused" wait_attack refused 1
max_open=$(sed -n 's/^open \([0-9]*\).*/\1/p' "$attack_out" | sort -n | tail -n 1)
out=$(tail -n 3 "$attack_out")
check "127.0.0.1 never held more than 10 connections (most: $max_open)" \
  eval '((max_open <= 10))'
check "a client from another address is served meanwhile" probe_ok
stop_attack

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
