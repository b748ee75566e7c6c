#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve` logs what the client sent escaped: a request line with a bare LF cannot
# forge a log line, and an ESC sequence never reaches the terminal (\x1b in the log).
# Usage: bash tests/cli/serve_log_escape.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_log_escape "$@"
make_pki
make_docroot
start_serve --workers 1

# send REQUEST_BYTES (a Python bytes literal): one request over TLS, waits for the answer.
send() {
  timeout 30 python3 - "$port" "$pki/root.pem" "$1" <<'PY'
import ast, socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as raw:
    with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
        tls.sendall(ast.literal_eval(sys.argv[3]))
        while tls.recv(65536):
            pass
PY
}
send 'b"GET /\x1b[2J\x1b]0;owned\x07 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"'
send 'b"GET /a\n127.0.0.1:1_FORGED HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"'
send 'b"GET /\xff\xfe\"quote\\ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"'
for ((i = 0; i < 100; i++)); do (($(wc -l <"$serve_log") >= 4)) && break; sleep 0.1; done
stop_serve
out=$(cat -v "$serve_log")
check "the three requests were logged" eval '(($(grep -c "^127\.0\.0\.1:[0-9]* \"" "$serve_log") == 3))'
no_control_bytes() { ! LC_ALL=C grep -q $'\x1b' "$serve_log" && ! LC_ALL=C grep -q $'\x07' "$serve_log"; }
check "no ESC or BEL byte reaches the log" no_control_bytes
check "the ESC sequence is logged as \\x1b" says '"GET /\x1b[2J\x1b]0;owned\x07 HTTP/1.1" '
check "a bare LF in the request line forges no log line" eval '! grep -q "^127.0.0.1:1_FORGED" "$serve_log"'
check "bytes that are not UTF-8 and quotes are escaped" says '/\xff\xfe\"quote\\'
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
