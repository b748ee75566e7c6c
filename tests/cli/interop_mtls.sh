#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Mutual TLS with real peers, in TLS 1.3 and TLS 1.2. Against `tern serve --client-ca root.pem
# --require-client-cert`: openssl s_client, gnutls-cli, curl and Python's ssl module (see
# interop_mtls.py) with the client certificate and its intermediate (served), without one
# (certificate_required in 1.3, handshake_failure in 1.2), with a certificate from another root
# (unknown_ca), without its intermediate, with the localhost server certificate (serverAuth
# only), with an RSA key (PKCS#1 and PSS CertificateVerify in 1.2); --client-ca alone serves a
# client without a certificate; a server limited to TLS 1.2. The other way round: `tern get
# --cert client-chain.pem --key client.key` (and tern connect) against `openssl s_server
# -Verify 2 -verify_return_error` and `gnutls-serv --require-client-cert --verify-client-cert`,
# whose logs say which client certificate they verified and how it signed.
# Usage: bash tests/cli/interop_mtls.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_mtls "$@"
make_pki
make_docroot
cd "$work"
cat "$pki/client-rsa.pem" "$pki/intermediate.pem" >"$pki/client-rsa-chain.pem"
printf 'GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >request

# ---------------------------------------------------------------------------------------------
# Real clients against tern serve
# ---------------------------------------------------------------------------------------------

# s_client [ARGS...]: one verified request for /small.txt with -brief; the response in sc.out,
# the summary and any error in sc.err and $out.
s_client() {
  timeout 20 openssl s_client -connect "127.0.0.1:$port" -servername localhost \
    -CAfile "$pki/root.pem" -verify_return_error -verify_hostname localhost -brief -ign_eof \
    "$@" <request >sc.out 2>sc.err
  status=$?
  out=$(cat sc.err)
}
got_small() { http_body sc.out | cmp -s - "$www/small.txt"; }
# With -trace, s_client mixes its message dump into stdout: look for the file's text instead.
got_small_trace() { grep -qF -- "$(cat "$www/small.txt")" sc.out; }
not_served() { ! grep -qF -- "$page_marker" sc.out; }
summary() {
  grep -E '^(Protocol version|Ciphersuite|Requested Signature Algorithms):' sc.err | paste -sd';'
}
alert() { grep -m1 -o 'alert [a-z ]*:' sc.err | tr -d : || echo "(no alert; exit $status)"; }
# The CertificateVerify signature schemes in an s_client/s_server -trace dump (FILE).
cv_schemes() {
  grep -A1 'CertificateVerify, Length' "$1" | grep -o 'Signature Algorithm: [a-z0-9_]*' |
    sed 's/Signature Algorithm: //' | paste -sd' '
}
client_ec=(-cert "$pki/client.pem" -key "$pki/client.key" -cert_chain "$pki/intermediate.pem")
client_rsa=(-cert "$pki/client-rsa.pem" -key "$pki/client-rsa.key" -cert_chain "$pki/intermediate.pem")
declare -A flag=([1.3]=-tls1_3 [1.2]=-tls1_2)
declare -A no_cert_alert=([1.3]="certificate required" [1.2]="handshake failure")

start_serve_fresh --client-ca "$pki/root.pem" --require-client-cert
note "tern serve --client-ca root.pem --require-client-cert on port $port"
for v in 1.3 1.2; do
  s_client "${flag[$v]}" "${client_ec[@]}"
  check "s_client TLS $v, client.pem + intermediate: TLSv$v, GET /small.txt served" \
    eval 'exit_is 0 && says "Protocol version: TLSv$v" && got_small'
  note "s_client TLS $v with client.pem: $(summary)"

  s_client "${flag[$v]}"
  check "s_client TLS $v without a certificate: refused, alert \"${no_cert_alert[$v]}\"" \
    eval 'not_served && says "alert ${no_cert_alert[$v]}"'
  note "s_client TLS $v without a certificate: exit $status, $(alert)"

  s_client "${flag[$v]}" -cert "$pki/other-client.pem" -key "$pki/other-client.key"
  check "s_client TLS $v, other-client.pem (another root): refused, unknown ca" \
    eval 'not_served && (says "alert unknown ca" || says "alert bad certificate")'
  note "s_client TLS $v with other-client.pem: exit $status, $(alert)"

  s_client "${flag[$v]}" -cert "$pki/client.pem" -key "$pki/client.key"
  check "s_client TLS $v, client.pem without its intermediate: refused, unknown ca" \
    eval 'not_served && (says "alert unknown ca" || says "alert bad certificate")'
  note "s_client TLS $v with client.pem alone: exit $status, $(alert)"

  s_client "${flag[$v]}" -cert "$pki/leaf.pem" -key "$pki/leaf.key" -cert_chain "$pki/intermediate.pem"
  check "s_client TLS $v, leaf.pem (serverAuth only) as client certificate: refused" \
    eval 'not_served && grep -qE "alert (unsupported certificate|bad certificate|certificate unknown)" sc.err'
  note "s_client TLS $v with leaf.pem: exit $status, $(alert)"
