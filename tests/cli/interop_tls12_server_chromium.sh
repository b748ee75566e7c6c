#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Headless Chromium in TLS 1.2 against `tern serve`: against --tls-max 1.2 (P-256 and RSA
# leaves), and against the default server with Chromium capped by --ssl-version-max=tls1.2.
# The test root is trusted through a fresh NSS database (as interop_server_chromium.sh); the
# DOM shows the page and its script arrived; Chromium's NetLog (SSL_CONNECT) says which
# version, suite, group and signature scheme were negotiated.
# Usage: bash tests/cli/interop_tls12_server_chromium.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_tls12_server_chromium "$@"
require_chromium
make_pki
make_docroot
cat "$pki/leaf-rsa.pem" "$pki/chain.pem" >"$pki/fullchain-rsa.pem"
cat >"$www/index.html" <<HTML
<!DOCTYPE html>
<html><head><title>tern test page</title><script src="/app.js"></script></head>
<body><p id="marker">$page_marker</p></body></html>
HTML
cat >"$www/app.js" <<'JS'
document.addEventListener("DOMContentLoaded", () => {
  const p = document.createElement("p");
  p.id = "script-ran";
  p.textContent = "script from tern serve ran over " + location.protocol;
  document.body.appendChild(p);
});
JS

# Chromium reads trust from $HOME/.pki/nssdb: a private HOME with only the test root.
export HOME=$work/home
mkdir -p "$HOME/.pki/nssdb"
certutil -N --empty-password -d "sql:$HOME/.pki/nssdb" &&
  certutil -A -d "sql:$HOME/.pki/nssdb" -n tern-test-root -t "C,," -i "$pki/root.pem"
status=$?
out=$(certutil -L -d "sql:$HOME/.pki/nssdb" 2>&1)
check "NSS database trusts the test root" eval 'exit_is 0 && says tern-test-root'

# chromium_dump URL [FLAGS...]: the DOM in $out; the NetLog's TLS summary in $tls.
chromium_dump() {
  local url=$1
  shift
  rm -f "$work/netlog.json"
  out=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE localhost" \
    --user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" --log-net-log="$work/netlog.json" \
    "$@" --dump-dom "$url" 2>"$work/chromium.err")
  status=$?
  tls=$(netlog_tls)
  if ! says "$page_marker"; then
    out+=$'\n'$(grep -v -e dbus -e 'unexpected operator' "$work/chromium.err" | tail -n 20)
  fi
}
# netlog_tls: "version=TLS 1.2 cipher=0xC02B group=29 signature=0x0403" for each finished
# SSL_CONNECT of the NetLog, one line each.
netlog_tls() {
  python3 - "$work/netlog.json" <<'PY' 2>&1
import json, sys
try:
    log = json.load(open(sys.argv[1]))
except (OSError, ValueError) as error:  # Chromium ended before closing the JSON
    text = open(sys.argv[1]).read().rstrip().rstrip(",")
    log = json.loads(text + "]}")
names = {value: key for key, value in log["constants"]["logEventTypes"].items()}
for event in log["events"]:
    params = event.get("params", {})
    if names.get(event["type"]) == "SSL_CONNECT" and "version" in params:
        print(f"version={params['version']} cipher=0x{params.get('cipher_suite', 0):04X} "
              f"group={params.get('key_exchange_group')} "
              f"signature=0x{params.get('peer_signature_algorithm', 0):04X}")
PY
}
all_tls12() { [[ -n $tls ]] && ! grep -qv '^version=TLS 1.2 ' <<<"$tls"; }
page_ok() { exit_is 0 && says "$page_marker" && says "script from tern serve ran over https:"; }

# --- tern serve --tls-max 1.2, P-256 leaf; Chromium as it comes (offers 1.3) ---
start_serve --tls-max 1.2
chromium_dump "https://localhost:$port/index.html"
check "chromium loads the page and its script from tern serve --tls-max 1.2" page_ok
check "NetLog: every connection TLS 1.2 with an ECDHE-ECDSA AEAD suite" \
  eval 'all_tls12 && ! grep -qv "cipher=0x\(C02B\|C02C\|CCA9\) " <<<"$tls"'
note "tern serve --tls-max 1.2: $(sort -u <<<"$tls" | paste -sd';')"
check "tern serve logged both requests" \
  eval 'grep -q "GET /index.html.* 200 " "$serve_log" && grep -q "GET /app.js.* 200 " "$serve_log"'

# --- RSA leaf ---
start_serve_with "$pki/fullchain-rsa.pem" "$pki/leaf-rsa.key" --tls-max 1.2
chromium_dump "https://localhost:$port/index.html"
check "chromium, RSA leaf, TLS 1.2: page and script loaded" page_ok
check "NetLog: TLS 1.2 with an ECDHE-RSA AEAD suite" \
  eval 'all_tls12 && ! grep -qv "cipher=0x\(C02F\|C030\|CCA8\) " <<<"$tls"'
note "RSA leaf: $(sort -u <<<"$tls" | paste -sd';')"

# --- the default server: Chromium capped at TLS 1.2, then uncapped (TLS 1.3) ---
start_serve_fresh
chromium_dump "https://localhost:$port/index.html" --ssl-version-max=tls1.2
check "chromium --ssl-version-max=tls1.2 against the default tern serve: page and script loaded" page_ok
check "NetLog: TLS 1.2" all_tls12
note "default server, chromium capped at 1.2: $(sort -u <<<"$tls" | paste -sd';')"
chromium_dump "https://localhost:$port/index.html"
check "control: uncapped chromium gets TLS 1.3 from the same server" \
  eval 'page_ok && [[ -n $tls ]] && ! grep -qv "^version=TLS 1.3 " <<<"$tls"'
note "default server, chromium: $(sort -u <<<"$tls" | paste -sd';')"

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
