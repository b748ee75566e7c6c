#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A Bleichenbacher-oracle probe for a TLS 1.2 server's RSA key transport (RFC 5246 7.4.7.1).

Usage:
  rsa_kex_oracle.py PORT hello                 ClientHello offering only TLS_RSA_WITH_AES_128_GCM_SHA256;
                                               prints the server's answer ("# answer: ...")
  rsa_kex_oracle.py PORT probe [ROUNDS] [BUDGET_S]
                                               positive control, then every malformed
                                               ClientKeyExchange, ROUNDS times each

A raw-socket TLS 1.2 client on 127.0.0.1: ClientHello with extended_master_secret,
renegotiation_info and signature_algorithms offering only 0x009C; reads ServerHello,
Certificate (the RSA key comes from it) and ServerHelloDone; then sends ClientKeyExchange,
ChangeCipherSpec and an encrypted Finished (one write) computed from the premaster secret the
probe *claims*, and records everything the server sends until it closes.

Positive control: a valid ClientKeyExchange with the matching Finished must complete the
handshake (the server's ChangeCipherSpec and Finished decrypt and verify, and a GET on the
connection is answered), which proves the probe's PRF, extended master secret, key block and
AES-128-GCM record protection (RFC 5246, 5288, 7627).

Variants (each followed by a Finished from a premaster the server cannot have):
  a valid padding, version 03 03, but the Finished is from another random premaster
  b block type 00 01       c no zero separator      d zero separator early (47-byte premaster)
  e 49-byte premaster      f client_version 03 01   g ciphertext one byte shorter than the
  modulus                  h ciphertext = 0 (modulus-length zero bytes)
The check: every variant, every round, gets the identical response (the same bytes, the same
way of closing). Median response times are printed as notes: information only.

