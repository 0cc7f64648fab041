#!/usr/bin/env bash
# Hostile traffic on the agent's endpoint, under the enrolment model (every
# peer must complete a CURVE handshake with a key listed in the agent's
# servers file; protocol major 2; callers proven by a lock held on the
# server). Three kinds of peer:
#   1. unauthenticated: a plain (NULL mechanism) DEALER, a CURVE DEALER with a
#      key that is not enrolled, raw TCP (garbage, HTTP, a bogus ZMTP
#      greeting, a half-open greeting), 200 idle refused peers. None of them
#      ever gets a reply; the handshake is refused.
#   2. authenticated but hostile: the target cluster's own key (as if the
#      server's key file were stolen) sending wrong protocol versions,
#      garbage msgpack, impossible lengths, deep nesting, wrong types,
#      unknown kinds, trailing bytes, 1000 frames, floods, oversized messages.
#   3. a forged caller through that authenticated channel: requests carrying
#      a proof that no session holds get 28000 and start no job.
# After every case the agent must still answer a well-formed status request
# from an enrolled peer; at the end it must be the same process, and
# pgclone.agent_status() and a clone must still work from the database.
# Needs Debian's python3 with pyzmq (python3-zmq); msgpack is written by hand
# (tests/harness/agent_peer.py).
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
key_file="$PGC_TMPDIR/target/pgclone.key"
agent_pub="$PGC_TMPDIR/agent/agent.pub"
if [ ! -r "$key_file" ] || [ ! -s "$agent_pub" ]; then
  t_ok 1 "the target's key file and the agent's public key are readable" \
    "$key_file" "$agent_pub" "(the test must run as root or postgres)"
  t_done; exit 1
fi
jobs_before=$(pgc_psql target -c "SELECT count(*) FROM pgclone.jobs_view" 2>&1)

py_out="$PGC_TMPDIR/hostile_messages.tap"
"$PY" - "$PGC_AGENT_ENDPOINT" "$PGC_REPO/tests/harness" "$agent_pub" "$key_file" \
  "$PGC_TARGET_DB" "$PGC_SOURCE_CONNINFO" <<'PYEOF' | tee "$py_out"
import os, re, socket, sys, time

endpoint, harness_dir, agent_pub_path, key_path, target_db, source_conninfo = sys.argv[1:7]
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, harness_dir)
import zmq
from agent_peer import (TAG, PROTOCOL_MAJOR, STATUS, CLONE, CANCEL, JOBS, WAIT, RESUME, CLEAR,
                        STATUS_REPLY, JOB_ACCEPTED, ERROR_REPLY,
                        pack, envelope, clone_request, read_key_file, dealer, monitored_dealer,
                        monitor_events, close_monitored, recv_all, recv_until, decode_reply, wait_reply)

host, port = endpoint[len("tcp://"):].rsplit(":", 1)
with open(agent_pub_path) as f:
    AGENT_KEY = f.read().strip().encode()
ENROLLED = read_key_file(key_path)   # the target server's own key pair

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

def note(text):
    print("# " + text)
    sys.stdout.flush()

def auth():
    """A DEALER that completes the handshake: CURVE with the enrolled target's key."""
    return dealer(endpoint, AGENT_KEY, ENROLLED)

def proof():
    return os.urandom(32).hex()   # 64 hex digits that no session holds

RID = [1000]
def next_rid():
    RID[0] += 1
    return RID[0]

def decoded(replies):
    """[(kind, request_id, payload)] of the replies that decode at all."""
    out = []
    for m in replies:
        try:
            env, pl = decode_reply(m)
            out.append((env[1], env[2], pl))
        except Exception:
            out.append(("undecodable", None, m))
    return out

def text_of(pl):
    items = pl if isinstance(pl, list) else [pl]
    return " ".join(x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x) for x in items)

