# shellcheck shell=bash
# bench/experiments/lib.sh: what every experiment starts with. An experiment
# sets env_file (the env.sh a kept benchmark printed) and DB (its scratch target
# database), then sources this file, which
#   * sources env_file and the test harness (pgc_now, pgc_psql, ...);
#   * sets PS (psql into the source's bench database) and PT (psql into DB;
#     a later -d overrides it), both quiet, unaligned, tuples only;
#   * drops and creates DB on the target;
#   * defines pre_data (schema bench's tables, empty, into DB),
#     copy_out TABLE [WHERE ...] (the source's binary COPY of it on stdout) and
#     statement_logging (a logging setting on both servers, or reset).
# shellcheck source=/dev/null
source "${env_file:?set env_file before sourcing bench/experiments/lib.sh}"
source "$(dirname "${BASH_SOURCE[0]}")/../../tests/harness/lib.sh"

PS=("$PGC_PG_BINDIR/psql" -X -q -At -h "$PGC_SOURCE_SOCK" -p "$PGC_SOURCE_PORT" -U postgres -d bench)
PT=("$PGC_PG_BINDIR/psql" -X -q -At -h "$PGC_TARGET_SOCK" -p "$PGC_TARGET_PORT" -U postgres -d "${DB:?set DB}")
pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null

pre_data() {
  "$PGC_PG_BINDIR/pg_dump" -h "$PGC_SOURCE_SOCK" -p "$PGC_SOURCE_PORT" -U postgres -d bench -s -n bench \
    --section=pre-data | "${PT[@]}" >/dev/null
}
# statement_logging SETTING VALUE / statement_logging SETTING: sets one logging
# setting on both servers (every line then names its application), or resets it
# and the line prefix.
statement_logging() {
  local cluster
  for cluster in source target; do
    if [ $# -eq 2 ]; then
      pgc_psql "$cluster" -d postgres -c "ALTER SYSTEM SET $1 = $2" \
        -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] app=%a '" -c "SELECT pg_reload_conf()" >/dev/null
    else
      pgc_psql "$cluster" -d postgres -c "ALTER SYSTEM RESET $1" \
        -c "ALTER SYSTEM RESET log_line_prefix" -c "SELECT pg_reload_conf()" >/dev/null
    fi
  done
}
copy_out() { "${PS[@]}" -c "COPY (SELECT * FROM bench.$1 ${2:-}) TO STDOUT (FORMAT binary)"; }
