#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve` reads request heads one way only and resolves every path one way only: bare
# LF ends a line everywhere (RFC 9112 §2.2), ambiguous framing is a 400 that closes the
# connection, a redirect comes from the normalised path (no open redirect), and no symlink
# leads to a sibling directory whose name starts with the root's.
# Usage: bash tests/cli/serve_paths_framing.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_paths_framing "$@"
make_pki
make_docroot  # $www = $work/www
mkdir -p "$www/example.com" "$www/leak" "$work/www-secret"
printf 'sibling secret\n' >"$work/www-secret/index.html"
ln -s "$work/www-secret/index.html" "$www/leak/index.html"
ln -s "$work/www-secret" "$www/sibling"
start_serve
out=$(timeout 120 python3 "$lib_dir/serve_framing.py" "$port" "$pki/root.pem" "$page_marker" 2>&1)
status=$?
printf '%s\n' "$out"
count_tap
check "the probe ran to its end" eval 'exit_is 0 && says "symlink to that sibling"'
check "the server is still up" serve_alive
stop_serve
finish
