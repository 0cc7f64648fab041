#!/usr/bin/env python3
"""A TCP relay that records what a PostgreSQL server sends to its clients.

Put between the pgclone agent and the source server (the clone's conninfo
names the relay's host and port), it forwards every byte both ways and
appends each byte the *server* sends to the capture file, so a test can grep
it for values that must never leave the source (tests/integration/
mask_capture.sh). What the clients send goes to a second file when
--client-capture is given: the agent's statements, and its startup packet,
which carries the session's masking key by design (options -c
pgclone_mask.inner=...), so the values proof only ever reads the server side.

To keep the bytes readable the relay answers SSLRequest and GSSENCRequest
itself with 'N' (no encryption) instead of passing them on; a client that
insists on encryption then fails to connect rather than being captured
encrypted. Python 3 standard library only.

    capture_proxy.py --listen-port 0 --port-file P --target-host 127.0.0.1 \
        --target-port 5432 --capture s2c.bin [--client-capture c2s.bin] \
        [--stats stats.txt]

The stats file holds "connections N", "server_to_client_bytes N" and
"client_to_server_bytes N"; it is rewritten as data flows and when a
connection closes. SIGTERM or SIGINT stops the relay and closes every
connection.
"""

import argparse
import os
import signal
import socket
import struct
import sys
import threading

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104


class Relay:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.s2c = open(args.capture, "ab", buffering=0)
        self.c2s = open(args.client_capture, "ab", buffering=0) if args.client_capture else None
        self.counts = {"connections": 0, "server_to_client_bytes": 0, "client_to_server_bytes": 0}
        self.sockets = set()

    def write_stats(self):
        if not self.args.stats:
            return
        tmp = self.args.stats + ".tmp"
        with open(tmp, "w") as f:
            for k, v in self.counts.items():
                f.write(f"{k} {v}\n")
        os.replace(tmp, self.args.stats)

    def record(self, direction, data):
        with self.lock:
            if direction == "s2c":
                self.s2c.write(data)
                self.counts["server_to_client_bytes"] += len(data)
            else:
                if self.c2s:
                    self.c2s.write(data)
                self.counts["client_to_server_bytes"] += len(data)
            self.write_stats()

    def track(self, sock):
        with self.lock:
            self.sockets.add(sock)

    def close(self, *socks):
        with self.lock:
            for s in socks:
                self.sockets.discard(s)
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def close_all(self):
        with self.lock:
            socks = list(self.sockets)
        self.close(*socks)


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def pump(relay, src, dst, direction):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            relay.record(direction, data)
            dst.sendall(data)
    except OSError:
        pass
    finally:
        # One side ended: end the other as well, so neither thread lingers.
        relay.close(src, dst)


def serve_client(relay, client):
    """Answer encryption requests, then relay the startup packet and the rest."""
    try:
        while True:
            head = read_exact(client, 8)
            if head is None:
                relay.close(client)
                return
            length, code = struct.unpack("!ii", head)
            if length == 8 and code in (SSL_REQUEST, GSSENC_REQUEST):
                client.sendall(b"N")
                continue
            break
        server = socket.create_connection((relay.args.target_host, relay.args.target_port))
    except OSError:
        relay.close(client)
        return
    relay.track(server)
    with relay.lock:
        relay.counts["connections"] += 1
    relay.record("c2s", head)
    try:
        server.sendall(head)
    except OSError:
        relay.close(client, server)
        return
    t = threading.Thread(target=pump, args=(relay, server, client, "s2c"), daemon=True)
    t.start()
    pump(relay, client, server, "c2s")
    t.join()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--listen-host", default="127.0.0.1")
    p.add_argument("--listen-port", type=int, default=0)
    p.add_argument("--port-file", help="write the port listened on here once listening")
    p.add_argument("--target-host", default="127.0.0.1")
    p.add_argument("--target-port", type=int, required=True)
    p.add_argument("--capture", required=True, help="file to append server-to-client bytes to")
    p.add_argument("--client-capture", help="file to append client-to-server bytes to")
    p.add_argument("--stats", help="file with the connection and byte counters")
    args = p.parse_args()

    relay = Relay(args)
    relay.write_stats()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.listen_host, args.listen_port))
    listener.listen(64)
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{listener.getsockname()[1]}\n")
        os.replace(tmp, args.port_file)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while True:
            client, _ = listener.accept()
            relay.track(client)
            threading.Thread(target=serve_client, args=(relay, client), daemon=True).start()
    finally:
        listener.close()
        relay.close_all()
        with relay.lock:
            relay.write_stats()


if __name__ == "__main__":
    sys.exit(main())
