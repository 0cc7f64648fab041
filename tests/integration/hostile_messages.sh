#!/usr/bin/env bash
# Feed the agent's endpoint malformed and hostile traffic: wrong protocol
# versions, garbage msgpack, impossible lengths, deep nesting, oversized
# messages, floods, raw non-ZMTP bytes, a half-open connection. After each
# case the agent must still answer a well-formed status request, and at the
# end pgclone.agent_status() must still work from the database.
# Needs python3 with pyzmq (Debian: python3-zmq); msgpack is encoded by hand.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

PY=${PGCLONE_PYTHON:-}
if [ -z "$PY" ]; then
  for c in /usr/bin/python3 python3; do
    if "$c" -c 'import zmq' 2>/dev/null; then PY=$c; break; fi
  done
fi
if [ -z "$PY" ]; then
  t_ok 1 "python3 with the zmq module is available (install python3-zmq)"
  t_done; exit 1
fi
pid_before=$(pgc_agent_pid)

"$PY" - "$PGC_AGENT_ENDPOINT" <<'PYEOF'
import os, socket, struct, sys, time
import zmq

endpoint = sys.argv[1]
host, port = endpoint[len("tcp://"):].rsplit(":", 1)
TAG = b"pgclone/1"
ctx = zmq.Context.instance()
n = 0
failed = 0

def tap(ok, desc, diag=None):
    global n, failed
    n += 1
    print(("ok" if ok else "not ok") + " %d - %s" % (n, desc))
    if not ok:
        failed += 1
        if diag:
            for line in str(diag).splitlines():
                print("#   " + line)
    sys.stdout.flush()

# ---- minimal msgpack
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

def envelope(kind, rid, payload_bytes, major=1):
    # Envelope = [protocol_major, kind, request_id, payload(msgpack bytes as str)]
    # (payload packed as str32: msgpack-c writes std::string as str)
    return (bytes([0x94]) + pack(major) + pack(kind) + pack(rid)
            + b"\xdb" + struct.pack(">I", len(payload_bytes)) + payload_bytes)

def dealer():
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.SNDTIMEO, 5000)
    s.connect(endpoint)
    return s

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
    body = frames[-1]
    env, _ = unpack(body)
    payload = env[3]
    try:
        pl, _ = unpack(payload)
    except Exception:
        pl = payload
    return env, pl

RID = [1000]
def status_ok(desc):
    """A well-formed StatusRequest on a fresh socket gets a StatusReply (kind 20)."""
    s = dealer()
    RID[0] += 1
    rid = RID[0]
    try:
        s.send_multipart([TAG, envelope(1, rid, pack([0]))])
        for m in recv_all(s, 3000):
            try:
                env, pl = decode_reply(m)
            except Exception:
                continue
            if env[1] == 20 and env[2] == rid:
                tap(True, desc)
                return True
        tap(False, desc, "no StatusReply within 3 s")
        return False
    finally:
        s.close()

def send_case(desc, frames, expect=None, wait_ms=1000):
    """Send one (possibly hostile) message; optionally check the reply; then liveness."""
    s = dealer()
    try:
        s.send_multipart(frames, copy=False)
    except zmq.ZMQError as e:
        tap(False, desc + ": could not even send", e)
    replies = recv_all(s, wait_ms) if (expect or wait_ms) else []
    s.close()
    if expect:
        expect(replies)
    status_ok("agent answers after: " + desc)

# ---- the cases
status_ok("control: a well-formed status request gets a StatusReply")

def expect_version_error(other):
    def check(replies):
        got = None
        for m in replies:
            try:
                env, pl = decode_reply(m)
            except Exception as e:
                continue
            if env[1] == 30:
                got = pl
        if got is None:
            tap(False, "version %s: an error reply comes back" % other, "replies: %r" % replies)
            return
        items = got if isinstance(got, list) else [got]
        text = " ".join(x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x) for x in items)
        tap(isinstance(got, list) and len(got) > 0 and got[0] == b"08P01",
            "version %s: error reply has SQLSTATE 08P01" % other, repr(got))
        tap(str(other) in text and "1" in text.replace(str(other), ""),
            "version %s: error message names both versions" % other, text)
    return check

send_case("tag pgclone/999 (future major version)",
          [b"pgclone/999", envelope(1, 7, pack([0]), major=999)], expect_version_error(999))
send_case("right tag, envelope protocol_major 7",
          [TAG, envelope(1, 8, pack([0]), major=7)], expect_version_error(7))
