#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern verify` end to end, against a PKI the openssl tool makes (scripts/make-test-pki.sh).
# Usage: bash tests/cli/verify.sh /path/to/tern
# Prints "ok - ..." or "not ok - ..." per check and exits non-zero if any check failed.
set -uo pipefail

tern=${1:?usage: verify.sh /path/to/tern}
tern=$(realpath "$tern")
if [[ ! -x $tern ]]; then
  echo "not ok - $tern is not an executable (build the tern_cli target first)"
  exit 1
fi
here=$(cd "$(dirname "$0")" && pwd)
root_dir=$(cd "$here/../.." && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/tern-cli-verify.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! timeout 60 bash "$root_dir/scripts/make-test-pki.sh" "$work" >"$work/make-pki.log" 2>&1; then
  echo "not ok - making the test PKI failed:"
  cat "$work/make-pki.log"
  exit 1
fi
cd "$work"

failures=0
checks=0
out=""
status=0

# Runs tern with a time limit; keeps stdout+stderr in $out and the exit code in $status.
run() {
  out=$(timeout 20 "$tern" "$@" 2>&1)
  status=$?
}

# check DESCRIPTION CONDITION...: CONDITION is a command; on failure the last output is shown.
check() {
  local description=$1
  shift
  checks=$((checks + 1))
  if "$@"; then
    echo "ok - $description"
  else
    echo "not ok - $description"
    echo "#   exit status: $status"
    printf '%s\n' "$out" | sed 's/^/#   /'
    failures=$((failures + 1))
  fi
}

exit_is() { [[ $status -eq $1 ]]; }
says() { grep -qiF -- "$1" <<<"$out"; }
exit_and_says() { exit_is "$1" && says "$2"; }

common=(--roots root.pem --intermediates chain.pem)

# --- Accepted chains ---
run verify "${common[@]}" --hostname localhost leaf.pem
check "accepted chain exits 0" exit_is 0
check "accepted chain prints 'accepted'" says "accepted"
check "path lists the leaf" says "CN=localhost"
check "path lists the intermediate" says "tern Test Intermediate"
check "path ends at the root" says "tern Test Root"
check "path shows the SANs" says "DNS:localhost, IP:127.0.0.1"
check "path names the anchor's file" says "root.pem"
check "times are ISO 8601 UTC" grep -qE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z' <<<"$out"

run verify "${common[@]}" --hostname 127.0.0.1 leaf.pem
check "IP address literal matches the iPAddress SAN" exit_is 0

cat leaf.pem chain.pem > fullchain.pem
run verify --roots root.pem --hostname localhost fullchain.pem
check "intermediates after the leaf in LEAF_FILE are used" exit_is 0

mkdir roots.d && cp root.pem other-root.pem roots.d/
run verify --roots roots.d --intermediates chain.pem --hostname localhost leaf.pem
check "--roots accepts a directory of PEM files, names the anchor's file" \
  exit_and_says 0 "roots.d/root.pem"

openssl x509 -in leaf.pem -outform DER -out leaf.der
run verify "${common[@]}" leaf.der
check "a DER leaf is accepted too" exit_is 0

run verify "${common[@]}" --hostname localhost --crls crl.pem leaf.pem
check "good leaf with CRLs is accepted" exit_is 0

# --- JSON ---
run verify "${common[@]}" --hostname localhost --json leaf.pem
json_ok() {
  python3 - "$out" 2>&1 <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
assert doc["result"] == "accepted", doc
assert doc["reason"] is None and doc["alert"] is None
assert doc["anchor_source"].endswith("root.pem"), doc["anchor_source"]
path = doc["path"]
assert len(path) == 3, len(path)
fields = {"subject", "issuer", "serial", "not_before", "not_after", "names", "key",
          "signature_algorithm", "sha256_fingerprint", "is_ca"}
for cert in path:
    assert fields <= set(cert), set(cert) ^ fields
    assert cert["not_before"].endswith("Z") and "T" in cert["not_before"]
assert path[0]["names"] == ["DNS:localhost", "IP:127.0.0.1"], path[0]["names"]
assert path[0]["is_ca"] is False and path[1]["is_ca"] is True and path[2]["is_ca"] is True
assert path[0]["key"] == "EC P-256", path[0]["key"]
assert len(path[0]["sha256_fingerprint"].split(":")) == 32
PY
}
check "--json accepted: exit 0" exit_is 0
check "--json accepted: parses with the documented fields" json_ok

run verify "${common[@]}" --hostname example.com --json leaf.pem
json_rejected() {
  python3 - "$out" 2>&1 <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
assert doc["result"] == "rejected", doc
assert "example.com" in doc["reason"], doc["reason"]
assert doc["alert"], doc
assert doc["path"] == [] and doc["anchor_source"] is None
PY
}
check "--json rejected: exit 1" exit_is 1
check "--json rejected: parses, result/reason/alert set" json_rejected

# --- Rejections (exit 1) ---
run verify "${common[@]}" --hostname example.com leaf.pem
check "wrong host name: exit 1" exit_is 1
check "wrong host name: prints 'rejected:'" says "rejected:"
check "wrong host name: reason names the requested name" says "example.com"
check "wrong host name: reason names the certificate's names" says "localhost"

run verify "${common[@]}" --hostname localhost wrong-name.pem
check "certificate for another name: exit 1, names www.example.org" \
  exit_and_says 1 "www.example.org"

run verify "${common[@]}" --hostname localhost expired.pem
check "expired leaf: exit 1" exit_is 1
check "expired leaf: reason says expired" says "expired"

run verify --roots root.pem --hostname localhost leaf.pem
check "missing intermediate: exit 1, names the missing issuer" \
  exit_and_says 1 "tern Test Intermediate"
check "missing intermediate: hints at --intermediates" says "hint: no intermediates were given"

run verify --roots other-root.pem --intermediates chain.pem --hostname localhost leaf.pem
check "untrusted root: exit 1, names the untrusted issuer" exit_and_says 1 "tern Test Root"

run verify "${common[@]}" --hostname localhost other-leaf.pem
check "leaf from an unrelated CA: exit 1" exit_and_says 1 "rejected:"

run verify "${common[@]}" --hostname localhost --crls crl.pem revoked.pem
check "revoked leaf with --crls: exit 1" exit_is 1
check "revoked leaf with --crls: reason says revoked" says "revoked"

run verify "${common[@]}" --hostname localhost revoked.pem
check "revoked leaf without --crls is accepted (no revocation data)" exit_is 0

# A CRL that does not parse revokes nothing: ignored with a warning, the good one still counts.
{ printf -- '-----BEGIN X509 CRL-----\nMAMCAQA=\n-----END X509 CRL-----\n'; cat crl.pem; } > mixed-crls.pem
run verify "${common[@]}" --hostname localhost --crls mixed-crls.pem revoked.pem
check "malformed CRL beside a good one: still revoked" exit_and_says 1 "revoked"
check "malformed CRL: a warning names it" says "ignoring a CRL that does not parse: CRL 1 in"
run verify "${common[@]}" --hostname localhost --crls mixed-crls.pem --json leaf.pem
check "malformed CRL: --json lists the warning" says '"ignored CRL: CRL 1 in'

run verify "${common[@]}" --purpose client leaf.pem
check "server-only leaf for --purpose client: exit 1, mentions clientAuth" \
  exit_and_says 1 "clientAuth"
check "--purpose client: the alert is the one a TLS server would send" \
  says "(a TLS server would send the alert"

run verify --roots root.pem --intermediates chain.pem --max-depth 0 leaf.pem
check "--max-depth 0 refuses a chain with one intermediate" exit_and_says 1 "depth"

head -c 3000 /dev/urandom > garbage.bin
run verify "${common[@]}" garbage.bin
check "bytes that are not DER: exit 2 (a usage error), names the file and its first bytes" \
  exit_and_says 2 "garbage.bin holds no PEM certificate (it starts with bytes"

printf -- '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n' > bad.pem
run verify "${common[@]}" bad.pem
check "malformed PEM: exit 1, names the file" exit_and_says 1 "bad.pem"

head -c 400 leaf.der > truncated.der
run verify "${common[@]}" truncated.der
check "truncated DER: exit 1" exit_and_says 1 "rejected:"

# Every 8th prefix of a good certificate: never a crash, always a rejection.
prefixes_rejected() {
  local size n code
  size=$(stat -c %s leaf.der)
  for ((n = 1; n < size; n += 8)); do
    head -c "$n" leaf.der > prefix.der
    timeout 20 "$tern" verify "${common[@]}" prefix.der > /dev/null 2>&1
    code=$?
    if [[ $code -ne 1 ]]; then
      out="prefix of $n bytes: exit $code"
      return 1
    fi
  done
}
check "truncated DER at every 8th length: exit 1 each time" prefixes_rejected

: > empty.pem
run verify "${common[@]}" empty.pem
check "empty file: exit 2, says it is empty" exit_and_says 2 "empty.pem is empty"

# A local mix-up of files is a usage error naming the file and what it holds, not a TLS alert.
run verify --roots root.pem leaf.key
check "a private key as LEAF_FILE: exit 2, says it holds a private key" \
  exit_and_says 2 'leaf.key holds a private key (PEM "PRIVATE KEY"), not a certificate'
check "a private key as LEAF_FILE: no TLS alert blamed" eval '! says "would send the alert"'
printf 'hello, this is not a certificate\n' > some.txt
run verify --roots root.pem some.txt
check "a text file as LEAF_FILE: exit 2, quotes its start" \
  exit_and_says 2 "some.txt holds no PEM certificate (it starts with text 'hello, this is no"
run verify --roots leaf.key leaf.pem
check "a private key as --roots: exit 2, names it" exit_and_says 2 "leaf.key holds a private key"
run verify --roots crl.pem leaf.pem
check "a CRL as --roots: exit 2, names what it holds" \
  exit_and_says 2 'crl.pem holds PEM "X509 CRL", not a certificate'
openssl x509 -in root.pem -outform DER -out root.der
run verify --roots root.der --intermediates chain.pem --hostname localhost leaf.der
check "DER files still work" exit_is 0

# --- --time pinned ---
not_before=$(date -d "$(openssl x509 -in leaf.pem -noout -startdate | cut -d= -f2)" +%s)
run verify "${common[@]}" --hostname localhost --time $((not_before + 86400)) leaf.pem
check "--time inside the validity: exit 0" exit_is 0
check "--time is echoed in the output" says "$(date -u -d @$((not_before + 86400)) +%Y-%m-%dT%H:%M:%SZ)"
run verify "${common[@]}" --hostname localhost --time $((not_before - 86400)) leaf.pem
check "--time before notBefore: exit 1, not valid until ..." exit_and_says 1 "not valid until"
inside=$(date -u -d @$((not_before + 86400)) +%Y-%m-%dT%H:%M:%SZ)
run verify "${common[@]}" --hostname localhost --time "$inside" leaf.pem
check "--time as RFC 3339 (Z): exit 0, the same instant" exit_and_says 0 "$inside"
run verify "${common[@]}" --hostname localhost \
  --time "$(date -u -d @$((not_before + 86400 + 5400)) +%Y-%m-%dT%H:%M:%S)+01:30" leaf.pem
check "--time with an offset: converted to UTC" exit_and_says 0 "$inside"
run verify "${common[@]}" --time 2100-01-01 leaf.pem
check "--time as a date: midnight UTC, expired in 2100" exit_and_says 1 "expired"
check "--time as a date: midnight UTC in the reason" says "checked at 2100-01-01 00:00:00 UTC"
run verify --roots root.pem --intermediates chain.pem --time 4102444800 leaf.pem  # 2100
check "--time after everything expired: exit 1, says expired" exit_and_says 1 "expired"

# --- Profiles (issue 15): web is the default, --profile rfc5280 stays lenient ---
serial=$((0x5000))
# mkcert SUBJECT KEY OUT ISSUER EXTENSIONS...: a certificate for KEY (made as EC P-256 if
# missing) signed by ISSUER (ISSUER.pem/.key), with the openssl extension lines given.
mkcert() {
  local subject=$1 key=$2 out=$3 issuer=$4
  shift 4
  [[ -f $key ]] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key" 2>/dev/null
  printf '%s\n' "[ext]" "$@" > "$out.ext"
  serial=$((serial + 1))
  openssl req -new -key "$key" -subj "$subject" -out "$out.csr" 2>/dev/null &&
    openssl x509 -req -in "$out.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -set_serial "$serial" \
      -days 30 -sha256 -extfile "$out.ext" -extensions ext -out "$out" 2>/dev/null
}
ee=("basicConstraints = critical, CA:false" "keyUsage = critical, digitalSignature"
  "subjectKeyIdentifier = hash" "authorityKeyIdentifier = keyid")
server=("${ee[@]}" "extendedKeyUsage = serverAuth")

mkcert /CN=localhost ca-leaf.key ca-leaf.pem intermediate "${server[@]/CA:false/CA:true}" \
  "subjectAltName = DNS:localhost"
for profile in web rfc5280; do
  run verify "${common[@]}" --profile $profile --hostname localhost ca-leaf.pem
  check "--profile $profile: a CA certificate is never a server's leaf" \
    exit_and_says 1 "is a CA certificate"
done

mkcert "/CN=*.co.uk" wild.key wild.pem intermediate "${server[@]}" "subjectAltName = DNS:*.co.uk"
run verify "${common[@]}" --hostname example.co.uk wild.pem
check "a wildcard over a public suffix (*.co.uk) matches nothing" \
  exit_and_says 1 "wildcard over a public suffix"
mkcert "/CN=*.s3.amazonaws.com" s3.key s3.pem intermediate "${server[@]}" \
  "subjectAltName = DNS:*.s3.amazonaws.com"
run verify "${common[@]}" --profile rfc5280 --hostname bucket.s3.amazonaws.com s3.pem
check "--profile rfc5280: *.s3.amazonaws.com (private section) matches nothing either" \
  exit_and_says 1 "wildcard over a public suffix"
mkcert "/CN=*.example.co.uk" wild-ok.key wild-ok.pem intermediate "${server[@]}" \
  "subjectAltName = DNS:*.example.co.uk"
run verify "${common[@]}" --hostname www.example.co.uk wild-ok.pem
check "*.example.co.uk still matches www.example.co.uk" exit_is 0

# web_only NAME FILE HOSTNAME REASON: refused by default and by --profile web, with REASON;
# accepted by --profile rfc5280.
web_only() {
  local name=$1 file=$2 host=$3 reason=$4
  run verify "${common[@]}" --hostname "$host" "$file"
  check "default (web) profile refuses $name" exit_and_says 1 "$reason"
  run verify "${common[@]}" --profile web --hostname "$host" "$file"
  check "--profile web refuses $name" exit_and_says 1 "$reason"
  run verify "${common[@]}" --profile rfc5280 --hostname "$host" "$file"
  check "--profile rfc5280 accepts $name" exit_is 0
}
mkcert /CN=localhost no-eku.key no-eku.pem intermediate "${ee[@]}" "subjectAltName = DNS:localhost"
web_only "a server leaf without extendedKeyUsage" no-eku.pem localhost "no extendedKeyUsage"
mkcert /CN=notinsan.example.com cn.key cn.pem intermediate "${server[@]}" \
  "subjectAltName = DNS:localhost"
web_only "a CN that is not a SAN entry" cn.pem localhost "not among its subjectAltName"
mkcert /CN=0x7f000001 cn-hex.key cn-hex.pem intermediate "${server[@]}" \
  "subjectAltName = IP:127.0.0.1"
web_only "a CN with a hex IPv4 address" cn-hex.pem 127.0.0.1 "canonical text"
mkcert /CN=my_host.localhost under.key under.pem intermediate "${server[@]}" \
  "subjectAltName = DNS:my_host.localhost"
web_only "an underscore in a dNSName" under.pem my_host.localhost "underscore"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2052 -out rsa2052.key 2>/dev/null
mkcert /CN=localhost rsa2052.key rsa2052.pem intermediate "${server[@]}" \
  "subjectAltName = DNS:localhost"
web_only "an RSA modulus of 2052 bits" rsa2052.pem localhost "not a whole number of bytes"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
  -pkeyopt rsa_keygen_pubexp:8589934593 -out bige.key 2>/dev/null
mkcert /CN=localhost bige.key bige.pem intermediate "${server[@]}" "subjectAltName = DNS:localhost"
run verify "${common[@]}" --profile rfc5280 --hostname localhost bige.pem
check "an RSA public exponent over 2^32 is refused in every profile" exit_and_says 1 "over 2^32"

run verify "${common[@]}" --profile strict leaf.pem
check "bad --profile: exit 2" exit_is 2
run verify "${common[@]}" --hostname localhost leaf.pem
check "the output names the profile" says "profile web"

# --- What was wrongly refused (issue 15) ---
# An intermediate in the store without key identifiers is an anchor as it is.
mkcert "/CN=Bare CA" bare-ca.key bare-ca.pem root "basicConstraints = critical, CA:true" \
  "keyUsage = critical, keyCertSign"
mkcert /CN=localhost bare-leaf.key bare-leaf.pem bare-ca "basicConstraints = critical, CA:false" \
  "keyUsage = critical, digitalSignature" "extendedKeyUsage = serverAuth" \
  "subjectAltName = DNS:localhost"
run verify --roots bare-ca.pem --hostname localhost bare-leaf.pem
check "a trust anchor without authorityKeyIdentifier is trusted as it is" exit_is 0

# One certificate with an unknown critical extension does not spoil its bundle.
cat > odd-root.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = ext
[dn]
CN = Odd Root
[ext]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign
subjectKeyIdentifier = hash
1.2.3.4.5 = critical, DER:05:00
CNF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out odd-root.key 2>/dev/null
openssl req -x509 -new -config odd-root.cnf -key odd-root.key -days 30 -out odd-root.pem
cat odd-root.pem root.pem > mixed-roots.pem
run verify --roots mixed-roots.pem --intermediates chain.pem --hostname localhost leaf.pem
check "a roots bundle with one unknown-critical-extension root still works" exit_is 0
cat odd-root.pem chain.pem > mixed-chain.pem
run verify --roots root.pem --intermediates mixed-chain.pem --hostname localhost leaf.pem
check "an intermediates bundle with such a certificate still works" exit_is 0
mkcert /CN=localhost odd-leaf.key odd-leaf.pem odd-root "${server[@]}" \
  "subjectAltName = DNS:localhost"
run verify --roots mixed-roots.pem --hostname localhost odd-leaf.pem
check "a path through it fails, naming the extension" exit_and_says 1 "critical extension 1.2.3.4.5"

# --max-depth counts intermediates that are not self-issued, up to 255.
mkcert "/CN=tern Test Intermediate/O=tern" rollover.key rollover.pem intermediate \
  "basicConstraints = critical, CA:true" "keyUsage = critical, keyCertSign" \
  "subjectKeyIdentifier = hash" "authorityKeyIdentifier = keyid"
cp rollover.key rollover-ca.key && cp rollover.pem rollover-ca.pem
mkcert /CN=localhost rolled-leaf.key rolled-leaf.pem rollover-ca "${server[@]}" \
  "subjectAltName = DNS:localhost"
cat rollover.pem chain.pem > rollover-chain.pem
run verify --roots root.pem --intermediates rollover-chain.pem --max-depth 1 --hostname localhost \
  rolled-leaf.pem
check "--max-depth 1: a self-issued (key rollover) intermediate does not count" exit_is 0
run verify --roots root.pem --intermediates rollover-chain.pem --max-depth 0 --hostname localhost \
  rolled-leaf.pem
check "--max-depth 0 still refuses it" exit_and_says 1 "depth"
run verify "${common[@]}" --max-depth 255 --hostname localhost leaf.pem
check "--max-depth 255 is accepted" exit_is 0
run verify "${common[@]}" --max-depth 256 leaf.pem
check "--max-depth 256: exit 2" exit_is 2

# --- The system trust store ---
if [[ -r /etc/ssl/certs/ca-certificates.crt ]]; then
  run verify --intermediates chain.pem --hostname localhost leaf.pem
  check "without --roots the system store is used and does not trust the test root" \
    exit_and_says 1 "rejected:"
  check "without --roots: hints at --roots" says "pass --roots FILE"
else
  echo "ok - # SKIP no system trust store at /etc/ssl/certs/ca-certificates.crt"
fi

# --- Usage errors and unreadable files (exit 2) ---
run verify "${common[@]}" does-not-exist.pem
check "missing leaf file: exit 2" exit_is 2
check "missing leaf file: message names the file and the OS error" \
  exit_and_says 2 "does-not-exist.pem: No such file"

run verify "${common[@]}" --json does-not-exist.pem
json_error() {
  python3 - "$(timeout 20 "$tern" verify "${common[@]}" --json does-not-exist.pem 2>/dev/null)" \
    2>&1 <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
assert doc["result"] == "error" and "does-not-exist.pem" in doc["reason"], doc
PY
}
check "--json with a missing file: exit 2" \
  exit_is 2
check "--json with a missing file: stdout is JSON with result 'error'" json_error

run verify --roots no-roots.pem leaf.pem
check "missing roots file: exit 2, names it" exit_and_says 2 "no-roots.pem"

run verify "${common[@]}" --crls no-crl.pem leaf.pem
check "missing CRL file: exit 2, names it" exit_and_says 2 "no-crl.pem"

run verify "${common[@]}" .
check "a directory as LEAF_FILE: exit 2, says so" exit_and_says 2 "is a directory"

run verify --no-such-flag leaf.pem
check "unknown flag: exit 2" exit_is 2
run verify "${common[@]}"
check "missing LEAF_FILE: exit 2" exit_is 2
run verify "${common[@]}" --purpose sideways leaf.pem
check "bad --purpose: exit 2" exit_is 2
run verify "${common[@]}" --time yesterday leaf.pem
check "non-numeric --time: exit 2" exit_is 2
check "non-numeric --time: says which forms are accepted" \
  says "give Unix seconds (1767225600) or an RFC 3339 / ISO 8601 date"
run verify "${common[@]}" --time 2026-02-30 leaf.pem
check "an impossible date: exit 2" exit_is 2
run
check "no subcommand: exit 2" exit_is 2

# --- Help and version ---
run --version
check "--version: exit 0, prints a version" exit_and_says 0 "tern 0."
run verify --help
check "verify --help: exit 0" exit_is 0
check "verify --help documents the exit codes" says "Exit codes"
for flag in --roots --intermediates --time --hostname --purpose --profile --max-depth --crls \
  --json; do
  check "verify --help documents $flag" says "$flag"
done

echo "# $((checks - failures))/$checks checks passed"
[[ $failures -eq 0 ]]
