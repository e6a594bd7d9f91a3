#!/usr/bin/env bash
# Starts the whole Orrery suite on this machine: NATS with JetStream and a PostgreSQL cluster in
# .run/, then the five services built from this checkout, each waited on until ready.
# Safe to run twice: whatever already runs is left alone. Stop everything with down.sh.
#
# Everything logs in: the passwords are made on the first run, in .run/credentials/ (0700, files
# 0600): nats-<user>.password for each NATS user of deploy/k8s/base/nats/users.conf (the five
# services, builder, admin) and postgres.password for the PostgreSQL role orrery. Each service is
# started with its own NATS login (ORRERY_NATS_USERNAME/PASSWORD) and the
# database's (ORRERY_DB_USER/ORRERY_DB_PASSWORD).
#
#   ORRERY_RUN_DIR          the run folder (default .run/ of the checkout)
#   ORRERY_NATS_PORT, ORRERY_NATS_MONITOR_PORT, ORRERY_PG_PORT, ORRERY_HTTP_PORT_BASE
#                           ports (4222, 8222, 55432, 8080: the services take 8080..8084)
#   ORRERY_SKIP_BUILD=1     use the built jars even when sources are newer
#   ORRERY_PG_OPTIONS       extra PostgreSQL server options, e.g. to see where a run's statements go:
#                           "-c shared_preload_libraries=pg_stat_statements" (then CREATE EXTENSION
#                           pg_stat_statements in a database and read the view)
#   ORRERY_JAVA_OPTS        the services' JVM options (default -Xms32m -Xmx384m -XX:+UseSerialGC; see --simulated)
#
#   --simulated [--start 2026-03-01T00:00:00Z]
#       the whole suite on simulated time (issue 15; docs/design-notes.md, "Simulated time"): the
#       time controller (deploy/sim, orrery-sim run) starts first and owns the clock, every service
#       joins it (ORRERY_TIME_SOURCE=simulated), sessions and transfers are modelled, not run
#       (ORRERY_CANFAR_BACKEND=simulated, ORRERY_STAGING_BACKEND=simulated). demo.sh sees it and
#       its booking completes in seconds. Stop with down.sh before switching between the modes.
#       PostgreSQL (when this run starts it) does not fsync (see mode_pg_options).
#       The services' JVMs then compile with C1 only and collect with the serial GC (unless
#       ORRERY_JAVA_OPTS says otherwise): on two cores a replay ran 16% faster cold and spent a
#       third less CPU (C2's compiler threads competed with the services for the cores).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TIME_MODE=system
# Simulated: PostgreSQL does not fsync (fsync=off, full_page_writes=off, as the tests run it). A
# replay runs on throwaway state, its wall time is the goal, and each simulated instant's work waits
# on a chain of commits. A commit still waits for its WAL write (synchronous_commit stays on), so a
# crash or immediate stop of PostgreSQL loses nothing acknowledged (docs/design-notes.md, "Faults":
# synchronous_commit=off does lose commits then); only a crash of the machine could corrupt the run
# folder's cluster. Serving mode keeps every default. ORRERY_PG_OPTIONS comes after and wins.
mode_pg_options() {
  if [ "$TIME_MODE" = simulated ]; then echo "-c fsync=off -c full_page_writes=off"; fi
}
default_java_opts() {
  # Serving: SERVING_JAVA_OPTS (lib.sh). Simulated: the default first heap, whose large young
  # generation collects less often (a replay allocates fast; its wall time is the goal there, not memory).
  if [ "$TIME_MODE" = simulated ]; then
    echo "-Xmx384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
  else
    echo "$SERVING_JAVA_OPTS"
  fi
}
SIM_START=""
while [ $# -gt 0 ]; do
  case "$1" in
    --simulated) TIME_MODE=simulated ;;
    --start) shift; SIM_START="${1:-}"; [ -n "$SIM_START" ] || die "--start needs an instant, e.g. 2026-03-01T00:00:00Z" ;;
    --start=*) SIM_START="${1#--start=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (try --help)" ;;
  esac
  shift
