#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern bench` smoke test: every case once, with one operation per measurement, through
# the tern CLI (which execs bench/tern-bench next to it). Checks that the JSON parses and
# that both libraries produced figures for every case. No timing assertions, ever: the
# figures are only checked to exist and be positive.
#
#   tests/cli/bench_smoke.sh build/release/tern
set -u
tern=${1:?usage: bench_smoke.sh /path/to/tern}
bench="$(dirname "$tern")/bench/tern-bench"
if [[ ! -x $bench ]]; then
  # The sanitizer preset builds no benchmarks.
  echo "ok - # skip $bench not built (TERN_BUILD_BENCH=OFF)"
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tern-bench-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0

"$tern" bench --iterations 1 --repetitions 1 --connections 2 --json --quiet >"$work/out.json" 2>"$work/err"
status=$?
if [[ $status -eq 0 ]]; then
  echo "ok - tern bench (all cases, 1 iteration) exits 0"
else
  echo "not ok - tern bench exited $status"
  sed 's/^/#   /' "$work/err" | tail -n 20
  failures=$((failures + 1))
fi

if python3 - "$work/out.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
cases = doc["cases"]
ids = [c["id"] for c in cases]
problems = []
for want in ["1a", "1b", "1c", "2", "2b", "1a-pq", "floor-1a", "floor-1b", "floor-1c", "floor-2",
             "most-1a", "most-1b", "most-1c", "most-2", "3-aes128gcm", "3-aes128gcm-raw",
             "3-aes256gcm", "3-chacha20", "3s-aes128gcm", "3s-chacha20", "4-server", "4-client",
             "4-server-rb", "4-client-rb", "5", "5-allocs", "x25519-keygen", "x25519-derive",
             "p256-verify", "own-1a", "own-1c", "own-2", "floor-own-1a", "floor-own-1c",
             "floor-own-2"]:
    if want not in ids:
        problems.append("case %s missing" % want)
for c in cases:
    if c["id"] == "1a-pq" and c["status"] == "unsupported":
        print("# 1a-pq: " + c.get("message", "unsupported"))
        continue
    if c["status"] != "ok":
        problems.append("%s: status %s: %s" % (c["id"], c["status"], c.get("message", "")))
        continue
    for side in ("baseline", "tern", "ratio"):
        stats = c[side]
        if not stats or len(stats["values"]) != 1 or not stats["median"] > 0:
            problems.append("%s: no positive %s figure: %r" % (c["id"], side, stats))
    if c["target"] is not None and c["met"] not in (True, False):
        problems.append("%s: target without a met verdict" % c["id"])
for p in problems:
    print("#   " + p)
sys.exit(1 if problems else 0)
PY
then
  echo "ok - the JSON parses and both sides have figures for every case"
else
  echo "not ok - the JSON is incomplete ($work/out.json)"
  failures=$((failures + 1))
fi

out=$("$tern" bench --only 1a,memory --iterations 1 --repetitions 1 --connections 2 --quiet 2>&1)
if [[ $? -eq 0 && $out == *"case"*"1a"*"4-server"*"5-allocs"* ]]; then
  echo "ok - the table lists the chosen cases"
else
  echo "not ok - the table: $out"
  failures=$((failures + 1))
fi

"$tern" bench --only no-such-case >/dev/null 2>&1
status=$?
if [[ $status -eq 2 ]]; then
  echo "ok - an unknown case is a usage error (2)"
else
  echo "not ok - an unknown case exited $status, not 2"
  failures=$((failures + 1))
fi

exit $((failures > 0))
