#!/usr/bin/env bash
# The first run anywhere, as a new user meets it: clones this checkout into a fresh folder only
# its owner may enter (0700, as mktemp makes it and as /root is), runs up.sh there, books the demo
# both as a script and as a notebook, and stops the suite again. Exits non-zero at the first step
# that fails, with the tail of that step's output.
#
#   first-run-check.sh                the whole first run, the clone's build included (several
#                                     minutes); run it before a release and after changing up.sh,
#                                     demo.sh or lib.sh
#   first-run-check.sh --reuse-build  the clone gets this checkout's built services instead of
#                                     building them (ORRERY_SKIP_BUILD=1), and the demos start
#                                     20 s ahead on 5 s offer steps, not a minute ahead on whole
#                                     minutes, and the two demos run side by side: about a
#                                     minute; deploy/suite-it's FirstRunIT runs it so, after the build
#
# The ports are up.sh's own (ORRERY_NATS_PORT, ORRERY_NATS_MONITOR_PORT, ORRERY_PG_PORT,
# ORRERY_HTTP_PORT_BASE; FirstRunIT sets free ones): stop a suite you run yourself first
# (deploy/local/down.sh) or set them. Everything it made is removed at the end, the PostgreSQL
# cluster in the postgres user's home (where up.sh keeps it for a checkout postgres cannot enter)
# included.
set -euo pipefail
REUSE=0
case "${1:-}" in
  --reuse-build) REUSE=1 ;;
  "") ;;
  *) echo "usage: first-run-check.sh [--reuse-build]" >&2; exit 2 ;;
esac
SOURCE="$(cd "$(dirname "$0")/../.." && pwd)"
PARENT=$(mktemp -d /tmp/orrery-first-run-XXXXXX)   # 0700
CLONE="$PARENT/orrery"
cleanup() {
  cd /
  if [ -x "$CLONE/deploy/local/down.sh" ]; then
    "$CLONE/deploy/local/down.sh" >/dev/null 2>&1 || true
    # The cluster's folder, wherever up.sh put it (lib.sh's pg_dir), and only if it is below the
    # clone or in the postgres user's orrery/ folder.
    local pg
    pg=$(bash -c '. "$1/deploy/local/lib.sh" && pg_dir' _ "$CLONE" 2>/dev/null || true)
    case "$pg" in
      "$CLONE"/*|*/orrery/[0-9]*) rm -rf "$pg" ;;
    esac
  fi
  rm -rf "$PARENT"
}
trap cleanup EXIT
step() { # log command...: runs a step, its output in log; on failure its tail and FAILED; then its time
  local log=$1 began=$SECONDS; shift
  "$@" >"$log" 2>&1 || { tail -20 "$log"; echo "FAILED: $*"; exit 1; }
  echo "    ($((SECONDS - began)) s)"
}

echo "==> cloning into $CLONE ($(stat -c %a "$PARENT"))"
git clone -q "$SOURCE" "$CLONE"
if [ "$REUSE" = 1 ]; then
  echo "==> the services as built in $SOURCE"
  for svc in execution-broker staging-service canfar-adapter fs-watcher dependency-manager; do
    [ -f "$SOURCE/$svc/target/quarkus-app/quarkus-run.jar" ] || { echo "FAILED: $svc is not built in $SOURCE"; exit 1; }
    mkdir -p "$CLONE/$svc/target"
    cp -a "$SOURCE/$svc/target/quarkus-app" "$CLONE/$svc/target/"
  done
  mkdir -p "$CLONE/deploy/sim/target"
  cp -a "$SOURCE/deploy/sim/target/orrery-sim.jar" "$CLONE/deploy/sim/target/"
  # Offers on 5 s steps rather than whole minutes, so a demo starts 20 s ahead instead of up to a minute.
  export ORRERY_SKIP_BUILD=1 ORRERY_DEMO_START_IN=20 ORRERY_BROKER_OFFERS_GRANULARITY=PT5S
fi
cd "$CLONE"
echo "==> deploy/local/up.sh"
step "$PARENT/up.log" deploy/local/up.sh
if [ "$REUSE" = 1 ]; then
  # Both demos at once (two users would): each waits most of its time for its start.
  echo "==> deploy/local/demo.sh and deploy/local/demo.sh --notebook, side by side"
  began=$SECONDS
  ORRERY_DEMO_USER=demo deploy/local/demo.sh >"$PARENT/demo.log" 2>&1 & script=$!
  ORRERY_DEMO_USER=notebook-demo deploy/local/demo.sh --notebook >"$PARENT/notebook.log" 2>&1 & notebook=$!
  wait "$script" || { tail -20 "$PARENT/demo.log"; echo "FAILED: deploy/local/demo.sh"; exit 1; }
  wait "$notebook" || { tail -20 "$PARENT/notebook.log"; echo "FAILED: deploy/local/demo.sh --notebook"; exit 1; }
  echo "    ($((SECONDS - began)) s)"
else
  echo "==> deploy/local/demo.sh"
  step "$PARENT/demo.log" deploy/local/demo.sh
  echo "==> deploy/local/demo.sh --notebook"
  step "$PARENT/notebook.log" deploy/local/demo.sh --notebook
fi
grep -q "mean flux" "$PARENT/demo.log" || { tail -20 "$PARENT/demo.log"; echo "FAILED: the demo printed no result"; exit 1; }
grep -q "what the executed notebook printed" "$PARENT/notebook.log" && grep -q "mean flux" "$PARENT/notebook.log" \
  || { tail -20 "$PARENT/notebook.log"; echo "FAILED: the notebook printed no result"; exit 1; }
grep "mean flux" "$PARENT/notebook.log" | tail -1
echo "==> deploy/local/down.sh"
step "$PARENT/down.log" deploy/local/down.sh
echo "first run: up.sh, demo.sh and demo.sh --notebook all worked from a 0700 folder"
