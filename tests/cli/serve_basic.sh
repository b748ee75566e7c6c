#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve` as a web server: paths that try to leave the directory, methods, HTTP/1.0,
# pipelined requests, directory redirects, SNI choosing between two certificates, and the
# errors a user sees for bad flags, files and ports.
# Usage: bash tests/cli/serve_basic.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_basic "$@"
make_pki
make_docroot
mkdir -p "$www/docs"
mkdir -p "$www/empty"
printf 'docs index\n' >"$www/docs/index.html"
printf 'outside the served directory\n' >"$work/secret.txt"
ln -s "$work/secret.txt" "$www/link-out"
cat "$pki/wrong-name.pem" "$pki/chain.pem" >"$pki/wrong-name-full.pem"
start_serve --cert "$pki/wrong-name-full.pem" --key "$pki/wrong-name.key"
cd "$work"

# raw REQUEST: sends REQUEST (printf format) over TLS with s_client; the response in $out.
raw() {
  printf "$1" >request
  out=$(timeout 20 openssl s_client -connect "127.0.0.1:$port" -servername localhost -quiet \
    -CAfile "$pki/root.pem" -verify_return_error <request 2>/dev/null)
  status=$?
}
status_is() { [[ $(head -n 1 <<<"$out") == "HTTP/1.1 $1"* ]]; }

raw 'GET /../secret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
check "/../secret.txt: 400, nothing from outside" \
  eval 'status_is 400 && ! says "outside the served"'
raw 'GET /%%2e%%2e/secret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
check "percent-encoded dots: 400" eval 'status_is 400 && ! says "outside the served"'
raw 'GET /link-out HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
check "a symlink out of the directory: 404" eval 'status_is 404 && ! says "outside the served"'
raw 'POST /small.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc'
check "POST: 405 with Allow: GET, HEAD" eval 'status_is 405 && says "Allow: GET, HEAD"'
raw 'GET /small.txt HTTP/1.0\r\n\r\n'
check "HTTP/1.0: served, then the connection closes" \
  eval 'status_is 200 && says "Connection: close" && says "$page_marker"'
raw 'GET /docs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
check "a directory without the slash: 301 to /docs/" eval 'status_is 301 && says "Location: /docs/"'
raw 'GET /docs/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
check "a directory: its index.html" eval 'status_is 200 && says "docs index"'
raw 'GET /small.txt HTTP/1.1\r\nHost: localhost\r\n\r\nGET /docs/ HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
check "three pipelined requests answered in order on one connection" \
  eval '[[ $(grep -c "^HTTP/1.1 200" <<<"$out") -eq 3 ]] && says "$page_marker" && says "docs index"'
raw 'GET / HTTP/1.1\r\n\r\n'
check "HTTP/1.1 without Host: 400" status_is 400

head -c 10000 /dev/urandom >"$www/ten-k.bin"
out=$(timeout 60 python3 "$lib_dir/hostile_client.py" "$port" "$pki/root.pem" coalesce /ten-k.bin 10000 2>&1)
status=$?
check "a 10 kB response (headers and body) is one TLS record" eval 'exit_is 0 && says "ok - "'
printf '%s\n' "$out" | sed 's/^/# /'

# SNI: the second certificate is chosen by its name, the first is the default.
sni_subject() {
  out=$(timeout 20 openssl s_client -connect "127.0.0.1:$port" ${1:+-servername "$1"} \
    </dev/null 2>/dev/null | openssl x509 -noout -subject 2>&1)
}
sni_subject www.example.org
check "SNI www.example.org: its certificate" says "CN = www.example.org"
sni_subject localhost
check "SNI localhost: the default certificate" says "CN = localhost"
sni_subject other.invalid
check "an unknown name: the default certificate" says "CN = localhost"

raw 'GET /empty/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
check "a directory without index.html: 404 saying so" \
  eval 'status_is 404 && says "404 Not Found: the directory has no index.html"'
