#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tern serve against nginx under load (issue 7), on loopback, bounded in time.
#
#   bench/load/run.sh [TERN] [OUT_DIR]     TERN defaults to build/release/tern
#
# Both servers get the same certificate chain (EC P-256, scripts/make-test-pki.sh), the same
# 4 KiB file, TLS 1.3 only and, but for `resume`, no resumption (every connection a full
# handshake). nginx is Debian's, one worker (worker_processes 1), its own config, pid and
# logs in a temp dir (never the system nginx). Measured, RUNS times each, servers interleaved:
#   close      wrk -H 'Connection: close': a new TCP and TLS connection per request
#              (checked: nginx's log says every request was its connection's first and
#              none resumed; tern's log counts distinct client ports)
#   keepalive  wrk with keep-alive: requests/s over CONNS connections
#   resume     openssl s_time, one connection after another, each fetching the file: -new
#              (full handshakes) and -reuse (every connection resumes the first one's session,
#              psk_dhe_ke; checked: s_time marks each connection resumed), with both servers'
#              resumption on (tern's default; nginx ssl_session_tickets on). wrk cannot
#              resume. The rate is connections over s_time's wall time.
#   memory     VmRSS (summed over nginx's master and worker) of a freshly started server,
#              idle and then holding IDLE idle TLS connections (hold_connections.py)
# Servers: nginx, tern serve --workers 1 and --workers 2. nginx and tern --workers 1 are
# pinned to CPU 0 and wrk to CPU 1 (taskset); tern --workers 2 runs on both, beside wrk.
# Besides requests/s, the server's CPU time per request (utime+stime from /proc) is
# reported: when wrk is the bottleneck, it shows what each request costs the server.
#
# Environment: RUNS (3), DURATION (10 s per wrk run), CONNS (50), IDLE (10000), SERVERS
# ("nginx tern1 tern2"), MEASURE ("close keepalive resume memory": a subset skips the
# others). Takes about RUNS x 3.5 minutes. Installs nginx and wrk with apt-get if missing
# (needs root). Prints the medians and ratios; every raw number stays in OUT_DIR/results.tsv.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tern=$(realpath "${1:-$repo/build/release/tern}")
out_dir=${2:-}
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
CONNS=${CONNS:-50}
IDLE=${IDLE:-10000}
SERVERS=${SERVERS:-nginx tern1 tern2}
MEASURE=${MEASURE:-close keepalive resume memory}
measures() { [[ " $MEASURE " == *" $1 "* ]]; }

if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  [[ $(id -u) -eq 0 ]] || { echo "run.sh: needs nginx and wrk (apt-get install nginx wrk)" >&2; exit 2; }
  apt-get update -qq
  # Install without starting the system nginx: a policy-rc.d that refuses, if none is there.
  made_policy=
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk >/dev/null
  [[ -n $made_policy ]] && rm -f /usr/sbin/policy-rc.d
fi

