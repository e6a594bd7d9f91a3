#!/usr/bin/env bash
# Launch latency of local sessions and quote.canfar round trips, against a real nats-server and
# PostgreSQL started for the run. Prints the figures (also left in target/bench/launch-latency.txt).
#
#   canfar-adapter/bench/launch-latency.sh [sessions] [quotes]     (defaults 20 and 200)
set -euo pipefail
cd "$(dirname "$0")/../.."
sessions="${1:-20}"
quotes="${2:-200}"
flock /tmp/orrery-mvn.lock mvn -B -q -pl canfar-adapter test -Dtest=LaunchBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.sessions="$sessions" -Dbench.quotes="$quotes" >/dev/null
cat canfar-adapter/target/bench/launch-latency.txt
