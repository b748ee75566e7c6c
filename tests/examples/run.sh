#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The example programs (examples/*.cpp) against real peers, with throw-away certificates from
# `tern ca`: https_get and poll_client against `tern serve` and `openssl s_server -www`;
# mtls_client against `tern serve --require-client-cert` and `openssl s_server -verify 1`;
# echo_server answered by Python's ssl module and openssl s_client, stopping by itself after
# --exit-after N connections and on SIGTERM. Each client also fails once the way a user would
# see it (wrong CA, no or an unknown client certificate, a silent server), with a message
# and a non-zero exit. Loopback only; every wait is bounded, every process killed by its PID.
# Usage: bash tests/examples/run.sh TERN HTTPS_GET POLL_CLIENT ECHO_SERVER MTLS_CLIENT
set -uo pipefail
source "$(dirname "$0")/../cli/lib.sh"
lib_init examples "${1:-}"
if (($# != 5)); then
  echo "not ok - usage: run.sh TERN HTTPS_GET POLL_CLIENT ECHO_SERVER MTLS_CLIENT"
  exit 1
fi
https_get=$(realpath "$2") poll_client=$(realpath "$3") echo_server=$(realpath "$4")
mtls_client=$(realpath "$5")
cd "$work" || exit 1

# --- Certificates: a CA, a server and a client certificate; another CA nobody trusts ---
# tern_ca ARGS...: `tern ca ARGS`, which must succeed.
tern_ca() {
  if ! out=$(timeout 30 "$tern" ca "$@" 2>&1); then
    echo "not ok - tern ca $*"
    printf '%s\n' "$out" | sed 's/^/#   /'
    exit 1
  fi
}
mkdir -p certs other
tern_ca init --dir ca
tern_ca issue --dir ca --out certs localhost 127.0.0.1
tern_ca issue --dir ca --out certs --client client.test
tern_ca init --dir other-ca
tern_ca issue --dir other-ca --out other --client client.test
# The files `tern ca issue` names after the first name (docs/cli.md, "tern ca issue").
server_cert=$work/certs/localhost+1-fullchain.pem server_key=$work/certs/localhost+1-key.pem
client_cert=$work/certs/client.test-client-fullchain.pem
client_key=$work/certs/client.test-client-key.pem
other_client_cert=$work/other/client.test-client-fullchain.pem
other_client_key=$work/other/client.test-client-key.pem
root=$work/ca/root.pem other_root=$work/other-ca/root.pem
for file in "$server_cert" "$server_key" "$client_cert" "$client_key" "$other_client_cert" \
  "$other_client_key" "$root" "$other_root"; do
  [[ -s $file ]] || { echo "not ok - tern ca made no $file"; exit 1; }
done

# lib.sh's start_serve runs `tern serve $www --cert $pki/fullchain.pem --key $pki/leaf.key`.
pki=$work/pki
mkdir -p "$pki"
cp "$server_cert" "$pki/fullchain.pem"
cp "$server_key" "$pki/leaf.key"
make_docroot

# run PROGRAM ARGS...: at most 20 s; stdout in $work/stdout, stderr in $out, exit in $status.
run() {
  out=$(timeout 20 "$@" 2>&1 >"$work/stdout")
  status=$?
}
got_page() { grep -qF -- "$page_marker" "$work/stdout"; }
status_line() { head -n 1 "$work/stdout" | grep -q "^HTTP/1\.[01] 200"; }
failed() { [[ $status -eq 1 ]] && [[ ! -s $work/stdout ]]; }  # exit 1 and nothing printed

# --- https_get and poll_client against tern serve ---
start_serve --workers 1
run "$https_get" "https://localhost:$port/" --cafile "$root"
check "https_get https://localhost:PORT/ --cafile root.pem: 200 and the page" \
  eval 'exit_is 0 && status_line && got_page && says "connected to 127.0.0.1:$port: TLS 1.3"'
note "https_get: ${out//$'\n'/ | }"
run "$https_get" 127.0.0.1 "$port" --cafile "$root"
check "https_get 127.0.0.1 PORT (host and port, an IP address): 200 and the page" \
  eval 'exit_is 0 && status_line && got_page'
run "$https_get" "https://localhost:$port/" --cafile "$other_root"
check "https_get with another CA's root: exit 1, says the certificate was rejected" \
  eval 'failed && says "example_https_get: " && says "(alert unknown_ca)"'
note "https_get, wrong CA: ${out//$'\n'/ | }"
run "$https_get" "https://localhost:$port/" --cafile "$work/missing.pem"
check "https_get --cafile missing.pem: exit 2, names the file" \
  eval 'exit_is 2 && says "missing.pem"'
run "$https_get" "https://localhost:$port/" --no-such-option
check "https_get with an unknown option: exit 2 and usage" eval 'exit_is 2 && says "usage:"'

run "$poll_client" localhost "$port" --cafile "$root" --path /small.txt
check "poll_client localhost PORT --path /small.txt: 200 and the file" \
  eval 'exit_is 0 && status_line && got_page && says "done: TLS 1.3"'
note "poll_client: ${out//$'\n'/ | }"
run "$poll_client" localhost "$port" --cafile "$other_root"
check "poll_client with another CA's root: exit 1, says the certificate was rejected" \
  eval 'failed && says "example_poll_client: " && says "(alert unknown_ca)"'
note "poll_client, wrong CA: ${out//$'\n'/ | }"
stop_serve
check "tern serve stopped (exit 0)" eval '[[ $serve_status -eq 0 ]]'

# A server that accepts TCP connections and never answers: the deadline must end the wait.
python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
time.sleep(60)' >silent.port &
silent_pid=$!
background_pids+=("$silent_pid")
for ((i = 0; i < 100; i++)); do [[ -s silent.port ]] && break; sleep 0.1; done
silent_port=$(cat silent.port)
start=$SECONDS
run "$poll_client" 127.0.0.1 "$silent_port" --cafile "$root" --timeout 1
check "poll_client --timeout 1 against a silent server: exit 1 within 3 s, timed out" \
  eval 'failed && says "timed out waiting for the TLS handshake" && ((SECONDS - start <= 3))'
note "poll_client, silent server: ${out//$'\n'/ | }"
kill "$silent_pid" 2>/dev/null
wait "$silent_pid" 2>/dev/null

# --- mtls_client against tern serve --require-client-cert ---
start_serve_fresh --workers 1 --client-ca "$root" --require-client-cert
mtls() { run "$mtls_client" localhost "$port" --cafile "$root" "$@"; }
mtls --cert "$client_cert" --key "$client_key"
check "mtls_client with the client certificate: 200 and the page" \
  eval 'exit_is 0 && status_line && got_page && says "server certificate: "'
note "mtls_client: ${out//$'\n'/ | }"
mtls --cert "$other_client_cert" --key "$other_client_key"
check "mtls_client with another CA's client certificate: exit 1, the server's alert" \
  eval 'failed && says "example_mtls_client: " && says "unknown_ca"'
note "mtls_client, unknown client certificate: ${out//$'\n'/ | }"
run "$mtls_client" localhost "$port" --cafile "$other_root" --cert "$client_cert" --key "$client_key"
check "mtls_client with another CA's root for the server: exit 1, certificate rejected" \
  eval 'failed && says "(alert unknown_ca)"'
mtls --cert "$client_cert" --key "$other_client_key"
check "mtls_client with a key that is not the certificate's: exit 2, names the key file" \
  eval '[[ $status -eq 2 ]] && says "$(basename "$other_client_key")"'
note "mtls_client, wrong key: ${out//$'\n'/ | }"
run "$https_get" "https://localhost:$port/" --cafile "$root"
check "https_get (no client certificate) against it: exit 1, certificate_required" \
  eval 'failed && says "certificate_required"'
note "https_get without a client certificate: ${out//$'\n'/ | }"
stop_serve

# --- The clients against openssl s_server ---
# openssl s_server -www on 127.0.0.1, port 0 (it prints "ACCEPT 127.0.0.1:PORT"), asking for
# a client certificate and verifying one if it comes; its status page says what it got.
timeout 60 openssl s_server -accept 127.0.0.1:0 -cert "$server_cert" -key "$server_key" -www \
  -verify 1 -verify_return_error -CAfile "$root" >s_server.out 2>&1 &
s_server_pid=$!
background_pids+=("$s_server_pid")
port=""
for ((i = 0; i < 100; i++)); do
  [[ $(grep -m1 '^ACCEPT' s_server.out) =~ :([0-9]+)$ ]] && { port=${BASH_REMATCH[1]}; break; }
  sleep 0.1
done
[[ -n $port ]] || { echo "not ok - openssl s_server did not start"; sed 's/^/#   /' s_server.out; exit 1; }
page_says() { grep -q -- "$1" "$work/stdout"; }
run "$https_get" "https://localhost:$port/" --cafile "$root"
check "https_get against openssl s_server -www: its status page" \
  eval 'exit_is 0 && status_line && page_says "no client certificate available"'
run "$poll_client" localhost "$port" --cafile "$root"
check "poll_client against openssl s_server -www: its status page" \
  eval 'exit_is 0 && status_line && page_says "no client certificate available"'
mtls --cert "$client_cert" --key "$client_key"
check "mtls_client against openssl s_server -verify 1: served, s_server shows our certificate" \
  eval 'exit_is 0 && status_line && page_says "Client certificate" && page_says "CN=client.test"'
mtls --cert "$other_client_cert" --key "$other_client_key"
check "mtls_client with another CA's client certificate against s_server: exit 1, its alert" \
  eval 'failed && says "example_mtls_client: " && says "fatal alert"'
note "mtls_client vs s_server, unknown client certificate: ${out//$'\n'/ | }"
kill "$s_server_pid" 2>/dev/null
wait "$s_server_pid" 2>/dev/null

# --- echo_server ---
# start_echo ARGS...: example_echo_server on 127.0.0.1, port 0, under a 60 s bound; waits (at
# most 10 s) for "listening on 127.0.0.1:PORT"; sets $echo_port and $echo_pid.
start_echo() {
  rm -f echo.out echo.err
  timeout --foreground 60 "$echo_server" --cert "$server_cert" --key "$server_key" \
    --bind 127.0.0.1 --port 0 "$@" >echo.out 2>echo.err &
  echo_pid=$!
  background_pids+=("$echo_pid")
  local i
  for ((i = 0; i < 100; i++)); do
    if [[ $(head -n 1 echo.out 2>/dev/null) =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]]; then
      echo_port=${BASH_REMATCH[1]}
      return 0
    fi
    kill -0 "$echo_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "not ok - example_echo_server did not print 'listening on 127.0.0.1:PORT'"
  sed 's/^/#   /' echo.err
  exit 1
}
# gone_within SECONDS PID: PID exits by itself within SECONDS; its status in $status.
gone_within() {
  local i
  for ((i = 0; i < $1 * 10; i++)); do
    if ! kill -0 "$2" 2>/dev/null; then
      wait "$2"
      status=$?
      return 0
    fi
    sleep 0.1
  done
  return 1
}
# py_echo: two connections from Python's ssl module. The first trusts root.pem and sends 8 MiB
# of random bytes, first without reading (with a small receive buffer) until the server stops
# taking them: its back-pressure at work. Then it writes and reads as the socket allows, closes
# with close_notify and prints "stalled" if the server stopped reading, and "echoed N bytes"
# when all came back. The second trusts another root: prints its error.
py_echo() {
  out=$(timeout 30 python3 - "$echo_port" "$root" "$other_root" 2>&1 <<'PY'
import os, select, socket, ssl, sys, time
port, root, other_root = int(sys.argv[1]), sys.argv[2], sys.argv[3]
size = 8 << 20
data = os.urandom(size)
deadline = time.monotonic() + 20
context = ssl.create_default_context(cafile=root)
with socket.socket() as raw:
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    raw.settimeout(10)
    raw.connect(("127.0.0.1", port))
    with context.wrap_socket(raw, server_hostname="localhost") as tls:
        tls.setblocking(False)
        sent, got, stalled = 0, bytearray(), False
        while len(got) < size:
            if time.monotonic() > deadline:
                sys.exit("timed out: sent %d, got %d" % (sent, len(got)))
            wait_write = [tls] if sent < size else []
            readable, writable, _ = select.select([tls], wait_write, [], 0.5)
            if sent < size and not writable:
                stalled = True  # the server takes no more until we read
            if writable:
                try:
                    sent += tls.send(data[sent:sent + 65536])
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                    pass
            if (stalled or sent == size) and (readable or tls.pending()):
                try:
                    chunk = tls.recv(65536)
                    if not chunk:
                        sys.exit("the server closed early")
                    got += chunk
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                    pass
        tls.setblocking(True)
        tls.unwrap()  # close_notify; the server answers with its own
print("stalled" if stalled else "never stalled")
print("echoed %d bytes" % len(got) if bytes(got) == data else "different bytes came back")
context = ssl.create_default_context(cafile=other_root)
try:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost"):
            print("other root: handshake succeeded (wrong)")
except ssl.SSLError as e:
    print("other root:", e)
PY
)
  status=$?
}

start_echo --exit-after 3
py_echo
check "echo_server: Python's ssl client, sending faster than it reads, gets 8 MiB back, byte for byte" \
  eval 'exit_is 0 && says "echoed 8388608 bytes" && says stalled'
check "echo_server: a Python client that does not trust the server fails its handshake" \
  eval 'says "other root: [SSL: CERTIFICATE_VERIFY_FAILED]"'
# s_client ends when its input does: its input (a FIFO) stays open until the echo is back.
mkfifo s_client.in
timeout 20 openssl s_client -connect "127.0.0.1:$echo_port" -servername localhost \
  -CAfile "$root" -verify_return_error -brief <s_client.in >s_client.out 2>s_client.err &
s_client_pid=$!
background_pids+=("$s_client_pid")
exec 3>s_client.in
(trap '' PIPE; printf 'hello from s_client\n' >&3)  # no SIGPIPE here if s_client died
for ((i = 0; i < 100; i++)); do grep -qx "hello from s_client" s_client.out && break; sleep 0.1; done
exec 3>&-
wait "$s_client_pid"
status=$?
out=$(cat s_client.err)
check "echo_server: openssl s_client gets its line back, then closes (exit 0)" \
  eval 'exit_is 0 && grep -qx "hello from s_client" s_client.out'
check "echo_server --exit-after 3: exits by itself with 0 after the third connection" \
  eval 'gone_within 10 "$echo_pid" && exit_is 0'
out=$(cat echo.err)
check "echo_server's stderr: the connections, and the failed one with tern's message" \
  eval 'says "127.0.0.1:" && says "connection failed: " && says "stopped"'
note "echo_server stderr: $(paste -sd'|' echo.err)"

start_echo
terminate "$echo_pid" 10
check "echo_server without --exit-after: SIGTERM by PID stops it within 10 s" \
  eval '! kill -0 "$echo_pid" 2>/dev/null'
wait "$echo_pid"
status=$?
check "echo_server after SIGTERM: exit 0, says stopped" eval 'exit_is 0 && grep -q stopped echo.err'

out=$(timeout 10 "$echo_server" --cert "$server_cert" --key "$other_client_key" --port 0 2>&1)
status=$?
check "echo_server with a key that is not the certificate's: exit 2, names the key file" \
  eval 'exit_is 2 && says "$(basename "$other_client_key")"'
note "echo_server, wrong key: ${out//$'\n'/ | }"
finish
