#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern get` with curl's flags, against a Python HTTPS server that echoes the request back
# (tests/cli/echo_server.py): -H, -d, --data-binary, -X, -I, -i, -L, --max-redirs, -w, -s,
# -S, -f, -O, -A, -u, --compressed, -r, the -v output, and curl's exit codes.
# Usage: bash tests/cli/get_curl_flags.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init get_curl_flags "$@"
make_pki
cd "$work"

port=$(free_port)
timeout 300 python3 "$lib_dir/echo_server.py" "$pki/fullchain.pem" "$pki/leaf.key" "$port" \
  >echo.log 2>&1 &
server_pid=$!
peer_started "the Python echo server" echo.log
url=https://localhost:$port
# run ARGS...: tern get with a 30 s bound and the test root; stdout in get.stdout, stderr
# in $out.
run() {
  out=$(timeout 30 "$tern" get --cacert "$pki/root.pem" "$@" 2>&1 >get.stdout)
  status=$?
}
body_has() { grep -qF -- "$1" get.stdout; }
body_lacks() { ! grep -qiF -- "$1" get.stdout; }

run -H "X-Test: one" -H "X-Other: two" "$url/echo"
check "-H: each header sent" eval 'exit_is 0 && body_has "X-Test: one" && body_has "X-Other: two"'
run -H "User-Agent: mine" -H "Accept: text/x" -H "Host: other.example" "$url/echo"
check "-H replaces the default User-Agent, Accept and Host" \
  eval 'exit_is 0 && body_has "User-Agent: mine" && body_lacks "tern/" && body_has "Accept: text/x" && body_has "Host: other.example" && [[ $(grep -ci "^accept:" get.stdout) == 1 ]]'
run -H "User-Agent:" -H "X-Empty;" "$url/echo"
check "-H 'X:' removes a default, 'X;' sends it empty" \
  eval 'exit_is 0 && body_lacks "User-Agent" && grep -qx "X-Empty: *" get.stdout'
run -A "agent/1" "$url/echo"
check "-A sets the User-Agent" eval 'exit_is 0 && body_has "User-Agent: agent/1"'

run -d "a=1" -d "b=2" "$url/echo"
check "-d: POST, form content type, pieces joined with &" \
  eval 'exit_is 0 && body_has "POST /echo" && body_has "Content-Type: application/x-www-form-urlencoded" && body_has "Content-Length: 7" && grep -qx "a=1&b=2" get.stdout'
printf 'line1\r\nline2\n' >data.txt
run -d @data.txt "$url/echo"
check "-d @file: the file with CR and LF dropped" eval 'exit_is 0 && grep -qx "line1line2" get.stdout'
run --data-binary @data.txt "$url/echo"
check "--data-binary @file: the bytes as they are" \
  eval 'exit_is 0 && body_has "Content-Length: 13" && tail -c 13 get.stdout | cmp -s - data.txt'
out=$(printf 'from-stdin' | timeout 30 "$tern" get --cacert "$pki/root.pem" -d @- "$url/echo" 2>&1 >get.stdout)
status=$?
check "-d @-: the data from stdin" eval 'exit_is 0 && body_has "from-stdin"'
run -d @missing.txt "$url/echo"
check "-d @missing: exit 26 (curl's read error), the file named" eval 'exit_is 26 && says "missing.txt"'
run -H "Content-Type: application/json" -d '{"x":1}' "$url/echo"
check "-d with -H Content-Type: the user's type only" \
  eval 'exit_is 0 && body_has "Content-Type: application/json" && body_lacks "urlencoded"'

run -X PUT -d x "$url/echo"
check "-X PUT with -d" eval 'exit_is 0 && body_has "PUT /echo"'
run -X DELETE "$url/echo"
check "-X DELETE" eval 'exit_is 0 && body_has "DELETE /echo"'

