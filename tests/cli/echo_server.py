# SPDX-License-Identifier: Apache-2.0
# A small HTTPS server for tests/cli/get_curl_flags.sh: it shows `tern get` the requests it
# sent (/echo), and answers what curl's flags react to: statuses, redirects, gzip bodies.
# Usage: python3 echo_server.py CERT KEY PORT   (serves until killed)
import gzip
import http.server
import socketserver
import ssl
import sys
import zlib
from urllib.parse import parse_qs, urlsplit


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        path = url.path
        if path == "/echo" or path.startswith("/echo/"):
            text = f"{self.command} {self.path} {self.request_version}\n"
            text += "".join(f"{k}: {v}\n" for k, v in self.headers.items())
            self.answer(200, text.encode() + b"\n" + body, [("Content-Type", "text/plain")])
        elif path.startswith("/status/"):
            code = int(path.split("/")[2])
            self.answer(code, f"status {code}\n".encode())
        elif path == "/redirect":
            code = int(query.get("code", ["302"])[0])
            self.answer(code, b"moved\n", [("Location", query["to"][0])])
        elif path == "/loop":
            self.answer(302, b"again\n", [("Location", "/loop")])
        elif path == "/gzip":
            self.answer(200, gzip.compress(b"compressed hello\n" * 100),
                        [("Content-Encoding", "gzip")])
        elif path == "/deflate":
            self.answer(200, zlib.compress(b"deflated hello\n" * 100),
                        [("Content-Encoding", "deflate")])
        elif path == "/bomb":
            # 64 MiB of zeros in about 64 KiB: decoding must stream, not hold it.
            self.answer(200, gzip.compress(b"\0" * (64 << 20), 9), [("Content-Encoding", "gzip")])
        elif path == "/range":
            data = b"0123456789abcdefghij"
            spec = self.headers.get("Range", "")
            if spec.startswith("bytes=") and "-" in spec:
                first, last = spec[6:].split("-")
                first, last = int(first or 0), int(last) if last else len(data) - 1
                self.answer(206, data[first:last + 1],
                            [("Content-Range", f"bytes {first}-{last}/{len(data)}")])
            else:
                self.answer(200, data)
        else:
            self.answer(404, b"no such thing\n")

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_PATCH = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def get_request(self):
        sock, address = super().get_request()
        return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
server = Server(("127.0.0.1", int(sys.argv[3])), Handler)
server.serve_forever()
