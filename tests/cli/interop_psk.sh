#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# TLS 1.3 external PSKs (psk_dhe_ke, and psk_ke with --psk-mode) with real peers, both roles. Against `tern serve
# --psk-identity ID --psk-file F` (with a certificate too, and PSK-only without one):
# openssl s_client -psk HEX -psk_identity ID and gnutls-cli --pskusername --pskkey; a wrong
# key is refused (decrypt_error), an unknown identity on a PSK-only server too, while the
# server with a certificate falls back to it. The other way round: `tern get` and `tern
# connect --psk-identity ID --psk-file F` against `openssl s_server -psk HEX -psk_identity
# ID -nocert` and `gnutls-serv --pskpasswd FILE`. Also the flags' own checks: a key file
# others may read is refused, the key is never printed.
# Usage: bash tests/cli/interop_psk.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_psk "$@"
make_pki
make_docroot
cd "$work"
printf 'GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >request
id=tern-test-client
key=$(openssl rand -hex 32)
other_key=$(openssl rand -hex 32)
(umask 077 && printf '%s\n' "$key" >psk.hex && printf '%s\n' "$other_key" >other.hex)
psk=(--psk-identity "$id" --psk-file "$work/psk.hex")
gnutls_priority="NORMAL:-VERS-ALL:+VERS-TLS1.3:+ECDHE-PSK:+DHE-PSK"
got_small() { grep -qF -- "$(cat "$www/small.txt")" sc.out; }

# s_client [ARGS...]: one request for /small.txt with -trace; stdout in sc.out, $out has
# stdout and stderr.
s_client() {
  timeout 20 openssl s_client -connect "127.0.0.1:$port" -tls1_3 -trace -ign_eof "$@" \
    <request >sc.out 2>sc.err
  status=$?
  out=$(cat sc.out sc.err)
}
# The ServerHello's extensions, in an s_client -trace dump: psk(41) when a PSK was accepted.
server_hello_has_psk() {
  sed -n '/ServerHello, Length/,/EncryptedExtensions\|^Received Record/p' sc.out |
    grep -q 'extension_type=psk(41)'
}
no_certificate() { ! grep -q 'Certificate, Length' sc.out; }
s_summary() { grep -E '^(New|Reused), ' sc.out | head -n 1; }

# ---------------------------------------------------------------------------------------------
# Real clients against tern serve
# ---------------------------------------------------------------------------------------------
start_serve_fresh "${psk[@]}"
note "tern serve --cert ... --psk-identity $id --psk-file psk.hex on port $port"
s_client -psk "$key" -psk_identity "$id"
note "openssl s_client -psk: $(s_summary); ServerHello pre_shared_key: $(server_hello_has_psk && echo yes || echo no); key share: $(grep -m1 -o 'NamedGroup: [a-zA-Z0-9_]*' sc.out)"
check "s_client -psk -psk_identity: the PSK is accepted (ServerHello pre_shared_key), no certificate, /small.txt served" \
  eval 'exit_is 0 && server_hello_has_psk && no_certificate && got_small'
check "s_client -psk: psk_dhe_ke, an (EC)DHE key share in the ServerHello" \
  eval 'sed -n "/ServerHello, Length/,/EncryptedExtensions/p" sc.out | grep -q "extension_type=key_share"'

s_client -psk "$other_key" -psk_identity "$id"
note "openssl s_client with the wrong key: $(grep -m1 -o 'alert [a-z ]*' sc.err || echo "exit $status")"
check "s_client with the wrong key under a known identity: decrypt_error, nothing served" \
  eval '! exit_is 0 || ! got_small; grep -q "decrypt error" sc.err && ! got_small'
check "the server log says the binder did not verify, without the key" \
  eval 'grep -q "binder" "$serve_err" 2>/dev/null || grep -q "binder" "$serve_log"; ! grep -qi -- "$key" "$serve_err" "$serve_log"'

s_client -psk "$key" -psk_identity stranger -CAfile "$pki/root.pem" -verify_return_error
check "s_client with an unknown identity, server with a certificate: certificate authentication instead" \
  eval 'exit_is 0 && ! server_hello_has_psk && grep -q "Certificate, Length" sc.out && got_small'

timeout 20 gnutls-cli --pskusername "$id" --pskkey "$key" --priority "$gnutls_priority" \
  -p "$port" 127.0.0.1 <request >gc.out 2>&1
status=$?
out=$(cat gc.out)
note "gnutls-cli --pskusername --pskkey: $(grep -E '^- (Description|PSK)' gc.out | paste -sd';')"
check "gnutls-cli --pskusername --pskkey (ECDHE-PSK, DHE-PSK): PSK authentication, /small.txt served" \
  eval 'exit_is 0 && says "PSK authentication" && says "$(cat "$www/small.txt")"'

