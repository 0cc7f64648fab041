#!/usr/bin/env bash
# Foreign keys of a schema clone are added NOT VALID and validated afterwards,
# several at once. This checks what that must not change:
#  * a foreign key valid on the source is valid on the clone; one NOT VALID on
#    the source stays NOT VALID (its rows may violate it);
#  * a validation that fails (here: the referenced table lies outside the
#    clone and the target's copy of it lacks rows) fails the call with the
#    server's 23503, naming the foreign key, and the target is as before;
#  * once the target's referenced rows are there, the same clone succeeds;
#  * pg_cancel_backend() while a validation runs ends the call with 57014 within
#    a second, stops the validation and leaves the target as before.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=pgclone_fkval_src
TGT=pgclone_fkval_tgt
SRC_CONNINFO="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC user=postgres"
q() { pgc_psql target -d "$TGT" -c "$1" 2>&1; }
call() { pgc_try_target_db "$TGT" "$1"; }   # -> "OK <result>" or "ERROR <sqlstate> <message>|DETAIL: ...|HINT: ..."
clone_app() { call "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'app', true, '{\"parallel\": 2}')"; }
validated_in() {   # validated_in SCHEMA CONSTRAINT -> t / f / (nothing when missing)
  q "SELECT convalidated FROM pg_constraint WHERE conname = '$2' AND connamespace = '$1'::regnamespace"
}
validated() { validated_in app "$1"; }

# ---------------------------------------------------------------- source
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres -c "CREATE DATABASE $SRC" >/dev/null
pgc_psql source -d "$SRC" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA refs;
CREATE TABLE refs.parent (id integer PRIMARY KEY);
INSERT INTO refs.parent SELECT generate_series(1, 1000);
CREATE SCHEMA app;
CREATE TABLE app.child (id integer PRIMARY KEY, pid integer NOT NULL REFERENCES refs.parent);
INSERT INTO app.child SELECT g, g FROM generate_series(1, 1000) g;
CREATE TABLE app.child2 (id integer PRIMARY KEY, pid integer REFERENCES refs.parent);
INSERT INTO app.child2 SELECT g, 1001 - g FROM generate_series(1, 1000) g;
CREATE TABLE app.loose (id integer PRIMARY KEY, pid integer);
INSERT INTO app.loose SELECT g, g * 10 FROM generate_series(1, 300) g;   -- pid up to 3000
ALTER TABLE app.loose ADD CONSTRAINT loose_pid_fkey FOREIGN KEY (pid) REFERENCES refs.parent NOT VALID;
SQL
t_ok $? "source: app.child and app.child2 reference refs.parent (valid), app.loose NOT VALID with violating rows"

# ---------------------------------------------------------------- target
pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $TGT WITH (FORCE)" >/dev/null 2>&1
pgc_create_target_db "$TGT" >/dev/null
q "CREATE SCHEMA refs; CREATE TABLE refs.parent (id integer PRIMARY KEY);
   INSERT INTO refs.parent SELECT generate_series(1, 500)" >/dev/null
t_is "$(q "SELECT count(*) FROM refs.parent")" 500 "target: refs.parent exists with only ids 1..500"

# ---------------------------------------------------------------- validation fails
res=$(clone_app)
t_like "$res" '^ERROR 23503 could not clone validation of foreign key child2?_pid_fkey on app\.child2?: insert or update on table "child2?" violates foreign key constraint "child2?_pid_fkey"' \
  "a failing validation fails the clone with 23503 naming the foreign key: $res"
t_like "$res" '\|DETAIL: Key \(pid\)=\([0-9]+\) is not present in table "parent"\.' "with the server's DETAIL"
t_is "$(q "SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")" 0 \
  "the target is as before: no schema app"
t_is "$(q "SELECT count(*) FROM refs.parent")" 500 "... and refs.parent untouched"

# ---------------------------------------------------------------- validation passes
q "INSERT INTO refs.parent SELECT generate_series(501, 1000)" >/dev/null
res=$(clone_app)
t_like "$res" '^OK OK: cloned schema app: 3 tables \(2300 rows\)' "with the referenced rows in place the clone succeeds: $res"
t_is "$(validated child_pid_fkey) $(validated child2_pid_fkey)" "t t" "the source's valid foreign keys are valid on the clone"
t_is "$(validated loose_pid_fkey)" f "the source's NOT VALID foreign key stays NOT VALID (its rows violate it)"
t_is "$(q "SELECT count(*) FROM app.loose WHERE pid > 1000")" 200 "... and its violating rows came along, as on the source"

# ---------------------------------------------------------------- cancel while validating
# Planner settings for the agent's (new) sessions in $TGT turn the validation's
# anti-join into a nested loop over sequential scans: 20,000 x 20,000 rows take
# many seconds, so the cancel arrives while it runs. COPY and index builds do
# not plan joins and stay fast.
pgc_psql source -d "$SRC" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA slowfk;
CREATE TABLE slowfk.parent (id integer PRIMARY KEY);
INSERT INTO slowfk.parent SELECT generate_series(1, 20000);
CREATE TABLE slowfk.child (id integer PRIMARY KEY, pid integer NOT NULL REFERENCES slowfk.parent);
INSERT INTO slowfk.child SELECT g, g FROM generate_series(1, 20000) g;
SQL
slow_plans="enable_hashjoin enable_mergejoin enable_indexscan enable_indexonlyscan enable_bitmapscan enable_material"
for g in $slow_plans; do pgc_psql target -d postgres -c "ALTER DATABASE $TGT SET $g = off" >/dev/null; done
PGC_TARGET_DB=$TGT pgc_bg_start slowfk \
  "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'slowfk', true, '{\"parallel\": 2}')"
validating() {
  q "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()
       AND query LIKE '%VALIDATE CONSTRAINT child_pid_fkey%'"
}
validating_now() { [ "$(validating)" = 1 ]; }
pgc_wait_until 150 validating_now
t_ok $? "the clone is validating slowfk.child's foreign key"
pgc_bg_cancel_within_second slowfk
t_is "$(PGC_TARGET_DB=$TGT pgc_wait_clean slowfk.child 5)" 0 "no slowfk.child left on the target"
t_is "$(q "SELECT count(*) FROM pg_namespace WHERE nspname = 'slowfk'")" 0 "no schema slowfk left on the target"
t_is "$(validating)" 0 "the validation was stopped"
for g in $slow_plans; do pgc_psql target -d postgres -c "ALTER DATABASE $TGT RESET $g" >/dev/null; done
res=$(call "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'slowfk', true, '{\"parallel\": 2}')")
t_like "$res" '^OK OK: cloned schema slowfk: 2 tables \(40000 rows\)' "the same clone succeeds afterwards: $res"
t_is "$(validated_in slowfk child_pid_fkey)" t "with its foreign key valid"

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $TGT WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
t_done
