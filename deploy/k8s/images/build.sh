#!/usr/bin/env bash
# Builds (and optionally pushes) the image of every Orrery service from this checkout.
#   deploy/k8s/images/build.sh                                   orrery/<service>:dev, JVM
#   deploy/k8s/images/build.sh --native                          from target/*-runner instead
#   deploy/k8s/images/build.sh --registry registry.example.org/orrery --tag 0.1.0 --push
# Needs docker or podman with a running engine, and the services packaged first
# (mvn -B -DskipTests install; with --native: mvn -B -Pnative -DskipTests install).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
HERE="$(cd "$(dirname "$0")" && pwd)"
registry="orrery"
tag="dev"
kind="jvm"
push=0
while [ $# -gt 0 ]; do
  case "$1" in
    --registry) registry="${2%/}"; shift ;;
    --tag) tag="$2"; shift ;;
    --native) kind="native" ;;
    --push) push=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
engine="$(command -v docker || command -v podman || true)"
[ -n "$engine" ] || { echo "error: neither docker nor podman is installed" >&2; exit 1; }

# service and its HTTP port (the default of its application.properties)
for entry in "execution-broker 8080" "staging-service 8081" "canfar-adapter 8082" "fs-watcher 8083" "dependency-manager 8084"; do
  read -r service port <<<"$entry"
  if [ "$kind" = jvm ]; then
    [ -f "$ROOT/$service/target/quarkus-app/quarkus-run.jar" ] \
      || { echo "error: $service is not packaged; run mvn -B -DskipTests install first" >&2; exit 1; }
  else
    compgen -G "$ROOT/$service/target/*-runner" >/dev/null \
      || { echo "error: $service has no native executable; run mvn -B -Pnative -DskipTests install first" >&2; exit 1; }
  fi
  image="$registry/$service:$tag"
  echo "==> $image"
  "$engine" build -f "$HERE/Dockerfile.$kind" --build-arg HTTP_PORT="$port" -t "$image" "$ROOT/$service"
  [ "$push" = 0 ] || "$engine" push "$image"
done
