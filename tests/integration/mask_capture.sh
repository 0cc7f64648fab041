#!/usr/bin/env bash
# Proof that unmasked values never leave the source server (issue 11): masked
# clones run through tests/harness/capture_proxy.py, a TCP relay between the
# agent and the source that records every byte the source server sends.
#
#   1. a masked table clone ("mask") and a masked schema clone ("masks") of a
#      table with distinctive e-mails, names and phone numbers: the clones
#      succeed, the target holds the masked values, and not one original value
#      (nor a fragment of one) is anywhere in the captured server-to-client
#      bytes, while the same capture does hold the masked values and the
#      unmasked column (so the capture is the clone's data stream);
#   2. negative control: an unmasked clone through the same kind of relay DOES
#      show the original values in its capture, so the check can fail;
#   3. the source server's statement log (log_statement = all on the source
#      database for this run) shows the masked COPY (SELECT ...) and no COPY
#      of the masked table without its masks, and no original value;
#   4. neither the agent's log nor the job records (jobs_view, progress(),
#      progress_detail()) hold an original value or the agent's mask key.
#
# Only the server-to-client direction is the values proof. The client-to-
# server direction carries the agent's statements and, by design, the keyed
# hash's secret: the agent puts its (HMAC-padded) mask key into the startup
# packet (options -c pgclone_mask.inner=... -c pgclone_mask.outer=...), the
# one way into the source session that no statement log shows. So the key is
# expected in the client capture and checked to be absent everywhere else.
# The relay answers SSLRequest with 'N' and the conninfo says sslmode=disable,
# so the bytes are plain.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=mask_capture_src
CAP="$PGC_TMPDIR/mask_capture"
rm -rf "$CAP" && mkdir -p "$CAP"
MASKS='{"email": "email", "full_name": "name", "phone": "phone"}'

# Every original value of the masked columns, and fragments of them that no
# masked value contains (the phone mask keeps the last 4 digits, the e-mail
# mask the first letter and the domain).
ORIGINALS=(
  'Zebulon Quixotic-Farnsworth' 'Zebulon' 'Quixotic' 'Farnsworth'
  'Philomena Ravenscroft-Oduya' 'Philomena' 'Ravenscroft' 'Oduya'
  'Ignatius Wolfenbarger' 'Ignatius' 'Wolfenbarger'
  'secret-alice-7731@example.com' 'secret-alice-7731'
  'hidden-bob-4402@corp.example.org' 'hidden-bob-4402'
  'no-at-sign-secret-5512' 'secret-5512'
  '+1-555-867-5309' '555-867' '867-5309'
  '+44-20-7946-0958' '20-7946' '7946-0958'
)

PROXY_PID=
proxy_stop() {
  [ -n "$PROXY_PID" ] || return 0
  kill -TERM "$PROXY_PID" 2>/dev/null
  wait "$PROXY_PID" 2>/dev/null
  PROXY_PID=
}
cleanup() {
  proxy_stop
  [ "${PGCLONE_TEST_KEEP:-0}" = 1 ] && return 0
  pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
  pgc_psql target -c "DROP SCHEMA IF EXISTS mc_t CASCADE" -c "DROP SCHEMA IF EXISTS mc_s CASCADE" >/dev/null 2>&1
}
trap cleanup EXIT

# proxy_start NAME: a relay to the source's TCP port with captures in
# $CAP/NAME.{s2c,c2s,stats}; sets PROXY_PORT and PROXY_CONNINFO.
proxy_start() {
  local name=$1
  PROXY_PORT=$(pgc_free_port)
  python3 "$PGC_REPO/tests/harness/capture_proxy.py" --listen-port "$PROXY_PORT" \
    --port-file "$CAP/$name.port" --target-host 127.0.0.1 --target-port "$PGC_SOURCE_PORT" \
    --capture "$CAP/$name.s2c" --client-capture "$CAP/$name.c2s" --stats "$CAP/$name.stats" \
    </dev/null >"$CAP/$name.proxy.log" 2>&1 &
  PROXY_PID=$!
  for _ in $(seq 1 100); do [ -s "$CAP/$name.port" ] && break; sleep 0.05; done
  [ -s "$CAP/$name.port" ] || { cat "$CAP/$name.proxy.log" >&2; pgc_die "capture proxy $name did not start"; }
  PROXY_CONNINFO="host=127.0.0.1 port=$PROXY_PORT dbname=$SRC user=postgres sslmode=disable"
}

stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$CAP/$1.stats"; }
# fixed_count FILE STRING: how many times STRING occurs in FILE (bytes).
fixed_count() { grep -a -o -F -- "$2" "$1" | wc -l; }
file_size() { stat -c %s "$1"; }
# slice FILE FROM_BYTE: the file from that offset on (a phase's part of a log).
slice() { tail -c +"$(($2 + 1))" "$1"; }

# originals_in FILE: the original values found in FILE, one per line.
originals_in() {
  local v
  for v in "${ORIGINALS[@]}"; do grep -a -q -F -- "$v" "$1" && echo "$v"; done
}
# assert_no_originals FILE WHAT
assert_no_originals() {
  local found
  found=$(originals_in "$1")
  t_is "$found" "" "$2 holds none of the ${#ORIGINALS[@]} original values or fragments"
}

# ---------------------------------------------------------------- source
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" -c "CREATE DATABASE $SRC" >/dev/null
pgc_psql source -d "$SRC" >/dev/null <<'SQL' || pgc_die "could not create the source tables"
CREATE SCHEMA mc_t;
CREATE TABLE mc_t.people (
  id integer PRIMARY KEY,
  full_name text NOT NULL,
  email varchar(100),
  phone text,
  city text NOT NULL
);
INSERT INTO mc_t.people VALUES
  (1, 'Zebulon Quixotic-Farnsworth', 'secret-alice-7731@example.com', '+1-555-867-5309', 'Unmaskedville-9911'),
  (2, 'Philomena Ravenscroft-Oduya', 'hidden-bob-4402@corp.example.org', '+44-20-7946-0958', 'Plainton-2288'),
  (3, 'Ignatius Wolfenbarger', 'no-at-sign-secret-5512', NULL, 'Clearwater-3377');
CREATE SCHEMA mc_s;
CREATE TABLE mc_s.people (LIKE mc_t.people INCLUDING ALL);
INSERT INTO mc_s.people SELECT * FROM mc_t.people;
CREATE TABLE mc_s.visits (
  id integer PRIMARY KEY,
  person_id integer NOT NULL REFERENCES mc_s.people,
  place text NOT NULL
);
INSERT INTO mc_s.visits VALUES (1, 1, 'Visited-Lighthouse-6060'), (2, 2, 'Visited-Harbour-7070');
SQL
# Statistics with the original values as most common values exist on the
# source; a clone must not carry them across either.
pgc_psql source -d "$SRC" -c "VACUUM ANALYZE" >/dev/null
pgc_psql source -d postgres -c "ALTER DATABASE $SRC SET log_statement = 'all'" >/dev/null
pgc_psql target -c "DROP SCHEMA IF EXISTS mc_t CASCADE" -c "DROP SCHEMA IF EXISTS mc_s CASCADE" \
  -c "CREATE SCHEMA mc_t" >/dev/null

KEY_FILE="$PGC_TMPDIR/agent/state/mask.key"
[ -s "$KEY_FILE" ]; t_ok $? "the agent's mask key file exists ($KEY_FILE)"
# The key and the HMAC pads derived from it, as the agent sends them.
mapfile -t KEY_FORMS < <(python3 - "$KEY_FILE" <<'PY'
import sys
k = bytes.fromhex(open(sys.argv[1]).read().strip()).ljust(64, b"\0")
print(k[:32].hex()); print(bytes(b ^ 0x36 for b in k).hex()); print(bytes(b ^ 0x5c for b in k).hex())
PY
)
t_is "${#KEY_FORMS[@]}" 3 "the mask key and its two HMAC pads are known to the test"
# assert_no_key FILE WHAT
assert_no_key() {
  local f n=0
  for f in "${KEY_FORMS[@]}"; do grep -a -q -F -- "$f" "$1" && n=$((n + 1)); done
  t_is "$n" 0 "$2 holds neither the mask key nor its HMAC pads"
}

