#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SSLKEYLOGFILE holds every session's secrets: tern get, tern connect and tern serve create it
# with mode 0600 even under umask 022, append to an existing private one, and refuse (exit 2,
# saying what to do, writing nothing) a symlink and an existing file that group or others
# may read.
# Usage: bash tests/cli/keylog_file.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init keylog_file "$@"
make_pki
make_docroot
cd "$work"
umask 022

mode_of() { stat -c %a "$1"; }
lines_of() { grep -c '^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]\{64\} [0-9a-f]\{64,96\}$' "$1"; }
# get KEYLOG: tern get -k with SSLKEYLOGFILE=KEYLOG, 30 s bound; output in $out.
get() {
  out=$(SSLKEYLOGFILE=$1 timeout 30 "$tern" get -k "https://localhost:$port/small.txt" 2>&1)
  status=$?
}

mkdir -p keys
start_serve_fresh
get keys/get.log
check "tern get under umask 022: served, key log created with mode 600" \
  eval 'exit_is 0 && says "$page_marker" && [[ $(mode_of keys/get.log) == 600 ]] && [[ $(lines_of keys/get.log) == 1 ]]'
get keys/get.log
check "tern get: appends to its own (0600) key log" \
  eval 'exit_is 0 && [[ $(lines_of keys/get.log) == 2 ]] && [[ $(mode_of keys/get.log) == 600 ]]'

out=$(printf 'GET /small.txt HTTP/1.0\r\n\r\n' | SSLKEYLOGFILE=keys/connect.log timeout 30 \
  "$tern" connect -k --servername localhost -q "127.0.0.1:$port" 2>&1)
status=$?
check "tern connect under umask 022: key log created with mode 600" \
  eval 'exit_is 0 && [[ $(mode_of keys/connect.log) == 600 ]] && [[ $(lines_of keys/connect.log) == 1 ]]'

printf 'not a secret\n' >keys/shared.log
chmod 644 keys/shared.log
get keys/shared.log
check "an existing key log readable by others (0644): refused, exit 2, says chmod 600, nothing written" \
  eval 'exit_is 2 && says "chmod 600" && [[ $(cat keys/shared.log) == "not a secret" ]]'

printf 'target\n' >keys/target.log
chmod 600 keys/target.log
ln -s target.log keys/link.log
get keys/link.log
check "a key log path that is a symlink: refused, exit 2, says so, the target untouched" \
  eval 'exit_is 2 && says "symbolic link" && [[ $(cat keys/target.log) == target ]]'

# tern serve: the file is opened at start.
stop_serve
SSLKEYLOGFILE=$work/keys/serve.log start_serve_fresh
get ""
check "tern serve under umask 022: key log created with mode 600, the client's secrets in it" \
  eval 'exit_is 0 && [[ $(mode_of keys/serve.log) == 600 ]] && [[ $(lines_of keys/serve.log) == 1 ]]'
stop_serve
out=$(SSLKEYLOGFILE=$work/keys/shared.log timeout 30 "$tern" serve "$www" --cert "$pki/fullchain.pem" \
  --key "$pki/leaf.key" --port 0 --bind 127.0.0.1 2>&1)
status=$?
check "tern serve with a key log readable by others: refuses to start (exit 2), says chmod 600" \
  eval 'exit_is 2 && says "chmod 600"'

finish