def status_ok(desc, s=None):
    """A well-formed StatusRequest from an enrolled peer gets a StatusReply
    (on a fresh socket unless one is given)."""
    own = s is None
    if own:
        s = auth()
    rid = next_rid()
    try:
        s.send_multipart([TAG, envelope(STATUS, rid, pack([0]))])
        kind, pl = wait_reply(s, rid, 5000)
        tap(kind == STATUS_REPLY, desc, "reply kind %r: %r" % (kind, pl))
        return kind == STATUS_REPLY
    finally:
        if own:
            s.close()

# ---- expectations for the replies of one case
def only_errors(desc):
    """Answered or dropped; but whatever comes back is an ErrorReply."""
    def check(replies):
        got = decoded(replies)
        bad = [r for r in got if r[0] != ERROR_REPLY]
        errors = [text_of(r[2])[:100] for r in got if r[0] == ERROR_REPLY]
        note("  %s: %s" % (desc, "answered: " + " | ".join(errors) if errors else "dropped, no reply"))
        tap(not bad, desc + ": nothing but an error reply (if anything) comes back", repr(bad)[:2000])
    return check

def expect_error(desc, sqlstate, rid=None, pattern=None):
    """Exactly the error replies (to rid when given), SQLSTATE sqlstate, and
    no other reply."""
    def check(replies):
        got = decoded(replies)
        errors = [r for r in got if r[0] == ERROR_REPLY and (rid is None or r[1] == rid)]
        others = [r for r in got if r not in errors]
        if not errors:
            tap(False, "%s: an error reply comes back" % desc, "replies: %r" % got)
            return
        pl = errors[0][2]
        tap(isinstance(pl, list) and pl and pl[0] == sqlstate.encode(),
            "%s: error reply has SQLSTATE %s" % (desc, sqlstate), repr(pl))
        if pattern is not None:
            tap(re.search(pattern, text_of(pl)) is not None,
                "%s: error message matches /%s/" % (desc, pattern), text_of(pl))
        tap(not others, "%s: and no other reply" % desc, repr(others))
    check.rid = rid
    return check

def send_case(desc, frames, expect=None, wait_ms=500):
    """Send one (possibly hostile) message from an enrolled peer; check the
    replies (default: nothing but error replies); then liveness."""
    s = auth()
    try:
        s.send_multipart(frames, copy=False)
    except zmq.ZMQError as e:
        tap(False, desc + ": could not even send", e)
    rid = getattr(expect, "rid", None)
    # An expected reply may take a caller verification (a query on the server).
    replies = recv_until(s, wait_ms if rid is None else max(wait_ms, 5000), rid)
    s.close()
    (expect or only_errors(desc))(replies)
    status_ok("agent answers after: " + desc)

def kinds_seen(events):
    return [name for name, _ in events]

# =====================================================================
# 0. control
status_ok("control: an enrolled peer's status request gets a StatusReply")
s, mon = monitored_dealer(endpoint, AGENT_KEY, ENROLLED)
ev = monitor_events(mon, 3000, until="HANDSHAKE_SUCCEEDED")
tap("HANDSHAKE_SUCCEEDED" in kinds_seen(ev), "control: the enrolled key completes the CURVE handshake", ev)
close_monitored(s, mon)

# =====================================================================
# 1. unauthenticated peers: the handshake is refused, nothing is answered
def refused_peer(label, server_key, client_keys, failure_events):
    s, mon = monitored_dealer(endpoint, server_key, client_keys)
    rid_status, rid_clone = next_rid(), next_rid()
    try:
        s.send_multipart([TAG, envelope(STATUS, rid_status, pack([0]))])
        s.send_multipart([TAG, envelope(CLONE, rid_clone,
                                        clone_request(source_conninfo, "basic", "empty", [target_db, proof()]))])
    except zmq.ZMQError as e:
        tap(False, label + ": the requests can be queued", e)
    replies = recv_all(s, 2000)
    tap(not replies, label + ": no reply at all within 2 s to a status and a clone request",
        repr(decoded(replies))[:2000])
    ev = monitor_events(mon, 200)
    names = kinds_seen(ev)
    tap("HANDSHAKE_SUCCEEDED" not in names and any(x in names for x in failure_events),
        label + ": the handshake is refused (%s)" % "/".join(failure_events), ev)
    close_monitored(s, mon)
    status_ok("agent answers an enrolled peer after: " + label)

