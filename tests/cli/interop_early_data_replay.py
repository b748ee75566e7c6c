# SPDX-License-Identifier: Apache-2.0
# A replay of a 0-RTT first flight against `tern serve --early-data`, for
# interop_early_data.sh: relays one connection of a real client (openssl s_client -early_data)
# to the server, recording the client's bytes, then sends those bytes again on a new
# connection as an attacker would. Prints how many bytes the replay got back and whether the
# server closed; the shell test checks the server logged the request once and still serves.
# Usage: python3 interop_early_data_replay.py LISTEN_PORT SERVER_PORT CLIENT_COMMAND...
import socket
import subprocess
import sys
import threading

listen_port, server_port = int(sys.argv[1]), int(sys.argv[2])
command = sys.argv[3:]
recorded = bytearray()

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", listen_port))
listener.listen(1)
listener.settimeout(20)


def pipe(src, dst, record):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if record:
                recorded.extend(data)
            dst.sendall(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


with open("replay-client.out", "wb") as out:
    client = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    conn, _ = listener.accept()
    upstream = socket.create_connection(("127.0.0.1", server_port), timeout=20)
    conn.settimeout(20)
    threads = [threading.Thread(target=pipe, args=(conn, upstream, True)),
               threading.Thread(target=pipe, args=(upstream, conn, False))]
    for t in threads:
        t.start()
    client.wait(timeout=30)
    for t in threads:
        t.join(timeout=20)
    conn.close()
    upstream.close()

# The attacker's replay: the same bytes on a new connection; whatever comes back is read
# for a bounded time.
replay = socket.create_connection(("127.0.0.1", server_port), timeout=5)
replay.sendall(bytes(recorded))
received, closed = 0, False
try:
    while True:
        data = replay.recv(65536)
        if not data:
            closed = True
            break
        received += len(data)
except OSError:
    pass
replay.close()
print(f"recorded {len(recorded)} client bytes; the replay got {received} bytes back, "
      f"server {'closed' if closed else 'kept'} the connection")