EXPECTED='1|XXXX|s***@example.com|***-5309|Unmaskedville-9911
2|XXXX|h***@corp.example.org|***-0958|Plainton-2288
3|XXXX|***||Clearwater-3377'

# run_phase NAME SQL: the clone SQL through a fresh relay; leaves the relay
# stopped and the phase's slices of the source log and the agent log in
# $CAP/NAME.source.log and $CAP/NAME.agent.log.
run_phase() {
  local name=$1 sql=$2 src_off agent_off
  proxy_start "$name"
  src_off=$(file_size "$PGC_SOURCE_LOG")
  agent_off=$(file_size "$PGC_AGENT_LOG")
  PHASE_OUT=$(pgc_try_target "${sql//@CONNINFO@/$(pgc_ql "$PROXY_CONNINFO")}")
  sleep 0.5   # let the agent and the server finish logging the job
  proxy_stop
  slice "$PGC_SOURCE_LOG" "$src_off" >"$CAP/$name.source.log"
  slice "$PGC_AGENT_LOG" "$agent_off" >"$CAP/$name.agent.log"
}

# check_capture NAME: the relay saw the clone's traffic, and its byte
# counter agrees with the capture file.
check_capture() {
  local name=$1
  t_like "$(stat_of "$name" connections)" '^[1-9]' "$name: the agent reached the source through the relay"
  t_is "$(stat_of "$name" server_to_client_bytes)" "$(file_size "$CAP/$name.s2c")" \
    "$name: the relay's byte counter equals the capture's size ($(file_size "$CAP/$name.s2c") bytes)"
}

# ---------------------------------------------------------------- 1a. masked table clone
run_phase table_masked "SELECT pgclone.table(@CONNINFO@, 'mc_t', 'people', true, 'people_masked', $(pgc_ql "{\"mask\": $MASKS}"))"
t_like "$PHASE_OUT" '^OK ' "masked table clone through the relay succeeds (${PHASE_OUT:0:120})"
t_is "$(pgc_psql target -c "SELECT id, full_name, email, phone, city FROM mc_t.people_masked ORDER BY id")" \
  "$EXPECTED" "the target holds the masked values (and the unmasked city)"
check_capture table_masked
S2C="$CAP/table_masked.s2c"
assert_no_originals "$S2C" "table_masked: the server-to-client capture"
t_is "$(fixed_count "$S2C" 'Unmaskedville-9911')" 1 "table_masked: the capture holds the unmasked column's value (once: the data stream)"
for v in 's***@example.com' 'h***@corp.example.org' '***-5309' '***-0958'; do
  t_ok "$(grep -a -q -F -- "$v" "$S2C"; echo $?)" "table_masked: the capture holds the masked value $v"
done
assert_no_key "$S2C" "table_masked: the server-to-client capture"
t_diag "table_masked: the mask key's inner pad is in the client-to-server capture (the startup packet, by design): $(grep -a -q -F -- "${KEY_FORMS[1]:-none}" "$CAP/table_masked.c2s" && echo yes || echo no)"
t_like "$(grep -a -c -E 'COPY \(SELECT .*XXXX.*FROM .*mc_t.*people' "$CAP/table_masked.source.log")" '^[1-9]' \
  "table_masked: the source's statement log shows the masked COPY (SELECT ...)"
t_diag "$(grep -a -m1 -o -E 'COPY \(SELECT .{0,300}' "$CAP/table_masked.source.log")"
t_is "$(grep -a -E 'COPY ' "$CAP/table_masked.source.log" | grep -a -E 'people' | grep -a -v -c 'XXXX')" 0 \
  "table_masked: no COPY of people without its masks reached the source"
assert_no_originals "$CAP/table_masked.source.log" "table_masked: the source's log of the clone"
assert_no_originals "$CAP/table_masked.agent.log" "table_masked: the agent's log of the clone ($PGCLONE_AGENT_LOG_LEVEL)"
assert_no_key "$CAP/table_masked.agent.log" "table_masked: the agent's log"
assert_no_key "$CAP/table_masked.source.log" "table_masked: the source's log"

