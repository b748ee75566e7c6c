# SPDX-License-Identifier: Apache-2.0
"""Raw HTTP/1.1 heads against `tern serve`, each on its own TLS connection, for
tests/cli/serve_paths_framing.sh: bare-LF line ends, ambiguous framing (request smuggling
behind a proxy), redirects built from the normalised path. Prints TAP lines ("ok - ",
"not ok - "). Usage: serve_framing.py PORT ROOT_PEM MARKER"""
import re
import socket
import ssl
import sys

port, root_pem, marker = int(sys.argv[1]), sys.argv[2], sys.argv[3]
context = ssl.create_default_context(cafile=root_pem)


def exchange(request):
    """Sends `request`, returns all the server sends until it closes (each wait <= 20 s)."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(request)
            data = b""
            while True:
                try:
                    chunk = tls.recv(65536)
                except (ssl.SSLError, ConnectionError, socket.timeout):
                    break
                if not chunk:
                    break
                data += chunk
            return data


def check(description, ok, response):
    print(("ok - " if ok else "not ok - ") + description)
    if not ok:
        print("#   response: %r" % response[:300])


def statuses(response):
    """The status codes of the responses in `response` (a body here ends with a newline)."""
    return re.findall(rb"(?:^|\n)HTTP/1\.1 (\d{3}) ", response)


r = exchange(b"GET /small.txt HTTP/1.0\n\n")
check("a bare-LF HTTP/1.0 request (GET /small.txt HTTP/1.0\\n\\n) is answered",
      r.startswith(b"HTTP/1.1 200") and marker.encode() in r, r)

# With bare LF a line end, the Content-Length after "X: y\n" counts: its 5 bytes are the
# body and the second request is answered; were it hidden, "hello" would start a request.
r = exchange(b"GET /small.txt HTTP/1.1\r\nHost: localhost\r\nX: y\nContent-Length: 5\r\n\r\nhello"
             b"GET /small.txt HTTP/1.1\nHost: localhost\nConnection: close\n\n")
check("a Content-Length after a bare LF frames the body: two requests, two 200s",
      statuses(r) == [b"200", b"200"], r)

bad = {
    "two Content-Length fields, same value": b"Content-Length: 5\r\nContent-Length: 5\r\n",
    "two Content-Length fields, different values": b"Content-Length: 5\r\nContent-Length: 7\r\n",
    "a Content-Length list (5, 5)": b"Content-Length: 5, 5\r\n",
    "Transfer-Encoding with Content-Length": b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
    "obs-fold": b"X: y\r\n Content-Length: 5\r\n",
    "a bare CR": b"X: y\rContent-Length: 5\r\n",
    "whitespace before the colon": b"Content-Length : 5\r\n",
}
for name, fields in bad.items():
    r = exchange(b"GET /small.txt HTTP/1.1\r\nHost: localhost\r\n" + fields + b"\r\nhelloGET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
    check(name + ": 400 and the connection closed (one response)", statuses(r) == [b"400"], r)

r = exchange(b"GET //example.com HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
check("GET //example.com: 301 to /example.com/, not to another host",
      r.startswith(b"HTTP/1.1 301") and b"\r\nLocation: /example.com/\r\n" in r, r)
r = exchange(b"GET /leak/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
check("an index.html linked to a sibling directory sharing the root's name: 404",
      r.startswith(b"HTTP/1.1 404") and b"sibling secret" not in r, r)
r = exchange(b"GET /sibling/index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
check("a symlink to that sibling directory: 404", r.startswith(b"HTTP/1.1 404"), r)
