#!/usr/bin/env bash
# pgclone.verify: after a clone every table is ✓ with its exact row counts;
# one changed row, one changed column value, one missing or extra table, on
# either side, is reported for that table only; "count" mode ignores a value
# change that keeps the count; columns_excluded hides a masked column's
# difference; tables/exclude_tables select; "detail" names the differing keys;
# physical order (CLUSTER, VACUUM FULL) does not matter, nor do the target's
# DateStyle/TimeZone/extra_float_digits; a verify waiting on a lock is
# cancelled by pg_cancel_backend within a second; bad options are 22023, a
# missing schema 3F000, an unreachable source 08001; no password in output.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=$PGC_SOURCE_CONNINFO
src() { pgc_psql source "$@"; }
tgt() { pgc_psql target "$@"; }
call() { pgc_try_target "$1"; }
# verify rows as "table|source_rows|target_rows|match", one per line
rows() { tgt -c "SELECT table_name, coalesce(source_rows::text, 'NULL'), coalesce(target_rows::text, 'NULL'), match FROM pgclone.verify('$SRC', 'vfy'${1:+, $(pgc_ql "$1")}) ORDER BY 1"; }
mismatches() { tgt -c "SELECT string_agg(table_name || ' ' || match, ',' ORDER BY table_name) FROM pgclone.verify('$SRC', 'vfy'${1:+, $(pgc_ql "$1")}) WHERE match <> '✓'"; }
detail_of() { tgt -c "SELECT detail FROM pgclone.verify('$SRC', 'vfy', $(pgc_ql "$2")) WHERE table_name = '$1'"; }

tgt -c "DROP SCHEMA IF EXISTS vfy CASCADE" >/dev/null 2>&1
src -c "DROP SCHEMA IF EXISTS vfy CASCADE" >/dev/null 2>&1
src >/dev/null <<'SQL'
CREATE SCHEMA vfy;
CREATE TABLE vfy.accounts (id int PRIMARY KEY, name text, balance numeric(12,2), created timestamptz,
                           ratio float8, span interval, born date, blob bytea, cash money, doc jsonb);
INSERT INTO vfy.accounts SELECT g, 'name ' || g, g * 1.5, '2024-01-01 00:00:00+00'::timestamptz + g * interval '1 hour',
       g / 7.0, g * interval '1 minute 3 seconds', date '2000-01-01' + g, decode(md5(g::text), 'hex'), g * 1.25,
       jsonb_build_object('n', g, 'f', g / 3.0)
  FROM generate_series(1, 1000) g;
-- An enum: hashed by its OID by its type's hash function, and OIDs differ
-- between the servers, so such a table must be hashed by text.
CREATE TYPE vfy.mood AS ENUM ('sad', 'happy');
CREATE TABLE vfy.items (a int, b text, qty int NOT NULL, kind vfy.mood NOT NULL, PRIMARY KEY (a, b));
INSERT INTO vfy.items SELECT g % 50, 'b' || (g / 50), g, CASE WHEN g % 3 = 0 THEN 'sad' ELSE 'happy' END::vfy.mood
  FROM generate_series(1, 200) g;
CREATE TABLE vfy.nokey (x int, y text);
INSERT INTO vfy.nokey SELECT g % 10, 'y' || g FROM generate_series(1, 100) g;
INSERT INTO vfy.nokey SELECT 1, 'y1' FROM generate_series(1, 3);  -- duplicate rows count
CREATE TABLE vfy.logs (id bigserial PRIMARY KEY, msg text NOT NULL);
INSERT INTO vfy.logs (msg) SELECT 'message ' || g FROM generate_series(1, 500) g;
CREATE TABLE vfy.people (id int PRIMARY KEY, email text, note text);
INSERT INTO vfy.people SELECT g, 'user' || g || '@example.com', 'n' || g FROM generate_series(1, 300) g;
CREATE TABLE vfy.uniq (code text NOT NULL UNIQUE, v int);
INSERT INTO vfy.uniq SELECT 'c' || g, g FROM generate_series(1, 50) g;
SQL
res=$(call "SELECT pgclone.schema('$SRC', 'vfy', true)")
t_like "$res" '^OK OK: cloned schema vfy' "the schema is cloned: $res"