Prints "ok - ..." / "not ok - ..." and "# ..." lines; exits 1 if a check failed.
"""
import hashlib
import hmac
import os
import socket
import statistics
import struct
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HOST = "127.0.0.1"
SUITE = 0x009C  # TLS_RSA_WITH_AES_128_GCM_SHA256
ALERTS = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
          22: "record_overflow", 40: "handshake_failure", 42: "bad_certificate",
          47: "illegal_parameter", 50: "decode_error", 51: "decrypt_error",
          70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
          86: "inappropriate_fallback", 90: "user_canceled", 100: "no_renegotiation",
          109: "missing_extension", 110: "unsupported_extension", 112: "unrecognized_name"}
failures = 0


def check(description, passed, detail=""):
    global failures
    print(("ok - " if passed else "not ok - ") + description, flush=True)
    if not passed:
        failures += 1
        for line in str(detail).splitlines():
            print("#   " + line)


def note(text):
    print("# " + text, flush=True)


# --- TLS 1.2 PRF (RFC 5246 5) with SHA-256 ---
def p_sha256(secret, seed, size):
    out, a = b"", seed
    while len(out) < size:
        a = hmac.new(secret, a, hashlib.sha256).digest()
        out += hmac.new(secret, a + seed, hashlib.sha256).digest()
    return out[:size]


def prf(secret, label, seed, size):
    return p_sha256(secret, label + seed, size)


# --- messages ---
def ext(kind, body):
    return struct.pack(">HH", kind, len(body)) + body


def handshake(kind, body):
    return bytes([kind]) + len(body).to_bytes(3, "big") + body


def record(kind, body, version=0x0303):
    return struct.pack(">BHH", kind, version, len(body)) + body


def client_hello(client_random):
    sigalgs = [0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0403, 0x0503]
    extensions = (
        ext(0x0000, struct.pack(">HBH", 12, 0, 9) + b"localhost")  # server_name
        + ext(0x0017, b"")  # extended_master_secret
        + ext(0xFF01, b"\x00")  # renegotiation_info, empty
        + ext(0x000D, struct.pack(">H", 2 * len(sigalgs)) + b"".join(
            struct.pack(">H", s) for s in sigalgs)))
    body = (b"\x03\x03" + client_random + b"\x00"  # no session id
            + struct.pack(">HH", 2, SUITE) + b"\x01\x00"  # null compression only
            + struct.pack(">H", len(extensions)) + extensions)
    return handshake(1, body)


class Closed(Exception):
    pass


class Conn:
    """One TCP connection: records in, with everything received kept in `raw`."""

    def __init__(self, port, timeout):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.buf = b""
        self.raw = b""
        self.closed = None  # "eof", "reset" or "timeout" once the read side ended

    def fill(self):
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            self.closed = "timeout"
            raise Closed()
        except ConnectionResetError:
            self.closed = "reset"
            raise Closed()
        if not chunk:
            self.closed = "eof"
            raise Closed()
        self.raw += chunk
        self.buf += chunk

    def record(self):
        while len(self.buf) < 5 or len(self.buf) < 5 + int.from_bytes(self.buf[3:5], "big"):
            self.fill()
        size = 5 + int.from_bytes(self.buf[3:5], "big")
        rec, self.buf = self.buf[:size], self.buf[size:]
        return rec[0], rec[5:]

    def drain(self):
        """Reads until the server closes (or the timeout); returns how the read side ended."""
        try:
            while True:
                self.fill()
        except Closed:
            return self.closed

    def close(self):
        self.sock.close()


def describe(raw):
    """The records of a response, readably: alerts decoded, others by type and size."""
    parts, at = [], 0
    while at + 5 <= len(raw):
        kind, size = raw[at], int.from_bytes(raw[at + 3:at + 5], "big")
        body = raw[at + 5:at + 5 + size]
        if kind == 21 and len(body) == 2:
            level = {1: "warning", 2: "fatal"}.get(body[0], str(body[0]))
            parts.append(f"alert {level} {ALERTS.get(body[1], body[1])}")
        else:
            parts.append({20: "ChangeCipherSpec", 22: "handshake", 23: "application_data",
                          21: "alert"}.get(kind, f"type {kind}") + f" ({size} bytes)")
        at += 5 + size
    if at < len(raw):
        parts.append(f"{len(raw) - at} stray bytes")
    return ", ".join(parts) or "nothing"


def hello_exchange(port, timeout):
    """Sends the ClientHello and reads up to ServerHelloDone. Returns the state, or None and
    the connection (what the server answered instead is in conn.raw)."""
    client_random = os.urandom(32)
    hello = client_hello(client_random)
    conn = Conn(port, timeout)
    conn.sock.sendall(record(22, hello, 0x0301))
    transcript = hello
    messages, hs_buf = {}, b""
    try:
        while 14 not in messages:
            kind, body = conn.record()
            if kind != 22:
                conn.drain()
                return None, conn
            hs_buf += body
            while len(hs_buf) >= 4 and len(hs_buf) >= 4 + int.from_bytes(hs_buf[1:4], "big"):
                size = 4 + int.from_bytes(hs_buf[1:4], "big")
                message, hs_buf = hs_buf[:size], hs_buf[size:]
                messages[message[0]] = message
                transcript += message
    except Closed:
        return None, conn
    server_hello = messages.get(2)
    if server_hello is None or 11 not in messages:
        raise ValueError("no ServerHello or Certificate before ServerHelloDone")
    body = server_hello[4:]
    server_random = body[2:34]
    sid_len = body[34]
    suite = int.from_bytes(body[35 + sid_len:37 + sid_len], "big")
    at = 38 + sid_len
    ext_types = []
    if at + 2 <= len(body):
        end = at + 2 + int.from_bytes(body[at:at + 2], "big")
        at += 2
        while at + 4 <= end:
            ext_types.append(int.from_bytes(body[at:at + 2], "big"))
            at += 4 + int.from_bytes(body[at + 2:at + 4], "big")
    cert_msg = messages[11][4:]
    first_len = int.from_bytes(cert_msg[3:6], "big")
    leaf = x509.load_der_x509_certificate(cert_msg[6:6 + first_len])
    numbers = leaf.public_key().public_numbers()
    state = dict(conn=conn, client_random=client_random, server_random=server_random,
                 version=body[0:2], suite=suite, extensions=ext_types, transcript=transcript,
                 n=numbers.n, e=numbers.e, k=(numbers.n.bit_length() + 7) // 8,
                 cert_subject=leaf.subject.rfc4514_string(), certificate_request=13 in messages)
    return state, conn


# --- PKCS#1 v1.5 encryption blocks (RFC 8017 7.2.1), built by hand so they can be wrong ---
def nonzero(size):
    out = b""
    while len(out) < size:
        out += bytes(b for b in os.urandom(size) if b)
    return out[:size]


def rsa_raw(state, block):
    assert len(block) == state["k"]
    return pow(int.from_bytes(block, "big"), state["e"], state["n"]).to_bytes(state["k"], "big")


def pad_type2(state, message, block_type=b"\x02", separator=True):
    k = state["k"]
    if separator:
        return b"\x00" + block_type + nonzero(k - 3 - len(message)) + b"\x00" + message
    return b"\x00" + block_type + nonzero(k - 2)


def premaster(version=b"\x03\x03", size=48):
    return version + os.urandom(size - 2)


def variant_ciphertext(name, state):
    """(encrypted premaster as sent, premaster the probe claims for its Finished)."""
    k = state["k"]
    claimed = premaster()  # never the one encrypted: the attacker does not know it
    if name == "a valid padding, other Finished":
        return rsa_raw(state, pad_type2(state, premaster())), claimed
    if name == "b block type 00 01":
        return rsa_raw(state, pad_type2(state, premaster(), block_type=b"\x01")), claimed
    if name == "c no zero separator":
        return rsa_raw(state, pad_type2(state, b"", separator=False)), claimed
    if name == "d separator early (47-byte premaster)":
        return rsa_raw(state, pad_type2(state, premaster(size=47))), claimed
    if name == "e 49-byte premaster":
        return rsa_raw(state, pad_type2(state, premaster(size=49))), claimed
    if name == "f client_version 03 01":
        return rsa_raw(state, pad_type2(state, premaster(version=b"\x03\x01"))), claimed
    if name == "g ciphertext one byte short":
        return b"\x01" + os.urandom(k - 2), claimed
    if name == "h ciphertext zero":
        return bytes(k), claimed
    raise KeyError(name)


VARIANTS = ["a valid padding, other Finished", "b block type 00 01", "c no zero separator",
            "d separator early (47-byte premaster)", "e 49-byte premaster",
            "f client_version 03 01", "g ciphertext one byte short", "h ciphertext zero"]


# --- keys and records after ChangeCipherSpec ---
def keys(state, pms, transcript):
    session_hash = hashlib.sha256(transcript).digest()
    master = prf(pms, b"extended master secret", session_hash, 48)
    block = prf(master, b"key expansion", state["server_random"] + state["client_random"], 40)
    return dict(master=master, client_key=block[0:16], server_key=block[16:32],
                client_salt=block[32:36], server_salt=block[36:40])


def seal(key, salt, seq, kind, plaintext):
    explicit = seq.to_bytes(8, "big")
    aad = explicit + struct.pack(">BHH", kind, 0x0303, len(plaintext))
    return record(kind, explicit + AESGCM(key).encrypt(salt + explicit, plaintext, aad))


def open_record(key, salt, seq, kind, fragment):
    explicit, sealed = fragment[:8], fragment[8:]
    aad = seq.to_bytes(8, "big") + struct.pack(">BHH", kind, 0x0303, len(sealed) - 16)
    return AESGCM(key).decrypt(salt + explicit, sealed, aad)


def client_flight(state, encrypted_pms, claimed_pms):
    """ClientKeyExchange, ChangeCipherSpec and the encrypted Finished, as one byte string;
    and the key material and transcript (through the client's Finished) they imply."""
    cke = handshake(16, len(encrypted_pms).to_bytes(2, "big") + encrypted_pms)
    transcript = state["transcript"] + cke
    material = keys(state, claimed_pms, transcript)
    verify = prf(material["master"], b"client finished", hashlib.sha256(transcript).digest(), 12)
    finished = handshake(20, verify)
    flight = (record(22, cke) + record(20, b"\x01")
              + seal(material["client_key"], material["client_salt"], 0, 22, finished))
    return flight, material, transcript + finished


def positive_control(port, timeout, request):
    try:
        state, conn = hello_exchange(port, timeout)
    except (OSError, ValueError, IndexError) as error:
        check("positive control: the server answered the RSA-only ClientHello with its "
              "ServerHello, Certificate and ServerHelloDone", False,
              f"{type(error).__name__}: {error}")
        return None
    if state is None:
        check("positive control: the server answered the RSA-only ClientHello with its "
              "ServerHello, Certificate and ServerHelloDone", False,
              f"got: {describe(conn.raw)}, then {conn.closed}")
        return None
    note(f"server chose suite 0x{state['suite']:04X}, version {state['version'].hex()}, "
         f"extensions {[hex(e) for e in state['extensions']]}, RSA-{state['n'].bit_length()} "
         f"key of {state['cert_subject']}")
    check("server chose TLS_RSA_WITH_AES_128_GCM_SHA256 in TLS 1.2",
          state["suite"] == SUITE and state["version"] == b"\x03\x03",
          f"suite 0x{state['suite']:04X} version {state['version'].hex()}")
    check("server echoed extended_master_secret and renegotiation_info",
          0x0017 in state["extensions"] and 0xFF01 in state["extensions"],
          state["extensions"])
    pms = premaster()
    flight, material, transcript = client_flight(state, rsa_raw(state, pad_type2(state, pms)),
                                                 pms)
    conn.sock.sendall(flight)
    detail, completed = "", False
    try:
        kind, body = conn.record()
        if (kind, body) != (20, b"\x01"):
            raise ValueError(f"expected ChangeCipherSpec, got {describe(conn.raw[-5 - len(body):])}")
        kind, body = conn.record()
        if kind != 22:
            raise ValueError(f"expected the encrypted Finished, got type {kind}")
        finished = open_record(material["server_key"], material["server_salt"], 0, 22, body)
        expected = prf(material["master"], b"server finished",
                       hashlib.sha256(transcript).digest(), 12)
        if finished != handshake(20, expected):
            raise ValueError("the server's Finished has the wrong verify_data")
        completed = True
        conn.sock.sendall(seal(material["client_key"], material["client_salt"], 1, 23, request))
        answer, seq = b"", 1
        try:
            while True:
                kind, body = conn.record()
                plain = open_record(material["server_key"], material["server_salt"], seq, kind, body)
                seq += 1
                if kind == 21:
                    break
                answer += plain
        except Closed:
            pass
        first_line = answer.split(b"\r\n", 1)[0].decode(errors="replace")
        note(f"positive control: response {first_line!r}, {len(answer)} bytes")
        check("positive control: a GET over the probe's keys is answered (HTTP 200)",
              b" 200 " in answer.split(b"\r\n", 1)[0], first_line or "no answer")
    except Exception as error:  # noqa: BLE001 - any failure here is a finding, reported
        detail = f"{type(error).__name__}: {error}; received: {describe(conn.raw)}, {conn.closed}"
    check("positive control: a valid ClientKeyExchange with the matching Finished completes "
          "the handshake (server CCS + Finished decrypt and verify)", completed, detail)
    conn.close()
    return state if completed else None


def one_round(port, timeout, name):
    try:
        return one_round_inner(port, timeout, name)
    except (OSError, ValueError, IndexError) as error:
        return f"error: {type(error).__name__}: {error}", None


def one_round_inner(port, timeout, name):
    state, conn = hello_exchange(port, timeout)
    if state is None:
        conn.close()
        return ("no ServerHelloDone: " + describe(conn.raw) + ", " + str(conn.closed)), None
    before = len(conn.raw)
    flight, _, _ = client_flight(state, *variant_ciphertext(name, state))
    start = time.perf_counter()
    conn.sock.sendall(flight)
    first = None
    try:
        conn.fill()
        first = time.perf_counter() - start
    except Closed:
        first = time.perf_counter() - start
    how = conn.drain() if conn.closed is None else conn.closed
    conn.close()
    response = conn.raw[before:]
    return (f"{describe(response)}; then {how}; bytes {response.hex()}"), first


def probe(port, rounds, budget):
    deadline = time.monotonic() + budget
    timeout = 5.0
    request = b"GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    if positive_control(port, timeout, request) is None:
        check("probe usable (positive control passed)", False)
        return
    responses = {name: [] for name in VARIANTS}
    times = {name: [] for name in VARIANTS}
    done = 0
    for round_number in range(rounds):
        if round_number and time.monotonic() > deadline:
            break
        for name in VARIANTS:
            response, elapsed = one_round(port, timeout, name)
            responses[name].append(response)
            if elapsed is not None:
                times[name].append(elapsed)
        done += 1
        if round_number == 0 and any("then timeout" in r[0] for r in responses.values()):
            timeout = 2.0  # a server that never closes: keep the rounds short
    baseline = responses[VARIANTS[0]][0]
    note(f"{done} rounds of {len(VARIANTS)} variants; round 1, variant a: "
         f"{baseline.split('; bytes')[0]}")
    for name in VARIANTS:
        distinct = sorted(set(responses[name]))
        med = statistics.median(times[name]) * 1000 if times[name] else float("nan")
        note(f"variant {name}: {distinct[0].split('; bytes')[0]}"
             + (f" (+{len(distinct) - 1} other responses)" if len(distinct) > 1 else "")
             + f"; median first response {med:.3f} ms over {len(times[name])} rounds")
    every = {r for name in VARIANTS for r in responses[name]}
    detail = "\n".join(f"{name}: {r}" for name in VARIANTS for r in sorted(set(responses[name])))
    check(f"every malformed or unknown premaster gets the identical response "
          f"({len(VARIANTS)} variants x {done} rounds)", len(every) == 1, detail)
    check("that response is a fatal alert and a close (no handshake completed)",
          baseline.startswith("alert fatal") and "then timeout" not in baseline
          and "ChangeCipherSpec" not in baseline, baseline)


def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    if mode == "hello":
        state, conn = hello_exchange(port, 5.0)
        if state is not None:
            note(f"answer: ServerHello suite 0x{state['suite']:04X} ... ServerHelloDone")
        else:
            note(f"answer: {describe(conn.raw)}; then {conn.closed}")
        conn.close()
        return 0
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    budget = float(sys.argv[4]) if len(sys.argv) > 4 else 90
    probe(port, rounds, budget)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
