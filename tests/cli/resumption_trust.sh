#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Resumption never outlives the trust that made the session, with `tern get --sess-out` /
# `--sess-in` against `tern serve` on loopback, TLS 1.3 and TLS 1.2:
# - a session saved with -k is not resumed by a verifying client: full handshake, and -v
#   says why (and against a server it does not trust, the verification still fails);
# - nor under other roots (--cacert), nor for another host name, nor from an old session file;
# - the same trust still resumes;
# - a server resumes a client-certificate session only under the same --client-ca roots and
#   client-auth mode (servers sharing --ticket-keys).
# Usage: bash tests/cli/resumption_trust.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init resumption_trust "$@"
make_pki
make_docroot
cd "$work"
cat "$pki/root.pem" "$pki/other-root.pem" >two-roots.pem

# get ARGS...: tern get -v with a 30 s bound; stderr (the -v notes) and stdout in $out.
get() {
  out=$(timeout 30 "$tern" get -v "$@" 2>&1)
  status=$?
}
resumed() { says "* Resumed: yes"; }
full_handshake() { says "* Resumed: no"; }
served() { says "$page_marker"; }

start_serve --ticket-keys "$work/ticket.keys"
for v in 1.3 1.2; do
  url="https://localhost:$port/small.txt"
  rm -f k.sess strict.sess

  # The issue's flow: a session made with -k, offered by a client that verifies.
  get -k --tls-max "$v" --sess-out k.sess "$url"
  check "TLS $v: tern get -k --sess-out: served, session saved" \
    eval 'exit_is 0 && served && [[ -s k.sess ]]'
  get --cacert "$pki/root.pem" --tls-max "$v" --sess-in k.sess "$url"
  check "TLS $v: a -k session is not resumed by a verifying client: full handshake, -v says why" \
    eval 'exit_is 0 && served && full_handshake && ! resumed &&
          says "Not resuming the saved session k.sess: it was made without verifying the server (-k)"'
  # Against a server the client does not trust (no --cacert: the system store), the session
  # is no way around verification.
  get --tls-max "$v" --sess-in k.sess "$url"
  check "TLS $v: the -k session against an untrusted server: certificate error (exit 60), not resumed" \
    eval 'exit_is 60 && ! resumed && ! served && says "without verifying the server (-k)"'

  # The normal flow still resumes.
  get --cacert "$pki/root.pem" --tls-max "$v" --sess-out strict.sess "$url"
  get --cacert "$pki/root.pem" --tls-max "$v" --sess-in strict.sess "$url"
  check "TLS $v: strict --sess-out then strict --sess-in: resumed" \
    eval 'exit_is 0 && served && resumed && ! says "Not resuming"'

  # Other roots (a bundle that still trusts the server): a full handshake.
  get --cacert two-roots.pem --tls-max "$v" --sess-in strict.sess "$url"
  check "TLS $v: a session verified under other roots is not resumed, -v says why" \
    eval 'exit_is 0 && served && full_handshake && says "other trusted roots"'

  # Another host name (the leaf covers localhost and 127.0.0.1).
  get --cacert "$pki/root.pem" --tls-max "$v" --sess-in strict.sess \
    "https://127.0.0.1:$port/small.txt"
  check "TLS $v: a session for localhost is not resumed for 127.0.0.1, -v says why" \
    eval "exit_is 0 && served && full_handshake && says \"made for the server name 'localhost', not '127.0.0.1'\""
done

# A session file of format 1 (an older tern's, without the authentication context): never
# resumed, and -v says so; the transfer goes on with a full handshake.
python3 - strict.sess old.sess <<'PY'
import base64, re, sys
text = open(sys.argv[1]).read()
body = re.search(r"-----BEGIN TERN SESSION-----\n(.*?)-----END TERN SESSION-----", text, re.S)
der = bytearray(base64.b64decode(body.group(1)))
der[4] = 1  # the format number, after the magic "TRNS"
b64 = base64.b64encode(bytes(der)).decode()
lines = "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
open(sys.argv[2], "w").write(f"-----BEGIN TERN SESSION-----\n{lines}\n-----END TERN SESSION-----\n")
PY
chmod 600 old.sess
get --cacert "$pki/root.pem" --sess-in old.sess "https://localhost:$port/small.txt"
check "a format-1 session file: not resumed, full handshake, -v names the older format" \
  eval 'exit_is 0 && served && full_handshake && says "older tern"'

# A session file that others may write could claim anything: refused (exit 2), with the fix.
cp strict.sess open.sess
chmod 644 open.sess
get --cacert "$pki/root.pem" --sess-in open.sess "https://localhost:$port/small.txt"
check "a session file readable by others (0644): usage error (exit 2), says chmod 600" \
  eval 'exit_is 2 && says "chmod 600" && ! served'

# The server side: tern serve instances sharing --ticket-keys (tickets) differ only in how
# they authenticate clients. The client presents the same certificate each time.
mtls() {
  get --cacert "$pki/root.pem" --cert "$pki/client-chain.pem" --key "$pki/client.key" "$@" \
    "https://localhost:$port/small.txt"
}
for v in 1.3 1.2; do
  rm -f mtls.sess
  start_serve_fresh --ticket-keys "$work/ticket.keys" --client-ca "$pki/root.pem"
  mtls --tls-max "$v" --sess-out mtls.sess
  check "TLS $v: client certificate accepted (--client-ca root.pem), session saved" \
    eval 'exit_is 0 && served && [[ -s mtls.sess ]]'
  mtls --tls-max "$v" --sess-in mtls.sess
  check "TLS $v: the same server settings resume the client's session" \
    eval 'exit_is 0 && served && resumed'

  start_serve_fresh --ticket-keys "$work/ticket.keys" --client-ca two-roots.pem
  mtls --tls-max "$v" --sess-in mtls.sess
  check "TLS $v: a server with other client roots does not resume the ticket (full handshake)" \
    eval 'exit_is 0 && served && full_handshake'

  start_serve_fresh --ticket-keys "$work/ticket.keys" --client-ca "$pki/root.pem" \
    --require-client-cert
  mtls --tls-max "$v" --sess-in mtls.sess
  check "TLS $v: a server now requiring client certificates does not resume the ticket" \
    eval 'exit_is 0 && served && full_handshake'
done
stop_serve

finish
