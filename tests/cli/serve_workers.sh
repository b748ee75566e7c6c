#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern serve --workers N`: N event loops (threads) on one port, the default of one per CPU,
# many clients at once served by them all, a second server refused on a port the workers
# hold, bad values, and SIGTERM ending every worker with exit 0.
# Usage: bash tests/cli/serve_workers.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_workers "$@"
make_pki
make_docroot
cd "$work"

tern_pid() { child_of "$serve_pid"; }  # start_serve runs tern under timeout
threads_of() { ls "/proc/$(tern_pid)/task" | wc -l; }

start_serve
check "no --workers: one thread per CPU ($(nproc))" eval '[[ $(threads_of) -eq $(nproc) ]]'
stop_serve
check "stopped with exit 0" eval '[[ $serve_status -eq 0 ]]'

start_serve_fresh --workers 3
check "--workers 3: three threads" eval '[[ $(threads_of) -eq 3 ]]'
names=$(cat /proc/"$(tern_pid)"/task/*/comm | sort | paste -sd' ')
note "thread names: $names"
check "the worker threads are named tern-loop-N" eval '[[ $names == *tern-loop-1*tern-loop-2* ]]'

# 60 requests, 12 at a time, each on a new connection (curl: one process per request).
for ((i = 0; i < 60; i++)); do
  echo "https://localhost:$port/small.txt"
done | timeout 120 xargs -P 12 -n 1 curl -sS --cacert "$pki/root.pem" \
  --resolve "localhost:$port:127.0.0.1" -o /dev/null -w '%{http_code}\n' >codes 2>curl.err
out=$(sort codes | uniq -c; cat curl.err)
check "60 concurrent requests: 60 times 200" eval '[[ $(grep -c "^200$" codes) -eq 60 ]]'
# Which loop served a connection is not in the log; the thread CPU times show whether more
# than one did handshakes (the kernel spreads connections by a hash of the client port).
busy=0
for task in /proc/"$(tern_pid)"/task/*; do
  read -ra stat <"$task/stat"
  ((stat[13] + stat[14] > 0)) && busy=$((busy + 1))
done
note "threads that used CPU: $busy of 3"
check "one log line per request (HTTP/2 or HTTP/1.1, as curl negotiated)" \
  eval '[[ $(grep -cE "\"GET /small.txt HTTP/(1\.1|2)\" 200" "$serve_log") -eq 60 ]]'

out=$(timeout 10 "$tern" serve "$www" --cert "$pki/fullchain.pem" --key "$pki/leaf.key" \
  --port "$port" --workers 2 2>&1)
status=$?
check "another server on the port the workers hold: exit 4, address in use" \
  eval 'exit_is 4 && says "Address already in use"'

# Connections open on the workers when SIGTERM comes.
python3 - "$port" "$pki/root.pem" >held.out 2>&1 <<'PY' &
import socket, ssl, sys, time
ctx = ssl.create_default_context(cafile=sys.argv[2])
conns = [ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))),
                         server_hostname="localhost") for _ in range(9)]
print("held", len(conns), flush=True)
closed = 0
for c in conns:
    c.settimeout(20)
    try:
        if c.recv(1) == b"":
            closed += 1  # close_notify, then EOF
    except (ssl.SSLError, OSError):
        pass
print("closed", closed, flush=True)
PY
holder=$!
background_pids+=("$holder")
for ((i = 0; i < 100; i++)); do grep -qs held held.out && break; sleep 0.1; done
stop_serve
wait "$holder"
out=$(cat held.out)
check "SIGTERM with 9 connections open: exit 0" eval '[[ $serve_status -eq 0 ]]'
check "every connection got close_notify" says "closed 9"

out=$(timeout 10 "$tern" serve "$www" --cert "$pki/fullchain.pem" --key "$pki/leaf.key" \
  --workers 0 2>&1)
status=$?
check "--workers 0: usage error, exit 2" eval 'exit_is 2 && says "workers"'
out=$(timeout 10 "$tern" serve --help 2>&1)
status=$?
check "--help documents --workers" eval 'exit_is 0 && says "--workers" && says "SO_REUSEPORT"'
finish
