#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Headless Chromium loads a page with a stylesheet, a script and images from `tern serve`
# over HTTP/2: the protocol is read from Chromium's NetLog (negotiated_protocol h2, the
# requests sent on its HTTP/2 session), the page's script reports that every sub-resource
# loaded, and the server's log has each request as HTTP/2.
# Usage: bash tests/cli/serve_http2_chromium.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_http2_chromium "$@"
require_chromium
make_pki
make_docroot
cat >"$www/index.html" <<HTML
<!DOCTYPE html>
<html><head><title>tern h2 page</title><link rel="stylesheet" href="/style.css">
<script src="/app.js"></script></head>
<body><p id="marker">$page_marker</p>
<img id="a" src="/a.svg"><img id="b" src="/b.svg"><img id="c" src="/c.svg"></body></html>
HTML
printf '#marker { color: rgb(1, 2, 3); }\n' >"$www/style.css"
cat >"$www/app.js" <<'JS'
// Runs after every sub-resource has loaded (or failed): reports what the page got.
window.addEventListener("load", () => {
  const images = [...document.images].filter((i) => i.complete && i.naturalWidth > 0);
  const color = getComputedStyle(document.getElementById("marker")).color;
  const p = document.createElement("p");
  p.id = "report";
  p.textContent = `images-loaded=${images.length} css-color=${color}`;
  document.body.appendChild(p);
});
JS
for name in a b c; do
  printf '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#%s"/></svg>\n' \
    "$name$name$name" >"$www/$name.svg"
done
start_serve --workers 1

chromium_trust_root "$pki/root.pem"
check "NSS database trusts the test root" eval 'exit_is 0 && says tern-test-root'

netlog=$work/netlog.json
run_chromium "https://localhost:$port/index.html" --log-net-log="$netlog" \
  --virtual-time-budget=10000
check "chromium loads the page" eval 'exit_is 0 && says "$page_marker"'
check "the page's script ran: three images and the stylesheet loaded" \
  says "images-loaded=3 css-color=rgb(1, 2, 3)"
dom=$out

out=$(python3 "$lib_dir/netlog_h2.py" "$netlog" 2>&1)
note "chromium NetLog: $(paste -sd' ' <<<"$out")"
note "chromium TLS: $(python3 "$lib_dir/netlog_ssl.py" "$netlog" 2>&1 | head -n 1)"
check "chromium's NetLog: ALPN h2 (SSL_CONNECT next_proto), an HTTP/2 session" \
  eval 'says "negotiated_protocol=h2" && ! says "negotiated_protocol=http/1.1" && ! says "h2_sessions=0"'
for path in /index.html /style.css /app.js /a.svg /b.svg /c.svg; do
  says "h2_request=$path" || out+=$'\n'"not sent over HTTP/2: $path"
done
check "every sub-resource was requested on the HTTP/2 session" eval '! says "not sent over"'

out=$(cat "$serve_log")
for path in /index.html /style.css /app.js /a.svg /b.svg /c.svg; do
  grep -q "\"GET $path HTTP/2\" 200 " "$serve_log" || out+=$'\n'"not logged: $path"
done
check "tern serve logged every request as HTTP/2, 200" eval '! says "not logged"'
check "no request came over HTTP/1.1" eval '! grep -q "HTTP/1.1\"" "$serve_log"'

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
