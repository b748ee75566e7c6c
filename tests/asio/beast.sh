#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Boost.Beast over tern::asio::stream, against real peers: examples/beast_client.cpp (a
# use_awaitable coroutine) GETs a page from `tern serve` and from `openssl s_server -www`, and
# fails with tern's message against a root it does not trust; examples/beast_server.cpp (in
# callbacks) answers curl (two requests on one connection) and headless Chromium, which trusts
# the test root through a private NSS database. Loopback only; every wait is bounded, every
# process stopped by its PID.
# Usage: bash tests/asio/beast.sh TERN EXAMPLE_BEAST_CLIENT EXAMPLE_BEAST_SERVER
set -uo pipefail
source "$(dirname "$0")/../cli/lib.sh"
lib_init asio_beast "${1:-}"
if (($# != 3)); then
  echo "not ok - usage: beast.sh TERN EXAMPLE_BEAST_CLIENT EXAMPLE_BEAST_SERVER"
  exit 1
fi
client=$(realpath "$2") server=$(realpath "$3")
cd "$work" || exit 1
make_pki
make_docroot

# get URL [ARGS...]: example_beast_client URL ARGS, at most 20 s; stdout in $work/stdout,
# stderr in $out, exit status in $status.
get() {
  out=$(timeout 20 "$client" "$@" 2>&1 >"$work/stdout")
  status=$?
}
page_says() { grep -qF -- "$1" "$work/stdout"; }

# --- The Beast client against tern serve ---
start_serve --workers 1
get "https://localhost:$port/index.html" --cafile "$pki/root.pem"
check "beast_client GETs a page from tern serve (200, the page, TLS 1.3)" \
  eval 'exit_is 0 && page_says "HTTP/1.1 200" && page_says "$page_marker" && says "connected to 127.0.0.1:$port: TLS 1.3"'
note "beast_client vs tern serve: ${out//$'\n'/ | }"
get "https://localhost:$port/small.txt" --cafile "$pki/other-root.pem"
check "beast_client with a root it does not trust: exit 1, tern's category and sentence" \
  eval 'exit_is 1 && says "example_beast_client: tern error: server certificate rejected: no path to a trusted root" && says "unknown_ca" && [[ ! -s $work/stdout ]]'
note "beast_client, untrusted: ${out//$'\n'/ | }"
check "tern serve logged the GET" grep -q "GET /index.html.* 200 " "$serve_log"
stop_serve
check "tern serve stopped (exit 0)" eval '[[ $serve_status -eq 0 ]]'

# --- The Beast client against openssl s_server -www (HTTP/1.0, the body ends with the
# connection) ---
timeout 60 openssl s_server -accept 127.0.0.1:0 -cert "$pki/leaf.pem" -cert_chain "$pki/chain.pem" \
  -key "$pki/leaf.key" -www >s_server.out 2>&1 &
server_pid=$!
background_pids+=("$server_pid")
port=""
for ((i = 0; i < 100; i++)); do
  [[ $(grep -m1 '^ACCEPT' s_server.out) =~ :([0-9]+)$ ]] && { port=${BASH_REMATCH[1]}; break; }
  sleep 0.1
done
[[ -n $port ]] || { echo "not ok - openssl s_server did not start"; sed 's/^/#   /' s_server.out; exit 1; }
get "https://localhost:$port/" --cafile "$pki/root.pem"
check "beast_client GETs openssl s_server -www's status page over TLS 1.3" \
  eval 'exit_is 0 && page_says " 200 " && page_says "TLSv1.3"'
note "beast_client vs s_server: ${out//$'\n'/ | }"
stop_server

# A server that accepts TCP connections and never answers: beast::tcp_stream's deadline ends
# the handshake (the client's --timeout).
python3 -c 'import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
time.sleep(60)' >silent.port &
silent_pid=$!
background_pids+=("$silent_pid")
for ((i = 0; i < 100; i++)); do [[ -s silent.port ]] && break; sleep 0.1; done
get "https://localhost:$(cat silent.port)/" --cafile "$pki/root.pem" --timeout 1
check "beast_client --timeout 1 against a silent server: exit 1, Beast's timeout" \
  eval 'exit_is 1 && says "example_beast_client: boost.beast error: The socket was closed due to a timeout"'
note "beast_client, silent server: ${out//$'\n'/ | }"
kill "$silent_pid" 2>/dev/null
wait "$silent_pid" 2>/dev/null

# --- The Beast server, answering curl and Chromium ---
timeout --foreground 120 "$server" --cert "$pki/fullchain.pem" --key "$pki/leaf.key" \
  --bind 127.0.0.1 --port 0 >beast.out 2>beast.err &
beast_pid=$!
background_pids+=("$beast_pid")
port=""
for ((i = 0; i < 100; i++)); do
  [[ $(head -n 1 beast.out) =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]] && { port=${BASH_REMATCH[1]}; break; }
  kill -0 "$beast_pid" 2>/dev/null || break
  sleep 0.1
done
[[ -n $port ]] || { echo "not ok - example_beast_server did not start"; sed 's/^/#   /' beast.err; exit 1; }

out=$(timeout 20 curl -sS --cacert "$pki/root.pem" "https://localhost:$port/first" \
  "https://localhost:$port/second" -w '\n%{http_code} %{num_connects}\n' 2>&1)
status=$?
check "curl gets two pages from beast_server on one connection (keep-alive)" \
  eval 'exit_is 0 && [[ $(grep -c "served by Beast over tern: TLS 1.3" <<<"$out") -eq 2 ]] && says "200 0"'
check "beast_server logged both requests" \
  eval 'grep -q "^GET /first 200 TLS 1.3" beast.out && grep -q "^GET /second 200 TLS 1.3" beast.out'
note "curl: $(grep -m1 -o 'served by[^<]*' <<<"$out")"
out=$(timeout 20 curl -sS --cacert "$pki/root.pem" --tlsv1.2 --tls-max 1.2 "https://localhost:$port/tls12" 2>&1)
status=$?
check "curl --tls-max 1.2 gets a page from beast_server over TLS 1.2" \
  eval 'exit_is 0 && says "served by Beast over tern: TLS 1.2"'
note "curl --tls-max 1.2: $(grep -m1 -o 'served by[^<]*' <<<"$out")"
out=$(timeout 20 curl -sS --cacert "$pki/other-root.pem" "https://localhost:$port/" 2>&1)
status=$?
check "curl with another root refuses beast_server's certificate" eval '! exit_is 0'

# Chromium reads trust from $HOME/.pki/nssdb: a private HOME with only the test root.
chromium_trust_root "$pki/root.pem"
netlog=$work/netlog.json
run_chromium "https://localhost:$port/chromium" --log-net-log="$netlog"
check "Chromium loads beast_server's page over a trusted TLS 1.3 connection" \
  eval 'exit_is 0 && says "served by Beast over tern: TLS 1.3"'
note "chromium: $(grep -m1 -o 'served by[^<]*' <<<"$out")"
out=$(python3 "$repo_dir/tests/cli/netlog_ssl.py" "$netlog" 2>&1)
check "Chromium's NetLog: TLS 1.3 with X25519MLKEM768 (group 4588)" says "version=TLS 1.3 group=4588 "
note "chromium netlog: ${out//$'\n'/ | }"
check "beast_server logged Chromium's request" grep -q "^GET /chromium 200 TLS 1.3" beast.out

terminate "$beast_pid" 10
check "SIGTERM by PID stops beast_server within 10 s" eval '! kill -0 "$beast_pid" 2>/dev/null'
wait "$beast_pid"
status=$?
out=$(cat beast.err)
check "beast_server after SIGTERM: exit 0, says stopped" eval 'exit_is 0 && says stopped'
note "beast_server stderr: $(paste -sd'|' beast.err)"
finish
