#!/usr/bin/env bash
# The demo `make demo` runs: make a small test PKI, then let `tern verify` accept the
# server certificate for its own name and reject it for another one.
# Usage: scripts/demo.sh PATH/TO/tern
set -euo pipefail

tern=${1:?usage: demo.sh PATH/TO/tern}
tern=$(realpath "$tern")
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/tern-demo.XXXXXX")

heading() { printf '\n== %s ==\n' "$1"; }
# Shows a command as the reader would type it, runs it, and shows its exit code.
show() {
  printf '$ tern %s\n' "$*"
  set +e
  "$tern" "$@"
  status=$?
  set -e
  printf '(exit code %d)\n' "$status"
}

heading "1. A test PKI, made with openssl"
bash "$here/make-test-pki.sh" "$dir" >"$dir/make-test-pki.log" 2>&1 || {
  echo "making the test PKI failed; see $dir/make-test-pki.log" >&2
  exit 1
}
cd "$dir"
echo "root.pem          tern Test Root: the trust anchor"
echo "intermediate.pem  tern Test Intermediate, issued by the root"
echo "leaf.pem          the server certificate for localhost and 127.0.0.1"

heading "2. Verify the server certificate for localhost: accepted"
show verify --roots root.pem --intermediates intermediate.pem --hostname localhost leaf.pem
accepted=$status

heading "3. The same certificate for www.example.org: rejected"
show verify --roots root.pem --intermediates intermediate.pem --hostname www.example.org leaf.pem
rejected=$status

heading "Files"
echo "The test PKI is in $dir"
echo "(also an expired, a revoked and a wrong-name leaf, CRLs and an unrelated root)."
echo "Try: $tern verify --help"

if [[ $accepted -ne 0 || $rejected -ne 1 ]]; then
  echo "demo FAILED: expected exit codes 0 and 1, got $accepted and $rejected" >&2
  exit 1
fi