refused_peer("plain DEALER (NULL mechanism)", None, None,
             ("HANDSHAKE_FAILED_PROTOCOL", "HANDSHAKE_FAILED_NO_DETAIL", "DISCONNECTED"))
refused_peer("CURVE DEALER with a fresh key that is not enrolled", AGENT_KEY, zmq.curve_keypair(),
             ("HANDSHAKE_FAILED_AUTH",))
# The agent's public key is no secret; a peer that has the wrong one cannot
# even get its HELLO read.
refused_peer("CURVE DEALER with the enrolled key but a wrong agent key", zmq.curve_keypair()[0], ENROLLED,
             ("HANDSHAKE_FAILED_PROTOCOL", "HANDSHAKE_FAILED_NO_DETAIL", "HANDSHAKE_FAILED_AUTH",
              "DISCONNECTED"))

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

# many idle peers: refused ones (half NULL mechanism, half unenrolled CURVE
# keys), then enrolled ones
socks = [dealer(endpoint) for _ in range(100)] + \
        [dealer(endpoint, AGENT_KEY, zmq.curve_keypair()) for _ in range(100)]
time.sleep(0.5)
status_ok("agent answers right after 200 refused peers connected (100 NULL, 100 unenrolled CURVE)")
for x in socks: x.close()
socks = [auth() for _ in range(200)]
time.sleep(0.5)
status_ok("agent answers with 200 idle enrolled peers connected")
for x in socks: x.close()

# =====================================================================
# 2. an authenticated but hostile peer (the target server's key)
def version_error(other, rid):
    return expect_error("version %s" % other, "08P01", rid,
                        r"\b%d\b.*\b%d\b|\b%d\b.*\b%d\b" % (other, PROTOCOL_MAJOR, PROTOCOL_MAJOR, other))

send_case("tag pgclone/999 (future major version)",
          [b"pgclone/999", envelope(STATUS, 7, pack([0]), major=999)], version_error(999, 7))
send_case("tag pgclone/1 (the previous protocol)",
          [b"pgclone/1", envelope(STATUS, 8, pack([0]), major=1)], version_error(1, 8))
send_case("right tag, envelope protocol_major 7",
          [TAG, envelope(STATUS, 9, pack([0]), major=7)], version_error(7, 9))
send_case("foreign tag HTTP/1.1", [b"GET / HTTP/1.1", envelope(STATUS, 10, pack([0]))])
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
send_case("tag + status payload of 100000 nested arrays",
          [TAG, envelope(STATUS, 11, b"\x91" * 100000 + b"\x00")])
send_case("tag + envelope that is a map", [TAG, pack({"kind": 1, "request_id": 5})])
send_case("tag + envelope that is an int", [TAG, pack(42)])
send_case("tag + envelope with a string request id",
          [TAG, bytes([0x94]) + pack(PROTOCOL_MAJOR) + pack(1) + pack("abc") + pack("x")])
send_case("tag + unknown message kind 99", [TAG, envelope(99, 12, pack([0]))],
          expect_error("unknown kind 99", "08P01", 12))
send_case("tag + agent-side kind (20) sent to the agent", [TAG, envelope(STATUS_REPLY, 13, pack(["{}"]))],
          expect_error("agent-side kind 20", "08P01", 13))
send_case("tag + clone request with a garbage payload", [TAG, envelope(CLONE, 14, b"\xc1")],
          expect_error("garbage clone payload", "08P01", 14))
send_case("tag + clone request whose payload is an int", [TAG, envelope(CLONE, 15, pack(5))],
          expect_error("clone payload that is an int", "08P01", 15))
send_case("tag + clone request with wrongly typed fields",
          [TAG, envelope(CLONE, 16, pack([1, 2, 3, [None], True, False, 7, "x", 9, "yes"]))],
          expect_error("wrongly typed clone fields", "08P01", 16))
send_case("tag + clone request with a protocol-1 caller [db, role, superuser]",
          [TAG, envelope(CLONE, 17, pack(["table", source_conninfo, [target_db, "postgres", True],
                                          "basic", "empty", "hostile_forged", True, "", True, ""]))],
          expect_error("protocol-1 clone request", "08P01", 17))