# ------------------------------------------------------------ after the clone
want_counts=$(src -c "SELECT 'accounts|' || (SELECT count(*) FROM vfy.accounts) || '|' || (SELECT count(*) FROM vfy.accounts) || '|✓'")
got=$(rows)
t_is "$(printf '%s\n' "$got" | grep '^accounts|')" "$want_counts" "accounts: ✓ with its exact count on both sides"
t_is "$(printf '%s\n' "$got" | grep -c '|✓$')" 6 "all six tables ✓ after the clone"
t_is "$(printf '%s\n' "$got" | grep '^nokey|')" "nokey|103|103|✓" "a table without a key (and duplicate rows): 103 rows ✓"
t_is "$(mismatches)" "" "no mismatch"
t_is "$(tgt -c "SELECT count(*) FROM pgclone.verify('$SRC', 'vfy', '{}') WHERE detail IS NULL AND match = '✓'")" 6 \
  "the options form: six ✓ rows with a NULL detail"

# ------------------------------------------------------------ physical order and sessions' settings
tgt >/dev/null <<'SQL'
UPDATE vfy.logs SET msg = msg;
CREATE INDEX logs_msg_desc ON vfy.logs (msg DESC);
CLUSTER vfy.logs USING logs_msg_desc;
UPDATE vfy.accounts SET name = name WHERE id % 3 = 0;
VACUUM FULL vfy.accounts;
SQL
inversions=$(tgt -c "SELECT count(*) FROM (SELECT id, lag(id) OVER () AS prev FROM vfy.logs) s WHERE prev > id")
pgc_lt 250 "$inversions"; t_ok $? "the target's logs are now stored in another order ($inversions of 499 neighbours out of id order)"
tgt -d postgres -c "ALTER DATABASE $PGC_TARGET_DB SET timezone = 'Asia/Kathmandu'" \
  -c "ALTER DATABASE $PGC_TARGET_DB SET datestyle = 'SQL, DMY'" -c "ALTER DATABASE $PGC_TARGET_DB SET extra_float_digits = 0" \
  -c "ALTER DATABASE $PGC_TARGET_DB SET intervalstyle = 'iso_8601'" -c "ALTER DATABASE $PGC_TARGET_DB SET bytea_output = 'escape'" \
  -c "ALTER DATABASE $PGC_TARGET_DB SET lc_monetary = 'en_US.UTF-8'" >/dev/null 2>&1 \
  || tgt -d postgres -c "ALTER DATABASE $PGC_TARGET_DB SET timezone = 'Asia/Kathmandu'" \
       -c "ALTER DATABASE $PGC_TARGET_DB SET datestyle = 'SQL, DMY'" -c "ALTER DATABASE $PGC_TARGET_DB SET extra_float_digits = 0" \
       -c "ALTER DATABASE $PGC_TARGET_DB SET intervalstyle = 'iso_8601'" -c "ALTER DATABASE $PGC_TARGET_DB SET bytea_output = 'escape'" >/dev/null
t_is "$(mismatches)" "" "still all ✓ after CLUSTER / VACUUM FULL, with other DateStyle, TimeZone, IntervalStyle, extra_float_digits, bytea_output on the target"
tgt -d postgres -c "ALTER DATABASE $PGC_TARGET_DB RESET timezone" -c "ALTER DATABASE $PGC_TARGET_DB RESET datestyle" \
  -c "ALTER DATABASE $PGC_TARGET_DB RESET extra_float_digits" -c "ALTER DATABASE $PGC_TARGET_DB RESET intervalstyle" \
  -c "ALTER DATABASE $PGC_TARGET_DB RESET bytea_output" -c "ALTER DATABASE $PGC_TARGET_DB RESET lc_monetary" >/dev/null