work=$(mktemp -d /tmp/tern-load.XXXXXX)
chmod 755 "$work"  # nginx's worker runs as nobody
server_pid=
cleanup() {
  stop_server
  if [[ -z $out_dir ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT
out_dir=${out_dir:-$work}
mkdir -p "$out_dir"
results="$out_dir/results.tsv"
: >"$results"

ulimit -n "$(ulimit -Hn)"
if (($(ulimit -n) < IDLE + 200)); then
  echo "run.sh: the descriptor limit $(ulimit -n) is too low for IDLE=$IDLE" >&2
  exit 2
fi
pin_server=() pin_client=()
if (($(nproc) >= 2)); then pin_server=(taskset -c 0) pin_client=(taskset -c 1); fi

bash "$repo/scripts/make-test-pki.sh" "$work/pki" >/dev/null 2>&1
cat "$work/pki/leaf.pem" "$work/pki/chain.pem" >"$work/pki/fullchain.pem"
mkdir -m 755 "$work/www"
python3 -c 'import sys; sys.stdout.write(("tern load test " * 300)[:4096])' >"$work/www/4k.txt"
chmod 644 "$work/www/4k.txt" "$work/pki/"*
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="https://127.0.0.1:$port/4k.txt"

# write_nginx_conf FILE on|off: the config, with TLS session tickets on or off.
write_nginx_conf() {
  cat >"$1" <<EOF
worker_processes 1;
worker_rlimit_nofile $((IDLE + 2000));
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events {
  worker_connections $((IDLE + 1000));
}
http {
  log_format load '\$remote_port \$connection \$connection_requests \$ssl_session_reused \$ssl_protocol \$ssl_cipher \$status \$body_bytes_sent';
  access_log $work/nginx-access.log load;
  default_type text/plain;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  client_header_timeout 300s;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $work/pki/fullchain.pem;
    ssl_certificate_key $work/pki/leaf.key;
    ssl_protocols TLSv1.3;
    ssl_session_tickets $2;
    ssl_session_cache off;
    root $work/www;
  }
}
EOF
}
write_nginx_conf "$work/nginx.conf" off
write_nginx_conf "$work/nginx-resume.conf" on

# Server pids whose VmRSS and CPU count: nginx's master and worker, or tern.
server_pids() {
  if [[ $server == nginx ]]; then echo "$server_pid $(pgrep -P "$server_pid" | tr '\n' ' ')"
  else echo "$server_pid"; fi
}
cpu_ticks() {
  local total=0 pid fields
  for pid in $(server_pids); do
    read -ra fields <"/proc/$pid/stat"
    total=$((total + fields[13] + fields[14]))
  done
  echo "$total"
}

# start_server [resume]: starts $server (nginx, tern1, tern2); with `resume`, with TLS
# resumption on (nginx's ticket config, tern's default) instead of off.
start_server() {
  local resume=${1:-}
  case $server in
    nginx)
      : >"$work/nginx-access.log"
      # In the foreground of a background job: the master is our child, reaped by wait.
      local conf=$work/nginx.conf
      [[ $resume ]] && conf=$work/nginx-resume.conf
      "${pin_server[@]}" nginx -c "$conf" -e "$work/nginx-error.log" \
        -g 'daemon off;' &
      server_pid=$!
      ;;
    tern*)
      local workers=${server#tern} pin=("${pin_server[@]}") no_resumption=(--no-resumption)
      ((workers == 1)) || pin=()
      [[ $resume ]] && no_resumption=()
      : >"$work/tern.log"
      "${pin[@]}" "$tern" serve "$work/www" --cert "$work/pki/fullchain.pem" \
        --key "$work/pki/leaf.key" --port "$port" --workers "$workers" --tls-min 1.3 \
        "${no_resumption[@]}" --idle-timeout 300 --handshake-timeout 300 --header-timeout 300 \
        --max-connections $((IDLE + 1000)) --max-connections-per-ip 0 >>"$work/tern.log" 2>&1 &
      server_pid=$!
      ;;
  esac
  for ((i = 0; i < 100; i++)); do
    timeout 5 openssl s_client -connect "127.0.0.1:$port" </dev/null >/dev/null 2>&1 && break
    sleep 0.1
  done
  sleep 0.5
}

stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# cpu_us_each TICKS_BEFORE TICKS_AFTER N: the server's CPU µs per request or connection.
cpu_us_each() {
  python3 -c "print(round(($2 - $1) * 1e6 / $(getconf CLK_TCK) / max(1, $3), 1))"
}

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$server" "$run" "$2" >>"$results"; }

# wrk_run METRIC [wrk flags]: requests/s and server CPU µs per request.
wrk_run() {
  local metric=$1 before after text rps requests errors
  shift
  : >"$work/nginx-access.log"
  : >"$work/tern.log"
  before=$(cpu_ticks)
  text=$("${pin_client[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" "$@" "$url" 2>&1)
  after=$(cpu_ticks)
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$text")
  requests=$(awk '/requests in/ {print $1}' <<<"$text")
  errors=$(grep -E 'Socket errors|Non-2xx' <<<"$text" | tr -s ' ' | paste -sd';' || true)
  record "$metric" "$rps"
  record "$metric-cpu-us" "$(cpu_us_each "$before" "$after" "$requests")"
  local check=""
  if [[ $metric == close ]]; then
    if [[ $server == nginx ]]; then
      check=$(awk '{n++; if ($3 == 1) first++; if ($4 == "r") reused++}
                   END {printf "log: %d requests, %d first on their connection, %d resumed", n, first, reused}' \
        "$work/nginx-access.log")
    else
      check=$(awk '{n++; peers[$1]++} END {printf "log: %d requests from %d distinct client ports", n, length(peers)}' \
        "$work/tern.log")
    fi
  fi
  printf '  %-6s %-9s %10s req/s  %s  %s\n' "$server" "$metric" "$rps" "${errors:-no errors}" "$check"
}

# stime_run METRIC -new|-reuse: openssl s_time for DURATION seconds; connections/s and
# server CPU µs per connection. s_time prints '*' for a full handshake, 'r' for a resumed one.
stime_run() {
  local metric=$1 flag=$2 before after start end text count marks resumed full rate
  before=$(cpu_ticks)
  start=$(date +%s.%N)
  text=$(timeout $((DURATION + 30)) "${pin_client[@]}" openssl s_time \
    -connect "127.0.0.1:$port" -www /4k.txt "$flag" -time "$DURATION" 2>&1) || true
  end=$(date +%s.%N)
  after=$(cpu_ticks)
  count=$(sed -n 's/^\([0-9]*\) connections in [0-9]* real seconds.*/\1/p' <<<"$text" | tail -n 1)
  marks=$(grep -E '^[*r]+$' <<<"$text" | tr -d '\n' || true)
  resumed=${marks//[^r]/} full=${marks//[^*]/}
  if [[ -z $count ]]; then
    echo "  $server $metric: s_time printed no count: $(tail -n 3 <<<"$text" | tr '\n' ' ')"
    return 0
  fi
  rate=$(python3 -c "print(round($count / ($end - $start), 1))")
  record "$metric" "$rate"
  record "$metric-cpu-us" "$(cpu_us_each "$before" "$after" "$count")"
  # -reuse should resume every connection and -new none: a run that did not is flagged.
  local unexpected=$resumed
  [[ $flag == -reuse ]] && unexpected=$full
  printf '  %-6s %-9s %10s conn/s  %s connections: %d full, %d resumed%s\n' "$server" "$metric" \
    "$rate" "$count" "${#full}" "${#resumed}" "${unexpected:+  (NOT AS EXPECTED for $flag)}"
}

echo "# tern serve vs nginx: $(date -u +%FT%TZ), $(nproc) CPUs: $(lscpu | sed -n 's/^Model name: *//p')"
echo "# $(nginx -v 2>&1), built with $(nginx -V 2>&1 | sed -n 's/^built with //p'); $(wrk -v 2>&1 | head -1 | cut -c1-40)"
echo "# tern: $tern ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "# RUNS=$RUNS DURATION=${DURATION}s CONNS=$CONNS IDLE=$IDLE; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for server in nginx tern1; do
  start_server
  echo "# $server negotiates: $(openssl s_client -connect "127.0.0.1:$port" </dev/null 2>/dev/null |
    grep -E '^(New, |Server Temp Key|Peer signature type)' | tr '\n' ' ')"
  stop_server
done

for ((run = 1; run <= RUNS; run++)); do
  echo "# run $run of $RUNS (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  for server in $SERVERS; do
    if measures close || measures keepalive; then
      start_server
      if measures close; then wrk_run close -H 'Connection: close'; fi
      if measures keepalive; then wrk_run keepalive; fi
      stop_server
    fi
    if measures resume; then
      start_server resume
      stime_run new -new
      stime_run reuse -reuse
      stop_server
    fi
    measures memory || continue
    start_server
    line=$(timeout 300 python3 "$here/hold_connections.py" "$port" "$IDLE" $(server_pids))
    stop_server
    eval "$line"  # rss_idle_kib, rss_held_kib, held
    record memory-idle-kib "$rss_idle_kib"
    record memory-held-kib "$rss_held_kib"
    record memory-held-count "$held"
    printf '  %-6s memory    %s KiB idle, %s KiB with %s of %s idle TLS connections\n' \
      "$server" "$rss_idle_kib" "$rss_held_kib" "$held" "$IDLE"
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" <<'PY'
import collections, statistics, sys
values = collections.defaultdict(list)
for line in open(sys.argv[1]):
    metric, server, run, value = line.rstrip("\n").split("\t")
    if value:
        values[metric, server].append(float(value))
def med(metric, server):
    v = values.get((metric, server))
    return statistics.median(v) if v else float("nan")
rows = [("new connections/s (Connection: close)", "close", "higher"),
        ("  server CPU per connection, us", "close-cpu-us", "lower"),
        ("keep-alive requests/s", "keepalive", "higher"),
        ("  server CPU per request, us", "keepalive-cpu-us", "lower"),
        ("full handshakes/s (s_time -new)", "new", "higher"),
        ("  server CPU per connection, us", "new-cpu-us", "lower"),
        ("resumed handshakes/s (s_time -reuse)", "reuse", "higher"),
        ("  server CPU per connection, us", "reuse-cpu-us", "lower"),
        ("RSS idle, KiB", "memory-idle-kib", "lower"),
        ("RSS with the idle connections, KiB", "memory-held-kib", "lower")]
print(f"\n{'median of runs':40} {'nginx':>10} {'tern -w1':>10} {'tern -w2':>10} {'w1/nginx':>9} {'w2/nginx':>9}")
for label, metric, _ in rows:
    n, t1, t2 = (med(metric, s) for s in ("nginx", "tern1", "tern2"))
    if n != n and t1 != t1 and t2 != t2:
        continue  # not measured
    print(f"{label:40} {n:10.1f} {t1:10.1f} {t2:10.1f} {t1 / n:9.2f} {t2 / n:9.2f}")
for s in ("nginx", "tern1", "tern2"):
    held = values.get(("memory-held-count", s), [])
    print(f"# {s}: connections held in each memory run: {[int(h) for h in held]}")
PY
echo "# raw numbers: $results"
