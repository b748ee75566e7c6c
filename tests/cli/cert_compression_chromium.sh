#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Certificate compression (RFC 8879) with a real browser: headless Chromium (which offers
# brotli) loads a page from `tern serve --trace`; the trace shows the server's
# CompressedCertificate (brotli) with both sizes, and the same page with --cert-compression
# none shows the plain Certificate, so the bytes saved on the wire are printed.
# Usage: bash tests/cli/cert_compression_chromium.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init cert_compression_chromium "$@"
require_chromium
make_pki
make_docroot
chromium_trust_root "$pki/root.pem"
check "NSS database trusts the test root" eval 'exit_is 0 && says tern-test-root'

# load NAME [SERVE ARGS...]: tern serve --trace, Chromium loads the page; the trace ends up
# in $work/NAME.trace, Chromium's NetLog in $work/NAME.netlog.
load() {
  local name=$1
  shift
  start_serve --workers 1 --trace "$@"
  run_chromium "https://localhost:$port/index.html" --log-net-log="$work/$name.netlog"
  check "$name: chromium loads the page" eval 'exit_is 0 && says "$page_marker"'
  stop_serve
  cp "$serve_log" "$work/$name.trace"
  note "$name: chromium TLS: $(python3 "$lib_dir/netlog_ssl.py" "$work/$name.netlog" 2>&1 | head -n 1)"
}

# The size in "NAME  [..., N bytes]" on the ladder's first arrow labelled NAME.
message_size() {
  grep -m1 -E "$1  \[" "$2" | sed -E 's/.*, ([0-9]+) bytes\].*/\1/'
}

load compressed
out=$(cat "$work/compressed.trace")
check "the trace shows a CompressedCertificate sent" says "CompressedCertificate  ["
check "compressed with brotli (what Chromium offers)" says "brotli, "
check "no plain Certificate was sent" eval '! grep -qE " Certificate  \[" "$work/compressed.trace"'
note "trace: $(grep -m1 -E 'compress +brotli' "$work/compressed.trace" | sed -E 's/^[ |]+//; s/[ |]+$//')"
compressed=$(message_size CompressedCertificate "$work/compressed.trace")

load plain --cert-compression none
out=$(cat "$work/plain.trace")
check "with --cert-compression none the trace shows a plain Certificate" says " Certificate  ["
check "and no CompressedCertificate" eval '! says "CompressedCertificate"'
plain=$(message_size Certificate "$work/plain.trace")

out="plain=$plain compressed=$compressed"
check "the compressed message is smaller on the wire" \
  eval '[[ -n $plain && -n $compressed && $compressed -lt $plain ]]'
note "server Certificate on the wire: $plain bytes plain, $compressed bytes as CompressedCertificate (brotli), $((plain - compressed)) bytes saved"
finish
