#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Prints what Chromium's NetLog (--log-net-log=FILE) says about HTTP/2: the protocol each
TLS connection negotiated by ALPN ("negotiated_protocol=h2": SSL_CONNECT's next_proto, and
HTTP_STREAM_REQUEST_PROTO's proto), how many
HTTP/2 sessions were opened ("h2_sessions=N"), and the path of every request sent on one
("h2_request=/style.css", from HTTP2_SESSION_SEND_HEADERS).
Usage: netlog_h2.py NETLOG.json"""
import json
import sys


def header_lines(params):
    headers = params.get("headers", [])
    if isinstance(headers, dict):  # older NetLogs: a name -> value map
        return [f"{k}: {v}" for k, v in headers.items()]
    return headers


def main():
    with open(sys.argv[1]) as f:
        log = json.load(f)
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    protocols, sessions, paths = set(), 0, []
    for event in log["events"]:
        name = names.get(event["type"], "")
        params = event.get("params", {})
        if name == "SSL_CONNECT" and "next_proto" in params:
            protocols.add(params["next_proto"] or "none")
        if name == "HTTP_STREAM_REQUEST_PROTO" and "proto" in params:
            protocols.add(params["proto"])
        if name == "HTTP2_SESSION" and event.get("phase") == 1:  # PHASE_BEGIN
            sessions += 1
        if name == "HTTP2_SESSION_SEND_HEADERS":
            for line in header_lines(params):
                if line.startswith(":path: "):
                    paths.append(line[len(":path: "):])
    for protocol in sorted(protocols):
        print(f"negotiated_protocol={protocol}")
    print(f"h2_sessions={sessions}")
    for path in paths:
        print(f"h2_request={path}")


if __name__ == "__main__":
    main()