send_case("tag + cancel request for a job that does not exist (random proof)",
          [TAG, envelope(CANCEL, 18, pack([987654321, [target_db, proof()], 0]))],
          expect_error("cancel with a random proof", "28000", 18))
send_case("tag + cancel request for a job that does not exist (no proof: this connection's job)",
          [TAG, envelope(CANCEL, 19, pack([987654321, [target_db, ""], 0]))],
          expect_error("connection-bound cancel of a missing job", "42704", 19, r"987654321"))
send_case("tag + cancel request with a negative job id and a protocol-1 caller",
          [TAG, envelope(CANCEL, 20, pack([-1, ["postgres", "postgres", False]]))],
          expect_error("protocol-1 caller [db, role, superuser]", "08P01", 20))
send_case("tag + cancel request with a negative job id, no proof",
          [TAG, envelope(CANCEL, 21, pack([-1, [target_db, ""], 0]))],
          expect_error("connection-bound cancel of job -1", "42704", 21))
send_case("tag + valid envelope + trailing bytes",
          [TAG, envelope(STATUS, 22, pack([0])) + b"\x00garbage"])
send_case("1000 frames", [TAG] + [b"x"] * 999)
send_case("~200 KiB body of an unknown message kind (under the 256 KiB limit)",
          [TAG, envelope(99, 23, b"\xc0" * (200 << 10))], wait_ms=2000)
send_case("8 frames of 250 KiB (2 MiB in all, every frame under the limit)",
          [TAG] + [b"\x00" * (250 << 10)] * 7, wait_ms=2000)

# Over the 256 KiB limit: ZeroMQ drops the connection.
s, mon = monitored_dealer(endpoint, AGENT_KEY, ENROLLED)
monitor_events(mon, 3000, until="HANDSHAKE_SUCCEEDED")
s.send_multipart([TAG, envelope(99, 24, b"\xc0" * (300 << 10))])
ev = monitor_events(mon, 3000, until="DISCONNECTED")
tap("DISCONNECTED" in kinds_seen(ev), "300 KiB message (over the 256 KiB limit): the agent closes the connection", ev)
replies = recv_all(s, 500)
tap(not replies, "300 KiB message: no reply", repr(decoded(replies))[:2000])
status_ok("agent answers a new socket after a 300 KiB message")
status_ok("the dropped peer's DEALER reconnects and is answered", s)
close_monitored(s, mon)

# flood: 5000 garbage messages on one connection, then a status request
# behind them on the same connection (ZeroMQ keeps a connection's order)
s = auth()
t0 = time.time()
for i in range(5000):
    s.send_multipart([TAG, os.urandom(i % 50 + 1)])
status_ok("the flooding peer's own status request, queued behind 5000 garbage messages, is answered", s)
note("flood of 5000 garbage messages handled in %.2f s" % (time.time() - t0))
s.close()
status_ok("agent answers a new socket after a flood of 5000 garbage messages")

# =====================================================================
# 3. a forged caller through the authenticated channel: 28000, no job
def forged(desc, kind, payload, sqlstate="28000", pattern=None):
    rid = next_rid()
    s = auth()
    s.send_multipart([TAG, envelope(kind, rid, payload)])
    replies = recv_until(s, 5000, rid)
    s.close()
    accepted = [r for r in decoded(replies) if r[0] == JOB_ACCEPTED]
    expect_error(desc, sqlstate, rid, pattern)(replies)
    tap(not accepted, desc + ": no JobAccepted", repr(accepted))

forged("forged caller: clone request", CLONE,
       pack(["table", source_conninfo, [target_db, proof()], "basic", "empty", "hostile_forged",
             True, "", True, ""]))
forged("forged caller: clone request without waiting", CLONE,
       pack(["table", source_conninfo, [target_db, proof()], "basic", "empty", "hostile_forged",
             True, "", False, ""]))
