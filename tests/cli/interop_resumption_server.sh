#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Session resumption by real clients against `tern serve`: openssl s_client -sess_out/-sess_in
# in TLS 1.3 (tickets, PSK with a key share: psk_dhe_ke) and TLS 1.2 (RFC 5077 tickets, and
# session IDs with -no_ticket), s_client -reconnect in TLS 1.2, gnutls-cli --resume in both
# versions (and 1.2 without tickets), Python's ssl session reuse (interop_resumption.py); the
# number of NewSessionTickets (2 by default, --tickets N, none with --tickets 0); two servers
# sharing one --ticket-keys file resume each other's sessions, a server with another key file
# falls back to a full handshake and serves; a session is not resumed under another server name.
# Usage: bash tests/cli/interop_resumption_server.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_resumption_server "$@"
make_pki
make_docroot
cd "$work"
cat "$pki/wrong-name.pem" "$pki/chain.pem" >"$pki/wrong-name-full.pem"
printf 'GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >request

# s_client PORT [ARGS...]: one verified request for /small.txt without -brief (so that s_client
# prints "New, ..." or "Reused, ..." and its session); stdout in sc.out, $out has stdout without
# the PEM blocks and stderr.
s_client() {
  local p=$1
  shift
  timeout 20 openssl s_client -connect "127.0.0.1:$p" -servername localhost \
    -CAfile "$pki/root.pem" -verify_return_error -ign_eof "$@" <request >sc.out 2>sc.err
  status=$?
  out=$(sed '/-----BEGIN /,/-----END /d' sc.out; cat sc.err)
}
got_small() { grep -qF -- "$(cat "$www/small.txt")" sc.out; }
verified() { exit_is 0 && says "Verify return code: 0 (ok)"; }
new_as() { verified && says "New, TLSv$1," && got_small; }
reused_as() { verified && says "Reused, TLSv$1," && got_small; }
# TLS 1.3: the NewSessionTickets s_client received (it prints one block per ticket).
tickets() { grep -c '^Post-Handshake New Session Ticket arrived' sc.out; }
# TLS 1.2: the server's NewSessionTicket shows as a ticket in the printed session.
has_ticket() { grep -q '^ *TLS session ticket:' sc.out; }
session_id() { sed -n 's/^ *Session-ID: \([0-9A-F]*\)$/\1/p' sc.out | tail -n 1; }
line() { grep -m1 -E '^(New|Reused), ' sc.out; }
lifetime() { grep -m1 -o 'TLS session ticket lifetime hint: [0-9]* (seconds)' sc.out; }
# first_then_again PORT NAME [ARGS...]: s_client -sess_out NAME.pem, then -sess_in NAME.pem on
# PORT; the first run's output in NAME.first, $out is the second's.
first_then_again() {
  local p=$1 name=$2
  shift 2
  rm -f "$name.pem"
  s_client "$p" -sess_out "$name.pem" "$@"
  cp sc.out "$name.first"
  first_line=$(line)
  first_tickets=$(tickets)
  first_has_ticket=no
  has_ticket && first_has_ticket=yes
  first_id=$(session_id)
  first_lifetime=$(lifetime)
  first_ok=no
  new_as "${v:-1.3}" && first_ok=yes
  s_client "$p" -sess_in "$name.pem" "$@"
}

# has_option OPTION: `tern serve --help` lists OPTION; if not, one "not ok" and the caller skips
# the checks that need it (so the rest still runs while the option is being implemented).
has_option() {
  # The help text is read whole first: grep -q in a pipe may exit before tern has written
  # it all, and tern's SIGPIPE would fail the pipeline (pipefail).
  local help
  help=$("$tern" serve --help 2>&1)
  if grep -qE -- "(^|[ ,])$1( |=|$)" <<<"$help"; then
    return 0
  fi
  checks=$((checks + 1))
  failures=$((failures + 1))
  echo "not ok - tern serve has no $1 option (its checks are skipped)"
  return 1
}

start_serve_fresh
note "tern serve (defaults) on port $port"

