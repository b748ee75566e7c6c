#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A TLS server stub that answers every ClientHello with a TLS 1.2 ServerHello whose random
ends in the RFC 8446 4.1.3 downgrade sentinel 44 4F 57 4E 47 52 44 01 ("DOWNGRD\\x01": a
TLS 1.3 server negotiating TLS 1.2), then waits for what the client says.

Usage: downgrade_server.py CONNECTIONS
Prints its listening port (127.0.0.1) on the first line, then for each connection:
  connection N: offered TLS 1.3: yes|no; client answered: alert fatal illegal_parameter; then eof
The ServerHello picks the first ECDHE suite the client offered (or C02B), with
renegotiation_info, extended_master_secret and ec_point_formats; nothing follows it.
A client that offered TLS 1.3 must abort with illegal_parameter; a client that offered at
most TLS 1.2 must not treat the sentinel as a downgrade (it then waits for a Certificate
that never comes, until the stub closes after 3 s).
"""
import os
import socket
import struct
import sys

ALERTS = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
          40: "handshake_failure", 47: "illegal_parameter", 50: "decode_error",
          70: "protocol_version", 80: "internal_error", 86: "inappropriate_fallback",
          90: "user_canceled", 100: "no_renegotiation", 109: "missing_extension",
          110: "unsupported_extension"}
SENTINEL = b"DOWNGRD\x01"
ECDHE = {0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8}


def read_record(sock):
    data = b""
    while len(data) < 5 or len(data) < 5 + int.from_bytes(data[3:5], "big"):
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError
        data += chunk
    return data


def parse_hello(data):
    body = data[9:]
    at = 2 + 32
    at += 1 + body[at]
    n = int.from_bytes(body[at:at + 2], "big")
    suites = [int.from_bytes(body[at + 2 + i:at + 4 + i], "big") for i in range(0, n, 2)]
    at += 2 + n
    at += 1 + body[at]
    offered_13 = False
    if at + 2 <= len(body):
        end = at + 2 + int.from_bytes(body[at:at + 2], "big")
        at += 2
        while at + 4 <= end:
            kind, size = struct.unpack(">HH", body[at:at + 4])
            if kind == 0x002B:  # supported_versions
                versions = body[at + 5:at + 4 + size]
                offered_13 = any(versions[i:i + 2] == b"\x03\x04"
                                 for i in range(0, len(versions), 2))
            at += 4 + size
    return suites, offered_13


def server_hello(suite):
    extensions = (b"\xff\x01\x00\x01\x00"  # renegotiation_info, empty
                  + b"\x00\x17\x00\x00"  # extended_master_secret
                  + b"\x00\x0b\x00\x02\x01\x00")  # ec_point_formats: uncompressed
    body = (b"\x03\x03" + os.urandom(24) + SENTINEL + b"\x20" + os.urandom(32)
            + struct.pack(">H", suite) + b"\x00"
            + struct.pack(">H", len(extensions)) + extensions)
    message = b"\x02" + len(body).to_bytes(3, "big") + body
    return struct.pack(">BHH", 22, 0x0303, len(message)) + message


def main():
    connections = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(60)
    print(listener.getsockname()[1], flush=True)
    for number in range(1, connections + 1):
        client, _ = listener.accept()
        client.settimeout(3)
        offered_13, answer, how = False, b"", "timeout"
        try:
            hello = read_record(client)
            suites, offered_13 = parse_hello(hello)
            suite = next((s for s in suites if s in ECDHE), 0xC02B)
            client.sendall(server_hello(suite))
            while True:
                chunk = client.recv(65536)
                if not chunk:
                    how = "eof"
                    break
                answer += chunk
        except socket.timeout:
            how = "timeout"
        except ConnectionResetError:
            how = "reset"
        except (EOFError, IndexError, ValueError):
            how = "no ClientHello"
        client.close()
        said = "nothing"
        if len(answer) >= 7 and answer[0] == 21:
            level = {1: "warning", 2: "fatal"}.get(answer[5], str(answer[5]))
            said = f"alert {level} {ALERTS.get(answer[6], answer[6])}"
        elif answer:
            said = f"{len(answer)} bytes of record type {answer[0]}"
        print(f"connection {number}: offered TLS 1.3: {'yes' if offered_13 else 'no'}; "
              f"client answered: {said}; then {how}", flush=True)


if __name__ == "__main__":
    main()