forged("forged caller: jobs request", JOBS, pack([[target_db, proof()], 0]))
forged("forged caller: wait request", WAIT, pack([[target_db, proof()], 1]))
forged("forged caller: resume request", RESUME, pack([[target_db, proof()], 1]))
forged("forged caller: clear request", CLEAR, pack([[target_db, proof()]]))
forged("forged caller: a random proof, calling database postgres", JOBS, pack([["postgres", proof()], 0]))
forged("forged caller: a proof that is not 64 hex digits", JOBS, pack([[target_db, "postgres"], 0]),
       sqlstate="08P01")
forged("forged caller: uppercase hex proof", JOBS, pack([[target_db, proof().upper()], 0]),
       sqlstate="08P01")
forged("forged caller: no calling database", JOBS, pack([["", proof()], 0]), sqlstate="08P01")

# A calling database that does not exist: the agent's login fails; it must
# answer with an error (whatever its SQLSTATE), not hang or start a job.
rid = next_rid()
s = auth()
s.send_multipart([TAG, envelope(JOBS, rid, pack([["no_such_db_hostile", proof()], 0]))])
got = decoded(recv_until(s, 5000, rid))
s.close()
tap(len(got) == 1 and got[0][0] == ERROR_REPLY and got[0][1] == rid,
    "forged caller naming a database that does not exist: one error reply", repr(got))
if got and got[0][0] == ERROR_REPLY:
    note("  it was: %s" % text_of(got[0][2])[:300])

# A burst of verifications (each costs the agent a query on the server):
# every request is answered, with 28000 or, once its queue is full, 53300.
s = auth()
rids = [next_rid() for _ in range(200)]
for r in rids:
    s.send_multipart([TAG, envelope(JOBS, r, pack([[target_db, proof()], 0]))])
deadline = time.time() + 20
answers = {}
while time.time() < deadline and len(answers) < len(rids):
    for kind, r, pl in decoded(recv_all(s, 500)):
        answers[r] = (kind, pl[0] if isinstance(pl, list) and pl else pl)
s.close()
codes = {}
for kind, code in answers.values():
    codes[(kind, code)] = codes.get((kind, code), 0) + 1
tap(len(answers) == len(rids), "200 forged jobs requests at once: every one is answered (%d)" % len(answers),
    repr(codes))
tap(all(k == ERROR_REPLY and c in (b"28000", b"53300") for k, c in answers.values()),
    "200 forged jobs requests at once: all refused with 28000 or 53300", repr(codes))
note("burst answers: %r" % codes)
status_ok("agent answers after a burst of 200 forged callers")

status_ok("final: an enrolled peer's status request still gets a StatusReply")
print("# python cases: %d, failed %d" % (n, failed))
sys.exit(1 if failed else 0)
PYEOF
py_rc=${PIPESTATUS[0]}
# Carry on the python client's TAP numbering and failures.
PGC_T_N=$(grep -cE '^(not )?ok [0-9]+ ' "$py_out")
PGC_T_FAILED=$(grep -cE '^not ok [0-9]+ ' "$py_out")
grep -q '^# python cases: ' "$py_out"
t_ok $? "the python client ran to its end (exit $py_rc)"

jobs_after=$(pgc_psql target -c "SELECT count(*) FROM pgclone.jobs_view" 2>&1)
t_is "$jobs_after" "$jobs_before" "no job appeared for the forged callers (pgclone.jobs_view)"
t_is "$(pgc_psql target -c "SELECT to_regclass('basic.hostile_forged') IS NULL")" t \
  "the forged clone request created nothing on the target"
t_ok "$(pgc_agent_running && echo 0 || echo 1)" "the agent process is still running"
t_is "$(pgc_agent_pid)" "$pid_before" "it is the same process (never restarted)"
t_like "$(pgc_try_target 'SELECT pgclone.agent_status()')" '^OK \{' "pgclone.agent_status() still answers from the database"
t_like "$(pgc_try_target "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'basic', 'empty', true, 'empty_after_hostile')")" \
  '^OK OK:' "and a clone still works"
pgc_psql target -c "DROP TABLE IF EXISTS basic.empty_after_hostile" >/dev/null 2>&1
t_done
