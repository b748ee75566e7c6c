#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Encrypted Client Hello (RFC 9849) against a peer tern did not write, BoringSSL's bssl-tool,
# in both roles, and tern against itself:
#   bssl-tool client -ech-config-list  ->  tern serve --ech-key --ech-config: accepted (the
#     inner SNI reaches the server, seen in /.well-known/tern/handshake.json), and rejected
#     (a stale config: the client gets tern's retry_configs);
#   tern get --ech-config-list  ->  bssl-tool server -ech-key -ech-config: accepted (bssl's
#     -www page shows the inner SNI), and rejected (tern prints bssl's retry configs, and a
#     second run with them is accepted);
#   resumption and 0-RTT inside ECH: bssl-tool client -session-out, then -session-in with
#     -early-data against tern serve --early-data (resumed, early data accepted, ECH
#     accepted); tern connect --sess-out, then --sess-in --early-data against bssl-tool
#     server -early-data (the same), tern get --sess-in --early-data on the session tern
#     connect saved (the same), and with a stale config (ECH rejected: no resumption, the
#     early data skipped by bssl, ech_required);
#   tern serve with bssl-tool generate-ech's files; tern <-> tern accepted and rejected;
#   GREASE ECH both ways; `tern ech keygen` files (mode, no overwrite) and bad input.
# The real name is localhost, the public name public.test; the leaf covers both.
# Usage: bash tests/cli/ech_interop.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init ech_interop "$@"
make_docroot
cd "$work"
if ! command -v bssl-tool >/dev/null; then
  echo "not ok - bssl-tool is missing (Debian package android-boringssl)"
  exit 1
fi

run() {
  out=$("$@" 2>&1)
  status=$?
}

# A CA and a leaf for both names.
"$tern" ca init --dir ca >/dev/null 2>&1
mkdir -p certs && "$tern" ca issue --dir ca --out certs localhost public.test >/dev/null 2>&1
chain=certs/localhost+1-fullchain.pem key=certs/localhost+1-key.pem root=ca/root.pem
[[ -f $chain && -f $key ]] || { echo "not ok - tern ca issue made no certificate"; exit 1; }
pki=$work/serve-pki  # what start_serve reads: fullchain.pem and leaf.key
mkdir -p "$pki" && cp "$chain" "$pki/fullchain.pem" && cp "$key" "$pki/leaf.key"

# --- tern ech keygen ---
run "$tern" ech keygen --public-name public.test --config-id 1 --out k1
check "ech keygen writes the key, config and list" eval 'exit_is 0 && [[ -s k1.key && -s k1.config && -s k1.configlist && -s k1.configlist.b64 ]]'
check "the private key is 32 bytes, mode 0600" eval '[[ $(stat -c %s k1.key) == 32 && $(stat -c %a k1.key) == 600 ]]'
check "the base64 list is the binary list" eval '[[ $(base64 -d k1.configlist.b64 | xxd -p) == $(xxd -p k1.configlist) ]]'
run "$tern" ech keygen --public-name public.test --out k1
check "ech keygen refuses to overwrite" eval 'exit_is 2 && says "exists"'
run "$tern" ech keygen --public-name 192.0.2.1 --out ip
check "ech keygen refuses an IP address as public name" eval 'exit_is 2 && says "not a DNS name"'
run "$tern" ech show k1.configlist
note "tern ech show: $out"
check "ech show describes the list" eval 'exit_is 0 && says "public_name public.test" && says "HKDF-SHA256/AES-128-GCM"'
"$tern" ech keygen --public-name public.test --config-id 2 --out k2 >/dev/null  # stale: not served
bssl-tool generate-ech -out-ech-config-list b.configlist -out-ech-config b.config \
  -out-private-key b.key -public-name public.test -config-id 3 >/dev/null 2>&1

request() { printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1"; }

# --- bssl-tool client -> tern serve ---
start_serve_fresh --ech-key k1.key --ech-config k1.config --ech-key b.key --ech-config b.config \
  --explain --alpn http/1.1
bssl_client() {  # LIST PATH: bssl-tool client with ECH to tern serve; output in $out
  out=$(request "$2" | timeout 20 bssl-tool client -connect "127.0.0.1:$port" \
    -server-name localhost -root-certs "$root" -ech-config-list "$1" 2>&1)
  status=$?
}
bssl_client k1.configlist /.well-known/tern/handshake.json
note "bssl-tool client -> tern serve: $(grep -E 'Version:|Cipher:|ECDHE curve:|Encrypted ClientHello:' <<<"$out" | tr -s ' ' | tr '\n' ';')"
note "tern serve saw: $(grep -o '"server_name": *"[^"]*"\|"ech_accepted": *[a-z]*' <<<"$out" | tr '\n' ' ')"
check "bssl-tool client: ECH accepted by tern serve" says "Encrypted ClientHello: yes"
check "tern serve saw the inner SNI (localhost) with ECH accepted" \
  eval 'grep -q "\"server_name\": *\"localhost\"" <<<"$out" && grep -q "\"ech_accepted\": *true" <<<"$out"'
bssl_client b.configlist /small.txt
check "tern serve accepts bssl-tool generate-ech's key files" eval 'says "Encrypted ClientHello: yes" && says "$page_marker"'
bssl_client k2.configlist /small.txt
note "bssl-tool client with a stale config -> tern serve: $(grep -iE 'ech|error' <<<"$out" | head -n 3 | tr '\n' ';')"
check "bssl-tool client: a stale config is rejected (not served)" eval '! says "$page_marker" && grep -qi "ECH" <<<"$out"'
out=$(request /small.txt | timeout 20 bssl-tool client -connect "127.0.0.1:$port" \
  -server-name localhost -root-certs "$root" -ech-grease 2>&1)
check "bssl-tool client with GREASE ECH is served" says "$page_marker"
# HelloRetryRequest with ECH: tern serve wants x25519, bssl-tool client's first share is P-256.
start_extra_serve hrr --ech-key k1.key --ech-config k1.config --explain --alpn http/1.1 --groups x25519
out=$(request /.well-known/tern/handshake.json | timeout 20 bssl-tool client -connect \
  "127.0.0.1:$extra_port" -server-name localhost -root-certs "$root" -ech-config-list k1.configlist \
  -curves P-256:X25519 2>&1)
note "bssl-tool client -> tern serve with HRR: $(grep -oE 'Encrypted ClientHello: [a-z]+|"hello_retry_request": *[a-z]+|"ech_accepted": *[a-z]+' <<<"$out" | sort -u | tr '\n' ';')"
check "bssl-tool client -> tern serve: HelloRetryRequest, ECH still accepted" \
  eval 'says "Encrypted ClientHello: yes" && grep -q "\"hello_retry_request\": *true" <<<"$out" && grep -q "\"ech_accepted\": *true" <<<"$out"'
stop_extra_serve "$extra_pid"

# Resumption and 0-RTT inside ECH: the ticket goes in the inner hello only (RFC 9849 §6.1),
# the early data under keys from the inner hello.
start_extra_serve resume --ech-key k1.key --ech-config k1.config --early-data --explain \
  --alpn http/1.1
timeout 20 bssl-tool client -connect "127.0.0.1:$extra_port" -server-name localhost \
  -root-certs "$root" -ech-config-list k1.configlist -session-out bssl-ech.sess \
  < <(request /small.txt) >bssl-ech1.out 2>&1
request /.well-known/tern/handshake.json >early.req
out=$(sleep 3 | timeout 20 bssl-tool client -connect "127.0.0.1:$extra_port" \
  -server-name localhost -root-certs "$root" -ech-config-list k1.configlist \
  -session-in bssl-ech.sess -early-data @early.req 2>&1)
note "bssl-tool client resuming with ECH and 0-RTT -> tern serve: $(grep -E 'Resumed session:|Early data:|Encrypted ClientHello:' <<<"$out" | tr -s ' ' | tr '\n' ';')"
check "bssl-tool client: resumed inside ECH, early data accepted by tern serve" \
  eval 'says "Resumed session: yes" && says "Early data: yes" && says "Encrypted ClientHello: yes"'
check "tern serve: the early request answered, inner SNI, resumed, ECH accepted" \
  eval 'grep -q "\"server_name\": *\"localhost\"" <<<"$out" && grep -q "\"resumed\": *true" <<<"$out" && grep -q "\"ech_accepted\": *true" <<<"$out" && says "early data accepted"'
stop_extra_serve "$extra_pid"

# --- tern get -> tern serve ---
tern_get() {  # LIST [ARGS...]: tern get with ECH to tern serve on $port
  local list=$1
  shift
  out=$(timeout 20 "$tern" get -sS -v --cacert "$root" --ech-config-list "$list" "$@" \
    "https://localhost:$port/.well-known/tern/handshake.json" 2>&1)
  status=$?
}
tern_get k1.configlist
check "tern get -> tern serve: ECH accepted, inner SNI seen" \
  eval 'exit_is 0 && says "* ECH: accepted" && grep -q "\"server_name\": *\"localhost\"" <<<"$out"'
tern_get "$(cat k1.configlist.b64)"
check "tern get takes the list as base64 text" eval 'exit_is 0 && says "* ECH: accepted"'
tern_get k2.configlist
retry=$(grep -o 'Retry with the ECHConfigList it sent: [A-Za-z0-9+/=]*' <<<"$out" | awk '{print $NF}')
note "tern get with a stale config -> tern serve: $(grep -m1 'rejected ECH' <<<"$out")"
check "tern get: rejected, ech_required, the server's retry configs printed" \
  eval '! exit_is 0 && says "rejected ECH" && [[ -n $retry ]]'
tern_get "$retry"
check "tern get with the retry configs is accepted" eval 'exit_is 0 && says "* ECH: accepted"'
run timeout 20 "$tern" get -sS --ech-config-list garbage "https://localhost:$port/"
check "tern get: a bad --ech-config-list is a usage error" eval 'exit_is 2 && says "--ech-config-list"'
stop_serve

# --- tern get -> bssl-tool server ---
# bssl-tool's -www page is HTTP/1.0 and ends without close_notify, which tern get reports
# (exit 56, as curl does) after writing the whole page: the checks read the page.
port=$(free_port)
timeout --foreground 120 bssl-tool server -accept "$port" -loop -www -cert "$chain" -key "$key" \
  -ech-key k1.key -ech-config k1.config >bssl-server.log 2>&1 &
server_pid=$!
peer_started "bssl-tool server" bssl-server.log
bssl_get() {  # LIST: tern get with ECH to bssl-tool server -www
  out=$(timeout 20 "$tern" get -sS -v --cacert "$root" --ech-config-list "$1" \
    "https://localhost:$port/" 2>&1)
  status=$?
}
bssl_get k1.configlist
note "tern get -> bssl-tool server: $(grep -E '^\* TLS|ECH' <<<"$out" | head -n 2 | tr '\n' ';') bssl saw: $(grep -E 'Client sent SNI|Encrypted ClientHello' <<<"$out" | tr -s ' ' | tr '\n' ';')"
check "tern get -> bssl-tool server: ECH accepted" eval 'says "* ECH: accepted" && says "Encrypted ClientHello: yes"'
check "bssl-tool server saw the inner SNI (localhost)" says "Client sent SNI: localhost"
out=$(timeout 20 "$tern" trace "localhost:$port" --cacert "$root" --ech-config-list k1.configlist \
  --color never 2>&1)
check "tern trace shows both hellos: the inner SNI sealed, the outer public name, ECH accepted" \
  eval 'says "ECH: the inner ClientHello, SNI localhost" && grep -q "SNI  *public.test" <<<"$out" && says "ECH accepted"'
bssl_get k2.configlist
retry=$(grep -o 'Retry with the ECHConfigList it sent: [A-Za-z0-9+/=]*' <<<"$out" | awk '{print $NF}')
note "tern get with a stale config -> bssl-tool server: $(grep -m1 'rejected ECH' <<<"$out")"
check "tern get: bssl-tool server rejected ECH and sent retry configs" \
  eval '! exit_is 0 && says "rejected ECH" && [[ $retry == $(cat k1.configlist.b64) ]]'
bssl_get "$retry"
check "tern get with bssl's retry configs is accepted" eval 'says "* ECH: accepted" && says "Client sent SNI: localhost"'
stop_server
# Resumption and 0-RTT inside ECH with tern connect (which saves sessions from bssl's -www
# page, closed without close_notify), and a resumption whose config has gone stale.
port=$(free_port)
timeout --foreground 120 bssl-tool server -accept "$port" -loop -www -cert "$chain" -key "$key" \
  -ech-key k1.key -ech-config k1.config -early-data >bssl-early.log 2>&1 &
server_pid=$!
peer_started "bssl-tool server -early-data" bssl-early.log
printf 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n' >get.req
tern_connect() {  # LIST [ARGS...]: stdin stays open until bssl has answered and closed
  local list=$1
  shift
  out=$(sleep 3 | timeout 20 "$tern" connect --early-data get.req --cacert "$root" \
    --servername localhost --ech-config-list "$list" "$@" "127.0.0.1:$port" 2>&1 >tc.out)
  status=$?
}
tern_connect k1.configlist --sess-out tc1.sess
check "tern connect -> bssl-tool server: ECH accepted, session saved" \
  eval 'exit_is 0 && says "* ECH: accepted" && grep -q "Encrypted ClientHello: yes" tc.out && [[ -s tc1.sess ]]'
cp tc1.sess tc1-copy.sess
cp tc1.sess tc1-retry.sess
tern_connect k1.configlist --sess-in tc1.sess --sess-out tc2.sess
# bssl's -www page may close before the client's last flight is read: the kernel then resets
# the connection, which can discard the page; on a busy machine that happens now and then,
# so a reset is retried once (bssl-tool server keeps no anti-replay record).
if says "Connection reset by peer"; then
  note "tern connect: reset by bssl-tool server -www, once more"
  tern_connect k1.configlist --sess-in tc1-retry.sess --sess-out tc2.sess
fi
note "tern connect resuming with ECH and 0-RTT -> bssl-tool server: $(grep -E '^\* (Resumed|ECH|Early data)' <<<"$out" | tr '\n' ';') page: $(grep -E 'Resumed session|Early data|Encrypted ClientHello' tc.out | tr -s ' ' | tr '\n' ';')"
check "tern connect -> bssl-tool server: resumed inside ECH, early data accepted" \
  eval 'exit_is 0 && says "* Resumed: yes" && says "* ECH: accepted" && says "* Early data: accepted" && grep -q "Early data: yes" tc.out && grep -q "Encrypted ClientHello: yes" tc.out'
# tern get resuming the session tern connect saved (tern get itself saves none from this
# page, which ends without close_notify: exit 56 after the whole page, as curl).
out=$(timeout 20 "$tern" get -sS -v --early-data --sess-in tc2.sess --cacert "$root" \
  --ech-config-list k1.configlist "https://localhost:$port/" 2>&1 >tg.out)
status=$?
note "tern get resuming with ECH and 0-RTT -> bssl-tool server (exit $status): $(grep -E '^\* (Resumed|ECH|Early data)' <<<"$out" | tr '\n' ';') page: $(grep -E 'Resumed session|Early data|Encrypted ClientHello' tg.out | tr -s ' ' | tr '\n' ';')"
check "tern get -> bssl-tool server: resumed inside ECH, the GET accepted as early data" \
  eval 'says "* Resumed: yes" && says "* ECH: accepted" && says "* Early data: accepted" && grep -q "Early data: yes" tg.out && grep -q "Encrypted ClientHello: yes" tg.out'
before=$(grep -c . bssl-early.log)
tern_connect k2.configlist --sess-in tc1-copy.sess
note "tern connect resuming with a stale config -> bssl-tool server: $(grep -m1 -o 'the server rejected ECH[^:]*' <<<"$out"); bssl: $(tail -n +$((before + 1)) bssl-early.log | grep -iE 'error|early' | head -n 2 | tr '\n' ';')"
check "tern connect: ECH rejected on a resumption: not resumed, ech_required, bssl skipped the early data" \
  eval '! exit_is 0 && says "rejected ECH" && ! says "* Resumed: yes" && ! tail -n +$((before + 1)) bssl-early.log | grep -q "BAD_DECRYPT\|DECRYPTION_FAILED"'
stop_server
# HelloRetryRequest with ECH: bssl-tool server wants X25519, tern get's only share is P-256.
port=$(free_port)
timeout --foreground 120 bssl-tool server -accept "$port" -loop -www -cert "$chain" -key "$key" \
  -ech-key k1.key -ech-config k1.config -curves X25519 >bssl-hrr.log 2>&1 &
server_pid=$!
peer_started "bssl-tool server (X25519 only)" bssl-hrr.log
out=$(timeout 20 "$tern" get -sS -v --cacert "$root" --groups secp256r1,x25519 \
  --ech-config-list k1.configlist "https://localhost:$port/" 2>&1)
note "tern get -> bssl-tool server with HRR: $(grep -E 'HelloRetryRequest|ECH:|Client sent SNI|Encrypted ClientHello' <<<"$out" | tr -s ' ' | tr '\n' ';')"
check "tern get -> bssl-tool server: HelloRetryRequest, ECH still accepted" \
  eval 'says "HelloRetryRequest: yes" && says "* ECH: accepted" && says "Client sent SNI: localhost"'
stop_server

# --- GREASE against a server without ECH ---
port=$(free_port)
timeout --foreground 120 bssl-tool server -accept "$port" -loop -www -cert "$chain" -key "$key" \
  >bssl-plain.log 2>&1 &
server_pid=$!
peer_started "bssl-tool server (no ECH)" bssl-plain.log
run timeout 20 "$tern" get -sS --cacert "$root" "https://localhost:$port/"
note "tern get (GREASE) -> bssl-tool server without ECH: $(grep -E 'Client sent SNI|Encrypted ClientHello' <<<"$out" | tr -s ' ' | tr '\n' ';')"
check "tern get (GREASE ECH by default) -> bssl-tool server without ECH" eval 'says "Client sent SNI: localhost" && says "Encrypted ClientHello: no"'
stop_server

finish