send_case("foreign tag HTTP/1.1", [b"GET / HTTP/1.1", envelope(1, 9, pack([0]))])
send_case("one empty frame", [b""])
send_case("one garbage frame", [os.urandom(64)])
send_case("three frames of garbage", [os.urandom(10), os.urandom(100), os.urandom(1000)])
send_case("tag only, no body", [TAG])
send_case("tag + never-used msgpack byte 0xc1", [TAG, b"\xc1\xc1\xc1"])
send_case("tag + truncated array", [TAG, b"\x94\x01"])
send_case("tag + array claiming 2^32-1 elements", [TAG, b"\xdd\xff\xff\xff\xff\x01"])
send_case("tag + map claiming 2^32-1 entries", [TAG, b"\xdf\xff\xff\xff\xff\x01\x01"])
send_case("tag + str claiming 4 GiB", [TAG, b"\xdb\xff\xff\xff\xff" + b"x" * 16])
send_case("tag + 100000 nested arrays", [TAG, b"\x91" * 100000 + b"\x00"])
send_case("tag + envelope that is a map", [TAG, pack({"kind": 1, "request_id": 5})])
send_case("tag + envelope that is an int", [TAG, pack(42)])
send_case("tag + envelope with a string request id",
          [TAG, bytes([0x94]) + pack(1) + pack(1) + pack("abc") + pack("x")])
send_case("tag + unknown message kind 99", [TAG, envelope(99, 10, pack([0]))])
send_case("tag + agent-side kind (20) sent to the agent", [TAG, envelope(20, 11, pack(["{}"]))])
send_case("tag + clone request with a garbage payload", [TAG, envelope(2, 12, b"\xc1")])
send_case("tag + clone request whose payload is an int", [TAG, envelope(2, 13, pack(5))])
send_case("tag + clone request with wrongly typed fields",
          [TAG, envelope(2, 14, pack([1, 2, 3, [None], True, False, 7, "x", 9, "yes"]))])
send_case("tag + cancel request for a job that does not exist",
          [TAG, envelope(3, 15, pack([987654321, ["postgres", "postgres", True]]))])
send_case("tag + cancel request with a negative job id",
          [TAG, envelope(3, 16, pack([-1, ["postgres", "postgres", False]]))])
send_case("tag + valid envelope + trailing bytes", [TAG, envelope(1, 17, pack([0])) + b"\x00garbage"])
send_case("1000 frames", [TAG] + [b"x"] * 999)
send_case("2 MiB body of an unknown message kind", [TAG, envelope(1, 18, b"\xc0" * (2 << 20))], wait_ms=2000)
send_case("64 MiB frame (over the 32 MiB limit)", [TAG, b"\x00" * (64 << 20)], wait_ms=3000)

# flood
s = dealer()
t0 = time.time()
for i in range(5000):
    s.send_multipart([TAG, os.urandom(i % 50 + 1)])
s.close()
status_ok("agent answers after a flood of 5000 garbage messages")

# raw TCP, not ZMTP at all
for label, data in (("random bytes", os.urandom(4096)),
                    ("an HTTP request", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
                    ("a ZMTP greeting with a bogus mechanism",
                     b"\xff" + b"\x00" * 8 + b"\x7f\x03\x00" + b"EVIL" + b"\x00" * 16 + b"\x00" + b"\x00" * 31)):
    c = socket.create_connection((host, int(port)), timeout=5)
    try:
        c.sendall(data)
        time.sleep(0.2)
    except OSError:
        pass
    c.close()
    status_ok("agent answers after raw TCP: " + label)

# a half-open connection that never finishes its greeting
lazy = socket.create_connection((host, int(port)), timeout=5)
lazy.sendall(b"\xff\x00\x00")
status_ok("agent answers while a peer hangs mid-greeting")
lazy.close()

# many idle connections
socks = [dealer() for _ in range(200)]
status_ok("agent answers with 200 idle peers connected")
for x in socks: x.close()

print("# python cases: %d, failed %d" % (n, failed))
sys.exit(1 if failed else 0)
PYEOF
py_rc=$?
t_ok $py_rc "every hostile case above passed (python client)"
t_ok "$(pgc_agent_running && echo 0 || echo 1)" "the agent process is still running"
t_is "$(pgc_agent_pid)" "$pid_before" "it is the same process (never restarted)"
t_like "$(pgc_try_target 'SELECT pgclone.agent_status()')" '^OK \{' "pgclone.agent_status() still answers from the database"
t_like "$(pgc_try_target "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'basic', 'empty', true, 'empty_after_hostile')")" \
  '^OK OK:' "and a clone still works"
pgc_psql target -c "DROP TABLE IF EXISTS basic.empty_after_hostile" >/dev/null 2>&1
t_done
