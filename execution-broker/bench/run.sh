#!/usr/bin/env bash
# Load-tests the running broker (start the suite first: deploy/local/up.sh). Prints offer sets
# per second and p50/p99 latency at 1, 8 and 32 clients, reservations per second under contention
# on one pool with a check that its capacity was never exceeded, and the lag of time-driven
# transitions the broker has measured so far (orrery_broker_transition_lag on /q/metrics).
#   execution-broker/bench/run.sh            # 10 s per measurement
#   BENCH_SECONDS=30 execution-broker/bench/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BROKER="${ORRERY_BROKER_URL:-http://127.0.0.1:8080}"
curl -fsS -o /dev/null "$BROKER/q/health/ready" || { echo "start the suite first: deploy/local/up.sh" >&2; exit 1; }
export BENCH_TOKEN=$("$ROOT/deploy/local/token.sh" bench)
export BENCH_ADMIN_TOKEN=$("$ROOT/deploy/local/token.sh" bench-admin admin)
# Reservations under contention come from 32 users, so that the pool's capacity, not one user's
# quota (ORRERY_BROKER_QUOTA_MAX_CORES), is what refuses them.
BENCH_USER_TOKENS=""
for i in $(seq 1 32); do BENCH_USER_TOKENS+="$("$ROOT/deploy/local/token.sh" "bench-$i") "; done
export BENCH_USER_TOKENS
java "$ROOT/execution-broker/bench/Bench.java"
echo "== lag of time-driven transitions (seconds after their due time), as the broker measured them"
curl -fsS -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" "$BROKER/q/metrics" | grep -E '^orrery_broker_transition_lag_seconds(_max|_count|\{quantile)' || echo "  none yet (book something: deploy/local/demo.sh)"
