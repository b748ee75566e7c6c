#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern ca` end to end: a CA of every key type, leaves that openssl, `tern verify` and
# headless Chromium accept, revocation seen by `tern verify --crls` and `openssl verify
# -crl_check`, name constraints, and trust/untrust in NSS databases. Everything lives in a
# temporary directory (XDG_DATA_HOME and HOME point into it); the server listens on loopback.
# Usage: bash tests/cli/ca.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init ca "$@"
for tool in openssl certutil chromium python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "not ok - $tool is not installed (make deps installs openssl, libnss3-tools, chromium)"
    exit 1
  fi
done
export XDG_DATA_HOME=$work/data HOME=$work/home
mkdir -p "$HOME"
cd "$work" || exit 1

# run ARGS...: tern with a time limit; stdout+stderr in $out, exit code in $status.
run() {
  out=$(timeout 60 "$tern" "$@" 2>&1)
  status=$?
}
# tool ARGS...: another program, the same way.
tool() {
  out=$(timeout 60 "$@" 2>&1)
  status=$?
}
mode_is() { [[ $(stat -c %a "$1") == "$2" ]]; }
json_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

# --- No CA yet ---
run ca issue localhost
check "issue without a CA: exit 2 and says to run init" \
  eval 'exit_is 2 && says "no CA in $XDG_DATA_HOME/tern/ca: run \`tern ca init\` first"'

# --- Every key type: init, issue, openssl and tern accept ---
for key in p256 p384 rsa2048 rsa3072 ed25519; do
  mkdir -p "out-$key"
  run ca init --dir "ca-$key" --key "$key"
  check "init --key $key" eval 'exit_is 0 && says "created a local CA in ca-$key"'
  run ca issue --dir "ca-$key" --out "out-$key" localhost 127.0.0.1 ::1 '*.example.test'
  check "$key CA issues for localhost 127.0.0.1 ::1 *.example.test" \
    eval 'exit_is 0 && [[ -f out-$key/localhost+3.pem && -f out-$key/localhost+3-key.pem ]]'
  tool openssl verify -CAfile "ca-$key/root.pem" "out-$key/localhost+3.pem"
  check "$key: openssl verify accepts the leaf" eval 'exit_is 0 && says ": OK"'
  for name in localhost 127.0.0.1 ::1 app.example.test; do
    run verify --roots "ca-$key/root.pem" --hostname "$name" "out-$key/localhost+3.pem"
    check "$key: tern verify accepts it for $name" eval 'exit_is 0 && says accepted'
  done
done
run ca issue --dir ca-p256 --out out-p256 --key rsa3072 rsa.test
tool openssl verify -CAfile ca-p256/root.pem out-p256/rsa.test.pem
check "an RSA leaf from an EC CA verifies" eval 'exit_is 0 && says ": OK"'

# --- The default CA directory, the files of a leaf ---
run ca init
check "init without --dir uses \$XDG_DATA_HOME/tern/ca" \
  eval 'exit_is 0 && [[ -f $XDG_DATA_HOME/tern/ca/root.pem ]]'
ca=$XDG_DATA_HOME/tern/ca
root=$ca/root.pem
check "CA directory mode 0700, root.key mode 0600" eval 'mode_is "$ca" 700 && mode_is "$ca/root.key" 600'
run ca init
check "a second init refuses to replace the CA" eval 'exit_is 2 && says "a CA already exists"'
tool openssl x509 -noout -text -in "$root"
check "root: CA:TRUE pathlen 0 critical, keyCertSign and cRLSign critical, SKI" \
  eval 'says "X509v3 Basic Constraints: critical" && says "CA:TRUE, pathlen:0" &&
        says "X509v3 Key Usage: critical" && says "Certificate Sign, CRL Sign" &&
        says "X509v3 Subject Key Identifier"'

run ca issue --json localhost 127.0.0.1 ::1 '*.example.test'
printf '%s\n' "$out" >issue.json
check "issue --json names the files, by default in issued/ of the CA directory" \
  eval 'exit_is 0 && [[ $(json_field issue.json certificate) == $ca/issued/localhost+3.pem &&
        $(json_field issue.json key) == $ca/issued/localhost+3-key.pem &&
        $(json_field issue.json fullchain) == $ca/issued/localhost+3-fullchain.pem ]]'
check "without --out, no file in the current directory (what tern serve serves by default)" \
  eval '[[ ! -e localhost+3-key.pem && ! -e localhost+3.pem ]]'
