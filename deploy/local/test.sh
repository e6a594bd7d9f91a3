#!/usr/bin/env bash
# Runs every test of the suite against real NATS and PostgreSQL (started by the tests themselves
# on free ports in temporary folders). Installs nats-server, bubblewrap, Jupyter's runner and podman
# first if they are missing (the notebook and container tests are skipped where they cannot be had).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_nats_server
ensure_bubblewrap
ensure_jupyter
ensure_podman
ensure_browser_tests
pg_bin >/dev/null
cd "$ORRERY_ROOT"
# Two modules at a time (the services only depend on the shared modules; three were slower), and the JIT's quick tier
# only: test runs are many short-lived JVMs that start Quarkus, where C2 compiles code that never
# runs long enough to pay off, and the serial collector, whose one thread does not compete with the
# other module's tests for the second core. Figures, not speed, are for the benchmarks.
export MAVEN_OPTS="${MAVEN_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseParallelGC}"
exec mvn -B -T 2 verify -DargLine="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" "$@"
