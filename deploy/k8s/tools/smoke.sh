#!/usr/bin/env bash
# Starts the five services (their built target/quarkus-app) with exactly the environment and the
# mounted files the dev overlay gives their containers, against servers on this machine that
# stand in for the cluster's: nats-server with JetStream, and a PostgreSQL that accepts TLS
# connections only, with a server certificate from a CA of its own (as CloudNativePG's).
# Only host names, ports and mount paths are rewritten (tools/smoke_env.py), plus ORRERY_HTTP_PORT
# so as not to collide with a local suite. Then checks what Kubernetes would check (the probes)
# and what the manifests promise (TLS to the database, Flyway in every database, the streams,
# JWT callers, the watched root, the skaha backend). No cluster, image or Docker is involved.
#
#   mvn -B -DskipTests install     # once: the services must be built
#   deploy/k8s/tools/smoke.sh
set -euo pipefail

K8S="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$K8S/../.." && pwd)"
. "$REPO/deploy/local/lib.sh"
SERVICES_HERE=(execution-broker staging-service canfar-adapter fs-watcher dependency-manager)

for service in "${SERVICES_HERE[@]}"; do
  [ -f "$REPO/$service/target/quarkus-app/quarkus-run.jar" ] \
    || die "$service is not built; run: mvn -B -DskipTests install"
done
ensure_nats_server
PG_BIN=$(pg_bin)

work="$(mktemp -d)"
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -f "$work/pg/data/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

passed=0
failed=0
check() { # description, then a command that succeeds when the check holds
  local what=$1
  shift
  if "$@"; then echo "ok   $what"; passed=$((passed + 1)); else echo "FAIL $what"; failed=$((failed + 1)); fi
}

# --- Keys: a CA with a server certificate for localhost, and a JWT signing pair ---------------
say "keys in $work/keys"
mkdir -p "$work/keys" "$work/run/jwt"
(
  cd "$work/keys"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=orrery-smoke-ca" -keyout ca.key -out ca.crt 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
  printf 'subjectAltName=DNS:localhost\n' >san.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.crt 2>/dev/null
)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/run/jwt/private.pem" 2>/dev/null
openssl pkey -in "$work/run/jwt/private.pem" -pubout -out "$work/run/jwt/public.pem"

# --- The dev overlay, rendered with this run's files ------------------------------------------
say "rendering overlays/dev"
mkdir -p "$work/k8s"
tar -C "$K8S" --exclude=node_modules -cf - . | tar -C "$work/k8s" -xf -
# A password for every NATS user (the ORRERY_NATS_PASSWORD_* keys), empty tokens for the rest.
declare -A nats_password
cp "$work/k8s/overlays/dev/secrets.example.env" "$work/k8s/overlays/dev/secrets.env"
for key in $(grep -Eo '^ORRERY_NATS_PASSWORD_[A-Z_]+' "$work/k8s/overlays/dev/secrets.example.env"); do
  nats_password[$key]="n$(openssl rand -hex 24)" # a letter first: nats-server parses it as a value
  sed -i "s/^$key=.*/$key=${nats_password[$key]}/" "$work/k8s/overlays/dev/secrets.env"
done
cp "$work/run/jwt/public.pem" "$work/k8s/overlays/dev/jwt-public.pem"
kubectl kustomize "$work/k8s/overlays/dev" >"$work/dev.yaml" 2>"$work/render.err" \
  || kustomize build "$work/k8s/overlays/dev" >"$work/dev.yaml" \
  || { cat "$work/render.err"; die "could not render overlays/dev"; }

# --- NATS, with the dev overlay's own nats.conf -------------------------------------------------
NATS_PORT=$(free_port)
NATS_MONITOR=$(free_port)
mkdir -p "$work/nats"
python3 - "$work/dev.yaml" "$work/nats" "$NATS_PORT" "$NATS_MONITOR" <<'PY'
import re, sys, yaml
rendered, folder, port, monitor = sys.argv[1:]
data = next(d for d in yaml.safe_load_all(open(rendered)) if d and d["kind"] == "ConfigMap"
            and d["metadata"]["name"].startswith("nats-config"))["data"]
for name, text in data.items():
    if name != "nats.conf":
        open(f"{folder}/{name}", "w").write(text)  # users.conf, which nats.conf includes
