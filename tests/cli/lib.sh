# SPDX-License-Identifier: Apache-2.0
# Shared by the tests that point real clients at `tern serve` (interop_server_*.sh) and by
# serve_hostile.sh: a private work directory, a test PKI, a document root, starting and
# stopping the server, and "ok"/"not ok" checks in the style of tests/cli/verify.sh.
#
# In a test:  source "$(dirname "$0")/lib.sh"; lib_init NAME "$@"
# Everything lives under $work (mktemp), removed on exit together with every background
# process registered in background_pids and the server.

source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/terminate.sh"

# lib_init NAME TERN: checks the tern binary, makes $work, installs the cleanup trap.
lib_init() {
  test_name=$1
  tern=${2:?usage: $1.sh /path/to/tern}
  tern=$(realpath "$tern")
  if [[ ! -x $tern ]]; then
    echo "not ok - $tern is not an executable (build the tern_cli target first)"
    exit 1
  fi
  lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  repo_dir=$(cd "$lib_dir/../.." && pwd)
  work=$(mktemp -d "${TMPDIR:-/tmp}/tern-$test_name.XXXXXX")
  background_pids=()
  serve_pid=""
  failures=0
  checks=0
  out=""
  status=0
  trap lib_cleanup EXIT
  trap 'exit 130' INT TERM
}

lib_cleanup() {
  local pid
  for pid in "${background_pids[@]}" $serve_pid; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${background_pids[@]}" $serve_pid; do
    wait "$pid" 2>/dev/null
  done
  rm -rf "$work"
}

# check DESCRIPTION COMMAND...: runs COMMAND; on failure shows $status and $out.
check() {
  local description=$1
  shift
  checks=$((checks + 1))
  if "$@"; then
    echo "ok - $description"
  else
    echo "not ok - $description"
    echo "#   exit status: $status"
    printf '%s\n' "$out" | tail -n 40 | sed 's/^/#   /'
    failures=$((failures + 1))
  fi
}

# note TEXT: a comment line in the output (what a peer negotiated, for the report).
note() { printf '# %s\n' "$*"; }

exit_is() { [[ $status -eq $1 ]]; }
says() { grep -qF -- "$1" <<<"$out"; }
same_file() { cmp -s "$1" "$2"; }

# finish: the summary line and the exit code of the test.
finish() {
  if ((checks == 0)); then
    echo "not ok - no check ran"
    exit 1
  fi
  echo "# $((checks - failures)) of $checks checks passed"
  ((failures == 0))
}

# free_port [ADDRESS]: a TCP port free right now on ADDRESS (default 127.0.0.1; ::1 for IPv6).
free_port() {
  python3 -c 'import socket, sys
a = sys.argv[1]
s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET)
s.bind((a, 0))
print(s.getsockname()[1])' "${1:-127.0.0.1}"
}