done
[ -z "$SIM_START" ] || [ "$TIME_MODE" = simulated ] || die "--start goes with --simulated"
if [ -f "$RUN_DIR/time-mode" ] && [ "$(cat "$RUN_DIR/time-mode")" != "$TIME_MODE" ]; then
  for entry in "${SERVICES[@]}"; do
    read -r svc _ _ <<<"$entry"
    pid_alive "$RUN_DIR/$svc.pid" && die "the suite runs on $(cat "$RUN_DIR/time-mode") time; stop it (deploy/local/down.sh) before starting it on $TIME_MODE time"
  done
fi

mkdir -p "$LOG_DIR" "$RUN_DIR/storage" "$RUN_DIR/sessions" "$RUN_DIR/projects"

# A secret of 24 random bytes in hex after a letter, in a file only this user may read; kept once
# made. The letter matters to NATS: nats-server reads a password given as an environment variable
# as a configuration value, and one that starts like a number ("58e1...", "12k...") breaks it.
make_secret() { # file
  [ -s "$1" ] && return 0
  (umask 077 && printf 'o%s\n' "$(openssl rand -hex 24)" >"$1.tmp" && mv "$1.tmp" "$1")
}

# --- A signing key for development tokens (deploy/local/token.sh) ----------------------------
if [ ! -f "$RUN_DIR/jwt/private.pem" ]; then
  say "making a JWT signing key for development tokens in $RUN_DIR/jwt"
  mkdir -p "$RUN_DIR/jwt"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$RUN_DIR/jwt/private.pem" 2>/dev/null
  openssl pkey -in "$RUN_DIR/jwt/private.pem" -pubout -out "$RUN_DIR/jwt/public.pem"
  chmod 600 "$RUN_DIR/jwt/private.pem"
fi
chmod 700 "$RUN_DIR/jwt"
# The shell builder's rules, outside the watched root (whoever writes there must not add commands).
mkdir -p "$RUN_DIR/shell-builder"
[ -f "$RUN_DIR/shell-builder/rules.txt" ] || cp "$ORRERY_ROOT/deploy/local/demo-rules.txt" "$RUN_DIR/shell-builder/rules.txt"

# Local sessions run under an account that is not the suite's (canfar-adapter/README.md, "Security").
if [ "$(id -u)" -eq 0 ] && ! id "${ORRERY_CANFAR_LOCAL_SESSION_USER:-orrery-session}" >/dev/null 2>&1; then
  say "making the account ${ORRERY_CANFAR_LOCAL_SESSION_USER:-orrery-session} for local sessions"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
    "${ORRERY_CANFAR_LOCAL_SESSION_USER:-orrery-session}"
fi

# --- Logins: a NATS password per user of users.conf, and PostgreSQL's ---------------------------
[ -f "$NATS_USERS_CONF" ] || die "$NATS_USERS_CONF is missing"
(umask 077 && mkdir -p "$CRED_DIR")
chmod 700 "$CRED_DIR"
made=0
for user in $(nats_users); do
  file=$(nats_password_file "$user")
  [ -s "$file" ] || { make_secret "$file"; made=1; }
  grep -Eqx '[A-Za-z][A-Za-z0-9]*' "$file" \
    || die "$file: a NATS password must be a letter followed by letters and digits; delete the file (and stop the suite with down.sh) for a new one"
done
[ "$made" = 0 ] || say "made NATS passwords in $CRED_DIR (nats-<user>.password)"