# ------------------------------------------------------------ one value changed on the target (count kept)
tgt -c "UPDATE vfy.accounts SET balance = balance + 0.01 WHERE id = 42" >/dev/null
t_is "$(mismatches)" "accounts ✗" "one column value of one target row changed: accounts ✗, and only accounts"
t_is "$(mismatches '{"mode": "count"}')" "" "... ✓ in count mode (same row counts)"
d=$(detail_of accounts '{"detail": true}')
t_like "$d" '"reason":"content checksums differ"' "detail: the reason is the checksum"
t_like "$d" '"differing_rows":\[\{"difference":"changed","key":\{"id":"42"\}\}\]' "detail names id 42 as changed: $d"
t_is "$(mismatches '{"columns_excluded": {"accounts": ["balance"]}}')" "" "columns_excluded {\"accounts\": [balance]} hides it"
t_is "$(mismatches '{"columns_excluded": {"vfy.accounts": ["balance"]}}')" "" "... and so does \"vfy.accounts\""
t_is "$(mismatches '{"columns_excluded": {"vfy.accounts": ["name"]}}')" "accounts ✗" "... but not excluding another column"
tgt -c "UPDATE vfy.accounts SET balance = balance - 0.01 WHERE id = 42" >/dev/null
t_is "$(mismatches)" "" "changed back: all ✓"

# Equal values that are not the same value: by value they would hash alike.
# (Without the money column, which no hash function covers, each other
# column could be hashed by value.)
nocash='{"columns_excluded": {"accounts": ["cash"]}}'
tgt -c "UPDATE vfy.accounts SET balance = balance::numeric(14,4) WHERE id = 42" >/dev/null
t_is "$(tgt -c "SELECT balance::text FROM vfy.accounts WHERE id = 42")" "63.00" "numeric(12,2) keeps its scale (no change)"
tgt -c "ALTER TABLE vfy.accounts ALTER balance TYPE numeric" -c "UPDATE vfy.accounts SET balance = 63.0000 WHERE id = 42" >/dev/null
t_is "$(tgt -c "SELECT balance = 63.00 FROM vfy.accounts WHERE id = 42")" t "63.0000 = 63.00 on the target"
t_is "$(mismatches "$nocash")" "accounts ✗" "numeric 63.00 became 63.0000 (equal, printed otherwise): accounts ✗"
tgt -c "UPDATE vfy.accounts SET balance = 63.00 WHERE id = 42" -c "ALTER TABLE vfy.accounts ALTER balance TYPE numeric(12,2)" >/dev/null
tgt -c "UPDATE vfy.accounts SET doc = jsonb_set(doc, '{n}', '42.0') WHERE id = 42" >/dev/null
t_is "$(tgt -c "SELECT doc = jsonb_set(doc, '{n}', '42') FROM vfy.accounts WHERE id = 42")" t "jsonb 42.0 = 42 on the target"
t_is "$(mismatches "$nocash")" "accounts ✗" "jsonb 42 became 42.0 (equal, printed otherwise): accounts ✗"
tgt -c "UPDATE vfy.accounts SET doc = jsonb_set(doc, '{n}', '42') WHERE id = 42" >/dev/null
tgt -c "UPDATE vfy.accounts SET span = span + interval '1 day' - interval '24 hours' WHERE id = 42" >/dev/null
t_is "$(mismatches "$nocash")" "accounts ✗" "an interval plus 1 day minus 24 hours (equal, printed otherwise): accounts ✗"
tgt -c "UPDATE vfy.accounts SET span = 42 * interval '1 minute 3 seconds' WHERE id = 42" >/dev/null
t_is "$(mismatches "$nocash")" "" "all three changed back: ✓"

# ------------------------------------------------------------ masked column
tgt -c "UPDATE vfy.people SET email = md5(email) || '@masked.invalid'" >/dev/null
t_is "$(mismatches)" "people ✗" "a masked column on the target: people ✗"
t_is "$(mismatches '{"columns_excluded": {"people": ["email"]}}')" "" "columns_excluded of the masked column: ✓"

