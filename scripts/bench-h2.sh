#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# HTTP/2 side by side: `tern serve --workers 1` and nginx (Debian's, worker_processes 1,
# `listen ... ssl http2` as nginx 1.22 spells it), same certificate chain, same files, on
# loopback. Not part of `make test`; installs nginx with apt-get when it is missing (root).
#
#   requests/s   h2load -n 20000 -c 10 -m 100 for a small file and for a 100 KiB file,
#                RUNS times each (servers interleaved), the median; 0 failed requests
#                required (a run with failures is reported as such)
#   memory       VmRSS of a freshly started server (nginx: master + worker) before and
#                after IDLE idle HTTP/2 connections (TLS 1.3, ALPN h2, client preface,
#                SETTINGS and its ACK, no request; tests/cli/h2_probe.py hold), per connection
#
# Usage: scripts/bench-h2.sh [TERN]   (default build/release/tern)
# Environment: RUNS (3), IDLE (500). The server is pinned to CPU 0 and h2load to CPU 1 when
# there are two CPUs. Prints a Markdown table; takes about 2 minutes.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tern=$(realpath "${1:-$repo/build/release/tern}")
RUNS=${RUNS:-3}
IDLE=${IDLE:-500}

if ! command -v nginx >/dev/null; then
  [[ $(id -u) -eq 0 ]] || { echo "bench-h2.sh: needs nginx (apt-get install nginx)" >&2; exit 2; }
  apt-get update -qq
  # Installed without starting the system's nginx: a policy-rc.d that refuses, if none is.
  made_policy=
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  [[ -n $made_policy ]] && rm -f /usr/sbin/policy-rc.d
fi
command -v h2load >/dev/null || { echo "bench-h2.sh: needs h2load (nghttp2-client)" >&2; exit 2; }

work=$(mktemp -d /tmp/tern-bench-h2.XXXXXX)
chmod 755 "$work"  # nginx's worker runs as nobody
server_pid=
stop_server() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

pin_server=() pin_client=()
if (($(nproc) >= 2)); then pin_server=(taskset -c 0) pin_client=(taskset -c 1); fi
ulimit -n "$(ulimit -Hn)"

bash "$repo/scripts/make-test-pki.sh" "$work/pki" >/dev/null 2>&1
cat "$work/pki/leaf.pem" "$work/pki/chain.pem" >"$work/pki/fullchain.pem"
mkdir -m 755 "$work/www"
python3 -c 'import sys; sys.stdout.write(("tern h2 bench " * 100)[:1024])' >"$work/www/small.txt"
head -c $((100 * 1024)) /dev/urandom >"$work/www/100k.bin"
chmod 644 "$work/www/"* "$work/pki/"*
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# keepalive_requests bounds the requests of an HTTP/2 connection too (nginx >= 1.19.7): h2load
# sends 2000 per connection here, and does not reconnect after a GOAWAY.
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile $((IDLE + 2000));
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections $((IDLE + 1000)); }
http {
  access_log $work/nginx-access.log;
  default_type application/octet-stream;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$port ssl http2;
    ssl_certificate $work/pki/fullchain.pem;
    ssl_certificate_key $work/pki/leaf.key;
    ssl_protocols TLSv1.3;
    root $work/www;
  }
}
EOF

# start SERVER: nginx or tern, on $port; waits until it answers.
start() {
  case $1 in
    nginx)
      "${pin_server[@]}" nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" -g 'daemon off;' &
      ;;
    tern)
      "${pin_server[@]}" "$tern" serve "$work/www" --cert "$work/pki/fullchain.pem" \
        --key "$work/pki/leaf.key" --port "$port" --workers 1 --tls-min 1.3 \
        --idle-timeout 300 --header-timeout 300 --keepalive-timeout 300 \
        --max-connections $((IDLE + 1000)) --max-connections-per-ip 0 >"$work/tern.log" 2>&1 &
      ;;
  esac
  server_pid=$!
  for ((i = 0; i < 100; i++)); do
    curl -sk --http2 -o /dev/null "https://127.0.0.1:$port/small.txt" && return 0
    sleep 0.1
  done
  echo "bench-h2.sh: $1 did not start" >&2
  exit 1
}

# The resident memory of the server: nginx's master and its worker, or tern.
rss_kib() {
  local total=0 pid kib
  for pid in $server_pid $(pgrep -P "$server_pid" || true); do
    kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
    total=$((total + kib))
  done
  echo "$total"
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A rates
for ((run = 1; run <= RUNS; run++)); do
  for server in nginx tern; do
    start "$server"
    for file in small.txt 100k.bin; do
      out=$("${pin_client[@]}" timeout 300 h2load -n 20000 -c 10 -m 100 \
        "https://127.0.0.1:$port/$file" 2>&1)
      rate=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out")
      failed=$(sed -n 's/^requests: .* \([0-9]*\) failed.*/\1/p' <<<"$out")
      protocol=$(sed -n 's/^Application protocol: //p' <<<"$out")
      echo "run $run $server $file: $rate req/s, $failed failed, $protocol" >&2
      if [[ $failed != 0 || $protocol != h2 ]]; then rate="failed($failed)"; fi
      rates[$server.$file]+="$rate "
    done
    stop_server
  done
done

declare -A memory
for server in nginx tern; do
  start "$server"
  sleep 1
  before=$(rss_kib)
  python3 "$repo/tests/cli/h2_probe.py" "$port" "$work/pki/root.pem" hold "$IDLE" 60 \
    >"$work/hold.out" 2>&1 &
  hold_pid=$!
  for ((i = 0; i < 600; i++)); do
    grep -q '^holding' "$work/hold.out" 2>/dev/null && break
    kill -0 "$hold_pid" 2>/dev/null || break
    sleep 0.1
  done
  sleep 1
  after=$(rss_kib)
  held=$(sed -n 's/^holding //p' "$work/hold.out")
  kill "$hold_pid" 2>/dev/null || true
  wait "$hold_pid" 2>/dev/null || true
  memory[$server]="$before $after ${held:-0}"
  echo "memory $server: $before KiB idle, $after KiB with ${held:-0} h2 connections" >&2
  stop_server
done

echo "| | nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') | tern serve --workers 1 | tern / nginx |"
echo "|---|---|---|---|"
for file in small.txt 100k.bin; do
  n=$(tr ' ' '\n' <<<"${rates[nginx.$file]}" | grep -E '^[0-9.]+$' | median)
  t=$(tr ' ' '\n' <<<"${rates[tern.$file]}" | grep -E '^[0-9.]+$' | median)
  ratio=$(awk -v t="$t" -v n="$n" 'BEGIN {printf "%.2f", (n > 0) ? t / n : 0}')
  echo "| h2 requests/s, $file (median of: ${rates[nginx.$file]}/ ${rates[tern.$file]}) | $n | $t | $ratio |"
done
read -r nb na nh <<<"${memory[nginx]}"
read -r tb ta th <<<"${memory[tern]}"
per() { awk -v b="$1" -v a="$2" -v n="$3" 'BEGIN {printf "%.1f", (n > 0) ? (a - b) / n : 0}'; }
echo "| VmRSS idle -> with $IDLE idle h2 connections (KiB) | $nb -> $na ($nh held) | $tb -> $ta ($th held) | |"
echo "| KiB per idle h2 connection | $(per "$nb" "$na" "$nh") | $(per "$tb" "$ta" "$th") | $(awk -v t="$(per "$tb" "$ta" "$th")" -v n="$(per "$nb" "$na" "$nh")" 'BEGIN {printf "%.2f", (n > 0) ? t / n : 0}') |"
