#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The demo `make demo` runs: the three parties of an HTTPS handshake, live. A throw-away certificate
# authority (tern ca) issues a certificate for localhost and 127.0.0.1; tern serve serves a
# small page with it; tern trace draws the handshake with TLS 1.3 and then TLS 1.2 (the
# classic flow, ServerHelloDone and ChangeCipherSpec included), as text and as an SVG
# picture; tern get fetches the page; the server stops; the files stay for a look.
# Usage: scripts/demo.sh PATH/TO/tern
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/terminate.sh"

tern_as_given=${1:?usage: demo.sh PATH/TO/tern}
tern=$(realpath "$tern_as_given")
dir=$(mktemp -d "${TMPDIR:-/tmp}/tern-demo.XXXXXX")
serve_pid=""
# Stops the server: SIGTERM, up to 30 s to finish, then SIGKILL with a word on stderr.
stop_server() {
  if ! terminate "$serve_pid" 30; then
    echo "tern serve did not stop within 30 s of SIGTERM; killing it" >&2
    kill_tree "$serve_pid"
  fi
  wait "$serve_pid" 2>/dev/null
  serve_pid=""
}
# The directory holds a CA's private key: it goes at the end unless KEEP=1 asks to keep it.
cleanup() {
  [[ -n $serve_pid ]] && stop_server
  if [[ ${KEEP:-0} != 1 ]]; then
    rm -rf "$dir"
    echo "Removed $dir (it held the demo CA's private key); run with KEEP=1 to keep it."
  fi
  return 0
}
trap cleanup EXIT

heading() { printf '\n== %s ==\n' "$1"; }
# Shows a command as the reader would type it (paths relative to the demo directory),
# runs it there, and shows its exit code.
show() {
  printf '$ tern %s\n' "$*"
  set +e
  (cd "$dir" && NO_COLOR=1 "$tern" "$@")
  status=$?
  set -e
  printf '(exit code %d)\n' "$status"
  return "$status"
}

heading "1. A certificate authority of our own (tern ca)"
show ca init --dir ca
# No --out: the key goes to ca/issued (mode 0700), beside the CA, not into a served directory.
show ca issue --dir ca localhost 127.0.0.1

heading "2. A web server with that certificate (tern serve)"
mkdir -p "$dir/www"
cat >"$dir/www/index.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>tern demo</title></head>
<body><p>Hello from tern serve, over TLS.</p></body></html>
HTML
printf '$ tern serve www --cert ca/issued/localhost+1-fullchain.pem --key ca/issued/localhost+1-key.pem --port 0 &\n'
# --foreground: plain timeout(1) follows its SIGTERM with a SIGCONT, which can stall a
# sanitizer build's exit-time leak check (tests run this script under AddressSanitizer).
(cd "$dir" && exec timeout --foreground 300 "$tern" serve www --cert ca/issued/localhost+1-fullchain.pem \
  --key ca/issued/localhost+1-key.pem --port 0 --bind 127.0.0.1 >serve.log 2>serve.err) &
serve_pid=$!
port=""
for _ in $(seq 150); do
  if [[ $(head -n 1 "$dir/serve.log" 2>/dev/null) =~ ^listening\ on\ https://127\.0\.0\.1:([0-9]+)/$ ]]; then
    port=${BASH_REMATCH[1]}
    break
  fi
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "tern serve did not start:" >&2
  cat "$dir/serve.err" >&2
  exit 1
fi
echo "listening on https://127.0.0.1:$port/"

heading "3. The handshake, TLS 1.3 (tern trace)"
show trace "127.0.0.1:$port" --servername localhost --cacert ca/root.pem --get / \
  --svg handshake-tls13.svg

heading "4. The classic TLS 1.2 handshake, as most tutorials draw it"
show trace "127.0.0.1:$port" --servername localhost --cacert ca/root.pem --tls-max 1.2 \
  --get / --svg handshake-tls12.svg

heading "5. The page (tern get)"
show get -v --cacert ca/root.pem --resolve "localhost:$port:127.0.0.1" \
  "https://localhost:$port/"

heading "6. The server stops"
stop_server || true
echo "tern serve logged:"
sed 's/^/  /' "$dir/serve.log"

heading "Files"
echo "Everything is in $dir (removed when the demo ends, unless KEEP=1):"
echo "  ca/root.pem                 the CA certificate (trust it: tern ca trust --nss --dir ca)"
echo "  ca/issued/localhost+1.pem, localhost+1-key.pem   the server's certificate and key"
echo "  handshake-tls13.svg         the TLS 1.3 ladder as a picture (open it in a browser)"
echo "  handshake-tls12.svg         the TLS 1.2 ladder"
echo "Try: $tern_as_given trace --help"
