# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/demo.sh and tests/cli/lib.sh: one way to stop a server.
# terminate PID [SECONDS]: SIGTERM to PID, then waits up to SECONDS (default 30) for it to
# go; returns 0 once it has gone, 1 if it is still running (the caller reports, then kill_tree).
terminate() {
  local pid=$1 tenths=$((${2:-30} * 10)) i
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < tenths; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  ! kill -0 "$pid" 2>/dev/null
}

# kill_tree PID: SIGKILL to PID's children, then to PID (a server under its timeout wrapper).
kill_tree() {
  pkill -KILL -P "$1" 2>/dev/null
  kill -KILL "$1" 2>/dev/null
}
