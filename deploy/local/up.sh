#!/usr/bin/env bash
# Starts the whole Orrery suite on this machine: NATS with JetStream and a PostgreSQL cluster in
# .run/, then the five services built from this checkout, each waited on until ready.
# Safe to run twice: whatever already runs is left alone. Stop everything with down.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mkdir -p "$LOG_DIR" "$RUN_DIR/storage" "$RUN_DIR/sessions" "$RUN_DIR/projects"

# --- A signing key for development tokens (deploy/local/token.sh) ----------------------------
if [ ! -f "$RUN_DIR/jwt/private.pem" ]; then
  say "making a JWT signing key for development tokens in $RUN_DIR/jwt"
  mkdir -p "$RUN_DIR/jwt"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$RUN_DIR/jwt/private.pem" 2>/dev/null
  openssl pkey -in "$RUN_DIR/jwt/private.pem" -pubout -out "$RUN_DIR/jwt/public.pem"
  chmod 600 "$RUN_DIR/jwt/private.pem"
fi
[ -f "$RUN_DIR/projects/rules.txt" ] || cp "$ORRERY_ROOT/deploy/local/demo-rules.txt" "$RUN_DIR/projects/rules.txt"

# --- NATS ----------------------------------------------------------------------------------
ensure_nats_server
if pid_alive "$RUN_DIR/nats.pid"; then
  say "NATS already running (pid $(cat "$RUN_DIR/nats.pid"))"
else
  say "starting NATS with JetStream on port $NATS_PORT"
  mkdir -p "$RUN_DIR/nats"
  nohup "$(nats_server_bin)" -a 127.0.0.1 -p "$NATS_PORT" -m "$NATS_MONITOR_PORT" -js -sd "$RUN_DIR/nats" \
    --server_name orrery-local -l "$LOG_DIR/nats.log" >/dev/null 2>&1 &
  echo $! > "$RUN_DIR/nats.pid"
  wait_for_http "http://127.0.0.1:$NATS_MONITOR_PORT/healthz" 30 || die "NATS did not start; see $LOG_DIR/nats.log"
fi

# --- PostgreSQL ----------------------------------------------------------------------------
PG_BIN=$(pg_bin)
PG_DIR="$RUN_DIR/postgres"
if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
  say "creating a PostgreSQL cluster in $PG_DIR"
  mkdir -p "$PG_DIR"
  printf '%s\n' "$PG_PASSWORD" > "$PG_DIR/pwfile"
  [ "$(id -u)" -eq 0 ] && { id postgres >/dev/null 2>&1 || useradd --system postgres; chown -R postgres "$PG_DIR"; }
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" --pwfile="$PG_DIR/pwfile" --auth=md5 --auth-local=trust \
    -E UTF8 --no-locale >"$LOG_DIR/initdb.log" 2>&1 || die "initdb failed; see $LOG_DIR/initdb.log"
  rm -f "$PG_DIR/pwfile"
fi
if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
  say "PostgreSQL already running on port $PG_PORT"
else
  say "starting PostgreSQL on port $PG_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
    || die "PostgreSQL did not start; see $PG_DIR/postgres.log"
fi
for entry in "${SERVICES[@]}"; do
  read -r _ _ db <<<"$entry"
  [ "$db" = "-" ] && continue
  if ! as_pg "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    as_pg "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U "$PG_USER" "$db"
  fi
done

# --- Build ---------------------------------------------------------------------------------
needs_build=0
for entry in "${SERVICES[@]}"; do
  read -r svc _ _ <<<"$entry"
  jar="$ORRERY_ROOT/$svc/target/quarkus-app/quarkus-run.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$ORRERY_ROOT" -path "$ORRERY_ROOT/.run" -prune -o \
      \( -name '*.java' -o -name '*.properties' -o -name 'pom.xml' -o -name '*.sql' \) -newer "$jar" -print -quit)" ]; then
    needs_build=1
  fi
done
if [ "$needs_build" = 1 ] && [ "${ORRERY_SKIP_BUILD:-0}" != 1 ]; then
  say "building (mvn -DskipTests install; log in $LOG_DIR/build.log)"
  (cd "$ORRERY_ROOT" && mvn -B -DskipTests install >"$LOG_DIR/build.log" 2>&1) \
    || die "build failed; see $LOG_DIR/build.log"
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
    export ORRERY_HTTP_PORT="$port"
    export ORRERY_RUN_DIR="$RUN_DIR"
    export ORRERY_STORAGE_ROOT="$RUN_DIR/storage"
    export ORRERY_JWT_PUBLIC_KEY="$RUN_DIR/jwt/public.pem"
    # fs-watcher and the dependency manager's shell builder share the root "projects".
    export ORRERY_FSWATCH_ALLOWED_BASES="$RUN_DIR/projects"
    export ORRERY_FSWATCH_ROOTS_PROJECTS_PATH="$RUN_DIR/projects"
    export ORRERY_SHELL_BUILDER_ENABLED=true
    export ORRERY_SHELL_BUILDER_RULES_FILE="$RUN_DIR/projects/rules.txt"
    export ORRERY_SHELL_BUILDER_ROOTS="projects=$RUN_DIR/projects"
    if [ "$db" != "-" ]; then
      export ORRERY_DB_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/$db"
      export ORRERY_DB_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$db"
      export ORRERY_DB_USER="$PG_USER" ORRERY_DB_PASSWORD="$PG_PASSWORD"
    fi
    cd "$ORRERY_ROOT/$svc"
    nohup java ${ORRERY_JAVA_OPTS:--Xmx384m} -Dquarkus.profile=local -jar target/quarkus-app/quarkus-run.jar \
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
say "Orrery is up. Logs: $LOG_DIR"
for entry in "${SERVICES[@]}"; do
  read -r svc port _ <<<"$entry"
  printf '  %-20s http://127.0.0.1:%s   (health /q/health, API docs /q/openapi)\n' "$svc" "$port"
done
printf '  %-20s nats://127.0.0.1:%s  (monitor http://127.0.0.1:%s)\n' "nats" "$NATS_PORT" "$NATS_MONITOR_PORT"
printf '  %-20s postgresql://%s@127.0.0.1:%s\n' "postgres" "$PG_USER" "$PG_PORT"
echo
echo "  A token for the broker's API:  TOKEN=\$(deploy/local/token.sh alice)"
echo "  Watched by fs-watcher:         $RUN_DIR/projects (root \"projects\", rules in rules.txt)"
