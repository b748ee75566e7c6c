#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A misbehaving TLS server for client_refuses.sh, as a proxy in front of a real one.

Usage: hostile_server.py MODE UPSTREAM_PORT
Prints its listening port, serves one connection, then exits. MODE:
  garbage       answers the ClientHello with bytes that are not TLS
  garble-hello  changes the cipher suite in the upstream's ServerHello to one never offered
  flip          flips one bit in the first encrypted record from the upstream
  truncate      forwards the ServerHello and half of the next record, then goes silent
"""
import socket
import sys
import time

mode, upstream_port = sys.argv[1], int(sys.argv[2])
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(1)
print(listener.getsockname()[1], flush=True)
listener.settimeout(30)
client, _ = listener.accept()
client.settimeout(10)


def records(sock):
    """The upstream's records, one at a time (header + fragment)."""
    buf = b""
    while True:
        while len(buf) >= 5 and len(buf) >= 5 + int.from_bytes(buf[3:5], "big"):
            size = 5 + int.from_bytes(buf[3:5], "big")
            yield buf[:size]
            buf = buf[size:]
        chunk = sock.recv(65536)
        if not chunk:
            return
        buf += chunk


hello = client.recv(65536)
if mode == "garbage":
    client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" + bytes(range(256)))
    time.sleep(1)
    sys.exit(0)

upstream = socket.create_connection(("127.0.0.1", upstream_port), timeout=10)
upstream.sendall(hello)
flipped = False
for record in records(upstream):
    if mode == "garble-hello" and record[0] == 22 and record[5] == 2:
        body = bytearray(record)
        # type(1) len(3) version(2) random(32) session_id_len(1) session_id: then the suite.
        at = 5 + 4 + 2 + 32
        at += 1 + body[at]
        body[at:at + 2] = b"\x13\x99"
        client.sendall(bytes(body))
        continue
    if mode == "flip" and record[0] == 23 and not flipped:
        body = bytearray(record)
        body[len(body) // 2] ^= 0x01
        client.sendall(bytes(body))
        flipped = True
        continue
    if mode == "truncate" and record[0] == 23:
        client.sendall(record[: len(record) // 2])
        time.sleep(15)  # silence: the client must give up on its own
        sys.exit(0)
    client.sendall(record)
time.sleep(1)