# ------------------------------------------------------------ rows deleted / inserted on the target
tgt -c "DELETE FROM vfy.logs WHERE id = 7" -c "INSERT INTO vfy.logs VALUES (100000, 'extra')" >/dev/null
got=$(rows '{"columns_excluded": {"people": ["email"]}}' | grep '^logs|')
t_is "$got" "logs|500|500|✗" "one row deleted and one inserted on the target (count kept): logs ✗"
d=$(detail_of logs '{"detail": 5, "columns_excluded": {"people": ["email"]}}')
t_like "$d" '\{"difference":"missing on target","key":\{"id":"7"\}\}' "detail: id 7 missing on target"
t_like "$d" '\{"difference":"missing on source","key":\{"id":"100000"\}\}' "detail: id 100000 missing on source: $d"
tgt -c "DELETE FROM vfy.logs WHERE id = 100000" -c "INSERT INTO vfy.logs VALUES (7, 'message 7')" >/dev/null

tgt -c "UPDATE vfy.items SET qty = qty + 1 WHERE a = 3 AND b = 'b1'" -c "UPDATE vfy.uniq SET v = -1 WHERE code = 'c9'" >/dev/null
d=$(detail_of items '{"detail": true}')
t_like "$d" '"key":\{"a":"3","b":"b1"\}' "detail with a two-column key: $d"
d=$(detail_of uniq '{"detail": true}')
t_like "$d" '"key_columns":\["code"\]' "detail keyed by a unique NOT NULL column: $d"
t_like "$d" '"key":\{"code":"c9"\}' "... naming the changed row by it"
tgt -c "UPDATE vfy.items SET qty = qty - 1 WHERE a = 3 AND b = 'b1'" -c "UPDATE vfy.uniq SET v = 9 WHERE code = 'c9'" >/dev/null
tgt -c "UPDATE vfy.nokey SET y = 'changed' WHERE y = 'y50'" >/dev/null
d=$(detail_of nokey '{"detail": true}')
t_like "$d" 'no primary key or unique key' "a table without a key: the detail says so: $d"
tgt -c "UPDATE vfy.nokey SET y = 'y50' WHERE y = 'changed'" >/dev/null
t_is "$(mismatches '{"columns_excluded": {"people": ["email"]}}')" "" "all restored: ✓"

# ------------------------------------------------------------ changes on the source
src -c "INSERT INTO vfy.logs (id, msg) VALUES (900000, 'only on the source')" >/dev/null
got=$(rows '{"columns_excluded": {"people": ["email"]}}' | grep '^logs|')
t_is "$got" "logs|501|500|✗" "one row inserted on the source: logs ✗ with both exact counts"
t_is "$(mismatches '{"columns_excluded": {"people": ["email"]}}')" "logs ✗" "... and only logs"
d=$(detail_of logs '{"detail": true, "columns_excluded": {"people": ["email"]}}')
t_like "$d" '"reason":"row counts differ"' "detail: the reason is the row count"
t_like "$d" '\{"difference":"missing on target","key":\{"id":"900000"\}\}' "detail: id 900000 missing on target: $d"
src -c "DELETE FROM vfy.logs WHERE id = 900000" -c "UPDATE vfy.accounts SET name = 'renamed' WHERE id = 1" >/dev/null
t_is "$(mismatches '{"columns_excluded": {"people": ["email"]}}')" "accounts ✗" "one value changed on the source: accounts ✗ only"
t_is "$(mismatches '{"mode": "count", "columns_excluded": {"people": ["email"]}}')" "" "... ✓ in count mode"
src -c "UPDATE vfy.accounts SET name = 'name 1' WHERE id = 1" >/dev/null

# ------------------------------------------------------------ a column missing on the target
tgt -c "ALTER TABLE vfy.uniq DROP COLUMN v" >/dev/null
d=$(tgt -c "SELECT match || ' ' || detail FROM pgclone.verify('$SRC', 'vfy', '{}') WHERE table_name = 'uniq'")
t_like "$d" '^✗ .*columns missing on the target: v' "a column missing on the target: ✗ naming it, no SQL error: $d"
t_is "$(mismatches '{"columns_excluded": {"people": ["email"], "uniq": ["v"]}}')" "" "... ✓ once it is excluded"

