#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern get` and `tern connect` in TLS 1.2 against `openssl s_server -tls1_2` and `gnutls-serv`
# restricted to TLS 1.2: every suite (OpenSSL and IANA names), every group, ECDSA P-256/P-384
# and RSA leaves, each ServerKeyExchange signature scheme, a 1 MiB body, the -v lines;
# servers without extended master secret (refused, then --allow-no-ems), RSA key transport
# (--legacy-rsa-kex), --tls-min 1.3, a HelloRequest (answered by no_renegotiation) and the
# RFC 8446 downgrade sentinel (downgrade_server.py).
# Usage: bash tests/cli/interop_tls12_client.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_tls12_client "$@"
make_pki
make_docroot 1
cd "$work"

# An OpenSSL configuration that turns extended master secret off (OpenSSL 3.0's s_server has
# no flag for it): applied to every SSL_CTX of the process through system_default.
cat >no-ems.cnf <<'CNF'
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
Options = -ExtendedMasterSecret
CNF

# s_server LEAF [ARGS...]: openssl s_server -tls1_2 -WWW on a free port serving $www; sets $port.
s_server() {
  local leaf=$1
  shift
  stop_server
  port=$(free_port)
  (cd "$www" && exec timeout 120 openssl s_server -accept "127.0.0.1:$port" -cert "$pki/$leaf.pem" \
    -key "$pki/$leaf.key" -cert_chain "$pki/chain.pem" -tls1_2 -quiet -naccept 100 -WWW "$@" \
    >"$work/s_server.out" 2>&1) &
  server_pid=$!
  peer_started "openssl s_server" "$work/s_server.out"
}
# gnutls LEAF PRIORITY: gnutls-serv --http on a free port; sets $port.
gnutls() {
  stop_server
  cat "$pki/$1.pem" "$pki/chain.pem" >"$work/$1-full.pem"
  port=$(free_port)
  timeout 120 gnutls-serv --http --port "$port" --x509certfile "$work/$1-full.pem" \
    --x509keyfile "$pki/$1.key" --priority "$2" >"$work/gnutls-serv.out" 2>&1 &
  server_pid=$!
  peer_started "gnutls-serv" "$work/gnutls-serv.out"
}
# get PATH [ARGS...]: tern get -v; body in get.out, stderr in $out.
get() {
  local path=$1
  shift
  rm -f get.out
  out=$(timeout 30 "$tern" get -v --cacert "$pki/root.pem" "$@" -o get.out \
    "https://localhost:$port/$path" 2>&1)
  status=$?
}
summary() { grep -E '^\* (TLS|Extended|ALPN)' <<<"$out" | paste -sd' '; }
got_small() { same_file get.out "$www/small.txt"; }
tls12() { exit_is 0 && says "* TLS 1.2, cipher $1" && says "* Extended master secret: yes"; }
# gnutls-serv's status page says what the server negotiated.
page_says() { sed 's/<[^>]*>/ /g' get.out | tr -s ' ' | grep -qF -- "$1"; }

declare -A iana=(
  [ECDHE-ECDSA-AES128-GCM-SHA256]=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
  [ECDHE-ECDSA-AES256-GCM-SHA384]=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
  [ECDHE-ECDSA-CHACHA20-POLY1305]=TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
  [ECDHE-RSA-AES128-GCM-SHA256]=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
  [ECDHE-RSA-AES256-GCM-SHA384]=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
  [ECDHE-RSA-CHACHA20-POLY1305]=TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
  [AES128-GCM-SHA256]=TLS_RSA_WITH_AES_128_GCM_SHA256
  [AES256-GCM-SHA384]=TLS_RSA_WITH_AES_256_GCM_SHA384)

# --- openssl s_server -tls1_2, ECDSA P-256 leaf ---
s_server leaf
get small.txt
check "default tern get (offers 1.3) against a TLS 1.2-only server: TLS 1.2 with EMS, body matches" \
  eval 'tls12 TLS_ECDHE_ECDSA_ && got_small'
note "openssl -tls1_2, defaults: $(summary)"
get small.txt --tls-max 1.2
check "--tls-max 1.2: TLS 1.2 with EMS, body matches" eval 'tls12 TLS_ECDHE_ECDSA_ && got_small'
check "-v: chain and response head printed" \
  eval 'says "[0] CN=localhost" && says "< HTTP/1.0 200 ok"'
