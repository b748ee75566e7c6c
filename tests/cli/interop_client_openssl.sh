#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern get` and `tern connect` against `openssl s_server`: every group, every cipher suite,
# ECDSA P-256/P-384, RSA-2048 and Ed25519 leaves, HelloRetryRequest, a 1 MiB body, and an
# echo through `tern connect`. Usage: bash tests/cli/interop_client_openssl.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_client_openssl "$@"
make_pki
make_docroot 1
cd "$work"

# s_server LEAF [ARGS...]: openssl s_server -WWW on a free port serving $www; sets $port.
s_server() {
  local leaf=$1
  shift
  stop_s_server
  port=$(free_port)
  (cd "$www" && exec timeout 120 openssl s_server -accept "127.0.0.1:$port" -cert "$pki/$leaf.pem" \
    -key "$pki/$leaf.key" -cert_chain "$pki/chain.pem" -tls1_3 -quiet -naccept 100 "$@" \
    >"$work/s_server.out" 2>&1) &
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
# get PATH [ARGS...]: tern get -v; body in get.out, stderr in $out.
get() {
  local path=$1
  shift
  out=$(timeout 30 "$tern" get -v --cacert "$pki/root.pem" "$@" -o get.out \
    "https://localhost:$port/$path" 2>&1)
  status=$?
}
summary() { grep -E '^\* (TLS|ALPN)' <<<"$out" | paste -sd' '; }

s_server leaf -WWW
for group in x25519 secp256r1 secp384r1; do
  get small.txt --groups "$group"
  check "group $group: negotiated, body matches" \
    eval 'exit_is 0 && says "group $group," && same_file get.out "$www/small.txt"'
  note "openssl, --groups $group: $(summary)"
done
for suite in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
  get small.txt --ciphers "$suite"
  check "suite $suite: negotiated, body matches" \
    eval 'exit_is 0 && says "cipher $suite," && same_file get.out "$www/small.txt"'
  note "openssl, --ciphers $suite: $(summary)"
done
get big.bin
check "1 MiB body, byte for byte" eval 'exit_is 0 && same_file get.out "$www/big.bin"'
check "-v prints the chain and the response head" \
  eval 'says "[0] CN=localhost" && says "[1] O=tern, CN=tern Test Intermediate" && says "< HTTP/1.0 200 ok"'
note "openssl, defaults: $(summary)"

SSLKEYLOGFILE=$work/tern.keylog get small.txt
keylog_complete() {
  local label
  for label in CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET \
    CLIENT_TRAFFIC_SECRET_0 SERVER_TRAFFIC_SECRET_0 EXPORTER_SECRET; do
    grep -q "^$label [0-9a-f]\{64\} [0-9a-f]\{64,96\}$" "$work/tern.keylog" || return 1
  done
}
check "SSLKEYLOGFILE: every TLS 1.3 secret in NSS key log format" eval 'exit_is 0 && keylog_complete'

for leaf in leaf-p384 leaf-rsa leaf-ed25519; do
  s_server "$leaf" -WWW
  get small.txt
  check "$leaf: verified, body matches" eval 'exit_is 0 && same_file get.out "$www/small.txt"'
  note "openssl, $leaf: $(summary)"
done

# HelloRetryRequest: the server only takes P-384; tern sends an X25519 share first.
s_server leaf -WWW -groups P-384
get small.txt
check "HRR: answered, P-384 used" \
  eval 'exit_is 0 && says "group secp384r1," && says "HelloRetryRequest: yes" && same_file get.out "$www/small.txt"'
note "openssl -groups P-384: $(summary)"

# tern connect: s_server -rev answers each line reversed; end of input closes cleanly.
s_server leaf -rev
out=$(printf 'hello tern\n' | timeout 20 "$tern" connect --cacert "$pki/root.pem" \
  --servername localhost "127.0.0.1:$port" 2>connect.err)
status=$?
check "tern connect: line echoed reversed, exit 0" eval 'exit_is 0 && says "nret olleh"'
out=$(cat connect.err)
check "tern connect: summary with the chain on stderr" \
  eval 'says "* TLS 1.3, cipher" && says "[0] CN=localhost"'

# A server that only speaks TLS 1.2: spoken by default, refused with a clear TLS error when the
# client insists on TLS 1.3.
stop_s_server
port=$(free_port)
(cd "$www" && exec timeout 60 openssl s_server -accept "127.0.0.1:$port" -cert "$pki/leaf.pem" \
  -key "$pki/leaf.key" -cert_chain "$pki/chain.pem" -tls1_2 -quiet -WWW >/dev/null 2>&1) &
background_pids+=($!)
wait_port "$port"
get small.txt
check "TLS 1.2-only server: TLS 1.2 by default" eval 'exit_is 0 && says "* TLS 1.2, cipher"'
get small.txt --tls-min 1.3
check "TLS 1.2-only server with --tls-min 1.3: exit 35 and a protocol_version message" \
  eval 'exit_is 35 && grep -qi "protocol.version" <<<"$out"'
note "TLS 1.2-only openssl with --tls-min 1.3: $(grep '^tern get' <<<"$out")"
finish
