#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Resident memory of `tern serve` per idle TLS 1.3 connection (handshake done, no request):
# starts tern serve with a test PKI, opens N connections with Python's ssl, and compares the
# server's VmRSS before and after. Usage: bench/serve_idle_memory.sh build/release/tern [N]
set -euo pipefail
tern=$(realpath "$1")
count=${2:-1000}
work=$(mktemp -d)
trap 'kill "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
bash "$(dirname "$0")/../scripts/make-test-pki.sh" "$work/pki" >/dev/null 2>&1
cat "$work/pki/leaf.pem" "$work/pki/chain.pem" >"$work/pki/fullchain.pem"
mkdir "$work/www"
ulimit -n "$(ulimit -Hn)"
"$tern" serve "$work/www" --cert "$work/pki/fullchain.pem" --key "$work/pki/leaf.key" \
  --port 0 --max-connections-per-ip 0 --header-timeout 300 >"$work/serve.out" &
serve_pid=$!
for ((i = 0; i < 100; i++)); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's|^listening on https://127.0.0.1:\([0-9]*\)/$|\1|p' "$work/serve.out")
timeout 300 python3 - "$port" "$work/pki/root.pem" "$serve_pid" "$count" <<'PY'
import resource, socket, ssl, sys, time
port, root, pid, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
def rss_kib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
ctx = ssl.create_default_context(cafile=root)
before = rss_kib()
conns = [ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)),
                         server_hostname="localhost") for _ in range(n)]
time.sleep(1)
after = rss_kib()
print(f"tern serve RSS: {before} KiB idle, {after} KiB with {n} idle TLS 1.3 connections "
      f"= {(after - before) / n:.1f} KiB per connection")
PY