for suite in ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-ECDSA-CHACHA20-POLY1305; do
  get small.txt --tls-max 1.2 --ciphers "$suite"
  check "--ciphers $suite: ${iana[$suite]} negotiated, body matches" \
    eval 'tls12 "${iana[$suite]}" && got_small'
  note "openssl, --ciphers $suite: $(summary)"
  get small.txt --tls-max 1.2 --ciphers "${iana[$suite]}"
  check "--ciphers ${iana[$suite]} (IANA name) accepted and negotiated" \
    eval 'tls12 "${iana[$suite]}" && got_small'
done
get big.bin --tls-max 1.2
check "1 MiB body in TLS 1.2, byte for byte" eval 'tls12 TLS_ECDHE_ && same_file get.out "$www/big.bin"'

# The ServerKeyExchange signature: s_server -sigalgs makes the server sign with one scheme.
for scheme in ecdsa_secp256r1_sha256 ecdsa_secp384r1_sha384 ecdsa_secp521r1_sha512; do
  s_server leaf -sigalgs "$scheme"
  get small.txt --tls-max 1.2
  check "P-256 leaf, ServerKeyExchange signed with $scheme: verified" \
    eval 'tls12 TLS_ECDHE_ECDSA_ && says "signature $scheme" && got_small'
  note "openssl -sigalgs $scheme: $(summary)"
done
s_server leaf-p384
get small.txt --tls-max 1.2
check "P-384 leaf: verified in TLS 1.2" eval 'tls12 TLS_ECDHE_ECDSA_ && got_small'
note "openssl, leaf-p384: $(summary)"

# --- RSA leaf ---
s_server leaf-rsa
for suite in ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-CHACHA20-POLY1305; do
  get small.txt --tls-max 1.2 --ciphers "$suite"
  check "RSA leaf, --ciphers $suite: negotiated, body matches" \
    eval 'tls12 "${iana[$suite]}" && got_small'
  note "openssl leaf-rsa, --ciphers $suite: $(summary)"
  get small.txt --tls-max 1.2 --ciphers "${iana[$suite]}"
  check "RSA leaf, --ciphers ${iana[$suite]} (IANA name) accepted and negotiated" \
    eval 'tls12 "${iana[$suite]}" && got_small'
done
# Each group alone (an ECDSA P-256 leaf would need P-256 in the list too: RFC 8422 5.1).
for group in x25519 secp256r1 secp384r1; do
  get small.txt --tls-max 1.2 --groups "$group"
  check "RSA leaf, --groups $group: negotiated in TLS 1.2, body matches" \
    eval 'tls12 TLS_ECDHE_RSA_ && says "group $group," && got_small'
  note "openssl leaf-rsa, --groups $group: $(summary)"
done
for scheme in rsa_pss_rsae_sha256 rsa_pss_rsae_sha512 rsa_pkcs1_sha256 rsa_pkcs1_sha384 rsa_pkcs1_sha512; do
  s_server leaf-rsa -sigalgs "$scheme"
  get small.txt --tls-max 1.2
  check "RSA leaf, ServerKeyExchange signed with $scheme: verified" \
    eval 'tls12 TLS_ECDHE_RSA_ && says "signature $scheme" && got_small'
  note "openssl leaf-rsa -sigalgs $scheme: $(summary)"
done

# --- extended master secret (RFC 7627): required unless --allow-no-ems ---
stop_server
port=$(free_port)
(cd "$www" && OPENSSL_CONF=$work/no-ems.cnf exec timeout 120 openssl s_server \
  -accept "127.0.0.1:$port" -cert "$pki/leaf.pem" -key "$pki/leaf.key" \
  -cert_chain "$pki/chain.pem" -tls1_2 -quiet -naccept 100 -WWW >"$work/s_server.out" 2>&1) &
server_pid=$!
background_pids+=("$server_pid")
wait_port "$port" || { echo "not ok - openssl s_server (no EMS) did not start"; exit 1; }
get small.txt --tls-max 1.2
check "server without extended master secret: refused (exit 35, says extended master secret)" \
  eval 'exit_is 35 && grep -qi "extended.master.secret\|RFC 7627" <<<"$out" && ! [[ -s get.out ]]'
note "openssl without EMS: $(grep '^tern get' <<<"$out")"
get small.txt
check "server without extended master secret, tern offering 1.3: refused too (exit 35)" exit_is 35
get small.txt --tls-max 1.2 --allow-no-ems
check "--allow-no-ems: accepted, -v says 'Extended master secret: no'" \
  eval 'exit_is 0 && says "* TLS 1.2, cipher" && says "* Extended master secret: no" && got_small'
