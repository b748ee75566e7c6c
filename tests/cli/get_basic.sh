#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tern get` basics against `openssl s_server -WWW` with the test PKI: body to stdout and to
# -o, --resolve, IPv6 literals, SSLKEYLOGFILE, and the exit code for each kind of failure
# (curl's codes: usage 2, malformed URL 3, resolve 6, connect 7, write 23, certificate 60;
# the rest are in get_curl_flags.sh).
# Usage: bash tests/cli/get_basic.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init get_basic "$@"
make_pki
make_docroot
cd "$work"

# s_server ADDRESS PORT: openssl s_server -WWW serving $www; waits until it accepts.
s_server() {
  local address=$1 port=$2
  (cd "$www" && exec timeout 120 openssl s_server -accept "$address:$port" -cert "$pki/leaf.pem" \
    -key "$pki/leaf.key" -cert_chain "$pki/chain.pem" -tls1_3 -quiet -naccept 100 -WWW \
    >"$work/s_server-$port.out" 2>&1) &
  background_pids+=($!)
  local host=${address#[}
  host=${host%]}
  wait_port "$port" "$host" && return 0
  echo "not ok - openssl s_server did not start on $address:$port"
  cat "$work/s_server-$port.out"
  exit 1
}
# run ARGS...: tern get with a 30 s bound; stdout in get.stdout, stderr in $out.
run() {
  out=$(timeout 30 "$tern" get "$@" 2>&1 >get.stdout)
  status=$?
}

port=$(free_port)
s_server 127.0.0.1 "$port"
url=https://localhost:$port

run --cacert "$pki/root.pem" "$url/small.txt"
check "body to stdout, exit 0, nothing on stderr" \
  eval 'exit_is 0 && same_file get.stdout "$www/small.txt" && [[ -z $out ]]'

run --cacert "$pki/root.pem" -o body.out "$url/index.html"
check "-o FILE: body in the file, stdout empty" \
  eval 'exit_is 0 && same_file body.out "$www/index.html" && [[ ! -s get.stdout ]]'

printf 'hello, this is not a certificate\n' >some.txt
run --cacert some.txt "$url/small.txt"
check "--cacert with a text file: exit 2, says it holds no PEM certificate and how it starts" \
  eval 'exit_is 2 && says "some.txt holds no PEM certificate (it starts with text '"'"'hello, this is not a cer…'"'"'; expected -----BEGIN CERTIFICATE-----"'
run --cacert "$pki/leaf.key" "$url/small.txt"
check "--cacert with a private key: exit 2, says so" \
  eval 'exit_is 2 && says "leaf.key holds a private key (PEM \"PRIVATE KEY\"), not a certificate"'
openssl x509 -in "$pki/root.pem" -outform DER -out root.der
run --cacert root.der "$url/small.txt"
check "--cacert with a DER certificate: accepted" eval 'exit_is 0 && same_file get.stdout "$www/small.txt"'

run --cacert "$pki/root.pem" -o /nonexistent/x "$url/small.txt"
check "-o in a missing directory: exit 23 (curl's write error), the OS's reason" \
  eval 'exit_is 23 && says "cannot write /nonexistent/x: No such file or directory"'
run --cacert "$pki/root.pem" -o "$work" "$url/small.txt"
check "-o naming a directory: exit 23, says so" eval 'exit_is 23 && says "it is a directory"'
echo "kept" >kept.out
run --cacert "$pki/root.pem" --connect-timeout 5 -o kept.out "https://127.0.0.1:$(free_port)/"
check "-o FILE and a failed transfer: FILE as it was, no temporary file left" \
  eval 'exit_is 7 && [[ $(cat kept.out) == kept ]] && [[ -z $(find . -name ".kept.out.tern-*") ]]'
run --cacert "$pki/root.pem" --connect-timeout 5 -o never.out "https://127.0.0.1:$(free_port)/"
check "-o FILE and a failed transfer: no empty FILE" eval 'exit_is 7 && [[ ! -e never.out ]]'
run --cacert "$pki/root.pem" -o /dev/null "$url/small.txt"
check "-o /dev/null: written in place, exit 0" eval 'exit_is 0 && [[ -c /dev/null ]]'

run -v --cacert "$pki/root.pem" "HTTPS://LOCALHOST:$port/small.txt"
check "HTTPS://LOCALHOST/: scheme and host are case-insensitive" \
  eval 'exit_is 0 && same_file get.stdout "$www/small.txt"'
run -v --cacert "$pki/root.pem" "$url/a b.txt?q=x y"
check "a space in the path and query is sent as %20" \
  eval 'exit_is 0 && says "> GET /a%20b.txt?q=x%20y HTTP/1.1"'
