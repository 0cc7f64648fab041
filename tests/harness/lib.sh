# shellcheck shell=bash
# pgclone test harness: throwaway PostgreSQL 15 clusters, the agent, cleanup,
# and a tiny TAP-style assertion library for the integration scripts.
#
# Source it from bash:   source tests/harness/lib.sh
#
# Two ways to use it:
#   * as the owner of a run (tests/run.sh, scripts/demo.sh):
#       pgc_init            # temp dir + cleanup trap
#       pgc_setup_env       # source + target clusters, fixtures, target DB, agent
#   * as a child of a run (tests/integration/*.sh):
#       pgc_attach_or_setup # reuse the clusters/agent described by the PGC_* env
#                           # vars the owner exported, or build a private set when
#                           # the script is run on its own
#
# Everything lives under one temp dir ($PGC_TMPDIR) that the cleanup trap stops
# and removes, also when a test fails or the run is interrupted
# (PGCLONE_TEST_KEEP=1 keeps it for post-mortems).
#
# Environment knobs:
#   PG_CONFIG                  default /usr/lib/postgresql/15/bin/pg_config
#   PGCLONE_TEST_PORT_BASE     first port to try (default 55400); ports are
#                              checked to be free before use
#   PGCLONE_AGENT              agent binary (default: pgclone-agent on PATH,
#                              else build/pgclone-agent)
#   PGCLONE_AGENT_LOG_LEVEL    default debug
#   PGCLONE_TEST_KEEP=1        do not stop/remove anything at exit

PGC_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PGC_LIB="$PGC_REPO/tests/harness/lib.sh"
: "${PG_CONFIG:=/usr/lib/postgresql/15/bin/pg_config}"
PGC_PG_BINDIR="${PGC_PG_BINDIR:-$("$PG_CONFIG" --bindir)}"
: "${PGCLONE_TEST_PORT_BASE:=55400}"
: "${PGCLONE_AGENT_LOG_LEVEL:=debug}"
PGC_PORT_LIMIT=$((PGCLONE_TEST_PORT_BASE + 99))
PGC_OWNER=0            # 1 in the process that created $PGC_TMPDIR

pgc_log() { printf '[harness %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
pgc_die() {
  pgc_log "FATAL: $*"
  if declare -F pgc_on_die >/dev/null; then pgc_on_die; fi
  exit 2
}

# ---------------------------------------------------------------- utilities

# Run a command as the postgres OS user (initdb refuses root).
pgc_as_pg() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    pgc_die "run the tests as root (or as the postgres user)"
  fi
}

# Same, but exec'ing in place (no runuser parent left behind), so that $! of a
# background call is the pid of the program itself and signals reach it directly.
pgc_exec_as_pg() {
  if [ "$(id -un)" = postgres ]; then
    exec "$@"
  else
    exec setpriv --reuid=postgres --regid=postgres --init-groups --reset-env -- \
      env PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 "$@"
  fi
}

# Close every inherited descriptor above 2 in a background subshell. A
# subshell forked inside a function called with redirections (f >/dev/null)
# inherits bash's saved copies of the caller's stdout/stderr; if those are a
# $(...) or a pipe, the caller would wait for them forever.
pgc_close_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    case $fd in 0|1|2|255) continue ;; esac
    eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

# Is anything listening on 127.0.0.1:PORT (tcp)?
pgc_port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Htan "( sport = :$port )" 2>/dev/null)" ] && return 0
    return 1
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Print a free port from the test range and reserve it for this run.
pgc_free_port() {
  local f="$PGC_TMPDIR/.next_port" p
  p=$(cat "$f" 2>/dev/null || echo "$PGCLONE_TEST_PORT_BASE")
  while [ "$p" -le "$PGC_PORT_LIMIT" ]; do
    if ! pgc_port_in_use "$p"; then
      echo $((p + 1)) >"$f"
      echo "$p"
      return 0
    fi
    p=$((p + 1))
  done
  pgc_die "no free port in $PGCLONE_TEST_PORT_BASE..$PGC_PORT_LIMIT"
}