conf = data["nats.conf"]
for pattern, value in ((r"(?m)^port: 4222$", f"port: {port}"), (r"(?m)^http_port: 8222$", f"http_port: {monitor}"),
                       (r"/var/run/nats/nats.pid", f"{folder}/nats.pid"), (r"store_dir: /data", f"store_dir: {folder}/data")):
    conf, n = re.subn(pattern, value, conf)
    assert n == 1, f"nats.conf: {pattern} not found once"
open(f"{folder}/nats.conf", "w").write(conf)
PY
nats_env=(SERVER_NAME=nats-0)
for key in "${!nats_password[@]}"; do nats_env+=("$key=${nats_password[$key]}"); done
env "${nats_env[@]}" "$(nats_server_bin)" -c "$work/nats/nats.conf" -a 127.0.0.1 -l "$work/nats.log" &
pids+=($!)
wait_for_http "http://127.0.0.1:$NATS_MONITOR/healthz" 30 || { cat "$work/nats.log"; die "nats-server did not start"; }
say "nats-server on $NATS_PORT with the dev overlay's nats.conf"

# --- PostgreSQL, TLS only ----------------------------------------------------------------------
PG_PORT=$(free_port)
PG_PASSWORD=$(openssl rand -hex 16)
mkdir -p "$work/pg"
cp "$work/keys/server.crt" "$work/keys/server.key" "$work/pg/"
chmod 600 "$work/pg/server.key"
[ "$(id -u)" -eq 0 ] && { id postgres >/dev/null 2>&1 || useradd --system postgres; chown -R postgres "$work/pg"; }
as_pg "$PG_BIN/initdb" -D "$work/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale \
  >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; die "initdb failed"; }
cat >"$work/pg/pg_hba.conf" <<EOF
local all all trust
hostssl all all 127.0.0.1/32 scram-sha-256
hostnossl all all all reject
EOF
[ "$(id -u)" -eq 0 ] && chown postgres "$work/pg/pg_hba.conf"
as_pg "$PG_BIN/pg_ctl" -D "$work/pg/data" -l "$work/pg/postgres.log" -w -t 60 -o "-p $PG_PORT -k $work/pg \
  -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=$work/pg/server.crt -c ssl_key_file=$work/pg/server.key \
  -c hba_file=$work/pg/pg_hba.conf" start >/dev/null || { cat "$work/pg/postgres.log"; die "PostgreSQL did not start"; }
psql_admin() { as_pg "$PG_BIN/psql" -h "$work/pg" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -tAq "$@"; }

mkdir -p "$work/env" "$work/mounts"
python3 "$K8S/tools/smoke_env.py" --rendered "$work/dev.yaml" --out "$work/env" --mounts "$work/mounts" \
  --nats-port "$NATS_PORT" --pg-port "$PG_PORT" \
  --secret "orrery-pg-app/username=orrery" --secret "orrery-pg-app/password=$PG_PASSWORD" \
  --secret "orrery-pg-ca/ca.crt=$(cat "$work/keys/ca.crt")"
owner=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["owner"])' "$work/env/plan.json")
databases=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["databases"]))' "$work/env/plan.json")
psql_admin -d postgres -c "CREATE ROLE $owner LOGIN PASSWORD '$PG_PASSWORD'"
for db in $databases; do psql_admin -d postgres -c "CREATE DATABASE $db OWNER $owner"; done
say "PostgreSQL (TLS only) on $PG_PORT with databases: $databases"

# --- The services -----------------------------------------------------------------------------
projects=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["services"]["fs-watcher"]["mounts"]["/data/projects"])' "$work/env/plan.json")
printf 'notebook\n' >"$projects/fit.ipynb"
declare -A http pid_of
probe_ok() { curl -fsS -o /dev/null "http://127.0.0.1:$1$2" 2>/dev/null; }
ready() { # service: until its readiness probe answers 200, while the process lives, for 180 s at most
  local deadline=$((SECONDS + 180))
  until probe_ok "${http[$1]}" /q/health/ready; do
    kill -0 "${pid_of[$1]}" 2>/dev/null || return 1
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.5
  done
}
# One after the other: five JVMs starting at once on two cores starve Flyway's connection pool,
# which a cluster, with its own cores per pod, would not.
for service in "${SERVICES_HERE[@]}"; do
  cp -r "$REPO/$service/target/quarkus-app" "$work/app-$service"
  tmp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["services"][sys.argv[2]]["mounts"]["/tmp"])' "$work/env/plan.json" "$service")
  http[$service]=$(free_port)
  mapfile -t vars <"$work/env/$service.env"
  (
    cd "$work/app-$service"
    exec env -i PATH="$PATH" HOME="$work" LANG=C.UTF-8 "${vars[@]}" ORRERY_HTTP_PORT="${http[$service]}" \
      java -Xmx256m -Djava.io.tmpdir="$tmp" -jar quarkus-run.jar >"$work/$service.log" 2>&1
  ) &
  pids+=($!)
  pid_of[$service]=$!
  say "started $service; waiting for its readiness probe"
  port=${http[$service]}
  if ready "$service"; then
    for probe in startupProbe livenessProbe readinessProbe; do
      path=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["services"][sys.argv[2]]["probes"][sys.argv[3]])' \
        "$work/env/plan.json" "$service" "$probe")
      check "$service: $probe $path answers 200" probe_ok "$port" "$path"
    done
  else
    check "$service: ready within 180 s" false
    grep -v '^\s*at ' "$work/$service.log" | tail -n 30 | sed 's/^/    /'
  fi
