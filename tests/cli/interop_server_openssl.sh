#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `openssl s_client` against `tern serve`: every group, every cipher suite, HelloRetryRequest,
# the client's key log, and a KeyUpdate (update_requested) between two requests on one
# connection. Usage: bash tests/cli/interop_server_openssl.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_server_openssl "$@"
make_pki
make_docroot
start_serve
cd "$work"

printf 'GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >request

# s_client [ARGS...]: one verified request for /small.txt; the response in sc.out, the -brief
# summary (and any error) in sc.err and $out.
s_client() {
  timeout 20 openssl s_client -connect "127.0.0.1:$port" -servername localhost \
    -CAfile "$pki/root.pem" -verify_return_error -verify_hostname localhost -brief -ign_eof \
    "$@" <request >sc.out 2>sc.err
  status=$?
  out=$(cat sc.err)
}
got_small() { http_body sc.out | cmp -s - "$www/small.txt"; }
# With -msg, s_client mixes its message dump into stdout: look for the file's text instead.
got_small_msg() { grep -qF -- "$(cat "$www/small.txt")" sc.out; }
hello_count() { grep -c 'ClientHello$' sc.out; }
# summary: the negotiated parameters of the last s_client run, on one line.
summary() {
  grep -E '^(Protocol version|Ciphersuite|Server Temp Key|Signature type):' sc.err | paste -sd';'
}

declare -A temp_key=([X25519]="Server Temp Key: X25519, 253 bits"
  [P-256]="Server Temp Key: ECDH, prime256v1, 256 bits"
  [P-384]="Server Temp Key: ECDH, secp384r1, 384 bits")
for group in X25519 P-256 P-384; do
  s_client -groups "$group"
  check "group $group: handshake verified, TLS 1.3" \
    eval 'exit_is 0 && says "Protocol version: TLSv1.3" && says "Verification: OK"'
  check "group $group: negotiated" says "${temp_key[$group]}"
  check "group $group: GET /small.txt matches the file" got_small
  note "group $group: $(summary)"
done

for suite in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
  s_client -ciphersuites "$suite"
  check "suite $suite: negotiated" eval 'exit_is 0 && says "Ciphersuite: $suite"'
  check "suite $suite: GET /small.txt matches the file" got_small
  note "suite $suite: $(summary)"
done

# HelloRetryRequest: the client's only key share is for a group tern does not serve
# (ffdhe2048, X448), so tern must ask for one it does; openssl -msg shows two ClientHellos.
s_client -groups ffdhe2048:X25519 -msg
check "HRR ffdhe2048 -> X25519: two ClientHellos, X25519 used" \
  eval 'exit_is 0 && [[ $(hello_count) -eq 2 ]] && says "${temp_key[X25519]}"'
check "HRR ffdhe2048 -> X25519: GET /small.txt served" got_small_msg
note "HRR ffdhe2048:X25519: $(summary)"
s_client -groups X448:P-384 -msg
check "HRR X448 -> P-384: two ClientHellos, P-384 used" \
  eval 'exit_is 0 && [[ $(hello_count) -eq 2 ]] && says "${temp_key[P-384]}"'
check "HRR X448 -> P-384: GET /small.txt served" got_small_msg
# A share for a group tern ranks lower (P-384 below X25519) is taken as is: no HRR round trip.
s_client -groups P-384:X25519 -msg
check "share for P-384, X25519 also offered: P-384 used without HRR" \
  eval 'exit_is 0 && [[ $(hello_count) -eq 1 ]] && says "${temp_key[P-384]}"'
note "P-384:X25519: $(summary), ClientHellos: $(hello_count)"

# The client's key log (NSS format) has every TLS 1.3 secret of the connection.
s_client -keylogfile "$work/client.keylog"
keylog_complete() {
  local label
  for label in CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET \
    CLIENT_TRAFFIC_SECRET_0 SERVER_TRAFFIC_SECRET_0 EXPORTER_SECRET; do
    grep -q "^$label [0-9a-f]\{64\} [0-9a-f]\{64,96\}$" "$work/client.keylog" || return 1
  done
}
check "-keylogfile: handshake ok and every TLS 1.3 secret logged" \
  eval 'exit_is 0 && got_small && keylog_complete'

# ALPN http/1.1 (without -brief, s_client prints the protocol chosen).
out=$(timeout 20 openssl s_client -connect "127.0.0.1:$port" -servername localhost \
  -CAfile "$pki/root.pem" -verify_return_error -alpn http/1.1 -ign_eof <request 2>&1)
status=$?
check "ALPN http/1.1 offered: accepted" eval 'exit_is 0 && says "ALPN protocol: http/1.1"'

# KeyUpdate: request, "K" (KeyUpdate with update_requested), request on the same connection.
# s_client reads commands only from an interactive-looking stdin, so a small driver feeds it
# line by line and waits for each answer (every wait bounded).
cat >ku_driver.py <<'PY'
import os, select, subprocess, sys, time
marker, request = sys.argv[1].encode(), sys.argv[2].encode().decode("unicode_escape").encode()
proc = subprocess.Popen(sys.argv[3:], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT)
seen = b""
def read_until(predicate, seconds=20):
    global seen
    deadline = time.monotonic() + seconds
    while not predicate(seen):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
            return False
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            return predicate(seen)
        seen += chunk
    return True
def send(data):
    try:
        proc.stdin.write(data)
        proc.stdin.flush()
    except BrokenPipeError:  # s_client has exited: the next step reports what is missing
        pass
failed = []
def step(name, passed):
    print(("ok " if passed else "FAILED ") + name)
    if not passed:
        failed.append(name)
step("handshake", read_until(lambda s: s.count(b"Finished") >= 2))
send(request)
step("first response", read_until(lambda s: s.count(marker) >= 1))
send(b"K\n")
step("KeyUpdate(update_requested) sent",
     read_until(lambda s: b">>> TLS 1.3, Handshake [length 0005], KeyUpdate\n    18 00 00 01 01" in s))
send(request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
step("second response", read_until(lambda s: s.count(marker) >= 2))
step("server's KeyUpdate received",
     read_until(lambda s: b"<<< TLS 1.3, Handshake [length 0005], KeyUpdate" in s))
try:
    proc.stdin.close()
except BrokenPipeError:
    pass
try:
    proc.wait(10)
except subprocess.TimeoutExpired:
    proc.kill()
    proc.wait()
open("ku.transcript", "wb").write(seen)
sys.exit(1 if failed else 0)
PY
out=$(timeout 90 python3 ku_driver.py "$page_marker" \
  'GET /small.txt HTTP/1.1\r\nHost: localhost\r\n\r\n' \
  openssl s_client -connect "127.0.0.1:$port" -servername localhost -CAfile "$pki/root.pem" \
  -verify_return_error -msg 2>&1)
status=$?
check "KeyUpdate from the client between two requests on one connection" exit_is 0

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
