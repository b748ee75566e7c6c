#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve --client-ca root.pem --client-auth optional|required` with openssl s_client, in
# TLS 1.3 and TLS 1.2: the CertificateRequest names the accepted CAs ("Acceptable client
# certificate CA names": certificate_authorities in 1.3, the list in 1.2); with `optional` a
# client whose certificate another root issued is served unauthenticated (the --trace ladder
# records why), a good one is verified; with `required` the bad certificate is refused (unknown
# CA) and the good one served. gnutls-cli prints the CA names it was offered too.
# Usage: bash tests/cli/serve_client_auth.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_client_auth "$@"
make_pki
make_docroot
cd "$work"
printf 'GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >request
s_client() {
  timeout 20 openssl s_client -connect "127.0.0.1:$port" -servername localhost \
    -CAfile "$pki/root.pem" -verify_return_error -ign_eof "$@" <request >sc.out 2>sc.err
  status=$?
  out=$(sed '/-----BEGIN /,/-----END /d' sc.out; cat sc.err)
}
got_small() { grep -qF -- "$(cat "$www/small.txt")" sc.out; }
ca_names() { grep -A1 '^Acceptable client certificate CA names' sc.out | sed -n 2p; }
root_subject=$(openssl x509 -in "$pki/root.pem" -noout -subject | sed 's/^subject= *//')
good=(-cert "$pki/client.pem" -key "$pki/client.key" -cert_chain "$pki/intermediate.pem")
bad=(-cert "$pki/other-client.pem" -key "$pki/other-client.key")
declare -A flag=([1.3]=-tls1_3 [1.2]=-tls1_2)

start_serve_fresh --client-ca "$pki/root.pem" --client-auth optional --trace
note "tern serve --client-ca root.pem --client-auth optional on port $port (root: $root_subject)"
for v in 1.3 1.2; do
  s_client "${flag[$v]}" "${good[@]}"
  note "s_client TLS $v: acceptable client CA names: $(ca_names)"
  check "TLS $v: s_client shows the root as an acceptable client certificate CA name" \
    eval 'exit_is 0 && grep -A1 "^Acceptable client certificate CA names" sc.out | grep -qF -- "$root_subject"'
  check "TLS $v, optional, good client certificate: served" eval 'exit_is 0 && got_small'
  s_client "${flag[$v]}" "${bad[@]}"
  check "TLS $v, optional, a client certificate from another root: served unauthenticated" \
    eval 'exit_is 0 && got_small'
done
sleep 0.5
note "tern serve --trace on the bad certificate: $(grep -h -m1 -iE 'no path|not trusted|unknown issuer|rejected' "$serve_log" "$serve_err" | head -n 1 | sed 's/  */ /g' | cut -c1-200)"
check "optional: the server's trace records why the certificate was not taken" \
  eval 'grep -qiE "no path|not trusted|unknown issuer|rejected" "$serve_log" "$serve_err"'

start_serve_fresh --client-ca "$pki/root.pem" --client-auth required
note "tern serve --client-ca root.pem --client-auth required on port $port"
for v in 1.3 1.2; do
  s_client "${flag[$v]}" "${bad[@]}"
  note "s_client TLS $v with the other root's certificate: $(grep -m1 -o 'alert [a-z ]*' sc.err || echo "exit $status")"
  check "TLS $v, required, a client certificate from another root: refused, nothing served" \
    eval '! got_small && grep -q "alert" sc.err'
  s_client "${flag[$v]}" "${good[@]}"
  check "TLS $v, required, good client certificate: served" eval 'exit_is 0 && got_small'
  s_client "${flag[$v]}"
  check "TLS $v, required, no client certificate: refused" eval '! got_small'
done

timeout 20 gnutls-cli --x509cafile "$pki/root.pem" --x509certfile "$pki/client-chain.pem" \
  --x509keyfile "$pki/client.key" -p "$port" localhost --verbose <request >gc.out 2>&1
status=$?
out=$(cat gc.out)
note "gnutls-cli: $(grep -A2 -i 'server has requested a certificate\|Certificate request' gc.out | head -n 3 | paste -sd';')"
check "gnutls-cli with client.pem against required: served" eval 'exit_is 0 && says "$(cat "$www/small.txt")"'

out=$("$tern" serve "$www" --cert "$pki/fullchain.pem" --key "$pki/leaf.key" --port 0 --client-auth optional 2>&1)
status=$?
check "--client-auth optional without --client-ca: a usage error naming --client-ca" \
  eval '! exit_is 0 && says "--client-ca"'
finish