# wait_port PORT [HOST]: waits (at most 10 s) until something accepts on HOST:PORT (default
# 127.0.0.1). The probe is a connection that closes at once: a one-shot server must skip it.
wait_port() {
  local i
  for ((i = 0; i < 100; i++)); do
    (echo >"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# peer_started NAME LOG: a peer server was just started in the background as $server_pid on
# $port; waits for it (wait_port) and registers it for cleanup, or shows LOG and ends the test.
peer_started() {
  background_pids+=("$server_pid")
  wait_port "$port" && return 0
  echo "not ok - $1 did not start"
  cat "$2"
  exit 1
}

# stop_server: stops the peer server of peer_started, if one runs.
stop_server() {
  if [[ -n ${server_pid:-} ]]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=""
  fi
}

# make_pki: $work/pki from scripts/make-test-pki.sh, plus fullchain.pem (leaf, then the
# intermediate: what `tern serve --cert` takes).
make_pki() {
  pki=$work/pki
  if ! timeout 60 bash "$repo_dir/scripts/make-test-pki.sh" "$pki" >"$work/make-pki.log" 2>&1; then
    echo "not ok - making the test PKI failed:"
    sed 's/^/#   /' "$work/make-pki.log"
    exit 1
  fi
  cat "$pki/leaf.pem" "$pki/chain.pem" >"$pki/fullchain.pem"
}

# make_docroot [BIG_MIB]: $work/www with index.html (marker text $page_marker), small.txt
# and, if asked, big.bin of BIG_MIB MiB of random bytes.
make_docroot() {
  www=$work/www
  mkdir -p "$www"
  page_marker="tern-serve-test-page-$RANDOM$RANDOM"
  cat >"$www/index.html" <<HTML
<!DOCTYPE html>
<html><head><title>tern test page</title></head>
<body><p id="marker">$page_marker</p></body></html>
HTML
  printf 'small file served by tern, %s\n' "$page_marker" >"$www/small.txt"
  if [[ -n ${1:-} ]]; then
    head -c "$(($1 * 1024 * 1024))" /dev/urandom >"$www/big.bin"
  fi
}

# launch_serve OUT ERR [ARGS...]: `tern serve $www` in the background on 127.0.0.1, port 0,
# with the test PKI and ARGS, under a 280 s timeout; stdout to OUT, stderr to ERR; $! is its pid.
launch_serve() {
  local out=$1 err=$2
  shift 2
  # --foreground: on SIGTERM, plain timeout(1) also sends SIGCONT, and a SIGCONT that lands
  # while an ASan build's exit-time leak check is ptrace-stopping the process cancels that
  # stop: the leak check then waits forever (seen in CI). --foreground forwards SIGTERM only.
  timeout --foreground 280 "$tern" serve "$www" --cert "$pki/fullchain.pem" \
    --key "$pki/leaf.key" --port 0 --bind 127.0.0.1 "$@" >"$out" 2>"$err" &
}

# start_serve [ARGS...]: runs `tern serve $www` on 127.0.0.1, port 0, with the test PKI and
# ARGS; waits (at most 15 s) for its first line "listening on https://127.0.0.1:PORT/" and
# sets $port and $serve_pid. Its stdout (one line per request) goes to $serve_log.
start_serve() {
  serve_log=$work/serve.out
  serve_err=$work/serve.err
  # Emptied here, not by the redirection below: that happens in the child, possibly after
  # the loop has read a previous server's "listening" line.
  : >"$serve_log"
  launch_serve "$serve_log" "$serve_err" "$@"
  serve_pid=$!
  local first i
  for ((i = 0; i < 150; i++)); do
    first=$(head -n 1 "$serve_log")
    if [[ $first =~ ^listening\ on\ https://127\.0\.0\.1:([0-9]+)/$ ]]; then
      port=${BASH_REMATCH[1]}
      return 0
    fi
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "not ok - tern serve did not print 'listening on https://127.0.0.1:PORT/'"
  echo "#   first stdout line: ${first:-(none)}"
  sed 's/^/#   stderr: /' "$serve_err" | head -n 20
  exit 1
}

serve_alive() { kill -0 "$serve_pid" 2>/dev/null; }

# child_of PID: the process PID runs; for a server's pid (its timeout wrapper), tern itself.
child_of() { pgrep -P "$1" | head -n 1; }

# stop_pid PID: SIGTERM to a server started under timeout, then waits for it; returns its
# exit status. A server still there after 30 s is a failed check: its state is shown, then
# it is killed (SIGKILL, status 137).
stop_pid() {
  local pid=$1
  if ! terminate "$pid" 30; then
    checks=$((checks + 1))
    failures=$((failures + 1))
    echo "not ok - tern serve exits within 30 s of SIGTERM"
    grep -E '^(State|Threads):' "/proc/$(child_of "$pid")/status" 2>/dev/null | sed 's/^/#   /'
    kill_tree "$pid"
  fi
  wait "$pid"
}

# stop_serve: stop_pid for the server of start_serve; sets $serve_status.
stop_serve() {
  stop_pid "$serve_pid"
  serve_status=$?
  serve_pid=""
}

# http_body FILE: what follows the first blank line (CRLF CRLF) of an HTTP response.
http_body() {
  python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
end = data.find(b"\r\n\r\n")
sys.stdout.buffer.write(data[end + 4:] if end >= 0 else b"")' "$1"
}

# start_serve_fresh [ARGS...]: for a test that runs several servers one after another: stops
# the running one (if any) and removes its log first, so that start_serve cannot read the
# previous server's "listening on" line before the new one truncates the file.
start_serve_fresh() {
  [[ -n $serve_pid ]] && stop_serve
  rm -f "$work/serve.out" "$work/serve.err"
  start_serve "$@"
}

# start_serve_with CHAIN KEY [ARGS...]: start_serve_fresh with another chain (leaf first) and
# key, e.g. the RSA leaf, in place of fullchain.pem and leaf.key.
start_serve_with() {
  local dir saved_pki=$pki
  dir=$(mktemp -d "$work/serve-cert.XXXXXX")
  cp "$1" "$dir/fullchain.pem"
  cp "$2" "$dir/leaf.key"
  shift 2
  pki=$dir
  start_serve_fresh "$@"
  pki=$saved_pki
}

# count_tap: adds the "ok - " / "not ok - " lines in $out (printed by a helper script that
# checks on its own, e.g. a Python probe) to this test's totals.
count_tap() {
  checks=$((checks + $(grep -c '^\(not \)\?ok - ' <<<"$out")))
  failures=$((failures + $(grep -c '^not ok - ' <<<"$out")))
}

# start_extra_serve NAME [ARGS...]: another `tern serve $www` beside the one of start_serve (the
# test PKI, 127.0.0.1, port 0, ARGS), e.g. a second server sharing --ticket-keys; stdout in
# $work/NAME.out, stderr in $work/NAME.err; waits (at most 15 s) for its "listening" line and
# sets $extra_port and $extra_pid (stopped at exit, or earlier with stop_extra_serve PID).
start_extra_serve() {
  local name=$1 first i
  shift
  launch_serve "$work/$name.out" "$work/$name.err" "$@"
  extra_pid=$!
  background_pids+=("$extra_pid")
  for ((i = 0; i < 150; i++)); do
    first=$(head -n 1 "$work/$name.out" 2>/dev/null)
    if [[ $first =~ ^listening\ on\ https://127\.0\.0\.1:([0-9]+)/$ ]]; then
      extra_port=${BASH_REMATCH[1]}
      return 0
    fi
    kill -0 "$extra_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "not ok - tern serve ($name) did not print 'listening on https://127.0.0.1:PORT/'"
  echo "#   first stdout line: ${first:-(none)}"
  sed 's/^/#   stderr: /' "$work/$name.err" | head -n 20
  exit 1
}

# stop_extra_serve PID: stop_pid for a server of start_extra_serve.
stop_extra_serve() { stop_pid "$1" 2>/dev/null; }

# require_chromium: stops the test (not ok) unless Chromium and NSS's certutil are installed.
require_chromium() {
  local tool
  for tool in chromium certutil; do
    if ! command -v "$tool" >/dev/null; then
      echo "not ok - $tool is not installed (make deps installs chromium and libnss3-tools)"
      exit 1
    fi
  done
}

# chromium_trust_root PEM: a private $HOME whose NSS database, where Chromium reads trust,
# holds PEM as a trusted CA; $status and $out for a check.
chromium_trust_root() {
  export HOME=$work/home
  mkdir -p "$HOME/.pki/nssdb"
  certutil -N --empty-password -d "sql:$HOME/.pki/nssdb" &&
    certutil -A -d "sql:$HOME/.pki/nssdb" -n tern-test-root -t "C,," -i "$1"
  status=$?
  out=$(certutil -L -d "sql:$HOME/.pki/nssdb" 2>&1)
}

# run_chromium URL [FLAG...]: headless Chromium with the flags every test needs (loopback
# only, no background traffic, a fresh profile), at most 90 s, prints URL's DOM into $out;
# $status is its exit status, its stderr is in $work/chromium.err (its last lines are added
# to $out when the page did not load, to see why).
run_chromium() {
  local url=$1
  shift
  out=$(timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE localhost" \
    --user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" "$@" --dump-dom "$url" \
    2>"$work/chromium.err")
  status=$?
  [[ $status -eq 0 && -n $out ]] ||
    out+=$'\n'$(grep -v -e dbus -e 'unexpected operator' "$work/chromium.err" | tail -n 20)
}
