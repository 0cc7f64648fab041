# shellcheck shell=bash
# bench/lib/common.sh: knobs, logging, timing and psql helpers of the benchmark.
# Sourced by bench/run.sh after tests/harness/lib.sh.

# ---------------------------------------------------------------- knobs

: "${BENCH_SCALE:=60}"
: "${BENCH_REPEAT:=3}"
: "${BENCH_WARMUP:=0}"
: "${BENCH_JOBS:=2}"
: "${BENCH_CONTENDERS:=pgclone pgcopydb pg_dump floor}"
: "${BENCH_TARGETS:=replica minimal}"
: "${BENCH_SHARED_BUFFERS:=1GB}"
: "${BENCH_MAX_WAL_SIZE:=8GB}"
: "${BENCH_CHECKPOINT_TIMEOUT:=30min}"
: "${BENCH_MAINTENANCE_WORK_MEM:=256MB}"
: "${BENCH_VERIFY:=content}"
: "${BENCH_MARKDOWN=$BENCH_DIR/results/latest.md}"
: "${BENCH_LOG_DIR:=}"
: "${BENCH_AGENT_WORKERS:=4}"
: "${BENCH_AGENT_LOG_LEVEL:=info}"
: "${BENCH_PGCOPYDB:=pgcopydb}"
: "${BENCH_MAX_LOCKS_PER_TRANSACTION:=64}"
# The data set: pgbench (bench/lib/dataset.sh) or many (bench/lib/many_tables.sh).
: "${BENCH_DATASET:=pgbench}"
: "${BENCH_MANY_TABLES:=2000}"
: "${BENCH_MANY_ROWS:=20}"
: "${BENCH_MANY_OBJECTS:=plain}"

# shellcheck disable=SC2034  # used by the other bench/lib files
BENCH_SRC_DB=bench          # source database
# shellcheck disable=SC2034
BENCH_SCHEMA=bench          # the schema every contender clones
# Rows of the mixed-type table per pgbench scale unit (1.2M at scale 60).
# shellcheck disable=SC2034
BENCH_EVENTS_PER_SCALE=20000

bench_check_knobs() {
  local v
  for v in BENCH_SCALE BENCH_REPEAT BENCH_JOBS BENCH_AGENT_WORKERS BENCH_MAX_LOCKS_PER_TRANSACTION BENCH_MANY_TABLES \
           BENCH_MANY_ROWS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || bench_die "$v must be a positive integer (got '${!v}')"
  done
  [[ $BENCH_WARMUP =~ ^(0|[1-9][0-9]*)$ ]] || bench_die "BENCH_WARMUP must be 0 or a positive integer (got '$BENCH_WARMUP')"
  [ -n "${BENCH_TARGETS// /}" ] || bench_die "BENCH_TARGETS must name at least one target configuration (replica, minimal)"
  for v in $BENCH_TARGETS; do
    case $v in replica|minimal) ;;
      *) bench_die "BENCH_TARGETS: unknown target configuration '$v' (replica or minimal)" ;;
    esac
  done
  case $BENCH_DATASET in pgbench|many) ;;
    *) bench_die "BENCH_DATASET must be pgbench or many (got '$BENCH_DATASET')" ;;
  esac
  case $BENCH_MANY_OBJECTS in plain|rich) ;;
    *) bench_die "BENCH_MANY_OBJECTS must be plain or rich (got '$BENCH_MANY_OBJECTS')" ;;
  esac
  case $BENCH_VERIFY in content|counts) ;;
    *) bench_die "BENCH_VERIFY must be content or counts (got '$BENCH_VERIFY')" ;;
  esac
  local c
  for c in $BENCH_CONTENDERS; do
    declare -F "contender_run_$c" >/dev/null || bench_die "unknown contender '$c' in BENCH_CONTENDERS"
  done
}

# ---------------------------------------------------------------- logging

bench_log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
bench_die() { bench_log "FATAL: $*"; exit 2; }

# ---------------------------------------------------------------- timing / numbers


# bench_cpu_busy: CPU seconds the whole machine has spent busy since boot
# (user + nice + system + irq + softirq of all CPUs; steal and idle left out).
# Source, target, agent and tools all run here, so the difference across a run
# is the work that run cost, whatever it overlapped.
bench_cpu_busy() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f\n", ($2 + $3 + $4 + $7 + $8) / hz; exit }' /proc/stat
}

# bench_stats VALUE... -> "best median" (3 decimals); "- -" without values.
bench_stats() {
  [ $# -gt 0 ] || { echo "- -"; return; }
  printf '%s\n' "$@" | sort -g | awk '
    { v[NR] = $1 }
    END {
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.3f %.3f\n", v[1], m }'
}

# bench_div A B [DECIMALS] -> A/B, or "-" when B is 0 or not a number.
bench_div() {
  awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN {
    if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) { print "-"; exit }
    printf "%.*f\n", d, a / b }'
}

bench_mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# ---------------------------------------------------------------- psql

# bench_psql CLUSTER DB [psql args...]: quiet, unaligned, tuples only, stops on error.
bench_psql() {
  local cluster=$1 db=$2 up sock port
  shift 2
  up=$(echo "$cluster" | tr '[:lower:]' '[:upper:]')
  eval "sock=\$PGC_${up}_SOCK port=\$PGC_${up}_PORT"
  PGTZ=UTC PGAPPNAME=${PGAPPNAME:-pgclone_bench} "$PGC_PG_BINDIR/psql" -X -q -A -t \
    -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d "$db" "$@"
}

# bench_conninfo CLUSTER DB -> libpq keyword/value string
bench_conninfo() {
  local up sock port
  up=$(echo "$1" | tr '[:lower:]' '[:upper:]')
  eval "sock=\$PGC_${up}_SOCK port=\$PGC_${up}_PORT"
  echo "host=$sock port=$port dbname=$2 user=postgres"
}

# bench_uri CLUSTER DB -> postgresql:// URI (unix socket), for pgcopydb
bench_uri() {
  local up sock port
  up=$(echo "$1" | tr '[:lower:]' '[:upper:]')
  eval "sock=\$PGC_${up}_SOCK port=\$PGC_${up}_PORT"
  echo "postgresql://postgres@/$2?host=$sock&port=$port"
}

# A directory under the run's temp dir that the postgres OS user can write.
bench_pgdir() {
  mkdir -p "$1"
  chown postgres:postgres "$1"
  chmod 755 "$1"
}
