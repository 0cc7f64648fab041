#!/usr/bin/env bash
# Errors in the middle of a table's COPY, from either side:
#  * a row the target refuses: the table's id column has a domain whose CHECK
#    calls a function that, on the target only (pgclone_test.refuse = on for the
#    target database), raises 23514 for id 1. The call fails with the target's
#    SQLSTATE and message, the job shows failed, nothing is left on the target;
#    without the refusal the same call works.
#  * text in a SQL_ASCII source that is not UTF-8: the source refuses to send it
#    to the agent's UTF-8 session, 22021, and nothing is cloned.
# (The target's error reaches the agent when the table's stream ends: libpq
# keeps it unread during COPY IN, so the rest of the table is still sent.)
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=pgclone_copy_refused
TGT=pgclone_copy_refused
SRC_CONNINFO="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC user=postgres"
ROWS=100000
call() { pgc_try_target_db "$TGT" "$1"; }   # -> "OK <result>" or "ERROR <sqlstate> <message>|DETAIL: ...|HINT: ..."
clone_sql="SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'legacy', true)"
on_target() { pgc_psql target -d "$TGT" "$@"; }

pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres -c "CREATE DATABASE $SRC" >/dev/null
# id 1 is written first, so it leads the table's COPY stream.
pgc_psql source -d "$SRC" >/dev/null <<SQL
SET client_min_messages = warning;
CREATE SCHEMA legacy;
CREATE FUNCTION legacy.accept(i integer) RETURNS boolean IMMUTABLE LANGUAGE plpgsql AS \$\$
BEGIN
  IF i = 1 AND current_setting('pgclone_test.refuse', true) = 'on' THEN
    RAISE EXCEPTION 'row % refused by the target', i USING ERRCODE = 'check_violation';
  END IF;
  RETURN true;
END \$\$;
CREATE DOMAIN legacy.checked_id AS integer CHECK (legacy.accept(VALUE));
CREATE TABLE legacy.notes (id legacy.checked_id PRIMARY KEY, body text NOT NULL);
INSERT INTO legacy.notes SELECT g, repeat('x', 400) FROM generate_series(1, $ROWS) g;
SQL
t_ok $? "source: legacy.notes, $ROWS rows, id checked by a domain"

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $TGT WITH (FORCE)" >/dev/null 2>&1
pgc_create_target_db "$TGT" >/dev/null
pgc_psql target -d postgres -c "ALTER DATABASE $TGT SET pgclone_test.refuse = on" >/dev/null

t0=$(pgc_now)
res=$(call "$clone_sql")
secs=$(pgc_elapsed "$t0")
t_like "$res" '^ERROR 23514 could not copy the data of legacy.notes: row 1 refused by the target' \
  "the clone fails with the target's 23514 (in $secs s): ${res:0:120}"
job=$(on_target -c "SELECT status FROM pgclone.jobs_view
  WHERE schema_name = 'legacy' ORDER BY job_id DESC LIMIT 1")
t_is "$job" failed "the job shows failed"
t_is "$(on_target -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'legacy'")" 0 \
  "nothing is left on the target"

pgc_psql target -d postgres -c "ALTER DATABASE $TGT RESET pgclone_test.refuse" >/dev/null
res=$(call "$clone_sql")
t_like "$res" "^OK OK: cloned schema legacy: 1 table \\($ROWS rows\\)" \
  "without the refusal the same call works: ${res:0:80}"
t_is "$(on_target -c "SELECT count(*) FROM legacy.notes")" "$ROWS" "every row arrived"

# A SQL_ASCII source holding bytes that are not UTF-8: the source refuses to
# send them (to the agent's UTF-8 session), so the clone fails at once with its
# 22021 and clones nothing.
ASCII=pgclone_legacy_ascii
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $ASCII WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres -c "CREATE DATABASE $ASCII ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" >/dev/null
pgc_psql source -d "$ASCII" -c "CREATE SCHEMA latin" -c "CREATE TABLE latin.words (w text)" \
  -c "INSERT INTO latin.words VALUES (E'caf\\351')" >/dev/null
res=$(call "SELECT pgclone.schema($(pgc_ql "host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$ASCII user=postgres"), 'latin', true)")
t_like "$res" '^ERROR 22021 .*invalid byte sequence for encoding "UTF8": 0xe9' \
  "bytes that are not UTF-8 fail the clone with the source's 22021: ${res:0:120}"
t_is "$(on_target -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'latin'")" 0 "and clone nothing"

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $TGT WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" -c "DROP DATABASE IF EXISTS $ASCII WITH (FORCE)" >/dev/null 2>&1
t_done
