#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern trace` against `tern serve` and `openssl s_server` (TLS 1.3, TLS 1.2 ECDHE, TLS 1.2
# RSA key transport): the ladder's key lines, --json (every line a JSON object, checked by
# python3 -m json.tool), --svg (well-formed XML with one arrow per message), a rejected
# certificate, and `tern serve --trace` printing the server's view.
# Usage: bash tests/cli/trace.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init trace "$@"
make_pki
make_docroot
cd "$work"

# trace TARGET [ARGS...]: tern trace with the test roots; stdout in $out, exit in $status.
trace() {
  local target=$1
  shift
  out=$(timeout 30 "$tern" trace "$target" --cacert "$pki/root.pem" "$@" 2>"$work/trace.err")
  status=$?
  out+=$'\n'$(cat "$work/trace.err")
}

# reads TEXT: TEXT is in the ladder once its lines are unwrapped (rails and the time column
# removed, continuation lines joined).
reads() {
  sed -E 's/^ {0,11}([0-9.]+ ms)? ?\| ?//; s/ *\|$//; s/^ +//' <<<"$out" | tr '\n' ' ' | tr -s ' ' |
    grep -qF -- "$1"
}

# json_ok FILE: every line of FILE is one JSON object (python3 -m json.tool), the last one
# the summary with "ok": true.
json_ok() {
  local line n=0
  while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" | python3 -m json.tool >/dev/null 2>&1 || {
      echo "# line $n is not JSON: $line"
      return 1
    }
  done <"$1"
  ((n > 3)) && tail -n 1 "$1" | python3 -c '
import json, sys
s = json.load(sys.stdin)
sys.exit(0 if s["event"] == "summary" and s["ok"] else 1)'
}

# svg_matches SVG JSON: the SVG parses as XML and has one arrow per message, CCS, alert and
# application data event of the JSON trace of the same run.
svg_matches() {
  python3 - "$1" "$2" <<'PY'
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
arrows = [e for e in root.iter() if "arrow" in e.get("class", "").split()]
kinds = {"message", "change_cipher_spec", "alert", "application_data"}
events = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
want = sum(1 for e in events if e["event"] in kinds)
print("# svg arrows:", len(arrows), "events:", want)
sys.exit(0 if want > 0 and len(arrows) == want else 1)
PY
}

# ---- tern serve, with --trace ----
start_serve --trace
trace "127.0.0.1:$port" --servername localhost --get /index.html
check "TLS 1.3 against tern serve: exit 0 and the ladder's key lines" \
  eval 'exit_is 0 && says "|-- ClientHello  [plaintext" && says "|<- ServerHello  [plaintext" &&
        says "EncryptedExtensions  [handshake keys" &&
        reads "Server Certificate: the server proves its identity with a chain signed by a CA" &&
        says "ok anchor" && reads "Finished: a MAC over every handshake message so far" &&
        says "keys     handshake secret" && says "version             TLS 1.3" &&
        says "forward secrecy     yes" && reads "GET /index.html: HTTP/1.1 200 OK"'
check "no colour when piped" eval '! grep -q $'"'"'\x1b'"'"' <<<"$out"'

trace "127.0.0.1:$port" --servername localhost --tls-max 1.2
check "TLS 1.2 against tern serve: ServerKeyExchange, ChangeCipherSpec, the key block" \
  eval 'exit_is 0 && says "Server Key Exchange" && reads "Change Cipher Spec: from here on, records are encrypted" &&
        says "keys     key block" && says "version             TLS 1.2" &&
        reads "key agreement by ECDHE: no key ever travels"'

timeout 30 "$tern" trace "127.0.0.1:$port" --servername localhost --cacert "$pki/root.pem" \
  --json --svg "$work/t13.svg" >"$work/t13.jsonl" 2>"$work/trace.err"
status=$?
out=$(cat "$work/t13.jsonl" "$work/trace.err")
check "--json: one JSON object per line, summary last" eval 'exit_is 0 && json_ok "$work/t13.jsonl"'
check "--svg: well-formed, one arrow per message" svg_matches "$work/t13.svg" "$work/t13.jsonl"

