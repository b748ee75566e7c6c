#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Command-line mistakes, said in the user's terms: the unknown flag named with the nearest
# known one, an unknown subcommand with the list of commands, an option that took the URL.
# Usage: bash tests/cli/parse_errors.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init parse_errors "$@"
cd "$work"
run() {
  out=$(timeout 10 "$tern" "$@" 2>&1)
  status=$?
}

run get --Cacert x.pem https://localhost/
check "an unknown long option: exit 2, named, the nearest suggested" \
  eval 'exit_is 2 && says "tern get: unknown option --Cacert; did you mean --cacert?"'
run get --max-redir 3 https://localhost/
check "a misspelt option: the nearest suggested" eval 'exit_is 2 && says "did you mean --max-redirs?"'
run get -Z https://localhost/
check "an unknown short option: exit 2, named" eval 'exit_is 2 && says "unknown option -Z"'
run get -I -Q https://localhost/
check "an unknown short option after known ones: named" eval 'exit_is 2 && says "unknown option -Q"'
run gte https://localhost/
check "an unknown command: said, the nearest and the list of commands" \
  eval 'exit_is 2 && says "unknown command '"'"'gte'"'"'; did you mean '"'"'get'"'"'?" && says "get, connect, trace, serve, verify, ca, bench"'
run get -o https://localhost/
check "-o took the URL: said so" \
  eval 'exit_is 2 && says "-o took '"'"'https://localhost/'"'"' as its FILE; give the URL too"'
run get -H https://localhost/
check "-H took the URL: said so" eval 'exit_is 2 && says "-H took"'
run connect --servrname x localhost:443
check "connect: the same help" eval 'exit_is 2 && says "tern connect: unknown option --servrname; did you mean --servername?"'
run get -sSk -o out.txt --bogus https://localhost/
check "clustered short flags are known; the unknown one named" eval 'exit_is 2 && says "unknown option --bogus"'
finish