# --- NATS ----------------------------------------------------------------------------------
# Every client logs in: each service as itself, builders as "builder", operators as "admin". The
# users and their permissions come from users.conf; their passwords reach nats-server as
# environment variables, which the config names.
ensure_nats_server
ensure_bubblewrap
ensure_jupyter
NATS_DIR="$RUN_DIR/nats"
mkdir -p "$NATS_DIR"
cat >"$NATS_DIR/nats.conf.new" <<CONF
# Written by deploy/local/up.sh; the users and permissions are in users.conf (a copy of
# deploy/k8s/base/nats/users.conf).
server_name: orrery-local
listen: "127.0.0.1:$NATS_PORT"
http: "127.0.0.1:$NATS_MONITOR_PORT"
jetstream {
  store_dir: "$NATS_DIR"
}
include "users.conf"
CONF
cp "$NATS_USERS_CONF" "$NATS_DIR/users.conf.new"
nats_conf_changed=0
for f in nats.conf users.conf; do
  if cmp -s "$NATS_DIR/$f.new" "$NATS_DIR/$f"; then rm -f "$NATS_DIR/$f.new"; else mv "$NATS_DIR/$f.new" "$NATS_DIR/$f"; nats_conf_changed=1; fi
done
if pid_alive "$RUN_DIR/nats.pid"; then
  say "NATS already running (pid $(cat "$RUN_DIR/nats.pid"))"
  if ! curl -fsS "http://127.0.0.1:$NATS_MONITOR_PORT/varz" 2>/dev/null | grep -q '"auth_required": *true'; then
    die "the running NATS (pid $(cat "$RUN_DIR/nats.pid")) lets clients in without a login: an up.sh from before logins started it. Run deploy/local/down.sh, then deploy/local/up.sh again (data in $RUN_DIR is kept)"
  fi
  [ "$nats_conf_changed" = 0 ] || warn "the NATS configuration changed since NATS started; apply it with deploy/local/down.sh && deploy/local/up.sh"
else
  say "starting NATS with JetStream on port $NATS_PORT (logins: $NATS_DIR/users.conf)"
  (
    for user in $(nats_users); do export "$(nats_password_var "$user")=$(cat "$(nats_password_file "$user")")"; done
    nohup "$(nats_server_bin)" -c "$NATS_DIR/nats.conf" -l "$LOG_DIR/nats.log" >"$LOG_DIR/nats.out" 2>&1 &
    echo $! > "$RUN_DIR/nats.pid"
  )
  wait_for_http "http://127.0.0.1:$NATS_MONITOR_PORT/healthz" 30 \
    || die "NATS did not start; see $LOG_DIR/nats.log and $LOG_DIR/nats.out"
fi

