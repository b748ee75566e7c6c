#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A deliberately leaky TLS 1.2 RSA key transport server: the negative control of
rsa_kex_oracle.sh. It completes real handshakes (TLS_RSA_WITH_AES_128_GCM_SHA256, extended
master secret) and answers a GET, but it answers a ClientKeyExchange whose PKCS#1 v1.5
padding is wrong with the alert decrypt_error, and one that decrypts well (with the wrong
Finished) with bad_record_mac: a Bleichenbacher oracle. The probe must flag it.

Usage: leaky_rsa_server.py LEAF_PEM CHAIN_PEM KEY_PEM
Prints its listening port (127.0.0.1) on the first line; serves connections one at a time
until killed (each at most 5 s).
"""
import hashlib
import os
import socket
import sys

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, load_pem_private_key

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rsa_kex_oracle as tls  # noqa: E402 - the probe's PRF, key block and record protection

leaf_pem, chain_pem, key_pem = sys.argv[1:4]
END = b"-----END CERTIFICATE-----"
pems = [block + END for path in (leaf_pem, chain_pem)
        for block in open(path, "rb").read().split(END) if b"-----BEGIN" in block]
certificates = [x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER) for pem in pems]
private = load_pem_private_key(open(key_pem, "rb").read(), None).private_numbers()
n, d = private.public_numbers.n, private.d
k = (n.bit_length() + 7) // 8


def alert(conn, description):
    conn.sock.sendall(tls.record(21, bytes([2, description])))


def serve(conn):
    kind, hello = conn.record()
    if kind != 22 or hello[0] != 1:
        return
    client_random = hello[6:38]
    server_random = os.urandom(32)
    extensions = b"\xff\x01\x00\x01\x00" + b"\x00\x17\x00\x00"
    server_hello = tls.handshake(2, b"\x03\x03" + server_random + b"\x00" + b"\x00\x9c\x00"
                                 + len(extensions).to_bytes(2, "big") + extensions)
    chain = b"".join(len(c).to_bytes(3, "big") + c for c in certificates)
    certificate = tls.handshake(11, len(chain).to_bytes(3, "big") + chain)
    done = tls.handshake(14, b"")
    flight = server_hello + certificate + done
    conn.sock.sendall(tls.record(22, flight))
    transcript = hello + flight
    kind, cke = conn.record()
    if kind != 22 or cke[0] != 16:
        return alert(conn, 10)
    ciphertext = cke[6:]
    block = pow(int.from_bytes(ciphertext, "big"), d, n).to_bytes(k, "big")
    separator = block.find(b"\x00", 2)
    if block[0:2] != b"\x00\x02" or separator != k - 49:
        return alert(conn, 51)  # the leak: decrypt_error for bad padding
    transcript += cke
    state = dict(server_random=server_random, client_random=client_random)
    material = tls.keys(state, block[-48:], transcript)
    kind, ccs = conn.record()
    kind, fragment = conn.record()
    try:
        finished = tls.open_record(material["client_key"], material["client_salt"], 0, 22, fragment)
    except Exception:  # noqa: BLE001 - authentication failed
        return alert(conn, 20)
    expected = tls.prf(material["master"], b"client finished", hashlib.sha256(transcript).digest(), 12)
    if finished != tls.handshake(20, expected):
        return alert(conn, 51)
    transcript += finished
    verify = tls.prf(material["master"], b"server finished", hashlib.sha256(transcript).digest(), 12)
    conn.sock.sendall(tls.record(20, b"\x01") + tls.seal(
        material["server_key"], material["server_salt"], 0, 22, tls.handshake(20, verify)))
    kind, fragment = conn.record()
    tls.open_record(material["client_key"], material["client_salt"], 1, 23, fragment)
    conn.sock.sendall(tls.seal(material["server_key"], material["server_salt"], 1, 23,
                               b"HTTP/1.0 200 ok\r\n\r\nleaky\n")
                      + tls.seal(material["server_key"], material["server_salt"], 2, 21, b"\x01\x00"))


class Accepted(tls.Conn):
    def __init__(self, sock):  # noqa: D107 - a Conn around an accepted socket
        self.sock, self.buf, self.raw, self.closed = sock, b"", b"", None


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(16)
print(listener.getsockname()[1], flush=True)
while True:
    client, _ = listener.accept()
    client.settimeout(5)
    conn = Accepted(client)
    try:
        serve(conn)
    except (tls.Closed, OSError, ValueError, IndexError):
        pass
    client.close()