serial=$(json_field issue.json serial)
check "issued/ is mode 0700, the key file 0600, the certificate 0644" \
  eval 'mode_is "$ca/issued" 700 && mode_is "$ca/issued/localhost+3-key.pem" 600 &&
        mode_is "$ca/issued/localhost+3.pem" 644'
cp -p "$ca/issued"/localhost+3* .  # the checks below read them here
check "the fullchain file is the leaf (no intermediates)" same_file localhost+3.pem localhost+3-fullchain.pem
tool openssl x509 -noout -text -in localhost+3.pem
check "openssl shows SAN, EKU, AKI, SKI, CA:FALSE" \
  eval 'says "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:*.example.test" &&
        says "TLS Web Server Authentication" && says "X509v3 Authority Key Identifier" &&
        says "X509v3 Subject Key Identifier" && says "CA:FALSE" && says "Digital Signature"'
check "the leaf's AKI is the root's SKI" eval '[[ $(openssl x509 -noout -ext authorityKeyIdentifier -in localhost+3.pem | tail -n 1 | tr -d " ") == \
  $(openssl x509 -noout -ext subjectKeyIdentifier -in "$root" | tail -n 1 | tr -d " ") ]]'
check "the key file holds the certificate's key" \
  eval '[[ $(openssl pkey -in localhost+3-key.pem -pubout) == $(openssl x509 -in localhost+3.pem -noout -pubkey) ]]'
check "openssl x509 -serial prints the serial tern reported" \
  eval '[[ $(openssl x509 -noout -serial -in localhost+3.pem) == "serial=$serial" ]]'
tool openssl verify -CAfile "$root" -purpose sslserver localhost+3.pem
check "openssl verify -purpose sslserver accepts the leaf" eval 'exit_is 0 && says ": OK"'
run verify --roots "$root" --hostname localhost localhost+3.pem
check "tern verify --roots root.pem --hostname localhost accepts it" eval 'exit_is 0 && says accepted'
run verify --roots "$root" --hostname example.test localhost+3.pem
check "tern verify refuses a name the leaf lacks" eval 'exit_is 1 && says rejected'

run ca issue --out . --client alice.test
check "issue --client writes alice.test-client.pem" eval 'exit_is 0 && [[ -f alice.test-client.pem ]]'
tool openssl x509 -noout -ext extendedKeyUsage -in alice.test-client.pem
check "a client certificate has EKU clientAuth only" \
  eval 'says "TLS Web Client Authentication" && ! says "TLS Web Server Authentication"'
tool openssl verify -CAfile "$root" -purpose sslclient alice.test-client.pem
check "openssl accepts it for sslclient" exit_is 0
tool openssl verify -CAfile "$root" -purpose sslserver alice.test-client.pem
check "openssl refuses it for sslserver" eval '! exit_is 0'
run verify --roots "$root" --purpose client alice.test-client.pem
check "tern verify --purpose client accepts it" exit_is 0
run verify --roots "$root" --purpose server alice.test-client.pem
check "tern verify --purpose server rejects it" eval 'exit_is 1 && says serverAuth'

# --- Mistakes get clear messages ---
run ca issue 'exa mple.test'
check "an invalid name is refused (exit 2)" eval 'exit_is 2 && says "neither a DNS name"'
run ca issue https://example.test/
check "a URL is refused with a hint" eval 'exit_is 2 && says "looks like a URL"'
run ca issue --days 4000 localhost
check "--days beyond 3650 is refused" exit_is 2
run ca issue --key rsa1024 localhost
check "an unknown --key is refused" exit_is 2
chmod 644 "$ca/root.key"
run ca issue localhost
check "a CA key readable by others is refused, with the chmod to run" \
  eval 'exit_is 2 && says "run: chmod 600 $ca/root.key"'
chmod 600 "$ca/root.key"

# --- Revocation: tern verify --crls and openssl verify -crl_check ---
run ca crl
check "ca crl writes crl.pem" eval 'exit_is 0 && says "CRL number 1, 0 revoked" && [[ -f $ca/crl.pem ]]'
run verify --roots "$root" --crls "$ca/crl.pem" --hostname localhost localhost+3.pem
check "before revocation, tern verify --crls accepts the leaf" exit_is 0
tool openssl verify -crl_check -CRLfile "$ca/crl.pem" -CAfile "$root" localhost+3.pem
check "before revocation, openssl verify -crl_check accepts it" exit_is 0
run ca revoke --reason keyCompromise "$serial"
check "ca revoke updates the CRL" eval 'exit_is 0 && says "revoked $serial" && says "updated the CRL"'
run verify --roots "$root" --crls "$ca/crl.pem" --hostname localhost localhost+3.pem
check "tern verify --crls rejects the revoked leaf" \
  eval 'exit_is 1 && says "was revoked on" && says keyCompromise'