run --cacert "$pki/root.pem" "https://local host:$port/"
check "a space in the host name: exit 3 (malformed URL), says so" eval 'exit_is 3 && says "space or control"'

run -v --cacert "$pki/root.pem" "$url/small.txt"
check "-v: address, version, chain and response head on stderr" \
  eval 'exit_is 0 && says "(127.0.0.1) port $port" && says "* SSL connection using TLS 1.3 / " && says "*  subject: CN=localhost" && says "< HTTP/1.0 200 ok" && same_file get.stdout "$www/small.txt"'

run --cacert "$pki/root.pem" --resolve "example.invalid:$port:127.0.0.1" \
  "https://example.invalid:$port/small.txt"
check "--resolve: connects to the given address, checks the name (wrong host: exit 60)" \
  eval 'exit_is 60 && says "example.invalid"'
run --cacert "$pki/root.pem" --resolve "localhost:$port:127.0.0.1" "$url/small.txt"
check "--resolve localhost:PORT:127.0.0.1: exit 0" \
  eval 'exit_is 0 && same_file get.stdout "$www/small.txt"'

rm -f keys.log
out=$(SSLKEYLOGFILE=$work/keys.log timeout 30 "$tern" get --cacert "$pki/root.pem" \
  "$url/small.txt" 2>&1 >get.stdout)
status=$?
check "SSLKEYLOGFILE: NSS key log lines appended" \
  eval 'exit_is 0 && grep -q "^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]\{64\} [0-9a-f]" keys.log && grep -q "^CLIENT_TRAFFIC_SECRET_0 " keys.log'

# openssl -WWW answers 200 even for a missing file, so a 404 comes from Python's ssl module.
port404=$(free_port)
timeout 60 python3 - "$pki/leaf.pem" "$pki/leaf.key" "$port404" >py404.out 2>&1 <<'PY' &
import socket, ssl, sys
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
listener = socket.create_server(("127.0.0.1", int(sys.argv[3])))
while True:  # the readiness probe connects and closes first: skip it
    connection, _ = listener.accept()
    try:
        with context.wrap_socket(connection, server_side=True) as tls:
            tls.recv(4096)
            tls.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\nnot found\n")
        break
    except (ssl.SSLError, OSError):
        pass
PY
background_pids+=($!)
wait_port "$port404"
run -k "https://127.0.0.1:$port404/missing"
check "404: exit 0 and the body printed, as curl without -f" \
  eval 'exit_is 0 && grep -qx "not found" get.stdout'

run "$url/small.txt"
check "test root not trusted by the system store: exit 60, a hint" \
  eval 'exit_is 60 && grep -qi -- "--cacert\|-k" <<<"$out"'
run -k "$url/small.txt"
check "-k: accepted without verification" eval 'exit_is 0 && same_file get.stdout "$www/small.txt"'

run --cacert "$pki/root.pem" "http://localhost:$port/small.txt"
check "http:// URL: exit 1 (curl's unsupported protocol)" eval 'exit_is 1 && says "https"'
run --cacert "$pki/root.pem" --groups nosuchgroup "$url/small.txt"
check "unknown group name: exit 2" eval 'exit_is 2 && says "nosuchgroup"'
run --cacert "$pki/root.pem" --tls-max 1.1 "$url/small.txt"
check "--tls-max 1.1: usage error naming the versions tern speaks" \
  eval 'exit_is 2 && says "1.2 and 1.3"'
run --cacert "$pki/root.pem" --tls-min 1.3 --tls-max 1.2 "$url/small.txt"
check "--tls-min above --tls-max: usage error" eval 'exit_is 2 && says "--tls-min"'

closed=$(free_port)
run --cacert "$pki/root.pem" --connect-timeout 5 "https://127.0.0.1:$closed/"
check "nothing listening: exit 7, the address named" eval 'exit_is 7 && says "127.0.0.1"'
# (no DNS query: tests stay on loopback; --resolve to something that is not an address)
run --cacert "$pki/root.pem" --connect-timeout 5 --resolve "no-such-host.invalid:443:bad-address" \
  "https://no-such-host.invalid/"
check "unresolvable name: exit 6, the name named" eval 'exit_is 6 && says "cannot resolve bad-address"'

# IPv6 literal: the leaf has no ::1 address, so -k.
port6=$(free_port ::1)
s_server "[::1]" "$port6"
run -k -v "https://[::1]:$port6/small.txt"
check "IPv6 literal [::1]:PORT: exit 0, body matches" \
  eval 'exit_is 0 && same_file get.stdout "$www/small.txt" && says "::1"'
finish
