#!/usr/bin/env bash
# Agents on several hosts (issue 13), with network namespaces standing in for
# the hosts: a coordinator (--workers 0: it loads nothing itself) and two
# worker agents, each in its own namespace, joined by veth pairs on a bridge
# of the test's own; the PostgreSQL servers are reached over TCP at the
# bridge's address. One schema clone is spread over both workers; then a
# second clone loses one worker to kill -9 and the other to a cut link while
# they load, and must still be complete and row-for-row identical; then a
# rolling restart of the workers during a third clone. The coordinator runs
# from a config file (SIGHUP re-reads its log level); the metrics endpoints
# of the coordinator and a worker are scraped before and after.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

command -v ip >/dev/null || pgc_die "this test needs iproute2 (ip netns)"
[ "$(id -u)" -eq 0 ] || pgc_die "this test makes network namespaces: run it as root"

tag=$$
net=10.213.$((tag % 200 + 20))
bridge=pgcbr$tag
ns_coord=pgc-coord-$tag ns_w1=pgc-w1-$tag ns_w2=pgc-w2-$tag
dir="$PGC_TMPDIR/cluster"
bin=$(pgc_agent_bin)
mkdir -p "$dir"

cleanup_cluster() {
  local pid log
  if [ "${PGC_T_FAILED:-0}" -gt 0 ]; then
    for log in "$dir"/*.log; do t_diag "--- $(basename "$log"), last lines:" "$(tail -n 25 "$log")"; done
  fi
  for pid in "$dir"/*.pid; do [ -f "$pid" ] && kill -9 "$(cat "$pid")" 2>/dev/null; done
  for ns in "$ns_coord" "$ns_w1" "$ns_w2"; do ip netns del "$ns" 2>/dev/null; done
  ip link del "$bridge" 2>/dev/null
  for c in source target; do
    pgc_psql "$c" -d postgres -c "ALTER SYSTEM RESET listen_addresses" >/dev/null 2>&1
    eval "data=\$PGC_$(echo $c | tr a-z A-Z)_DATA"
    sed -i "/^host all all $net.0\/24 trust\$/d" "$data/pg_hba.conf"
    pgc_cluster_stop "$c" >/dev/null 2>&1; pgc_cluster_start "$c" >/dev/null 2>&1
  done
}
trap 'cleanup_cluster; pgc_cleanup' EXIT

# wait_for SECONDS SHELL-CONDITION: true once the condition holds (checked every 0.2 s).
wait_for() {
  local deadline=$(( $(date +%s) + $1 ))
  while [ "$(date +%s)" -le "$deadline" ]; do
    eval "$2" && return 0
    sleep 0.2
  done
  return 1
}

# ---------------------------------------------------------------- the hosts
ip link add "$bridge" type bridge && ip addr add "$net.1/24" dev "$bridge" && ip link set "$bridge" up ||
  pgc_die "could not make bridge $bridge"
host_n=10
for ns in "$ns_coord" "$ns_w1" "$ns_w2"; do
  ip netns add "$ns" || pgc_die "could not make namespace $ns"
  ip link add "vh$host_n-$tag" type veth peer name "vn$host_n-$tag"
  ip link set "vn$host_n-$tag" netns "$ns"
  ip -n "$ns" link set "vn$host_n-$tag" name eth0
  ip -n "$ns" addr add "$net.$host_n/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip link set "vh$host_n-$tag" master "$bridge" up
  host_n=$((host_n + 1))
done
coord_ip=$net.10 w1_ip=$net.11 w2_ip=$net.12

# The servers listen on the bridge too, and trust its hosts (as the
# harness's servers trust their local socket).
for c in source target; do
  eval "data=\$PGC_$(echo $c | tr a-z A-Z)_DATA"
  pgc_psql "$c" -d postgres -c "ALTER SYSTEM SET listen_addresses = '127.0.0.1,$net.1'" >/dev/null
  echo "host all all $net.0/24 trust" >>"$data/pg_hba.conf"
  pgc_cluster_stop "$c" && pgc_cluster_start "$c"
done
ip netns exec "$ns_w1" timeout 5 bash -c "echo >/dev/tcp/$net.1/$PGC_TARGET_PORT" 2>/dev/null
t_ok $? "worker host 1 reaches the target server over the bridge"
src_tcp="host=$net.1 port=$PGC_SOURCE_PORT dbname=$PGC_SOURCE_DB user=postgres"

# ---------------------------------------------------------------- the agents
# Every agent logs in to the target over TCP; the coordinator keeps the
# harness's key pair and enrolment (the target's pgclone.agent_public_key).
target_key=$(awk '$1 == "target" { print $2 }' "$PGC_TMPDIR/agent/servers.list")
printf '{"servers": [{"name": "target", "public_keys": ["%s"], "target": "host=%s port=%s user=postgres"}]}\n' \
  "$target_key" "$net.1" "$PGC_TARGET_PORT" >"$dir/servers.json"
for w in w1 w2; do
  mkdir -p "$dir/$w"
  chown postgres:postgres "$dir" "$dir/$w"
  "$bin" keygen --out "$dir/$w.key" 2>/dev/null | head -1 >>"$dir/worker_keys"
done
chmod 600 "$dir"/*.key "$dir/servers.json"; chmod 644 "$dir/worker_keys"
chown postgres:postgres "$dir"/* 2>/dev/null
coord_port=$(pgc_free_port) worker_port=$(pgc_free_port) metrics_port=$(pgc_free_port) w1_metrics_port=$(pgc_free_port)
coordinator_ep="tcp://$coord_ip:$coord_port"
# The coordinator's options as the README's config file gives them.
cat >"$dir/coord.toml" <<EOF
# coordinator of the cluster_netns test
listen = "$coordinator_ep"
allow-remote = true
worker-listen = "tcp://$coord_ip:$worker_port"
worker-keys = "$dir/worker_keys"
workers = 0
worker-name = "coordinator"
key = "$PGC_TMPDIR/agent/agent.key"
servers = "$dir/servers.json"
metrics-listen = "$coord_ip:$metrics_port"
log-level = "info"
EOF
chown postgres:postgres "$dir/coord.toml"

# start_in NS NAME ARGS...: an agent as postgres in namespace NS, pid in $dir/NAME.pid.
start_in() {
  local ns=$1 name=$2
  shift 2
  (
    trap - EXIT INT TERM HUP
    pgc_close_fds
    ip netns exec "$ns" setpriv --reuid=postgres --regid=postgres --init-groups --reset-env -- \
      env PATH=/usr/local/bin:/usr/bin:/bin "$bin" "$@" </dev/null >>"$dir/$name.log" 2>&1 &
    echo $! >"$dir/$name.pid"
  ) >/dev/null 2>&1
}
start_coordinator() {
  mkdir -p "$dir/coord"; chown postgres:postgres "$dir/coord"
  start_in "$ns_coord" coord --config "$dir/coord.toml" --state-dir "$dir/coord"
}
start_worker() {  # start_worker w1|w2
  local ns metrics=()
  eval "ns=\$ns_$1"
  [ "$1" = w1 ] && metrics=(--metrics-listen "$w1_ip:$w1_metrics_port" --allow-remote)
  start_in "$ns" "$1" "${metrics[@]}" --join "tcp://$coord_ip:$worker_port" --coordinator-key "$(cat "$PGC_TMPDIR/agent/agent.pub")" \
    --key "$dir/$1.key" --servers "$dir/servers.json" --state-dir "$dir/$1" --workers 2 --worker-name "$1" \
    --log-level "$PGCLONE_AGENT_LOG_LEVEL"
}
tgt() { pgc_psql target -c "SET pgclone.agent_endpoint = '$coordinator_ep'" "$@"; }
workers_joined() { tgt -c "SELECT count(*) FROM json_array_elements(pgclone.agent_status()::json->'worker_agents')" 2>/dev/null | tail -1; }

start_coordinator
start_worker w1
start_worker w2
wait_for 20 '[ "$(workers_joined)" = 2 ]'
t_ok $? "the coordinator answers from its own host and both worker agents joined" "$(tail -n 5 "$dir/coord.log")"
status=$(tgt -c "SELECT pgclone.agent_status()" | tail -1)
# metric HOST:PORT NAME{LABELS}: its value at that endpoint (0 when absent)
scrape() { curl -sf --max-time 5 "http://$1/metrics"; }
metric() { scrape "$1" | awk -v m="$2" '$1 == m { v = $2 } END { print v + 0 }'; }
coord_metrics=$coord_ip:$metrics_port
t_like "$(scrape "$coord_metrics" | grep -c '^# TYPE pgclone_')" '^[1-9][0-9]*$' "the coordinator's /metrics answers in Prometheus text"
t_is "$(metric "$coord_metrics" pgclone_worker_agents)" 2 "metrics before: 2 worker agents"
t_is "$(metric "$coord_metrics" 'pgclone_worker_slots{worker="w2"}')" 2 "metrics before: w2 offers 2 slots"
t_is "$(metric "$coord_metrics" 'pgclone_jobs{state="completed"}')" 0 "metrics before: no job completed"
t_is "$(curl -sf --max-time 5 "http://$coord_metrics/healthz")" ok "/healthz says ok"
t_like "$status" '"name":"w1".*"slots":2' "agent_status() lists worker w1 with its 2 slots"
t_like "$status" '"address":"'"$w2_ip"'"' "... and w2 at its own address"

# ---------------------------------------------------------------- the data
# Every row's CHECK sleeps 1 ms on the target (not while the fixture is
# made): each table's load takes ~1.5 s, long enough to be caught in it.
pgc_psql source >/dev/null <<'SQL'
DROP SCHEMA IF EXISTS spread CASCADE;
CREATE SCHEMA spread;
CREATE FUNCTION spread.slow_ok(i integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('pgclone_test.fast', true), '') <> 'on' THEN PERFORM pg_sleep(0.001); END IF;
  RETURN i IS NOT NULL;
END $$;
SET pgclone_test.fast = on;
DO $$ BEGIN
  FOR t IN 1..8 LOOP
    EXECUTE format('CREATE TABLE spread.t%s (id integer PRIMARY KEY, v text, CHECK (spread.slow_ok(id)))', t);
    EXECUTE format('INSERT INTO spread.t%s SELECT g, md5(g::text) FROM generate_series(1, 1500) g', t);
  END LOOP;
END $$;
CREATE TABLE spread.nopk (id integer, v text, CHECK (spread.slow_ok(id)));
INSERT INTO spread.nopk SELECT g % 700, md5(g::text) FROM generate_series(1, 1500) g;
CREATE TABLE spread.child (id integer PRIMARY KEY, t1_id integer REFERENCES spread.t1);
INSERT INTO spread.child SELECT g, g FROM generate_series(1, 1500) g;
SQL

table_digest() {  # table_digest CLUSTER: one line per table: name count md5
  pgc_psql "$1" -c "SELECT c.relname, (xpath('/row/c/text()', query_to_xml(format(
      'SELECT count(*) || '' '' || md5(coalesce(string_agg(t::text, '','' ORDER BY t::text), '''')) AS c FROM spread.%I t',
      c.relname), false, true, '')))[1]::text
    FROM pg_class c WHERE c.relnamespace = 'spread'::regnamespace AND c.relkind = 'r' ORDER BY 1"
}
src_digest=$(table_digest source)

# run_clone: submits the schema clone, prints the job id.
run_clone() {
  tgt -c "DROP SCHEMA IF EXISTS spread CASCADE" >/dev/null 2>&1
  tgt -c "SELECT pgclone.schema_async('$src_tcp', 'spread', true, '{\"parallel\": 4}')" | tail -1
}
job_status() { tgt -c "SELECT status FROM pgclone.jobs_view WHERE job_id = $1" | tail -1; }
wait_job() {  # wait_job JOB SECONDS
  waited_job=$1
  wait_for "$2" '[ "$(job_status "$waited_job")" != running ] && [ "$(job_status "$waited_job")" != pending ]'
}
active_task_of() {  # a worker's target session running a table load step
  pgc_psql target -d postgres -c "SELECT pid FROM pg_stat_activity WHERE client_addr = '$1'
    AND application_name LIKE 'pgclone-agent task %' AND state = 'active' LIMIT 1"
}

# ---------------------------------------------------------------- 1: spread
job=$(run_clone)
wait_job "$job" 60
t_is "$(job_status "$job")" completed "job $job (schema spread, 10 tables) completed on two worker agents"
t_is "$(table_digest target)" "$src_digest" "every table equals the source, row for row"
hosts=$(tgt -c "SELECT pgclone.progress($job)::json->'hosts'" | tail -1)
t_like "$hosts" '"w1":[1-9]' "w1 loaded tables of the job (progress().hosts: $hosts)"
t_like "$hosts" '"w2":[1-9]' "w2 loaded tables of the same job"
t_unlike "$hosts" 'coordinator' "the coordinator (--workers 0) loaded none itself"
t_like "$(cat "$dir/w1.log" "$dir/w2.log" | grep -c 'runs validation of foreign key')" '^[1-9]' \
  "the foreign key's validation ran in a worker's slot too"
t_like "$(tgt -c "SELECT pgclone.progress($job)::json->'table_hosts'->>'spread.t1'" | tail -1)" '^w[12]$' \
  "progress().table_hosts names the host of each table"
t_like "$(tgt -c "SELECT hosts FROM pgclone.jobs_view WHERE job_id = $job" | tail -1)" '^w1: [0-9]+ tables?, w2: [0-9]+ tables?$' \
  "jobs_view.hosts sums it up"
t_like "$(metric "$w1_ip:$w1_metrics_port" 'pgclone_worker_tasks_total{result="done"}')" '^[1-9]' \
  "w1's own /metrics counts the tasks it did"

# SIGHUP re-reads the config file's log level.
sed -i 's/^log-level = "info"/log-level = "debug"/' "$dir/coord.toml"
kill -HUP "$(cat "$dir/coord.pid")"
wait_for 5 'grep -q "reloaded .*coord.toml: log level debug" "$dir/coord.log"'
t_ok $? "SIGHUP: the coordinator took log-level debug from its config file"

# ---------------------------------------------------------------- 2: lost workers
job=$(run_clone)
wait_for 30 '[ -n "$(active_task_of "$w1_ip")" ]'
t_ok $? "w1 is loading a table of job $job"
kill -9 "$(cat "$dir/w1.pid")"
wait_for 30 '[ -n "$(active_task_of "$w2_ip")" ]'
t_ok $? "w2 is loading a table of job $job"
ip link set "vh12-$tag" down   # w2 is cut off: its sessions stay open, waiting
wait_for 20 'grep -q "worker w1 .* lost" "$dir/coord.log"'
t_ok $? "the coordinator noticed w1's death"
wait_for 20 'grep -q "worker w2 .* lost" "$dir/coord.log"'
t_ok $? "... and w2's partition" "$(grep -i lost "$dir/coord.log" | tail -3)"
# Nobody is left to load: the job waits for a worker. One comes back.
start_worker w1
wait_job "$job" 120
t_is "$(job_status "$job")" completed "job $job completed after losing both workers mid-load (w1 restarted)" \
  "$(tail -n 20 "$dir/coord.log")"
t_is "$(table_digest target)" "$src_digest" "every table equals the source, row for row: nothing lost, nothing twice"
t_is "$(pgc_psql target -c "SELECT count(*) FROM spread.nopk")" 1500 "spread.nopk (no key to catch duplicates) has its 1500 rows"
t_like "$(grep -c 'is done again' "$dir/coord.log")" '^[1-9]' "lost tasks were redone ($(grep -c 'is done again' "$dir/coord.log"))"
t_like "$(grep 'ending .* target session' "$dir/coord.log" | head -1)" 'ending 1 target session' \
  "the lost workers' open target sessions were ended before their tables were redone"
# Its link is still down: without the coordinator ending them, its sessions
# would wait for COPY data until TCP gave up, holding their tables' locks.
t_is "$(pgc_psql target -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE client_addr = '$w2_ip'")" 0 \
  "no session of the cut-off worker is left on the target"

t_is "$(metric "$coord_metrics" 'pgclone_jobs{state="completed"}')" 2 "metrics after: 2 jobs completed"
t_like "$(metric "$coord_metrics" pgclone_task_retries_total)" '^[1-9]' "metrics after: task retries counted"
t_like "$(metric "$coord_metrics" pgclone_workers_lost_total)" '^[2-9]' "metrics after: 2 workers lost"
t_like "$(metric "$coord_metrics" pgclone_rows_copied)" '^(2[7-9]|[3-9][0-9])[0-9]{3}$' "metrics after: rows copied by both jobs"
ip link set "vh12-$tag" up
wait_for 20 '[ "$(workers_joined)" = 2 ]'
t_ok $? "w2 rejoined by itself once its link was back"

# ---------------------------------------------------------------- 3: rolling restart
job=$(run_clone)
wait_for 30 '[ -n "$(active_task_of "$w1_ip")" ]'
kill -TERM "$(cat "$dir/w1.pid")"   # drains: finishes its tasks, takes no new ones
wait_for 30 '! kill -0 "$(cat "$dir/w1.pid")" 2>/dev/null'
t_ok $? "w1 drained and stopped on SIGTERM"
t_like "$(grep -c 'draining' "$dir/w1.log")" '^[1-9]' "w1 logged its draining"
start_worker w1
wait_for 20 '[ "$(workers_joined)" = 2 ]'
kill -TERM "$(cat "$dir/w2.pid")"
wait_for 30 '! kill -0 "$(cat "$dir/w2.pid")" 2>/dev/null'
start_worker w2
wait_job "$job" 120
t_is "$(job_status "$job")" completed "job $job completed through a rolling restart of both workers"
t_is "$(table_digest target)" "$src_digest" "every table equals the source, row for row"

# ---------------------------------------------------------------- 4: coordinator restart
# As a single agent's: its jobs are interrupted and resume; the workers stop
# what they ran for it and join the new one by themselves.
job=$(run_clone)
wait_for 30 '[ -n "$(active_task_of "$w2_ip")" ]'
kill -9 "$(cat "$dir/coord.pid")"
wait_for 10 'grep -q "coordinator silent" "$dir/w2.log"'
t_ok $? "w2 noticed the coordinator's death and stopped its tasks"
wait_for 20 '[ -z "$(active_task_of "$w1_ip")$(active_task_of "$w2_ip")" ]'
t_ok $? "no worker session is left loading on the target"
start_coordinator
wait_for 20 '[ "$(workers_joined)" = 2 ]'
t_ok $? "both workers joined the restarted coordinator by themselves"
t_is "$(job_status "$job")" interrupted "job $job is interrupted"
resumed=$(tgt -c "SELECT pgclone.resume($job)" | tail -1)
wait_job "$resumed" 120
t_is "$(job_status "$resumed")" completed "its resumption (job $resumed) completed on the workers"
t_is "$(table_digest target)" "$src_digest" "every table equals the source, row for row"

tgt -c "DROP SCHEMA IF EXISTS spread CASCADE" >/dev/null 2>&1
pgc_psql source -c "DROP SCHEMA IF EXISTS spread CASCADE" >/dev/null 2>&1
t_done