# TLS 1.3: tickets; the resumed handshake still has a key share (psk_dhe_ke, the only mode
# OpenSSL offers).
v=1.3
first_then_again "$port" t13 -tls1_3
check "TLS 1.3, first connection: full handshake, GET /small.txt served" eval '[[ $first_ok == yes ]]'
check "TLS 1.3: 2 NewSessionTickets by default" eval '[[ $first_tickets -eq 2 ]]'
note "TLS 1.3 first: $first_line; tickets: $first_tickets; $first_lifetime"
check "TLS 1.3, s_client -sess_in: Reused, TLSv1.3, served" reused_as 1.3
check "TLS 1.3 resumption uses psk_dhe_ke (the server sent a key share)" says "Server Temp Key:"
note "TLS 1.3 -sess_in: $(line); $(grep -m1 '^Server Temp Key' sc.out); new tickets on the resumed connection: $(tickets)"

# TLS 1.2 with RFC 5077 tickets.
v=1.2
first_then_again "$port" t12 -tls1_2
check "TLS 1.2, first connection: full handshake, a session ticket received" \
  eval '[[ $first_ok == yes && $first_has_ticket == yes ]]'
note "TLS 1.2 first: $first_line; ticket: $first_has_ticket; session id: ${first_id:-(empty)}; $first_lifetime"
check "TLS 1.2, s_client -sess_in (ticket): Reused, TLSv1.2, served" reused_as 1.2
note "TLS 1.2 -sess_in (ticket): $(line)"

# TLS 1.2 with session IDs only: -no_ticket.
first_then_again "$port" id12 -tls1_2 -no_ticket
check "TLS 1.2 -no_ticket, first connection: full handshake, a session ID from the server" \
  eval '[[ $first_ok == yes && -n $first_id ]]'
note "TLS 1.2 -no_ticket first: $first_line; session id: ${first_id:-(empty)}"
check "TLS 1.2 -no_ticket, s_client -sess_in (session ID): Reused, TLSv1.2, same session ID" \
  eval 'reused_as 1.2 && [[ $(session_id) == "$first_id" ]]'
note "TLS 1.2 -no_ticket -sess_in: $(line); session id: $(session_id)"

# s_client -reconnect: the first connection and 5 more that resume its session.
for ticket in "" -no_ticket; do
  out=$(timeout 30 openssl s_client -connect "127.0.0.1:$port" -servername localhost \
    -CAfile "$pki/root.pem" -verify_return_error -tls1_2 -reconnect $ticket </dev/null 2>&1)
  status=$?
  check "s_client -tls1_2 -reconnect ${ticket:-(tickets)}: 5 reconnections Reused, TLSv1.2" \
    eval '[[ $(grep -c "^Reused, TLSv1.2," <<<"$out") -eq 5 ]]'
  note "s_client -tls1_2 -reconnect ${ticket}: $(grep -cE '^New, ' <<<"$out") New, $(grep -c '^Reused, ' <<<"$out") Reused"
done

# gnutls-cli --resume: a second connection that offers the first one's session.
# --waitresumption: under TLS 1.3 gnutls-cli otherwise waits only ~0.1 s after the handshake
# for the ticket and then reconnects without one (seen once under ASan with ctest -j2).
gnutls_resume() {
  timeout 30 gnutls-cli --x509cafile "$pki/root.pem" --port "$port" --resume --waitresumption \
    "$@" localhost \
    <request >gc.out 2>gc.err
  status=$?
  out=$(cat gc.out gc.err)
}
for prio in 'NORMAL:-VERS-ALL:+VERS-TLS1.3' 'NORMAL:-VERS-ALL:+VERS-TLS1.2' \
  'NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_TICKETS'; do
  gnutls_resume --priority "$prio"
  check "gnutls-cli --resume, $prio: \"This is a resumed session\", served" \
    eval 'exit_is 0 && says "*** This is a resumed session" && grep -qF -- "$(cat "$www/small.txt")" gc.out'
  note "gnutls-cli --resume $prio: $(grep -E '^- Description:' gc.out | paste -sd' ') $(grep -m1 -E '^\*\*\* .*resumed' gc.out)"
done

# Python's ssl module: wrap_socket(session=...), session_reused.
out=$(timeout 90 python3 "$lib_dir/interop_resumption.py" "$port" "$pki/root.pem" "$www" 2>&1)
status=$?
printf '%s\n' "$out"
count_tap
check "python resumption client finished (exit 0)" exit_is 0

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'

