#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What `tern get` must refuse, each with a clear message, the right exit code and no hang:
# expired, not-yet-valid, wrong-host and untrusted chains, a missing intermediate, servers
# that speak only TLS 1.1, and servers that send garbage, a garbled ServerHello, a flipped
# bit in an encrypted record or a truncated record.
# Usage: bash tests/cli/client_refuses.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init client_refuses "$@"
make_pki
make_docroot
cd "$work"

# s_server CERT KEY [ARGS...]: openssl s_server -WWW on a free port; sets $port.
s_server() {
  local cert=$1 key=$2
  shift 2
  port=$(free_port)
  (cd "$www" && exec timeout 60 openssl s_server -accept "127.0.0.1:$port" -cert "$cert" \
    -key "$key" -quiet -WWW "$@" >/dev/null 2>&1) &
  background_pids+=($!)
  wait_port "$port" || { echo "not ok - openssl s_server did not start"; exit 1; }
}
get() {
  out=$(timeout 30 "$tern" get --cacert "$pki/root.pem" --max-time 3 \
    "https://localhost:$1/small.txt" 2>&1 >/dev/null)
  status=$?
}
refused() {  # CODE TEXT: exit code CODE and the message contains TEXT
  exit_is "$1" && says "$2"
}

s_server "$pki/expired.pem" "$pki/expired.key" -cert_chain "$pki/chain.pem"
get "$port"
check "expired certificate: exit 60" eval 'refused 60 "expired"'
note "expired: $out"
s_server "$pki/future.pem" "$pki/future.key" -cert_chain "$pki/chain.pem"
get "$port"
check "not yet valid certificate: exit 60" eval 'refused 60 "not valid"'
note "not yet valid: $out"
s_server "$pki/wrong-name.pem" "$pki/wrong-name.key" -cert_chain "$pki/chain.pem"
get "$port"
check "wrong host name: exit 60" eval 'refused 60 "not valid for localhost"'
note "wrong host: $out"
s_server "$pki/other-leaf.pem" "$pki/other-leaf.key"
get "$port"
check "untrusted root: exit 60" eval 'refused 60 "trusted root"'
note "untrusted root: $out"
s_server "$pki/leaf.pem" "$pki/leaf.key"
get "$port"
check "missing intermediate: exit 60" eval 'refused 60 "trusted root"'
note "missing intermediate: $out"
s_server "$pki/leaf.pem" "$pki/leaf.key" -cert_chain "$pki/chain.pem" -tls1_1 \
  -cipher 'DEFAULT:@SECLEVEL=0'
get "$port"
check "TLS 1.1-only server: exit 35" eval 'refused 35 "protocol_version"'
note "TLS 1.1 only: $out"

# Behind a hostile proxy in front of a good server (a fresh one each time: s_server serves
# one connection at a time, and the proxy leaves its upstream hanging).
declare -A expect=([garbage]="not speaking TLS" [garble-hello]="did not offer"
  [flip]="failed authentication" [truncate]="timed out")
# curl's codes: a handshake that fails is 35, a wait that runs out is 28.
declare -A code=([garbage]=35 [garble-hello]=35 [flip]=35 [truncate]=28)
for mode in garbage garble-hello flip truncate; do
  s_server "$pki/leaf.pem" "$pki/leaf.key" -cert_chain "$pki/chain.pem"
  upstream=$port
  timeout 40 python3 "$lib_dir/hostile_server.py" "$mode" "$upstream" >"proxy-$mode.port" 2>&1 &
  background_pids+=($!)
  for ((i = 0; i < 100; i++)); do [[ -s proxy-$mode.port ]] && break; sleep 0.1; done
  get "$(head -n 1 "proxy-$mode.port")"
  check "hostile server ($mode): exit ${code[$mode]}, never a hang" eval 'exit_is ${code[$mode]} && says "${expect[$mode]}"'
  note "$mode: $out"
done
# A server that dribbles: every wait is short but the transfer never ends. -m bounds the
# whole transfer, as curl's does.
drip_port=$(free_port)
timeout 60 python3 - "$pki/leaf.pem" "$pki/leaf.key" "$pki/chain.pem" "$drip_port" >drip.out 2>&1 <<'PY' &
import socket, ssl, sys, time
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
open("full.pem", "w").write(open(sys.argv[1]).read() + open(sys.argv[3]).read())
context.load_cert_chain("full.pem", sys.argv[2])
listener = socket.create_server(("127.0.0.1", int(sys.argv[4])))
print("ready", flush=True)
connection, _ = listener.accept()
with context.wrap_socket(connection, server_side=True) as tls:
    tls.recv(4096)
    tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
    for _ in range(100):
        tls.sendall(b"x")
        time.sleep(0.2)
PY
background_pids+=($!)
for ((i = 0; i < 100; i++)); do grep -q ready drip.out 2>/dev/null && break; sleep 0.1; done
out=$(timeout 30 "$tern" get --cacert "$pki/root.pem" -m 2 "https://localhost:$drip_port/" \
  2>&1 >/dev/null)
status=$?
check "a dribbling server: -m 2 ends the whole transfer (exit 28, says so)" \
  eval 'exit_is 28 && says "time limit for the whole transfer"'
note "dribbling server: $out"
finish
