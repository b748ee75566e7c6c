#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve --explain`: curl fetches /.well-known/tern/handshake.json and finds its own
# ClientHello in it; headless Chromium loads /.well-known/tern/handshake and reads back, from
# the page, the group its own connection negotiated (X25519MLKEM768) and its GREASE values.
# Without --explain the paths are ordinary (404).
# Usage: bash tests/cli/serve_explain.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_explain "$@"
make_pki
make_docroot
start_serve --explain --workers 2
cd "$work"
url=https://localhost:$port/.well-known/tern

out=$(curl -sS --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1" --max-time 30 \
  --http1.1 "$url/handshake.json" 2>&1 | python3 -c '
import json, sys
page = json.load(sys.stdin)
hello = page["client_hello"]["fields"]
print("sni=" + hello.get("server_name", ""))
print("alpn=" + ",".join(hello.get("alpn", [])))
print("shares=" + ",".join(s["group"] for s in hello["key_shares"]))
print("negotiated=" + page["negotiated"]["group"] + " " + page["negotiated"]["version"])
print("events=" + " ".join(e.get("name", e.get("event", "")) for e in page["events"]))
' 2>&1)
status=$?
check "handshake.json parses and holds curl's ClientHello (its SNI, its ALPN offer)" \
  eval 'exit_is 0 && says "sni=localhost" && says "alpn=" && says "shares="'
check "handshake.json: the key schedule and the server's messages are there" \
  eval 'says "ServerHello" && says "key_schedule" && says "Finished"'
printf '%s\n' "$out" | sed 's/^/# curl: /'

out=$(curl -sS --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1" --max-time 30 \
  -D headers "$url/handshake" 2>&1)
check "the HTML page: the ladder as inline SVG, step-by-step explanations, no-store" \
  eval 'says "<svg" && says "id=\"steps\"" && grep -qi "cache-control: no-store" headers && ! says "<?xml"'

if command -v chromium >/dev/null; then
  run_chromium "$url/handshake" --ignore-certificate-errors
  check "chromium reads its own negotiated group from the page: X25519MLKEM768" \
    eval 'exit_is 0 && grep -qF "<td id=\"group\">X25519MLKEM768</td>" <<<"$out"'
  check "chromium's GREASE values are shown as GREASE" says "GREASE("
  note "chromium read back: $(grep -o '<td id="[a-z-]*">[^<]*</td>' <<<"$out" | sed 's/<td id="\([a-z-]*\)">\([^<]*\)<\/td>/\1=\2/' | tr '\n' ' ')"
else
  echo "not ok - chromium is not installed (make deps installs it)"
  failures=$((failures + 1))
  checks=$((checks + 1))
fi
stop_serve

start_serve_fresh
out=$(curl -sS --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1" --max-time 30 \
  -o /dev/null -w '%{http_code}' "https://localhost:$port/.well-known/tern/handshake" 2>&1)
check "without --explain: 404 (a dot-directory, never served)" eval '[[ $out == 404 ]]'
stop_serve
finish
