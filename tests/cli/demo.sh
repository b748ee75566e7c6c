#!/usr/bin/env bash
# `make demo`'s script end to end: a CA, a server, two traced handshakes (TLS 1.3, TLS 1.2
# with the seeds' ServerHelloDone and ChangeCipherSpec), a GET, SVG ladders, a clean stop.
# Usage: bash tests/cli/demo.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init demo "$@"
out=$(TMPDIR=$work timeout -k 10 200 bash "$repo_dir/scripts/demo.sh" "$tern" 2>&1)
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
check "the server logged three requests and stopped" eval '[[ $(grep -c "\"GET / HTTP/1.1\" 200" <<<"$out") -eq 3 ]]'
finish