# --tickets N: N NewSessionTickets per TLS 1.3 connection; 0: none, so nothing to resume.
if has_option --tickets; then
start_serve_fresh --tickets 3
v=1.3
first_then_again "$port" n3 -tls1_3
check "--tickets 3: 3 NewSessionTickets, then Reused, TLSv1.3" \
  eval '[[ $first_tickets -eq 3 ]] && reused_as 1.3'
note "--tickets 3: $first_tickets tickets; -sess_in: $(line)"
stop_serve
start_serve_fresh --tickets 0
first_then_again "$port" n0 -tls1_3
check "--tickets 0, TLS 1.3: no NewSessionTicket, GET /small.txt served" \
  eval '[[ $first_ok == yes && $first_tickets -eq 0 ]]'
if [[ -s n0.pem ]]; then
  check "--tickets 0, TLS 1.3: the session s_client kept is not resumed (New, TLSv1.3, served)" \
    new_as 1.3
  note "--tickets 0, -sess_in: $(line)"
else
  note "--tickets 0: s_client wrote no session file (nothing to resume)"
fi
v=1.2
first_then_again "$port" n0_12 -tls1_2
note "--tickets 0, TLS 1.2: first $first_line, ticket: $first_has_ticket, session id: ${first_id:-(empty)}; -sess_in: $(line)"
check "--tickets 0, TLS 1.2: served on both connections" eval '[[ $first_ok == yes ]] && verified && got_small'
stop_serve
fi

# --ticket-keys: two servers sharing one key file resume each other's sessions; the file is
# created (mode 0600) by the first. A third server with another key file cannot open the
# tickets: a full handshake, served.
keys=$work/ticket.keys
other_keys=$work/other-ticket.keys
if has_option --ticket-keys; then
start_serve_fresh --ticket-keys "$keys"
check "--ticket-keys FILE (missing): created with mode 0600" \
  eval '[[ -s $keys && $(stat -c %a "$keys") == 600 ]]'
note "ticket key file: $(stat -c '%s bytes, mode %a' "$keys" 2>/dev/null)"
start_extra_serve serve-b --ticket-keys "$keys"
port_b=$extra_port
pid_b=$extra_pid
start_extra_serve serve-c --ticket-keys "$other_keys"
port_c=$extra_port
pid_c=$extra_pid
check "a second key file for the third server: created, different from the first" \
  eval '[[ -s $other_keys ]] && ! cmp -s "$keys" "$other_keys"'
for v in 1.3 1.2; do
  first_then_again "$port" share$v "-tls${v/./_}"
  check "TLS $v: full handshake on the first server, a ticket received" \
    eval '[[ $first_ok == yes ]] && { [[ $v == 1.2 && $first_has_ticket == yes ]] || [[ $v == 1.3 && $first_tickets -ge 1 ]]; }'
  s_client "$port_b" -sess_in "share$v.pem" "-tls${v/./_}"
  check "TLS $v: the first server's session is resumed by a second server sharing --ticket-keys" \
    reused_as "$v"
  note "TLS $v, second server with the same key file: $(line)"
  s_client "$port_c" -sess_in "share$v.pem" "-tls${v/./_}"
  check "TLS $v: a server with another key file makes a full handshake and serves (New, TLSv$v)" \
    new_as "$v"
  note "TLS $v, server with another key file: $(line)"
done
# A session made without a client certificate must not open a server that requires one, even
# with the same ticket keys: a full handshake, then certificate_required / handshake_failure.
start_extra_serve serve-d --ticket-keys "$keys" --client-ca "$pki/root.pem" --require-client-cert
port_d=$extra_port
pid_d=$extra_pid
for v in 1.3 1.2; do
  rm -f noauth$v.pem
  s_client "$port" -sess_out "noauth$v.pem" "-tls${v/./_}"
  s_client "$port_d" -sess_in "noauth$v.pem" "-tls${v/./_}"
  check "TLS $v: a session without client authentication is not resumed by a --require-client-cert server sharing the keys" \
    eval '! says "Reused, " && ! got_small'
  note "TLS $v, certless session offered to the mTLS server: $(line), $(grep -m1 -o 'alert [a-z ]*:' sc.err | tr -d :)"
