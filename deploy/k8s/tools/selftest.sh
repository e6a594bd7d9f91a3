#!/usr/bin/env bash
# Proves that validate.sh can fail: each case breaks a scratch copy of deploy/k8s in one way and
# expects validate.sh to exit non-zero naming that problem, after the unbroken copy has passed.
#   deploy/k8s/tools/selftest.sh
set -euo pipefail

K8S="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$K8S/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# A scratch repository: the manifests, plus what validate.py reads of the services.
fresh_copy() {
  rm -rf "$work/repo"
  mkdir -p "$work/repo/deploy"
  tar -C "$REPO" --exclude='deploy/k8s/tools/schema/node_modules' --exclude='*/target' \
    -cf - pom.xml deploy/k8s service-support/src/main execution-broker/src/main staging-service/src/main \
    canfar-adapter/src/main fs-watcher/src/main dependency-manager/src/main | tar -C "$work/repo" -xf -
  # validate.py asks git which files are ignored; the copy keeps the same rules.
  git -C "$work/repo" init -q
  cp "$REPO/.gitignore" "$work/repo/.gitignore" 2>/dev/null || true
  # The Quarkus configuration model comes from the built services when they are built.
  for service in execution-broker staging-service canfar-adapter fs-watcher dependency-manager; do
    if [ -d "$REPO/$service/target/quarkus-app/lib" ]; then
      mkdir -p "$work/repo/$service/target/quarkus-app"
      ln -s "$REPO/$service/target/quarkus-app/lib" "$work/repo/$service/target/quarkus-app/lib"
    fi
  done
}

