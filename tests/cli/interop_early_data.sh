#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# TLS 1.3 0-RTT data (RFC 8446 §2.3, §8; RFC 8470) with real peers. Against
# `tern serve --early-data`: openssl s_client -early_data (-sess_out, then -sess_in), gnutls-cli
# --earlydata --resume and bssl-tool client -early-data each have their early GET accepted and
# served; the same ticket offered again has its early data refused by the anti-replay record
# (the handshake goes on in 1-RTT and the request is served once); an early POST gets 425 Too
# Early; a server without --early-data takes none. `tern connect --early-data FILE` against
# openssl s_server -early_data (which cannot serve HTTP with it) and `tern get --early-data`
# against bssl-tool server -early-data -loop -www: the second run resumes and sends early.
# Usage: bash tests/cli/interop_early_data.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init interop_early_data "$@"
make_pki
make_docroot
cd "$work"
printf 'GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >get.req
printf 'POST /small.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' >post.req
small=$(cat "$www/small.txt")

# s_client NAME [ARGS...]: one verified TLS 1.3 connection; stdout in NAME.out, $out has it
# without the PEM blocks, and stderr.
s_client() {
  local name=$1
  shift
  timeout 20 openssl s_client -connect "127.0.0.1:$port" -servername localhost -tls1_3 \
    -CAfile "$pki/root.pem" -verify_return_error -ign_eof "$@" >"$name.out" 2>"$name.err"
  status=$?
  out=$(sed '/-----BEGIN /,/-----END /d' "$name.out"; cat "$name.err")
}
served() { grep -qF -- "$small" "$1.out"; }
# requests_logged: how many requests tern serve has logged (one stdout line each, after the
# "listening" line).
requests_logged() { tail -n +2 "$serve_log" | grep -c ' /small.txt '; }

start_serve --early-data

# openssl s_client: a full handshake saves a ticket; the next connection sends its GET early.
s_client first -sess_out first.pem <get.req
check "s_client: a full handshake, served, a ticket saved" eval 'exit_is 0 && served first && [[ -s first.pem ]]'
s_client early -sess_in first.pem -sess_out early.pem -early_data get.req </dev/null
check "s_client -early_data: resumed, early data accepted, the GET served once" \
  eval 'exit_is 0 && says "Reused, TLSv1.3" && says "Early data was accepted" && served early && [[ $(grep -c "^HTTP/1.1 200" early.out) == 1 ]]'
note "s_client -early_data: $(grep -m1 -E '^(New|Reused),' early.out); $(grep -m1 -E '^Early data was' early.out)"
# The same ticket again (what a replay of the first flight presents): its early data is
# refused, the handshake goes on and the GET, sent again after it, is served once.
s_client replay -sess_in first.pem -early_data get.req <get.req
check "s_client, the same ticket again: early data rejected, resumed in 1-RTT, served once" \
  eval 'exit_is 0 && says "Early data was rejected" && served replay && [[ $(grep -c "^HTTP/1.1 200" replay.out) == 1 ]]'
note "s_client, ticket reused: $(grep -m1 -E '^(New|Reused),' replay.out); $(grep -m1 -E '^Early data was' replay.out)"
# An early POST: not safe to replay, 425 Too Early.
s_client post -sess_in early.pem -sess_out post.pem -early_data post.req </dev/null
check "s_client -early_data with a POST: accepted by TLS, answered 425 Too Early" \
  eval 'exit_is 0 && says "Early data was accepted" && grep -q "^HTTP/1.1 425 Too Early" post.out'
note "s_client early POST: $(grep -m1 -E '^Early data was' post.out); $(grep -m1 '^HTTP/1.1' post.out | tr -d '\r')"
check "tern serve logged each GET once (3), the early POST as 425" \
  eval '[[ $(requests_logged) -ge 3 ]] && grep -q "POST /small.txt.* 425 " "$serve_log"'

