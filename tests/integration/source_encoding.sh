#!/usr/bin/env bash
# A source database in another server encoding (LATIN1) than the target
# (UTF-8): binary COPY is still used — the send/receive functions of text-like
# types convert through the sessions' client encoding (UTF-8 on both sides) —
# and every non-ASCII value arrives intact, through table() and schema() alike:
# text, varchar, char(n), json, jsonb, text[], name and an enum label.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=pgclone_latin1
SRC_CONNINFO="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC user=postgres"
call() { pgc_try_target "$1"; }
want='café|crème|brûlé |{"clé": "été"}|{"où": "là"}|{à,ç}|ñame|gêné'

pgc_psql target -c "DROP SCHEMA IF EXISTS latin CASCADE" >/dev/null 2>&1
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres \
  -c "CREATE DATABASE $SRC ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" >/dev/null
PGCLIENTENCODING=UTF8 pgc_psql source -d "$SRC" >/dev/null <<'SQL'
CREATE SCHEMA latin;
CREATE TYPE latin.mood AS ENUM ('gêné', 'ravi');
CREATE TABLE latin.words (t text, v varchar(10), c char(6), j jsonb, js json, a text[], n name, m latin.mood);
INSERT INTO latin.words VALUES ('café', 'crème', 'brûlé', '{"clé": "été"}', '{"où": "là"}', '{à,ç}', 'ñame', 'gêné');
SQL
t_is "$(PGCLIENTENCODING=UTF8 pgc_psql source -d "$SRC" -c "SELECT * FROM latin.words")" "$want" \
  "source: a LATIN1 database with non-ASCII values"

log_start=$(stat -c %s "$PGC_AGENT_LOG")
res=$(call "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'latin', true)")
t_like "$res" '^OK OK: cloned schema latin: 1 table \(1 row\)' "schema() from the LATIN1 source: $res"
t_is "$(pgc_psql target -c "SELECT * FROM latin.words")" "$want" "schema(): every value arrives intact"
res=$(call "SELECT pgclone.table($(pgc_ql "$SRC_CONNINFO"), 'latin', 'words', true, 'words_t')")
t_like "$res" '^OK OK: cloned latin.words as latin.words_t, 1 row' "table() from the LATIN1 source: $res"
t_is "$(pgc_psql target -c "SELECT * FROM latin.words_t")" "$want" "table(): every value arrives intact"
copy_line=$(tail -c +"$((log_start + 1))" "$PGC_AGENT_LOG" | grep -a 'TO STDOUT' | grep -a 'latin.words' | tail -1)
t_like "$copy_line" 'FORMAT binary' "table() used binary COPY across the two encodings"

pgc_psql target -c "DROP SCHEMA IF EXISTS latin CASCADE" >/dev/null 2>&1
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
t_done
