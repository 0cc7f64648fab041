#!/usr/bin/env bash
# The job's target sessions build indexes with the maintenance_work_mem the
# "maintenance_work_mem" option asks for:
#  * by default 1GB, unless the server's setting is larger already (kept then);
#  * a size given in the option, exactly; null keeps the server's setting;
#  * a size the server refuses fails the call with its 22023, nothing cloned.
# The probe: an index on an expression whose function, on the target only
# (pgclone_test.probe = on for the target database), fails with the setting it
# sees — so the error message of the clone shows what the index build had.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=pgclone_mwm_src
TGT=pgclone_mwm_tgt
SRC_CONNINFO="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC user=postgres"
q() { pgc_psql target -d "$TGT" -c "$1" 2>&1; }
call() { pgc_try_target_db "$TGT" "$1"; }   # -> "OK <result>" or "ERROR <sqlstate> <message>|DETAIL: ...|HINT: ..."
clone_probe() {   # clone_probe OPTIONS_JSON -> what the index build saw
  call "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'probe', true, $(pgc_ql "$1"))" |
    sed -n 's/.*index build saw maintenance_work_mem=\([^ |]*\).*/\1/p'
}

pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres -c "CREATE DATABASE $SRC" >/dev/null
pgc_psql source -d "$SRC" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA probe;
CREATE FUNCTION probe.seen(i integer) RETURNS integer IMMUTABLE LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('pgclone_test.probe', true) = 'on' THEN
    RAISE EXCEPTION 'index build saw maintenance_work_mem=%', current_setting('maintenance_work_mem');
  END IF;
  RETURN i;
END $$;
CREATE TABLE probe.t (i integer);
INSERT INTO probe.t SELECT generate_series(1, 100);
CREATE INDEX t_seen ON probe.t (probe.seen(i));
SQL
t_ok $? "source: probe.t with an index on probe.seen(i)"

pgc_create_target_db "$TGT" >/dev/null
pgc_psql target -d postgres -c "ALTER DATABASE $TGT SET pgclone_test.probe = on" >/dev/null
server=$(q "SHOW maintenance_work_mem")

t_is "$(clone_probe '{}')" 1GB "by default the index build sorts with 1GB (server: $server)"
t_is "$(clone_probe '{"parallel": 2}')" 1GB "... on every loading worker"
t_is "$(clone_probe '{"maintenance_work_mem": "300MB"}')" 300MB "the option's size is used as given"
t_is "$(clone_probe '{"maintenance_work_mem": null}')" "$server" "null keeps the server's setting ($server)"
pgc_psql target -d postgres -c "ALTER DATABASE $TGT SET maintenance_work_mem = '2GB'" >/dev/null
t_is "$(clone_probe '{}')" 2GB "a server setting above 1GB is not lowered"
pgc_psql target -d postgres -c "ALTER DATABASE $TGT RESET maintenance_work_mem" >/dev/null

res=$(call "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'probe', true, '{\"maintenance_work_mem\": \"0\"}')")
t_like "$res" '^ERROR 22023 option "maintenance_work_mem": 0 kB is outside the valid range' \
  "a size the server refuses fails with its 22023, naming the option: $res"
t_like "$res" 'HINT: Give a size the target server accepts' "... and a hint"
res=$(call "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'probe', true, '{\"maintenance_work_mem\": \"lots\"}')")
t_like "$res" '^ERROR 22023 option "maintenance_work_mem" must be a memory size' \
  "a malformed size is refused before the agent is asked: $res"
t_is "$(q "SELECT count(*) FROM pg_namespace WHERE nspname = 'probe'")" 0 "nothing of schema probe was left behind"

pgc_psql target -d postgres -c "ALTER DATABASE $TGT RESET pgclone_test.probe" >/dev/null
res=$(call "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'probe', true, '{\"parallel\": 2}')")
t_like "$res" '^OK OK: cloned schema probe: 1 table \(100 rows\)' "without the probe the clone succeeds: $res"
t_is "$(q "SELECT count(*) FROM probe.t WHERE probe.seen(i) = i")" 100 "with its rows and expression index"

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $TGT WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
t_done