# --- PostgreSQL ----------------------------------------------------------------------------
# The role orrery logs in with a generated password (scram-sha-256), over TCP and the local socket
# alike. Where the cluster lives: lib.sh's pg_dir.
PG_BIN=$(pg_bin)
[ "$(id -u)" -ne 0 ] || ensure_pg_user
PG_DIR=$(pg_dir)
pg_migrate=0
if [ -f "$PG_DIR/data/PG_VERSION" ] && [ ! -s "$PG_PASSWORD_FILE" ]; then
  if [ "$PG_DIR" != "$RUN_DIR/postgres" ]; then
    # Only up.sh makes clusters there, always with the password file: its run folder was deleted.
    say "removing the PostgreSQL cluster of an earlier $RUN_DIR ($PG_DIR)"
    [ -f "$PG_DIR/data/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
    rm -rf "$PG_DIR"
  else
    pg_migrate=1 # made by an up.sh from before generated passwords
  fi
fi
if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
  say "creating a PostgreSQL cluster in $PG_DIR"
  make_secret "$PG_PASSWORD_FILE"
  if [ "$(id -u)" -eq 0 ]; then
    ensure_pg_user
    # In postgres' home, the folder of all run folders' clusters is the postgres user's too.
    [ "$PG_DIR" = "$RUN_DIR/postgres" ] || install -d -o postgres -g postgres -m 700 "$(dirname "$PG_DIR")"
    install -d -o postgres -g postgres -m 700 "$PG_DIR"
  else
    mkdir -p "$PG_DIR" && chmod 700 "$PG_DIR"
  fi
  (umask 077 && cp "$PG_PASSWORD_FILE" "$PG_DIR/pwfile")
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR/pwfile"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" --pwfile="$PG_DIR/pwfile" \
    --auth=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --no-locale >"$LOG_DIR/initdb.log" 2>&1 \
    || { rm -f "$PG_DIR/pwfile"; die "initdb failed; see $LOG_DIR/initdb.log"; }
  rm -f "$PG_DIR/pwfile"
fi
PG_PASSWORD=$(cat "$PG_PASSWORD_FILE" 2>/dev/null || true)
if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
  say "PostgreSQL already running on port $PG_PORT"
else
  say "starting PostgreSQL on port $PG_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 $(mode_pg_options) ${ORRERY_PG_OPTIONS:-}" start >/dev/null \
    || die "PostgreSQL did not start; see $PG_DIR/postgres.log"
fi
if [ "$pg_migrate" = 1 ]; then
  # An older up.sh made the role with the password "orrery" (or $ORRERY_DB_PASSWORD) and let the
  # local socket in without one. Give the role a generated password first, then demand it.
  say "moving the PostgreSQL cluster in $PG_DIR to a generated password"
  make_secret "$PG_PASSWORD_FILE.new"
  new_password=$(cat "$PG_PASSWORD_FILE.new")
  changed=0
  for old in "${ORRERY_DB_PASSWORD:-orrery}" "$new_password"; do
    if printf "SET password_encryption = 'scram-sha-256';\nALTER ROLE %s PASSWORD '%s';\n" "$PG_USER" "$new_password" \
        | PGPASSWORD="$old" as_pg "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U "$PG_USER" -d postgres \
            -v ON_ERROR_STOP=1 -q -f - >/dev/null 2>>"$LOG_DIR/postgres-migrate.log"; then
      changed=1
      break
    fi
  done
  [ "$changed" = 1 ] || die "could not log in to the PostgreSQL cluster in $PG_DIR to set its new password (see $LOG_DIR/postgres-migrate.log); delete $PG_DIR for a new cluster"
  mv "$PG_PASSWORD_FILE.new" "$PG_PASSWORD_FILE"
  PG_PASSWORD="$new_password"
fi
# No login without a password, whoever made the cluster: trust, md5 or password become scram-sha-256.
if as_pg grep -Eq '^[[:space:]]*(local|host)[^#]*[[:space:]](trust|md5|password)([[:space:]]|$)' "$PG_DIR/data/pg_hba.conf"; then
  say "PostgreSQL: scram-sha-256 logins only (pg_hba.conf)"
  as_pg sed -i -E '/^[[:space:]]*(local|host)/ s/[[:space:]](trust|md5|password)([[:space:]]|$)/ scram-sha-256\2/' \
    "$PG_DIR/data/pg_hba.conf"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" reload >/dev/null
fi
[ -n "$PG_PASSWORD" ] || die "no PostgreSQL password in $PG_PASSWORD_FILE"
pg() { PGPASSWORD="$PG_PASSWORD" as_pg "$@"; }
for entry in "${SERVICES[@]}"; do
  read -r _ _ db <<<"$entry"
  [ "$db" = "-" ] && continue
  if ! pg "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    pg "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U "$PG_USER" "$db"
  fi
done

# --- Build ---------------------------------------------------------------------------------
needs_build=0
for entry in "${SERVICES[@]}"; do
  read -r svc _ _ <<<"$entry"
  jar="$ORRERY_ROOT/$svc/target/quarkus-app/quarkus-run.jar"
  [ -f "$ORRERY_ROOT/deploy/sim/target/orrery-sim.jar" ] || needs_build=1
  # Sources only: build outputs (every module's target/) are written after the first jars, and
  # counting them made every run of up.sh build again.
  if [ ! -f "$jar" ] || [ -n "$(find "$ORRERY_ROOT" \( -path "$ORRERY_ROOT/.run" -o -name target -o -name node_modules \) -prune -o \
      \( -name '*.java' -o -name '*.properties' -o -name 'pom.xml' -o -name '*.sql' \) -newer "$jar" -print -quit)" ]; then
    needs_build=1
  fi
done
if [ "$needs_build" = 1 ] && [ "${ORRERY_SKIP_BUILD:-0}" != 1 ]; then
  say "building (mvn -DskipTests install; log in $LOG_DIR/build.log)"
  (cd "$ORRERY_ROOT" && mvn -B -DskipTests install >"$LOG_DIR/build.log" 2>&1) \
    || die "build failed; see $LOG_DIR/build.log"
fi

# --- Simulated time: the controller first ---------------------------------------------------
mkdir -p "$RUN_DIR"
echo "$TIME_MODE" >"$RUN_DIR/time-mode"
if [ "$TIME_MODE" = simulated ]; then
  if pid_alive "$RUN_DIR/orrery-sim.pid"; then
    say "the time controller already runs (pid $(cat "$RUN_DIR/orrery-sim.pid"))"
  else
    expect=$(for entry in "${SERVICES[@]}"; do read -r svc _ _ <<<"$entry"; printf '%s,' "$svc"; done)
    start="${SIM_START:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"
    say "starting the time controller at simulated $start (log $LOG_DIR/orrery-sim.log)"
    (
      export ORRERY_NATS_URL="nats://127.0.0.1:$NATS_PORT" ORRERY_NATS_USERNAME=admin
      ORRERY_NATS_PASSWORD=$(cat "$(nats_password_file admin)")
      export ORRERY_NATS_PASSWORD
      nohup "$ORRERY_ROOT/deploy/sim/orrery-sim" run --start "$start" --expect "${expect%,}" \
        >"$LOG_DIR/orrery-sim.log" 2>&1 &
      echo $! >"$RUN_DIR/orrery-sim.pid"
    )
  fi
fi

# --- Services ------------------------------------------------------------------------------
for entry in "${SERVICES[@]}"; do
  read -r svc port db <<<"$entry"
  pidfile="$RUN_DIR/$svc.pid"
  if pid_alive "$pidfile"; then
    say "$svc already running (pid $(cat "$pidfile"))"
    continue
  fi
  say "starting $svc on port $port"
  (
    export ORRERY_NATS_URL="nats://127.0.0.1:$NATS_PORT"
    # Each service logs in to NATS as itself (README, "NATS authentication").
    export ORRERY_NATS_USERNAME="$svc"
    ORRERY_NATS_PASSWORD=$(cat "$(nats_password_file "$svc")")
    export ORRERY_NATS_PASSWORD
    export ORRERY_HTTP_PORT="$port"
    export ORRERY_RUN_DIR="$RUN_DIR"
    export ORRERY_STORAGE_ROOT="$RUN_DIR/storage"
    export ORRERY_JWT_PUBLIC_KEY="$RUN_DIR/jwt/public.pem"
    # fs-watcher and the dependency manager's shell builder share the root "projects".
    export ORRERY_FSWATCH_ALLOWED_BASES="$RUN_DIR/projects"
    export ORRERY_FSWATCH_ROOTS_PROJECTS_PATH="$RUN_DIR/projects"
    export ORRERY_FSWATCH_ROOTS_PROJECTS_LOGS="*.log" # followed as they grow, not hashed
    export ORRERY_SHELL_BUILDER_ENABLED=true
    export ORRERY_SHELL_BUILDER_RULES_FILE="$RUN_DIR/shell-builder/rules.txt"
    export ORRERY_SHELL_BUILDER_ROOTS="projects=$RUN_DIR/projects"
    # The dashboard (the broker's /ui/) calls every service from the broker's origin; the
    # development login signs with token.sh's key (local only: README, "The dashboard").
    export ORRERY_DASHBOARD_ORIGINS="http://127.0.0.1:$HTTP_PORT_BASE,http://localhost:$HTTP_PORT_BASE"
    export ORRERY_DASHBOARD_SERVICES_STAGING="http://127.0.0.1:$((HTTP_PORT_BASE + 1))"
    export ORRERY_DASHBOARD_SERVICES_CANFAR="http://127.0.0.1:$((HTTP_PORT_BASE + 2))"
    export ORRERY_DASHBOARD_SERVICES_FS_WATCHER="http://127.0.0.1:$((HTTP_PORT_BASE + 3))"
    export ORRERY_DASHBOARD_SERVICES_DEPENDENCY_MANAGER="http://127.0.0.1:$((HTTP_PORT_BASE + 4))"
    if [ "$svc" = execution-broker ]; then export ORRERY_DASHBOARD_DEV_LOGIN_KEY="$RUN_DIR/jwt/private.pem"; fi
    # Container sessions run with podman where installed (canfar-adapter README, "Container sessions").
    if [ "$svc" = canfar-adapter ] && [ -z "${ORRERY_CANFAR_LOCAL_CONTAINERS_CONF:-}" ] && command -v podman >/dev/null 2>&1; then
      write_containers_conf "$RUN_DIR/containers.conf"
      export ORRERY_CANFAR_LOCAL_CONTAINERS_CONF="$RUN_DIR/containers.conf"
    fi
    if [ "$TIME_MODE" = simulated ]; then
      export ORRERY_TIME_SOURCE=simulated ORRERY_CANFAR_BACKEND=simulated ORRERY_STAGING_BACKEND=simulated
    fi
    if [ "$db" != "-" ]; then
      export ORRERY_DB_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/$db"
      export ORRERY_DB_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$db"
      export ORRERY_DB_USER="$PG_USER" ORRERY_DB_PASSWORD="$PG_PASSWORD"
    fi
    cd "$ORRERY_ROOT/$svc"
    nohup java ${ORRERY_JAVA_OPTS:-$(default_java_opts)} -Dquarkus.profile=local -jar target/quarkus-app/quarkus-run.jar \
      >"$LOG_DIR/$svc.log" 2>&1 &
    echo $! > "$pidfile"
  )
done

failed=0
for entry in "${SERVICES[@]}"; do
  read -r svc port _ <<<"$entry"
  if ! wait_for_http "http://127.0.0.1:$port/q/health/ready" 120; then
    warn "$svc is not ready; see $LOG_DIR/$svc.log"
    failed=1
  fi
done
[ "$failed" = 0 ] || die "some services did not become ready"

echo
say "Orrery is up$([ "$TIME_MODE" = simulated ] && echo " on simulated time (controller: $LOG_DIR/orrery-sim.log)"). Logs: $LOG_DIR"
for entry in "${SERVICES[@]}"; do
  read -r svc port _ <<<"$entry"
  printf '  %-20s http://127.0.0.1:%s   (health /q/health, API docs /q/openapi)\n' "$svc" "$port"
done
printf '  %-20s nats://127.0.0.1:%s  (monitor http://127.0.0.1:%s)\n' "nats" "$NATS_PORT" "$NATS_MONITOR_PORT"
printf '  %-20s postgresql://%s@127.0.0.1:%s  (data %s)\n' "postgres" "$PG_USER" "$PG_PORT" "$PG_DIR"
echo
echo "  Logins (files only you may read) in $CRED_DIR:"
echo "    NATS: user <service>, builder or admin, password nats-<user>.password"
echo "    PostgreSQL: user $PG_USER, password postgres.password"
echo
echo "  A token for the broker's API:  TOKEN=\$(deploy/local/token.sh alice)"
echo "  Watched by fs-watcher:         $RUN_DIR/projects (root \"projects\"; the shell builder's rules: $RUN_DIR/shell-builder/rules.txt)"
echo "  The dashboard:                 http://127.0.0.1:$HTTP_PORT_BASE/ui/  (development login: any user name; local only)"
