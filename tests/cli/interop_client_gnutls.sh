#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern get` against `gnutls-serv --http`: every group, every cipher suite, the four leaf key
# types, HelloRetryRequest. Usage: bash tests/cli/interop_client_gnutls.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_client_gnutls "$@"
make_pki
cd "$work"
tls13='NORMAL:-VERS-ALL:+VERS-TLS1.3'

# serve LEAF PRIORITY: gnutls-serv --http on a free port; sets $port.
serve() {
  stop_gnutls
  cat "$pki/$1.pem" "$pki/chain.pem" >"$work/$1-full.pem"
  port=$(free_port)
  timeout 120 gnutls-serv --http --port "$port" --x509certfile "$work/$1-full.pem" \
    --x509keyfile "$pki/$1.key" --priority "$2" >"$work/gnutls-serv.out" 2>&1 &
  gnutls_pid=$!
  background_pids+=("$gnutls_pid")
  wait_port "$port" && return 0
  echo "not ok - gnutls-serv did not start"
  cat "$work/gnutls-serv.out"
  exit 1
}
stop_gnutls() {
  if [[ -n ${gnutls_pid:-} ]]; then
    kill "$gnutls_pid" 2>/dev/null
    wait "$gnutls_pid" 2>/dev/null
    gnutls_pid=""
  fi
}
get() {
  out=$(timeout 30 "$tern" get -v --cacert "$pki/root.pem" "$@" -o get.out \
    "https://localhost:$port/" 2>&1)
  status=$?
}
page_ok() { grep -q "GnuTLS" get.out; }  # gnutls-serv's status page
summary() { grep -E '^\* (TLS|ALPN)' <<<"$out" | paste -sd' '; }

serve leaf "$tls13"
get
check "defaults: verified, status page received" eval 'exit_is 0 && page_ok'
note "gnutls-serv, defaults: $(summary)"
for group in x25519 secp256r1 secp384r1; do
  get --groups "$group"
  check "group $group: negotiated" eval 'exit_is 0 && says "group $group," && page_ok'
  note "gnutls-serv, --groups $group: $(summary)"
done
for suite in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
  get --ciphers "$suite"
  check "suite $suite: negotiated" eval 'exit_is 0 && says "cipher $suite," && page_ok'
  note "gnutls-serv, --ciphers $suite: $(summary)"
done
for leaf in leaf-p384 leaf-rsa leaf-ed25519; do
  serve "$leaf" "$tls13"
  get
  check "$leaf: verified" eval 'exit_is 0 && page_ok'
  note "gnutls-serv, $leaf: $(summary)"
done
serve leaf "$tls13:-GROUP-ALL:+GROUP-SECP384R1"
get
check "HRR: the server only takes P-384" \
  eval 'exit_is 0 && says "group secp384r1," && says "HelloRetryRequest: yes" && page_ok'
note "gnutls-serv, only SECP384R1: $(summary)"
finish
