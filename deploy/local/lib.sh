# Shared helpers for Orrery's local scripts. Sourced, not run.
# shellcheck shell=bash

ORRERY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="${ORRERY_RUN_DIR:-$ORRERY_ROOT/.run}"
LOG_DIR="$RUN_DIR/logs"
NATS_PORT="${ORRERY_NATS_PORT:-4222}"
NATS_MONITOR_PORT="${ORRERY_NATS_MONITOR_PORT:-8222}"
PG_PORT="${ORRERY_PG_PORT:-55432}"
PG_USER="orrery"
PG_PASSWORD="${ORRERY_DB_PASSWORD:-orrery}"

# service name, HTTP port, database (or "-")
SERVICES=(
  "execution-broker 8080 execution_broker"
  "staging-service 8081 staging_service"
  "canfar-adapter 8082 canfar_adapter"
  "fs-watcher 8083 -"
  "dependency-manager 8084 dependency_manager"
)

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

# nats-server from Debian's packages, installed when missing.
ensure_nats_server() {
  if command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ]; then return 0; fi
  say "installing nats-server (apt-get install -y nats-server)"
  as_root apt-get install -y nats-server >/dev/null 2>&1 \
    || { as_root apt-get update >/dev/null && as_root apt-get install -y nats-server >/dev/null; } \
    || die "could not install nats-server; install it yourself (apt-get install -y nats-server)"
}

nats_server_bin() { command -v nats-server 2>/dev/null || echo /usr/sbin/nats-server; }

# The bin folder of the newest PostgreSQL server installed.
pg_bin() {
  if [ -n "${ORRERY_PG_BIN:-}" ]; then echo "$ORRERY_PG_BIN"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ]; then echo "$dir"; return; fi
  dir=$(dirname "$(command -v pg_ctl 2>/dev/null)" 2>/dev/null)
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
  die "PostgreSQL server binaries not found; install PostgreSQL 15 (apt-get install -y postgresql) or set ORRERY_PG_BIN"
}

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for_http() { # url seconds
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.5
  done
}
