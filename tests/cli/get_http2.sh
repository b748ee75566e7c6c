#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern get` over HTTP/2 (the default; --http2) against nghttpd (Debian nghttp2-server): ALPN h2, a 3 MB file byte for
# byte, -i/-I/-f/-w over HTTP/2, and --http1.1 offering only http/1.1.
# Usage: bash tests/cli/get_http2.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init get_http2 "$@"
if ! command -v nghttpd >/dev/null; then
  echo "not ok - nghttpd is not installed (apt install nghttp2-server)"
  exit 1
fi
make_pki
make_docroot
cd "$work"
head -c 3000000 /dev/urandom >"$www/big.bin"

port=$(free_port)
timeout 200 nghttpd --htdocs="$www" --address=127.0.0.1 "$port" "$pki/leaf.key" \
  "$pki/fullchain.pem" >nghttpd.log 2>&1 &
server_pid=$!
peer_started nghttpd nghttpd.log
url=https://localhost:$port
run() {
  out=$(timeout 30 "$tern" get --cacert "$pki/root.pem" "$@" 2>&1 >get.stdout)
  status=$?
}

run --http2 -v "$url/small.txt"
check "--http2: ALPN h2, the request and response shown as HTTP/2, the body" \
  eval 'exit_is 0 && says "* ALPN: server accepted h2" && says "> GET /small.txt HTTP/2" && says "< HTTP/2 200" && same_file get.stdout "$www/small.txt"'
run -v "$url/small.txt"
check "no flag: HTTP/2 as curl's default over TLS, no Connection field shown" \
  eval 'exit_is 0 && says "< HTTP/2 200" && ! says "> Connection:" && same_file get.stdout "$www/small.txt"'
run --http2 -o big.out -w '%{http_version} %{http_code} %{size_download}' "$url/big.bin"
check "--http2: a 3 MB file byte for byte; -w says version 2" \
  eval 'exit_is 0 && same_file big.out "$www/big.bin" && [[ $(cat get.stdout) == "2 200 3000000" ]]'
head -c 200000 /dev/urandom >post.bin
run -v --data-binary @post.bin "$url/small.txt"
check "HTTP/2 POST of 200 kB (past the 64 KiB initial window): sent, answered" \
  eval 'exit_is 0 && says "> POST /small.txt HTTP/2" && says "< HTTP/2 200" && same_file get.stdout "$www/small.txt"'
run --http2 -i "$url/small.txt"
check "--http2 -i: the HTTP/2 head, then the body" \
  eval 'exit_is 0 && head -n 1 get.stdout | grep -q "^HTTP/2 200" && tail -n 1 get.stdout | cmp -s - "$www/small.txt"'
run --http2 -I "$url/small.txt"
check "--http2 -I: HEAD, the head only" \
  eval 'exit_is 0 && grep -q "^HTTP/2 200" get.stdout && ! grep -qxF "$(cat "$www/small.txt")" get.stdout'
run --http2 -f "$url/missing"
check "--http2 -f and a 404: exit 22, no body" eval 'exit_is 22 && [[ ! -s get.stdout ]] && says "404"'
run --http1.1 -v "$url/small.txt"
check "--http1.1 offers only http/1.1 (nghttpd speaks h2 only: no protocol agreed)" \
  eval 'says "* ALPN: server did not agree on a protocol"'
run --http2 --http1.1 "$url/small.txt"
check "--http2 with --http1.1: usage error" eval 'exit_is 2'
stop_server
finish
