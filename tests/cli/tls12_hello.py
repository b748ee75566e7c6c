#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Sends one hand-made TLS 1.2 ClientHello to 127.0.0.1:PORT and prints the server's answer.

Usage: tls12_hello.py PORT [--suites HEX,HEX,...] [--compression N,N,...] [--no-ems]
                           [--no-reneg-ext] [--scsv] [--fallback-scsv]

Defaults: suites C02B,C02F (ECDHE-ECDSA/RSA-AES128-GCM-SHA256), compression 0 (null), with
server_name localhost, supported_groups (x25519, P-256, P-384), ec_point_formats
(uncompressed), signature_algorithms, extended_master_secret and renegotiation_info.
--scsv adds TLS_EMPTY_RENEGOTIATION_INFO_SCSV (00FF), --fallback-scsv TLS_FALLBACK_SCSV (5600).

Prints one line, "# answer: ..." with either
  ServerHello version 0303 suite 0xC02B compression 0 extensions 0017,ff01,... random ends HEX
(HEX: the last 8 bytes of the server random, e.g. 444f574e47524401, "DOWNGRD\x01")
or the records received instead (alerts decoded) and how the connection ended.
"""
import argparse
import os
import socket
import struct

ALERTS = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
          40: "handshake_failure", 47: "illegal_parameter", 50: "decode_error",
          51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security",
          80: "internal_error", 86: "inappropriate_fallback", 100: "no_renegotiation",
          109: "missing_extension", 110: "unsupported_extension"}


def ext(kind, body):
    return struct.pack(">HH", kind, len(body)) + body


def hello(args):
    suites = [int(s, 16) for s in args.suites.split(",")]
    if args.scsv:
        suites.append(0x00FF)
    if args.fallback_scsv:
        suites.append(0x5600)
    compression = bytes(int(c) for c in args.compression.split(","))
    sigalgs = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601]
    groups = [0x001D, 0x0017, 0x0018]
    extensions = (ext(0x0000, struct.pack(">HBH", 12, 0, 9) + b"localhost")
                  + ext(0x000A, struct.pack(">H", 2 * len(groups))
                        + b"".join(struct.pack(">H", g) for g in groups))
                  + ext(0x000B, b"\x01\x00")
                  + ext(0x000D, struct.pack(">H", 2 * len(sigalgs))
                        + b"".join(struct.pack(">H", s) for s in sigalgs)))
    if not args.no_ems:
        extensions += ext(0x0017, b"")
    if not args.no_reneg_ext:
        extensions += ext(0xFF01, b"\x00")
    body = (b"\x03\x03" + os.urandom(32) + b"\x00"
            + struct.pack(">H", 2 * len(suites)) + b"".join(struct.pack(">H", s) for s in suites)
            + bytes([len(compression)]) + compression
            + struct.pack(">H", len(extensions)) + extensions)
    message = b"\x01" + len(body).to_bytes(3, "big") + body
    return struct.pack(">BHH", 22, 0x0301, len(message)) + message


def describe_server_hello(message):
    body = message[4:]
    sid = body[34]
    at = 35 + sid
    suite = int.from_bytes(body[at:at + 2], "big")
    compression = body[at + 2]
    at += 3
    types = []
    if at + 2 <= len(body):
        end = at + 2 + int.from_bytes(body[at:at + 2], "big")
        at += 2
        while at + 4 <= end:
            types.append(f"{int.from_bytes(body[at:at + 2], 'big'):04x}")
            at += 4 + int.from_bytes(body[at + 2:at + 4], "big")
    return (f"ServerHello version {body[0:2].hex()} suite 0x{suite:04X} compression "
            f"{compression} extensions {','.join(types)} random ends {body[26:34].hex()}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--suites", default="C02B,C02F")
    parser.add_argument("--compression", default="0")
    parser.add_argument("--no-ems", action="store_true")
    parser.add_argument("--no-reneg-ext", action="store_true")
    parser.add_argument("--scsv", action="store_true")
    parser.add_argument("--fallback-scsv", action="store_true")
    args = parser.parse_args()
    sock = socket.create_connection(("127.0.0.1", args.port), timeout=5)
    sock.sendall(hello(args))
    raw, how = b"", "timeout"
    try:
        while True:
            # The first handshake record holds the ServerHello (it is short): enough to stop.
            if len(raw) >= 9 and raw[0] == 22 and raw[5] == 2:
                size = int.from_bytes(raw[6:9], "big")
                if len(raw) >= 9 + size:
                    print("# answer: " + describe_server_hello(raw[5:9 + size]))
                    return
            chunk = sock.recv(65536)
            if not chunk:
                how = "eof"
                break
            raw += chunk
    except socket.timeout:
        how = "timeout"
    except ConnectionResetError:
        how = "reset"
    parts, at = [], 0
    while at + 5 <= len(raw):
        kind, size = raw[at], int.from_bytes(raw[at + 3:at + 5], "big")
        fragment = raw[at + 5:at + 5 + size]
        if kind == 21 and len(fragment) == 2:
            level = {1: "warning", 2: "fatal"}.get(fragment[0], str(fragment[0]))
            parts.append(f"alert {level} {ALERTS.get(fragment[1], fragment[1])}")
        else:
            parts.append(f"record type {kind} ({size} bytes)")
        at += 5 + size
    print(f"# answer: {', '.join(parts) or 'nothing'}; then {how}")


if __name__ == "__main__":
    main()
