"""A hand-made peer of pgclone-agent for the integration tests: msgpack
encoding, the protocol's envelope, and ZeroMQ DEALER sockets with or without
the CURVE keys of an enrolled server. msgpack is encoded by hand on purpose:
hostile tests need to write what no library would.

Run with Debian's /usr/bin/python3 (python3-zmq)."""
import json
import struct
import time

import zmq

PROTOCOL_MAJOR = 2
TAG = b"pgclone/%d" % PROTOCOL_MAJOR

# MessageKind (protocol/include/pgclone/protocol/messages.h)
STATUS, CLONE, CANCEL, JOBS, WAIT, RESUME, CLEAR = 1, 2, 3, 4, 5, 6, 7
STATUS_REPLY, JOB_ACCEPTED, JOB_PROGRESS, JOB_FINISHED = 20, 21, 22, 23
CANCEL_REPLY, JOBS_REPLY, CLEAR_REPLY, ERROR_REPLY = 24, 25, 26, 30

ctx = zmq.Context.instance()


def pack(o):
    if o is None: return b"\xc0"
    if o is True: return b"\xc3"
    if o is False: return b"\xc2"
    if isinstance(o, int):
        if 0 <= o < 128: return bytes([o])
        if o >= 0: return b"\xcf" + struct.pack(">Q", o)
        return b"\xd3" + struct.pack(">q", o)
    if isinstance(o, str):
        b = o.encode()
        if len(b) < 32: return bytes([0xa0 | len(b)]) + b
        return b"\xdb" + struct.pack(">I", len(b)) + b
    if isinstance(o, bytes):
        return b"\xc6" + struct.pack(">I", len(o)) + o
    if isinstance(o, (list, tuple)):
        h = bytes([0x90 | len(o)]) if len(o) < 16 else b"\xdd" + struct.pack(">I", len(o))
        return h + b"".join(pack(x) for x in o)
    if isinstance(o, dict):
        h = bytes([0x80 | len(o)]) if len(o) < 16 else b"\xdf" + struct.pack(">I", len(o))
        return h + b"".join(pack(k) + pack(v) for k, v in o.items())
    raise TypeError(o)


def unpack(b, i=0):
    t = b[i]
    if t < 0x80: return t, i + 1
    if 0x80 <= t <= 0x8f: return _map(b, i + 1, t & 0x0f)
    if 0x90 <= t <= 0x9f: return _arr(b, i + 1, t & 0x0f)
    if 0xa0 <= t <= 0xbf: l = t & 0x1f; return b[i+1:i+1+l], i + 1 + l
    if t >= 0xe0: return t - 256, i + 1
    if t == 0xc0: return None, i + 1
    if t == 0xc2: return False, i + 1
    if t == 0xc3: return True, i + 1
    # str and bin both come back as bytes (payloads are msgpack inside a str)
    if t in (0xc4, 0xd9): l = b[i+1]; return b[i+2:i+2+l], i + 2 + l
    if t in (0xc5, 0xda): l = struct.unpack(">H", b[i+1:i+3])[0]; return b[i+3:i+3+l], i + 3 + l
    if t in (0xc6, 0xdb): l = struct.unpack(">I", b[i+1:i+5])[0]; return b[i+5:i+5+l], i + 5 + l
    if t == 0xcc: return b[i+1], i + 2
    if t == 0xcd: return struct.unpack(">H", b[i+1:i+3])[0], i + 3
    if t == 0xce: return struct.unpack(">I", b[i+1:i+5])[0], i + 5
    if t == 0xcf: return struct.unpack(">Q", b[i+1:i+9])[0], i + 9
    if t == 0xd0: return struct.unpack(">b", b[i+1:i+2])[0], i + 2
    if t == 0xd1: return struct.unpack(">h", b[i+1:i+3])[0], i + 3
    if t == 0xd2: return struct.unpack(">i", b[i+1:i+5])[0], i + 5
    if t == 0xd3: return struct.unpack(">q", b[i+1:i+9])[0], i + 9
    if t == 0xcb: return struct.unpack(">d", b[i+1:i+9])[0], i + 9
    if t == 0xdc: return _arr(b, i + 3, struct.unpack(">H", b[i+1:i+3])[0])
    if t == 0xdd: return _arr(b, i + 5, struct.unpack(">I", b[i+1:i+5])[0])
    if t == 0xde: return _map(b, i + 3, struct.unpack(">H", b[i+1:i+3])[0])
    if t == 0xdf: return _map(b, i + 5, struct.unpack(">I", b[i+1:i+5])[0])
    raise ValueError("unsupported msgpack byte 0x%02x" % t)


def _arr(b, i, n):
    out = []
    for _ in range(n):
        v, i = unpack(b, i); out.append(v)
    return out, i