done

# RSA client certificate: in TLS 1.3 RSA-PSS; in TLS 1.2 whichever the client picks from the
# server's list (s_client -client_sigalgs narrows its own choice): PKCS#1 v1.5 or PSS.
s_client -tls1_3 -trace "${client_rsa[@]}"
check "s_client TLS 1.3, client-rsa.pem: served, client signs rsa_pss_rsae_*" \
  eval 'exit_is 0 && got_small_trace && [[ $(cv_schemes sc.out) == *rsa_pss_rsae_* ]]'
note "s_client TLS 1.3 with client-rsa.pem: CertificateVerify schemes (server, client): $(cv_schemes sc.out)"
for scheme in rsa_pkcs1_sha256 rsa_pkcs1_sha384 rsa_pss_rsae_sha256 rsa_pss_rsae_sha512; do
  s_client -tls1_2 -trace -client_sigalgs "$scheme" "${client_rsa[@]}"
  check "s_client TLS 1.2, client-rsa.pem signing $scheme: verified by tern, served" \
    eval 'exit_is 0 && got_small_trace && [[ $(cv_schemes sc.out) == "$scheme" ]]'
done

# gnutls-cli: --x509certfile (chain, leaf first) and --x509keyfile.
gnutls() {
  rm -f gc.log
  timeout 20 gnutls-cli --x509cafile "$pki/root.pem" --port "$port" --logfile=gc.log "$@" \
    localhost <request >gc.out 2>gc.err
  status=$?
  out=$(cat gc.log gc.err 2>/dev/null)
}
gnutls_small() { http_body gc.out | cmp -s - "$www/small.txt"; }
declare -A prio=([1.3]='NORMAL:-VERS-ALL:+VERS-TLS1.3' [1.2]='NORMAL:-VERS-ALL:+VERS-TLS1.2')
declare -A gnutls_no_cert=([1.3]="Received alert [116]" [1.2]="Received alert [40]")
for v in 1.3 1.2; do
  gnutls --priority "${prio[$v]}" --x509certfile "$pki/client-chain.pem" --x509keyfile "$pki/client.key"
  check "gnutls-cli TLS $v, client-chain.pem: sent 2 certificates, TLS$v, GET /small.txt served" \
    eval 'exit_is 0 && says "Successfully sent 2 certificate(s)" && says "(TLS$v-X.509)" && gnutls_small'
  note "gnutls-cli TLS $v with client-chain.pem: $(grep -m1 '^- Description:' gc.log)"
  gnutls --priority "${prio[$v]}" --x509certfile "$pki/client-rsa-chain.pem" --x509keyfile "$pki/client-rsa.key"
  check "gnutls-cli TLS $v, client-rsa-chain.pem: GET /small.txt served" \
    eval 'exit_is 0 && gnutls_small'
  gnutls --priority "${prio[$v]}"
  check "gnutls-cli TLS $v without a certificate: refused (${gnutls_no_cert[$v]})" \
    eval '! exit_is 0 && says "${gnutls_no_cert[$v]}"'
  note "gnutls-cli TLS $v without a certificate: $(grep -m1 'Received alert' gc.log)"
done