run -I "$url/echo"
check "-I: HEAD, the response head on stdout" \
  eval 'exit_is 0 && grep -q "^HTTP/1.1 200" get.stdout && body_has "Content-Length:"'
run -i "$url/status/201"
check "-i: the head, then the body" \
  eval 'exit_is 0 && head -n 1 get.stdout | grep -q "^HTTP/1.1 201" && tail -n 1 get.stdout | grep -qx "status 201"'

run "$url/status/404"
check "404 without -f: exit 0 and the body (as curl)" eval 'exit_is 0 && grep -qx "status 404" get.stdout'
run -f "$url/status/404"
check "-f and 404: exit 22, no body, the status named" \
  eval 'exit_is 22 && [[ ! -s get.stdout ]] && says "404"'
run -f -s "$url/status/500"
check "-f -s: exit 22 and nothing on stderr" eval 'exit_is 22 && [[ -z $out ]]'
run -f -sS "$url/status/500"
check "-f -sS: exit 22 and the error shown" eval 'exit_is 22 && says "500"'

run "$url/redirect?to=/echo"
check "a redirect without -L: the 302 itself" eval 'exit_is 0 && grep -qx moved get.stdout'
run -L "$url/redirect?to=/echo"
check "-L follows a relative Location" eval 'exit_is 0 && body_has "GET /echo "'
run -L -d x=1 "$url/redirect?to=/echo&code=302"
check "-L: 302 after a POST continues with GET" eval 'exit_is 0 && body_has "GET /echo "'
run -L -d x=1 "$url/redirect?to=/echo&code=307"
check "-L: 307 keeps POST and its body" eval 'exit_is 0 && body_has "POST /echo " && grep -qx "x=1" get.stdout'
run -L "$url/loop"
check "-L and a loop: exit 47 after 50 redirects" eval 'exit_is 47 && says "maximum (50)"'
run -L --max-redirs 2 "$url/loop"
check "--max-redirs 2: exit 47" eval 'exit_is 47 && says "maximum (2)"'
run -L "$url/redirect?to=http://localhost:$port/echo"
check "-L to http://: refused as a downgrade, exit 1" eval 'exit_is 1 && says "downgrade"'
run -L -u alice:secret -H "Authorization: Bearer x" --resolve "127.0.0.1:$port:127.0.0.1" -k \
  "$url/redirect?to=https://127.0.0.1:$port/echo"
check "-L to another host: no -u credentials, no Authorization" \
  eval 'exit_is 0 && body_has "Host: 127.0.0.1" && body_lacks "Authorization"'
run -u alice:secret "$url/echo"
check "-u: Basic credentials" eval 'exit_is 0 && body_has "Authorization: Basic YWxpY2U6c2VjcmV0"'
run -u alice "$url/echo"
check "-u without a password: usage error" eval 'exit_is 2 && says "USER:PASSWORD"'

run -w '%{http_code} %{size_download} %{ssl_verify_result} %{http_version} %{url_effective}\n' \
  "$url/status/203"
check "-w: code, size, verify result, version and URL after the body" \
  eval 'exit_is 0 && tail -n 1 get.stdout | grep -qx "203 11 0 1.1 $url/status/203"'
run -o /dev/null -w '%{time_connect} %{time_appconnect} %{time_total}' "$url/echo"
check "-w: times in seconds, connect <= appconnect <= total" \
  eval 'exit_is 0 && grep -Eqx "[0-9]+\.[0-9]{6} [0-9]+\.[0-9]{6} [0-9]+\.[0-9]{6}" get.stdout &&
    python3 -c "import sys; a = [float(x) for x in open(sys.argv[1]).read().split()]
sys.exit(not (a[0] <= a[1] <= a[2]))" get.stdout'

