#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve` over HTTP/2 (ALPN h2, libnghttp2) with real peers: curl --http2 (a 10 MiB file
# byte-compared, HEAD, 404, 431, the HTTP/1.1 fallback), nghttp (many concurrent streams, the
# assets of a page), h2load (2000 requests on 4 connections, 100 streams each, none failed),
# and Python's ssl at the frame level (ALPN h2 only, SETTINGS first, GOAWAY on errors and on
# stop, rapid reset, the request head timeout).
# Usage: bash tests/cli/serve_http2.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_http2 "$@"
for tool in curl nghttp h2load; do
  if ! command -v "$tool" >/dev/null; then
    echo "not ok - $tool is not installed (make deps installs curl and nghttp2-client)"
    exit 1
  fi
done
make_pki
make_docroot 10
cat >"$www/page.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>assets</title><link rel="stylesheet" href="/style.css">
<script src="/app.js"></script></head>
<body><img src="/one.png"><img src="/two.png"></body></html>
HTML
printf 'body { color: #123; }\n' >"$www/style.css"
printf 'console.log("tern");\n' >"$www/app.js"
head -c 3000 /dev/urandom >"$www/one.png"
head -c 5000 /dev/urandom >"$www/two.png"
start_serve --workers 1
cd "$work"
base="https://localhost:$port"
curl_opts=(-sS --max-time 60 --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1")

out=$(curl "${curl_opts[@]}" --http2 -v -o big.out \
  -w 'version=%{http_version} code=%{http_code} size=%{size_download}\n' "$base/big.bin" 2>&1)
status=$?
note "curl --http2: $(grep -E '^\* (SSL connection using|ALPN: server accepted)' <<<"$out" | paste -sd';')"
check "curl --http2: ALPN h2 accepted, 10 MiB over HTTP/2, byte-identical" \
  eval 'exit_is 0 && says "ALPN: server accepted h2" && says "version=2 code=200 size=10485760" && same_file big.out "$www/big.bin"'

out=$(curl "${curl_opts[@]}" --http2 -I "$base/index.html" 2>&1)
status=$?
check "HEAD over HTTP/2: 200 with content-length and content-type, no body" \
  eval 'exit_is 0 && says "HTTP/2 200" && grep -qi "^content-length: $(stat -c %s "$www/index.html")" <<<"$out" && grep -qi "^content-type: text/html" <<<"$out"'

out=$(curl "${curl_opts[@]}" --http2 -o notfound.out -w 'version=%{http_version} code=%{http_code}' \
  "$base/no-such-file" 2>&1)
status=$?
check "a missing file over HTTP/2: 404 with a short text" \
  eval 'exit_is 0 && says "version=2 code=404" && grep -q "Not Found" notfound.out'

big_header=$(head -c 20000 /dev/zero | tr '\0' a)
out=$(curl "${curl_opts[@]}" --http2 -o /dev/null -H "X-Big: $big_header" \
  -w 'version=%{http_version} code=%{http_code}' "$base/small.txt" 2>&1)
status=$?
check "20 kB of request fields over HTTP/2: 431, the connection usable" \
  eval 'exit_is 0 && says "version=2 code=431"'

out=$(curl "${curl_opts[@]}" --http2-prior-knowledge -o prior.out -w 'version=%{http_version}' \
  "$base/small.txt" 2>&1)
status=$?
check "--http2-prior-knowledge over TLS: ALPN decides, HTTP/2, the file" \
  eval 'exit_is 0 && says "version=2" && same_file prior.out "$www/small.txt"'

out=$(curl "${curl_opts[@]}" --http1.1 -v -o small.out -w 'version=%{http_version}' \
  "$base/small.txt" 2>&1)
status=$?
check "curl --http1.1 against the same server: ALPN http/1.1, HTTP/1.1" \
  eval 'exit_is 0 && says "ALPN: server accepted http/1.1" && says "version=1.1" && same_file small.out "$www/small.txt"'

out=$(curl "${curl_opts[@]}" --http2 -X POST -d 'abc' -o /dev/null -w 'code=%{http_code}' \
  "$base/small.txt" 2>&1)
status=$?
check "POST with a body over HTTP/2: 405, the body refused cleanly" \
  eval 'exit_is 0 && says "code=405"'

check "the server logged the HTTP/2 requests: request line, status, bytes" \
  eval 'grep -q "\"GET /big.bin HTTP/2\" 200 10485760 " "$serve_log" && grep -q "\"HEAD /index.html HTTP/2\" 200 0 " "$serve_log" && grep -q "\"GET /no-such-file HTTP/2\" 404 " "$serve_log" && grep -q "\"GET /small.txt HTTP/1.1\" 200 " "$serve_log"'
out=$(tail -n 8 "$serve_log")

# nghttp: one connection, 100 requests for the same file at once (-m), then a page and
# the assets it links (-a).
before=$(grep -c '"GET /small.txt HTTP/2" 200' "$serve_log")
out=$(timeout 60 nghttp -n -v -m 100 "https://127.0.0.1:$port/small.txt" 2>&1)
status=$?
after=$(grep -c '"GET /small.txt HTTP/2" 200' "$serve_log")
check "nghttp -m 100: 100 concurrent streams on one connection, all 200" \
  eval 'exit_is 0 && [[ $((after - before)) -eq 100 ]] && [[ $(grep -c "recv HEADERS frame" <<<"$out") -eq 100 ]]'
check "nghttp sees SETTINGS_MAX_CONCURRENT_STREAMS 100 and a GOAWAY-free end" \
  eval 'says "SETTINGS_MAX_CONCURRENT_STREAMS(0x03):100" && ! says "recv GOAWAY"'
note "nghttp: $(grep -m1 -o 'h2 is negotiated\|The negotiated protocol: [a-z0-9/.]*' <<<"$out")"
out=$(timeout 60 nghttp -n -a -s "https://127.0.0.1:$port/page.html" 2>&1)
status=$?
check "nghttp -a: the page and its stylesheet, script and two images" \
  eval 'exit_is 0 && says "/style.css" && says "/app.js" && says "/one.png" && says "/two.png"'
for asset in page.html style.css app.js one.png two.png; do
  grep -q "\"GET /$asset HTTP/2\" 200 " "$serve_log" || out+=$'\n'"not logged: $asset"
done
check "every asset logged as an HTTP/2 request, 200" eval '! says "not logged"'

# h2load: 2000 requests, 4 connections, 100 streams each; the summary must say 0 failed.
out=$(timeout 120 h2load -n 2000 -c 4 -m 100 "https://127.0.0.1:$port/small.txt" 2>&1)
status=$?
note "h2load: $(grep -E '^(Application protocol|finished in|requests:)' <<<"$out" | paste -sd';')"
check "h2load -n 2000 -c 4 -m 100: h2, 2000 succeeded, 0 failed, 0 errored" \
  eval 'exit_is 0 && says "Application protocol: h2" && says "2000 succeeded, 0 failed, 0 errored"'

# Python, frame by frame.
for mode in alpn garbage bad-preface; do
  out=$(timeout 30 python3 "$lib_dir/h2_probe.py" "$port" "$pki/root.pem" "$mode" 2>&1)
  status=$?
  printf '%s\n' "$out"
  count_tap
done
# Rapid reset (CVE-2023-44487): requests cancelled as soon as sent, thousands of them.
out=$(timeout 90 python3 "$lib_dir/h2_probe.py" "$port" "$pki/root.pem" rapid-reset 5000 2>&1)
status=$?
printf '%s\n' "$out"
count_tap
check "tern serve still running after the hostile frames" serve_alive
out=$(curl "${curl_opts[@]}" --http2 -o /dev/null -w 'version=%{http_version} code=%{http_code}' \
  "$base/small.txt" 2>&1)
status=$?
check "and still serving HTTP/2" eval 'exit_is 0 && says "version=2 code=200"'

# GOAWAY on stop: an idle HTTP/2 connection hears it before the server goes.
rm -f stop.ready
timeout 90 python3 "$lib_dir/h2_probe.py" "$port" "$pki/root.pem" stop "$work/stop.ready" \
  >stop.out 2>&1 &
probe_pid=$!
background_pids+=("$probe_pid")
for ((i = 0; i < 100; i++)); do [[ -e stop.ready ]] && break; sleep 0.1; done
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
wait "$probe_pid"
out=$(cat stop.out)
printf '%s\n' "$out"
count_tap

# The request head deadline holds on HTTP/2 too: a connection that sends no request goes.
start_serve_fresh --workers 1 --header-timeout 1
out=$(timeout 30 python3 "$lib_dir/h2_probe.py" "$port" "$pki/root.pem" head-timeout 1 2>&1)
status=$?
printf '%s\n' "$out"
count_tap

# --alpn http/1.1 turns HTTP/2 off: curl falls back.
start_serve_fresh --workers 1 --alpn http/1.1
base="https://localhost:$port"
curl_opts=(-sS --max-time 60 --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1")
out=$(curl "${curl_opts[@]}" --http2 -o /dev/null -w 'version=%{http_version}' "$base/small.txt" 2>&1)
status=$?
check "--alpn http/1.1: curl --http2 gets HTTP/1.1" eval 'exit_is 0 && says "version=1.1"'
stop_serve
finish
