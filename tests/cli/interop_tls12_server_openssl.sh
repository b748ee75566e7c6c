#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `openssl s_client -tls1_2` against `tern serve --tls-max 1.2` (and against the default,
# 1.3-capable server): the six ECDHE suites (P-256 leaf for ECDSA, RSA leaf for RSA), each
# group, each ServerKeyExchange signature scheme, extended master secret and secure
# renegotiation indication; a client without EMS (refused, then --allow-no-ems); TLS_FALLBACK_SCSV
# (inappropriate_fallback from a 1.3 server); a renegotiation attempt (no_renegotiation, the
# server stays up); hand-made ClientHellos (tls12_hello.py) offering only CBC, RC4, 3DES,
# export, NULL or anonymous suites (handshake_failure), compression, the SCSV.
# Usage: bash tests/cli/interop_tls12_server_openssl.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_tls12_server_openssl "$@"
make_pki
make_docroot
cd "$work"
cat "$pki/leaf-rsa.pem" "$pki/chain.pem" >"$pki/fullchain-rsa.pem"
printf 'GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >request
# OpenSSL without extended master secret (no s_client flag for it in 3.0): system_default.
cat >no-ems.cnf <<'CNF'
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
Options = -ExtendedMasterSecret
CNF

# s_client [ARGS...]: one verified request for /small.txt in TLS 1.2 (without -brief, so the
# session block with "Extended master secret" is printed); stdout in sc.out, $out has both.
s_client() {
  timeout 20 openssl s_client -connect "127.0.0.1:$port" -servername localhost \
    -CAfile "$pki/root.pem" -verify_return_error -verify_hostname localhost -ign_eof \
    -tls1_2 "$@" <request >sc.out 2>sc.err
  status=$?
  out=$(sed '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/d' sc.out; cat sc.err)
}
# The response body; s_client (without -brief) adds a line "closed" when the server closes.
got_small() {
  http_body sc.out >sc.body
  cmp -s sc.body "$www/small.txt" || cmp -s sc.body <(cat "$www/small.txt"; echo closed)
}
# tls12 SUITE: verified TLS 1.2 with SUITE, EMS and RFC 5746, the file received.
tls12() {
  exit_is 0 && says "Protocol  : TLSv1.2" && says "Cipher    : $1" && says "Verification: OK" &&
    says "Extended master secret: yes" && says "Secure Renegotiation IS supported" && got_small
}
summary() {
  grep -E '^( *Protocol  :| *Cipher    :|Server Temp Key:|Peer signature type:|Peer signing digest:| *Extended master secret:)' \
    <<<"$out" | sed 's/^ *//' | paste -sd';'
}
hello() {  # tls12_hello.py ARGS: the server's answer to a hand-made ClientHello in $out
  out=$(timeout 20 python3 "$lib_dir/tls12_hello.py" "$port" "$@" 2>&1)
  status=$?
}

# --- tern serve --tls-max 1.2, P-256 leaf ---
start_serve --tls-max 1.2
for suite in ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-ECDSA-CHACHA20-POLY1305; do
  s_client -cipher "$suite"
  check "suite $suite: TLS 1.2, EMS, secure renegotiation, GET /small.txt" eval 'tls12 "$suite"'
  note "suite $suite: $(summary)"
done
declare -A temp_key=([X25519]="Server Temp Key: X25519, 253 bits"
  [P-256]="Server Temp Key: ECDH, prime256v1, 256 bits"
  [P-384]="Server Temp Key: ECDH, secp384r1, 384 bits")
# In TLS 1.2 the client's supported_groups also bounds the curve of an ECDSA certificate
# (RFC 8422 5.1): with the P-256 leaf every list includes P-256; the RSA leaf (below) takes
# each group alone.
for group in X25519 P-384; do
  s_client -groups "$group:P-256"
  check "groups $group:P-256 (P-256 leaf): handshake in TLS 1.2" eval 'tls12 ECDHE-ECDSA-'
  note "groups $group:P-256: $(summary)"
done
s_client -groups P-256
check "group P-256 alone: negotiated in TLS 1.2" eval 'tls12 ECDHE-ECDSA- && says "${temp_key[P-256]}"'
# A client whose only group is X25519 cannot take a P-256 certificate: the server "MUST NOT
# negotiate the use of an ECC cipher suite" it cannot complete within the client's curves
# (RFC 8422 5.1); openssl s_server answers handshake_failure.
s_client -groups X25519
check "groups X25519 alone, P-256 leaf: the server refuses ECDHE-ECDSA (handshake_failure, RFC 8422 5.1)" \
  eval '! exit_is 0 && says "alert handshake failure"'
