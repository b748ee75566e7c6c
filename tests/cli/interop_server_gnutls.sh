#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `gnutls-cli` against `tern serve`: default priorities, every group, every cipher suite,
# ALPN, and a KeyUpdate (gnutls-cli -e, update_requested) before the request.
# Usage: bash tests/cli/interop_server_gnutls.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_server_gnutls "$@"
make_pki
make_docroot
start_serve
cd "$work"

printf 'GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >request

# gnutls [ARGS...]: one verified request for /small.txt; the response in gc.out, gnutls-cli's
# messages (certificates, "- Description: ...") in gc.log and $out.
gnutls() {
  rm -f gc.log
  timeout 20 gnutls-cli --x509cafile "$pki/root.pem" --port "$port" --logfile=gc.log "$@" \
    localhost <request >gc.out 2>gc.err
  status=$?
  out=$(cat gc.log gc.err 2>/dev/null)
}
got_small() { http_body gc.out | cmp -s - "$www/small.txt"; }
description() { grep -m1 '^- Description:' gc.log; }
tls13_only='NORMAL:-VERS-ALL:+VERS-TLS1.3'

gnutls
check "default priorities: trusted chain, TLS 1.3, GET /small.txt matches the file" \
  eval 'exit_is 0 && says "The certificate is trusted" && says "(TLS1.3-X.509)" && got_small'
note "default: $(description)"

declare -A group_name=([X25519]=X25519 [SECP256R1]=SECP256R1 [SECP384R1]=SECP384R1)
for group in X25519 SECP256R1 SECP384R1; do
  gnutls --priority "$tls13_only:-GROUP-ALL:+GROUP-$group"
  check "group $group: negotiated, GET /small.txt matches the file" \
    eval 'exit_is 0 && says "(ECDHE-${group_name[$group]})" && got_small'
  note "group $group: $(description)"
done

for cipher in AES-128-GCM AES-256-GCM CHACHA20-POLY1305; do
  gnutls --priority "$tls13_only:-CIPHER-ALL:+$cipher"
  check "cipher $cipher: negotiated, GET /small.txt matches the file" \
    eval 'exit_is 0 && says "-($cipher)" && got_small'
  note "cipher $cipher: $(description)"
done

gnutls --alpn=http/1.1
check "ALPN http/1.1: chosen by the server" \
  eval 'exit_is 0 && says "Application protocol: http/1.1" && got_small'

# -e: after the handshake gnutls-cli sends KeyUpdate(update_requested), then the request.
gnutls -e
check "KeyUpdate (gnutls-cli -e) then GET /small.txt" \
  eval 'exit_is 0 && says "ReHandshake was completed" && got_small'

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
