#!/usr/bin/env bash
# Stops what up.sh started (found by the pid files in .run/), and nothing else. Data stays in
# .run/; remove that folder for a clean slate.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

stop_pid() { # name pidfile
  local name=$1 pidfile=$2 pid
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { warn "$name did not stop in 30s; killing it"; kill -KILL "$pid" 2>/dev/null; }
  rm -f "$pidfile"
}

for (( i=${#SERVICES[@]}-1; i>=0; i-- )); do
  read -r svc _ _ <<<"${SERVICES[$i]}"
  stop_pid "$svc" "$RUN_DIR/$svc.pid"
done

stop_pid "the time controller" "$RUN_DIR/orrery-sim.pid"
rm -f "$RUN_DIR/time-mode"

PG_DIR=$(pg_dir)
if [ -f "$PG_DIR/data/postmaster.pid" ]; then
  say "stopping PostgreSQL"
  as_pg "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || warn "PostgreSQL did not stop cleanly"
fi

stop_pid "NATS" "$RUN_DIR/nats.pid"
say "stopped"