trace "127.0.0.1:$port" --servername localhost --svg /nonexistent/x.svg
check "--svg in a missing directory: exit 2 before connecting, the OS's reason" \
  eval 'exit_is 2 && says "--svg: cannot write /nonexistent/x.svg: No such file or directory"'

trace "127.0.0.1:$port" --servername www.example.org
check "a name the certificate does not cover: exit 6, the failing check named" \
  eval 'exit_is 6 && says "FAILED name" && ! says "ok anchor" && says "Alert bad_certificate (fatal)" &&
        says "result              FAILED"'

trace "127.0.0.1:$port" --servername localhost --show-secrets
check "--show-secrets: the key log values beside the stages" \
  eval 'exit_is 0 && says "CLIENT_HANDSHAKE_TRAFFIC_SECRET"'

stop_serve
out=$(cat "$serve_log")
check "tern serve --trace: the server's view of each connection" \
  eval 'says "tern serve: connection from 127.0.0.1:" && says "the server'"'"'s view" &&
        says "|<- ServerHello  [plaintext" && says "|-- ClientHello  [plaintext" &&
        says "FAILED: received a fatal alert: bad_certificate" && says "handshake complete"'

# ---- openssl s_server ----
s_server_pid=""
s_server() {
  [[ -n $s_server_pid ]] && { kill "$s_server_pid" 2>/dev/null; wait "$s_server_pid" 2>/dev/null; }
  port=$(free_port)
  (cd "$www" && exec timeout 120 openssl s_server -accept "127.0.0.1:$port" -quiet -naccept 20 \
    -WWW "$@" >"$work/s_server.out" 2>&1) &
  s_server_pid=$!
  background_pids+=("$s_server_pid")
  wait_port "$port" || { echo "not ok - openssl s_server did not start"; cat "$work/s_server.out"; exit 1; }
}

s_server -cert "$pki/leaf.pem" -key "$pki/leaf.key" -cert_chain "$pki/chain.pem"
trace "127.0.0.1:$port" --servername localhost --get /small.txt
check "TLS 1.3 against openssl s_server" \
  eval 'exit_is 0 && says "version             TLS 1.3" && says "ok signature" && reads "GET /small.txt: HTTP/1.0 200 ok"'
note "openssl TLS 1.3: $(grep -E '^  (cipher suite|key exchange|handshake time)' <<<"$out" | paste -sd' ')"

s_server -cert "$pki/leaf.pem" -key "$pki/leaf.key" -cert_chain "$pki/chain.pem" -tls1_2
timeout 30 "$tern" trace "127.0.0.1:$port" --servername localhost --cacert "$pki/root.pem" \
  --json --svg "$work/t12.svg" >"$work/t12.jsonl" 2>"$work/trace.err"
status=$?
out=$(cat "$work/t12.jsonl" "$work/trace.err")
check "TLS 1.2 against openssl s_server -tls1_2: JSON lines, TLS 1.2 ECDHE" \
  eval 'exit_is 0 && json_ok "$work/t12.jsonl" && says "\"name\":\"ServerKeyExchange\"" &&
        says "\"version\":\"TLS 1.2\"" && says "\"forward_secrecy\":true"'
check "TLS 1.2 --svg: well-formed, one arrow per message" svg_matches "$work/t12.svg" "$work/t12.jsonl"

s_server -cert "$pki/leaf-rsa.pem" -key "$pki/leaf-rsa.key" -cert_chain "$pki/chain.pem" -tls1_2 \
  -cipher AES128-GCM-SHA256
trace "127.0.0.1:$port" --servername localhost --legacy-rsa-kex --tls-max 1.2
check "--legacy-rsa-kex against s_server -cipher AES128-GCM-SHA256: RSA key transport, no forward secrecy" \
  eval 'exit_is 0 && reads "Client Key Exchange: the pre-master secret, encrypted with the server'"'"'s RSA public key" &&
        says "keys     pre-master secret (RSA)" && says "TLS_RSA_WITH_AES_128_GCM_SHA256" &&
        says "forward secrecy     no"'

finish