timeout 20 gnutls-cli --pskusername "$id" --pskkey "$other_key" --priority "$gnutls_priority" \
  -p "$port" 127.0.0.1 <request >gc.out 2>&1
status=$?
out=$(cat gc.out)
check "gnutls-cli with the wrong key: refused" eval '! exit_is 0 && ! says "$(cat "$www/small.txt")"'

# A PSK-only server: no --cert at all.
stop_serve
serve_log=$work/psk-only.out
serve_err=$work/psk-only.err
timeout --foreground 280 "$tern" serve "$www" --port 0 --bind 127.0.0.1 "${psk[@]}" \
  >"$serve_log" 2>"$serve_err" &
serve_pid=$!
for ((i = 0; i < 150; i++)); do
  [[ $(head -n 1 "$serve_log") =~ ^listening\ on\ https://127\.0\.0\.1:([0-9]+)/$ ]] &&
    port=${BASH_REMATCH[1]} && break
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.1
done
check "tern serve with --psk-identity/--psk-file and no --cert starts" eval 'kill -0 "$serve_pid"'
note "tern serve (PSK only) on port $port"
s_client -psk "$key" -psk_identity "$id"
note "openssl s_client -psk against the PSK-only server: $(s_summary)"
check "PSK-only server: s_client -psk served without any certificate" \
  eval 'exit_is 0 && server_hello_has_psk && no_certificate && got_small'
s_client -psk "$key" -psk_identity stranger
check "PSK-only server: an unknown identity is refused (handshake_failure)" \
  eval 'grep -q "handshake failure" sc.err && ! got_small'
stop_serve

# ---------------------------------------------------------------------------------------------
# tern get / tern connect against real servers
# ---------------------------------------------------------------------------------------------
port=$(free_port)
timeout 60 openssl s_server -accept "127.0.0.1:$port" -tls1_3 -psk "$key" -psk_identity "$id" \
  -nocert -www -trace >s_server.log 2>&1 &
server_pid=$!
peer_started "openssl s_server -psk" s_server.log
out=$(timeout 20 "$tern" get -v "${psk[@]}" "https://127.0.0.1:$port/" 2>&1)
status=$?
note "tern get against openssl s_server -psk -nocert: $(grep -E '^\* (TLS|Authenticated)' <<<"$out" | paste -sd';')"
check "tern get --psk-identity --psk-file against openssl s_server -nocert: external PSK, page served" \
  eval 'exit_is 0 && says "Authenticated by: external PSK" && says "s_server"'
check "openssl s_server saw the identity and a key share (psk_dhe_ke)" \
  eval 'grep -q "extension_type=psk(41)" s_server.log && grep -q "psk_dhe_ke" s_server.log'
out=$(timeout 20 "$tern" get --psk-identity "$id" --psk-file "$work/other.hex" "https://127.0.0.1:$port/" 2>&1)
status=$?
note "tern get with the wrong key: $(head -n 1 <<<"$out")"
check "tern get with the wrong key against s_server: fails, with an alert, exit non-zero" \
  eval '! exit_is 0 && says "alert"'
out=$(printf 'GET / HTTP/1.0\r\n\r\n' | timeout 20 "$tern" connect "${psk[@]}" "127.0.0.1:$port" 2>&1)
status=$?
check "tern connect --psk-identity --psk-file against openssl s_server: external PSK" \
  eval 'exit_is 0 && says "external PSK"'
stop_server

port=$(free_port)
printf '%s:%s\n' "$id" "$key" >psk.passwd
timeout 60 gnutls-serv --pskpasswd psk.passwd --priority "$gnutls_priority" -p "$port" --http \
  >gnutls-serv.log 2>&1 &
server_pid=$!
peer_started "gnutls-serv --pskpasswd" gnutls-serv.log
out=$(timeout 20 "$tern" get -v "${psk[@]}" "https://127.0.0.1:$port/" 2>&1)
status=$?
note "tern get against gnutls-serv --pskpasswd: $(grep -E '^\* (TLS|Authenticated)' <<<"$out" | paste -sd';')"
note "gnutls-serv says: $(grep -E '^- (Description|PSK)' gnutls-serv.log | head -n 2 | paste -sd';')"
check "tern get against gnutls-serv --pskpasswd: external PSK, gnutls-serv reports PSK authentication of $id" \
  eval 'exit_is 0 && says "Authenticated by: external PSK" && grep -q "PSK authentication. Connected as .$id." gnutls-serv.log'
stop_server

# ---------------------------------------------------------------------------------------------
# psk_ke: the PSK without (EC)DHE, only where --psk-mode allows it
# ---------------------------------------------------------------------------------------------
server_hello_has_key_share() {
  sed -n '/ServerHello, Length/,/EncryptedExtensions/p' sc.out | grep -q 'extension_type=key_share'
}
start_serve_fresh "${psk[@]}" --psk-mode none
note "tern serve --psk-mode none on port $port"
s_client -psk "$key" -psk_identity "$id" -allow_no_dhe_kex
note "openssl s_client -psk -allow_no_dhe_kex: $(s_summary); ServerHello pre_shared_key: $(server_hello_has_psk && echo yes || echo no), key_share: $(server_hello_has_key_share && echo yes || echo no)"
check "s_client -allow_no_dhe_kex against --psk-mode none: psk_ke (pre_shared_key, no key_share), served" \
  eval 'exit_is 0 && server_hello_has_psk && ! server_hello_has_key_share && got_small'
s_client -psk "$key" -psk_identity "$id" -CAfile "$pki/root.pem" -verify_return_error
check "s_client without -allow_no_dhe_kex (psk_dhe_ke only) against --psk-mode none: no PSK, the certificate instead" \
  eval 'exit_is 0 && ! server_hello_has_psk && grep -q "Certificate, Length" sc.out && got_small'
start_serve_fresh "${psk[@]}" --psk-mode dhe-or-none --trace
s_client -psk "$key" -psk_identity "$id" -allow_no_dhe_kex
check "s_client offering both modes against --psk-mode dhe-or-none: psk_dhe_ke is preferred" \
  eval 'exit_is 0 && server_hello_has_psk && server_hello_has_key_share && got_small'
timeout 20 gnutls-cli --pskusername "$id" --pskkey "$key" -p "$port" 127.0.0.1 \
  --priority "NORMAL:-VERS-ALL:+VERS-TLS1.3:-KX-ALL:+PSK" <request >gc.out 2>&1
status=$?
out=$(cat gc.out)
note "gnutls-cli with +PSK only (psk_ke) against --psk-mode dhe-or-none: $(grep -E '^- (Description|PSK)' gc.out | paste -sd';')"
# gnutls-cli names no key exchange for TLS 1.3; the server's trace does.
check "gnutls-cli offering psk_ke only against --psk-mode dhe-or-none: PSK authentication without (EC)DHE (server trace), served" \
  eval 'exit_is 0 && says "PSK authentication" && says "$(cat "$www/small.txt")" && grep -q "external PSK (psk_ke" "$serve_log" && grep -q "the external PSK authenticates" "$serve_log" && ! grep -q "session is resumed" "$serve_log"'
stop_serve

port=$(free_port)
timeout 60 openssl s_server -accept "127.0.0.1:$port" -tls1_3 -psk "$key" -psk_identity "$id" \
  -nocert -www -trace -allow_no_dhe_kex >s_server.log 2>&1 &
server_pid=$!
peer_started "openssl s_server -psk -allow_no_dhe_kex" s_server.log
out=$(timeout 20 "$tern" get -v "${psk[@]}" --psk-mode none "https://127.0.0.1:$port/" 2>&1)
status=$?
note "tern get --psk-mode none against openssl s_server -allow_no_dhe_kex: $(grep -E '^\* (SSL|Authenticated)' <<<"$out" | paste -sd';')"
check "tern get --psk-mode none against s_server -allow_no_dhe_kex: psk_ke, page served" \
  eval 'exit_is 0 && says "Authenticated by: external PSK (psk_ke)" && says "s_server"'
check "openssl s_server saw psk_ke offered and answered without a key share" \
  eval 'grep -q "psk_ke" s_server.log && ! sed -n "/ServerHello, Length/,/EncryptedExtensions/p" s_server.log | grep -q "extension_type=key_share"'
stop_server

# ---------------------------------------------------------------------------------------------
# The flags' own checks
# ---------------------------------------------------------------------------------------------
printf '%s\n' "$key" >readable.hex
chmod 644 readable.hex
out=$("$tern" get --psk-identity "$id" --psk-file "$work/readable.hex" https://127.0.0.1:1/ 2>&1)
status=$?
check "a PSK file group or others may read is refused, saying how to fix it, without printing the key" \
  eval '! exit_is 0 && says "chmod" && ! says "$key"'
out=$("$tern" get --psk-file "$work/psk.hex" https://127.0.0.1:1/ 2>&1)
status=$?
check "--psk-file without --psk-identity is a usage error" eval '! exit_is 0 && says "--psk-identity"'
(umask 077 && printf '0011223344\n' >short.hex)
out=$("$tern" serve "$www" --port 0 --psk-identity "$id" --psk-file "$work/short.hex" 2>&1)
status=$?
check "a PSK shorter than 16 bytes is refused" eval '! exit_is 0 && says "at least 16"'
finish
