#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Python's ssl module against `tern serve` (interop_server_python.py does the talking).
# Usage: bash tests/cli/interop_server_python.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_server_python "$@"
make_pki
make_docroot
start_serve

out=$(timeout 90 python3 "$lib_dir/interop_server_python.py" "$port" "$pki/root.pem" "$www" 2>&1)
status=$?
printf '%s\n' "$out"
checks=$((checks + $(grep -c '^\(not \)\?ok - ' <<<"$out")))
failures=$((failures + $(grep -c '^not ok - ' <<<"$out")))
check "python client finished (exit 0)" exit_is 0

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