note "openssl without EMS, --allow-no-ems: $(summary)"

# --- RSA key transport: only with --legacy-rsa-kex ---
for suite in AES128-GCM-SHA256 AES256-GCM-SHA384; do
  s_server leaf-rsa -cipher "$suite"
  get small.txt --tls-max 1.2
  check "server offering only $suite: refused without --legacy-rsa-kex (exit 35, handshake_failure)" \
    eval 'exit_is 35 && says "handshake_failure"'
  note "openssl -cipher $suite, no flag: $(grep '^tern get' <<<"$out")"
  get small.txt --tls-max 1.2 --legacy-rsa-kex
  check "--legacy-rsa-kex: ${iana[$suite]} negotiated, body matches" \
    eval 'exit_is 0 && says "* TLS 1.2, cipher ${iana[$suite]}" && got_small'
  note "openssl -cipher $suite, --legacy-rsa-kex: $(summary)"
done
get big.bin --legacy-rsa-kex
check "--legacy-rsa-kex (offering 1.3 too): 1 MiB body byte for byte" \
  eval 'exit_is 0 && says "cipher TLS_RSA_WITH_AES_256_GCM_SHA384" && same_file get.out "$www/big.bin"'

# --- --tls-min 1.3 refuses a TLS 1.2 server ---
s_server leaf
get small.txt --tls-min 1.3
check "--tls-min 1.3 against a TLS 1.2-only server: exit 35 (protocol_version)" \
  eval 'exit_is 35 && says "protocol_version"'
note "--tls-min 1.3: $(grep '^tern get' <<<"$out")"

# --- gnutls-serv restricted to TLS 1.2 ---
tls12_only='NORMAL:-VERS-ALL:+VERS-TLS1.2'
gnutls leaf "$tls12_only"
get "" --tls-max 1.2
check "gnutls-serv TLS 1.2, defaults: EMS, status page says TLS1.2" \
  eval 'tls12 TLS_ECDHE_ECDSA_ && page_says "Protocol version: TLS1.2"'
note "gnutls-serv TLS 1.2, defaults: $(summary)"
declare -A gnutls_cipher=([AES-128-GCM]=AES_128_GCM [AES-256-GCM]=AES_256_GCM
  [CHACHA20-POLY1305]=CHACHA20_POLY1305)
for leaf in leaf leaf-rsa; do
  kx=ECDSA
  [[ $leaf == leaf-rsa ]] && kx=RSA
  for cipher in AES-128-GCM AES-256-GCM CHACHA20-POLY1305; do
    gnutls "$leaf" "$tls12_only:-CIPHER-ALL:+$cipher"
    get ""
    check "gnutls-serv $leaf, only $cipher: TLS_ECDHE_${kx}_WITH_${gnutls_cipher[$cipher]}_* negotiated" \
      eval 'tls12 "TLS_ECDHE_${kx}_WITH_${gnutls_cipher[$cipher]}_" && page_says "Cipher $cipher"'
    note "gnutls-serv $leaf, $cipher: $(summary)"
  done
done
declare -A gnutls_group=([X25519]=x25519 [SECP256R1]=secp256r1 [SECP384R1]=secp384r1)
for group in X25519 SECP256R1 SECP384R1; do
  gnutls leaf "$tls12_only:-GROUP-ALL:+GROUP-$group"
  get ""
  check "gnutls-serv only $group: group ${gnutls_group[$group]} in TLS 1.2" \
    eval 'tls12 TLS_ECDHE_ && says "group ${gnutls_group[$group]}," && page_says "ECDHE-$group"'
  note "gnutls-serv $group: $(summary)"
done
gnutls leaf-rsa "$tls12_only:-SIGN-ALL:+SIGN-RSA-SHA384"
get ""
check "gnutls-serv RSA leaf, only RSA-SHA384 (PKCS#1): signature rsa_pkcs1_sha384" \
  eval 'tls12 TLS_ECDHE_RSA_ && says "signature rsa_pkcs1_sha384"'
note "gnutls-serv SIGN-RSA-SHA384: $(summary)"
gnutls leaf-rsa "$tls12_only:-SIGN-ALL:+SIGN-RSA-PSS-RSAE-SHA384"
get ""
check "gnutls-serv RSA leaf, only RSA-PSS-RSAE-SHA384: signature rsa_pss_rsae_sha384" \
  eval 'tls12 TLS_ECDHE_RSA_ && says "signature rsa_pss_rsae_sha384"'
