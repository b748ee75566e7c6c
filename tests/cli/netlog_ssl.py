#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Prints what Chromium negotiated, from its NetLog (--log-net-log=FILE): one line per
SSL_CONNECT end event, "version=TLS 1.3 group=4588 cipher=4865 resumed=False".
Usage: netlog_ssl.py NETLOG.json"""
import json
import sys


def main():
    with open(sys.argv[1]) as f:
        log = json.load(f)
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    for event in log["events"]:
        params = event.get("params", {})
        if names.get(event["type"]) == "SSL_CONNECT" and "key_exchange_group" in params:
            print(f"version={params.get('version')} group={params['key_exchange_group']} "
                  f"cipher={params.get('cipher_suite')} resumed={params.get('is_resumed')}")


if __name__ == "__main__":
    main()
