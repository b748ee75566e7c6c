#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# OCSP stapling with real peers. `tern ca ocsp` writes good and revoked responses, which
# `openssl ocsp` (a verifier we did not write) accepts; `openssl s_client -status` sees the
# staple of `tern serve --ocsp-response` in TLS 1.3 and 1.2; `tern get` verifies the staple of
# `openssl s_server -status_file` and of `bssl-tool server -ocsp-response`, and refuses a
# revoked one, one for another certificate, and (with --require-ocsp) none; `tern serve`
# re-reads the file when it changes.
# Usage: bash tests/cli/interop_ocsp_stapling.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_ocsp_stapling "$@"
for tool in openssl bssl-tool; do
  if ! command -v "$tool" >/dev/null; then
    echo "not ok - $tool is not installed (make deps installs openssl and android-boringssl)"
    exit 1
  fi
done
make_docroot
cd "$work"
export XDG_DATA_HOME=$work/xdg

run() {
  out=$(timeout 60 "$tern" "$@" 2>&1)
  status=$?
}
tool() {
  out=$(timeout 60 "$@" 2>&1)
  status=$?
}

# --- The CA, a leaf, and responses ---
run ca init --dir ca
check "tern ca init" exit_is 0
mkdir -p issued
run ca issue --dir ca --out issued localhost
check "tern ca issue localhost" exit_is 0
run ca issue --dir ca --out issued other.test
check "tern ca issue other.test" exit_is 0
serial=$(openssl x509 -noout -serial -in issued/localhost.pem | sed 's/serial=//')
other_serial=$(openssl x509 -noout -serial -in issued/other.test.pem | sed 's/serial=//')
note "leaf serial $serial"
run ca ocsp --dir ca -o good.der "$serial"
check "tern ca ocsp SERIAL writes a good response" eval 'exit_is 0 && says ": good, valid until"'
run ca ocsp --dir ca --revoked --reason keyCompromise -o revoked.der "$serial"
check "tern ca ocsp --revoked --reason keyCompromise" eval 'exit_is 0 && says ": revoked"'
run ca ocsp --dir ca -o other.der "$other_serial"
check "a good response for another certificate" exit_is 0
run ca ocsp --dir ca -o none.der 0BADBEEF
check "tern ca ocsp refuses a serial the CA did not issue" \
  eval 'exit_is 2 && says "issued no certificate with serial 0BADBEEF"'

# openssl ocsp: the real verifier (signature by the CA, CertID, status).
tool openssl ocsp -respin good.der -CAfile ca/root.pem -issuer ca/root.pem \
  -cert issued/localhost.pem -no_nonce
check "openssl ocsp verifies the good response: 'Response verify OK', good" \
  eval 'exit_is 0 && says "Response verify OK" && says "issued/localhost.pem: good"'
note "openssl ocsp: $(grep -E 'verify|localhost.pem' <<<"$out" | tr '\n' ' ')"
tool openssl ocsp -respin revoked.der -CAfile ca/root.pem -issuer ca/root.pem \
  -cert issued/localhost.pem -no_nonce
check "openssl ocsp verifies the revoked response: revoked, keyCompromise" \
  eval 'says "Response verify OK" && says "issued/localhost.pem: revoked" && says "Reason: keyCompromise"'

# --- tern serve --ocsp-response, seen by openssl s_client -status ---
cp good.der staple.der
serve_log=$work/serve.out
serve_err=$work/serve.err
: >"$serve_log"
timeout --foreground 120 "$tern" serve "$www" --cert issued/localhost-fullchain.pem \
  --key issued/localhost-key.pem --port 0 --bind 127.0.0.1 --ocsp-response staple.der \
  >"$serve_log" 2>"$serve_err" &