note "gnutls-serv SIGN-RSA-PSS-RSAE-SHA384: $(summary)"
gnutls leaf "$tls12_only:%NO_SESSION_HASH"
get ""
check "gnutls-serv %NO_SESSION_HASH (no EMS): refused (exit 35, says extended master secret)" \
  eval 'exit_is 35 && grep -qi "extended.master.secret\|RFC 7627" <<<"$out"'
note "gnutls-serv without EMS: $(grep '^tern get' <<<"$out")"
get "" --allow-no-ems
check "gnutls-serv %NO_SESSION_HASH with --allow-no-ems: accepted" \
  eval 'exit_is 0 && says "* Extended master secret: no" && page_says "Protocol version: TLS1.2"'
stop_server

# --- a HelloRequest: tern connect answers no_renegotiation (s_server's "r" command) ---
port=$(free_port)
timeout 60 python3 "$lib_dir/interactive_driver.py" "$work/reneg.transcript" \
  'expect:Secure Renegotiation IS supported' 'sleep:0.5' 'send:r\n' 'expect:no_renegotiation' \
  'sleep:1' -- \
  openssl s_server -accept "127.0.0.1:$port" -cert "$pki/leaf.pem" -key "$pki/leaf.key" \
  -cert_chain "$pki/chain.pem" -tls1_2 -msg -naccept 1 >"$work/reneg.driver" 2>&1 &
driver_pid=$!
background_pids+=("$driver_pid")
for ((i = 0; i < 100; i++)); do
  grep -q ACCEPT "$work/reneg.transcript" 2>/dev/null && break
  sleep 0.1
done
(sleep 5 | timeout 20 "$tern" connect --cacert "$pki/root.pem" --servername localhost --tls-max 1.2 \
  "127.0.0.1:$port" >connect.out 2>connect.err)
connect_status=$?
wait "$driver_pid"
status=$?
out=$(cat "$work/reneg.driver"; grep -E '^(<<<|>>>)|alert|error' "$work/reneg.transcript" | tail -n 12)
check "HelloRequest from s_server: tern answers with a no_renegotiation alert" \
  eval 'exit_is 0 && grep -q "^<<< TLS 1.2, Alert \[length 0002\], [a-z]* no_renegotiation" "$work/reneg.transcript"'
note "HelloRequest: $(grep -m1 -o '^<<< TLS 1.2, Alert.*' "$work/reneg.transcript"); then s_server: $(grep -m1 -o '^>>> TLS 1.2, Alert.*' "$work/reneg.transcript"); tern connect exit $connect_status $(grep '^tern connect' connect.err)"

# --- the downgrade sentinel (RFC 8446 4.1.3) ---
timeout 60 python3 "$lib_dir/downgrade_server.py" 3 >downgrade.out 2>&1 &
background_pids+=($!)
for ((i = 0; i < 100; i++)); do [[ -s downgrade.out ]] && break; sleep 0.1; done
port=$(head -n 1 downgrade.out)
out=$(timeout 20 openssl s_client -connect "127.0.0.1:$port" </dev/null 2>&1)
status=$?
check "reference: openssl s_client (offers 1.3) refuses the DOWNGRD\\x01 ServerHello" \
  eval '! exit_is 0 && says "inappropriate fallback"'
get small.txt --max-time 10
check "tern get (offers 1.3): DOWNGRD\\x01 ServerHello refused, exit 35, says downgrade" \
  eval 'exit_is 35 && grep -qi downgrade <<<"$out"'
note "downgrade sentinel: $(grep '^tern get' <<<"$out")"
get small.txt --tls-max 1.2 --max-time 10
tls12_client_out=$out
check "tern get --tls-max 1.2: the sentinel is not a downgrade for a 1.2 client (no 'downgrade' error)" \
  eval '! grep -qi downgrade <<<"$out"'
note "downgrade sentinel, --tls-max 1.2: $(grep '^tern get' <<<"$tls12_client_out")"
for ((i = 0; i < 50; i++)); do [[ $(wc -l <downgrade.out) -ge 4 ]] && break; sleep 0.1; done
out=$(cat downgrade.out)
check "downgrade stub: tern (offering 1.3) sent the fatal alert illegal_parameter" \
  eval 'grep -q "^connection 2: offered TLS 1.3: yes; client answered: alert fatal illegal_parameter" downgrade.out'
note "$(sed -n 2,4p downgrade.out | paste -sd';')"
finish
