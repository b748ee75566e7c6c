#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Slowloris against `tern serve` (issue 15, item 4): a legitimate client's success rate and
# latency while CONNECTIONS (default 10,000) trickling TLS connections from 127.0.0.1 are
# held open, each sending a request line and then a header byte every 10 s
# (tests/cli/slowloris.py), reopened a second after the server closes them.
#
# Two servers, one after the other, on loopback:
#   defaults   tern serve at its defaults (--header-timeout 20, --keepalive-timeout 30,
#              --max-connections 10000, --max-connections-per-ip 100)
#   per-ip-0   the same with --max-connections-per-ip 0: only the head deadline and
#              eviction stand in the attacker's way
#   eviction   --max-connections-per-ip 0 --header-timeout 300: the attacker fills the whole
#              connection table (10,000), and only eviction at the cap stands in its way
# For each: a baseline (no attack), then, once the attack has ramped up, PROBES requests
# (a new TLS connection each, GET /small.txt, 10 s allowed) from 127.0.0.2, a client the
# attacker does not share an address with, and from 127.0.0.1, the attacker's own address.
#
# Not part of `make test`. Bounded: about 6 minutes a server at most; raises `ulimit -n`;
# every process it starts is stopped by PID.
# Usage: bash bench/slowloris/run.sh [path/to/tern] [CONNECTIONS] [PROBES] [SERVERS]
#   SERVERS: which of "defaults per-ip-0 eviction" to run (default: all three)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tern=$(realpath "${1:-$repo/build/release/tern}")
connections=${2:-10000}
probes=${3:-200}
servers=${4:-defaults per-ip-0 eviction}
slowloris=(python3 "$repo/tests/cli/slowloris.py")
source "$repo/scripts/terminate.sh"

ulimit -n "$(ulimit -Hn)"
if (($(ulimit -n) < connections + 1000)); then
  echo "the open-file limit ($(ulimit -n)) is too low for $connections connections" >&2
  exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tern-slowloris.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash "$repo/scripts/make-test-pki.sh" "$work/pki" >/dev/null 2>&1 || exit 1
cat "$work/pki/leaf.pem" "$work/pki/chain.pem" >"$work/pki/fullchain.pem"
mkdir "$work/www"
echo "small file" >"$work/www/small.txt"

established() { ss -Htn state established "( sport = :$port )" 2>/dev/null | wc -l; }
probe() {  # probe SOURCE COUNT
  timeout 300 "${slowloris[@]}" probe "$port" "$work/pki/root.pem" "$1" "$2" 0.25 10
}

run() {  # run NAME [SERVE ARGS...]
  local name=$1 i status
  shift
  : >"$work/serve.out"
  timeout --foreground 600 "$tern" serve "$work/www" --cert "$work/pki/fullchain.pem" \
    --key "$work/pki/leaf.key" --port 0 "$@" >"$work/serve.out" 2>"$work/serve.err" &
  local serve_pid=$!
  pids+=("$serve_pid")
  for ((i = 0; i < 150; i++)); do
    port=$(sed -n 's|^listening on https://127.0.0.1:\([0-9]*\)/$|\1|p' "$work/serve.out")
    [[ -n $port ]] && break
    sleep 0.1
  done
  [[ -n $port ]] || { echo "tern serve did not start" >&2; cat "$work/serve.err" >&2; exit 1; }
  echo "## $name: tern serve $*"
  echo "baseline, no attack:      $(probe 127.0.0.2 50)"

  timeout 500 "${slowloris[@]}" attack "$port" "$work/pki/root.pem" "$connections" 10 480 \
    >"$work/attack.out" 2>"$work/attack.err" &
  local attack_pid=$!
  pids+=("$attack_pid")
  # Ramp: until the attacker has opened CONNECTIONS, or its open count stopped growing for
  # 10 s (the server's limits hold it), at most 150 s.
  local last=-1 still=0 open opened
  for ((i = 0; i < 150; i++)); do
    sleep 1
    read -r open opened < <(tail -n 1 "$work/attack.out" |
      sed -n 's/^open \([0-9]*\) opened \([0-9]*\).*/\1 \2/p')
    ((${opened:-0} >= connections)) && break
    if ((${open:-0} <= last)); then ((++still >= 10)) && break; else still=0; fi
    last=${open:-0}
  done
  echo "attack after ${i} s ramp:   $(tail -n 1 "$work/attack.out"); server: $(established) established"
  echo "during attack, 127.0.0.2: $(probe 127.0.0.2 "$probes")"
  echo "  attacker: $(tail -n 1 "$work/attack.out"); server: $(established) established"
  echo "during attack, 127.0.0.1: $(probe 127.0.0.1 "$probes")"
  echo "  attacker: $(tail -n 1 "$work/attack.out"); server: $(established) established"
  kill -TERM "$attack_pid" 2>/dev/null
  wait "$attack_pid" 2>/dev/null
  terminate "$serve_pid" 30 || kill_tree "$serve_pid"
  wait "$serve_pid" 2>/dev/null
  status=$?
  echo "tern serve exit status: $status; requests logged: $(grep -c '^127' "$work/serve.out")"
}

echo "# slowloris vs tern serve: $(date -u +%FT%TZ), $(nproc) CPUs, $connections connections, each a header byte / 10 s"
for server in $servers; do
  case $server in
    defaults) run defaults ;;
    per-ip-0) run per-ip-0 --max-connections-per-ip 0 ;;
    eviction) run eviction --max-connections-per-ip 0 --header-timeout 300 ;;
    *) echo "unknown server '$server' (defaults, per-ip-0, eviction)" >&2; exit 2 ;;
  esac
done
