#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# curl against `tern serve`: a 10 MiB file byte for byte, HTTP/1.1 keep-alive across two URLs
# in one invocation, HEAD, 404, TLS 1.2, and refusal by a server limited to TLS 1.3.
# Usage: bash tests/cli/interop_server_curl.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_server_curl "$@"
make_pki
make_docroot 10
start_serve
cd "$work"

base="https://localhost:$port"
curl_opts=(-sS --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1" --max-time 60)

out=$(curl "${curl_opts[@]}" -o big.out -w '%{http_code} %{size_download}' "$base/big.bin" 2>&1)
status=$?
check "10 MiB file: 200 and every byte ($(stat -c %s "$www/big.bin") bytes)" \
  eval 'exit_is 0 && says "200 10485760" && same_file big.out "$www/big.bin"'

# Two URLs, one invocation: the second reuses the connection (num_connects 0).
out=$(curl "${curl_opts[@]}" --http1.1 -v -o one.out -o two.out \
  -w 'connects=%{num_connects} code=%{http_code} tls=%{ssl_verify_result}\n' \
  "$base/small.txt" "$base/index.html" 2>&1)
status=$?
check "keep-alive: both bodies right" \
  eval 'exit_is 0 && same_file one.out "$www/small.txt" && same_file two.out "$www/index.html"'
check "keep-alive: the second request reused the connection" \
  eval 'says "connects=1 code=200" && says "connects=0 code=200" && says "Re-using existing connection"'
note "curl -v: $(grep -E '^\* (SSL connection using|ALPN: server accepted)' <<<"$out" | paste -sd';')"
check "curl: TLS 1.3 and ALPN http/1.1" \
  eval 'says "SSL connection using TLSv1.3" && says "ALPN: server accepted http/1.1"'

out=$(curl "${curl_opts[@]}" --http1.1 -I "$base/index.html" 2>&1)
status=$?
check "HEAD /index.html: 200 with Content-Length and text/html" \
  eval 'exit_is 0 && says "HTTP/1.1 200" && grep -qi "^content-length: $(stat -c %s "$www/index.html")" <<<"$out" && grep -qi "^content-type: text/html" <<<"$out"'

out=$(curl "${curl_opts[@]}" -o /dev/null -w '%{http_code}' "$base/no-such-file" 2>&1)
status=$?
check "missing file: 404" eval 'exit_is 0 && [[ $out == 404 ]]'

out=$(curl "${curl_opts[@]}" --tls-max 1.2 -w '%{http_code}' -o /dev/null "$base/small.txt" 2>&1)
status=$?
check "TLS 1.2-only curl is served" eval 'exit_is 0 && [[ $out == 200 ]]'

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
check "one log line per request" eval '[[ $(wc -l <"$serve_log") -ge 6 ]]'

# A server limited to TLS 1.3: a TLS 1.2-only client gets a handshake failure, not a hang.
start_serve_fresh --tls-min 1.3
base="https://localhost:$port"
out=$(curl "${curl_opts[@]}" --resolve "localhost:$port:127.0.0.1" --tls-max 1.2 -o /dev/null \
  "$base/small.txt" 2>&1)
status=$?
check "TLS 1.2-only curl against --tls-min 1.3 is refused with a TLS error (curl exit 35)" \
  exit_is 35
note "TLS 1.2-only curl against --tls-min 1.3: $out"
stop_serve
finish
