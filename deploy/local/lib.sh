# Shared helpers for Orrery's local scripts. Sourced, not run.
# shellcheck shell=bash

ORRERY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="${ORRERY_RUN_DIR:-$ORRERY_ROOT/.run}"
# absolute, because PostgreSQL's tools run from / (see as_pg) and services from elsewhere
case "$RUN_DIR" in /*) ;; *) RUN_DIR="$PWD/$RUN_DIR" ;; esac
LOG_DIR="$RUN_DIR/logs"
NATS_PORT="${ORRERY_NATS_PORT:-4222}"
NATS_MONITOR_PORT="${ORRERY_NATS_MONITOR_PORT:-8222}"
PG_PORT="${ORRERY_PG_PORT:-55432}"
PG_USER="orrery"
# Logins made by up.sh: one file per secret (0600) in a folder only this user may enter (0700).
CRED_DIR="$RUN_DIR/credentials"
PG_PASSWORD_FILE="$CRED_DIR/postgres.password"
PG_PASSWORD=""
[ -r "$PG_PASSWORD_FILE" ] && PG_PASSWORD=$(cat "$PG_PASSWORD_FILE")
# The NATS users and their permissions (generated from the subject catalogue, shared with Kubernetes).
NATS_USERS_CONF="$ORRERY_ROOT/deploy/k8s/base/nats/users.conf"
# HTTP ports: the broker on the base port, the others after it.
HTTP_PORT_BASE="${ORRERY_HTTP_PORT_BASE:-8080}"

# The services' JVM options when serving (up.sh; the benchmarks measure the services with them): a
# small first heap that grows on demand (the JVM's default first heap is 1/64 of the machine's
# memory, resident from the start) and the serial collector (these services keep little live data;
# on two cores G1's concurrent threads cost more than they save): a seventh less RSS.
SERVING_JAVA_OPTS="-Xms32m -Xmx384m -XX:+UseSerialGC"

# service name, HTTP port, database (or "-")
SERVICES=(
  "execution-broker $((HTTP_PORT_BASE + 0)) execution_broker"
  "staging-service $((HTTP_PORT_BASE + 1)) staging_service"
  "canfar-adapter $((HTTP_PORT_BASE + 2)) canfar_adapter"
  "fs-watcher $((HTTP_PORT_BASE + 3)) -"
  "dependency-manager $((HTTP_PORT_BASE + 4)) dependency_manager"
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

# bubblewrap fences local sessions in a sandbox (canfar-adapter); installed when missing, and
# sessions still run under their own account with a clean environment where it cannot be had.
ensure_bubblewrap() {
  if command -v bwrap >/dev/null 2>&1; then return 0; fi
  say "installing bubblewrap (apt-get install -y bubblewrap) to fence local sessions"
  as_root apt-get install -y bubblewrap >/dev/null 2>&1 \
    || { as_root apt-get update >/dev/null && as_root apt-get install -y bubblewrap >/dev/null; } \
    || warn "could not install bubblewrap; local sessions run without a sandbox (apt-get install -y bubblewrap)"
}

# Jupyter executes notebook sessions on the local backend (canfar-adapter: jupyter nbconvert
# --execute); installed when missing, else notebook requests are answered NO with the reason.
# Without Debian's recommendations: 56 packages instead of 118 (no numpy, scipy, matplotlib, pandoc),
# about 20 s instead of 60 s here, and all that executing a notebook needs.
JUPYTER_PACKAGES="jupyter-nbconvert python3-ipykernel"
ensure_jupyter() {
  if command -v jupyter >/dev/null 2>&1 && jupyter nbconvert --version >/dev/null 2>&1; then return 0; fi
  say "installing Jupyter's runner for notebook sessions (apt-get install -y --no-install-recommends $JUPYTER_PACKAGES)"
  # shellcheck disable=SC2086
  as_root apt-get install -y --no-install-recommends $JUPYTER_PACKAGES >/dev/null 2>&1 \
    || { as_root apt-get update >/dev/null && as_root apt-get install -y --no-install-recommends $JUPYTER_PACKAGES >/dev/null; } \
    || warn "could not install Jupyter; notebook bookings are answered NO (apt-get install -y --no-install-recommends $JUPYTER_PACKAGES)"
}

# podman runs container sessions on the local backend; test.sh installs it (with runc, and
# busybox-static for the tests' own image), else container requests are answered NO with the reason.
PODMAN_PACKAGES="podman runc busybox-static"
ensure_podman() {
  if command -v podman >/dev/null 2>&1 && dpkg -s busybox-static >/dev/null 2>&1; then return 0; fi
  say "installing podman for container sessions (apt-get install -y --no-install-recommends $PODMAN_PACKAGES)"
  # shellcheck disable=SC2086
  as_root apt-get install -y --no-install-recommends $PODMAN_PACKAGES >/dev/null 2>&1 \
    || { as_root apt-get update >/dev/null && as_root apt-get install -y --no-install-recommends $PODMAN_PACKAGES >/dev/null; } \
    || warn "could not install podman; the container tests are skipped (apt-get install -y --no-install-recommends $PODMAN_PACKAGES)"
}

# podman's settings for machines like this one: no default ulimits (a kernel that refuses a
# container raised limits rejects podman's defaults) and runc where installed (crun refuses cgroups
# in hybrid mode). Harmless where neither is needed.
write_containers_conf() {
  { printf '[containers]\ndefault_ulimits = []\n'
    if command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ]; then printf '[engine]\nruntime = "runc"\n'; fi
  } > "$1"
}

# The dashboard's browser tests (deploy/e2e/dashboard) drive Debian's Chromium with playwright-core
# from npm; installed when missing (Node.js too, where the machine has none), for test.sh only.
ensure_browser_tests() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing what the dashboard's browser tests need (apt-get install -y --no-install-recommends ${missing[*]})"
  as_root apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { as_root apt-get update >/dev/null && as_root apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; } \
    || die "could not install ${missing[*]}; the dashboard's tests need them (apt-get install -y ${missing[*]})"
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
    ensure_pg_user
    # From / : postgres may not enter the checkout (a 0700 folder), and psql/pg_ctl say so otherwise.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# The NATS users named by users.conf (one password each), e.g. "execution-broker ... builder admin".
nats_users() {
  grep -o '\$ORRERY_NATS_PASSWORD_[A-Z_]*' "$NATS_USERS_CONF" | sed 's/^\$ORRERY_NATS_PASSWORD_//' \
    | tr 'A-Z_' 'a-z-' | awk '!seen[$0]++'
}
nats_password_var() { printf 'ORRERY_NATS_PASSWORD_%s' "$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')"; }
nats_password_file() { printf '%s/nats-%s.password' "$CRED_DIR" "$1"; }

# Where the PostgreSQL cluster lives. Normally $RUN_DIR/postgres. As root, PostgreSQL runs as the
# postgres user, which may not be able to enter $RUN_DIR (a checkout under /root, say): the cluster
# then lives in a folder the postgres user owns, in its home: ~postgres/orrery/<checksum of $RUN_DIR>,
# one per run folder. A cluster that already exists in either place stays where it is.
pg_dir() {
  local own="$RUN_DIR/postgres" home
  if [ "$(id -u)" -ne 0 ] || [ -f "$own/data/PG_VERSION" ] || ! id postgres >/dev/null 2>&1; then
    echo "$own"; return
  fi
  home="$(pg_home)/orrery/$(printf '%s' "$RUN_DIR" | cksum | cut -d' ' -f1)"
  if [ -f "$home/data/PG_VERSION" ]; then echo "$home"; return; fi
  if runuser -u postgres -- test -x "$RUN_DIR" 2>/dev/null; then echo "$own"; else echo "$home"; fi
}
# (up.sh makes the postgres user, if missing, before asking.)
pg_home() { local home; home=$(getent passwd postgres | cut -d: -f6); echo "${home:-/var/lib/postgresql}"; }
ensure_pg_user() {
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
}

# A process that was killed stays a zombie where nobody reaps it (PID 1 of many containers):
# kill -0 still succeeds on it, so its state is read too.
pid_alive() {
  [ -f "$1" ] || return 1
  local pid state
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  [ "$state" != Z ]
}

wait_for_http() { # url seconds
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.5
  done
}
