# SPDX-License-Identifier: Apache-2.0
"""Python's ssl module (OpenSSL underneath, its default client settings) against tern serve.

Usage: python3 interop_server_python.py PORT ROOT_PEM DOCROOT
Prints "ok - ..." / "not ok - ..." lines and "# ..." notes; exits 1 if a check failed.
"""
import http.client
import pathlib
import socket
import ssl
import sys

port, root_pem, docroot = int(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3])
failures = 0


def check(description, passed, detail=""):
    global failures
    print(("ok - " if passed else "not ok - ") + description)
    if not passed:
        failures += 1
        if detail:
            print("#   " + str(detail))


context = ssl.create_default_context(cafile=root_pem)  # verifies chain and hostname
context.set_alpn_protocols(["http/1.1"])

# A bare TLS connection: what was negotiated.
try:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            version, cipher, alpn = tls.version(), tls.cipher(), tls.selected_alpn_protocol()
            peer = tls.getpeercert()
    print(f"# negotiated: {version}, {cipher[0]} ({cipher[2]} bits), ALPN {alpn}, "
          f"peer subject {peer['subject']}")
    check("handshake verified against the test root, TLS 1.3", version == "TLSv1.3", version)
    check("an AEAD suite of TLS 1.3",
          cipher[0] in ("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                        "TLS_CHACHA20_POLY1305_SHA256"), cipher)
    check("ALPN http/1.1 (offered) selected", alpn == "http/1.1", alpn)
except (OSError, ssl.SSLError) as error:
    check("handshake verified against the test root, TLS 1.3", False, repr(error))

# Two GETs on one connection (http.client keeps it open), each body byte for byte.
try:
    connection = http.client.HTTPSConnection("localhost", port, context=context, timeout=20)
    for name in ("index.html", "small.txt"):
        connection.request("GET", "/" + name)
        response = connection.getresponse()
        body = response.read()
        check(f"GET /{name}: 200, body matches the file",
              response.status == 200 and body == (docroot / name).read_bytes(),
              f"status {response.status}, {len(body)} bytes")
    check("both requests on one connection", connection.sock is not None)
    connection.close()
except (OSError, ssl.SSLError, http.client.HTTPException) as error:
    check("two GETs on one connection", False, repr(error))

# The wrong name must be refused by Python's verification (tern sends the localhost chain).
try:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        with context.wrap_socket(raw, server_hostname="www.example.org"):
            pass
    check("a client asking for www.example.org rejects the certificate", False, "accepted")
except ssl.SSLCertVerificationError as error:
    check("a client asking for www.example.org rejects the certificate", True)
    print(f"#   python said: {error.verify_message}")
except (OSError, ssl.SSLError) as error:
    check("a client asking for www.example.org rejects the certificate", False, repr(error))

sys.exit(1 if failures else 0)