check "a directory without index.html: the log says why" \
  eval 'grep -qE "^127\.0\.0\.1:[0-9]+ not served: the directory has no index.html .* \(404\)$" "$serve_log"'
raw 'GET /missing.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
check "a missing file: 404, the log says why" \
  eval 'status_is 404 && says "404 Not Found: no such file" && grep -q " not served: no such file (404)$" "$serve_log"'
check "a symlink out of the directory: the log says so, the client is not told" \
  eval 'grep -q " not served: a symlink to outside the served directory (404)$" "$serve_log"'
check "one log line per request, with status and size" \
  eval 'grep -qE "^127\.0\.0\.1:[0-9]+ \"GET /small.txt HTTP/1.1\" 200 [0-9]+ [0-9]+ms$" "$serve_log"'
check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'

# What a user gets wrong.
out=$(timeout 10 "$tern" serve "$www" --cert "$pki/leaf.pem" --key "$pki/wrong-name.key" --port 0 2>&1)
status=$?
check "a key that is not the certificate's: exit 2 and says so" \
  eval 'exit_is 2 && says "does not belong to the first certificate"'
out=$(timeout 10 "$tern" serve "$work/no-such-dir" --cert "$pki/leaf.pem" --key "$pki/leaf.key" 2>&1)
status=$?
check "a missing directory: exit 2, says it does not exist" \
  eval 'exit_is 2 && says "cannot serve $work/no-such-dir: it does not exist" && ! says listening'
out=$(timeout 10 "$tern" serve "$www/small.txt" --cert "$pki/leaf.pem" --key "$pki/leaf.key" 2>&1)
status=$?
check "a file as the directory: exit 2, says it is not a directory" \
  eval 'exit_is 2 && says "small.txt: it is not a directory" && ! says listening'
# Permission: as root every check passes, so as nobody (when this system has runuser and
# nobody may run the tool); the directory is checked before the certificate is read.
mkdir -p "$work/locked" && chmod 700 "$work/locked" && chmod 711 "$work"
if runuser -u nobody -- "$tern" --version >/dev/null 2>&1; then
  out=$(timeout 10 runuser -u nobody -- "$tern" serve "$work/locked" --cert "$pki/leaf.pem" \
    --key "$pki/leaf.key" --port 0 2>&1)
  status=$?
  check "an unreadable directory: exit 2 at start, the reason (permission denied)" \
    eval 'exit_is 2 && says "cannot serve $work/locked: Permission denied" && ! says listening'
else
  note "skipped the permission check: nobody cannot run $tern"
fi
chmod 700 "$work"
out=$(timeout 10 "$tern" serve "$www" --cert "$work/nope.pem" --key "$pki/leaf.key" 2>&1)
status=$?
check "a missing certificate file: exit 2, names the file" eval 'exit_is 2 && says "nope.pem"'
python3 -c 'import socket,time,sys; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(20)' >busy.port &
background_pids+=($!)
for ((i = 0; i < 50; i++)); do [[ -s busy.port ]] && break; sleep 0.1; done
out=$(timeout 10 "$tern" serve "$www" --cert "$pki/leaf.pem" --key "$pki/leaf.key" --port "$(cat busy.port)" 2>&1)
status=$?
check "a port in use: exit 4, says so" eval 'exit_is 4 && says "Address already in use"'
out=$(timeout 10 "$tern" serve "$www" --cert "$pki/leaf.pem" --key "$pki/leaf.key" --alpn spdy/3 2>&1)
status=$?
check "--alpn spdy/3: refused at start (HTTP/2 and HTTP/1.1 only), exit 2" \
  eval 'exit_is 2 && says "HTTP/2 and HTTP/1.1 only"'
out=$(timeout 10 "$tern" serve --help 2>&1)
status=$?
check "--help documents the exit codes" eval 'exit_is 0 && says "Exit codes"'
finish