tool openssl verify -crl_check -CRLfile "$ca/crl.pem" -CAfile "$root" localhost+3.pem
check "openssl verify -crl_check rejects it" eval '! exit_is 0 && says "certificate revoked"'
run ca revoke "$serial"
check "revoking twice is refused" eval 'exit_is 2 && says "already revoked"'
run ca issue --out . other.test
tool openssl x509 -noout -serial -in other.test.pem
other_serial=$out
run ca revoke --reason superseded "$other_serial"
check "revoke takes openssl's serial=... form" eval 'exit_is 0 && says revoked'
tool openssl crl -noout -text -in "$ca/crl.pem"
check "the CRL lists both, with reasons, and CRL number 3" \
  eval 'says "Key Compromise" && says "Superseded" && says "X509v3 CRL Number:" && grep -qx " *3" <<<"$out"'
run ca list
check "ca list shows the revoked certificates" \
  eval 'exit_is 0 && says "revoked $serial" && says "keyCompromise"'
run ca revoke 0123
check "an unknown serial is refused" eval 'exit_is 2 && says "issued no certificate with serial 0123"'

# --- Name constraints ---
run ca init --dir ca-nc --name-constraint localhost --name-constraint .test
check "init with name constraints" eval 'exit_is 0 && says "localhost, test (name constraints)"'
tool openssl x509 -noout -ext nameConstraints -in ca-nc/root.pem
check "openssl shows them: permitted DNS localhost and test, every address excluded" \
  eval 'says "DNS:localhost" && says "DNS:test" && says "Excluded" && says "IP:0.0.0.0/0.0.0.0"'
mkdir -p out-nc
run ca issue --dir ca-nc --out out-nc example.com
check "the constrained CA refuses example.com" \
  eval 'exit_is 2 && says "may not vouch for example.com" && [[ ! -e out-nc/example.com.pem ]]'
run ca issue --dir ca-nc --out out-nc localhost 127.0.0.1
check "... and 127.0.0.1" eval 'exit_is 2 && says "may not vouch for 127.0.0.1"'
run ca issue --dir ca-nc --out out-nc localhost app.test '*.api.test'
check "it issues for localhost, app.test, *.api.test" exit_is 0
tool openssl verify -CAfile ca-nc/root.pem out-nc/localhost+2.pem
check "openssl verify accepts the constrained CA's leaf" eval 'exit_is 0 && says ": OK"'
run verify --roots ca-nc/root.pem --hostname x.api.test out-nc/localhost+2.pem
check "tern verify accepts it" exit_is 0
# A leaf signed with the constrained CA's key behind its back: verifiers refuse it.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout rogue.key \
  -subj /O=rogue -out rogue.csr >/dev/null 2>&1
printf 'subjectAltName=DNS:example.com\nextendedKeyUsage=serverAuth\n' >rogue.ext
openssl x509 -req -in rogue.csr -CA ca-nc/root.pem -CAkey ca-nc/root.key -days 30 \
  -extfile rogue.ext -out rogue.pem >/dev/null 2>&1
tool openssl verify -CAfile ca-nc/root.pem rogue.pem
check "openssl rejects a rogue example.com leaf of the constrained CA" \
  eval '! exit_is 0 && says "permitted subtree violation"'
run verify --roots ca-nc/root.pem rogue.pem
check "tern verify rejects it too" eval 'exit_is 1 && says "name constraints"'

# --- trust --nss into a fresh NSS database, and untrust ---
nickname=$(openssl x509 -noout -subject -nameopt multiline -in "$root" | sed -n 's/^ *commonName *= //p')
nssdb=$work/nssdb
run ca trust --nss "$nssdb"
check "trust --nss DIR creates the database and adds the root" \
  eval 'exit_is 0 && says "created an NSS database" && says "trusted \"$nickname\""'
check "trust prints the system-store commands" \
  says "sudo cp $root /usr/local/share/ca-certificates/tern-local-ca.crt && sudo update-ca-certificates"
