#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tern::asio::stream in one process (tests/asio/asio_stream_test.cpp), with the test PKI of
# scripts/make-test-pki.sh: its "ok"/"not ok" lines are this test's checks. The program bounds
# each of its own waits (20 s); the whole run is bounded here too.
# Usage: bash tests/asio/stream.sh TERN TERN_ASIO_STREAM_TEST
set -uo pipefail
source "$(dirname "$0")/../cli/lib.sh"
lib_init asio_stream "${1:-}"
program=${2:?usage: stream.sh TERN TERN_ASIO_STREAM_TEST}
make_pki
out=$(timeout 150 "$program" --cert "$pki/fullchain.pem" --key "$pki/leaf.key" \
  --root "$pki/root.pem" --other-root "$pki/other-root.pem" 2>&1)
status=$?
printf '%s\n' "$out"
count_tap
check "tern_asio_stream_test exits 0" exit_is 0
finish