done
stop_extra_serve "$pid_d"
# Session IDs live in each server's memory: not shared (noted, not required).
v=1.2
first_then_again "$port" shareid -tls1_2 -no_ticket
s_client "$port_b" -sess_in shareid.pem -tls1_2 -no_ticket
note "TLS 1.2 session ID of the first server offered to the second: $(line)"
check "all three servers still running" eval 'serve_alive && kill -0 "$pid_b" && kill -0 "$pid_c"'
s_client "$port" -sess_out keep13.pem -tls1_3  # an unused session for the restart below
stop_extra_serve "$pid_b"
stop_extra_serve "$pid_c"
stop_serve
# The same key file after a restart: the session of a previous process resumes.
start_serve_fresh --ticket-keys "$keys"
s_client "$port" -sess_in keep13.pem -tls1_3
check "TLS 1.3: a restarted server with the same --ticket-keys resumes an earlier session" \
  reused_as 1.3
stop_serve
# A key file others can read, and one with the right mode but damaged content: how tern serve
# takes them (noted; refusing to start, exit 2, is what a careful server does).
try_keys() {
  local file=$1 label=$2 pid
  launch_serve try-keys.out try-keys.err --ticket-keys "$file"
  pid=$!
  background_pids+=("$pid")
  sleep 1
  if kill -0 "$pid" 2>/dev/null; then
    note "--ticket-keys $label: the server started ($(head -n 1 try-keys.out))"
    stop_extra_serve "$pid"
  else
    wait "$pid"
    note "--ticket-keys $label: exit $?, $(head -n 1 try-keys.err)"
  fi
}
cp "$keys" "$work/readable.keys"
chmod 644 "$work/readable.keys"
try_keys "$work/readable.keys" "with mode 0644"
printf 'this is not a ticket key file\n' >"$work/bad.keys"
chmod 600 "$work/bad.keys"
try_keys "$work/bad.keys" "with damaged content (mode 0600)"
fi

# Two certificates (SNI picks): a session made for localhost is not resumed under
# www.example.org (RFC 6066 section 3; RFC 8446 section 4.6.1); the other certificate is sent.
start_serve_fresh --cert "$pki/wrong-name-full.pem" --key "$pki/wrong-name.key"
for v in 1.3 1.2; do
  first_then_again "$port" sni$v "-tls${v/./_}"
  timeout 20 openssl s_client -connect "127.0.0.1:$port" -servername www.example.org \
    -CAfile "$pki/root.pem" -verify_return_error -ign_eof "-tls${v/./_}" -sess_in "sni$v.pem" \
    <request >sc.out 2>sc.err
  status=$?
  out=$(sed '/-----BEGIN /,/-----END /d' sc.out; cat sc.err)
  check "TLS $v: a localhost session offered with SNI www.example.org: not resumed, www.example.org served" \
    eval 'new_as "$v" && says "subject=CN = www.example.org"'
  note "TLS $v, localhost session under SNI www.example.org: $(line)"
done
stop_serve

# Resumption on a server that requires a client certificate: the session carries the client's
# authentication. Served either way; whether it was resumed is noted.
start_serve_fresh --client-ca "$pki/root.pem" --require-client-cert
client_ec=(-cert "$pki/client.pem" -key "$pki/client.key" -cert_chain "$pki/intermediate.pem")
for v in 1.3 1.2; do
  first_then_again "$port" mtls$v "-tls${v/./_}" "${client_ec[@]}"
  check "mTLS server, TLS $v: -sess_in with the client certificate: served" \
    eval '[[ $first_ok == yes ]] && verified && got_small'
  note "mTLS server, TLS $v, -sess_in with the certificate: $(line)"
  s_client "$port" -sess_in "mtls$v.pem" "-tls${v/./_}"
  note "mTLS server, TLS $v, -sess_in without -cert: exit $status, $(line), $( { grep -m1 -o 'alert [a-z ]*:' sc.err || echo 'no alert'; } | tr -d :), served: $(got_small && echo yes || echo no)"
done
stop_serve
finish
