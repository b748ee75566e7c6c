#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Opens COUNT TLS connections to 127.0.0.1:PORT (handshake done, no request), holds them,
and prints the resident memory of the server's processes before and after, as one line:

    rss_idle_kib=N rss_held_kib=N held=N

Usage: hold_connections.py PORT COUNT PID [PID...]   (VmRSS summed over the PIDs)

Python's asyncio and ssl (OpenSSL) on the client side; 200 handshakes in flight at a time.
The certificate is not verified: this measures the server, not the PKI.
"""
import asyncio
import resource
import ssl
import sys
import time


def rss_kib(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


async def main(port, count, pids):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < count + 100:
        sys.exit(f"hold_connections: the descriptor limit ({hard}) is below {count} + 100")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    time.sleep(0.5)
    idle = rss_kib(pids)
    gate = asyncio.Semaphore(200)
    held = []

    async def one():
        async with gate:
            for attempt in range(5):
                try:
                    reader, writer = await asyncio.wait_for(
                        asyncio.open_connection("127.0.0.1", port, ssl=ctx,
                                                server_hostname="localhost"), 30)
                    held.append((reader, writer))
                    return
                except (OSError, asyncio.TimeoutError, ssl.SSLError):
                    await asyncio.sleep(0.2 * (attempt + 1))

    await asyncio.gather(*(one() for _ in range(count)))
    await asyncio.sleep(2)  # let the server settle (tickets sent, buffers released)
    alive = sum(1 for reader, writer in held
                if not reader.at_eof() and not writer.transport.is_closing())
    print(f"rss_idle_kib={idle} rss_held_kib={rss_kib(pids)} held={alive}", flush=True)
    for _, writer in held:
        writer.transport.abort()


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), [int(p) for p in sys.argv[3:]]))
