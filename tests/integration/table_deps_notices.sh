#!/usr/bin/env bash
# table() and the sequences its defaults call (fixture 64_table_deps.sql): the
# NOTICEs the caller sees (pgTAP cannot read them; tests/sql/31_table_deps.sql
# checks the rest): a sequence kept because the target already has it, the
# schema of a created sequence, and the 42P07 detail naming the column.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

on_target() { pgc_psql target "$@"; }
clone() { on_target -c "SET client_min_messages = notice" -c "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'tdeps', '$1')" 2>&1; }
on_target -c "DROP SCHEMA IF EXISTS tdeps CASCADE" -c "DROP SCHEMA IF EXISTS tdeps_ext CASCADE" >/dev/null 2>&1

on_target -c "CREATE SCHEMA tdeps" -c "CREATE SEQUENCE tdeps.reused_seq START WITH 1000" >/dev/null
out=$(clone reused)
t_like "$out" 'OK: cloned tdeps\.reused, 2 rows' "the clone reusing a target sequence succeeds"
t_like "$out" 'NOTICE: +sequence tdeps\.reused_seq already exists on the target and is used as it is \(not repositioned\) by the default of column id' \
  "a NOTICE says the existing sequence is used and not repositioned"

out=$(clone film)
t_like "$out" 'NOTICE: +created schema tdeps_ext on the target' "the created sequence's schema is announced"
t_unlike "$out" 'already exists' "no reuse notice when the sequence is created"

on_target -c "CREATE TABLE tdeps.clash_seq (x integer)" >/dev/null
out=$(on_target -v VERBOSITY=verbose -c "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'tdeps', 'clash')" 2>&1)
t_like "$out" 'ERROR: +42P07: relation tdeps\.clash_seq already exists on the target and is not a sequence' "42P07 names the relation"
t_like "$out" 'DETAIL: +Sequence tdeps\.clash_seq is used by the default of column id on the source\.' "the detail names the column"

on_target -c "DROP SCHEMA tdeps CASCADE" -c "DROP SCHEMA tdeps_ext CASCADE" >/dev/null 2>&1
t_done
