#!/usr/bin/env bash
# The service units and example config files of packaging/ (issue 13), and
# the agent's refusals to start as a coordinator or worker it cannot be: the
# units pass `systemd-analyze verify` (pointed at the agent under test) and
# carry what running it as a service needs; the example config files are read
# by the agent itself (it gets as far as the files they name), and a misspelt
# option in a config file is an error.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

command -v systemd-analyze >/dev/null || pgc_die "systemd-analyze is missing (Debian package systemd)"
bin=$(pgc_agent_bin)
work="$PGC_TMPDIR/units"
mkdir -p "$work" && chown postgres:postgres "$work"

for unit in pgclone-agent pgclone-worker; do
  src="$PGC_REPO/packaging/systemd/$unit.service"
  sed "s|/usr/local/bin/pgclone-agent|$bin|" "$src" >"$work/$unit.service"
  out=$(cd "$work" && systemd-analyze verify "$work/$unit.service" 2>&1)
  t_ok $? "$unit.service passes systemd-analyze verify" "$out"
  t_is "$(printf '%s' "$out" | grep -c "$unit")" 0 "systemd-analyze has nothing to say about $unit.service" "$out"
  for directive in '^User=pgclone$' '^StateDirectory=' '^Restart=' '^KillSignal=SIGTERM$' '^ExecReload=.*-HUP' \
      '^NoNewPrivileges=yes$' '^ProtectSystem=strict$' '^CapabilityBoundingSet=$' '^SystemCallFilter=@system-service$'; do
    grep -q -- "$directive" "$src"
    t_ok $? "$unit.service has $directive"
  done
done
grep -q -- '--config /etc/pgclone/worker.toml' "$PGC_REPO/packaging/systemd/pgclone-worker.service"
t_ok $? "the worker unit runs the worker config"

# The example config files parse: the agent stops at the first file they name.
out=$(runuser -u postgres -- "$bin" --config "$PGC_REPO/packaging/config/agent.toml" --state-dir "$work/a" 2>&1)
t_like "$out" 'agent\.key' "agent.toml is read to its end: the agent stops at its key file" "$out"
out=$(runuser -u postgres -- "$bin" --config "$PGC_REPO/packaging/config/worker.toml" --state-dir "$work/w" 2>&1)
t_like "$out" 'coordinator-key is not a CURVE public key' "worker.toml is read to its end: the placeholder key is refused" "$out"

printf 'workers = 2\nwrokers = 3\n' >"$work/bad.toml"
out=$(runuser -u postgres -- "$bin" --config "$work/bad.toml" 2>&1)
rc=$?
t_ok $((rc == 0)) "a misspelt option in a config file is an error (exit $rc)"
t_like "$out" 'wrokers' "... that names it" "$out"
printf 'workers = 0\n' >"$work/zero.toml"
out=$(runuser -u postgres -- "$bin" --config "$work/zero.toml" --state-dir "$work/z" --key /nonexistent --servers /nonexistent 2>&1)
t_like "$out" 'workers 0 needs --worker-listen' "--workers 0 without --worker-listen is refused" "$out"

# The other ways a coordinator or a worker agent cannot start, each named.
refusal() {  # refusal PATTERN DESCRIPTION AGENT-ARGS...
  local pattern=$1 what=$2 rc
  shift 2
  out=$(runuser -u postgres -- "$bin" --state-dir "$work/r" "$@" 2>&1)
  rc=$?
  t_ok $((rc == 0)) "$what: refused (exit $rc)"
  t_like "$out" "$pattern" "... saying why" "$out"
}
key=$(runuser -u postgres -- "$bin" keygen --out "$work/k.key" 2>/dev/null)
refusal 'needs --worker-keys' "--worker-listen without --worker-keys" \
  --key "$work/k.key" --servers /nonexistent --worker-listen tcp://127.0.0.1:1
refusal 'coordinator-key is required' "--join without --coordinator-key" \
  --join tcp://127.0.0.1:1 --key "$work/k.key" --servers /nonexistent
refusal 'not a CURVE public key' "--join with a malformed --coordinator-key" \
  --join tcp://127.0.0.1:1 --coordinator-key 'short; DROP' --key "$work/k.key" --servers /nonexistent
refusal 'exclude each other' "--join together with --worker-listen" \
  --join tcp://127.0.0.1:1 --coordinator-key "$key" --key "$work/k.key" --servers /nonexistent \
  --worker-listen tcp://127.0.0.1:2
refusal 'refusing to listen' "--worker-listen on another host's address without --allow-remote" \
  --key "$work/k.key" --servers /nonexistent --worker-listen tcp://10.1.2.3:5600 --worker-keys /nonexistent
refusal 'refusing to listen' "--metrics-listen on another host's address without --allow-remote" \
  --join tcp://127.0.0.1:1 --coordinator-key "$key" --key "$work/k.key" --servers /nonexistent \
  --metrics-listen 10.1.2.3:9187
refusal 'longer than 64 bytes' "a --worker-name past 64 bytes" \
  --join tcp://127.0.0.1:1 --coordinator-key "$key" --key "$work/k.key" --servers /nonexistent \
  --worker-name "$(printf 'w%.0s' {1..65})"
t_done