done

# --- What the manifests promise ----------------------------------------------------------------
every_database_over_tls() {
  local want got plain
  want=$(wc -w <<<"$databases")
  got=$(psql_admin -d postgres -c "SELECT count(DISTINCT a.datname) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.usename = '$owner' AND s.ssl")
  plain=$(psql_admin -d postgres -c "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.usename = '$owner' AND NOT s.ssl")
  [ "$got" = "$want" ] && [ "$plain" = 0 ]
}
check "every database is used, over TLS only (verify-full against the CA)" every_database_over_tls
flyway_everywhere() {
  for db in $databases; do
    [ "$(psql_admin -d "$db" -c "SELECT count(*) > 0 FROM flyway_schema_history WHERE success")" = t ] || return 1
  done
}
check "Flyway migrated every database through the JDBC URL" flyway_everywhere
nats_login() { # user password: true when NATS answers PONG to CONNECT with these credentials
  python3 - "$NATS_PORT" "$1" "$2" <<'PY'
import json, socket, sys
port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
    f = s.makefile("rb")
    f.readline()  # INFO
    hello = {"verbose": False, "pedantic": False, "lang": "smoke", "version": "0", "protocol": 1}
    if user:
        hello.update({"user": user, "pass": password})
    s.sendall(b"CONNECT " + json.dumps(hello).encode() + b"\r\nPING\r\n")
    sys.exit(0 if f.readline().startswith(b"PONG") else 1)
PY
}
nats_refuses() { ! nats_login "$@"; }
check "NATS refuses a client without a login" nats_refuses "" ""
check "NATS refuses a wrong password" nats_refuses staging-service wrong
check "NATS refuses one user's password for another" nats_refuses staging-service "${nats_password[ORRERY_NATS_PASSWORD_BUILDER]}"
check "NATS lets in the builder with the secret's password" nats_login builder "${nats_password[ORRERY_NATS_PASSWORD_BUILDER]}"
# Every service logged in as itself (users.conf) and did all it does at start-up within its permissions.
no_violations() { ! grep -Eq "(Publish|Subscription) Violation" "$work/nats.log"; }
check "no service met a NATS permission violation (nats.log)" no_violations
streams() { curl -fsS "http://127.0.0.1:$NATS_MONITOR/jsz?streams=true" | python3 -c '
import json, sys
names = {s["name"] for a in json.load(sys.stdin).get("account_details", []) for s in a.get("stream_detail", [])}
sys.exit(0 if {"TASKS", "EVENTS", "DLQ"} <= names else 1)'; }
check "the streams TASKS, EVENTS and DLQ exist" streams
broker=${http[execution-broker]}
unauthenticated() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$broker/api/v1/pools")" = 401 ]; }
check "the broker refuses a caller without a token (401)" unauthenticated
authenticated() {
  local token
  token=$(ORRERY_RUN_DIR="$work/run" "$REPO/deploy/local/token.sh" alice)
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$broker/api/v1/pools")" = 200 ]
}
check "the broker accepts a token signed by the key mounted from orrery-jwt" authenticated
watching() {
  local deadline=$((SECONDS + 60)) token
  token=$(ORRERY_RUN_DIR="$work/run" "$REPO/deploy/local/token.sh" alice)
  until curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:${http[fs-watcher]}/api/v1/roots/projects" 2>/dev/null \
      | grep -q '"WATCHING"'; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 1
  done
}
check "the fs-watcher watches its root projects on the mounted volume" watching
check "the canfar-adapter runs sessions on skaha" grep -q 'sessions run on the skaha backend' "$work/canfar-adapter.log"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
