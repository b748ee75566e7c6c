#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""HTTP/2 at the frame level against `tern serve`, with Python's ssl alone (Debian's Python
has no HTTP/2 library, and none is needed to read frame headers). Prints TAP lines.

Usage: h2_probe.py PORT ROOT_CA MODE [ARGS]
  alpn        ALPN ['h2'] only: 'h2' is selected, and after the client preface the server's
              first frame is SETTINGS (stream 0) announcing 100 streams and 16 KiB of fields
  garbage     a frame no peer may send (DATA on stream 0): GOAWAY PROTOCOL_ERROR, then close
  bad-preface not the HTTP/2 client preface: GOAWAY, then close
  head-timeout SECONDS  the preface and nothing else: GOAWAY and closed within SECONDS + 3
  stop READY_FILE   an idle h2 connection; touches READY_FILE, then waits (60 s at most) for
              the server to stop: GOAWAY NO_ERROR must come before the connection ends
  rapid-reset N  N requests each cancelled at once (HEADERS then RST_STREAM, CVE-2023-44487):
              the connection ends (nghttp2 sends GOAWAY past its reset rate) without a hang
  hold N SECONDS    N idle h2 connections (preface + SETTINGS + SETTINGS ACK) held for
              SECONDS, for measuring memory (scripts/bench-h2.sh); prints "holding N"
