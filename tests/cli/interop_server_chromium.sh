#!/usr/bin/env bash
# Headless Chromium against `tern serve`: the test root is trusted through a fresh NSS database
# (no --ignore-certificate-errors), the page loads a script from the server, and the DOM the
# script built is read back. Usage: bash tests/cli/interop_server_chromium.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_server_chromium "$@"
for tool in chromium certutil; do
  if ! command -v "$tool" >/dev/null; then
    echo "not ok - $tool is not installed (make deps installs chromium and libnss3-tools)"
    exit 1
  fi
done
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

chromium_dump() {
  out=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE localhost" \
    --user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" --dump-dom "$1" 2>"$work/chromium.err")
  status=$?
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

# An untrusted certificate is refused by Chromium: the trust above is what made it work.
rm -rf "$HOME/.pki"
chromium_dump "https://localhost:$port/index.html"
check "without the NSS root, chromium refuses the certificate" \
  eval '! says "$page_marker" && grep -q ERR_CERT_AUTHORITY_INVALID "$work/chromium.err"'

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
