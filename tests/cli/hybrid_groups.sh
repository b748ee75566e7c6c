#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The post-quantum hybrids (RFC 10024) between tern get/trace and tern serve: every hybrid
# group, the defaults, retries toward and away from a hybrid, TLS 1.2 without them, and the
# names in -v, the trace ladder and its JSON. (Chromium against tern serve is in
# interop_server_chromium.sh; OpenSSL 3.0 and GnuTLS here have no ML-KEM.)
# Usage: bash tests/cli/hybrid_groups.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init hybrid_groups "$@"
make_pki
make_docroot
cd "$work"

# get ARGS...: tern get -v against the running server; stderr (the -v lines) in $out.
get() {
  out=$(timeout 30 "$tern" get -v --cacert "$pki/root.pem" "$@" \
    "https://localhost:$port/small.txt" 2>&1 >get.stdout)
  status=$?
}

start_serve --groups X25519MLKEM768:SecP256r1MLKEM768:SecP384r1MLKEM1024:x25519:secp256r1
get
check "defaults: X25519MLKEM768 in one round trip" \
  eval 'exit_is 0 && says "group X25519MLKEM768," && says "HelloRetryRequest: no"'
for group in X25519MLKEM768 SecP256r1MLKEM768 SecP384r1MLKEM1024; do
  get --groups "$group"
  check "--groups $group on both sides agrees on it" \
    eval 'exit_is 0 && says "group $group," && same_file get.stdout "$www/small.txt"'
done
get --groups x25519 --groups SecP384r1MLKEM1024
check "a client share for x25519 only: the server takes it rather than retry" \
  eval 'exit_is 0 && says "group x25519," && says "HelloRetryRequest: no"'
get --tls-max 1.2
check "TLS 1.2 never uses a hybrid" \
  eval 'exit_is 0 && says "TLS 1.2" && says "group x25519,"'
get --tls-max 1.2 --groups X25519MLKEM768
check "TLS 1.2 with only a hybrid is a usage error (exit 2) that says why" \
  eval 'exit_is 2 && says "TLS 1.3 only"'
get --groups bogus
check "an unknown group name lists the known ones" \
  eval 'exit_is 2 && says "unknown group" && says "SecP384r1MLKEM1024"'
out=$(timeout 30 "$tern" trace --json --cacert "$pki/root.pem" --servername localhost \
  "127.0.0.1:$port" 2>&1)
status=$?
check "tern trace --json names the group and says post_quantum" \
  eval 'exit_is 0 && says "\"group\":\"X25519MLKEM768\"" && says "\"post_quantum\":true"'
out=$(timeout 30 "$tern" trace --color never --cacert "$pki/root.pem" --servername localhost \
  "127.0.0.1:$port" 2>&1)
status=$?
check "tern trace explains the hybrid" \
  eval 'exit_is 0 && says "X25519MLKEM768 (ML-KEM-768 + x25519, post-quantum hybrid)"'
stop_serve

# Retries: toward a hybrid the client listed without a share, away from the hybrids.
start_serve --groups SecP256r1MLKEM768
get --groups x25519:SecP256r1MLKEM768
check "HelloRetryRequest toward SecP256r1MLKEM768" \
  eval 'exit_is 0 && says "group SecP256r1MLKEM768," && says "HelloRetryRequest: yes"'
stop_serve
start_serve --groups secp384r1
get
check "HelloRetryRequest away from the hybrid, to secp384r1" \
  eval 'exit_is 0 && says "group secp384r1," && says "HelloRetryRequest: yes"'
stop_serve
start_serve --groups x25519
get
check "a server without hybrids gets the default client's x25519 share, no retry" \
  eval 'exit_is 0 && says "group x25519," && says "HelloRetryRequest: no"'
stop_serve
finish
