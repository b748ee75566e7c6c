# SPDX-License-Identifier: Apache-2.0
"""Python's ssl module (OpenSSL underneath) as a mutual-TLS client of tern serve.

Usage: python3 interop_mtls.py PORT PKI_DIR DOCROOT
The server must run with --client-ca PKI_DIR/root.pem --require-client-cert.
Prints "ok - ..." / "not ok - ..." lines and "# ..." notes; exits 1 if a check failed.
"""
import pathlib
import socket
import ssl
import sys

port, pki, docroot = int(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
small = (docroot / "small.txt").read_bytes()
failures = 0
REQUEST = b"GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def check(description, passed, detail=""):
    global failures
    print(("ok - " if passed else "not ok - ") + description)
    if not passed:
        failures += 1
        if detail:
            print("#   " + str(detail))


def fetch(version, chain=None, key=None):
    """One GET /small.txt; returns (tls version, body) or raises ssl.SSLError / OSError."""
    context = ssl.create_default_context(cafile=str(pki / "root.pem"))
    context.minimum_version = context.maximum_version = version
    if chain:
        context.load_cert_chain(str(pki / chain), str(pki / key))
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            negotiated = tls.version()
            # In TLS 1.3 the server's verdict on the client certificate arrives after the
            # client's handshake is done: it surfaces on the first read.
            tls.sendall(REQUEST)
            data = b""
            while chunk := tls.recv(65536):
                data += chunk
    end = data.find(b"\r\n\r\n")
    return negotiated, data[end + 4:] if end >= 0 else b""


versions = {"1.3": ssl.TLSVersion.TLSv1_3, "1.2": ssl.TLSVersion.TLSv1_2}
refusals = {"1.3": "TLSV13_ALERT_CERTIFICATE_REQUIRED", "1.2": "SSLV3_ALERT_HANDSHAKE_FAILURE"}
for name, version in versions.items():
    for chain, key in (("client-chain.pem", "client.key"), ("client-rsa-chain.pem", "client-rsa.key")):
        label = f"python TLS {name}, load_cert_chain({chain})"
        try:
            negotiated, body = fetch(version, chain, key)
            check(f"{label}: TLSv{name}, body matches", negotiated == f"TLSv{name}" and body == small,
                  f"{negotiated}, {len(body)} bytes")
            print(f"# {label}: {negotiated}")
        except (OSError, ssl.SSLError) as error:
            check(f"{label}: TLSv{name}, body matches", False, repr(error))

    for chain, key, reasons, what in (
            (None, None, (refusals[name],), "no certificate"),
            ("other-client.pem", "other-client.key",
             ("TLSV1_ALERT_UNKNOWN_CA", "SSLV3_ALERT_BAD_CERTIFICATE"), "other-client.pem")):
        label = f"python TLS {name}, {what}: refused ({' or '.join(reasons)})"
        try:
            negotiated, body = fetch(version, chain, key)
            check(label, False, f"served: {negotiated}, {len(body)} bytes")
        except ssl.SSLError as error:
            check(label, error.reason in reasons, repr(error))
            print(f"# python TLS {name}, {what}: {error.reason}")
        except OSError as error:
            check(label, False, repr(error))

sys.exit(1 if failures else 0)