serve_pid=$!
for ((i = 0; i < 150; i++)); do
  [[ $(head -n 1 "$serve_log") =~ ^listening\ on\ https://127\.0\.0\.1:([0-9]+)/$ ]] && break
  sleep 0.1
done
port=${BASH_REMATCH[1]:-}
check "tern serve --ocsp-response starts" test -n "$port"
out=$(cat "$serve_err")
check "tern serve says what it staples" says "stapling staple.der: good (thisUpdate"
for v in 1.3 1.2; do
  flag=-tls1_3
  [[ $v == 1.2 ]] && flag=-tls1_2
  out=$(timeout 20 openssl s_client -connect "127.0.0.1:$port" -servername localhost \
    -CAfile ca/root.pem -verify_return_error -status "$flag" </dev/null 2>&1)
  status=$?
  check "openssl s_client -status TLS $v: OCSP Response Status: successful, Cert Status: good" \
    eval 'exit_is 0 && says "OCSP Response Status: successful" && says "Cert Status: good"'
  note "s_client TLS $v: $(grep -E 'Protocol *:|OCSP Response Status|Cert Status' <<<"$out" | tr -s ' ' | tr '\n' ';')"
done
run get --cacert ca/root.pem --require-ocsp -o get.out "https://localhost:$port/small.txt"
check "tern get --require-ocsp against tern serve --ocsp-response" exit_is 0

# The file changes: the server re-reads it (every few seconds) and staples the new one.
cp revoked.der staple.der.new && mv staple.der.new staple.der
touch staple.der
for ((i = 0; i < 40; i++)); do
  run get --cacert ca/root.pem -o get.out "https://localhost:$port/small.txt"
  says "was revoked on" && break
  sleep 0.5
done
check "after the file changed to a revoked response, tern get refuses (reloaded)" \
  eval 'exit_is 60 && says "according to its stapled OCSP response"'
out=$(cat "$serve_err")
check "tern serve logs the reload" says "reloaded staple.der: revoked"
head -c 100 /dev/urandom >staple.der.new && mv staple.der.new staple.der
for ((i = 0; i < 40; i++)); do
  run get --cacert ca/root.pem -o get.out "https://localhost:$port/small.txt"
  out=$(cat "$serve_err")
  says "not stapling the new staple.der" && break
  sleep 0.5
done
check "a file that does not parse is not stapled, and said so" \
  says "not stapling the new staple.der: staple.der: the OCSP response does not parse"
kill "$serve_pid" 2>/dev/null
wait "$serve_pid" 2>/dev/null
serve_pid=""

run serve "$www" --cert issued/localhost-fullchain.pem --key issued/localhost-key.pem \
  --port 0 --ocsp-response other.der
check "tern serve refuses a response for another certificate at start" \
  eval 'exit_is 2 && says "the OCSP response is for another certificate"'

# --- tern get against openssl s_server -status_file ---
s_server() {
  stop_server
  port=$(free_port)
  (cd "$www" && exec timeout 60 openssl s_server -accept "127.0.0.1:$port" \
    -cert "$work/issued/localhost.pem" -key "$work/issued/localhost-key.pem" -quiet \
    -naccept 4 -WWW "$@" >"$work/s_server.out" 2>&1) &
  server_pid=$!
  peer_started "openssl s_server" "$work/s_server.out"
}
get() {
  out=$(timeout 20 "$tern" get -v --cacert "$work/ca/root.pem" "$@" -o get.out \
    "https://localhost:$port/small.txt" 2>&1)
  status=$?
}
for v in 1.3 1.2; do
  s_server -status_file "$work/good.der"
  get --require-ocsp --tls-min "$v" --tls-max "$v"
  check "tern get (TLS $v) verifies the good staple of openssl s_server -status_file" \
    eval 'exit_is 0 && says "* OCSP: stapled OCSP response: good (thisUpdate"'
  note "tern get -v: $(grep -m1 '^\* OCSP' <<<"$out")"
  note "s_server TLS $v: $(grep -E '^\* TLS' <<<"$out" | head -1)"
  s_server -status_file "$work/revoked.der"
  get --tls-min "$v" --tls-max "$v"
  check "tern get (TLS $v) refuses the revoked staple of openssl s_server, clearly" \
    eval 'exit_is 60 && says "the server'"'"'s certificate was revoked on" && says "(reason keyCompromise) according to its stapled OCSP response"'
  note "refusal: $(grep -m1 'revoked' <<<"$out")"
  s_server -status_file "$work/other.der"
  get --tls-min "$v" --tls-max "$v"
  check "tern get (TLS $v) refuses a staple for another certificate" \
    eval 'exit_is 60 && says "stapled OCSP response is for another certificate"'
  note "refusal: $(grep -m1 'another certificate' <<<"$out")"
done
s_server
get --require-ocsp
check "tern get --require-ocsp refuses a server that staples nothing" \
  eval 'exit_is 60 && says "the server stapled no OCSP response"'
get
check "without --require-ocsp the same server is accepted" exit_is 0
stop_server

# --- tern connect against bssl-tool server -ocsp-response ---
bssl() {
  stop_server
  port=$(free_port)
  (exec timeout 60 bssl-tool server -accept "$port" -cert "$work/issued/localhost.pem" \
    -key "$work/issued/localhost-key.pem" -loop "$@" >"$work/bssl.out" 2>&1) &
  server_pid=$!
  peer_started "bssl-tool server" "$work/bssl.out"
}
connect() {
  out=$(printf '' | timeout 20 "$tern" connect --cacert "$work/ca/root.pem" \
    --servername localhost "$@" "127.0.0.1:$port" 2>&1)
  status=$?
}
for v in 1.3 1.2; do
  bssl -ocsp-response "$work/good.der" -min-version "tls$v" -max-version "tls$v"
  connect --require-ocsp --tls-min "$v" --tls-max "$v"
  check "tern connect (TLS $v) verifies the good staple of bssl-tool server -ocsp-response" \
    exit_is 0
  note "bssl TLS $v: $(grep -m1 -E 'TLS 1\.[23]' <<<"$out")"
  bssl -ocsp-response "$work/revoked.der" -min-version "tls$v" -max-version "tls$v"
  connect --tls-min "$v" --tls-max "$v"
  check "tern connect (TLS $v) refuses the revoked staple of bssl-tool server" \
    eval '[[ $status -ne 0 ]] && says "according to its stapled OCSP response"'
done
stop_server
finish
