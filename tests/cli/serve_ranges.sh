#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve` as curl sees its ranges, validators and listing: curl -r (206, the bytes
# compared), a range past the end (416), If-None-Match and curl -z (304, no body), and the
# --list page (escaped names, no dotfiles, no keys).
# Usage: bash tests/cli/serve_ranges.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_ranges "$@"
make_pki
make_docroot
head -c 1000 /dev/urandom >"$www/k.bin"
mkdir -p "$www/files"
printf 'x' >"$www/files/a <b>&c.txt"
printf 'y' >"$www/files/.env"
cp "$pki/leaf.key" "$www/files/copied.key"
mkdir -p "$www/files/sub"
start_serve --list
cd "$work"

# fetch NAME ARGS...: curl into NAME.body and NAME.head; the status line's code in $out.
fetch() {
  local name=$1
  shift
  out=$(curl -sS --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1" --max-time 30 \
    -o "$name.body" -D "$name.head" -w '%{http_code}' "$@" 2>&1)
  status=$?
}
head_says() { grep -qiF -- "$2" "$1.head"; }
url=https://localhost:$port

fetch first -r 0-99 "$url/k.bin"
head -c 100 "$www/k.bin" >want-first
check "curl -r 0-99: 206 with the first 100 bytes" \
  eval '[[ $out == 206 ]] && same_file first.body want-first && head_says first "content-range: bytes 0-99/1000"'
fetch last -r -100 "$url/k.bin"
tail -c 100 "$www/k.bin" >want-last
check "curl -r -100: 206 with the last 100 bytes" \
  eval '[[ $out == 206 ]] && same_file last.body want-last && head_says last "content-range: bytes 900-999/1000"'
fetch past -r 5000- "$url/k.bin"
check "a range past the end: 416 with content-range: bytes */1000" \
  eval '[[ $out == 416 ]] && head_says past "content-range: bytes */1000"'
fetch whole "$url/k.bin"
check "a 200 says accept-ranges: bytes and carries an ETag" \
  eval '[[ $out == 200 ]] && head_says whole "accept-ranges: bytes" && head_says whole "etag: \""'
etag=$(grep -i '^etag:' whole.head | cut -d' ' -f2 | tr -d '\r')
fetch same -H "If-None-Match: $etag" "$url/k.bin"
check "If-None-Match with the ETag: 304, no body, no Content-Length, the ETag again" \
  eval '[[ $out == 304 && ! -s same.body ]] && head_says same "etag: $etag" && ! head_says same "content-length"'
fetch other -H 'If-None-Match: "other"' "$url/k.bin"
check "If-None-Match with another tag: 200" eval '[[ $out == 200 ]]'
fetch since -z "$www/k.bin" "$url/k.bin"
check "curl -z (If-Modified-Since the file's time): 304" eval '[[ $out == 304 && ! -s since.body ]]'
fetch older -z "Sun, 06 Nov 1994 08:49:37 GMT" "$url/k.bin"
check "If-Modified-Since long ago: 200" eval '[[ $out == 200 ]] && same_file older.body "$www/k.bin"'
fetch stale -r 0-9 -H 'If-Range: "stale"' "$url/k.bin"
check "If-Range with a stale ETag: the whole file (200)" eval '[[ $out == 200 ]]'

fetch list "$url/files/"
check "--list: a directory without index.html is listed" \
  eval '[[ $out == 200 ]] && grep -qF "Index of /files/" list.body'
check "--list: names escaped for HTML and percent-encoded in links" \
  grep -qF 'href="./a%20%3Cb%3E&amp;c.txt">a &lt;b&gt;&amp;c.txt</a>' list.body
check "--list: subdirectories end in /" grep -qF 'href="./sub/">sub/</a>' list.body
check "--list: no dotfiles, no private keys" eval '! grep -qE "\.env|copied\.key" list.body'
fetch root "$url/"
check "--list: a directory with index.html gets its index" \
  eval '[[ $out == 200 ]] && grep -qF "$page_marker" root.body'

# Raw HTTP/1.1: after a 304 the next request on the connection is answered (no stray body).
printf "GET /k.bin HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: %s\r\n\r\nGET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" "$etag" >request
out=$(timeout 20 openssl s_client -connect "127.0.0.1:$port" -servername localhost -quiet \
  -CAfile "$pki/root.pem" <request 2>/dev/null)
check "a 304 then a pipelined GET on one connection: both answered" \
  eval '[[ $(head -n 1 <<<"$out") == "HTTP/1.1 304"* ]] && says "HTTP/1.1 200" && says "$page_marker"'
stop_serve
finish
