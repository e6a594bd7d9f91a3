#!/usr/bin/env bash
# Recovery after a dependency restart, per service: NATS killed with SIGKILL and restarted, and
# PostgreSQL stopped at once and restarted, ROUNDS times each (default 5), on the real suite of
# five services (deploy/e2e FaultRecoveryBench). Prints median and max per service, beside the
# baseline of the restarted server's own start. Needs all five services built first
# (mvn -B -DskipTests install): this module does not wait for the fs-watcher and dependency manager.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS="${1:-5}"
mvn -B -q verify -pl deploy/e2e -Dit.test=FaultRecoveryBench -Dorrery.bench=faults -Dorrery.bench.rounds="$ROUNDS" \
  -Dfailsafe.failIfNoSpecifiedTests=false >/dev/null 2>&1 || { echo "the benchmark failed; see deploy/e2e/target/failsafe-reports"; exit 1; }
sed -n '/^recovery after a restart/,/^$/p' deploy/e2e/target/failsafe-reports/orrery.e2e.FaultRecoveryBench-output.txt