"""
import os
import socket
import ssl
import struct
import sys
import threading
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY = 0, 1, 3, 4, 6, 7
failures = 0


def check(description, ok, detail=""):
    global failures
    print(("ok - " if ok else "not ok - ") + description)
    if not ok:
        failures += 1
        if detail:
            print(f"#   {detail}")


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + \
        struct.pack(">I", stream) + payload


def connect(port, ca, alpn=("h2",), timeout=10):
    context = ssl.create_default_context(cafile=ca)
    context.set_alpn_protocols(list(alpn))
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return context.wrap_socket(raw, server_hostname="localhost")


def read_exact(tls, n):
    data = b""
    while len(data) < n:
        chunk = tls.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_frame(tls):
    """(type, flags, stream, payload), or None at the end of the connection."""
    try:
        head = read_exact(tls, 9)
        if head is None:
            return None
        length = int.from_bytes(head[:3], "big")
        payload = read_exact(tls, length) if length else b""
        if payload is None:
            return None
    except (ssl.SSLError, OSError):
        return None
    return head[3], head[4], int.from_bytes(head[5:9], "big") & 0x7FFFFFFF, payload


def frames_until_close(tls, limit=100):
    seen = []
    for _ in range(limit):
        f = read_frame(tls)
        if f is None:
            break
        seen.append(f)
    return seen


def goaway_code(frames):
    for kind, _, _, payload in frames:
        if kind == GOAWAY and len(payload) >= 8:
            return int.from_bytes(payload[4:8], "big")
    return None


def mode_alpn(port, ca):
    with connect(port, ca) as tls:
        check("ALPN ['h2'] only: h2 selected", tls.selected_alpn_protocol() == "h2",
              tls.selected_alpn_protocol())
        print(f"# negotiated: {tls.version()}, {tls.cipher()[0]}, "
              f"ALPN {tls.selected_alpn_protocol()}")
        tls.sendall(PREFACE + frame(SETTINGS, 0, 0))
        first = read_frame(tls)
        check("the server's first frame is SETTINGS on stream 0",
              first is not None and first[0] == SETTINGS and first[2] == 0, repr(first))
        settings = {}
        if first and first[0] == SETTINGS:
            payload = first[3]
            for i in range(0, len(payload) - 5, 6):
                ident, value = struct.unpack(">HI", payload[i:i + 6])
                settings[ident] = value
        check("SETTINGS_MAX_CONCURRENT_STREAMS is 100", settings.get(3) == 100, repr(settings))
        check("SETTINGS_MAX_HEADER_LIST_SIZE is 16384", settings.get(6) == 16384,
              repr(settings))
        # A PING is answered (the connection is alive and nghttp2 drives it).
        tls.sendall(frame(SETTINGS, 1, 0) + frame(PING, 0, 0, b"tern-h2!"))
        acked = False
        for _ in range(10):
            f = read_frame(tls)
            if f is None:
                break
            if f[0] == PING and f[1] & 1 and f[3] == b"tern-h2!":
                acked = True
                break
        check("a PING is answered with its ACK", acked)


def mode_garbage(port, ca):
    with connect(port, ca) as tls:
        tls.sendall(PREFACE + frame(SETTINGS, 0, 0) + frame(DATA, 0, 0, b"not on stream 0"))
        seen = frames_until_close(tls)
        check("DATA on stream 0: GOAWAY PROTOCOL_ERROR (1), then the connection ends",
              goaway_code(seen) == 1, repr([(k, f, s) for k, f, s, _ in seen]))


def mode_bad_preface(port, ca):
    with connect(port, ca) as tls:
        tls.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        seen = frames_until_close(tls)
        check("not the client preface: GOAWAY, then the connection ends",
              goaway_code(seen) is not None, repr([(k, f, s) for k, f, s, _ in seen]))


def mode_head_timeout(port, ca, seconds):
    with connect(port, ca, timeout=seconds + 10) as tls:
        tls.sendall(PREFACE + frame(SETTINGS, 0, 0))
        start = time.monotonic()
        seen = frames_until_close(tls)
        took = time.monotonic() - start
        check(f"no request after the preface: closed after {took:.1f} s "
              f"(--header-timeout {seconds})", seconds - 0.5 <= took <= seconds + 3)
        check("the timeout is announced with GOAWAY NO_ERROR (0)", goaway_code(seen) == 0,
              repr([(k, f, s) for k, f, s, _ in seen]))


def mode_stop(port, ca, ready_file):
    with connect(port, ca, timeout=60) as tls:
        tls.sendall(PREFACE + frame(SETTINGS, 0, 0))
        first = read_frame(tls)  # the server's SETTINGS: the h2 session is up
        open(ready_file, "w").close()
        seen = frames_until_close(tls)
        check("tern serve stopping: GOAWAY NO_ERROR (0) before the connection ends",
              first is not None and goaway_code(seen) == 0,
              repr([(k, f, s) for k, f, s, _ in seen]))


def mode_rapid_reset(port, ca, count):
    # A GET of / with the pseudo-header fields from HPACK's static table and :authority as a
    # literal never indexed: the same block is valid on every stream.
    block = bytes([0x82, 0x87, 0x84, 0x11, 9]) + b"localhost"
    with connect(port, ca, timeout=30) as tls:
        tls.sendall(PREFACE + frame(SETTINGS, 0, 0))
        seen = []
        reader = threading.Thread(target=lambda: seen.extend(frames_until_close(tls, 10**6)))
        reader.start()
        try:
            for i in range(count):
                stream = 2 * i + 1
                tls.sendall(frame(HEADERS, 0x5, stream, block) +
                            frame(RST_STREAM, 0, stream, struct.pack(">I", 8)))  # CANCEL
            tls.sendall(frame(GOAWAY, 0, 0, struct.pack(">II", 0, 0)))
        except (ssl.SSLError, OSError):
            pass  # the server ended the connection first: what the GOAWAY check reads
        reader.join(60)
        code = goaway_code(seen)
        print(f"# {count} cancelled requests: {len(seen)} frames back, GOAWAY code {code}")
        # nghttp2 answers a reset flood with GOAWAY and closes; the client, still sending,
        # may then get a TCP reset that eats the GOAWAY. What must not happen: a hang.
        check(f"{count} requests cancelled at once: the connection ends, no hang",
              not reader.is_alive())


def mode_hold(port, ca, count, seconds):
    held = []
    for _ in range(count):
        tls = connect(port, ca)
        tls.sendall(PREFACE + frame(SETTINGS, 0, 0))
        read_frame(tls)  # the server's SETTINGS
        tls.sendall(frame(SETTINGS, 1, 0))
        held.append(tls)
    print(f"holding {len(held)}", flush=True)
    time.sleep(seconds)
    for tls in held:
        tls.close()


def main():
    port, ca, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if mode == "alpn":
        mode_alpn(port, ca)
    elif mode == "garbage":
        mode_garbage(port, ca)
    elif mode == "bad-preface":
        mode_bad_preface(port, ca)
    elif mode == "head-timeout":
        mode_head_timeout(port, ca, float(sys.argv[4]))
    elif mode == "stop":
        mode_stop(port, ca, sys.argv[4])
    elif mode == "rapid-reset":
        mode_rapid_reset(port, ca, int(sys.argv[4]))
    elif mode == "hold":
        mode_hold(port, ca, int(sys.argv[4]), float(sys.argv[5]))
    else:
        sys.exit(f"unknown mode {mode}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
