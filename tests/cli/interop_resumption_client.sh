#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Session resumption by `tern get` (and tern connect): --sess-out FILE after a connection, then
# -v --sess-in FILE prints "* Resumed: yes", against openssl s_server -WWW (TLS 1.3 tickets;
# TLS 1.2 tickets and, with -no_ticket, session IDs; its -trace shows the abbreviated handshake:
# no Certificate message) and gnutls-serv --http (both versions, and TLS 1.2 without tickets;
# it logs "This is a resumed session"); a session for another server name is not offered; a
# damaged or missing session file; tern get against tern serve in both versions, --tickets 0,
# two servers sharing --ticket-keys, a restarted server without them (full handshake).
# Usage: bash tests/cli/interop_resumption_client.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_resumption_client "$@"
make_pki
make_docroot
cd "$work"

# The help is read whole first: grep -q stops at the first match, and under pipefail the
# SIGPIPE it leaves tern with would read as a failure.
get_help=$("$tern" get --help 2>&1)
if ! grep -q -- '--sess-in' <<<"$get_help"; then
  echo "not ok - tern get has no --sess-in option (resumption is not in this build)"
  checks=1
  failures=1
  finish
  exit
fi

# get URL [ARGS...]: tern get -v; body in get.out, stderr in $out.
get() {
  local url=$1
  shift
  out=$(timeout 30 "$tern" get -v --cacert "$pki/root.pem" "$@" -o get.out "$url" 2>&1)
  status=$?
}
got_small() { exit_is 0 && same_file get.out "$www/small.txt"; }
resumed() { says "* Resumed: yes"; }
not_resumed() { says "* Resumed: no"; }
summary() { grep -E '^\* (TLS|Resumed)' <<<"$out" | paste -sd' '; }
file_info() { stat -c '%s bytes, mode %a' "$1" 2>/dev/null || echo "(no file)"; }
# mark FILE / since FILE / logged FILE REGEX / log_wait FILE TEXT: a server's log after the mark;
# logged reads it all (grep -q could make pipefail see SIGPIPE); log_wait waits at most 3 s.
mark() { log_mark=$(stat -c %s "$1"); }
since() { tail -c +"$((log_mark + 1))" "$1"; }
logged() { since "$1" | grep -E -- "$2" >/dev/null; }
log_wait() {
  local i
  for ((i = 0; i < 30; i++)); do
    logged "$1" "$2" && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------------------------------------
# openssl s_server -WWW -trace
# ---------------------------------------------------------------------------------------------
s_server() {
  stop_s_server
  port=$(free_port)
  (cd "$www" && exec timeout 120 stdbuf -oL -eL openssl s_server -accept "127.0.0.1:$port" \
    -cert "$pki/leaf.pem" -key "$pki/leaf.key" -cert_chain "$pki/chain.pem" -WWW -trace \
    -naccept 100 "$@" >"$work/s_server.out" 2>&1) &
  s_server_pid=$!
  background_pids+=("$s_server_pid")
  wait_port "$port" && return 0
  echo "not ok - openssl s_server did not start"
  cat "$work/s_server.out"
  exit 1
}
stop_s_server() {
  if [[ -n ${s_server_pid:-} ]]; then
    kill "$s_server_pid" 2>/dev/null
    wait "$s_server_pid" 2>/dev/null
    s_server_pid=""
  fi
}
# After a get: wait for s_server to log the request, then whether it sent its Certificate
# (a full handshake) on this connection.
served_logged() { log_wait s_server.out "FILE:small.txt"; }
full_handshake() { logged s_server.out '^ *Certificate, Length='; }
# The extensions of the ServerHello s_server sent on this connection.
server_hello_extensions() {
  since s_server.out | awk '/^ *ServerHello, Length=/ { on = 1; next }
    on && /^(Sent|Received) Record/ { exit } on && /extension_type=/ { print $1 }'
}
offered_session() { logged s_server.out 'extension_type=psk\(41\)|session_ticket\(35\), length=[1-9]'; }

declare -A s_server_args=([1.3]="-tls1_3" [1.2-ticket]="-tls1_2" [1.2-id]="-tls1_2 -no_ticket")
declare -A version=([1.3]=1.3 [1.2-ticket]=1.2 [1.2-id]=1.2)
for mode in 1.3 1.2-ticket 1.2-id; do
  v=${version[$mode]}
  # shellcheck disable=SC2086
  s_server ${s_server_args[$mode]}
  url="https://localhost:$port/small.txt"
  sess=$work/ossl-$mode.sess
  mark s_server.out
  get "$url" --sess-out "$sess"
  served_logged
  check "s_server $mode: tern get --sess-out: TLS $v, full handshake, body, session file written" \
    eval 'got_small && says "* TLS $v," && not_resumed && full_handshake && [[ -s $sess ]]'
  note "s_server $mode, --sess-out: $(summary); session file: $(file_info "$sess"), $(head -n 1 "$sess" 2>/dev/null)"

  mark s_server.out
  get "$url" --sess-in "$sess"
  served_logged
  check "s_server $mode: tern get -v --sess-in: \"* Resumed: yes\", body, s_server sent no Certificate" \
    eval 'got_small && says "* TLS $v," && resumed && ! full_handshake'
  note "s_server $mode, --sess-in: $(summary)"
  if [[ $v == 1.2 ]]; then
    # An abbreviated TLS 1.2 handshake has no key exchange at all: -v must not call it RSA.
    check "s_server $mode: -v of the resumed ECDHE_ECDSA session does not claim RSA key transport" \
      eval 'resumed && ! says "RSA key transport"'
  fi

  # The same session for another name (127.0.0.1, no SNI): not offered, a full handshake.
  mark s_server.out
  get "https://127.0.0.1:$port/small.txt" --sess-in "$sess"
  served_logged
  check "s_server $mode: a session for localhost is not used for https://127.0.0.1/ (not offered, full handshake)" \
    eval 'got_small && not_resumed && full_handshake && ! offered_session'
  note "s_server $mode, localhost session for 127.0.0.1: $(summary)"
done

# TLS 1.3 with tern's key share: the resumed handshake is psk_dhe_ke (s_server sends key_share).
s_server -tls1_3
url="https://localhost:$port/small.txt"
get "$url" --sess-out dhe.sess
mark s_server.out
get "$url" --sess-in dhe.sess
served_logged
check "TLS 1.3 resumption with s_server: psk_dhe_ke (a key_share in the ServerHello, a group in -v)" \
  eval 'got_small && resumed && [[ $(server_hello_extensions) == *"key_share(51)"*"psk(41)"* ]] && says ", group "'
note "TLS 1.3 resumed: $(summary); ServerHello extensions: $(server_hello_extensions | paste -sd' ')"

# --sess-in and --sess-out at once: the file is replaced by the new session, which resumes too.
cp dhe.sess chain.sess
get "$url" --sess-in chain.sess --sess-out chain.sess
first=$(summary)
get "$url" --sess-in chain.sess
check "--sess-in F --sess-out F: resumed, and F's new session resumes again" \
  eval 'got_small && resumed && [[ $first == *"Resumed: yes"* ]]'

# Damaged, truncated and missing session files: a usage error (exit 2) naming the file, or no
# session (a full handshake): either is acceptable, the note says which. flipped.sess has one
# base64 character changed in the middle of the file, wherever that lands in the session: in
# a certificate's signature (kept for peer_chain(), not verified again) it may still resume.
# The files are the owner's only (mode 0600), as --sess-out writes them: others' files are
# refused before their contents are read.
damaged_ok() {
  local file=$1
  { exit_is 2 && says "$(basename "$file")"; } || { got_small && not_resumed; } ||
    { [[ $file == flipped.sess ]] && got_small; }
}
printf 'this is not a session\n' >garbage.sess
head -c 120 dhe.sess >truncated.sess
python3 - dhe.sess flipped.sess <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
# Change one base64 character in the middle of the body (a PEM file) or one byte (binary).
middle = len(data) // 2
data[middle] = ord("A") if data[middle] != ord("A") else ord("B")
open(sys.argv[2], "wb").write(data)
PY
chmod 600 garbage.sess truncated.sess flipped.sess
for damaged in garbage truncated flipped; do
  get "$url" --sess-in "$damaged.sess"
  check "--sess-in $damaged.sess: exit 2 naming the file, or a full handshake (flipped: or resumed); no crash, no hang" \
    damaged_ok "$damaged.sess"
  note "--sess-in $damaged.sess: exit $status; $(grep -m1 '^tern get' <<<"$out" || summary)"
done
get "$url" --sess-in "$work/no-such.sess"
check "--sess-in of a missing file: exit 2 naming it, or a full handshake" damaged_ok no-such.sess
note "--sess-in missing file: exit $status; $(grep -m1 '^tern get' <<<"$out" || summary)"

# tern connect --sess-out / --sess-in (s_server -rev answers each line reversed).
s_server -tls1_3 -rev
rm -f connect.sess
out=$(printf 'hello again\n' | timeout 20 "$tern" connect --cacert "$pki/root.pem" \
  --servername localhost --sess-out connect.sess "127.0.0.1:$port" 2>&1)
status=$?
check "tern connect --sess-out: echoed, session file written" \
  eval 'exit_is 0 && says "niaga olleh" && [[ -s connect.sess ]]'
out=$(printf 'hello again\n' | timeout 20 "$tern" connect --cacert "$pki/root.pem" \
  --servername localhost --sess-in connect.sess "127.0.0.1:$port" 2>&1)
status=$?
check "tern connect --sess-in: \"* Resumed: yes\", echoed" \
  eval 'exit_is 0 && says "niaga olleh" && resumed'
stop_s_server

# ---------------------------------------------------------------------------------------------
# gnutls-serv --http
# ---------------------------------------------------------------------------------------------
declare -A prio=([1.3]='NORMAL:-VERS-ALL:+VERS-TLS1.3' [1.2-ticket]='NORMAL:-VERS-ALL:+VERS-TLS1.2'
  [1.2-id]='NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_TICKETS')
for mode in 1.3 1.2-ticket 1.2-id; do
  v=${version[$mode]}
  port=$(free_port)
  timeout 120 stdbuf -oL -eL gnutls-serv --http --port "$port" --x509certfile "$pki/fullchain.pem" \
    --x509keyfile "$pki/leaf.key" --priority "${prio[$mode]}" >gnutls-serv.out 2>&1 &
  gnutls_pid=$!
  background_pids+=("$gnutls_pid")
  wait_port "$port" || { echo "not ok - gnutls-serv did not start"; cat gnutls-serv.out; exit 1; }
  url="https://localhost:$port/"
  sess=$work/gnutls-$mode.sess
  get "$url" --sess-out "$sess"
  check "gnutls-serv $mode: tern get --sess-out: TLS $v, status page, session file written" \
    eval 'exit_is 0 && grep -q GnuTLS get.out && says "* TLS $v," && not_resumed && [[ -s $sess ]]'
  mark gnutls-serv.out
  get "$url" --sess-in "$sess"
  log_wait gnutls-serv.out "Description:"
  check "gnutls-serv $mode: tern get -v --sess-in: \"* Resumed: yes\"; gnutls-serv: a resumed session" \
    eval 'exit_is 0 && grep -q GnuTLS get.out && resumed && logged gnutls-serv.out "This is a resumed session"'
  note "gnutls-serv $mode, --sess-in: $(summary); gnutls-serv: $(since gnutls-serv.out | grep -m1 -E '^- Description:|resumed session' | paste -sd' ')"
  kill "$gnutls_pid" 2>/dev/null
  wait "$gnutls_pid" 2>/dev/null
done

# ---------------------------------------------------------------------------------------------
# tern get against tern serve
# ---------------------------------------------------------------------------------------------
# Not `tern serve --help | grep -q`: grep may exit before tern has written the help, and
# tern's SIGPIPE would fail the pipeline (pipefail).
serve_has() { local help; help=$("$tern" serve --help 2>&1); grep -qE -- "(^|[ ,])$1( |=|$)" <<<"$help"; }
start_serve_fresh
url="https://localhost:$port/small.txt"
for v in 1.3 1.2; do
  get "$url" --tls-max "$v" --sess-out "tern$v.sess"
  check "tern serve, TLS $v: --sess-out after a full handshake" \
    eval 'got_small && says "* TLS $v," && not_resumed && [[ -s tern$v.sess ]]'
  get "$url" --tls-max "$v" --sess-in "tern$v.sess"
  check "tern serve, TLS $v: --sess-in: \"* Resumed: yes\", body" \
    eval 'got_small && says "* TLS $v," && resumed'
  note "tern get -> tern serve, TLS $v, --sess-in: $(summary)"
done
stop_serve
# A new server process without --ticket-keys has new keys: the old ticket falls back to a full
# handshake, silently.
start_serve_fresh
url="https://localhost:$port/small.txt"
for v in 1.3 1.2; do
  get "$url" --tls-max "$v" --sess-in "tern$v.sess"
  check "TLS $v: a ticket of a previous tern serve process: full handshake, served" \
    eval 'got_small && not_resumed'
done
stop_serve

if serve_has --tickets; then
  start_serve_fresh --tickets 0
  url="https://localhost:$port/small.txt"
  get "$url" --sess-out t0.sess
  note "--tickets 0, TLS 1.3 --sess-out: exit $status, session file: $(file_info t0.sess)"
  if [[ -s t0.sess ]]; then
    get "$url" --sess-in t0.sess
  fi
  check "tern serve --tickets 0, TLS 1.3: nothing to resume (\"* Resumed: no\" or no session file)" \
    eval '[[ ! -s t0.sess ]] || { got_small && not_resumed; }'
  stop_serve
else
  out="tern serve --help does not list --tickets"
  check "tern serve has a --tickets option" false
fi

if serve_has --ticket-keys; then
  start_serve_fresh --ticket-keys "$work/shared.keys"
  start_extra_serve serve-b --ticket-keys "$work/shared.keys"
  for v in 1.3 1.2; do
    get "https://localhost:$port/small.txt" --tls-max "$v" --sess-out "shared$v.sess"
    get "https://localhost:$extra_port/small.txt" --tls-max "$v" --sess-in "shared$v.sess"
    check "TLS $v: a session of the first tern serve resumes on a second sharing --ticket-keys" \
      eval 'got_small && resumed'
  done
  stop_extra_serve "$extra_pid"
  stop_serve
else
  out="tern serve --help does not list --ticket-keys"
  check "tern serve has a --ticket-keys option" false
fi
finish
