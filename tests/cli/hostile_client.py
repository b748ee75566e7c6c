#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Hostile clients against a running `tern serve` (driven by serve_hostile.sh).

Usage: hostile_client.py PORT ROOT_PEM CASE [ARGS]
Each case prints "ok - ..." / "not ok - ..." lines (TAP style) and exits 1 if any failed.
Every socket operation has a timeout, so a server that hangs fails the case instead of
hanging the test.
"""
import resource
import select
import socket
import ssl
import sys
import time

PORT = int(sys.argv[1])
ROOT = sys.argv[2]
ALERTS = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
          22: "record_overflow", 40: "handshake_failure", 47: "illegal_parameter",
          50: "decode_error", 70: "protocol_version", 80: "internal_error"}
failures = 0


def report(passed, description, detail=""):
    global failures
    print(("ok - " if passed else "not ok - ") + description)
    if detail:
        print("#   " + detail)
    if not passed:
        failures += 1


def connect():
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    sock.settimeout(10)
    return sock


def record(content_type, body, version=b"\x03\x03"):
    return bytes([content_type]) + version + len(body).to_bytes(2, "big") + body


def read_until_closed(sock, limit=1 << 20):
    """What the server sends until it closes (or 10 s pass: then None)."""
    data = b""
    try:
        while len(data) < limit:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk
    except socket.timeout:
        return None
    except ConnectionResetError:
        return data
    return data


def alert_in(data):
    """The description of the plaintext alert record the server answered with, if any."""
    if data and len(data) >= 7 and data[0] == 21 and data[3:5] == b"\x00\x02":
        return data[6]
    return None


def expect_alert(description, payload, wanted):
    sock = connect()
    sock.sendall(payload)
    data = read_until_closed(sock)
    sock.close()
    if data is None:
        report(False, description, "no answer and no close within 10 s")
        return
    got = alert_in(data)
    report(got in wanted, description,
           "answer: %s" % (ALERTS.get(got, got) if got is not None else data[:16].hex() or "EOF"))


def client_hello():
    """A real ClientHello (TLS 1.3 only) from Python's ssl, and the objects to continue it."""
    context = ssl.create_default_context(cafile=ROOT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read(), tls, incoming, outgoing


def handshake_over(sock, tls, incoming, outgoing, deadline):
    """Finishes the MemoryBIO handshake over sock; True when done."""
    while time.monotonic() < deadline:
        try:
            tls.do_handshake()
            sock.sendall(outgoing.read())
            return True
        except ssl.SSLWantReadError:
            pending = outgoing.read()
            if pending:
                sock.sendall(pending)
            chunk = sock.recv(65536)
            if not chunk:
                return False
            incoming.write(chunk)
    return False


def case_records():
    expect_alert("garbage (an HTTP request on the TLS port): an alert, then close",
                 b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", {10, 50, 70})
    expect_alert("random bytes: an alert, then close", bytes(range(256)) * 4, {10, 50, 70})
    expect_alert("oversized record (2^14 + 257 bytes): record_overflow",
                 record(22, b"\x01" + b"\x00" * (16384 + 256)), {22})
    expect_alert("Finished as the first handshake message: unexpected_message",
                 record(22, b"\x14\x00\x00\x20" + b"\x00" * 32), {10})
    expect_alert("application data before any handshake: unexpected_message",
                 record(23, b"\x00" * 40), {10})
    hello, _, _, _ = client_hello()
    truncated = hello[: len(hello) // 2]
    sock = connect()
    sock.sendall(truncated)
    sock.shutdown(socket.SHUT_WR)
    data = read_until_closed(sock)
    sock.close()
    report(data is not None, "half a ClientHello, then the client's FIN: the server closes",
           "" if data is not None else "still open after 10 s")


def case_split_hello():
    hello, tls, incoming, outgoing = client_hello()
    body = b""
    at = 0
    while at < len(hello):  # the ClientHello's records, reassembled
        length = int.from_bytes(hello[at + 3:at + 5], "big")
        body += hello[at + 5:at + 5 + length]
        at += 5 + length
    sock = connect()
    sock.sendall(b"".join(record(22, body[i:i + 1], b"\x03\x01") for i in range(len(body))))
    done = handshake_over(sock, tls, incoming, outgoing, time.monotonic() + 15)
    report(done, "a ClientHello in %d one-byte records: the handshake completes" % len(body))
    if not done:
        return
    tls.write(b"GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    sock.sendall(outgoing.read())
    response = b""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        chunk = sock.recv(65536)
        if not chunk:
            break
        incoming.write(chunk)
        try:
            while True:
                data = tls.read(65536)
                if not data:  # close_notify
                    break
                response += data
        except (ssl.SSLWantReadError, ssl.SSLZeroReturnError):
            pass
        if b"\r\n\r\n" in response and response.endswith(b"\n"):
            break
    sock.close()
    report(response.startswith(b"HTTP/1.1 200"), "and then serves GET /small.txt",
           response[:40].decode("latin-1"))


def case_coalesce(path, size):
    """GETs `path` (a file of `size` bytes) on a kept-alive connection and counts the TLS
    records of the answer: under 16 KiB of head and body must come as one record."""
    hello, tls, incoming, outgoing = client_hello()
    sock = connect()
    sock.sendall(hello)
    if not handshake_over(sock, tls, incoming, outgoing, time.monotonic() + 15):
        report(False, "handshake for the coalescing check")
        return
    tls.write(b"GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n" % path.encode())
    sock.sendall(outgoing.read())
    raw, plain = b"", b""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and len(plain) < size:
        chunk = sock.recv(65536)
        if not chunk:
            break
        raw += chunk
        incoming.write(chunk)
        try:
            while True:
                data = tls.read(65536)
                if not data:
                    break
                plain += data
        except ssl.SSLWantReadError:
            pass
    at, lengths = 0, []
    while at + 5 <= len(raw):  # the records that carried the answer (and session tickets)
        lengths.append(int.from_bytes(raw[at + 3:at + 5], "big"))
        at += 5 + lengths[-1]
    sock.close()
    # TLS 1.3 session tickets may arrive here too, in a small record of their own.
    big = [n for n in lengths if n > 1024]
    report(len(plain) > size and len(big) == 1 and big[0] > size,
           "a %d-byte file and its headers come in one TLS record" % size,
           "record sizes %s, %d bytes of plaintext" % (lengths, len(plain)))


def case_stall(count):
    """Opens `count` connections that each send half a ClientHello and then nothing.
    Prints "stalled N" once they are all open, waits for a line on stdin (the shell checks
    that other clients are still served meanwhile), then counts how many the server closed
    (its handshake timeout) within a bounded wait."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 100)), hard))
    hello, _, _, _ = client_hello()
    half = hello[: len(hello) // 2]
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", PORT), timeout=10)
        sock.sendall(half)
        sock.setblocking(False)
        sockets.append(sock)
    print("stalled %d" % len(sockets), flush=True)
    sys.stdin.readline()
    open_ones = {sock.fileno(): sock for sock in sockets}
    poller = select.poll()  # select() cannot watch descriptors above 1023
    for fd in open_ones:
        poller.register(fd, select.POLLIN)
    deadline = time.monotonic() + 30
    while open_ones and time.monotonic() < deadline:
        for fd, _ in poller.poll(1000):
            try:
                if open_ones[fd].recv(65536):
                    continue  # an alert before the close
            except BlockingIOError:
                continue
            except ConnectionResetError:
                pass
            poller.unregister(fd)
            del open_ones[fd]
    report(not open_ones,
           "tern serve closed all %d stalled handshakes (handshake timeout)" % count,
           "%d still open after 30 s" % len(open_ones) if open_ones else "")
    for sock in sockets:
        sock.close()


if __name__ == "__main__":
    case = sys.argv[3]
    if case == "records":
        case_records()
    elif case == "split-hello":
        case_split_hello()
    elif case == "coalesce":
        case_coalesce(sys.argv[4], int(sys.argv[5]))
    elif case == "stall":
        case_stall(int(sys.argv[4]))
    else:
        sys.exit("unknown case " + case)
    sys.exit(1 if failures else 0)
