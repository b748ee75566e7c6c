#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The bash completion (completions/tern): what COMPREPLY holds for a few command lines, in
# a plain bash and, when the bash-completion package is installed, again under it (file
# names then come from its _filedir).
# Usage: completion.sh SOURCE_DIR [--with-bash-completion]
set -uo pipefail

bash_completion=/usr/share/bash-completion/bash_completion
if [[ ${2-} == --with-bash-completion ]]; then
  set +u  # bash_completion reads variables it does not set
  source "$bash_completion" || exit 1
  set -u
  declare -F _filedir >/dev/null || { echo "FAIL: $bash_completion defines no _filedir"; exit 1; }
  mode="under bash-completion"
else
  mode="in a plain bash"
fi
source "$1/completions/tern" || exit 1
if ! complete -p tern >/dev/null; then
  echo "FAIL: the completion does not register itself for tern"
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/site" "$work/certs"
touch "$work/root.pem" "$work/roster.txt"

failures=0
# expect "EXPECTED WORDS" WORD...: completing the last word of `tern WORD...` gives exactly
# the expected words (in any order). Pure bash: no process per case.
expect() {
  local want=$1 word missing=""
  shift
  COMP_WORDS=(tern "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _tern
  local -A got=()
  for word in "${COMPREPLY[@]}"; do [[ -n $word ]] && got[$word]=1; done
  local -a wanted=($want)
  for word in "${wanted[@]}"; do [[ -n ${got[$word]-} ]] || missing+=" $word"; done
  if [[ -n $missing || ${#got[@]} -ne ${#wanted[@]} ]]; then
    echo "FAIL: tern $* <TAB>: expected [$want], got [${COMPREPLY[*]}]"
    failures=$((failures + 1))
  fi
}

expect "get" g
expect "get connect trace serve verify ca bench ech" ""
expect "connect ca" c
expect "--help --version" --
expect "--cacert" get --ca
expect "--cacert" connect -k --ca
expect "--output" get --out
expect "--tls-max --tls-min" serve --tls-m
expect "1.2 1.3" get --tls-min ""
expect "secp256r1 secp384r1" get --groups x25519 : sec
expect "x25519,secp256r1 x25519,secp384r1" trace --groups x25519,sec
expect "TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384" get --ciphers TLS_AES
expect "auto always" trace --color a
expect "server client" verify --purpose ""
expect "init issue" ca i
expect "--key" ca issue --k
expect "rsa2048 rsa3072" ca init --key rsa
expect "keyCompromise" ca revoke --reason key
expect "1a-pq 1a" bench --only 1a
expect "1a,handshakes" bench --only 1a,hand
# Files after the options that take one, directories where a directory goes; nothing for
# options whose value is free text.
expect "$work/root.pem $work/roster.txt" get --cacert "$work/ro"
expect "$work/root.pem $work/roster.txt" get --output = "$work/ro"
expect "$work/root.pem $work/roster.txt" verify --hostname localhost "$work/ro"
expect "$work/site" serve --cert x.pem "$work/s"
expect "$work/certs" ca issue --out "$work/c"
expect "" get --resolve ""
expect "" verify --time ""
expect "" ca issue --days ""

if ((failures)); then
  echo "$failures failure(s) $mode"
  exit 1
fi
echo "ok: the completion answers as expected $mode"
if [[ ${2-} != --with-bash-completion && -f $bash_completion ]]; then
  bash "$0" "$1" --with-bash-completion
fi
