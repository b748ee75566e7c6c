#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Slowloris against `tern serve`, and a legitimate client measured meanwhile.

Used by tests/cli/serve_slowloris.sh (small scale) and bench/slowloris/run.sh (10,000).

  slowloris.py attack PORT ROOT_PEM CONNECTIONS INTERVAL SECONDS [SOURCE]
      Holds up to CONNECTIONS TLS connections from SOURCE (default 127.0.0.1). Each sends a
      request line and then one header byte every INTERVAL seconds, never ending the head.
      A connection the server closes or refuses is opened again a second later. Prints
      "open N opened N closed N refused N" once a second; stops after SECONDS (or SIGTERM).
  slowloris.py probe PORT ROOT_PEM SOURCE COUNT SPACING TIMEOUT
      COUNT requests (GET /small.txt, each on a new TLS connection from SOURCE, one every
      SPACING seconds, each given TIMEOUT seconds), then one line:
      "probe source=S ok=K of=N median_ms=M p90_ms=P".

Every wait is bounded. Runs on loopback only.
"""
import asyncio
import resource
import socket
import ssl
import statistics
import sys
import time

MAX_HANDSHAKING = 200  # attack: handshakes in flight at once, so the ramp does not stall


def context(root):
    ctx = ssl.create_default_context(cafile=root)
    ctx.check_hostname = False  # the test PKI names localhost; we connect to an address
    return ctx


async def open_tls(port, ctx, source, timeout):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        sock.bind((source, 0))
        await asyncio.wait_for(asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port)),
                               timeout)
        return await asyncio.wait_for(
            asyncio.open_connection(sock=sock, ssl=ctx, server_hostname="localhost"), timeout)
    except BaseException:
        sock.close()
        raise


class Attack:
    def __init__(self, port, ctx, interval, source):
        self.port, self.ctx, self.interval, self.source = port, ctx, interval, source
        self.open = self.opened = self.closed = self.refused = 0
        self.handshaking = asyncio.Semaphore(MAX_HANDSHAKING)

    async def one(self):
        """One trickling connection, reopened a second after the server ends it."""
        while True:
            writer = None
            try:
                async with self.handshaking:
                    reader, writer = await open_tls(self.port, self.ctx, self.source, 30)
                    writer.write(b"GET /small.txt HTTP/1.1\r\nHost: localhost\r\n")
                    await asyncio.wait_for(writer.drain(), 30)
            except (OSError, asyncio.TimeoutError, ssl.SSLError, EOFError):
                self.refused += 1
                if writer:
                    writer.close()
                await asyncio.sleep(1)
                continue
            self.opened += 1
            self.open += 1
            try:
                while True:
                    # A header byte now and then; the server's answer to anything is a close.
                    try:
                        data = await asyncio.wait_for(reader.read(4096), self.interval)
                        if not data:
                            break
                    except asyncio.TimeoutError:
                        writer.write(b"X")
                        await asyncio.wait_for(writer.drain(), 30)
            except (OSError, asyncio.TimeoutError, ssl.SSLError):
                pass
            self.open -= 1
            self.closed += 1
            writer.close()
            await asyncio.sleep(1)

    def status(self):
        return f"open {self.open} opened {self.opened} closed {self.closed} refused {self.refused}"


async def attack(port, root, count, interval, seconds, source):
    a = Attack(port, context(root), interval, source)
    tasks = [asyncio.create_task(a.one()) for _ in range(count)]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        print(a.status(), flush=True)
        await asyncio.sleep(1)
    print(a.status(), flush=True)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def fetch(port, ctx, source, timeout):
    start = time.monotonic()
    writer = None
    try:
        async def run():
            nonlocal writer
            reader, writer = await open_tls(port, ctx, source, timeout)
            writer.write(b"GET /small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            await writer.drain()
            return await reader.read(-1)
        data = await asyncio.wait_for(run(), timeout)
        ok = data.startswith(b"HTTP/1.1 200 ")
    except (OSError, asyncio.TimeoutError, ssl.SSLError, EOFError):
        ok = False
    finally:
        if writer:
            writer.close()
    return ok, (time.monotonic() - start) * 1000


async def probe(port, root, source, count, spacing, timeout):
    ctx = context(root)
    tasks = []
    for _ in range(count):
        tasks.append(asyncio.create_task(fetch(port, ctx, source, timeout)))
        await asyncio.sleep(spacing)
    results = await asyncio.gather(*tasks)
    times = sorted(ms for ok, ms in results if ok)
    median = round(statistics.median(times), 1) if times else "-"
    p90 = round(times[int(0.9 * (len(times) - 1))], 1) if times else "-"
    print(f"probe source={source} ok={len(times)} of={count} median_ms={median} p90_ms={p90}",
          flush=True)


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    mode, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "attack":
        count, interval, seconds = int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
        source = sys.argv[7] if len(sys.argv) > 7 else "127.0.0.1"
        asyncio.run(attack(port, root, count, interval, seconds, source))
    elif mode == "probe":
        source, count = sys.argv[4], int(sys.argv[5])
        spacing, timeout = float(sys.argv[6]), float(sys.argv[7])
        asyncio.run(probe(port, root, source, count, spacing, timeout))
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