note "groups X25519 alone, P-256 leaf: exit $status, $(summary) $(grep -m1 -o 'error:.*' sc.err)"
declare -A digest=([ECDSA+SHA256]=SHA256 [ECDSA+SHA384]=SHA384 [ECDSA+SHA512]=SHA512)
for sigalg in ECDSA+SHA256 ECDSA+SHA384 ECDSA+SHA512; do
  s_client -sigalgs "$sigalg"
  check "-sigalgs $sigalg: ServerKeyExchange signed with ECDSA, ${digest[$sigalg]}" \
    eval 'tls12 ECDHE-ECDSA- && says "Peer signature type: ECDSA" && says "Peer signing digest: ${digest[$sigalg]}"'
  note "-sigalgs $sigalg: $(summary)"
done
s_client -cipher 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384'
check "ECDHE-RSA suites only, P-256 leaf: handshake_failure" \
  eval '! exit_is 0 && says "alert handshake failure"'
s_client -fallback_scsv
check "TLS_FALLBACK_SCSV to a server whose highest version is 1.2: accepted" \
  eval 'tls12 ECDHE-ECDSA-'
OPENSSL_CONF=$work/no-ems.cnf s_client
check "client without extended master secret: refused (handshake_failure)" \
  eval '! exit_is 0 && says "alert handshake failure" && ! got_small'
note "no EMS: $(grep -m1 -o 'error:.*' sc.err)"
hello --no-ems
check "hand-made ClientHello without extended_master_secret: fatal handshake_failure" \
  says "answer: alert fatal handshake_failure"
note "no EMS, hand-made: $out"

# Hand-made ClientHellos: the server must not take anything but its AEAD ECDHE suites.
declare -A legacy=(
  [CBC]=C009,C00A,C013,C014,C023,C024,C027,C028,002F,0035,003C,003D,009E
  [RC4]=0004,0005,C007,C011
  [3DES]=000A,C008,C012,0016
  [export]=0003,0006,0008,0011,0014,0062,0064
  [NULL]=0001,0002,003B,C006,C010
  [anonymous]=0018,001B,0034,003A,00A6,00A7,C015,C016,C017,C018,C019)
for kind in CBC RC4 3DES export NULL anonymous; do
  hello --suites "${legacy[$kind]}"
  check "ClientHello offering only $kind suites: fatal handshake_failure" \
    says "answer: alert fatal handshake_failure"
  note "only $kind: $out"
done
s_client -cipher AES128-SHA
check "openssl s_client -cipher AES128-SHA (CBC only): handshake_failure" \
  eval '! exit_is 0 && says "alert handshake failure"'
hello --compression 1,0
check "ClientHello offering DEFLATE and null compression: the server picks null" \
  eval 'says "answer: ServerHello version 0303 suite 0xC02B compression 0 "'
note "compression 1,0: $out"
hello --compression 1
check "ClientHello offering only DEFLATE compression: a fatal alert, no ServerHello" \
  says "answer: alert fatal"
note "compression 1 only: $out"
hello
check "ServerHello echoes extended_master_secret (0017) and renegotiation_info (ff01)" \
  eval 'says "answer: ServerHello version 0303" && grep -q "extensions.*0017" <<<"$out" && grep -q "extensions.*ff01" <<<"$out"'
note "--tls-max 1.2 server: $out"
hello --no-reneg-ext --scsv
check "TLS_EMPTY_RENEGOTIATION_INFO_SCSV instead of the extension: renegotiation_info in the ServerHello" \
  eval 'says "answer: ServerHello version 0303" && grep -q "extensions.*ff01" <<<"$out"'
note "SCSV: $out"

# A renegotiation attempt: s_client's "R" sends a new ClientHello on the connection.
timeout 60 python3 "$lib_dir/interactive_driver.py" "$work/reneg.transcript" \
  'expect:Extended master secret' 'sleep:0.3' 'send:R\n' 'expect:no_renegotiation' 'sleep:0.5' -- \
  openssl s_client -connect "127.0.0.1:$port" -servername localhost -CAfile "$pki/root.pem" \
  -verify_return_error -tls1_2 -msg >"$work/reneg.driver" 2>&1