# ---------------------------------------------------------------- 1b. masked schema clone
run_phase schema_masked "SELECT pgclone.schema(@CONNINFO@, 'mc_s', true, $(pgc_ql "{\"masks\": {\"people\": $MASKS}}"))"
t_like "$PHASE_OUT" '^OK ' "masked schema clone through the relay succeeds (${PHASE_OUT:0:120})"
t_is "$(pgc_psql target -c "SELECT id, full_name, email, phone, city FROM mc_s.people ORDER BY id")" \
  "$EXPECTED" "the target's mc_s.people holds the masked values"
t_is "$(pgc_psql target -c "SELECT count(*) FROM mc_s.visits v JOIN mc_s.people p ON p.id = v.person_id")" 2 \
  "the unmasked mc_s.visits came along and still joins"
check_capture schema_masked
S2C="$CAP/schema_masked.s2c"
assert_no_originals "$S2C" "schema_masked: the server-to-client capture"
t_is "$(fixed_count "$S2C" 'Unmaskedville-9911')" 1 "schema_masked: the capture holds the unmasked column's value (once: the data stream)"
t_ok "$(grep -a -q -F -- 'Visited-Lighthouse-6060' "$S2C"; echo $?)" "schema_masked: the capture holds the unmasked table's rows"
t_ok "$(grep -a -q -F -- 's***@example.com' "$S2C"; echo $?)" "schema_masked: the capture holds the masked e-mail"
assert_no_key "$S2C" "schema_masked: the server-to-client capture"
t_like "$(grep -a -c -E 'COPY \(SELECT .*XXXX.*FROM .*mc_s.*people' "$CAP/schema_masked.source.log")" '^[1-9]' \
  "schema_masked: the source's statement log shows the masked COPY (SELECT ...)"
t_is "$(grep -a -E 'COPY ' "$CAP/schema_masked.source.log" | grep -a -E 'people' | grep -a -v -c 'XXXX')" 0 \
  "schema_masked: no COPY of people without its masks reached the source"
assert_no_originals "$CAP/schema_masked.source.log" "schema_masked: the source's log of the clone"
assert_no_originals "$CAP/schema_masked.agent.log" "schema_masked: the agent's log of the clone"
assert_no_key "$CAP/schema_masked.agent.log" "schema_masked: the agent's log"

# ---------------------------------------------------------------- jobs
jobs_text="$CAP/jobs.txt"
pgc_psql target >"$jobs_text" 2>&1 <<'SQL'
SELECT row_to_json(j)::text FROM pgclone.jobs_view j;
SELECT pgclone.progress(j.job_id) FROM pgclone.jobs_view j;
SELECT row_to_json(d)::text FROM pgclone.progress_detail() d;
SQL
t_like "$(grep -c 'mc_' "$jobs_text")" '^[1-9]' "the job records mention the masked clones (jobs_view, progress())"
assert_no_originals "$jobs_text" "the job records (jobs_view, progress(), progress_detail())"
assert_no_key "$jobs_text" "the job records"

# ---------------------------------------------------------------- 2. negative control
run_phase table_plain "SELECT pgclone.table(@CONNINFO@, 'mc_t', 'people', true, 'people_plain')"
t_like "$PHASE_OUT" '^OK ' "unmasked table clone through the relay succeeds (${PHASE_OUT:0:120})"
check_capture table_plain
for v in 'secret-alice-7731@example.com' 'Zebulon Quixotic-Farnsworth' '+1-555-867-5309'; do
  t_ok "$(grep -a -q -F -- "$v" "$CAP/table_plain.s2c"; echo $?)" \
    "negative control: the unmasked clone's capture DOES show $v (the check can fail)"
done
t_is "$(originals_in "$CAP/table_plain.s2c" | wc -l)" "${#ORIGINALS[@]}" \
  "negative control: every original value and fragment is found in the unmasked capture"

pgc_psql source -d postgres -c "ALTER DATABASE $SRC RESET log_statement" >/dev/null
t_done