mkdir -p o && (cd o && out=$(timeout 30 "$tern" get --cacert "$pki/root.pem" -O "$url/echo/name.txt" 2>&1) && [[ -z $out ]])
check "-O: saved under the URL's file name" eval '[[ -s o/name.txt ]] && grep -q "GET /echo/name.txt" o/name.txt'
run -O "$url/echo/"
check "-O and a URL ending in /: usage error" eval 'exit_is 2 && says "-O"'
run -O "$url/echo/.hidden"
check "-O and a name starting with '.': refused" eval 'exit_is 2'

run --compressed "$url/gzip"
check "--compressed: gzip decoded" \
  eval 'exit_is 0 && [[ $(grep -c "compressed hello" get.stdout) == 100 ]]'
run --compressed "$url/deflate"
check "--compressed: deflate decoded" eval 'exit_is 0 && [[ $(grep -c "deflated hello" get.stdout) == 100 ]]'
run --compressed "$url/echo"
check "--compressed: Accept-Encoding sent" eval 'exit_is 0 && body_has "Accept-Encoding: deflate, gzip"'
# An ASan build reserves terabytes of address space for its shadow memory, so the limit is
# checked on the release build; under ASan the bomb must still decode in full.
if grep -q AddressSanitizer "$tern"; then
  out=$(timeout 120 "$tern" get --cacert "$pki/root.pem" --compressed "$url/bomb" 2>&1 | wc -c)
  check "--compressed and a 64 MiB bomb: streamed whole (ASan build: no address-space limit)" \
    eval '[[ $out == *67108864* ]]'
else
  out=$( (ulimit -v 400000; timeout 60 "$tern" get --cacert "$pki/root.pem" --compressed "$url/bomb" 2>&1 | wc -c) )
  check "--compressed and a 64 MiB bomb: streamed under a 400 MB address-space limit" \
    eval '[[ $out == *67108864* ]]'
fi

run -r 2-5 "$url/range"
check "-r 2-5: Range sent, 206 body" eval 'exit_is 0 && [[ $(cat get.stdout) == 2345 ]]'

run -v -k "$url/echo"
check "-v: connection, TLS summary, certificate, request and response heads on stderr" \
  eval 'exit_is 0 && says "* Connected to localhost (127.0.0.1) port $port" && says "* SSL connection using TLS 1.3 / TLS_" && says "* ALPN: server" && says "* Server certificate:" && says "*  subject: CN=localhost" && says "*  expire date:" && says "> GET /echo HTTP/1.1" && says "> Host: localhost:$port" && says "< HTTP/1.1 200" && body_has "GET /echo"'
check "-v -k: warns that the certificate was not verified" eval 'says "NOT verified"'
run -v "$url/echo"
check "-v: says the certificate was verified" eval 'exit_is 0 && says "SSL certificate verify ok"'

run --http2 -v -d x=1 "$url/echo"
check "--http2 and a server without h2 (no ALPN): HTTP/1.1 as before" \
  eval 'exit_is 0 && says "> POST /echo HTTP/1.1" && grep -qx "x=1" get.stdout'

# Exit codes
run "ftp://localhost/"
check "ftp:// URL: exit 1 (unsupported protocol)" eval 'exit_is 1 && says "https"'
run "https://"
check "https:// without a host: exit 3 (malformed URL)" eval 'exit_is 3'
run --connect-timeout 5 -w '%{http_code}' "https://127.0.0.1:$(free_port)/"
check "nothing listening: exit 7; -w still reports (http_code 000)" \
  eval 'exit_is 7 && says "127.0.0.1" && [[ $(cat get.stdout) == 000 ]]'
run --resolve "no-such.invalid:443:bad-address" "https://no-such.invalid/"
check "unresolvable: exit 6" eval 'exit_is 6'
out=$(timeout 30 "$tern" get "$url/echo" 2>&1 >/dev/null)
status=$?
check "untrusted certificate: exit 60" eval 'exit_is 60'
run -o /nonexistent/dir/x "$url/echo"
check "-o in a missing directory: exit 23" eval 'exit_is 23'
finish