status=$?
out=$(cat "$work/reneg.driver"; grep -E '^(<<<|>>>)|RENEG|error' "$work/reneg.transcript" | tail -n 12)
check "renegotiating ClientHello: answered with a no_renegotiation alert" \
  eval 'exit_is 0 && grep -q "^RENEGOTIATING" "$work/reneg.transcript" && grep -q "^<<< TLS 1.2, Alert \[length 0002\], [a-z]* no_renegotiation" "$work/reneg.transcript"'
note "renegotiation: $(grep -m1 -o '^<<< TLS 1.2, Alert.*' "$work/reneg.transcript")"
s_client
check "after the renegotiation attempt the server still serves" eval 'serve_alive && tls12 ECDHE-ECDSA-'

# --- RSA leaf: ECDHE-RSA suites and the RSA signature schemes ---
start_serve_with "$pki/fullchain-rsa.pem" "$pki/leaf-rsa.key" --tls-max 1.2
for suite in ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-CHACHA20-POLY1305; do
  s_client -cipher "$suite"
  check "RSA leaf, suite $suite: TLS 1.2, EMS, GET /small.txt" eval 'tls12 "$suite"'
  note "RSA leaf, suite $suite: $(summary)"
done
declare -A rsa_sig=([rsa_pss_rsae_sha256]="RSA-PSS SHA256" [rsa_pss_rsae_sha384]="RSA-PSS SHA384"
  [rsa_pss_rsae_sha512]="RSA-PSS SHA512" [rsa_pkcs1_sha256]="RSA SHA256"
  [rsa_pkcs1_sha384]="RSA SHA384" [rsa_pkcs1_sha512]="RSA SHA512")
for group in X25519 P-256 P-384; do
  s_client -groups "$group"
  check "RSA leaf, group $group alone: negotiated in TLS 1.2" \
    eval 'tls12 ECDHE-RSA- && says "${temp_key[$group]}"'
  note "RSA leaf, group $group: $(summary)"
done
for scheme in rsa_pss_rsae_sha256 rsa_pss_rsae_sha384 rsa_pss_rsae_sha512 rsa_pkcs1_sha256 \
  rsa_pkcs1_sha384 rsa_pkcs1_sha512; do
  read -r type hash <<<"${rsa_sig[$scheme]}"
  s_client -sigalgs "$scheme"
  check "RSA leaf, -sigalgs $scheme: ServerKeyExchange signed with it" \
    eval 'tls12 ECDHE-RSA- && says "Peer signature type: $type" && says "Peer signing digest: $hash"'
  note "RSA leaf, -sigalgs $scheme: $(summary)"
done
s_client -cipher AES128-GCM-SHA256:AES256-GCM-SHA384
check "RSA key transport only, server without --legacy-rsa-kex: handshake_failure" \
  eval '! exit_is 0 && says "alert handshake failure"'

# --- --allow-no-ems: a client without EMS is served ---
start_serve_fresh --tls-max 1.2 --allow-no-ems
OPENSSL_CONF=$work/no-ems.cnf s_client
check "--allow-no-ems: a client without EMS gets TLS 1.2 and the file" \
  eval 'exit_is 0 && says "Protocol  : TLSv1.2" && says "Extended master secret: no" && got_small'
note "--allow-no-ems, client without EMS: $(summary)"
s_client
check "--allow-no-ems: a client with EMS still gets it" eval 'tls12 ECDHE-ECDSA-'

# --- the default (1.3-capable) server: a client capped at 1.2, and TLS_FALLBACK_SCSV ---
start_serve_fresh
s_client
check "default server, client capped at TLS 1.2: TLS 1.2 with EMS" eval 'tls12 ECDHE-ECDSA-'
note "default server, -tls1_2: $(summary)"
s_client -fallback_scsv
check "default server, -tls1_2 -fallback_scsv: fatal inappropriate_fallback (RFC 7507)" \
  eval '! exit_is 0 && says "alert inappropriate fallback" && ! got_small'
note "fallback SCSV: $(grep -m1 -o 'error:.*' sc.err)"
hello --fallback-scsv
check "hand-made TLS 1.2 ClientHello with TLS_FALLBACK_SCSV: fatal inappropriate_fallback" \
  says "answer: alert fatal inappropriate_fallback"
hello
check "default server negotiating TLS 1.2: server random ends in DOWNGRD\\x01 (RFC 8446 4.1.3)" \
  says "random ends 444f574e47524401"
note "default server, TLS 1.2 ClientHello: $out"
check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
