#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# gnutls-cli, curl and Python's ssl module in TLS 1.2 against `tern serve --tls-max 1.2` and
# the default server: gnutls with every group and cipher (P-256 and RSA leaves), extended
# master secret and safe renegotiation reported, a client without EMS (%NO_SESSION_HASH:
# refused, then --allow-no-ems), a rehandshake (refused with no_renegotiation, the server
# stays up); curl --tls-max 1.2 with a 1 MiB file; Python with maximum_version TLSv1_2.
# Usage: bash tests/cli/interop_tls12_server_others.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_tls12_server_others "$@"
make_pki
make_docroot 1
cd "$work"
cat "$pki/leaf-rsa.pem" "$pki/chain.pem" >"$pki/fullchain-rsa.pem"
printf 'GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >request

# gnutls [ARGS...]: one verified request for /small.txt; the response in gc.out, gnutls-cli's
# messages in gc.log and $out.
gnutls() {
  rm -f gc.log
  timeout 20 gnutls-cli --x509cafile "$pki/root.pem" --port "$port" --logfile=gc.log "$@" \
    localhost <request >gc.out 2>gc.err
  status=$?
  out=$(grep -v -e '^	' -e '^ - ' gc.log gc.err 2>/dev/null)
}
got_small() { http_body gc.out | cmp -s - "$www/small.txt"; }
description() { grep -m1 '^- Description:' gc.log; }
options() { grep -m1 '^- Options:' gc.log; }
tls12_only='NORMAL:-VERS-ALL:+VERS-TLS1.2'
# gnutls_tls12 TEXT: trusted, TLS 1.2, TEXT in the description, EMS and safe renegotiation.
gnutls_tls12() {
  exit_is 0 && says "The certificate is trusted" && says "(TLS1.2-X.509)" && says "$1" &&
    grep -q '^- Options:.*extended master secret' gc.log &&
    grep -q '^- Options:.*safe renegotiation' gc.log && got_small
}

# --- tern serve --tls-max 1.2, P-256 leaf ---
start_serve --tls-max 1.2
gnutls --priority "$tls12_only"
check "gnutls TLS 1.2 priorities: trusted, EMS and safe renegotiation, GET /small.txt" \
  eval 'gnutls_tls12 "(ECDSA-"'
note "gnutls TLS 1.2: $(description) $(options)"
for group in X25519 SECP256R1 SECP384R1; do
  # The P-256 leaf needs SECP256R1 in the list (RFC 8422 5.1); the share goes to $group first.
  gnutls --priority "$tls12_only:-GROUP-ALL:+GROUP-$group:+GROUP-SECP256R1"
  check "gnutls group $group (and SECP256R1 for the certificate): TLS 1.2 handshake" \
    eval 'gnutls_tls12 "(ECDHE-"'
  note "gnutls group $group: $(description)"
done
for cipher in AES-128-GCM AES-256-GCM CHACHA20-POLY1305; do
  gnutls --priority "$tls12_only:-CIPHER-ALL:+$cipher"
  check "gnutls cipher $cipher (ECDHE-ECDSA): negotiated" eval 'gnutls_tls12 "-($cipher)"'
  note "gnutls cipher $cipher: $(description)"
done

# A client without extended master secret.
gnutls --priority "$tls12_only:%NO_SESSION_HASH"
check "gnutls %NO_SESSION_HASH (no EMS): refused with handshake_failure" \
  eval '! exit_is 0 && says "Received alert [40]: Handshake failed" && ! got_small'
note "gnutls without EMS: $(grep -m2 -e 'alert' -e 'Handshake' -e 'rror' gc.log gc.err | paste -sd' ')"

# --rehandshake: gnutls-cli starts a second handshake on the connection.
gnutls --priority "$tls12_only" --rehandshake
check "gnutls --rehandshake: refused with the alert no_renegotiation (100)" \
  eval 'says "alert [100]" && says "ReHandshake has failed"'
note "rehandshake: $(grep -m1 'alert' gc.log) / $(grep -m1 -i 'rehandshake' gc.log gc.err)"
gnutls --priority "$tls12_only"
check "after the rehandshake attempt tern serve still serves" eval 'serve_alive && gnutls_tls12 "(ECDSA-"'

