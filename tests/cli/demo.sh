#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make demo`'s script end to end: a CA, a server, two traced handshakes (TLS 1.3, TLS 1.2
# with the classic ServerHelloDone and ChangeCipherSpec), a GET, SVG ladders, a clean stop.
# Usage: bash tests/cli/demo.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init demo "$@"
out=$(TMPDIR=$work KEEP=1 timeout -k 10 200 bash "$repo_dir/scripts/demo.sh" "$tern" 2>&1)
status=$?
check "scripts/demo.sh exits 0" exit_is 0
check "tern ca issued the server certificate" says "issued a server certificate for localhost, 127.0.0.1"
check "the TLS 1.3 trace completes" eval 'grep -q "version             TLS 1.3" <<<"$out"'
check "the TLS 1.2 trace shows ServerHelloDone and ChangeCipherSpec" \
  eval 'says "ServerHelloDone" && says "ChangeCipherSpec"'
check "the TLS 1.2 trace completes" eval 'grep -q "version             TLS 1.2" <<<"$out"'
check "tern get prints the page" says "Hello from tern serve, over TLS."
svgs=("$work"/tern-demo.*/handshake-tls1*.svg)
check "two SVG ladders, well-formed XML" eval '[[ ${#svgs[@]} -eq 2 ]] &&
  python3 -c "import sys, xml.etree.ElementTree as E; [E.parse(f) for f in sys.argv[1:]]" "${svgs[@]}"'
check "the server logged three requests and stopped" eval '[[ $(grep -cE "\"GET / HTTP/(1.1|2)\" 200" <<<"$out") -eq 3 ]]'
# The keys of the demo flow are never served. Where they are: ca/issued (made by tern ca issue
# without --out), out of www. Then the worst case: the whole demo directory served, as
# `tern serve` without DIR would run there; every key file and dotfile is asked for.
demo_dir=$(echo "$work"/tern-demo.*)
check "tern ca issue put the key in ca/issued (mode 0700), not in the served www nor beside it" \
  eval '[[ -f $demo_dir/ca/issued/localhost+1-key.pem && $(stat -c %a "$demo_dir/ca/issued") == 700 &&
          -z $(find "$demo_dir/www" "$demo_dir" -maxdepth 1 -name "*key*") ]]'
mkdir -p "$demo_dir/.git"
printf '[core]\n' >"$demo_dir/.git/config"
printf 'SECRET=1\n' >"$demo_dir/.env"
pki=$work/demo-pki  # lib.sh's server takes $pki/fullchain.pem and $pki/leaf.key: links to them
mkdir -p "$pki"
ln -s "$demo_dir/ca/issued/localhost+1-fullchain.pem" "$pki/fullchain.pem"
ln -s "$demo_dir/ca/issued/localhost+1-key.pem" "$pki/leaf.key"
www=$demo_dir
start_serve
check "serving the demo directory warns of the keys in it, by name" \
  eval 'grep -q "warning: .* holds private keys or other secrets: ca/issued/localhost+1-key.pem, ca/root.key" "$serve_err"'
status_of() {
  curl -s -o /dev/null -w '%{http_code}' --path-as-is --cacert "$demo_dir/ca/root.pem" \
    --resolve "localhost:$port:127.0.0.1" --max-time 20 "https://localhost:$port$1"
}
check "the page is served" eval '[[ $(status_of /www/index.html) == 200 ]]'
check "the CA certificate is served (it is public)" eval '[[ $(status_of /ca/root.pem) == 200 ]]'
secrets=(/ca/root.key /ca/issued/localhost+1-key.pem /.env /.git/config)
for path in "${secrets[@]}"; do
  code=$(status_of "$path")
  check "GET $path: $code, never 200" eval '[[ $code == 404 ]]'
done
check "each refusal logged with its reason" \
  eval '[[ $(grep -c "refused to serve" "$serve_log") -eq ${#secrets[@]} ]] &&
        grep -q "refused to serve a file this server loaded a credential from" "$serve_log" &&
        grep -q "refused to serve a PEM PRIVATE KEY block" "$serve_log" &&
        grep -q "refused to serve a dotfile or dot-directory" "$serve_log"'
stop_serve
finish
