# SPDX-License-Identifier: Apache-2.0
"""Python's ssl module (OpenSSL underneath) resuming sessions of tern serve.

Usage: python3 interop_resumption.py PORT ROOT_PEM DOCROOT
For TLS 1.3 (tickets), TLS 1.2 with tickets and TLS 1.2 with session IDs only (OP_NO_TICKET):
a first connection, then a second one with wrap_socket(session=first.session), which must say
session_reused. Prints "ok - ..." / "not ok - ..." lines and "# ..." notes; exits 1 on failure.
"""
import pathlib
import socket
import ssl
import sys

port, root_pem, docroot = int(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3])
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


def fetch(context, session=None):
    """One GET /small.txt; returns (version, session_reused, session, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        with context.wrap_socket(raw, server_hostname="localhost", session=session) as tls:
            tls.sendall(REQUEST)
            data = b""
            while chunk := tls.recv(65536):
                data += chunk
            # TLS 1.3 tickets come after the handshake: read the response before taking the
            # session (and take it before the socket closes).
            result = tls.version(), tls.session_reused, tls.session
    end = data.find(b"\r\n\r\n")
    return result + (data[end + 4:] if end >= 0 else b"",)


cases = (("TLS 1.3 (tickets)", ssl.TLSVersion.TLSv1_3, False),
         ("TLS 1.2 (tickets)", ssl.TLSVersion.TLSv1_2, False),
         ("TLS 1.2 (session IDs, OP_NO_TICKET)", ssl.TLSVersion.TLSv1_2, True))
for label, version, no_ticket in cases:
    context = ssl.create_default_context(cafile=root_pem)
    context.minimum_version = context.maximum_version = version
    if no_ticket:
        context.options |= ssl.OP_NO_TICKET
    expected = "TLSv1.3" if version == ssl.TLSVersion.TLSv1_3 else "TLSv1.2"
    try:
        negotiated, reused, session, body = fetch(context)
        check(f"python {label}: first connection, full handshake, body matches",
              negotiated == expected and not reused and body == small,
              f"{negotiated}, reused {reused}, {len(body)} bytes")
        print(f"# python {label} first: {negotiated}, ticket: {session and session.has_ticket}, "
              f"session id: {session.id.hex() if session and session.id else '(none)'}, "
              f"lifetime hint: {session and session.ticket_lifetime_hint}")
        negotiated, reused, _, body = fetch(context, session)
        check(f"python {label}: wrap_socket(session=...): session_reused, body matches",
              negotiated == expected and reused and body == small,
              f"{negotiated}, reused {reused}, {len(body)} bytes")
    except (OSError, ssl.SSLError, ValueError) as error:
        check(f"python {label}: session reuse", False, repr(error))

sys.exit(1 if failures else 0)