# ------------------------------------------------------------ tables missing / extra
tgt -c "DROP TABLE vfy.items" -c "CREATE TABLE vfy.extra (i int)" -c "INSERT INTO vfy.extra VALUES (1), (2)" >/dev/null
got=$(rows '{"columns_excluded": {"people": ["email"], "uniq": ["v"]}}')
t_is "$(printf '%s\n' "$got" | grep '^items|')" "items|200|NULL|✗ (missing)" "a table dropped on the target: ✗ (missing), target_rows NULL"
t_is "$(printf '%s\n' "$got" | grep '^extra|')" "extra|NULL|2|✗ (not on source)" "a table only on the target: ✗ (not on source), source_rows NULL"
t_is "$(printf '%s\n' "$got" | grep -c '|✓$')" 5 "the other five tables stay ✓"
t_is "$(tgt -c "SELECT count(*) FROM pgclone.verify('$SRC', 'vfy')")" 7 "the 2-argument form lists them too (7 rows)"

# ------------------------------------------------------------ tables / exclude_tables
t_is "$(tgt -c "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM pgclone.verify('$SRC', 'vfy', '{\"tables\": [\"acc.*\", \"vfy.logs\"]}')")" \
  "accounts,logs" "tables: only the matching tables"
t_is "$(tgt -c "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM pgclone.verify('$SRC', 'vfy', '{\"exclude_tables\": [\"items\", \"extra\", \"p.*\"]}')")" \
  "accounts,logs,nokey,uniq" "exclude_tables: those are left out (on both sides)"

# ------------------------------------------------------------ the whole database
got=$(tgt -c "SELECT schema_name || '.' || table_name || ' ' || match FROM pgclone.verify('$SRC') WHERE schema_name = 'vfy' ORDER BY 1")
t_like "$got" 'vfy.accounts ✓' "verify(conninfo): every user schema of the source, vfy among them"
t_like "$(tgt -c "SELECT count(DISTINCT schema_name) FROM pgclone.verify('$SRC')")" '^([2-9]|[1-9][0-9]+)$' "... and other schemas of the source"

# ------------------------------------------------------------ a job like the clones
job=$(tgt -c "SELECT job_id || '|' || status || '|' || tables_total || '|' || tables_completed FROM pgclone.jobs_view WHERE op_type = 'verify' ORDER BY job_id DESC LIMIT 1")
t_like "$job" '^[0-9]+\|completed\|([1-9][0-9]*)\|\1$' "jobs_view lists the verify job, completed, with its tables counted: $job"
res=$(call "SELECT count(*) FROM pgclone.verify($(pgc_ql "$PGC_SOURCE_CONNINFO_PW"), 'vfy')")
t_is "$res" "OK 7" "a password conninfo works"
shown=$(tgt -c "SELECT string_agg(pgclone.progress(job_id)::text, ' ') FROM pgclone.jobs_view WHERE op_type = 'verify'")
t_like "$shown" 'pgc_reader' "progress() shows the verify jobs' sources"
t_unlike "$shown" 'Reader_Secret_Pw_4242' "... without the password"
t_unlike "$(cat "$PGC_AGENT_LOG")" 'Reader_Secret_Pw_4242|Dead_Pw_777' "no password in the agent's log"