def _map(b, i, n):
    out = {}
    for _ in range(n):
        k, i = unpack(b, i); v, i = unpack(b, i); out[k] = v
    return out, i


def envelope(kind, rid, payload_bytes, major=PROTOCOL_MAJOR):
    """Envelope = [protocol_major, kind, request_id, payload (msgpack bytes as str32)]."""
    return (bytes([0x94]) + pack(major) + pack(kind) + pack(rid)
            + b"\xdb" + struct.pack(">I", len(payload_bytes)) + payload_bytes)


def clone_request(source, schema, table, caller, operation="table", options="", wait=True, target_database=""):
    """CloneRequest fields in wire order; caller = [database, proof]."""
    return pack([operation, source, list(caller), schema, table, "", True, options, wait, target_database])


def read_key_file(path):
    """(public, secret) of a pgclone key file (JSON, Z85 keys)."""
    with open(path) as f:
        doc = json.load(f)
    return doc["public_key"].encode(), doc["secret_key"].encode()


def _dealer_socket(server_key, client_keys, timeout_ms):
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.SNDTIMEO, timeout_ms)
    if server_key is not None:
        public, secret = client_keys if client_keys is not None else zmq.curve_keypair()
        s.curve_serverkey = server_key
        s.curve_publickey = public
        s.curve_secretkey = secret
    return s


def dealer(endpoint, server_key=None, client_keys=None, timeout_ms=5000):
    """A DEALER connected to endpoint; with server_key (the agent's public key)
    and client_keys ((public, secret), e.g. an enrolled server's), it speaks CURVE."""
    s = _dealer_socket(server_key, client_keys, timeout_ms)
    s.connect(endpoint)
    return s


def monitored_dealer(endpoint, server_key=None, client_keys=None, timeout_ms=5000):
    """dealer(), with a socket monitor attached before it connects, so that
    the handshake's outcome can be seen: (socket, monitor). Close with
    close_monitored()."""
    s = _dealer_socket(server_key, client_keys, timeout_ms)
    mon = s.get_monitor_socket()
    s.connect(endpoint)
    return s, mon


_EVENT_NAMES = {e.value: e.name for e in zmq.Event}


def monitor_events(mon, timeout_ms, until=None):
    """(name, value) of the monitor events that arrive within timeout_ms
    (those already queued first); stops early once an event named `until` came."""
    from zmq.utils.monitor import recv_monitor_message
    events = []
    deadline = time.time() + timeout_ms / 1000.0
    while True:
        left = max(0, int((deadline - time.time()) * 1000))
        if not mon.poll(left):
            break
        ev = recv_monitor_message(mon)
        name = _EVENT_NAMES.get(ev["event"], str(ev["event"]))
        events.append((name, ev["value"]))
        if until is not None and name == until:
            break
    return events


def close_monitored(s, mon):
    try:
        s.disable_monitor()
    except zmq.ZMQError:
        pass
    mon.close(0)
    s.close(0)


def recv_all(s, timeout_ms):
    """All messages that arrive within timeout_ms."""
    msgs = []
    deadline = time.time() + timeout_ms / 1000.0
    while True:
        left = int((deadline - time.time()) * 1000)
        if left <= 0: break
        if s.poll(left):
            msgs.append(s.recv_multipart())
        else:
            break
    return msgs


def decode_reply(frames):
    """(envelope list, decoded payload or raw bytes) of a reply's last frame."""
    env, _ = unpack(frames[-1])
    payload = env[3]
    try:
        pl, _ = unpack(payload)
    except Exception:
        pl = payload
    return env, pl


def recv_until(s, timeout_ms, rid=None, grace_ms=200):
    """Messages that arrive within timeout_ms; with rid, stops grace_ms after
    a reply to request rid arrived (recv_all always waits the whole time)."""
    msgs = []
    deadline = time.time() + timeout_ms / 1000.0
    while True:
        left = int((deadline - time.time()) * 1000)
        if left <= 0 or not s.poll(left):
            break
        m = s.recv_multipart()
        msgs.append(m)
        if rid is not None:
            try:
                env, _ = decode_reply(m)
                matched = env[2] == rid
            except Exception:
                matched = False
            if matched:
                deadline = min(deadline, time.time() + grace_ms / 1000.0)
    return msgs


def wait_reply(s, rid, timeout_ms=3000):
    """(kind, payload) of the first reply to request rid as soon as it
    arrives, or (None, None) after timeout_ms; other messages are dropped."""
    deadline = time.time() + timeout_ms / 1000.0
    while True:
        left = int((deadline - time.time()) * 1000)
        if left <= 0 or not s.poll(left):
            return None, None
        m = s.recv_multipart()
        try:
            env, pl = decode_reply(m)
        except Exception:
            continue
        if env[2] == rid:
            return env[1], pl