# --- curl --tls-max 1.2 ---
base="https://localhost:$port"
curl_opts=(-sS --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1" --max-time 60)
out=$(curl "${curl_opts[@]}" --tlsv1.2 --tls-max 1.2 -v -o big.out "$base/big.bin" 2>&1)
status=$?
check "curl --tls-max 1.2: 1 MiB file byte for byte" eval 'exit_is 0 && same_file big.out "$www/big.bin"'
check "curl: TLS 1.2 and an ECDHE-ECDSA AEAD suite" \
  eval 'grep -q "SSL connection using TLSv1.2 / ECDHE-ECDSA-\(AES128-GCM-SHA256\|AES256-GCM-SHA384\|CHACHA20-POLY1305\)" <<<"$out"'
note "curl: $(grep -m1 'SSL connection using' <<<"$out")"
for suite in ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-CHACHA20-POLY1305; do
  out=$(curl "${curl_opts[@]}" --tlsv1.2 --tls-max 1.2 --ciphers "$suite" -v -o small.out \
    "$base/small.txt" 2>&1)
  status=$?
  check "curl --ciphers $suite: negotiated, file matches" \
    eval 'exit_is 0 && says "SSL connection using TLSv1.2 / $suite" && same_file small.out "$www/small.txt"'
done

# --- Python ssl, maximum_version TLSv1_2 ---
python_tls12() {  # PORT: prints "version cipher" and checks the body of /small.txt
  timeout 30 python3 - "$1" "$pki/root.pem" "$www/small.txt" <<'PY'
import http.client, ssl, sys
port, root, small = int(sys.argv[1]), sys.argv[2], open(sys.argv[3], "rb").read()
context = ssl.create_default_context(cafile=root)
context.maximum_version = ssl.TLSVersion.TLSv1_2
connection = http.client.HTTPSConnection("localhost", port, context=context, timeout=20)
connection.request("GET", "/small.txt")
version, cipher = connection.sock.version(), connection.sock.cipher()[0]
response = connection.getresponse()
body = response.read()
print(version, cipher, response.status, "body-ok" if body == small else "body-differs")
PY
}
out=$(python_tls12 "$port" 2>&1)
status=$?
check "python maximum_version=TLSv1_2: TLS 1.2, an ECDHE-ECDSA AEAD suite, 200, body matches" \
  eval 'exit_is 0 && grep -q "^TLSv1.2 ECDHE-ECDSA-[A-Z0-9-]*\(GCM\|POLY1305\)[A-Z0-9-]* 200 body-ok$" <<<"$out"'
note "python TLS 1.2: $out"

# --- RSA leaf ---
start_serve_with "$pki/fullchain-rsa.pem" "$pki/leaf-rsa.key" --tls-max 1.2
for group in X25519 SECP256R1 SECP384R1; do
  gnutls --priority "$tls12_only:-GROUP-ALL:+GROUP-$group"
  check "gnutls RSA leaf, only $group: negotiated" eval 'gnutls_tls12 "(ECDHE-$group)-(RSA-"'
  note "gnutls RSA leaf, $group: $(description)"
done
for cipher in AES-128-GCM AES-256-GCM CHACHA20-POLY1305; do
  gnutls --priority "$tls12_only:-CIPHER-ALL:+$cipher"
  check "gnutls RSA leaf, cipher $cipher (ECDHE-RSA): negotiated" eval 'gnutls_tls12 "-($cipher)"'
done
for sign in RSA-SHA256 RSA-SHA512 RSA-PSS-RSAE-SHA256 RSA-PSS-RSAE-SHA384; do
  gnutls --priority "$tls12_only:-SIGN-ALL:+SIGN-$sign"
  check "gnutls RSA leaf, only SIGN-$sign: ServerKeyExchange signed with it" \
    eval 'gnutls_tls12 "-($sign)-"'
  note "gnutls RSA leaf, $sign: $(description)"
done
out=$(python_tls12 "$port" 2>&1)
status=$?
check "python TLS 1.2, RSA leaf: an ECDHE-RSA AEAD suite, body matches" \
  eval 'exit_is 0 && grep -q "^TLSv1.2 ECDHE-RSA-[A-Z0-9-]* 200 body-ok$" <<<"$out"'
note "python TLS 1.2, RSA leaf: $out"

# --- --allow-no-ems ---
start_serve_fresh --tls-max 1.2 --allow-no-ems
gnutls --priority "$tls12_only:%NO_SESSION_HASH"
check "--allow-no-ems: gnutls without EMS served in TLS 1.2" \
  eval 'exit_is 0 && says "(TLS1.2-X.509)" && ! grep -q "^- Options:.*extended master secret" gc.log && got_small'
note "--allow-no-ems: $(description) $(options)"

# --- the default server: clients capped at 1.2 ---
start_serve_fresh
gnutls --priority "$tls12_only"
check "default server, gnutls capped at TLS 1.2: TLS 1.2 with EMS" eval 'gnutls_tls12 "(ECDSA-"'
out=$(curl -sS --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1" --max-time 60 \
  --tlsv1.2 --tls-max 1.2 -v -o big.out "https://localhost:$port/big.bin" 2>&1)
status=$?
check "default server, curl --tls-max 1.2: TLS 1.2, 1 MiB byte for byte" \
  eval 'exit_is 0 && says "SSL connection using TLSv1.2" && same_file big.out "$www/big.bin"'
out=$(python_tls12 "$port" 2>&1)
status=$?
check "default server, python capped at TLS 1.2: TLS 1.2, body matches" \
  eval 'exit_is 0 && grep -q "^TLSv1.2 .* 200 body-ok$" <<<"$out"'
note "default server, python TLS 1.2: $out"
check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
