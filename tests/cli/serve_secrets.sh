#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve` never hands out a secret: the README's example flow as written, then the old
# example's mistake (serving the directory that holds the keys) with every key file, the
# ticket key file, the key log, links to the key and dotfiles asked for: never a 200.
# Usage: bash tests/cli/serve_secrets.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_secrets "$@"
for tool in curl openssl; do
  command -v "$tool" >/dev/null || { echo "not ok - $tool is not installed"; exit 1; }
done
cd "$work" || exit 1

# The README's commands, checked to be the README's own (a change there must change here).
readme_pki='scripts/make-test-pki.sh pki && cat pki/leaf.pem pki/chain.pem > pki/fullchain.pem'
readme_www='mkdir -p www && cp README.md www/'
readme_serve='build/release/tern serve www --cert pki/fullchain.pem --key pki/leaf.key --port 8443 &'
for line in "$readme_pki" "$readme_www" "$readme_serve"; do
  check "README.md shows: ${line:0:60}" grep -qF -- "$line" "$repo_dir/README.md"
done
make_pki  # $work/pki: scripts/make-test-pki.sh pki, plus pki/fullchain.pem
mkdir -p www && cp "$repo_dir/README.md" www/

status_of() {
  curl -s -o /dev/null -w '%{http_code}' --path-as-is --cacert "$pki/root.pem" \
    --resolve "localhost:$port:127.0.0.1" --max-time 20 "https://localhost:$port$1"
}
# never_served PATH...: a check per path that the answer is a 404.
never_served() {
  local path code
  for path in "$@"; do
    code=$(status_of "$path")
    check "GET $path: $code, never 200" eval '[[ $code == 404 || $code == 400 ]]'
  done
}
key_files() { (cd "$1" && grep -lr -- "PRIVATE KEY-----" . | sed 's|^\.||' | sort); }

# 1. The README flow: the site alone is served.
www=$work/www
start_serve
check "README flow: the page is served" eval '[[ $(status_of /README.md) == 200 ]]'
check "README flow: no start-up warning (no key in www)" eval '! grep -q warning "$serve_err"'
mapfile -t pki_keys < <(key_files "$pki")
check "the test PKI holds keys to ask for" eval '(( ${#pki_keys[@]} >= 5 ))'
never_served "${pki_keys[@]/#//pki}" "${pki_keys[@]/#//..}"

# 2. The old README example: serving the directory with pki/ in it. Plus the ticket key file
# and the key log inside it, a symlink and a hard link to the key with harmless names, a DER
# copy of the key, and dotfiles.
mkdir -p .git .config/app
printf '[core]\n' >.git/config
printf 'SECRET=1\n' >.env
printf 'x\n' >.config/app/settings
ln -s pki/leaf.key innocent-link.txt
ln pki/leaf.key innocent-hardlink.txt
openssl pkey -in pki/leaf.key -outform DER -out leaf.der 2>/dev/null
mkdir -p dir && ln -s ../.git dir/git-link
www=$work
SSLKEYLOGFILE=$work/keylog.txt start_serve_fresh --ticket-keys "$work/tickets.txt"
check "the whole directory: a public file is served" eval '[[ $(status_of /pki/root.pem) == 200 ]]'
check "a start-up warning names the keys in DIR" \
  eval 'grep -q "warning: .* holds private keys or other secrets: innocent-hardlink.txt, leaf.der, pki/" "$serve_err"'
check "the ticket key file and the key log exist (the server made them)" \
  eval '[[ -s tickets.txt && -e keylog.txt ]]'
mapfile -t all_keys < <(key_files "$work")
never_served "${all_keys[@]}" /tickets.txt /keylog.txt /innocent-link.txt /innocent-hardlink.txt \
  /leaf.der /.env /.git/config /.git/ /.config/app/settings /dir/git-link/config /%2egit/config
check "each refusal is logged with a reason" \
  eval 'grep -q "refused to serve a file this server loaded a credential from (404)" "$serve_log" &&
        grep -q "refused to serve a PEM PRIVATE KEY block (404)" "$serve_log" &&
        grep -q "refused to serve a DER SEC1 EC private key (404)" "$serve_log" &&
        grep -q "refused to serve a dotfile or dot-directory (404)" "$serve_log" &&
        grep -q "refused to serve a dotfile or dot-directory (through a symlink) (404)" "$serve_log"'
check "no response carried a key" eval '! grep -q "\" 200 " <(grep -E "key|tickets|keylog|\.env|\.git|innocent|leaf\.der" "$serve_log")'
stop_serve
finish