# The same over HTTP/2 (ALPN h2): frames written by hand, each file a whole connection (the
# preface, SETTINGS, one request on stream 1, GOAWAY). The early POST's HEADERS arrive in
# 0-RTT data: 425 on its stream; the GET before it, in 1-RTT, is served.
python3 - <<'PY'
import struct
def frame(kind, flags, stream, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload
def field(name, value):  # HPACK literal without indexing, new name, no Huffman coding
    return bytes([0, len(name)]) + name + bytes([len(value)]) + value
def connection(method):
    head = b"".join(field(n, v) for n, v in [(b":method", method), (b":scheme", b"https"),
                    (b":authority", b"localhost"), (b":path", b"/small.txt")])
    return (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(4, 0, 0, b"")
            + frame(1, 0x5, 1, head) + frame(7, 0, 0, struct.pack(">II", 0, 0)))
open("h2get.bin", "wb").write(connection(b"GET"))
open("h2post.bin", "wb").write(connection(b"POST"))
PY
s_client h2first -alpn h2 -sess_out h2first.pem <h2get.bin
check "s_client -alpn h2: an HTTP/2 GET served, a ticket saved" \
  eval 'exit_is 0 && says "ALPN protocol: h2" && [[ -s h2first.pem ]] && grep -q "GET /small.txt HTTP/2\" 200 " "$serve_log"'
s_client h2post -alpn h2 -sess_in h2first.pem -early_data h2post.bin </dev/null
check "s_client -alpn h2 -early_data with a POST: accepted by TLS, the stream answered 425 Too Early" \
  eval 'exit_is 0 && says "Early data was accepted" && grep -q "POST /small.txt HTTP/2\" 425 " "$serve_log"'
note "s_client early HTTP/2 POST: $(grep -m1 -E '^Early data was' <<<"$out"); tern serve logged: $(grep -m1 -o 'POST /small.txt HTTP/2" [0-9]*' "$serve_log")"

# An attacker replays a whole first flight (ClientHello, early GET, the rest) byte for byte on
# a new connection: the ticket resumes, its early data is refused and skipped, the handshake
# cannot finish; the GET is served once, and the server lives on.
before=$(requests_logged)
pport=$(free_port)
out=$(timeout 60 python3 "$lib_dir/interop_early_data_replay.py" "$pport" "$port" \
  openssl s_client -connect "127.0.0.1:$pport" -servername localhost -tls1_3 \
  -CAfile "$pki/root.pem" -sess_in post.pem -early_data get.req -ign_eof 2>&1)
status=$?
after=$(requests_logged)
check "a byte-for-byte replay of a 0-RTT flight: the original accepted and served, the replay's GET never served" \
  eval 'exit_is 0 && grep -q "Early data was accepted" replay-client.out && [[ $((after - before)) == 1 ]] && serve_alive'
note "replay: $out; original: $(grep -m1 -E '^Early data was' replay-client.out); GETs logged: $((after - before))"

# bssl-tool client -early-data: -session-out, then -session-in with the request early.
timeout 20 bssl-tool client -connect "127.0.0.1:$port" -server-name localhost \
  -session-out bssl.sess <get.req >bc1.out 2>&1
# Its stdin stays open until the server has answered (at its end it stops reading).
sleep 3 | timeout 20 bssl-tool client -connect "127.0.0.1:$port" -server-name localhost \
  -session-in bssl.sess -early-data "@get.req" >bc.out 2>&1
status=$?
out=$(cat bc.out)
check "bssl-tool client -early-data: resumed, early data accepted, served" \
  eval 'says "Resumed session: yes" && says "Early data: yes" && served bc'
note "bssl-tool client (exit $status): $(grep -m1 'Resumed session' bc.out | xargs); $(grep -m1 'Early data' bc.out | xargs)"

# gnutls-cli --resume --earlydata: the second connection sends the file early. gnutls-cli
# does not say whether its early data was accepted, so the server's --trace tells.
start_serve_fresh --early-data --trace
timeout 30 gnutls-cli --x509cafile "$pki/root.pem" --port "$port" --resume --waitresumption \
  --earlydata=get.req localhost <get.req >gc.out 2>gc.err
status=$?
out=$(cat gc.out gc.err)
check "gnutls-cli --earlydata --resume: resumed, served; tern serve --trace: early data accepted, EndOfEarlyData" \
  eval 'exit_is 0 && says "*** This is a resumed session" && served gc && grep -q "early data accepted" "$serve_log" && grep -q "EndOfEarlyData" "$serve_log"'
note "gnutls-cli --earlydata: $(grep -m1 'resumed session' gc.out); tern serve trace: $(grep -m1 -o 'early data accepted' "$serve_log"), $(grep -m1 -o 'EndOfEarlyData  \[[^]]*\]' "$serve_log")"

# A server without --early-data: tickets allow no 0-RTT, s_client sends none.
start_serve_fresh
s_client off1 -sess_out off.pem <get.req
s_client off2 -sess_in off.pem -early_data get.req <get.req
check "tern serve without --early-data: no early data taken, resumed and served" \
  eval 'exit_is 0 && says "Reused, TLSv1.3" && ! says "Early data was accepted" && served off2'
note "without --early-data: $(grep -m1 -E '^(New|Reused),' off2.out); $(grep -m1 -E '^Early data' off2.out || echo 'no early data line')"
stop_serve

# openssl s_server -early_data refuses -www (and -WWW, -HTTP), so it cannot answer a GET:
# `tern connect --early-data FILE` (as s_client -early_data) is the client here, and s_server
# prints the early data it read. `tern get --early-data` then sends its GET early (s_server
# never answers it: -m bounds the wait).
sport=$(free_port)
# s_server ends a connection when its stdin ends: an open FIFO it never gets data from.
mkfifo ss.in
exec 3<>ss.in
timeout 90 openssl s_server -accept "127.0.0.1:$sport" -cert "$pki/leaf.pem" \
  -cert_chain "$pki/chain.pem" -key "$pki/leaf.key" -early_data >ss.out 2>ss.err <ss.in &
background_pids+=($!)
wait_port "$sport"
out=$(timeout 20 "$tern" connect --sess-out tc.sess --cacert "$pki/root.pem" \
  --servername localhost "127.0.0.1:$sport" </dev/null 2>&1)
status=$?
check "tern connect --sess-out vs s_server: full handshake, session saved" \
  eval 'exit_is 0 && [[ -s tc.sess ]]'
out=$(timeout 20 "$tern" connect --sess-in tc.sess --sess-out tc2.sess --early-data get.req \
  --cacert "$pki/root.pem" --servername localhost "127.0.0.1:$sport" </dev/null 2>&1)
status=$?
check "tern connect --early-data vs s_server -early_data: resumed, accepted, s_server read it early" \
  eval 'exit_is 0 && says "* Resumed: yes" && says "* Early data: accepted" && grep -q "^Early data received:" ss.out && grep -qF "GET /small.txt" ss.out'
note "tern connect vs s_server: $(grep -m1 '^\* Resumed' <<<"$out"); $(grep -m1 '^\* Early data' <<<"$out"); s_server: $(grep -m1 '^Early data received' ss.out)"
# `tern get --early-data`: its GET goes early; s_server is made to answer it 425 Too Early
# (the response written to its stdin), and tern get sends the GET again on a new connection
# without early data (RFC 8470 §5.2), which s_server answers 200.
# wait_for COUNT PATTERN: until ss.out has COUNT lines matching PATTERN (at most 30 s).
wait_for() {
  for _ in $(seq 300); do
    (($(grep -c -- "$2" ss.out) >= $1)) && return 0
    sleep 0.1
  done
  return 1
}
timeout 75 "$tern" get --early-data --sess-in tc2.sess --cacert "$pki/root.pem" -m 60 \
  --resolve "localhost:$sport:127.0.0.1" -v "https://localhost:$sport/small.txt" >tg.out 2>tg.err &
get_pid=$!
background_pids+=($get_pid)
wait_for 2 "^Early data received:" &&
  printf 'HTTP/1.1 425 Too Early\r\nContent-Length: 0\r\n\r\n' >&3 &&
  wait_for 3 "GET /small.txt" &&
  { printf 'HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' \
    "$(wc -c <"$www/small.txt")" && cat "$www/small.txt"; } >&3
wait "$get_pid"
status=$?
out=$(cat tg.out tg.err)
check "tern get --early-data vs s_server -early_data: the GET taken early, 425, sent again without early data, 200" \
  eval 'exit_is 0 && says "* Early data: accepted" && says "< HTTP/1.1 425 Too Early" && says "* 425 Too Early: sending the request again" && [[ $(grep -c "^Early data received:" ss.out) == 2 ]] && served tg'
note "tern get vs s_server: $(grep -m1 '^\* Early data' tg.err); then $(grep -m1 '^\* 425' tg.err); exit $status"

# bssl-tool server -early-data -loop -www answers a GET with a page saying "Early data: yes",
# in HTTP/1.0 and closing without close_notify: `tern connect` (which takes such a close)
# saves the session and reads the page; `tern get` sends its GET early, then refuses the
# unterminated close (exit 56: the body may be truncated).
bport=$(free_port)
timeout 90 bssl-tool server -accept "$bport" -cert "$pki/fullchain.pem" -key "$pki/leaf.key" \
  -early-data -loop -www >bs.out 2>bs.err </dev/null &
background_pids+=($!)
wait_port "$bport"
bssl_connect() {  # stdin stays open until the server has answered and closed
  out=$(sleep 3 | timeout 20 "$tern" connect --early-data get.req --cacert "$pki/root.pem" \
    --servername localhost "$@" "127.0.0.1:$bport" 2>&1 >tb.out)
  status=$?
}
bssl_connect --sess-out tb.sess
check "tern connect vs bssl-tool server: full handshake, page read, session saved" \
  eval 'exit_is 0 && grep -q "Early data: no" tb.out && [[ -s tb.sess ]]'
bssl_connect --sess-in tb.sess --sess-out tb2.sess
check "tern connect --early-data vs bssl-tool server -early-data: resumed, accepted; its page says so" \
  eval 'exit_is 0 && says "* Resumed: yes" && says "* Early data: accepted" && grep -q "Early data: yes" tb.out'
note "tern connect vs bssl-tool server: $(grep -m1 '^\* Early data' <<<"$out"); page: $(grep -m1 'Resumed session' tb.out | xargs), $(grep -m1 'Early data' tb.out | xargs)"
out=$(timeout 20 "$tern" get --early-data --sess-in tb2.sess --cacert "$pki/root.pem" \
  --resolve "localhost:$bport:127.0.0.1" -v "https://localhost:$bport/" 2>&1 >tg.out)
status=$?
check "tern get --early-data vs bssl-tool server -early-data: early data accepted, the page says so" \
  eval 'says "* Resumed: yes" && says "* Early data: accepted" && grep -q "Early data: yes" tg.out'
note "tern get vs bssl-tool server (exit $status): $(grep -m1 '^\* Early data' <<<"$out"); page: $(grep -m1 'Early data' tg.out | xargs)"

finish