# expect NAME "text the output must contain" [validate.sh options] -- python code editing files under k
expect() {
  local name=$1 wanted=$2
  shift 2
  local options=()
  while [ "$1" != "--" ]; do options+=("$1"); shift; done
  shift
  fresh_copy
  (cd "$work/repo/deploy/k8s" && python3 -c "
import re, pathlib
k = pathlib.Path('.')
def edit(path, old, new, count=1):
    p = k / path
    text = p.read_text()
    assert old in text, f'{path}: {old!r} not found'
    p.write_text(text.replace(old, new, count))
$1")
  local out
  if out=$("$work/repo/deploy/k8s/validate.sh" "${options[@]}" 2>&1); then
    echo "FAIL $name: validate.sh passed"
    failed=$((failed + 1))
  elif ! grep -qF -- "$wanted" <<<"$out"; then
    echo "FAIL $name: validate.sh failed without saying \"$wanted\":"
    sed 's/^/    /' <<<"$out" | tail -n 15
    failed=$((failed + 1))
  else
    echo "ok   $name"
    passed=$((passed + 1))
  fi
}

fresh_copy
if "$work/repo/deploy/k8s/validate.sh" >"$work/clean.log" 2>&1; then
  echo "ok   the manifests as committed pass"
  passed=$((passed + 1))
else
  echo "FAIL the manifests as committed do not pass:"; tail -n 20 "$work/clean.log"
  exit 1
fi

expect "misspelt environment variable" "ORRERY_FSWATCH_ROOTS_PROJECTS_PAHT: not read by this service" --no-schema -- \
  "edit('base/fs-watcher/config.env', 'ORRERY_FSWATCH_ROOTS_PROJECTS_PATH', 'ORRERY_FSWATCH_ROOTS_PROJECTS_PAHT')"
expect "build-time Quarkus property" "QUARKUS_DATASOURCE_DB_KIND: fixed at build time" --no-schema -- \
  "edit('base/postgres-client.env', 'QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE', 'QUARKUS_DATASOURCE_DB_KIND=postgresql\nQUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE')"
expect "Quarkus property nobody has" "QUARKUS_DATASOURCE_REACTIVE_SSL_MODE: no Quarkus extension" --no-schema -- \
  "edit('base/postgres-client.env', 'QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE', 'QUARKUS_DATASOURCE_REACTIVE_SSL_MODE=verify-full\nQUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE')"
expect "stream replicas differ from NATS servers" "ORRERY_NATS_REPLICAS 2 but 3 NATS server(s)" --no-schema -- \
  "edit('base/common.env', 'ORRERY_NATS_REPLICAS=3', 'ORRERY_NATS_REPLICAS=2')"
expect "a NATS route missing" "do not match 3 server(s)" --no-schema -- \
  "edit('base/nats/nats.conf', '    nats://nats-2.nats-headless:6222\n', '')"
expect "streams larger than the NATS store" "but nats.conf's max_file_store is" --no-schema -- \
  "edit('overlays/dev/kustomization.yaml', 'ORRERY_NATS_EVENTS_MAX_BYTES=268435456', 'ORRERY_NATS_EVENTS_MAX_BYTES=1073741824')"
expect "NATS without a login" "lets clients in without a login" --no-schema -- \
  "edit('base/nats/nats.conf', 'include \"users.conf\"\n', '')"
expect "a NATS password not from a Secret" "ORRERY_NATS_PASSWORD_BUILDER of user builder does not come from a Secret" --no-schema -- \
  "p = k / 'base/nats/statefulset.yaml'; p.write_text(re.sub(r' *- name: ORRERY_NATS_PASSWORD_BUILDER\n(?: {14,}.*\n)+?.*key: ORRERY_NATS_PASSWORD_BUILDER\n', '', p.read_text()))"
expect "a service with another's NATS password" "its NATS password does not come from the Secret key the NATS servers use for user staging-service" --no-schema -- \
  "edit('base/staging-service/deployment.yaml', '                  key: ORRERY_NATS_PASSWORD_STAGING_SERVICE', '                  key: ORRERY_NATS_PASSWORD_EXECUTION_BROKER')"
expect "a service logging in to NATS as another" "not as itself ('staging-service')" --no-schema -- \
  "edit('base/staging-service/deployment.yaml', '              value: staging-service', '              value: execution-broker')"
expect "two dependency managers" "must run exactly one replica, not 2" --no-schema -- \
  "edit('base/dependency-manager/deployment.yaml', 'replicas: 1', 'replicas: 2')"
expect "no readiness probe" "no readinessProbe" --no-schema -- \
  "p = k / 'base/execution-broker/deployment.yaml'; t = p.read_text(); p.write_text(re.sub(r'          readinessProbe:\n(            .*\n|              .*\n)+', '', t))"
expect "unknown database" "database staging_servic is neither made by initdb" --no-schema -- \
  "edit('base/staging-service/config.env', '5432/staging_service', '5432/staging_servic', 2)"
expect "the CA's private key mounted" "must mount only ca.crt" --no-schema -- \
  "edit('base/canfar-adapter/deployment.yaml', '            items:\n              - key: ca.crt\n                path: ca.crt\n', '')"
expect "local sessions on Kubernetes" "ORRERY_CANFAR_BACKEND must be skaha" --no-schema -- \
  "edit('base/canfar-adapter/config.env', 'ORRERY_CANFAR_BACKEND=skaha', 'ORRERY_CANFAR_BACKEND=local')"
expect "a secret value in the repository" "has literal values in the repository" --no-schema -- \
  "edit('overlays/prod/kustomization.yaml', '  - name: orrery-secrets\n', '  - name: orrery-secrets\n    literals: [\"ORRERY_CANFAR_SKAHA_TOKEN=abc\"]\n')"
expect "a committed Secret" "holds values in the repository" --no-schema -- \
  "(k / 'base/leak.yaml').write_text('apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\nstringData:\n  token: abc\n')"
expect "a kustomization naming a missing file" "names postgres/backup.yaml, which does not exist" --no-schema -- \
  "edit('base/kustomization.yaml', '  - postgres/databases.yaml\n', '  - postgres/databases.yaml\n  - postgres/backup.yaml\n')"
expect "a misspelt Kubernetes field" "terminationGracePeriodSecond is not a field of V1PodSpec" -- \
  "edit('base/fs-watcher/deployment.yaml', 'terminationGracePeriodSeconds', 'terminationGracePeriodSecond')"
expect "a mounted path nobody provides" "ORRERY_JWT_PUBLIC_KEY names /etc/orrery/jwt-keys/public.pem" --no-schema -- \
  "edit('base/common.env', '/etc/orrery/jwt/public.pem', '/etc/orrery/jwt-keys/public.pem')"

# The optional CRD check, against a small CRD of the same shape as CloudNativePG's Database.
cat >"$work/database-crd.yaml" <<'EOF'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: databases.postgresql.cnpg.io
spec:
  group: postgresql.cnpg.io
  names: {kind: Database, plural: databases}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              type: object
              required: [cluster, name, owner]
              properties:
                cluster: {type: object, properties: {name: {type: string}}}
                name: {type: string}
                owner: {type: string}
                ensure: {type: string, enum: [present, absent]}
                databaseReclaimPolicy: {type: string, enum: [delete, retain]}
EOF
expect "a CloudNativePG field misspelt" "Additional properties are not allowed ('owners' was unexpected)" --no-schema --crds "$work/database-crd.yaml" -- \
  "edit('base/postgres/databases.yaml', '  owner: orrery', '  owners: orrery')"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