# curl --cert/--key (PEM chain, leaf first).
curl_opts=(-sS --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1" --max-time 20)
declare -A curl_max=([1.3]=1.3 [1.2]=1.2)
for v in 1.3 1.2; do
  out=$(curl "${curl_opts[@]}" -v --tls-max "${curl_max[$v]}" --cert "$pki/client-chain.pem" \
    --key "$pki/client.key" -o curl.out "https://localhost:$port/small.txt" 2>&1)
  status=$?
  check "curl --tls-max $v --cert client-chain.pem: TLSv$v, body matches" \
    eval 'exit_is 0 && says "SSL connection using TLSv$v" && same_file curl.out "$www/small.txt"'
  note "curl TLS $v with a certificate: $(grep -m1 'SSL connection using' <<<"$out")"
  out=$(curl "${curl_opts[@]}" --tls-max "${curl_max[$v]}" -o curl.out \
    "https://localhost:$port/small.txt" 2>&1)
  status=$?
  check "curl --tls-max $v without a certificate: refused, ${no_cert_alert[$v]}" \
    eval '! exit_is 0 && says "alert ${no_cert_alert[$v]}"'
  note "curl TLS $v without a certificate: $out"
done

# Python's ssl module: load_cert_chain, both versions.
out=$(timeout 90 python3 "$lib_dir/interop_mtls.py" "$port" "$pki" "$www" 2>&1)
status=$?
printf '%s\n' "$out"
count_tap
check "python mTLS client finished (exit 0)" exit_is 0

check "tern serve still running after the refused clients" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'

# --client-ca without --require-client-cert: asked, not required; a bad one still refused.
start_serve_fresh --client-ca "$pki/root.pem"
for v in 1.3 1.2; do
  s_client "${flag[$v]}"
  check "--client-ca only, s_client TLS $v without a certificate: served" \
    eval 'exit_is 0 && says "Protocol version: TLSv$v" && got_small'
  s_client "${flag[$v]}" "${client_ec[@]}"
  check "--client-ca only, s_client TLS $v with client.pem: served" \
    eval 'exit_is 0 && got_small'
  s_client "${flag[$v]}" -cert "$pki/other-client.pem" -key "$pki/other-client.key"
  check "--client-ca only, s_client TLS $v with other-client.pem: refused (verified when sent)" \
    eval 'not_served && (says "alert unknown ca" || says "alert bad certificate")'
  note "--client-ca only, TLS $v, other-client.pem: exit $status, $(alert)"
done
stop_serve

# A server limited to TLS 1.2 (the client offers both versions).
start_serve_fresh --client-ca "$pki/root.pem" --require-client-cert --tls-max 1.2
s_client "${client_ec[@]}"
check "tern serve --tls-max 1.2, s_client with client.pem: TLSv1.2, served" \
  eval 'exit_is 0 && says "Protocol version: TLSv1.2" && got_small'
s_client
check "tern serve --tls-max 1.2, s_client without a certificate: handshake failure" \
  eval 'not_served && says "alert handshake failure"'
stop_serve

# ---------------------------------------------------------------------------------------------
# tern get / tern connect against real servers that require a client certificate
# ---------------------------------------------------------------------------------------------

# get [ARGS...]: tern get -v of /small.txt; body in get.out, stderr in $out.
get() {
  out=$(timeout 30 "$tern" get -v --cacert "$pki/root.pem" "$@" -o get.out \
    "https://localhost:$port/small.txt" 2>&1)
  status=$?
}
get_summary() { grep -E '^\* TLS' <<<"$out" | paste -sd' '; }
tern_error() { grep -m1 '^tern get' <<<"$out"; }
# A refusal of the client's certificate: curl's 35 when it comes in the handshake (TLS 1.2),
# 56 when it comes after the client's Finished, on the first read (TLS 1.3).
tls_refused() { exit_is 35 || exit_is 56; }
declare -A tern_max=([1.3]=1.3 [1.2]=1.2)
# mark FILE / since FILE: what a server logged after the mark (one connection's worth).
# log_wait FILE TEXT: waits (at most 3 s) until TEXT is in what FILE got since the mark (the
# servers run under stdbuf -oL, still their last lines may land just after tern exits).
mark() { log_mark=$(stat -c %s "$1"); }
since() { tail -c +"$((log_mark + 1))" "$1"; }
# logged FILE REGEX: FILE got a line matching REGEX since the mark (grep reads it all: no
# SIGPIPE for pipefail to see).
logged() { since "$1" | grep -E -- "$2" >/dev/null; }
log_wait() {
  local i
  for ((i = 0; i < 30; i++)); do
    logged "$1" "$2" && return 0
    sleep 0.1
  done
  return 1
}

# s_server [ARGS...]: openssl s_server -WWW requiring and verifying a client certificate (root.pem),
# -trace to show the client's CertificateVerify; log in s_server.out; sets $port.
s_server() {
  stop_s_server
  port=$(free_port)
  (cd "$www" && exec timeout 120 stdbuf -oL -eL openssl s_server -accept "127.0.0.1:$port" \
    -cert "$pki/leaf.pem" -key "$pki/leaf.key" -cert_chain "$pki/chain.pem" -Verify 2 -CAfile "$pki/root.pem" \
    -verify_return_error -naccept 100 "$@" >"$work/s_server.out" 2>&1) &
  s_server_pid=$!
  background_pids+=("$s_server_pid")
  wait_port "$port" && return 0
  echo "not ok - openssl s_server did not start"
  cat "$work/s_server.out"
  exit 1
}
stop_s_server() {
  if [[ -n ${s_server_pid:-} ]]; then
    kill "$s_server_pid" 2>/dev/null
    wait "$s_server_pid" 2>/dev/null
    s_server_pid=""
  fi
}
# What s_server said about the client: the subject at depth 0 of its verification.
s_server_client() { since s_server.out | sed -n 's/.*\(depth=0 .*\)/\1/p' | sed 's/verify.*//' | head -n 1; }

s_server -WWW
for v in 1.3 1.2; do
  mark s_server.out
  get --tls-max "${tern_max[$v]}" --cert "$pki/client-chain.pem" --key "$pki/client.key"
  log_wait s_server.out "FILE:small.txt"
  check "tern get TLS $v --cert client-chain.pem vs s_server -Verify 2: body, s_server verified CN=tern test client" \
    eval 'exit_is 0 && says "* TLS $v," && same_file get.out "$www/small.txt" && logged s_server.out "depth=0 CN = tern test client"'
  note "tern get TLS $v vs s_server: $(get_summary); s_server verified: $(s_server_client)"

  get --tls-max "${tern_max[$v]}"
  check "tern get TLS $v without --cert vs s_server -Verify 2: exit 35/56" tls_refused
  note "tern get TLS $v without --cert: $(tern_error)"

  get --tls-max "${tern_max[$v]}" --cert "$pki/client.pem" --key "$pki/client.key"
  check "tern get TLS $v --cert client.pem without the intermediate: exit 35/56 (s_server cannot verify)" \
    tls_refused
  note "tern get TLS $v --cert client.pem alone: $(tern_error)"

  get --tls-max "${tern_max[$v]}" --cert "$pki/other-client.pem" --key "$pki/other-client.key"
  check "tern get TLS $v --cert other-client.pem: exit 35/56 (unknown_ca from s_server)" \
    eval 'tls_refused && says "unknown_ca"'
done

# tern connect --cert: s_server -rev answers each line reversed once the client is verified.
s_server -rev
mark s_server.out
out=$(printf 'hello mtls\n' | timeout 20 "$tern" connect --cacert "$pki/root.pem" \
  --servername localhost --cert "$pki/client-chain.pem" --key "$pki/client.key" \
  "127.0.0.1:$port" 2>connect.err)
status=$?
log_wait s_server.out "depth=0"
check "tern connect --cert client-chain.pem vs s_server -rev -Verify 2: echoed reversed" \
  eval 'exit_is 0 && says "sltm olleh" && logged s_server.out "depth=0 CN = tern test client"'
note "tern connect vs s_server -rev: s_server verified: $(s_server_client)"

# RSA client certificate: TLS 1.3 signs with RSA-PSS; TLS 1.2 with what the server asks for
# (s_server -client_sigalgs is the signature_algorithms list of its CertificateRequest).
s_server -WWW -trace -tls1_3
mark s_server.out
get --cert "$pki/client-rsa-chain.pem" --key "$pki/client-rsa.key"
log_wait s_server.out "FILE:small.txt"
since s_server.out >trace.out
check "tern get TLS 1.3 --cert client-rsa-chain.pem: verified, RSA-PSS CertificateVerify" \
  eval 'exit_is 0 && same_file get.out "$www/small.txt" && [[ $(cv_schemes trace.out) == *rsa_pss_rsae_* ]]'
note "tern get TLS 1.3 RSA client: s_server saw CertificateVerify schemes (server, client): $(cv_schemes trace.out); verified: $(s_server_client)"
s_server -WWW -trace -tls1_2
mark s_server.out
get --cert "$pki/client-rsa-chain.pem" --key "$pki/client-rsa.key"
log_wait s_server.out "FILE:small.txt"
since s_server.out >trace.out
check "tern get TLS 1.2 --cert client-rsa-chain.pem (any scheme allowed): verified" \
  eval 'exit_is 0 && same_file get.out "$www/small.txt" && [[ -n $(cv_schemes trace.out) ]]'
note "tern get TLS 1.2 RSA client, s_server's default list: tern signed with $(cv_schemes trace.out)"
for scheme in rsa_pkcs1_sha256 rsa_pkcs1_sha384 rsa_pss_rsae_sha256 rsa_pss_rsae_sha384; do
  s_server -WWW -trace -tls1_2 -client_sigalgs "$scheme"
  mark s_server.out
  get --cert "$pki/client-rsa-chain.pem" --key "$pki/client-rsa.key"
  log_wait s_server.out "FILE:small.txt"
  since s_server.out >trace.out
  check "tern get TLS 1.2 RSA client, s_server asks for $scheme only: signed with it, verified" \
    eval 'exit_is 0 && same_file get.out "$www/small.txt" && [[ $(cv_schemes trace.out) == "$scheme" ]]'
done
stop_s_server

# gnutls-serv --http: --require-client-cert, and --verify-client-cert so that it also checks the
# chain against --x509cafile (without it gnutls-serv only logs "NOT verified").
port=$(free_port)
timeout 120 stdbuf -oL -eL gnutls-serv --http --port "$port" --x509certfile "$pki/fullchain.pem" \
  --x509keyfile "$pki/leaf.key" --require-client-cert --verify-client-cert \
  --x509cafile "$pki/root.pem" --priority NORMAL >gnutls-serv.out 2>&1 &
gnutls_pid=$!
background_pids+=("$gnutls_pid")
wait_port "$port" || { echo "not ok - gnutls-serv did not start"; cat gnutls-serv.out; exit 1; }
gnutls_page() { grep -q "GnuTLS" get.out; }
gnutls_said() { since gnutls-serv.out | grep -E '^- (Status|Version|Client Signature):|^	Subject: CN=tern' | sed 's/ *$//' | paste -sd';'; }
gnutls_get() {
  out=$(timeout 30 "$tern" get -v --cacert "$pki/root.pem" "$@" -o get.out \
    "https://localhost:$port/" 2>&1)
  status=$?
}
declare -A gnutls_version=([1.3]=TLS1.3 [1.2]=TLS1.2)
for v in 1.3 1.2; do
  mark gnutls-serv.out
  gnutls_get --tls-max "${tern_max[$v]}" --cert "$pki/client-chain.pem" --key "$pki/client.key"
  log_wait gnutls-serv.out "Client Signature"
  check "tern get TLS $v --cert client-chain.pem vs gnutls-serv: page; gnutls-serv trusted CN=tern test client" \
    eval 'exit_is 0 && gnutls_page && logged gnutls-serv.out "Status: The certificate is trusted" && logged gnutls-serv.out "Subject: CN=tern test client\$" && logged gnutls-serv.out "^- Version: ${gnutls_version[$v]}"'
  note "tern get TLS $v vs gnutls-serv: $(get_summary); gnutls-serv: $(gnutls_said)"

  mark gnutls-serv.out
  gnutls_get --tls-max "${tern_max[$v]}" --cert "$pki/client-rsa-chain.pem" --key "$pki/client-rsa.key"
  log_wait gnutls-serv.out "Client Signature"
  check "tern get TLS $v --cert client-rsa-chain.pem vs gnutls-serv: page; trusted, RSA signature" \
    eval 'exit_is 0 && gnutls_page && logged gnutls-serv.out "Status: The certificate is trusted" && logged gnutls-serv.out "^- Client Signature: RSA"'
  note "tern get TLS $v RSA client vs gnutls-serv: $(gnutls_said)"

  mark gnutls-serv.out
  gnutls_get --tls-max "${tern_max[$v]}"
  check "tern get TLS $v without --cert vs gnutls-serv --require-client-cert: exit 35/56" tls_refused
  note "tern get TLS $v without --cert vs gnutls-serv: $(grep -m1 '^tern get' <<<"$out")"

  mark gnutls-serv.out
  gnutls_get --tls-max "${tern_max[$v]}" --cert "$pki/other-client.pem" --key "$pki/other-client.key"
  log_wait gnutls-serv.out "Status:"
  check "tern get TLS $v --cert other-client.pem vs gnutls-serv: exit 35/56, gnutls-serv: NOT trusted" \
    eval 'tls_refused && logged gnutls-serv.out "The certificate is NOT trusted"'
  note "tern get TLS $v other-client vs gnutls-serv: $(grep -m1 '^tern get' <<<"$out")"
done
finish
