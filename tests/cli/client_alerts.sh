#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The alerts a client's own options cause, against `openssl s_server`: `tern get` names the
# alert once and says what to do: certificate_required (pass --cert), protocol_version (the
# versions tern offered), handshake_failure (the versions, groups and suites it offered).
# Usage: bash tests/cli/client_alerts.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init client_alerts "$@"
make_docroot
cd "$work"
# Throw-away certificates from `tern ca` (faster than make_pki): a server one, a client one.
if ! { timeout 20 "$tern" ca init --dir ca && timeout 20 "$tern" ca issue --dir ca localhost &&
  timeout 20 "$tern" ca issue --dir ca --client client; } >ca.log 2>&1; then
  echo "not ok - tern ca could not make the test certificates"
  sed 's/^/#   /' ca.log
  exit 1
fi
pki=$work/ca

# s_server [ARGS...]: openssl s_server -WWW on a free port serving $www; sets $port.
s_server() {
  stop_server
  port=$(free_port)
  (cd "$www" && exec timeout 60 openssl s_server -accept "127.0.0.1:$port" \
    -cert "$pki/issued/localhost.pem" -key "$pki/issued/localhost-key.pem" -quiet \
    -naccept 10 -WWW "$@" >"$work/s_server.out" 2>&1) &
  server_pid=$!
  peer_started "openssl s_server" "$work/s_server.out"
}
# get [ARGS...]: tern get small.txt with the test root; stderr (and stdout) in $out.
get() {
  out=$(timeout 10 "$tern" get --cacert "$pki/root.pem" "$@" -o get.out \
    "https://localhost:$port/small.txt" 2>&1)
  status=$?
}
no_double_fatal() { ! says "fatal alert: fatal"; }

s_server -Verify 1 -CAfile "$pki/root.pem"
get
check "certificate_required (after the TLS 1.3 handshake): exit 56, the alert named once" \
  bash -c '[[ $0 -eq 56 ]] && grep -qF "the peer sent the alert certificate_required" <<<"$1"' \
  "$status" "$out"
check "certificate_required: fatal is not said twice" no_double_fatal
check "certificate_required: says to pass --cert and --key" \
  says "the server requires a client certificate: pass --cert FILE --key FILE"
get --cert "$pki/issued/client-client.pem" --key "$pki/issued/client-client-key.pem"
check "with --cert and --key: the same server answers" exit_is 0

s_server -tls1_2
get --tls-min 1.3
check "protocol_version: exit 35, the alert named" \
  bash -c '[[ $0 -eq 35 ]] && grep -qF "the alert protocol_version" <<<"$1"' "$status" "$out"
check "protocol_version: says what tern offered, from which options" \
  says "we offered TLS 1.3 only (--tls-min 1.3 --tls-max 1.3) and the server accepts none of them"
check "protocol_version: says what to try" says "allow the other version with --tls-min 1.2"

s_server -tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384
get --ciphers TLS_AES_128_GCM_SHA256
check "no shared cipher suite: exit 35, handshake_failure named" \
  bash -c '[[ $0 -eq 35 ]] && grep -qF "the alert handshake_failure" <<<"$1"' "$status" "$out"
check "handshake_failure: lists the versions, groups and suites offered" \
  says "the server accepts nothing we offered: TLS 1.3 only; groups X25519MLKEM768, x25519, secp256r1, secp384r1; cipher suites TLS_AES_128_GCM_SHA256"
check "handshake_failure: says which options to widen" says "widen --groups and --ciphers"
check "handshake_failure: fatal is not said twice" no_double_fatal

s_server -tls1_3 -groups secp384r1
get --groups x25519
check "no shared group: handshake_failure, lists the group offered" \
  says "the server accepts nothing we offered: TLS 1.2 and 1.3; groups x25519; cipher suites"
stop_server

finish