# ------------------------------------------------------------ errors
res=$(call "SELECT * FROM pgclone.verify('$SRC', 'no_such_schema')")
t_like "$res" '^ERROR 3F000 source schema no_such_schema does not exist' "missing source schema: 3F000"
res=$(call "SELECT * FROM pgclone.verify($(pgc_ql "$PGC_SOURCE_CONNINFO_PW"), 'vfy', '{\"mode\": \"fast\"}')")
t_like "$res" '^ERROR 22023 option "mode" must be "checksum" or "count"' "bad mode: 22023 naming the key"
t_unlike "$res" 'Reader_Secret' "... without the password"
res=$(call "SELECT * FROM pgclone.verify('$SRC', 'vfy', '{\"tabels\": []}')")
t_like "$res" '^ERROR 22023 unknown option "tabels"' "unknown option: 22023 naming it"
res=$(call "SELECT * FROM pgclone.verify('$SRC', 'vfy', '{\"detail\": 0}')")
t_like "$res" '^ERROR 22023 option "detail" must be' "detail 0: 22023"
res=$(call "SELECT * FROM pgclone.verify('$SRC', 'vfy', '{\"columns_excluded\": [\"a\"]}')")
t_like "$res" '^ERROR 22023 option "columns_excluded" must be an object' "columns_excluded not an object: 22023"
res=$(call "SELECT * FROM pgclone.verify('$SRC', 'vfy', '{\"tables\": [\"(\"]}')")
t_like "$res" '^ERROR 22023 invalid regular expression in pattern 1 of option "tables"' "bad pattern: 22023"
res=$(call "SELECT * FROM pgclone.verify('host=127.0.0.1 port=$PGC_DEAD_PORT dbname=x user=postgres password=Dead_Pw_777 connect_timeout=3', 'vfy')")
t_like "$res" '^ERROR 08001 ' "unreachable source: 08001"
t_unlike "$res" 'Dead_Pw_777' "... without the password"
res=$(call "SELECT * FROM pgclone.verify(NULL)")
t_like "$res" '^ERROR 22004 ' "NULL conninfo: 22004"

# ------------------------------------------------------------ cancel
# A session holding an ACCESS EXCLUSIVE lock on a target table: verify waits
# for it (its snapshot keeper locks every table ACCESS SHARE).
pgc_bg_start holder "BEGIN; LOCK TABLE vfy.accounts IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT"
sleep 0.5
pgc_bg_start verify "SELECT * FROM pgclone.verify('$SRC', 'vfy')"
waiting=1
for _ in $(seq 1 100); do
  [ "$(tgt -c "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'vfy.accounts'::regclass")" != 0 ] && { waiting=0; break; }
  sleep 0.05
done
t_ok $waiting "the verify waits for the lock on vfy.accounts"
phase=""
for _ in $(seq 1 40); do
  phase=$(tgt -c "SELECT status || ' ' || current_phase FROM pgclone.jobs_view WHERE op_type = 'verify' ORDER BY job_id DESC LIMIT 1")
  [[ $phase == *"waiting for lock"* ]] && break; sleep 0.1
done
t_like "$phase" '^running waiting for lock on .*accounts' "jobs_view shows the verify job running, waiting for the lock: $phase"
pgc_bg_cancel_within_second verify
t_is "$(tgt -c "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'vfy.accounts'::regclass")" 0 \
  "the agent's session no longer waits"
for _ in $(seq 1 50); do
  st=$(tgt -c "SELECT status FROM pgclone.jobs_view WHERE op_type = 'verify' ORDER BY job_id DESC LIMIT 1")
  [ "$st" = cancelled ] && break; sleep 0.1
done
t_is "$st" cancelled "the verify job is cancelled"

# pgclone.cancel(job_id) from another session
pgc_bg_start verify2 "SELECT * FROM pgclone.verify('$SRC', 'vfy')"
job2=""
for _ in $(seq 1 100); do
  job2=$(tgt -c "SELECT job_id FROM pgclone.jobs_view WHERE op_type = 'verify' AND status = 'running' AND current_phase LIKE 'waiting for lock%' ORDER BY job_id DESC LIMIT 1")
  [ -n "$job2" ] && break; sleep 0.05
done
t_like "$job2" '^[0-9]+$' "a second verify waits for the lock: job $job2"
t0=$(pgc_now)
t_like "$(tgt -c "SELECT pgclone.cancel(${job2:-0})")" 'cancel requested' "pgclone.cancel() of the verify job"
pgc_bg_wait verify2 5; t_ok $? "the waiting call returned"
took=$(pgc_elapsed "$t0")
t_like "$(pgc_bg_error verify2)" '^ERROR 57014 ' "... with 57014"
pgc_lt "$took" 1.5; t_ok $? "within 1.5 s of pgclone.cancel() (took ${took}s)"
pgc_bg_kill holder
tgt -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgclone_tests_bg_holder'" >/dev/null

tgt -c "DROP SCHEMA IF EXISTS vfy CASCADE" >/dev/null 2>&1
src -c "DROP SCHEMA IF EXISTS vfy CASCADE" >/dev/null 2>&1
t_done
