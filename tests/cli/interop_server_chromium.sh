#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Headless Chromium against `tern serve`: the test root is trusted through a fresh NSS database
# (no --ignore-certificate-errors), the page loads a script from the server, and the DOM the
# script built is read back. Usage: bash tests/cli/interop_server_chromium.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_server_chromium "$@"
require_chromium
make_pki
make_docroot
# The page runs a script fetched from the server, so the DOM shows both requests worked.
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
start_serve

# Chromium reads trust from $HOME/.pki/nssdb: a private HOME with only the test root.
export HOME=$work/home
mkdir -p "$HOME/.pki/nssdb"
certutil -N --empty-password -d "sql:$HOME/.pki/nssdb" &&
  certutil -A -d "sql:$HOME/.pki/nssdb" -n tern-test-root -t "C,," -i "$pki/root.pem"
status=$?
out=$(certutil -L -d "sql:$HOME/.pki/nssdb" 2>&1)
check "NSS database trusts the test root" eval 'exit_is 0 && says tern-test-root'

# chromium_dump URL: the DOM in $out; what TLS negotiated (from the NetLog) in $netlog_ssl.
chromium_dump() {
  local netlog
  netlog=$(mktemp "$work/netlog.XXXXXX")
  out=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE localhost" --log-net-log="$netlog" \
    --user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" --dump-dom "$1" 2>"$work/chromium.err")
  status=$?
  netlog_ssl=$(python3 "$repo_dir/tests/cli/netlog_ssl.py" "$netlog" 2>&1)
}

chromium_dump "https://localhost:$port/index.html"
if ! says "$page_marker"; then
  out+=$'\n'$(grep -v -e dbus -e 'unexpected operator' "$work/chromium.err" | tail -n 20)
fi
check "chromium loads the page over a trusted TLS connection" \
  eval 'exit_is 0 && says "$page_marker"'
check "the page's script, fetched from tern serve, ran" \
  says "script from tern serve ran over https:"
check "tern serve logged both requests" \
  eval 'grep -q "GET /index.html.* 200 " "$serve_log" && grep -q "GET /app.js.* 200 " "$serve_log"'
# Chromium's NetLog names the group: X25519MLKEM768 (0x11EC = 4588), the post-quantum hybrid.
out=$netlog_ssl
check "chromium negotiated TLS 1.3 with X25519MLKEM768 (NetLog key_exchange_group 4588)" \
  eval 'says "version=TLS 1.3 group=4588 " && ! says "group=29 "'

# An untrusted certificate is refused by Chromium: the trust above is what made it work.
rm -rf "$HOME/.pki"
chromium_dump "https://localhost:$port/index.html"
check "without the NSS root, chromium refuses the certificate" \
  eval '! says "$page_marker" && grep -q ERR_CERT_AUTHORITY_INVALID "$work/chromium.err"'

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'

# A server without the hybrids: Chromium's X25519 share is used, no extra round trip; a
# server with P-256 only makes Chromium retry (HelloRetryRequest away from the hybrid).
mkdir -p "$HOME/.pki/nssdb"
certutil -N --empty-password -d "sql:$HOME/.pki/nssdb" &&
  certutil -A -d "sql:$HOME/.pki/nssdb" -n tern-test-root -t "C,," -i "$pki/root.pem"
for groups in x25519:secp256r1 secp256r1 SecP256r1MLKEM768:x25519; do
  start_serve --groups "$groups" --trace
  chromium_dump "https://localhost:$port/index.html"
  page_ok=$(says "$page_marker" && echo yes)
  stop_serve
  out="$netlog_ssl"$'\n'"page=$page_ok"$'\n'$(cat "$serve_log")
  case $groups in
    x25519:secp256r1)
      check "--groups $groups: chromium gets x25519 (29) in one round trip" \
        eval 'says "page=yes" && says "group=29 " && ! says "HelloRetryRequest   yes"' ;;
    secp256r1)
      check "--groups $groups: chromium retries with P-256 (23) after a HelloRetryRequest" \
        eval 'says "page=yes" && says "group=23 " && says "HelloRetryRequest   yes"' ;;
    *)
      check "--groups $groups: chromium (no SecP256r1MLKEM768) falls back to x25519" \
        eval 'says "page=yes" && says "group=29 " && ! says "HelloRetryRequest   yes"' ;;
  esac
done
finish