# SQL quoting for the SQL the scripts generate: an identifier, a literal.
pgc_qi() { local s=${1//\"/\"\"}; printf '"%s"' "$s"; }
pgc_ql() { local s=${1//\'/\'\'}; printf "'%s'" "$s"; }

# pgc_schema_dump source|target DB SCHEMA [privileges] -> pg_dump --schema-only
# --no-owner --no-privileges of one schema (with "privileges": with its GRANTs
# and REVOKEs), without comments, SET lines and blank lines: what the fidelity
# tests compare between source and clone.
pgc_schema_dump() {
  local side=$1 db=$2 schema=$3 up sock port acl=--no-privileges
  [ "${4:-}" = privileges ] && acl=
  up=$(echo "$side" | tr '[:lower:]' '[:upper:]')
  eval "sock=\$PGC_${up}_SOCK port=\$PGC_${up}_PORT"
  "$PGC_PG_BINDIR/pg_dump" -h "$sock" -p "$port" -U postgres -d "$db" --schema-only --no-owner \
    $acl -n "$(pgc_qi "$schema")" 2>&1 |
    grep -v -E '^(--|SET |SELECT pg_catalog\.set_config|\\(un)?restrict )' | sed '/^[[:space:]]*$/d'
}

# pgc_build_pgxs_module DIR MODULE: builds DIR/MODULE.c with PGXS and installs
# the library into the server's $libdir (source and target share it here);
# prints make's output.
pgc_build_pgxs_module() {
  printf 'MODULES = %s\nPG_CONFIG = %s\nPGXS := $(shell $(PG_CONFIG) --pgxs)\ninclude $(PGXS)\n' "$2" "$PG_CONFIG" >"$1/Makefile"
  make -C "$1" 2>&1 && make -C "$1" install 2>&1
}

# Seconds since the epoch with microseconds (bash 5).
pgc_now() { echo "${EPOCHREALTIME/,/.}"; }
# pgc_elapsed START -> seconds since START, 3 decimals
pgc_elapsed() { awk -v a="$1" -v b="$(pgc_now)" 'BEGIN { printf "%.3f", b - a }'; }
# pgc_lt A B -> true when A < B (floats)
pgc_lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# pgc_wait_until TRIES COMMAND...: run COMMAND every 0.1 s until it succeeds
# (returns 0) or has failed TRIES times (returns 1).
pgc_wait_until() {
  local tries=$1 i
  shift
  for ((i = 0; i < tries; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------- lifecycle

pgc_init() {
  [ -n "${PGC_TMPDIR:-}" ] && [ "$PGC_OWNER" = 1 ] && return 0
  PGC_TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/pgclone-test.XXXXXX")"
  # postgres must be able to traverse and write the tree.
  chmod 755 "$PGC_TMPDIR"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGC_TMPDIR"
  PGC_OWNER=1
  export PGC_TMPDIR PGC_LIB PGC_PG_BINDIR PG_CONFIG
  trap 'pgc_cleanup' EXIT
  trap 'pgc_log "interrupted"; exit 130' INT
  trap 'pgc_log "terminated"; exit 143' TERM HUP
  pgc_log "temp dir $PGC_TMPDIR"
}

pgc_cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ "$PGC_OWNER" != 1 ]; then return $rc; fi
  if [ "${PGCLONE_TEST_KEEP:-0}" = 1 ]; then
    pgc_log "PGCLONE_TEST_KEEP=1: leaving clusters and agent running in $PGC_TMPDIR"
    pgc_log "environment: source $PGC_TMPDIR/env.sh"
    return $rc
  fi
  pgc_agent_stop >/dev/null 2>&1 || true
  local d
  for d in "$PGC_TMPDIR"/*/data; do
    [ -f "$d/postmaster.pid" ] || continue
    pgc_as_pg "$PGC_PG_BINDIR/pg_ctl" -D "$d" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
  done
  rm -rf "$PGC_TMPDIR"
  return $rc
}

# pgc_cluster_create NAME -> initdb under $PGC_TMPDIR/NAME; sets
# PGC_<NAME>_PORT, PGC_<NAME>_SOCK, PGC_<NAME>_DATA, PGC_<NAME>_LOG (exported).
pgc_cluster_create() {
  local name=$1 up port base
  up=$(echo "$name" | tr '[:lower:]' '[:upper:]')
  base="$PGC_TMPDIR/$name"
  port=$(pgc_free_port)
  mkdir -p "$base/data" "$base/sock"
  chown -R postgres:postgres "$base" 2>/dev/null || true
  chmod 700 "$base/data"
  chmod 755 "$base" "$base/sock"
  pgc_as_pg "$PGC_PG_BINDIR/initdb" -D "$base/data" -A trust -U postgres -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$base/initdb.log" 2>&1 ||
    { cat "$base/initdb.log" >&2; pgc_die "initdb $name failed"; }
  cat >>"$base/data/postgresql.conf" <<EOF

# --- pgclone test harness
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$base/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 60
shared_buffers = 32MB
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d %a '
lc_messages = 'C'
EOF
  printf -v "PGC_${up}_PORT" '%s' "$port"
  printf -v "PGC_${up}_SOCK" '%s' "$base/sock"
  printf -v "PGC_${up}_DATA" '%s' "$base/data"
  printf -v "PGC_${up}_LOG" '%s' "$base/server.log"
  export "PGC_${up}_PORT" "PGC_${up}_SOCK" "PGC_${up}_DATA" "PGC_${up}_LOG"
  pgc_enrol_cluster "$name"
}

# ---------------------------------------------------------------- trust

# pgc_agent_keys: the agent's CURVE key pair, made once per run
# ($PGC_TMPDIR/agent/agent.key, its public key in agent.pub).
pgc_agent_keys() {
  local dir="$PGC_TMPDIR/agent" bin
  [ -s "$dir/agent.pub" ] && return 0
  bin=$(pgc_agent_bin) || pgc_die "pgclone-agent not found (build it or set PGCLONE_AGENT)"
  mkdir -p "$dir"
  chown postgres:postgres "$dir" 2>/dev/null || true
  pgc_as_pg "$bin" keygen --out "$dir/agent.key" >"$dir/agent.pub.tmp" 2>/dev/null ||
    pgc_die "pgclone-agent keygen failed"
  mv "$dir/agent.pub.tmp" "$dir/agent.pub"
}

# pgc_enrol_cluster NAME: enrols cluster NAME with the agent as the README's
# security model describes: a key pair for the server (readable by postgres
# only), pgclone.key_file and pgclone.agent_public_key in its
# postgresql.conf (and the library in session_preload_libraries, so the
# settings are superuser-only from a session's first statement), and an entry in the agent's servers file whose target logs
# in as postgres over the cluster's socket (trust: the documented local
# setup). A running agent is told to reload.
pgc_enrol_cluster() {
  local name=$1 up base sock port pub bin dir="$PGC_TMPDIR/agent"
  up=$(echo "$name" | tr '[:lower:]' '[:upper:]')
  base="$PGC_TMPDIR/$name"
  eval "sock=\$PGC_${up}_SOCK port=\$PGC_${up}_PORT"
  pgc_agent_keys
  bin=$(pgc_agent_bin)
  pub=$(pgc_as_pg "$bin" keygen --out "$base/pgclone.key" 2>/dev/null) || pgc_die "keygen for $name failed"
  printf "pgclone.key_file = '%s'\npgclone.agent_public_key = '%s'\nsession_preload_libraries = 'pgclone'\n" \
    "$base/pgclone.key" "$(cat "$dir/agent.pub")" >>"$base/data/postgresql.conf"
  echo "$name $pub host=$sock port=$port user=postgres" >>"$dir/servers.list"
  pgc_write_servers_file
  if pgc_agent_running; then pgc_agent_reload; fi
}

# $PGC_TMPDIR/agent/servers.json from servers.list (name, key, target).
pgc_write_servers_file() {
  local dir="$PGC_TMPDIR/agent" name key target sep=""
  {
    printf '{"servers": ['
    if [ -f "$dir/servers.list" ]; then
      while read -r name key target; do
        printf '%s\n  {"name": "%s", "public_keys": ["%s"], "target": "%s"}' "$sep" "$name" "$key" "$target"
        sep=","
      done <"$dir/servers.list"
    fi
    printf '\n]}\n'
  } >"$dir/servers.json.tmp"
  chmod 600 "$dir/servers.json.tmp"
  chown postgres:postgres "$dir/servers.json.tmp" 2>/dev/null || true
  mv "$dir/servers.json.tmp" "$dir/servers.json"
}

# pgc_agent_reload: SIGHUP, then wait until the agent logged the reload.
pgc_agent_reload() {
  local before
  before=$(grep -c 'reloaded ' "$PGC_AGENT_LOG" 2>/dev/null || true)
  pgc_agent_signal HUP
  for _ in $(seq 1 100); do
    [ "$(grep -c 'reloaded ' "$PGC_AGENT_LOG" 2>/dev/null || true)" -gt "${before:-0}" ] && return 0
    sleep 0.05
  done
  pgc_log "the agent did not log a reload within 5 s"
  return 1
}

pgc_cluster_start() {
  local name=$1 base="$PGC_TMPDIR/$1"
  pgc_as_pg "$PGC_PG_BINDIR/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 60 start >/dev/null ||
    { tail -n 30 "$base/server.log" >&2; pgc_die "cluster $name did not start"; }
}

pgc_cluster_stop() {
  local name=$1 mode=${2:-fast}
  pgc_as_pg "$PGC_PG_BINDIR/pg_ctl" -D "$PGC_TMPDIR/$name/data" -m "$mode" -w -t 60 stop >/dev/null
}

# pgc_psql NAME [psql args...]: psql as postgres (or $PGC_PSQL_USER) to cluster
# NAME (source|target), database $PGC_<NAME>_DB unless -d is given. Quiet,
# unaligned, tuples only.
pgc_psql() {
  local name=$1 up sock port db
  shift
  up=$(echo "$name" | tr '[:lower:]' '[:upper:]')
  eval "sock=\$PGC_${up}_SOCK port=\$PGC_${up}_PORT db=\${PGC_${up}_DB:-postgres}"
  PGAPPNAME=${PGAPPNAME:-pgclone_tests} "$PGC_PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
    -h "$sock" -p "$port" -U "${PGC_PSQL_USER:-postgres}" -d "$db" "$@"
}

# ---------------------------------------------------------------- agent

pgc_agent_bin() {
  if [ -n "${PGCLONE_AGENT:-}" ]; then echo "$PGCLONE_AGENT"
  elif command -v pgclone-agent >/dev/null 2>&1; then command -v pgclone-agent
  elif [ -x "$PGC_REPO/build/pgclone-agent" ]; then echo "$PGC_REPO/build/pgclone-agent"
  else return 1; fi
}

# pgc_agent_start [extra agent args...]: start the agent as postgres on
# $PGC_AGENT_ENDPOINT (a free 127.0.0.1 port is picked the first time), wait
# until it accepts connections and (if the target test DB is set up) answers
# pgclone.agent_status(). pid in $PGC_TMPDIR/agent/pid, exit status in
# $PGC_TMPDIR/agent/rc once it exits, log (stderr) appended to $PGC_AGENT_LOG.
pgc_agent_start() {
  local bin dir="$PGC_TMPDIR/agent" pid
  bin=$(pgc_agent_bin) || pgc_die "pgclone-agent not found (build it or set PGCLONE_AGENT)"
  mkdir -p "$dir/state"
  pgc_agent_keys
  [ -f "$dir/servers.json" ] || pgc_write_servers_file
  chown -R postgres:postgres "$dir" 2>/dev/null || true
  chmod 700 "$dir/state"
  if [ -z "${PGC_AGENT_PORT:-}" ]; then
    PGC_AGENT_PORT=$(pgc_free_port)
  fi
  PGC_AGENT_ENDPOINT="tcp://127.0.0.1:$PGC_AGENT_PORT"
  PGC_AGENT_LOG="$dir/agent.log"
  PGC_AGENT_BIN="$bin"
  export PGC_AGENT_PORT PGC_AGENT_ENDPOINT PGC_AGENT_LOG PGC_AGENT_BIN
  rm -f "$dir/pid" "$dir/rc"
  # The wrapper subshell records the pid and, when the agent ends, its exit
  # status; it holds no test pipes open.
  (
    trap - EXIT INT TERM HUP
    pgc_close_fds
    (pgc_exec_as_pg "$bin" --listen "$PGC_AGENT_ENDPOINT" --state-dir "$dir/state" \
      --key "$dir/agent.key" --servers "$dir/servers.json" \
      --workers "${PGCLONE_AGENT_WORKERS:-4}" --log-level "$PGCLONE_AGENT_LOG_LEVEL" "$@") \
      </dev/null >>"$PGC_AGENT_LOG" 2>&1 &
    echo $! >"$dir/pid.tmp" && mv "$dir/pid.tmp" "$dir/pid"
    wait $!
    echo $? >"$dir/rc"
  ) </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 100); do [ -s "$dir/pid" ] && break; sleep 0.05; done
  pid=$(cat "$dir/pid")
  for _ in $(seq 1 200); do   # 20 s
    if [ -e "$dir/rc" ]; then
      tail -n 20 "$PGC_AGENT_LOG" >&2
      pgc_log "agent exited with status $(cat "$dir/rc") while starting"
      return 1
    fi
    if pgc_port_in_use "$PGC_AGENT_PORT" && pgc_agent_answers; then
      pgc_log "agent pid $pid listening on $PGC_AGENT_ENDPOINT"
      return 0
    fi
    sleep 0.1
  done
  tail -n 20 "$PGC_AGENT_LOG" >&2
  pgc_log "agent did not answer on $PGC_AGENT_ENDPOINT within 20 s"
  return 1
}

# True when pgclone.agent_status() answers from the target test DB (or, before
# that DB exists, when the port is open).
pgc_agent_answers() {
  [ -n "${PGC_TARGET_DB:-}" ] || return 0
  pgc_psql target -c "SET pgclone.agent_timeout = '2s'; SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" \
    -c "SELECT pgclone.agent_status()" >/dev/null 2>&1
}

pgc_agent_pid() { cat "$PGC_TMPDIR/agent/pid" 2>/dev/null; }
pgc_agent_running() {
  local pid
  pid=$(pgc_agent_pid) || return 1
  [ -n "$pid" ] && [ ! -e "$PGC_TMPDIR/agent/rc" ] && kill -0 "$pid" 2>/dev/null
}

# pgc_agent_wait_exit SECONDS -> 0 and prints the exit status once the agent
# (and its wrapper) ended within SECONDS, 1 otherwise.
pgc_agent_wait_exit() {
  local limit=$1 t0
  t0=$(pgc_now)
  while pgc_lt "$(pgc_elapsed "$t0")" "$limit"; do
    if [ -s "$PGC_TMPDIR/agent/rc" ]; then cat "$PGC_TMPDIR/agent/rc"; return 0; fi
    sleep 0.05
  done
  return 1
}

# pgc_agent_signal SIG
pgc_agent_signal() { kill -s "$1" "$(pgc_agent_pid)"; }

# pgc_agent_stop: SIGTERM, then SIGKILL after 15 s. Prints the exit status.
pgc_agent_stop() {
  local pid rc
  pid=$(pgc_agent_pid) || return 0
  [ -n "$pid" ] || return 0
  if [ ! -e "$PGC_TMPDIR/agent/rc" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! rc=$(pgc_agent_wait_exit 15); then
      pgc_log "agent did not exit after SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      rc=$(pgc_agent_wait_exit 5) || rc=unknown
    fi
  else
    rc=$(cat "$PGC_TMPDIR/agent/rc" 2>/dev/null || echo gone)
  fi
  echo "$rc"
}

pgc_agent_restart() { pgc_agent_stop >/dev/null; pgc_agent_start "$@"; }

# ---------------------------------------------------------------- full setup

# The standard environment: source cluster with tests/fixtures/*.sql loaded into
# $PGC_SOURCE_DB, target cluster with $PGC_TARGET_DB (pgtap, pgclone, the
# prerequisites from tests/fixtures/target/*.sql, the database-level settings
# the pgTAP files read), and a running agent.
pgc_setup_env() {
  local f
  pgc_init
  pgc_cluster_create source
  pgc_cluster_create target
  pgc_cluster_start source
  pgc_cluster_start target
  export PGC_SOURCE_DB=pgclone_src PGC_TARGET_DB_NAME=pgclone_test
  PGC_SOURCE_CONNINFO="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$PGC_SOURCE_DB user=postgres"
  PGC_TARGET_CONNINFO="host=$PGC_TARGET_SOCK port=$PGC_TARGET_PORT dbname=pgclone_test user=postgres"
  export PGC_SOURCE_CONNINFO PGC_TARGET_CONNINFO

  pgc_psql source -d postgres -c "CREATE DATABASE $PGC_SOURCE_DB"
  for f in "$PGC_REPO"/tests/fixtures/*.sql; do
    pgc_psql source -f "$f" >/dev/null || pgc_die "fixture $(basename "$f") failed to load"
  done
  pgc_psql source -c "VACUUM ANALYZE" >/dev/null
  pgc_log "source: $PGC_SOURCE_CONNINFO (fixtures loaded)"
  pgc_source_password_login

  PGC_AGENT_PORT=$(pgc_free_port)
  PGC_AGENT_ENDPOINT="tcp://127.0.0.1:$PGC_AGENT_PORT"
  PGC_DEAD_PORT=$(pgc_free_port)     # reserved, nothing ever listens there
  export PGC_AGENT_PORT PGC_AGENT_ENDPOINT PGC_DEAD_PORT
  pgc_create_target_db pgclone_test || pgc_die "could not prepare the target test database"
  export PGC_TARGET_DB=pgclone_test
  pgc_agent_start || pgc_die "agent did not start"
  pgc_write_env
}

# pgc_source_password_login: a role of the source that logs in with a
# password over TCP (scram-sha-256), for clones by non-superusers: the agent
# lends them no identity of its own (README, security model). Sets
# PGC_SOURCE_CONNINFO_PW.
pgc_source_password_login() {
  pgc_psql source -d postgres -c "CREATE ROLE pgc_reader LOGIN SUPERUSER PASSWORD 'Reader_Secret_Pw_4242'" >/dev/null
  pgc_scram_login source pgc_reader
  PGC_SOURCE_CONNINFO_PW="host=127.0.0.1 port=$PGC_SOURCE_PORT dbname=$PGC_SOURCE_DB user=pgc_reader password=Reader_Secret_Pw_4242"
  export PGC_SOURCE_CONNINFO_PW
}

# pgc_scram_login CLUSTER ROLE...: ROLE logs in to CLUSTER over 127.0.0.1 with
# its password only (scram-sha-256), whatever the cluster's other rules say.
# pgc_scram_logout CLUSTER ROLE... removes the rule again.
pgc_scram_login() { pgc_hba_rules "$1" add "${@:2}"; }
pgc_scram_logout() { pgc_hba_rules "$1" remove "${@:2}"; }
pgc_hba_rules() {  # pgc_hba_rules CLUSTER add|remove ROLE...
  local cluster=$1 action=$2 up data role
  shift 2
  up=$(echo "$cluster" | tr '[:lower:]' '[:upper:]')
  eval "data=\$PGC_${up}_DATA"
  for role in "$@"; do
    if [ "$action" = add ]; then sed -i "1i host all $role 127.0.0.1/32 scram-sha-256" "$data/pg_hba.conf"
    else sed -i "/^host all $role 127\.0\.0\.1\/32 scram-sha-256\$/d" "$data/pg_hba.conf"; fi
  done
  pgc_psql "$cluster" -d postgres -c "SELECT pg_reload_conf()" >/dev/null 2>&1
}

# pgc_caller_role ROLE: an ordinary login role of the target test database
# that may call pgclone (EXECUTE on its functions) and create what a clone
# of the fixtures' schema "basic" needs (that schema is made, as postgres's,
# if missing).
pgc_caller_role() {
  pgc_psql target -c "CREATE SCHEMA IF NOT EXISTS basic" -c "CREATE ROLE $1 LOGIN" \
    -c "GRANT USAGE ON SCHEMA pgclone TO $1" -c "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO $1" \
    -c "GRANT CREATE ON DATABASE \"$PGC_TARGET_DB\" TO $1" -c "GRANT USAGE, CREATE ON SCHEMA basic TO $1" >/dev/null
}

# pgc_try_as ROLE SQL: pgc_try_target, logged in as ROLE.
pgc_try_as() {
  local role=$1
  shift
  PGC_PSQL_USER=$role pgc_try_target "$*"
}

# $PGC_TMPDIR/env.sh: the environment of this run, for re-running one
# integration script by hand against kept clusters (PGCLONE_TEST_KEEP=1):
#   source /tmp/pgclone-test.XXXX/env.sh; bash tests/integration/agent_down.sh
pgc_write_env() {
  local v
  for v in $(compgen -v PGC_); do
    case $v in PGC_OWNER|PGC_T_*|PGC_PORT_LIMIT) continue ;; esac
    printf 'export %s=%q\n' "$v" "${!v}"
  done >"$PGC_TMPDIR/env.sh"
  printf 'export PGCLONE_AGENT=%q PGCLONE_TEST_PORT_BASE=%q\n' "${PGC_AGENT_BIN:-}" "$PGCLONE_TEST_PORT_BASE" >>"$PGC_TMPDIR/env.sh"
}

# pgc_create_target_db DBNAME: a target database with pgtap + pgclone, the
# prerequisite objects and the pgclone_test.* settings.
pgc_create_target_db() {
  local db=$1 f
  pgc_psql target -d postgres -c "CREATE DATABASE \"$db\"" || return 1
  pgc_psql target -d "$db" -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION pgclone" || return 1
  for f in "$PGC_REPO"/tests/fixtures/target/*.sql; do
    [ -e "$f" ] || continue
    pgc_psql target -d "$db" -f "$f" >/dev/null || return 1
  done
  pgc_psql target -d postgres \
    -c "ALTER DATABASE \"$db\" SET pgclone_test.source = '$PGC_SOURCE_CONNINFO'" \
    -c "ALTER DATABASE \"$db\" SET pgclone_test.source_pw = '$PGC_SOURCE_CONNINFO_PW'" \
    -c "ALTER DATABASE \"$db\" SET pgclone_test.dead_source = 'host=127.0.0.1 port=$PGC_DEAD_PORT dbname=$PGC_SOURCE_DB user=postgres connect_timeout=5'" \
    -c "ALTER DATABASE \"$db\" SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" || return 1
}

# For child scripts: reuse the run's environment, or build one when run alone.
pgc_attach_or_setup() {
  if [ -n "${PGC_TMPDIR:-}" ] && [ -d "$PGC_TMPDIR" ] && [ -n "${PGC_TARGET_DB:-}" ]; then
    PGC_OWNER=0
    return 0
  fi
  pgc_log "no PGC_* environment: building a private one (tests/run.sh normally provides it)"
  pgc_setup_env
}

# ---------------------------------------------------------------- TAP helpers

PGC_T_N=0
PGC_T_FAILED=0
t_ok() {   # t_ok RESULT(0=pass) DESCRIPTION [DIAG...]
  local r=$1 d=$2
  shift 2
  PGC_T_N=$((PGC_T_N + 1))
  if [ "$r" = 0 ]; then
    echo "ok $PGC_T_N - $d"
  else
    echo "not ok $PGC_T_N - $d"
    PGC_T_FAILED=$((PGC_T_FAILED + 1))
    local l
    for l in "$@"; do printf '#   %s\n' "$l"; done
  fi
}
t_is() {   # t_is GOT WANT DESCRIPTION
  [ "$1" = "$2" ]; t_ok $? "$3" "got:  '$1'" "want: '$2'"
}
t_like() { # t_like GOT ERE DESCRIPTION
  printf '%s' "$1" | grep -Eq -- "$2"; t_ok $? "$3" "got:  '$1'" "want match: /$2/"
}
t_unlike() {
  ! printf '%s' "$1" | grep -Eq -- "$2"; t_ok $? "$3" "got:  '$1'" "must not match: /$2/"
}
t_diag() { local l; for l in "$@"; do printf '# %s\n' "$l"; done; }
t_done() {
  echo "1..$PGC_T_N"
  if [ "$PGC_T_FAILED" -gt 0 ]; then
    echo "# $PGC_T_FAILED of $PGC_T_N failed"
    return 1
  fi
  return 0
}

# ---------------------------------------------------------------- SQL helpers for scripts

# Turn psql -v VERBOSITY=verbose output into one line:
#   "ERROR <sqlstate> <message>|DETAIL: <detail>|HINT: <hint>"
pgc_parse_psql_error() {
  awk '
    /^(psql:[^ ]* )?(ERROR|FATAL): / {
      sub(/^(psql:[^ ]* )?(ERROR|FATAL): +/, ""); st=substr($0,1,5); msg=substr($0,8); next }
    /^HINT: / { sub(/^HINT: +/, ""); hint=$0; next }
    /^DETAIL: / { sub(/^DETAIL: +/, ""); detail=$0; next }
    /server closed the connection|connection to server was lost/ { if (st == "") { st="conn!"; msg=$0 } }
    END { printf "ERROR %s %s|DETAIL: %s|HINT: %s\n", st, msg, detail, hint }'
}

# pgc_try_target SQL: run SQL in a fresh session on the target test DB; prints
# "OK <result>" or the pgc_parse_psql_error line. Settings can go first via
# PGC_SQL_PRE (e.g. "SET pgclone.agent_timeout = '3s'").
pgc_try_target() { pgc_try_target_db "" "$1"; }

# pgc_try_target_db DB SQL: pgc_try_target in database DB of the target ("" for
# the test database).
pgc_try_target_db() {
  local db=$1 sql=$2 out
  local errf="$PGC_TMPDIR/.try_err.$$"
  if out=$(pgc_psql target ${db:+-d "$db"} -v VERBOSITY=verbose ${PGC_SQL_PRE:+-c "$PGC_SQL_PRE"} -c "$sql" 2>"$errf"); then
    echo "OK $out"
  else
    { printf '%s\n' "$out"; cat "$errf"; } | pgc_parse_psql_error
  fi
  rm -f "$errf"
}

# pgc_bg_start NAME SQL [PRE_SQL]: run SQL on the target test DB in the
# background, in a session with application_name pgclone_tests_bg_NAME.
# Files in $PGC_TMPDIR/bg/NAME.*: out (psql output), rc, end (pgc_now).
pgc_bg_start() {
  local name=$1 sql=$2 pre=${3:-} d="$PGC_TMPDIR/bg"
  mkdir -p "$d"
  rm -f "$d/$name".*
  (
    trap - EXIT INT TERM HUP
    pgc_close_fds
    PGAPPNAME="pgclone_tests_bg_$name" pgc_psql target -v VERBOSITY=verbose \
      ${pre:+-c "$pre"} -c "$sql" >"$d/$name.out" 2>&1
    echo $? >"$d/$name.rc.tmp"
    pgc_now >"$d/$name.end"
    mv "$d/$name.rc.tmp" "$d/$name.rc"
  ) </dev/null >/dev/null 2>&1 &
  echo $! >"$d/$name.pid"
}

# pgc_bg_wait NAME SECONDS: 0 once the background call ended (within SECONDS).
pgc_bg_wait() {
  local name=$1 limit=$2 t0
  t0=$(pgc_now)
  while pgc_lt "$(pgc_elapsed "$t0")" "$limit"; do
    [ -e "$PGC_TMPDIR/bg/$name.rc" ] && return 0
    sleep 0.02
  done
  return 1
}
pgc_bg_rc() { cat "$PGC_TMPDIR/bg/$1.rc" 2>/dev/null; }
pgc_bg_end() { cat "$PGC_TMPDIR/bg/$1.end" 2>/dev/null; }
pgc_bg_output() { cat "$PGC_TMPDIR/bg/$1.out" 2>/dev/null; }
pgc_bg_error() { pgc_bg_output "$1" | pgc_parse_psql_error; }
# Backend pid of the background session NAME (empty if not connected).
pgc_bg_backend_pid() {
  pgc_psql target -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgclone_tests_bg_$1' LIMIT 1"
}
# Kill a background call that is still running (and its psql).
# pgc_bg_cancel_within_second NAME: pg_cancel_backend() on background call
# NAME's backend, then asserts (3 TAP lines) that the call returned, ended with
# 57014, and did so within 1 s.
pgc_bg_cancel_within_second() {
  local name=$1 pid t0 rc took
  pid=$(pgc_bg_backend_pid "$name")
  t0=$(pgc_now)
  pgc_psql target -c "SELECT pg_cancel_backend(${pid:-0})" >/dev/null
  pgc_bg_wait "$name" 10
  rc=$?
  took=$(awk -v a="$t0" -v b="$(pgc_bg_end "$name")" 'BEGIN { printf "%.3f", b - a }')
  t_ok $rc "the cancelled call returned"
  t_like "$(pgc_bg_error "$name")" '^ERROR 57014 ' "the call ended with 57014"
  pgc_lt "$took" 1.0; t_ok $? "within 1 s of pg_cancel_backend (took ${took}s)"
}

pgc_bg_kill() {
  local pid
  pid=$(cat "$PGC_TMPDIR/bg/$1.pid" 2>/dev/null) || return 0
  pkill -P "$pid" 2>/dev/null; kill "$pid" 2>/dev/null
  return 0
}

# pgc_source_busy PATTERN: active source sessions whose query matches PATTERN
# (ILIKE), other than harness sessions.
pgc_source_busy() {
  pgc_psql source -c "SELECT count(*) FROM pg_stat_activity
     WHERE pid <> pg_backend_pid() AND state = 'active' AND query ILIKE '$1'
       AND coalesce(application_name, '') NOT LIKE 'pgclone_tests%'"
}

# pgc_wait_source_idle PATTERN SECONDS: 0 once no such query runs any more.
pgc_wait_source_idle() {
  local t0
  t0=$(pgc_now)
  while pgc_lt "$(pgc_elapsed "$t0")" "$2"; do
    [ "$(pgc_source_busy "$1" 2>/dev/null)" = 0 ] && return 0
    sleep 0.1
  done
  return 1
}

# Number of sessions other than the caller's on the target test DB that are
# inside a transaction (the agent's load) — 0 once the agent rolled back.
pgc_target_open_xacts() {
  pgc_psql target -c "SELECT count(*) FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid()
       AND backend_type = 'client backend' AND xact_start IS NOT NULL
       AND coalesce(application_name, '') NOT LIKE 'pgclone_tests%'"
}

# pgc_wait_for_load TABLE_REGEX [SECONDS]: wait until a target session is
# loading data (a COPY ... FROM STDIN running on the target test DB).
pgc_wait_for_load() {
  local limit=${2:-15} t0 n
  t0=$(pgc_now)
  while pgc_lt "$(pgc_elapsed "$t0")" "$limit"; do
    n=$(pgc_psql target -c "SELECT count(*) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()
            AND state = 'active' AND query ILIKE 'COPY%$1%FROM%'" 2>/dev/null)
    [ "${n:-0}" -gt 0 ] && return 0
    sleep 0.1
  done
  return 1
}

# pgc_agent_jobs_active: how many agent jobs are pending or running (0 when
# the agent does not answer: nothing of it can be running then).
pgc_agent_jobs_active() {
  local n
  n=$(pgc_psql target -c "SELECT count(*) FROM pgclone.jobs_view WHERE status IN ('pending', 'running')" 2>/dev/null)
  echo "${n:-0}"
}

# pgc_wait_clean TABLE [SECONDS]: wait until every agent job has settled (a
# cancelled call returns at once; its job rolls the target back afterwards)
# and no foreign transaction is open on the target test DB; then prints
# whether TABLE (regclass text) exists: 0|1.
pgc_wait_clean() {
  local tbl=$1 limit=${2:-5} t0
  t0=$(pgc_now)
  while pgc_lt "$(pgc_elapsed "$t0")" "$limit"; do
    [ "$(pgc_agent_jobs_active)" = 0 ] && [ "$(pgc_target_open_xacts 2>/dev/null)" = 0 ] && break
    sleep 0.1
  done
  pgc_psql target -c "SELECT (to_regclass('$tbl') IS NOT NULL)::int"
}