tool certutil -L -d "sql:$nssdb"
check "certutil -L lists it as a trusted CA (C,,)" eval 'exit_is 0 && grep -q "^$nickname *C,," <<<"$out"'
run ca trust --nss "$nssdb"
check "trusting again is fine" exit_is 0
run ca untrust --nss "$nssdb"
check "untrust --nss removes it" eval 'exit_is 0 && says "removed \"$nickname\""'
tool certutil -L -d "sql:$nssdb"
check "certutil -L no longer lists it" eval 'exit_is 0 && ! says "$nickname"'
run ca untrust --nss "$nssdb"
check "untrusting again says there is nothing to remove" eval 'exit_is 0 && says "nothing to remove"'
out=$(PATH=/nonexistent "$(command -v timeout)" 60 "$tern" ca trust --nss "$nssdb" 2>&1)
status=$?
check "without certutil, trust fails (exit 2) naming the Debian package" \
  eval 'exit_is 2 && says "sudo apt install libnss3-tools"'

# --- Chromium trusts what tern ca issued, served by tern serve ---
run ca issue --out "$work" localhost 127.0.0.1 '*.example.test'
check "a leaf for the browser" exit_is 0
make_docroot
cat >"$www/index.html" <<HTML
<!DOCTYPE html>
<html><head><title>tern ca test page</title><script src="/app.js"></script></head>
<body><p id="marker">$page_marker</p></body></html>
HTML
cat >"$www/app.js" <<'JS'
document.addEventListener("DOMContentLoaded", () => {
  const p = document.createElement("p");
  p.id = "script-ran";
  p.textContent = "script ran over " + location.protocol + " for " + location.hostname;
  document.body.appendChild(p);
});
JS
# lib.sh's servers take $pki/fullchain.pem and $pki/leaf.key: the files tern ca wrote.
pki=$work/pki
mkdir -p "$pki"
cp "$work/localhost+2-fullchain.pem" "$pki/fullchain.pem"
cp "$work/localhost+2-key.pem" "$pki/leaf.key"
start_serve

run ca trust --nss
check "trust --nss uses \$HOME/.pki/nssdb, what Chromium reads" \
  eval 'exit_is 0 && [[ -f $HOME/.pki/nssdb/cert9.db ]]'

# chromium_dump URL [RULES]: headless Chromium with the private HOME, as in
# interop_server_chromium.sh; the DOM in $out, stderr in $work/chromium.err.
chromium_dump() {
  out=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="${2:-MAP * ~NOTFOUND, EXCLUDE localhost}" \
    --user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" --dump-dom "$1" 2>"$work/chromium.err")
  status=$?
  if ! says "$page_marker"; then
    out+=$'\n'$(grep -v -e dbus -e 'unexpected operator' "$work/chromium.err" | tail -n 20)
  fi
}
chromium_dump "https://localhost:$port/index.html"
check "chromium loads https://localhost from tern serve with the tern ca certificate" \
  eval 'exit_is 0 && says "$page_marker" && says "script ran over https: for localhost"'
chromium_dump "https://127.0.0.1:$port/index.html" "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
check "chromium accepts it for https://127.0.0.1 (IP SAN)" \
  eval 'exit_is 0 && says "script ran over https: for 127.0.0.1"'
chromium_dump "https://app.example.test:$port/index.html" "MAP app.example.test 127.0.0.1, MAP * ~NOTFOUND"
check "chromium accepts it for https://app.example.test (wildcard SAN)" \
  eval 'exit_is 0 && says "script ran over https: for app.example.test"'
check "tern serve logged the requests" eval 'grep -q "GET /app.js.* 200 " "$serve_log"'

run ca untrust --nss
check "untrust --nss removes the root from \$HOME/.pki/nssdb" exit_is 0
chromium_dump "https://localhost:$port/index.html"
check "after untrust, chromium refuses the certificate" \
  eval '! says "$page_marker" && grep -q ERR_CERT_AUTHORITY_INVALID "$work/chromium.err"'

# Mutual TLS with a tern ca client certificate: tern serve checks it against the root.
start_extra_serve mtls --client-ca "$root" --require-client-cert
run get --cacert "$root" --cert "$work/alice.test-client.pem" --key "$work/alice.test-client-key.pem" \
  "https://localhost:$extra_port/index.html"
check "tern serve --client-ca root.pem accepts the tern ca client certificate" \
  eval 'exit_is 0 && says "$page_marker"'
run get --cacert "$root" "https://localhost:$extra_port/index.html"
check "... and refuses a client without one" eval '! exit_is 0 && ! says "$page_marker"'
stop_extra_serve "$extra_pid"

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
